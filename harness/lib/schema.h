/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record schema: what ubmap-bench writes into results.jsonl and what
 * ubmap-report reads back.  Every metric is declared once, in metrics[]
 * (schema.c): its name in the record, how to derive it from the record's
 * counter sections, and what readers need to present and compare it.
 * run.json carries the same table (metrics_describe()).
 */
#ifndef LIB_SCHEMA_H
#define LIB_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>

/* Bumped when a reader of the old schema would misread a new record. */
#define RECORD_SCHEMA	1

/* The record section a metric's numerator comes from. */
enum metric_src {
	MS_FIO,		/* key: iops, bw_mib_s, clat_{mean,p50,p99,p999}_us */
	MS_PERF,	/* "perf": perf stat counts, system-wide */
	MS_SYSTEM,	/* "system": /proc/stat, /proc/interrupts, /proc/<pid>/stat */
	MS_MODULE,	/* "module": the module's stats file */
};

/* What the numerator is divided by. */
enum metric_per {
	PER_NONE,	/* a rate or a time as fio reports it */
	PER_IO,		/* per I/O fio completed: what the application paid */
	PER_REQ,	/* per request the device served (module reads + writes) */
	PER_REQ_PCT,	/* the same, as a percentage */
	PER_READ_IO,	/* per read fio completed, in cells that only read */
};

enum avg_kind {
	AVG_AMEAN,	/* times, counts, fixed-runtime rates: the arithmetic mean */
	AVG_HMEAN,	/* rates of fixed work (fixed I/O count): the harmonic mean */
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

/* Where a metric appears in ubmap-report's outputs; a bit set per place. */
#define MP_REPORT	(1U << 0)	/* a table in report.md/.txt */
#define MP_PLOT		(1U << 1)	/* a plot against block size */
#define MP_COMPARE	(1U << 2)	/* a block in compare's output */
#define MP_HISTORY	(1U << 3)	/* a column in the CI history */

/* Room for metrics[] in per-cell arrays. */
#define METRICS_MAX	48

struct metric {
	const char *name;	/* key in the record's "metrics" object */
	const char *title;	/* for headings: "IOPS" */
	const char *unit;	/* "IO/s", "us", "" for a plain count */
	bool higher_is_better;
	enum metric_src src;
	/*
	 * The counters of the section that make the numerator, summed:
	 * "reads+writes"; a trailing '*' takes every counter with that
	 * prefix ("fallback_*": whatever reasons the module counts).
	 */
	const char *key;
	enum metric_per per;
	enum metric_kind kind;
	enum avg_kind avg;
	unsigned int places;	/* MP_* */
	const char *plot;	/* file name part for its plot, or NULL */
	const char *help;
};

/* In the order records list them and the report prints them. */
extern const struct metric metrics[];
extern const unsigned int nr_metrics;

/* Index into metrics[], or -1. */
int metric_find(const char *name);

/* "Hmean" or "Amean", as mmtests labels the rows. */
const char *avg_name(enum avg_kind a);

/* A rate or a time (not a count): compared with a test, shown with a CI. */
bool metric_is_timing(const struct metric *m);

/*
 * A timing metric with a table in the report: its mode-vs-mode comparisons
 * are the report's tests (Welch, Holm-corrected per metric).
 */
bool metric_is_report_tested(const struct metric *m);

/*
 * Whether a mode's map calls per request follow the physical layout of the
 * request's pages (remap_pfn_range: a call per contiguous run), so that
 * neither they nor the work that scales with them is an exact count.
 */
bool mode_calls_follow_layout(const char *mode);
/*
 * Whether compare holds instruction-profile group @g (insn_groups.h) of a
 * cell of @mode to its tolerance: the group's gated flag, less map, unmap
 * and ubmap where the mode's calls follow the layout.
 */
bool insn_gated(int g, const char *mode);
/* Is this metric a count that must not change in this mode and io kind? */
bool metric_is_exact(const struct metric *m, const char *io, const char *mode);

/* "IOPS (IO/s, higher is better)" into buf. */
void metric_heading(const struct metric *m, char *buf, unsigned int len);

/* The table as JSON, for run.json: readers need no C. */
json_t *metrics_describe(void);

#endif /* LIB_SCHEMA_H */
