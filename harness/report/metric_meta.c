// SPDX-License-Identifier: GPL-2.0
/*
 * The bench's own table (harness/bench/metrics.c) names each metric and
 * gives unit and direction; this one adds what only readers need.  The
 * unit tests check that both agree on names, units and direction.
 */
#include <stdio.h>
#include <string.h>

#include "metric_meta.h"

#define ALL	(MP_REPORT | MP_PLOT | MP_COMPARE | MP_HISTORY)

/* In the order the report prints them when it leads with time. */
const struct metric_meta metric_meta[] = {
	{ "iops", "IOPS", "IO/s", true, AVG_HMEAN, MK_THROUGHPUT, ALL, "iops" },
	{ "bw_mib_s", "Bandwidth", "MiB/s", true, AVG_HMEAN, MK_THROUGHPUT,
	  MP_REPORT | MP_PLOT | MP_COMPARE, "bw" },
	{ "clat_mean_us", "Mean latency", "us", false, AVG_AMEAN, MK_TIME,
	  MP_COMPARE, NULL },
	{ "clat_p99_us", "p99 latency", "us", false, AVG_AMEAN, MK_TIME,
	  MP_REPORT | MP_COMPARE, NULL },
	{ "cpu_us_per_io", "CPU time per I/O", "us", false, AVG_AMEAN, MK_TIME,
	  ALL, "cpu" },
	{ "map_ns_per_io", "Map time per I/O", "ns", false, AVG_AMEAN, MK_TIME,
	  MP_COMPARE, NULL },
	{ "unmap_ns_per_io", "Unmap time per I/O", "ns", false, AVG_AMEAN,
	  MK_TIME, MP_COMPARE, NULL },
	{ "tlb_flushes_per_io", "TLB flushes per I/O", "", false, AVG_AMEAN,
	  MK_NOISY_COUNT, ALL, "tlb" },
	{ "shootdown_irqs_per_io", "Shootdown IPIs per I/O", "", false,
	  AVG_AMEAN, MK_NOISY_COUNT, MP_REPORT | MP_COMPARE | MP_HISTORY, NULL },
	{ "map_calls_per_io", "Map calls per I/O", "", false, AVG_AMEAN,
	  MK_EXACT_DIRECT, MP_REPORT | MP_COMPARE | MP_HISTORY, NULL },
	{ "pages_per_io", "Pages mapped per I/O", "", false, AVG_AMEAN,
	  MK_EXACT_DIRECT, MP_COMPARE, NULL },
	{ "copy_bytes_per_io", "Bytes copied per I/O", "B", false, AVG_AMEAN,
	  MK_EXACT_DIRECT, MP_COMPARE, NULL },
	{ "fallback_pct", "Fallback to copy", "%", false, AVG_AMEAN, MK_EXACT,
	  MP_REPORT | MP_COMPARE | MP_HISTORY, NULL },
};

const unsigned int nr_metric_meta = sizeof(metric_meta) / sizeof(metric_meta[0]);
_Static_assert(sizeof(metric_meta) / sizeof(metric_meta[0]) <= METRIC_META_MAX,
	       "raise METRIC_META_MAX");

int metric_meta_find(const char *name)
{
	for (unsigned int i = 0; i < nr_metric_meta; i++)
		if (!strcmp(metric_meta[i].name, name))
			return i;
	return -1;
}

const char *avg_name(enum avg_kind a)
{
	return a == AVG_HMEAN ? "Hmean" : "Amean";
}

bool metric_is_exact(const struct metric_meta *m, const char *io,
		     const char *mode)
{
	if (m->kind == MK_EXACT)
		return true;
	/* One remap_pfn_range() call per physically contiguous run: how many
	 * depends on where the allocator put fio's buffers, run to run.
	 */
	if (!strcmp(m->name, "map_calls_per_io") && mode &&
	    !strcmp(mode, "remap_pfn_range"))
		return false;
	return m->kind == MK_EXACT_DIRECT && io && !strcmp(io, "direct");
}

void metric_heading(const struct metric_meta *m, char *buf, unsigned int len)
{
	if (m->unit[0])
		snprintf(buf, len, "%s (%s, %s is better)", m->title, m->unit,
			 m->higher_is_better ? "higher" : "lower");
	else
		snprintf(buf, len, "%s (%s is better)", m->title,
			 m->higher_is_better ? "higher" : "lower");
}
