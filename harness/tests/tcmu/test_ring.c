// SPDX-License-Identifier: GPL-2.0
/* Reading and answering the command ring (tcmu/ring.c) on a fake area. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "fake_ring.h"
#include "ring.h"
#include "tests.h"

static const __u8 read10[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 8, 0 };

static void test_attach(void **state)
{
	struct fake_ring f;
	struct tcmu_ring r;

	(void)state;
	fake_ring_init(&f, 4096, 8192);
	assert_int_equal(ring_attach(&r, f.area, f.size), 0);
	assert_int_equal(r.cmdr_size, 4096);
	assert_int_equal(r.data_off, f.data_off);
	fake_mb(&f)->version = 1;
	assert_int_equal(ring_attach(&r, f.area, f.size), -EPROTO);
	fake_mb(&f)->version = TCMU_MAILBOX_VERSION;
	/* A ring that would reach past the area. */
	assert_int_equal(ring_attach(&r, f.area, f.cmdr_off + 100), -EPROTO);
	fake_mb(&f)->cmd_tail = 4;	/* not 8-byte aligned */
	assert_int_equal(ring_attach(&r, f.area, f.size), -EPROTO);
	fake_ring_free(&f);
}

static void test_read_cmd(void **state)
{
	const size_t lens[2] = { 1024, 3072 };
	struct ring_cmd c;
	struct fake_ring f;
	struct tcmu_ring r;
	__u32 off;

	(void)state;
	fake_ring_init(&f, 4096, 8192);
	assert_int_equal(ring_attach(&r, f.area, f.size), 0);
	assert_int_equal(ring_next(&r, &c), 0);
	off = fake_ring_cmd(&f, 7, read10, sizeof(read10), lens, 2);
	assert_int_equal(ring_next(&r, &c), 1);
	assert_int_equal(c.kind, RING_CMD);
	assert_int_equal(c.cmd_id, 7);
	assert_int_equal(c.off, off);
	assert_int_equal(c.end, fake_mb(&f)->cmd_head);
	assert_memory_equal(c.cdb, read10, sizeof(read10));
	assert_int_equal(c.iov_cnt, 2);
	assert_ptr_equal(c.iov[0].iov_base, f.area + f.data_off);
	assert_ptr_equal(c.iov[1].iov_base, f.area + f.data_off + 1024);
	assert_int_equal(c.data_len, 4096);
	assert_int_equal(ring_next(&r, &c), 0);
	fake_ring_free(&f);
}

/* Entries that do not fit before the end are preceded by a PAD. */
static void test_pad_wrap(void **state)
{
	const size_t len = 512;
	struct ring_cmd c;
	struct fake_ring f;
	struct tcmu_ring r;
	unsigned int cmds = 0, pads = 0;
	__u32 first_off = 0;

	(void)state;
	fake_ring_init(&f, 456, 64 * 512);
	assert_int_equal(ring_attach(&r, f.area, f.size), 0);
	/* Each entry is 128 bytes (112 + a 10-byte CDB, aligned): 3 fit in 456,
	 * the 4th finds 72 bytes left, pads them and starts at 0. */
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 3; i++) {
			fake_ring_cmd(&f, round * 3 + i + 1, read10, sizeof(read10), &len, 1);
			while (ring_next(&r, &c) == 1) {
				if (c.kind == RING_CMD) {
					cmds++;
					if (cmds == 4)
						first_off = c.off;
				} else {
					pads++;
				}
				/* Answer as we go so the fake head never laps the tail. */
				ring_set_tail(&r, c.end);
			}
		}
	}
	assert_int_equal(cmds, 9);
	assert_int_equal(pads, 2);	/* before the 4th and before the 8th */
	assert_int_equal(first_off, 0);
	assert_int_equal(fake_mb(&f)->cmd_tail, fake_mb(&f)->cmd_head);
	fake_ring_free(&f);
}

static void test_tmr_skipped(void **state)
{
	const size_t len = 512;
	struct ring_cmd c;
	struct fake_ring f;
	struct tcmu_ring r;

	(void)state;
	fake_ring_init(&f, 4096, 4096);
	assert_int_equal(ring_attach(&r, f.area, f.size), 0);
	fake_ring_tmr(&f);
	fake_ring_cmd(&f, 2, read10, sizeof(read10), &len, 1);
	assert_int_equal(ring_next(&r, &c), 1);
	assert_int_equal(c.kind, RING_SKIP);
	assert_int_equal(ring_next(&r, &c), 1);
	assert_int_equal(c.kind, RING_CMD);
	assert_int_equal(c.cmd_id, 2);
	fake_ring_free(&f);
}

/* What a broken or hostile kernel could write is refused, not followed. */
static void test_malformed(void **state)
{
	const size_t len = 512;
	struct tcmu_cmd_entry *e;
	struct ring_cmd c;
	struct fake_ring f;
	struct tcmu_ring r;
	__u32 off;

	(void)state;
	fake_ring_init(&f, 4096, 4096);
	assert_int_equal(ring_attach(&r, f.area, f.size), 0);
	off = fake_ring_cmd(&f, 1, read10, sizeof(read10), &len, 1);
	e = fake_entry(&f, off);

	e->req.iov[0].iov_base = (void *)(uintptr_t)(f.size - 100);	/* past the end */
	assert_int_equal(ring_next(&r, &c), -EPROTO);
	assert_int_equal(r.next, off);		/* not consumed */
	e->req.iov[0].iov_base = (void *)(uintptr_t)16;	/* in the mailbox */
	assert_int_equal(ring_next(&r, &c), -EPROTO);
	e->req.iov[0].iov_base = (void *)(uintptr_t)f.data_off;
	e->req.cdb_off = f.size + 8;		/* CDB outside the ring */
	assert_int_equal(ring_next(&r, &c), -EPROTO);
	e->req.cdb_off = f.cmdr_off + off + sizeof(*e);
	e->req.iov_cnt = RING_MAX_IOV + 1;
	assert_int_equal(ring_next(&r, &c), -EPROTO);
	e->req.iov_cnt = 1;
	e->req.iov_bidi_cnt = 1;
	assert_int_equal(ring_next(&r, &c), -EPROTO);
	e->req.iov_bidi_cnt = 0;
	e->hdr.len_op = TCMU_OP_CMD;	/* length 0 */
	assert_int_equal(ring_next(&r, &c), -EPROTO);
	e->hdr.len_op = 8192 | TCMU_OP_CMD;	/* longer than the ring */
	assert_int_equal(ring_next(&r, &c), -EPROTO);
	e->hdr.len_op = 128 | 5;		/* no such opcode */
	assert_int_equal(ring_next(&r, &c), -EPROTO);
	e->hdr.len_op = 128 | TCMU_OP_CMD;
	assert_int_equal(ring_next(&r, &c), 1);
	fake_ring_free(&f);
}

static void test_answer(void **state)
{
	const size_t len = 512;
	const __u8 sense[18] = { 0x70, 0, 5, [7] = 10, [12] = 0x20 };
	struct tcmu_cmd_entry *e;
	struct ring_cmd c;
	struct fake_ring f;
	struct tcmu_ring r;
	__u32 off;

	(void)state;
	fake_ring_init(&f, 4096, 4096);
	assert_int_equal(ring_attach(&r, f.area, f.size), 0);
	off = fake_ring_cmd(&f, 1, read10, sizeof(read10), &len, 1);
	assert_int_equal(ring_next(&r, &c), 1);
	e = fake_entry(&f, off);
	ring_answer(&r, c.off, 2, sense, sizeof(sense));
	assert_int_equal(e->rsp.scsi_status, 2);
	assert_memory_equal(e->rsp.sense_buffer, sense, sizeof(sense));
	assert_int_equal(e->rsp.sense_buffer[18], 0);
	assert_int_equal(e->hdr.cmd_id, 1);	/* the kernel finds it by this */
	assert_int_equal(fake_mb(&f)->cmd_tail, 0);
	ring_set_tail(&r, c.end);
	assert_int_equal(fake_mb(&f)->cmd_tail, c.end);
	fake_ring_free(&f);
}

int run_ring_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attach),
		cmocka_unit_test(test_read_cmd),
		cmocka_unit_test(test_pad_wrap),
		cmocka_unit_test(test_tmr_skipped),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_answer),
	};

	return cmocka_run_group_tests_name("tcmu ring", tests, NULL, NULL);
}
