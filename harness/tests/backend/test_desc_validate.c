// SPDX-License-Identifier: GPL-2.0
/* desc_validate(): what a descriptor may and may not say. */
#include <string.h>

#include "desc.h"
#include "fake_dev.h"
#include "tests.h"

#define SLOT	(128 * 1024)
#define DEPTH	4
#define CAP	(64ULL << 20)

static struct ubmap_info info;

static int setup(void **state)
{
	(void)state;
	fake_info(&info, 2, DEPTH, SLOT, CAP);
	return 0;
}

/* A good descriptor for (q, tag), generation 0: 8 KiB read at 1 MiB, at its slot. */
static struct ubmap_io_desc good(unsigned int q, unsigned int tag)
{
	struct ubmap_io_desc d;

	memset(&d, 0, sizeof(d));
	d.op = UBMAP_OP_READ;
	d.queue = q;
	d.tag = tag;
	d.handle = UBMAP_HANDLE(tag, 0);
	d.len = 8192;
	d.offset = 1 << 20;
	d.window_off = ((__u64)q * DEPTH + tag) * SLOT;
	return d;
}

static void test_good(void **state)
{
	struct ubmap_io_desc d = good(1, 3);

	(void)state;
	assert_int_equal(desc_validate(&info, &d, 1, 3), DESC_OK);
	d.op = UBMAP_OP_WRITE;
	assert_int_equal(desc_validate(&info, &d, 1, 3), DESC_OK);
	/* A full slot, ending at the very end of the window and device. */
	d.len = SLOT;
	d.offset = CAP - SLOT;
	assert_int_equal(desc_validate(&info, &d, 1, 3), DESC_OK);
	/* Smallest: one block, data starting inside the slot. */
	d = good(0, 0);
	d.len = 512;
	d.window_off = SLOT - 512;
	assert_int_equal(desc_validate(&info, &d, 0, 0), DESC_OK);
	/* Flags are informational, any combination is fine. */
	d.flags = UBMAP_DESC_F_MAPPED | UBMAP_DESC_F_COPIED;
	assert_int_equal(desc_validate(&info, &d, 0, 0), DESC_OK);
}

static void test_bad_op(void **state)
{
	struct ubmap_io_desc d = good(0, 1);

	(void)state;
	d.op = 3;
	assert_int_equal(desc_validate(&info, &d, 0, 1), DESC_BAD_OP);
	d.op = 0xff;
	assert_int_equal(desc_validate(&info, &d, 0, 1), DESC_BAD_OP);
}

/* A FLUSH has no data: length 0, no range or window to check. */
static void test_flush(void **state)
{
	struct ubmap_io_desc d = good(0, 1);

	(void)state;
	d.op = UBMAP_OP_FLUSH;
	d.len = 0;
	d.offset = 0;
	d.window_off = 0;
	assert_int_equal(desc_validate(&info, &d, 0, 1), DESC_OK);
	d.len = 4096;
	assert_int_equal(desc_validate(&info, &d, 0, 1), DESC_BAD_LEN);
}

static void test_bad_id(void **state)
{
	struct ubmap_io_desc d = good(0, 1);

	(void)state;
	assert_int_equal(desc_validate(&info, &d, 0, 2), DESC_BAD_ID);
	assert_int_equal(desc_validate(&info, &d, 1, 1), DESC_BAD_ID);
	/* The handle fetched must be the one the descriptor carries. */
	d.handle = UBMAP_HANDLE(1, 5);
	assert_int_equal(desc_validate(&info, &d, 0, UBMAP_HANDLE(1, 5)), DESC_OK);
	assert_int_equal(desc_validate(&info, &d, 0, UBMAP_HANDLE(1, 4)), DESC_BAD_ID);
	assert_int_equal(desc_validate(&info, &d, 0, 1), DESC_BAD_ID);
}

static void test_bad_len(void **state)
{
	struct ubmap_io_desc d = good(0, 0);

	(void)state;
	d.len = 0;
	assert_int_equal(desc_validate(&info, &d, 0, 0), DESC_BAD_LEN);
	d.len = SLOT + 512;
	assert_int_equal(desc_validate(&info, &d, 0, 0), DESC_BAD_LEN);
	d.len = 0xffffffffu;
	assert_int_equal(desc_validate(&info, &d, 0, 0), DESC_BAD_LEN);
}

static void test_unaligned(void **state)
{
	struct ubmap_io_desc d = good(0, 0);

	(void)state;
	d.offset += 1;
	assert_int_equal(desc_validate(&info, &d, 0, 0), DESC_UNALIGNED);
	d = good(0, 0);
	d.len = 4097;
	assert_int_equal(desc_validate(&info, &d, 0, 0), DESC_UNALIGNED);
}

static void test_beyond_capacity(void **state)
{
	struct ubmap_io_desc d = good(0, 0);

	(void)state;
	d.offset = CAP;
	assert_int_equal(desc_validate(&info, &d, 0, 0), DESC_BAD_RANGE);
	d.offset = CAP - 512;	/* starts inside, ends outside */
	assert_int_equal(desc_validate(&info, &d, 0, 0), DESC_BAD_RANGE);
	/* offset + len would wrap to a small number */
	d.offset = 0ULL - 4096;
	assert_int_equal(desc_validate(&info, &d, 0, 0), DESC_BAD_RANGE);
}

static void test_bad_window(void **state)
{
	struct ubmap_io_desc d = good(0, 1);

	(void)state;
	/* In the neighbouring tag's slot, either side. */
	d.window_off = 2 * SLOT;
	assert_int_equal(desc_validate(&info, &d, 0, 1), DESC_BAD_WINDOW);
	d.window_off = 0;
	assert_int_equal(desc_validate(&info, &d, 0, 1), DESC_BAD_WINDOW);
	/* Starts in its slot, runs into the next one. */
	d.window_off = 2 * SLOT - 4096;
	assert_int_equal(desc_validate(&info, &d, 0, 1), DESC_BAD_WINDOW);
	/* Past the window and wrapping. */
	d.window_off = info.data_size;
	assert_int_equal(desc_validate(&info, &d, 0, 1), DESC_BAD_WINDOW);
	d.window_off = 0ULL - 512;
	assert_int_equal(desc_validate(&info, &d, 0, 1), DESC_BAD_WINDOW);
}

/* A window smaller than the slots claim: the last slot is not there. */
static void test_short_window(void **state)
{
	struct ubmap_info small = info;
	struct ubmap_io_desc d = good(1, DEPTH - 1);

	(void)state;
	small.data_size -= 4096;
	assert_int_equal(desc_validate(&small, &d, 1, DEPTH - 1),
			 DESC_BAD_WINDOW);
	d = good(0, 0);
	assert_int_equal(desc_validate(&small, &d, 0, 0), DESC_OK);
}

static void test_strings(void **state)
{
	(void)state;
	for (int c = DESC_OK; c <= DESC_BAD_WINDOW; c++)
		assert_string_not_equal(desc_check_str(c), "?");
}

int run_desc_validate_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad_op),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_bad_id),
		cmocka_unit_test(test_bad_len),
		cmocka_unit_test(test_unaligned),
		cmocka_unit_test(test_beyond_capacity),
		cmocka_unit_test(test_bad_window),
		cmocka_unit_test(test_short_window),
		cmocka_unit_test(test_strings),
	};

	return cmocka_run_group_tests_name("desc_validate", tests, setup, NULL);
}
