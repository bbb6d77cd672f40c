/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the report, the plots and compare need to know about each metric
 * the bench records: unit, direction, how to average repeats, and whether
 * the number is a noisy measurement or a count that must not move.
 * Declared once, in metric_meta.c.
 */
#ifndef REPORT_METRIC_META_H
#define REPORT_METRIC_META_H

#include <stdbool.h>

enum avg_kind {
	AVG_AMEAN,	/* times, counts: the arithmetic mean */
	AVG_HMEAN,	/* rates (I/O per second): the harmonic mean */
};

enum metric_kind {
	MK_THROUGHPUT,	/* noisy; a significant drop fails compare */
	MK_TIME,	/* noisy time or latency; reported, never gates */
	MK_NOISY_COUNT,	/* a count that depends on scheduling (TLB, IPIs) */
	MK_EXACT,	/* a count the workload fixes: any change gates */
	/*
	 * Exact only when every fio I/O reaches the device once (O_DIRECT);
	 * through the page cache it follows the hit rate and writeback.
	 */
	MK_EXACT_DIRECT,
};

/* Where a metric appears; a bit set per place. */
#define MP_REPORT	(1U << 0)	/* a table in report.md/.txt */
#define MP_PLOT		(1U << 1)	/* a plot against block size */
#define MP_COMPARE	(1U << 2)	/* a block in compare's output */
#define MP_HISTORY	(1U << 3)	/* a column in the CI history */

/* Room for the table below in per-cell arrays. */
#define METRIC_META_MAX	32

struct metric_meta {
	const char *name;	/* key in the record's "metrics" object */
	const char *title;	/* for headings: "IOPS" */
	const char *unit;	/* "IO/s", "us", "" for a plain count */
	bool higher_is_better;
	enum avg_kind avg;
	enum metric_kind kind;
	unsigned int places;	/* MP_* */
	const char *plot;	/* file name part for its plot, or NULL */
};

extern const struct metric_meta metric_meta[];
extern const unsigned int nr_metric_meta;

/* Index into metric_meta[], or -1. */
int metric_meta_find(const char *name);

/* "Hmean" or "Amean", as mmtests labels the rows. */
const char *avg_name(enum avg_kind a);

/* Is this metric a count that must not change in this mode and io kind? */
bool metric_is_exact(const struct metric_meta *m, const char *io,
		     const char *mode);

/* "IOPS (IO/s, higher is better)" into buf. */
void metric_heading(const struct metric_meta *m, char *buf, unsigned int len);

#endif /* REPORT_METRIC_META_H */
