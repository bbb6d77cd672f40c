// SPDX-License-Identifier: GPL-2.0
/* The commands as the 6.1 driver reads them: control (SQE128) and I/O. */
#include <stdint.h>
#include <string.h>

#include "ctrl.h"
#include "ioq.h"
#include "tests.h"

static struct ublkd_opts opts(void)
{
	struct ublkd_opts o = {
		.store = "ram",
		.size = 64ULL << 20,
		.queues = 2,
		.depth = 64,
		.max_io = 1 << 20,
		.delete_id = -1,
	};

	return o;
}

static void test_add(void **state)
{
	struct ublkd_opts o = opts();
	struct ublksrv_ctrl_dev_info info;
	struct ublksrv_ctrl_cmd c;

	(void)state;
	memset(&info, 0xa5, sizeof(info));
	ctrl_build_add(&o, &info, &c);
	assert_int_equal(info.nr_hw_queues, 2);
	assert_int_equal(info.queue_depth, 64);
	assert_int_equal(info.max_io_buf_bytes, 1 << 20);
	/* "Any id": the driver refuses a header id that differs from info's. */
	assert_int_equal(info.dev_id, UINT32_MAX);
	assert_int_equal(c.dev_id, info.dev_id);
	assert_true(info.flags == 0);
	assert_int_equal(info.state, 0);
	assert_true(info.reserved0 == 0 && info.ublksrv_flags == 0);
	/* Not for a queue: ADD_DEV wants queue_id == (u16)-1. */
	assert_int_equal(c.queue_id, 0xffff);
	assert_true(c.addr == (uintptr_t)&info);
	assert_int_equal(c.len, sizeof(info));
}

static void test_params(void **state)
{
	struct ublkd_opts o = opts();
	struct ublk_params p;
	struct ublksrv_ctrl_cmd c;

	(void)state;
	ctrl_build_params(&o, &p, 7, &c);
	assert_int_equal(p.len, sizeof(p));
	assert_int_equal(p.types, UBLK_PARAM_TYPE_BASIC);
	assert_true(p.basic.dev_sectors == (64ULL << 20) / 512);
	assert_int_equal(p.basic.max_sectors, (1 << 20) / 512);
	/* The driver's checks: 9 <= logical <= physical, logical <= PAGE_SHIFT. */
	assert_int_equal(p.basic.logical_bs_shift, 9);
	assert_true(p.basic.physical_bs_shift >= p.basic.logical_bs_shift);
	assert_int_equal(p.basic.attrs, UBLK_ATTR_VOLATILE_CACHE | UBLK_ATTR_FUA);
	assert_int_equal(p.basic.chunk_sectors, 0);
	assert_true(p.basic.virt_boundary_mask == 0);
	assert_int_equal(p.discard.max_discard_sectors, 0);
	assert_int_equal(c.dev_id, 7);
	assert_int_equal(c.queue_id, 0xffff);
	assert_true(c.addr == (uintptr_t)&p);
	assert_int_equal(c.len, sizeof(p));
}

static void test_simple(void **state)
{
	struct ublksrv_ctrl_cmd c;

	(void)state;
	memset(&c, 0xa5, sizeof(c));
	ctrl_build_simple(3, 1234, &c);
	assert_int_equal(c.dev_id, 3);
	assert_int_equal(c.queue_id, 0xffff);
	/* START_DEV reads the server's pid from data[0]. */
	assert_true(c.data[0] == 1234);
	assert_true(c.data[1] == 0 && c.addr == 0 && c.len == 0);
}

static void test_ctrl_prep(void **state)
{
	struct io_uring_sqe sqe[2];	/* one SQE128 */
	struct ublksrv_ctrl_cmd c;
	unsigned char *raw = (unsigned char *)sqe;
	size_t cmd_off = offsetof(struct io_uring_sqe, cmd);

	(void)state;
	memset(sqe, 0xff, sizeof(sqe));
	ctrl_build_simple(5, 99, &c);
	ctrl_prep(sqe, 42, UBLK_CMD_START_DEV, &c);
	assert_int_equal(sqe->opcode, IORING_OP_URING_CMD);
	assert_int_equal(sqe->fd, 42);
	assert_int_equal(sqe->cmd_op, UBLK_CMD_START_DEV);
	assert_int_equal(sqe->flags, 0);
	/* The command starts at byte 48 of the 128. */
	assert_int_equal(cmd_off, 48);
	assert_memory_equal(raw + cmd_off, &c, sizeof(c));
	/* Nothing stale after it, to the end of the 128 bytes. */
	for (size_t i = cmd_off + sizeof(c); i < sizeof(sqe); i++)
		assert_int_equal(raw[i], 0);
	assert_string_equal(ctrl_op_name(UBLK_CMD_DEL_DEV), "DEL_DEV");
	assert_string_equal(ctrl_op_name(0x99), "?");
}

static void test_io_prep(void **state)
{
	struct io_uring_sqe sqe;
	struct ublksrv_io_cmd cmd;

	(void)state;
	memset(&sqe, 0xff, sizeof(sqe));
	ioq_prep_cmd(&sqe, 9, UBLK_IO_COMMIT_AND_FETCH_REQ, 1, 17, -5,
		     0x7f0000100000ULL);
	assert_int_equal(sqe.opcode, IORING_OP_URING_CMD);
	assert_int_equal(sqe.fd, 9);
	assert_int_equal(sqe.cmd_op, UBLK_IO_COMMIT_AND_FETCH_REQ);
	assert_int_equal(sqe.flags, 0);
	/* The tag comes back in the CQE's user_data. */
	assert_true(sqe.user_data == 17);
	memcpy(&cmd, sqe.cmd, sizeof(cmd));
	assert_int_equal(cmd.q_id, 1);
	assert_int_equal(cmd.tag, 17);
	assert_int_equal(cmd.result, -5);
	assert_true(cmd.addr == 0x7f0000100000ULL);
	/* The 16-byte command ends exactly at the 64-byte SQE's end. */
	assert_int_equal(offsetof(struct io_uring_sqe, cmd) + sizeof(cmd), sizeof(sqe));
}

int run_ctrl_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_ctrl_prep),
		cmocka_unit_test(test_io_prep),
	};

	return cmocka_run_group_tests_name("ublkd commands", tests, NULL, NULL);
}
