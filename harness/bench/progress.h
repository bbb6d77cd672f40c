/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One line per run on stderr:
 *	[12/96] mkspecial bs=64k direct randread rep 2/3 … ETA 6m → 1523 IOPS
 * The ETA is the I/O time still planned plus, per run left, the overhead
 * observed so far (a guess before the first run ends).
 */
#ifndef BENCH_PROGRESS_H
#define BENCH_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

struct progress {
	FILE *f;
	unsigned int total, done;
	double t0;
	double io_total, io_done;	/* seconds of fio I/O, planned and run */
	double overhead_guess;		/* per run, until one has run */
	bool open_line;			/* a begun line awaits its result */
};

void progress_init(struct progress *p, FILE *f, unsigned int total,
		   double io_total, double overhead_guess, double now);
double progress_eta(const struct progress *p, double now);
void progress_begin(struct progress *p, const char *label, unsigned int rep,
		    unsigned int reps, double now);
/* Ends the line with result; counts the run as done. */
void progress_end(struct progress *p, double io_secs, const char *result);
/* A planned run that will not happen (its target is unavailable). */
void progress_drop(struct progress *p, double io_secs);
/* A message of its own; ends a begun line first. */
void progress_note(struct progress *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* BENCH_PROGRESS_H */
