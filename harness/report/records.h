/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A run directory as the bench left it: results.jsonl (one record per cell
 * and repeat), run.json and matrix.txt.  This is the only file that knows
 * the records' JSON layout (harness/bench/record.c writes it): a schema
 * change touches records.c and nothing else.
 */
#ifndef REPORT_RECORDS_H
#define REPORT_RECORDS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/ubmap.h>

#include "cell.h"
#include "insn_groups.h"
#include "schema.h"

/* rec.insn[INSN_TOTAL]: after the groups, the total (idle and wait left out). */
#define INSN_TOTAL		INSN_G_COUNT

/* The record schema this reader was written for (RECORD_SCHEMA). */
#define RECORDS_SCHEMA		1
#define META_MAX		32

/* FB_unaligned, ...: the module's reasons (UBMAP_FALLBACKS), in its order. */
enum fallback_reason {
#define FB_ENUM(n) FB_##n,
	UBMAP_FALLBACKS(FB_ENUM)
#undef FB_ENUM
	FB_COUNT
};
extern const char *const fallback_reason_name[FB_COUNT];

struct rec {
	char cell_id[160];
	struct cell key;
	char bs_text[16];		/* as the bench spelled it: "4k" */
	unsigned int cell_index;	/* the cell's place in the matrix, 1-based */
	unsigned int repeat;
	bool ok;			/* status "ok" */
	char error[160];		/* why not */
	double m[METRICS_MAX];	/* by metrics[] index; NAN if null */
	bool have_klog;
	unsigned int warn, warn_known, bug, oops;
	double fallback[FB_COUNT];	/* module counter deltas; NAN if none */
	/* Guest real time of the first snapshot and the cell's span; NAN. */
	double start_s, wall_s;
	double calib_ns[2];		/* the calibration loop before, after; NAN */
	/*
	 * The instruction profile (PROFILE=insn): instructions per device
	 * request by group, then the total; NAN in a run without it.
	 */
	double insn[INSN_TOTAL + 1];
};

/* One "meta" key, its value as text ("" for null). */
struct meta_kv {
	char key[32];
	char val[160];
};

/* Room for a run directory; file names are appended to it in PATH_MAX. */
#define RUN_DIR_MAX	1024

struct run {
	char dir[RUN_DIR_MAX];
	char id[128];
	char status[32];	/* run.json: complete, interrupted, ...; "" */
	char started[32];
	char matrix[RUN_DIR_MAX];	/* the matrix file the run was asked for */
	char *matrix_text;	/* matrix.txt: the effective matrix, or NULL */
	double wall_s, fio_ratio;	/* harness overhead; NAN if unknown */
	char order[16];		/* run.json order.order: random, grouped; "" */
	unsigned long long seed;	/* the seed that order came from */
	unsigned int runs_planned;	/* 0 if unknown */
	unsigned int nmeta;
	struct meta_kv meta[META_MAX];
	struct rec *recs;
	size_t nrecs, nfailed;
	unsigned int bad_lines;		/* unreadable lines, skipped */
	/* Targets the run could not set up (records "unavailable"), and why. */
	struct { char target[16]; char why[200]; } unavail[8];
	size_t nunavail;
	/* run.json "memcpy_bound": one copy's bytes/s at each block size. */
	struct {
		unsigned long bs;
		char bs_text[16];
		double bytes_per_s;	/* rep movsb, as the kernel copies */
		double libc_bytes_per_s;	/* glibc's memcpy; NAN if not kept */
	} bound[16];
	size_t nbound;
	/*
	 * Host clock - guest clock, from raw/guest-clock (its content is the
	 * guest's time, its mtime the host's); NAN when there is none.
	 */
	double guest_clock_offset;
};

/*
 * Reads RUN_DIR.  -1 with a reason in err when there is nothing to
 * report on (no results.jsonl, no record, a schema this reader does not
 * know).
 */
int run_load(struct run *r, const char *dir, char *err, size_t errlen);
void run_free(struct run *r);

/* A meta value ("" if absent): "tier", "kernel", "git_sha", ... */
const char *run_meta(const struct run *r, const char *key);

#endif /* REPORT_RECORDS_H */
