/* SPDX-License-Identifier: GPL-2.0 */
/* fio: the command line for a cell, and what we take from its JSON output. */
#ifndef BENCH_FIO_H
#define BENCH_FIO_H

#include <stdio.h>

#include "matrix.h"
#include "util.h"

enum fio_ddir { FIO_READ, FIO_WRITE, FIO_NR_DDIR };

struct fio_dir {
	unsigned long long ios;		/* total_ios */
	unsigned long long io_bytes;
	unsigned long long runtime_ms;
	double iops;
	double bw_bytes;		/* bytes/s */
	/* Completion latency, ns; NAN when the direction did no I/O. */
	double clat_mean_ns, clat_p50_ns, clat_p99_ns, clat_p999_ns;
};

struct fio_result {
	char version[32];		/* "fio-3.33" */
	int error;			/* first non-zero job error, else 0 */
	unsigned int jobs;		/* job entries (1 with group_reporting) */
	struct fio_dir dir[FIO_NR_DDIR];
	unsigned long long total_ios;	/* read + write */
	double iops, bw_bytes;		/* read + write */
	double usr_cpu, sys_cpu;	/* % of one CPU, fio's own threads */
	unsigned long long ctx, majf, minf;
	unsigned long long job_runtime_ms;	/* summed over numjobs */
	unsigned long long elapsed_s;
};

/*
 * A job file runs a group of cells in one fio process, one after another
 * (stonewall), each a reporting group of its own.  The [global] part:
 */
void fio_job_global(FILE *f, const char *dev);
/*
 * One cell as a job section named name.  prerun and postrun are the shell
 * lines fio runs just before the first and just after the last I/O.
 * Buffered writes end with an fsync, so their data reaches the device, and
 * is counted, inside the cell that wrote it.
 */
void fio_job_section(FILE *f, const struct cell *c, const char *name,
		     const char *prerun, const char *postrun);

/* The cell unmeasured, for runtime_ms and no ramp: the warm-up pass. */
void fio_job_warmup(FILE *f, const struct cell *c, const char *name,
		    unsigned int runtime_ms);

/*
 * Parses fio --output-format=json text: the job (reporting group) called
 * name, or with name NULL all jobs summed.  -1 and a reason on bad input or
 * when there is no such job.
 */
int fio_parse_job(const char *text, const char *name, struct fio_result *r,
		  char *err);
static inline int fio_parse(const char *text, struct fio_result *r, char *err)
{
	return fio_parse_job(text, NULL, r, err);
}

#endif /* BENCH_FIO_H */
