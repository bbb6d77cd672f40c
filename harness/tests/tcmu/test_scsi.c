// SPDX-License-Identifier: GPL-2.0
/* CDB parsing, emulated answers and sense data (tcmu/scsi.c). */
#include <string.h>

#include "scsi.h"
#include "tests.h"

/* 1000 blocks of 512 bytes. */
static const struct scsi_geom geo = { 1000, 9 };

static void parse(const __u8 *cdb, size_t len, struct scsi_req *r)
{
	scsi_parse(cdb, len, &geo, r);
}

static void assert_check(const struct scsi_req *r, __u8 key, __u8 asc)
{
	assert_int_equal(r->kind, SCSI_ERROR);
	assert_int_equal(r->key, key);
	assert_int_equal(r->asc, asc);
}

static void test_rw10_16(void **state)
{
	const __u8 r10[10] = { 0x28, 0, 0, 0, 0x01, 0x02, 0, 0, 8, 0 };
	const __u8 w10[10] = { 0x2a, 0x08, 0, 0, 0, 10, 0, 0, 1, 0 };
	const __u8 r16[16] = { 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	__u8 w16[16] = { 0x8a, 0 };
	struct scsi_req r;

	(void)state;
	parse(r10, sizeof(r10), &r);
	assert_int_equal(r.kind, SCSI_READ);
	assert_int_equal(r.lba, 0x102);
	assert_int_equal(r.nr_blocks, 8);
	assert_false(r.fua);
	parse(w10, sizeof(w10), &r);
	assert_int_equal(r.kind, SCSI_WRITE);
	assert_int_equal(r.lba, 10);
	assert_int_equal(r.nr_blocks, 1);
	assert_true(r.fua);
	/* Transfer length 0: nothing to move, GOOD. */
	parse(r16, sizeof(r16), &r);
	assert_int_equal(r.kind, SCSI_NOP);
	/* The last block exactly, then one past it. */
	w16[8] = 0x03;		/* lba 999 */
	w16[9] = 0xe7;
	w16[13] = 1;
	parse(w16, sizeof(w16), &r);
	assert_int_equal(r.kind, SCSI_WRITE);
	assert_int_equal(r.lba, 999);
	w16[13] = 2;
	parse(w16, sizeof(w16), &r);
	assert_check(&r, SENSE_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
	/* An LBA near 2^64 must not wrap the range check. */
	memset(w16 + 2, 0xff, 8);
	parse(w16, sizeof(w16), &r);
	assert_check(&r, SENSE_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
}

static void test_rw6_12(void **state)
{
	const __u8 r6[6] = { 0x08, 0x00, 0x00, 0x05, 0, 0 };
	const __u8 w12[12] = { 0xaa, 0, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0 };
	struct scsi_req r;

	(void)state;
	parse(r6, sizeof(r6), &r);
	assert_int_equal(r.kind, SCSI_READ);
	assert_int_equal(r.lba, 5);
	assert_int_equal(r.nr_blocks, 256);	/* 0 means 256 in READ(6) */
	parse(w12, sizeof(w12), &r);
	assert_int_equal(r.kind, SCSI_WRITE);
	assert_int_equal(r.lba, 4);
	assert_int_equal(r.nr_blocks, 3);
}

static void test_other_opcodes(void **state)
{
	const __u8 tur[6] = { 0x00 };
	const __u8 sync10[10] = { 0x35 };
	const __u8 sync16[16] = { 0x91 };
	const __u8 unmap[10] = { 0x42 };
	const __u8 vendor[6] = { 0xc0 };
	const __u8 sai_other[16] = { 0x9e, 0x12 };
	struct scsi_req r;

	(void)state;
	parse(tur, sizeof(tur), &r);
	assert_int_equal(r.kind, SCSI_NOP);
	parse(sync10, sizeof(sync10), &r);
	assert_int_equal(r.kind, SCSI_FLUSH);
	parse(sync16, sizeof(sync16), &r);
	assert_int_equal(r.kind, SCSI_FLUSH);
	parse(unmap, sizeof(unmap), &r);
	assert_check(&r, SENSE_ILLEGAL_REQUEST, ASC_INVALID_OPCODE);
	parse(vendor, sizeof(vendor), &r);
	assert_check(&r, SENSE_ILLEGAL_REQUEST, ASC_INVALID_OPCODE);
	parse(sai_other, sizeof(sai_other), &r);
	assert_check(&r, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
	/* A CDB cut short by the ring's end is not read past it. */
	parse(sync16, 10, &r);
	assert_check(&r, SENSE_ILLEGAL_REQUEST, ASC_INVALID_OPCODE);
	parse(sync16, 0, &r);
	assert_int_equal(r.kind, SCSI_ERROR);
}

static int emulate(const __u8 *cdb, size_t len, __u8 *out, struct scsi_req *r)
{
	scsi_parse(cdb, len, &geo, r);
	assert_int_equal(r->kind, SCSI_EMULATE);
	return scsi_emulate(cdb, &geo, out, r);
}

static void test_inquiry(void **state)
{
	const __u8 std[6] = { 0x12, 0, 0, 0, 96, 0 };
	const __u8 cut[6] = { 0x12, 0, 0, 0, 5, 0 };
	const __u8 vpd0[6] = { 0x12, 1, 0x00, 0, 255, 0 };
	const __u8 vpd83[6] = { 0x12, 1, 0x83, 0, 255, 0 };
	const __u8 page_no_evpd[6] = { 0x12, 0, 0x80, 0, 255, 0 };
	__u8 out[SCSI_EMU_MAX];
	struct scsi_req r;

	(void)state;
	assert_int_equal(emulate(std, sizeof(std), out, &r), 36);
	assert_int_equal(out[0], 0x00);		/* disk */
	assert_int_equal(out[4], 31);
	assert_memory_equal(out + 8, "UBMAP   ", 8);
	/* The allocation length cuts the answer. */
	assert_int_equal(emulate(cut, sizeof(cut), out, &r), 5);
	assert_int_equal(emulate(vpd0, sizeof(vpd0), out, &r), 5);
	assert_int_equal(out[1], 0x00);
	assert_int_equal(out[3], 1);
	assert_int_equal(emulate(vpd83, sizeof(vpd83), out, &r), -1);
	assert_check(&r, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
	assert_int_equal(emulate(page_no_evpd, sizeof(page_no_evpd), out, &r), -1);
	assert_check(&r, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
}

static void test_read_capacity(void **state)
{
	const __u8 rc10[10] = { 0x25 };
	const __u8 rc16[16] = { 0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0 };
	const __u8 rc16_cut[16] = { 0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0 };
	__u8 out[SCSI_EMU_MAX];
	struct scsi_req r;

	(void)state;
	assert_int_equal(emulate(rc10, sizeof(rc10), out, &r), 8);
	/* Last LBA 999 = 0x3e7, block length 512. */
	assert_memory_equal(out, ((const __u8[]){ 0, 0, 0x03, 0xe7, 0, 0, 0x02, 0 }), 8);
	assert_int_equal(emulate(rc16, sizeof(rc16), out, &r), 32);
	assert_memory_equal(out, ((const __u8[]){ 0, 0, 0, 0, 0, 0, 0x03, 0xe7,
						  0, 0, 0x02, 0 }), 12);
	assert_int_equal(emulate(rc16_cut, sizeof(rc16_cut), out, &r), 12);
}

static void test_mode_sense(void **state)
{
	const __u8 ms6_all[6] = { 0x1a, 0, 0x3f, 0, 255, 0 };
	const __u8 ms6_cache[6] = { 0x1a, 0x08, 0x08, 0, 255, 0 };
	const __u8 ms10_cache[10] = { 0x5a, 0, 0x08, 0, 0, 0, 0, 0, 255, 0 };
	const __u8 ms6_changeable[6] = { 0x1a, 0, 0x48, 0, 255, 0 };
	const __u8 ms6_saved[6] = { 0x1a, 0, 0xc8, 0, 255, 0 };
	const __u8 ms6_other[6] = { 0x1a, 0, 0x0a, 0, 255, 0 };
	const __u8 ms6_hdr[6] = { 0x1a, 0, 0x3f, 0, 4, 0 };
	__u8 out[SCSI_EMU_MAX];
	struct scsi_req r;

	(void)state;
	assert_int_equal(emulate(ms6_all, sizeof(ms6_all), out, &r), 24);
	assert_int_equal(out[0], 23);		/* mode data length */
	assert_int_equal(out[2], 0);		/* not write protected, no DPOFUA */
	assert_int_equal(out[3], 0);		/* no block descriptors */
	assert_int_equal(out[4], 0x08);
	assert_int_equal(out[5], 18);
	assert_int_equal(out[6], 0x04);		/* WCE: the disk sends flushes */
	assert_int_equal(emulate(ms6_cache, sizeof(ms6_cache), out, &r), 24);
	assert_int_equal(emulate(ms10_cache, sizeof(ms10_cache), out, &r), 28);
	assert_int_equal(out[1], 26);
	assert_int_equal(out[8], 0x08);
	assert_int_equal(out[10], 0x04);
	assert_int_equal(emulate(ms6_changeable, sizeof(ms6_changeable), out, &r), 24);
	assert_int_equal(out[6], 0);		/* nothing changeable */
	assert_int_equal(emulate(ms6_saved, sizeof(ms6_saved), out, &r), -1);
	assert_check(&r, SENSE_ILLEGAL_REQUEST, ASC_SAVING_PARAMS);
	assert_int_equal(emulate(ms6_other, sizeof(ms6_other), out, &r), -1);
	assert_check(&r, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
	assert_int_equal(emulate(ms6_hdr, sizeof(ms6_hdr), out, &r), 4);
}

static void test_sense(void **state)
{
	const __u8 rs[6] = { 0x03, 0, 0, 0, 252, 0 };
	__u8 s[SCSI_SENSE_LEN], out[SCSI_EMU_MAX];
	struct scsi_req r;

	(void)state;
	memset(s, 0xaa, sizeof(s));
	scsi_build_sense(s, SENSE_ILLEGAL_REQUEST, ASC_INVALID_OPCODE, 0x01);
	assert_int_equal(s[0], 0x70);
	assert_int_equal(s[1], 0);
	assert_int_equal(s[2], 0x05);
	assert_int_equal(s[7], 10);
	assert_int_equal(s[12], 0x20);
	assert_int_equal(s[13], 0x01);
	assert_int_equal(s[17], 0);
	assert_int_equal(emulate(rs, sizeof(rs), out, &r), SCSI_SENSE_LEN);
	assert_int_equal(out[0], 0x70);
	assert_int_equal(out[2], SENSE_NO_SENSE);
}

int run_scsi_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rw10_16),
		cmocka_unit_test(test_rw6_12),
		cmocka_unit_test(test_other_opcodes),
		cmocka_unit_test(test_inquiry),
		cmocka_unit_test(test_read_capacity),
		cmocka_unit_test(test_mode_sense),
		cmocka_unit_test(test_sense),
	};

	return cmocka_run_group_tests_name("tcmu scsi", tests, NULL, NULL);
}
