// SPDX-License-Identifier: GPL-2.0
/* The store table and the null store. */
#include <string.h>

#include "store.h"
#include "tests.h"

static void test_find(void **state)
{
	(void)state;
	assert_ptr_equal(store_find("null"), &store_null_ops);
	assert_ptr_equal(store_find("ram"), &store_ram_ops);
	assert_ptr_equal(store_find("file"), &store_file_ops);
	assert_null(store_find("Null"));
	assert_null(store_find(""));
	assert_null(store_find("nvme"));
}

static void test_names(void **state)
{
	char buf[64], tiny[6];

	(void)state;
	store_names(buf, sizeof(buf));
	assert_string_equal(buf, "null, ram, file");
	/* Truncation still leaves a terminated string. */
	store_names(tiny, sizeof(tiny));
	assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
}

/* Every store must have the mandatory ops and a matching name. */
static void test_ops_complete(void **state)
{
	const char *names[] = { "null", "ram", "file" };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		const struct store_ops *ops = store_find(names[i]);

		assert_non_null(ops);
		assert_string_equal(ops->name, names[i]);
		assert_non_null(ops->open);
		assert_non_null(ops->queue_io);
	}
}

static void test_null_store(void **state)
{
	struct store_params p = { .capacity = 1 << 20, .nr_queues = 1,
				  .queue_depth = 4, .slot_size = 4096,
				  .logical_block_size = 512 };
	struct ubmap_io_desc d = { .op = UBMAP_OP_READ, .len = 4096 };
	struct store s;
	unsigned char buf[4096];

	(void)state;
	memset(buf, 0xa5, sizeof(buf));
	assert_int_equal(store_open(&s, &store_null_ops, &p), 0);
	assert_int_equal(s.ops->queue_io(&s, 0, &d, buf), 0);
	d.op = UBMAP_OP_WRITE;
	assert_int_equal(s.ops->queue_io(&s, 0, &d, buf), 0);
	/* It touches no data: the buffer is as we left it. */
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xa5);
	assert_null(s.ops->reap);
	store_close(&s);
	assert_null(s.ops);
}

int run_store_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_ops_complete),
		cmocka_unit_test(test_null_store),
	};

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
