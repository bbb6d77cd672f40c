// SPDX-License-Identifier: GPL-2.0
/*
 * CDB parsing and the emulated answers of a plain direct-access disk with a
 * volatile write cache (so the initiator sends SYNCHRONIZE CACHE, which we
 * pass to the store as a flush).  Field layouts: SBC-3 and SPC-4.
 */
#include <string.h>

#include "scsi.h"

/* Opcodes (SPC-4, SBC-3). */
#define OP_TEST_UNIT_READY	0x00
#define OP_REQUEST_SENSE	0x03
#define OP_READ_6		0x08
#define OP_WRITE_6		0x0a
#define OP_INQUIRY		0x12
#define OP_MODE_SENSE_6		0x1a
#define OP_READ_CAPACITY_10	0x25
#define OP_READ_10		0x28
#define OP_WRITE_10		0x2a
#define OP_SYNC_CACHE_10	0x35
#define OP_MODE_SENSE_10	0x5a
#define OP_READ_16		0x88
#define OP_WRITE_16		0x8a
#define OP_SYNC_CACHE_16	0x91
#define OP_SERVICE_ACTION_IN_16	0x9e
#define OP_READ_12		0xa8
#define OP_WRITE_12		0xaa
#define SAI_READ_CAPACITY_16	0x10

#define MODE_PAGE_CACHING	0x08
#define MODE_PAGE_ALL		0x3f
#define CACHING_PAGE_LEN	20
#define CACHING_WCE		0x04

static __u16 get_be16(const __u8 *p)
{
	return (__u16)(p[0] << 8 | p[1]);
}

static __u32 get_be32(const __u8 *p)
{
	return (__u32)p[0] << 24 | (__u32)p[1] << 16 | (__u32)p[2] << 8 | p[3];
}

static __u64 get_be64(const __u8 *p)
{
	return (__u64)get_be32(p) << 32 | get_be32(p + 4);
}

static void put_be16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put_be32(__u8 *p, __u32 v)
{
	put_be16(p, v >> 16);
	put_be16(p + 2, v);
}

static void put_be64(__u8 *p, __u64 v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, v);
}

size_t scsi_cdb_len(__u8 opcode)
{
	switch (opcode >> 5) {
	case 0:
		return 6;
	case 1:
	case 2:
		return 10;
	case 4:
		return 16;
	case 5:
		return 12;
	default:
		return 0;	/* reserved or vendor specific */
	}
}

void scsi_build_sense(__u8 *sense, __u8 key, __u8 asc, __u8 ascq)
{
	memset(sense, 0, SCSI_SENSE_LEN);
	sense[0] = 0x70;			/* current error, fixed format */
	sense[2] = key & 0x0f;
	sense[7] = SCSI_SENSE_LEN - 8;		/* additional sense length */
	sense[12] = asc;
	sense[13] = ascq;
}

/* READ/WRITE(6/10/12/16): where, how many, and whether it is in range. */
static void parse_rw(const __u8 *cdb, const struct scsi_geom *g,
		     struct scsi_req *r)
{
	switch (cdb[0]) {
	case OP_READ_6:
	case OP_WRITE_6:
		r->lba = (__u32)(cdb[1] & 0x1f) << 16 | get_be16(cdb + 2);
		/* In the 6-byte form 0 means 256 blocks (SBC-3 5.13). */
		r->nr_blocks = cdb[4] ? cdb[4] : 256;
		break;
	case OP_READ_10:
	case OP_WRITE_10:
		r->lba = get_be32(cdb + 2);
		r->nr_blocks = get_be16(cdb + 7);
		r->fua = cdb[1] & 0x08;
		break;
	case OP_READ_12:
	case OP_WRITE_12:
		r->lba = get_be32(cdb + 2);
		r->nr_blocks = get_be32(cdb + 6);
		r->fua = cdb[1] & 0x08;
		break;
	default:		/* 16 */
		r->lba = get_be64(cdb + 2);
		r->nr_blocks = get_be32(cdb + 10);
		r->fua = cdb[1] & 0x08;
		break;
	}
	/* Written so that a huge LBA cannot wrap the sum. */
	if (r->lba > g->blocks || r->nr_blocks > g->blocks - r->lba) {
		scsi_set_error(r, SENSE_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0);
		return;
	}
	if (!r->nr_blocks)
		r->kind = SCSI_NOP;	/* a transfer length of 0 moves nothing */
}

void scsi_parse(const __u8 *cdb, size_t len, const struct scsi_geom *g,
		struct scsi_req *r)
{
	size_t need;

	memset(r, 0, sizeof(*r));
	if (!len) {
		scsi_set_error(r, SENSE_ILLEGAL_REQUEST, ASC_INVALID_OPCODE, 0);
		return;
	}
	r->opcode = cdb[0];
	need = scsi_cdb_len(cdb[0]);
	if (!need || need > len) {
		scsi_set_error(r, SENSE_ILLEGAL_REQUEST, ASC_INVALID_OPCODE, 0);
		return;
	}
	switch (cdb[0]) {
	case OP_READ_6:
	case OP_READ_10:
	case OP_READ_12:
	case OP_READ_16:
		r->kind = SCSI_READ;
		parse_rw(cdb, g, r);
		break;
	case OP_WRITE_6:
	case OP_WRITE_10:
	case OP_WRITE_12:
	case OP_WRITE_16:
		r->kind = SCSI_WRITE;
		parse_rw(cdb, g, r);
		break;
	case OP_SYNC_CACHE_10:
	case OP_SYNC_CACHE_16:
		/* Our stores flush everything; a range still flushes it all. */
		r->kind = SCSI_FLUSH;
		break;
	case OP_TEST_UNIT_READY:
		r->kind = SCSI_NOP;
		break;
	case OP_SERVICE_ACTION_IN_16:
		if ((cdb[1] & 0x1f) != SAI_READ_CAPACITY_16) {
			scsi_set_error(r, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB, 0);
			break;
		}
		r->kind = SCSI_EMULATE;
		break;
	case OP_INQUIRY:
	case OP_MODE_SENSE_6:
	case OP_MODE_SENSE_10:
	case OP_READ_CAPACITY_10:
	case OP_REQUEST_SENSE:
		r->kind = SCSI_EMULATE;
		break;
	default:
		scsi_set_error(r, SENSE_ILLEGAL_REQUEST, ASC_INVALID_OPCODE, 0);
		break;
	}
}

/* Standard INQUIRY data (36 bytes) or VPD page 0 (the only page we list). */
static int emu_inquiry(const __u8 *cdb, __u8 *out, struct scsi_req *r)
{
	if (cdb[1] & 0x01) {			/* EVPD */
		if (cdb[2] != 0x00)
			goto bad;
		out[1] = 0x00;			/* supported VPD pages: */
		put_be16(out + 2, 1);
		out[4] = 0x00;			/* just this one */
		return 5;
	}
	if (cdb[2])				/* a page code without EVPD */
		goto bad;
	out[0] = 0x00;				/* connected direct-access block device */
	out[2] = 0x06;				/* SPC-4 */
	out[3] = 0x02;				/* response data format 2 */
	out[4] = 36 - 5;			/* additional length */
	out[7] = 0x02;				/* CMDQUE */
	memcpy(out + 8, "UBMAP   ", 8);
	memcpy(out + 16, "tcmu store      ", 16);
	memcpy(out + 32, "0001", 4);
	return 36;
bad:
	scsi_set_error(r, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB, 0);
	return -1;
}

/* The caching mode page (SBC-3 6.4.5), WCE set; @pc 1 = changeable: none. */
static int caching_page(__u8 *p, unsigned int pc)
{
	p[0] = MODE_PAGE_CACHING;
	p[1] = CACHING_PAGE_LEN - 2;
	if (pc != 1)
		p[2] = CACHING_WCE;
	return CACHING_PAGE_LEN;
}

/* MODE SENSE(6/10): no block descriptors, the caching page for 0x08 or 0x3f. */
static int emu_mode_sense(const __u8 *cdb, __u8 *out, struct scsi_req *r)
{
	bool ten = cdb[0] == OP_MODE_SENSE_10;
	unsigned int page = cdb[2] & 0x3f, pc = cdb[2] >> 6, hdr = ten ? 8 : 4;
	int n = hdr;

	if (pc == 3) {				/* saved values: we save nothing */
		scsi_set_error(r, SENSE_ILLEGAL_REQUEST, ASC_SAVING_PARAMS, 0);
		return -1;
	}
	if (cdb[3] != 0 || (page != MODE_PAGE_CACHING && page != MODE_PAGE_ALL)) {
		scsi_set_error(r, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB, 0);
		return -1;
	}
	n += caching_page(out + hdr, pc);
	/* Mode data length counts the bytes after itself; WP and DPOFUA clear. */
	if (ten)
		put_be16(out, n - 2);
	else
		out[0] = n - 1;
	return n;
}

static int emu_read_capacity(const __u8 *cdb, const struct scsi_geom *g,
			     __u8 *out)
{
	__u64 last = g->blocks - 1;

	if (cdb[0] == OP_READ_CAPACITY_10) {
		/* 0xffffffff sends the initiator to READ CAPACITY(16). */
		put_be32(out, last > 0xffffffffULL ? 0xffffffffU : (__u32)last);
		put_be32(out + 4, 1U << g->block_shift);
		return 8;
	}
	put_be64(out, last);
	put_be32(out + 8, 1U << g->block_shift);
	return 32;
}

/* The allocation length field of each emulated CDB. */
static size_t alloc_len(const __u8 *cdb)
{
	switch (cdb[0]) {
	case OP_INQUIRY:
		return get_be16(cdb + 3);
	case OP_MODE_SENSE_10:
		return get_be16(cdb + 7);
	case OP_SERVICE_ACTION_IN_16:
		return get_be32(cdb + 10);
	case OP_READ_CAPACITY_10:
		return 8;			/* fixed: no allocation length field */
	default:				/* MODE SENSE(6), REQUEST SENSE */
		return cdb[4];
	}
}

int scsi_emulate(const __u8 *cdb, const struct scsi_geom *g, __u8 *out,
		 struct scsi_req *r)
{
	size_t want = alloc_len(cdb);
	int n;

	memset(out, 0, SCSI_EMU_MAX);
	switch (cdb[0]) {
	case OP_INQUIRY:
		n = emu_inquiry(cdb, out, r);
		break;
	case OP_MODE_SENSE_6:
	case OP_MODE_SENSE_10:
		n = emu_mode_sense(cdb, out, r);
		break;
	case OP_READ_CAPACITY_10:
	case OP_SERVICE_ACTION_IN_16:
		n = emu_read_capacity(cdb, g, out);
		break;
	case OP_REQUEST_SENSE:
		/* Nothing deferred: we report every error with its command. */
		scsi_build_sense(out, SENSE_NO_SENSE, 0, 0);
		n = SCSI_SENSE_LEN;
		break;
	default:
		scsi_set_error(r, SENSE_ILLEGAL_REQUEST, ASC_INVALID_OPCODE, 0);
		return -1;
	}
	if (n < 0)
		return -1;
	return (size_t)n < want ? n : (int)want;
}
