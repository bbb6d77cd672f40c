/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Results, rendered from what a run collected: one JSON object per cell and
 * repeat (results.jsonl), the same flattened into summary.csv, and the
 * run's own run.json.  Reports read only these.
 */
#ifndef BENCH_RECORD_H
#define BENCH_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "fio.h"
#include "jsonutil.h"
#include "schema.h"
#include "matrix.h"
#include "perf.h"
#include "snapshot.h"

#define RECORD_NR_RAW	5

/* Everything a record says about one cell and repeat. */
struct record_in {
	const char *run_id;
	unsigned int run_index;		/* 1-based over cells x repeats */
	unsigned int cell_index;	/* 1-based within the matrix */
	unsigned int repeat, repeats;	/* 1-based */
	const struct cell *cell;
	const char *cell_id;
	double start_epoch, wall_s;	/* CLOCK_REALTIME at the first snapshot */
	double calib_ns[2];		/* calib.c's loop before, after; NAN */
	json_t *meta;			/* borrowed; the same for every record */
	const char *status;		/* "ok" or "failed" */
	const char *error;		/* why it failed, or NULL */
	const char *cmd;		/* perf + fio, as a shell line */
	const struct fio_result *fio;	/* NULL if unusable */
	const struct kv *perf;		/* NULL if nothing was counted */
	const struct sections *counters; /* NULL if the cell never ran */
	const struct klog_counts *klog;	/* NULL if unavailable */
	json_t *insn;			/* borrowed: the instruction profile (insn.c), or NULL */
	/* Relative paths: fio JSON (the group's), perf CSV, kernel log, fio's
	 * stdout and stderr, the fio job file. */
	const char *raw[RECORD_NR_RAW];
};

/* The record, its metrics computed from what it measured. */
json_t *record_build(const struct record_in *in);
/* One compact line, flushed before returning. */
int record_append(FILE *f, json_t *rec);

void summary_header(FILE *f);
void summary_row(FILE *f, json_t *rec);


#endif /* BENCH_RECORD_H */
