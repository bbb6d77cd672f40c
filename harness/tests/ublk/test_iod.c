// SPDX-License-Identifier: GPL-2.0
/* ublk descriptors: what is served, what is refused, what goes back. */
#include <errno.h>
#include <string.h>

#include "iod.h"
#include "tests.h"

/* 1 MiB device, 64k buffers. */
static const struct iod_geometry geo = {
	.dev_sectors = 2048,
	.max_io = 64 << 10,
	.queue_depth = 8,
};
#define BUF	0x7f0000001000ULL

static struct ublksrv_io_desc iod(__u32 op_flags, __u64 start, __u32 nr, __u64 addr)
{
	struct ublksrv_io_desc d = {
		.op_flags = op_flags,
		.nr_sectors = nr,
		.start_sector = start,
		.addr = addr,
	};

	return d;
}

static void test_read_write(void **state)
{
	struct ublksrv_io_desc i = iod(UBLK_IO_OP_READ, 8, 16, BUF);
	struct ubmap_io_desc d;

	(void)state;
	assert_int_equal(iod_to_desc(&geo, &i, BUF, 1, 5, &d), IOD_OK);
	assert_int_equal(d.op, UBMAP_OP_READ);
	assert_int_equal(d.queue, 1);
	assert_int_equal(d.tag, 5);
	assert_int_equal(d.len, 16 * 512);
	assert_true(d.offset == 8 * 512);
	assert_int_equal(d.flags, 0);
	assert_int_equal(iod_result(&d, 0), 16 * 512);

	i = iod(UBLK_IO_OP_WRITE | UBLK_IO_F_FUA, 0, 128, BUF);
	assert_int_equal(iod_to_desc(&geo, &i, BUF, 0, 0, &d), IOD_OK);
	assert_int_equal(d.op, UBMAP_OP_WRITE);
	assert_int_equal(d.flags, UBMAP_DESC_F_FUA);
	assert_int_equal(d.len, 64 << 10);
	/* Other flags (FAILFAST, META) change nothing. */
	i = iod(UBLK_IO_OP_WRITE | UBLK_IO_F_META | UBLK_IO_F_FAILFAST_DEV, 0, 1, BUF);
	assert_int_equal(iod_to_desc(&geo, &i, BUF, 0, 0, &d), IOD_OK);
	assert_int_equal(d.flags, 0);
}

static void test_flush(void **state)
{
	/* A FLUSH has no data: its sectors and address are never looked at. */
	struct ublksrv_io_desc i = iod(UBLK_IO_OP_FLUSH, ~0ULL, 0, 0);
	struct ubmap_io_desc d;

	(void)state;
	assert_int_equal(iod_to_desc(&geo, &i, BUF, 0, 3, &d), IOD_OK);
	assert_int_equal(d.op, UBMAP_OP_FLUSH);
	assert_int_equal(d.len, 0);
	assert_int_equal(iod_result(&d, 0), 0);
}

static void test_refused(void **state)
{
	struct ublksrv_io_desc i;
	struct ubmap_io_desc d;

	(void)state;
	i = iod(UBLK_IO_OP_DISCARD, 0, 8, BUF);
	assert_int_equal(iod_to_desc(&geo, &i, BUF, 0, 0, &d), IOD_BAD_OP);
	i = iod(UBLK_IO_OP_WRITE_ZEROES, 0, 8, BUF);
	assert_int_equal(iod_to_desc(&geo, &i, BUF, 0, 0, &d), IOD_BAD_OP);
	i = iod(0xff, 0, 8, BUF);
	assert_int_equal(iod_to_desc(&geo, &i, BUF, 0, 0, &d), IOD_BAD_OP);
	i = iod(UBLK_IO_OP_READ, 0, 0, BUF);
	assert_int_equal(iod_to_desc(&geo, &i, BUF, 0, 0, &d), IOD_BAD_LEN);
	/* One sector more than the tag's buffer. */
	i = iod(UBLK_IO_OP_READ, 0, 129, BUF);
	assert_int_equal(iod_to_desc(&geo, &i, BUF, 0, 0, &d), IOD_BAD_LEN);
	/* The last sectors are fine, one past them is not. */
	i = iod(UBLK_IO_OP_WRITE, 2048 - 8, 8, BUF);
	assert_int_equal(iod_to_desc(&geo, &i, BUF, 0, 0, &d), IOD_OK);
	i = iod(UBLK_IO_OP_WRITE, 2048 - 7, 8, BUF);
	assert_int_equal(iod_to_desc(&geo, &i, BUF, 0, 0, &d), IOD_BAD_RANGE);
	/* A start that would wrap the sum. */
	i = iod(UBLK_IO_OP_READ, ~0ULL - 3, 8, BUF);
	assert_int_equal(iod_to_desc(&geo, &i, BUF, 0, 0, &d), IOD_BAD_RANGE);
	/* The kernel must echo the tag's own buffer. */
	i = iod(UBLK_IO_OP_READ, 0, 8, BUF + 4096);
	assert_int_equal(iod_to_desc(&geo, &i, BUF, 0, 0, &d), IOD_BAD_ADDR);
	assert_string_equal(iod_check_str(IOD_BAD_ADDR), "not the tag's buffer");
}

static void test_result(void **state)
{
	struct ubmap_io_desc d = { .op = UBMAP_OP_WRITE, .len = 4096 };

	(void)state;
	assert_int_equal(iod_result(&d, 0), 4096);
	assert_int_equal(iod_result(&d, -ENOSPC), -ENOSPC);
	/* A store must not answer a positive value; if it did, it failed. */
	assert_int_equal(iod_result(&d, 1), -EIO);
	d.op = UBMAP_OP_FLUSH;
	d.len = 0;
	assert_int_equal(iod_result(&d, -EIO), -EIO);
}

static void test_area(void **state)
{
	(void)state;
	/* 4096 descriptors of 24 bytes: the driver's per-queue stride. */
	assert_true(iod_area_offset(0, 4096) == 0);
	assert_true(iod_area_offset(1, 4096) == 24 * 4096);
	assert_true(iod_area_offset(3, 4096) == 3 * 24 * 4096);
	assert_int_equal(iod_area_len(32, 4096), 4096);
	assert_int_equal(iod_area_len(170, 4096), 4096);
	assert_int_equal(iod_area_len(171, 4096), 8192);
	assert_int_equal(iod_area_len(4096, 4096), 24 * 4096);
	assert_int_equal(sizeof(struct ublksrv_io_desc), 24);
}

int run_iod_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_write),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_area),
	};

	return cmocka_run_group_tests_name("ublkd descriptors", tests, NULL, NULL);
}
