/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Computing the metrics (declared once, in lib/schema.c) from what one cell
 * measured: fio's result and the counter sections of its record.
 */
#ifndef BENCH_METRICS_H
#define BENCH_METRICS_H

#include "fio.h"
#include "schema.h"
#include "snapshot.h"

/* Everything one cell measured; a NULL section could not be measured. */
struct metric_in {
	const struct fio_result *fio;
	const struct kv *perf;		/* perf stat counts, by perf_events key */
	const struct kv *system;	/* cpu_*_us, tlb_shootdown_irqs, writeback_us */
	const struct kv *module;	/* module stats delta */
};

/* metrics[i] for every i, into out[] (NAN = unavailable). */
void metrics_compute(const struct metric_in *in, double *out);

#endif /* BENCH_METRICS_H */
