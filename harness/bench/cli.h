/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line of ubmap-bench: one set of options for every
 * subcommand (--AXIS VALUES straight from the axis and setting tables),
 * parsed once, and the steps plan and run share after it.
 */
#ifndef BENCH_CLI_H
#define BENCH_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "daemon.h"
#include "run.h"

/*
 * Measured under TCG on 2 cores, quiet machine: fio's change from one job
 * to the next, with our hooks, per run.  plan's estimate and run's first
 * ETA both use it.
 */
#define OVERHEAD_GUESS_S	0.55

#define MAX_OVERRIDES		64

struct bench_args {
	const char *cmd;		/* argv[1] */
	const char *matrix;		/* --matrix NAME|FILE */
	const char *status;		/* mark --status */
	double host_wall;		/* mark --host-wall */
	bool estimate;			/* plan --estimate */
	bool vars;			/* axes --vars */
	/* --AXIS VALUES, applied after the file in the order given. */
	struct { const char *name, *val; } ov[MAX_OVERRIDES];
	int nov;
	struct bench_opts o;		/* what run hands to bench_run() */
	int argc;
	char **argv;
	/* After "--": the command serve runs. */
	char **rest;
	int nrest;
	/* microbench --pages LIST, --iterations K (microbench.h). */
	const char *mb_pages;
	const char *mb_iterations;
	/* No --matrix: the axes' defaults (serve, memcpy). */
	bool matrix_optional;
};

enum { ARGS_OK, ARGS_HELP, ARGS_BAD };

/*
 * argv[1] is the subcommand, options follow.  ARGS_HELP for --help, the
 * caller prints the usage; ARGS_BAD after saying what is wrong.
 */
int bench_args_parse(struct bench_args *a, int argc, char **argv);

/* a->o.m from --matrix and the overrides, checked: 0, or 2 after saying why. */
int bench_args_matrix(struct bench_args *a);

/*
 * The tools in PATH, the module and ubmapd built: 0, or 2 after saying
 * what is missing.
 */
int bench_check_host(const char *const *tools, size_t n,
		     const struct ubmap_paths *p);

#endif /* BENCH_CLI_H */
