/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Derived figures, declared once (metrics[] in metrics.c) with unit and
 * direction, so reports, plots and compare read the same definitions.
 * "Per I/O" means per I/O fio completed: what the application paid.
 */
#ifndef BENCH_METRICS_H
#define BENCH_METRICS_H

#include <stdbool.h>

#include "fio.h"
#include "perf.h"
#include "snapshot.h"

/* Everything one run measured. NAN marks what could not be measured. */
struct metric_in {
	const struct fio_result *fio;
	const double *perf;		/* [PE_COUNT] */
	double cpu_busy_us;		/* /proc/stat, all CPUs */
	double tlb_irqs;		/* /proc/interrupts TLB row delta */
	const struct kv *mod;		/* module stats delta, NULL if none */
};

/* Where a metric's numerator comes from. */
enum metric_src {
	MS_FIO_IOPS, MS_FIO_BW, MS_FIO_CLAT,	/* rates, not per I/O */
	MS_CPU,					/* busy CPU us */
	MS_PERF,				/* perf event .arg */
	MS_IRQ,					/* TLB shootdown IRQs */
	MS_MOD,					/* module counter .key */
	MS_DEV_REQS,				/* module reads + writes */
	MS_FALLBACK,				/* % of device requests */
	MS_SHOOTDOWNS,				/* tlb_flush reasons 2+3+4 */
};

struct metric {
	const char *name;		/* key in record.metrics */
	const char *unit;
	bool higher_is_better;
	enum metric_src src;
	int arg;			/* MS_PERF: enum perf_ev; MS_FIO_CLAT: pct*10 (0 = mean) */
	const char *key;		/* MS_MOD */
	const char *help;
};

#define METRICS_MAX	64

extern const struct metric metrics[];
extern const unsigned int nr_metrics;

/* metrics[i].get(in), for every i, into out[] (NAN = unavailable). */
void metrics_compute(const struct metric_in *in, double *out);
int metric_find(const char *name);

#endif /* BENCH_METRICS_H */
