// SPDX-License-Identifier: GPL-2.0
/* The ram store: what is written reads back; untouched blocks are zero. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "tests.h"

#define CAP	(16ULL << 20)

static struct store_params params = {
	.capacity = CAP, .nr_queues = 2, .queue_depth = 8,
	.slot_size = 128 * 1024, .logical_block_size = 512,
};

static int setup(void **state)
{
	struct store *s = calloc(1, sizeof(*s));

	if (!s || store_open(s, &store_ram_ops, &params))
		return -1;
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	free(*state);
	return 0;
}

static int io(struct store *s, unsigned int q, __u8 op, __u64 off,
	      __u32 len, void *buf)
{
	struct ubmap_io_desc d = { .op = op, .queue = q, .len = len,
				   .offset = off };

	return s->ops->queue_io(s, q, &d, buf);
}

static void fill(unsigned char *b, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (unsigned char)(seed * 131 + i * 7);
}

static void test_unwritten_is_zero(void **state)
{
	unsigned char buf[8192];

	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(io(*state, 0, UBMAP_OP_READ, 4 << 20, sizeof(buf), buf), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
}

static void test_write_read_back(void **state)
{
	static unsigned char w[128 * 1024], r[128 * 1024];

	fill(w, sizeof(w), 1);
	assert_int_equal(io(*state, 0, UBMAP_OP_WRITE, 1 << 20, sizeof(w), w), 0);
	memset(r, 0, sizeof(r));
	/* Another queue sees the same image. */
	assert_int_equal(io(*state, 1, UBMAP_OP_READ, 1 << 20, sizeof(r), r), 0);
	assert_memory_equal(w, r, sizeof(w));
	/* A read of a part, at an offset inside the written range. */
	assert_int_equal(io(*state, 1, UBMAP_OP_READ, (1 << 20) + 4096, 512, r), 0);
	assert_memory_equal(w + 4096, r, 512);
}

static void test_edges(void **state)
{
	unsigned char w[4096], r[4096];

	/* First and last block of the device. */
	fill(w, sizeof(w), 2);
	assert_int_equal(io(*state, 0, UBMAP_OP_WRITE, 0, sizeof(w), w), 0);
	assert_int_equal(io(*state, 0, UBMAP_OP_READ, 0, sizeof(r), r), 0);
	assert_memory_equal(w, r, sizeof(w));
	fill(w, sizeof(w), 3);
	assert_int_equal(io(*state, 0, UBMAP_OP_WRITE, CAP - sizeof(w), sizeof(w), w), 0);
	assert_int_equal(io(*state, 0, UBMAP_OP_READ, CAP - sizeof(w), sizeof(r), r), 0);
	assert_memory_equal(w, r, sizeof(w));
}

static void test_overwrite(void **state)
{
	unsigned char a[4096], b[4096], r[8192];

	fill(a, sizeof(a), 4);
	fill(b, sizeof(b), 5);
	assert_int_equal(io(*state, 0, UBMAP_OP_WRITE, 8192, 4096, a), 0);
	assert_int_equal(io(*state, 0, UBMAP_OP_WRITE, 12288, 4096, a), 0);
	assert_int_equal(io(*state, 0, UBMAP_OP_WRITE, 12288, 4096, b), 0);
	assert_int_equal(io(*state, 0, UBMAP_OP_READ, 8192, 8192, r), 0);
	assert_memory_equal(r, a, 4096);
	assert_memory_equal(r + 4096, b, 4096);
}

static void test_open_errors(void **state)
{
	struct store_params p = params;
	struct store s;

	(void)state;
	p.capacity = 0;
	assert_int_equal(store_open(&s, &store_ram_ops, &p), -EINVAL);
	assert_null(s.ops);
	/* Sync store: no reap. */
	assert_null(store_ram_ops.reap);
}

int run_store_ram_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unwritten_is_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overwrite, setup, teardown),
		cmocka_unit_test(test_open_errors),
	};

	return cmocka_run_group_tests_name("store_ram", tests, NULL, NULL);
}
