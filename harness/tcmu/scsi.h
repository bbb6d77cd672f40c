/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SCSI side of ubmap-tcmud: what a CDB asks for (scsi_parse), the
 * answers we emulate for a plain disk (INQUIRY, READ CAPACITY, MODE SENSE,
 * REQUEST SENSE), and fixed-format sense data for CHECK CONDITION.
 * tcmu hands us every CDB except REPORT LUNS and the reservation commands,
 * which target_core_mod answers itself (passthrough_parse_cdb, 6.1).
 */
#ifndef TCMUD_SCSI_H
#define TCMUD_SCSI_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* Status bytes (SAM). */
#define SCSI_GOOD		0x00
#define SCSI_CHECK_CONDITION	0x02

/* Sense keys and the additional sense codes we use. */
#define SENSE_NO_SENSE		0x0
#define SENSE_MEDIUM_ERROR	0x3
#define SENSE_HARDWARE_ERROR	0x4
#define SENSE_ILLEGAL_REQUEST	0x5
#define ASC_WRITE_ERROR		0x0c
#define ASC_READ_ERROR		0x11
#define ASC_INVALID_OPCODE	0x20
#define ASC_LBA_OUT_OF_RANGE	0x21
#define ASC_INVALID_FIELD_CDB	0x24
#define ASC_SAVING_PARAMS	0x39
#define ASC_INTERNAL_TARGET	0x44

/* Fixed-format sense: 18 bytes (SPC-4 4.5.3). */
#define SCSI_SENSE_LEN		18
/* Largest emulated answer; allocation lengths beyond it get zeros. */
#define SCSI_EMU_MAX		64

struct scsi_geom {
	__u64 blocks;			/* capacity in logical blocks */
	unsigned int block_shift;	/* log2 of the logical block size */
};

enum scsi_kind {
	SCSI_READ,		/* data from the store into the data area */
	SCSI_WRITE,		/* data from the data area into the store */
	SCSI_FLUSH,		/* SYNCHRONIZE CACHE: the store's flush */
	SCSI_EMULATE,		/* answered from scsi_emulate() */
	SCSI_NOP,		/* GOOD, nothing to do (TEST UNIT READY, 0 blocks) */
	SCSI_ERROR,		/* CHECK CONDITION with key/asc/ascq */
};

struct scsi_req {
	enum scsi_kind kind;
	__u8 opcode;
	__u64 lba;		/* READ/WRITE */
	__u32 nr_blocks;	/* READ/WRITE */
	bool fua;		/* WRITE: durable before GOOD */
	__u8 key, asc, ascq;	/* SCSI_ERROR */
};

/* Bytes in a CDB with @opcode (by its group code), 0 if we do not know. */
size_t scsi_cdb_len(__u8 opcode);

/**
 * scsi_parse() - classify the CDB at @cdb (@len bytes readable)
 * Never fails: a CDB we cannot serve comes back as SCSI_ERROR with the
 * sense to answer it (ILLEGAL REQUEST and why).
 */
void scsi_parse(const __u8 *cdb, size_t len, const struct scsi_geom *g,
		struct scsi_req *r);

/**
 * scsi_emulate() - the data-in of an SCSI_EMULATE command into @out
 * (SCSI_EMU_MAX bytes, zeroed here).  Returns the bytes to transfer
 * (already cut to the CDB's allocation length), or -1 with @r turned
 * into SCSI_ERROR (a field we do not support).
 */
int scsi_emulate(const __u8 *cdb, const struct scsi_geom *g, __u8 *out,
		 struct scsi_req *r);

/* Fill @sense (SCSI_SENSE_LEN bytes, zeroed first) as current fixed-format sense. */
void scsi_build_sense(__u8 *sense, __u8 key, __u8 asc, __u8 ascq);

/* Turn @r into a CHECK CONDITION. */
static inline void scsi_set_error(struct scsi_req *r, __u8 key, __u8 asc,
				  __u8 ascq)
{
	r->kind = SCSI_ERROR;
	r->key = key;
	r->asc = asc;
	r->ascq = ascq;
}

#endif /* TCMUD_SCSI_H */
