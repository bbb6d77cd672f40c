/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Executing a matrix: run.c drives the repeats and groups (one module load
 * and one ubmapd per group), group.c runs a group's cells in one fio
 * process.  struct run_ctx is what they share.
 */
#ifndef BENCH_RUN_H
#define BENCH_RUN_H

#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>

#include "daemon.h"
#include "matrix.h"
#include "order.h"
#include "perf.h"
#include "progress.h"
#include "snapshot.h"
#include "target.h"
#include "util.h"

struct bench_opts {
	struct matrix m;
	const char *out;		/* run directory */
	const char *run_id;		/* default: its base name */
	struct strv meta;		/* KEY=VALUE from the host */
	struct ubmap_paths paths;
	char *cmdline;			/* how we were invoked, for run.json */
	double overhead_guess;		/* seconds per run, for the first ETA */
};

/* Exit status: 0 all runs ok, 1 a run or the setup failed, 130 stopped. */
int bench_run(struct bench_opts *o);

/* Marks a run directory's run.json (host side, after the guest is gone). */
int bench_mark(const char *out, const char *status, double host_wall);

struct run_ctx {
	struct bench_opts *o;
	struct cell *cells;
	size_t ncells;
	struct run_order order;		/* which cell when, every repeat */
	unsigned int reps, total, varying, perf_mask;
	char dir[PATH_MAX - 256];	/* the run directory, absolute */
	char scratch[64];		/* FIFOs, fio's working directory */
	FILE *jsonl, *csv, *kernel_log;
	json_t *run, *meta;
	struct klog klog;
	struct perf_run hold;		/* perf_hold(), for the whole run */
	const struct target_ops *tops;	/* serving now; NULL: none */
	struct target_dev tdev;
	const struct cell *cur;		/* the group it serves */
	/* Per target (targets[] order): why it cannot run here; "" it can. */
	char unavailable[8][ERR_LEN];
	struct progress prog;
	volatile sig_atomic_t *stop;	/* set by SIGINT, SIGTERM */
	unsigned int done, failed, groups;
	unsigned int unavail_runs;	/* records of unavailable targets */
	/* Where the wall time goes (run.json "harness"). */
	double t0;
	double fio_secs;		/* measured I/O: ramp + runtime */
	double proc_secs;		/* fio processes alive */
	double setup_secs;		/* target set-up, prefill */
	double warmup_secs;		/* the whole warm-up pass, its setup too */
};

/*
 * Runs r->cells[idx[0]], ..., r->cells[idx[n - 1]] of repeat rep in that
 * order (one group: same queues, store and mode, device ready) and writes
 * their records.  0 done, 1 stopped by a signal, -1 could not run (err
 * says why).
 */
int group_run(struct run_ctx *r, const size_t *idx, size_t n,
	      unsigned int rep, char *err);

/*
 * A group whose target is unavailable here: one record per cell saying so
 * (status "unavailable", the reason as its error), no I/O.
 */
void group_unavailable(struct run_ctx *r, const size_t *idx, size_t n,
		       unsigned int rep, const char *why);

/*
 * The warm-up: the same cells in one fio process, ms milliseconds of I/O
 * shared between them, with no hooks, perf or records.  0 done, 1 stopped
 * by a signal, -1 failed (err says why).
 */
int group_warm(struct run_ctx *r, const size_t *idx, size_t n,
	       unsigned int ms, char *err);

#endif /* BENCH_RUN_H */
