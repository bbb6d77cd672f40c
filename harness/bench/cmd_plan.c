// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-bench plan: validate a matrix (+ overrides) and list its runs in
 * the order they would execute (with the seed), or with --estimate print
 * the seconds it should take.  No side effects, so
 * the host runs it before booting a guest.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cells.h"
#include "cmd.h"
#include "matrix.h"
#include "order.h"
#include "util.h"

/*
 * Measured under TCG on 2 cores, quiet machine: module reload, ubmapd
 * start, prefill and fio start per group; guest boot.
 */
#define GROUP_GUESS_S		2.5
#define BOOT_GUESS_S		12.0

/* Seconds the run should take: I/O, per-run tool start-up, per-group setup. */
static double estimate(const struct matrix *m, size_t *runs)
{
	size_t n;
	struct cell *cells = cells_expand(m, &n);
	unsigned int reps = m->set[SET_REPEAT];
	double io = 0;

	for (size_t i = 0; i < n; i++)
		io += cell_io_secs(&cells[i]);
	io = io * reps + n * reps * OVERHEAD_GUESS_S +
	     cells_groups(cells, n) * reps * GROUP_GUESS_S + BOOT_GUESS_S;
	/* The warm-up: each group once, with its setup. */
	if (m->set[SET_WARMUP])
		io += cells_groups(cells, n) * (m->set[SET_WARMUP] + GROUP_GUESS_S);
	free(cells);
	*runs = n * reps;
	return io;
}

static void print_plan(const struct matrix *m)
{
	size_t n, runs;
	struct cell *cells = cells_expand(m, &n);
	unsigned int reps = m->set[SET_REPEAT], varying = cells_varying(m);
	unsigned int run = 0;
	struct run_order o;
	double io = 0;
	char buf[512], d1[32], d2[32];

	for (size_t i = 0; i < n; i++)
		io += cell_io_secs(&cells[i]) * reps;
	order_make(&o, cells, n, reps, m->set[SET_ORDER], m->set[SET_SEED]);
	matrix_write(m, stdout);
	format_duration(io, d1, sizeof(d1));
	format_duration(estimate(m, &runs), d2, sizeof(d2));
	printf("# %zu cells x %u repeats = %zu runs; %s of fio I/O, about %s in all (TCG)\n",
	       n, reps, runs, d1, d2);
	if (o.kind == ORDER_GROUPED)
		printf("# order grouped: the matrix order, every repeat\n");
	else if (m->set[SET_SEED])
		printf("# order random, seed %lu: make bench SEED=%lu runs this order\n",
		       o.seed, o.seed);
	else
		printf("# order random, seed 0: this plan picked %lu; a run picks its own unless SEED=%lu\n",
		       o.seed, o.seed);
	if (m->set[SET_WARMUP])
		printf("# first an unmeasured warm-up: each of %u groups once, %lu s of I/O each\n",
		       cells_groups(cells, n), m->set[SET_WARMUP]);
	printf("# run  rep  cell  (cell: its place in the matrix, the records' cell_index)\n");
	for (unsigned int rep = 1; rep <= reps; rep++) {
		const size_t *row = order_repeat(&o, rep);

		for (size_t i = 0; i < n; i++) {
			cell_label(&cells[row[i]], varying, buf, sizeof(buf));
			printf("%5u %4u %5zu  %s\n", ++run, rep, row[i] + 1, buf);
		}
	}
	order_free(&o);
	free(cells);
}

int cmd_plan(struct bench_args *a)
{
	static const char *const tools[] = { "fio", "perf", "gnuplot" };
	int ret = bench_args_matrix(a);

	if (ret)
		return ret;
	if (bench_check_host(tools, ARRAY_SIZE(tools), &a->o.paths))
		return 2;
	if (a->estimate) {
		size_t runs;

		printf("%.0f\n", estimate(&a->o.m, &runs));
	} else {
		print_plan(&a->o.m);
	}
	return 0;
}
