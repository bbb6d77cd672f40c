// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "insn_groups.h"
#include "schema.h"
#include "util.h"

#define ALL	(MP_REPORT | MP_PLOT | MP_COMPARE | MP_HISTORY)

/* A count per fio I/O, shown nowhere by default: most rows below. */
#define COUNT_PER_IO(n, t, s, k, kind, h) \
	{ n, t, "", false, s, k, PER_IO, kind, AVG_AMEAN, 0, NULL, h }

/*
 * Rates are averaged with the Amean too: every repeat runs for the same
 * fixed time, so the pooled rate (all I/Os / all seconds) is the Amean of
 * the per-repeat rates.  The Hmean is the pooled rate of fixed *work*; here
 * it would overweight a slow repeat, and it is not the mean Welch's t-test
 * compares.
 */
const struct metric metrics[] = {
	{ "iops", "IOPS", "IO/s", true, MS_FIO, "iops", PER_NONE,
	  MK_THROUGHPUT, AVG_AMEAN, ALL, "iops", "I/Os per second (fio)" },
	{ "bw_mib_s", "Bandwidth", "MiB/s", true, MS_FIO, "bw_mib_s", PER_NONE,
	  MK_THROUGHPUT, AVG_AMEAN, MP_REPORT | MP_PLOT | MP_COMPARE, "bw",
	  "bandwidth (fio)" },
	{ "clat_mean_us", "Mean latency", "us", false, MS_FIO, "clat_mean_us",
	  PER_NONE, MK_TIME, AVG_AMEAN, MP_COMPARE, NULL,
	  "completion latency, mean" },
	{ "clat_p50_us", "Median latency", "us", false, MS_FIO, "clat_p50_us",
	  PER_NONE, MK_TIME, AVG_AMEAN, 0, NULL, "completion latency, median" },
	{ "clat_p99_us", "p99 latency", "us", false, MS_FIO, "clat_p99_us",
	  PER_NONE, MK_TIME, AVG_AMEAN, MP_REPORT | MP_COMPARE, NULL,
	  "completion latency, 99th percentile" },
	{ "clat_p999_us", "p99.9 latency", "us", false, MS_FIO, "clat_p999_us",
	  PER_NONE, MK_TIME, AVG_AMEAN, 0, NULL,
	  "completion latency, 99.9th percentile" },
	{ "cpu_us_per_io", "CPU time per I/O", "us", false, MS_SYSTEM,
	  "cpu_busy_us", PER_IO, MK_TIME, AVG_AMEAN, ALL, "cpu",
	  "busy CPU time of all CPUs (/proc/stat) per I/O; tick-sampled, so "
	  "low in cells of many short bursts (see cpu_other_us_per_io)" },
	{ "cpu_fio_us_per_io", "fio CPU time per I/O", "us", false, MS_SYSTEM,
	  "cpu_fio_us", PER_IO, MK_TIME, AVG_AMEAN, MP_REPORT | MP_COMPARE, NULL,
	  "CPU time of fio's processes (/proc/<pid>/stat) per I/O" },
	{ "cpu_backend_us_per_io", "Backend CPU time per I/O", "us", false,
	  MS_SYSTEM, "cpu_backend_us", PER_IO, MK_TIME, AVG_AMEAN,
	  MP_REPORT | MP_COMPARE, NULL,
	  "CPU time of ubmapd's threads (/proc/<pid>/stat) per I/O" },
	{ "cpu_other_us_per_io", "Other CPU time per I/O", "us", false,
	  MS_SYSTEM, "cpu_other_us", PER_IO, MK_TIME, AVG_AMEAN, 0, NULL,
	  "CPU time neither idle, stolen, fio's nor ubmapd's (kernel threads, "
	  "perf, the bench), per I/O: CPUs x wall time less the rest" },
	{ "map_ns_per_io", "Map time per I/O", "ns", false, MS_MODULE, "map_ns",
	  PER_IO, MK_TIME, AVG_AMEAN, MP_COMPARE, NULL,
	  "module time mapping, per I/O" },
	{ "unmap_ns_per_io", "Unmap time per I/O", "ns", false, MS_MODULE,
	  "unmap_ns", PER_IO, MK_TIME, AVG_AMEAN, MP_COMPARE, NULL,
	  "module time unmapping (zap + TLB flush), per I/O" },
	{ "copy_ns_per_io", "Copy time per I/O", "ns", false, MS_MODULE,
	  "copy_ns", PER_IO, MK_TIME, AVG_AMEAN, 0, NULL,
	  "module time copying, per I/O" },
	COUNT_PER_IO("ctx_switches_per_io", "Context switches per I/O", MS_PERF,
		     "context_switches", MK_NOISY_COUNT, "context switches"),
	COUNT_PER_IO("page_faults_per_io", "Page faults per I/O", MS_PERF,
		     "page_faults", MK_NOISY_COUNT, "page faults"),
	COUNT_PER_IO("cycles_per_io", "Cycles per I/O", MS_PERF, "cycles",
		     MK_NOISY_COUNT, "CPU cycles (PMU)"),
	COUNT_PER_IO("instructions_per_io", "Instructions per I/O", MS_PERF,
		     "instructions", MK_NOISY_COUNT, "instructions (PMU)"),
	COUNT_PER_IO("dtlb_load_misses_per_io", "dTLB load misses per I/O",
		     MS_PERF, "dtlb_load_misses", MK_NOISY_COUNT,
		     "dTLB load misses (PMU)"),
	COUNT_PER_IO("itlb_load_misses_per_io", "iTLB load misses per I/O",
		     MS_PERF, "itlb_load_misses", MK_NOISY_COUNT,
		     "iTLB load misses (PMU)"),
	{ "tlb_flushes_per_io", "TLB flushes per I/O", "", false, MS_PERF,
	  "tlb_flush_all", PER_IO, MK_NOISY_COUNT, AVG_AMEAN, ALL, "tlb",
	  "tlb:tlb_flush events, all reasons" },
	COUNT_PER_IO("tlb_shootdowns_per_io", "TLB shootdowns per I/O", MS_PERF,
		     "tlb_flush_local_shootdown+tlb_flush_local_mm_shootdown+"
		     "tlb_flush_remote_send_ipi", MK_NOISY_COUNT,
		     "TLB flushes done to unmap (local, local mm, remote IPIs sent): "
		     "tlb_flushes_per_io without task switches"),
	/* enum tlb_flush_reason (6.1 include/linux/mm_types.h, arch/x86/mm/tlb.c). */
	COUNT_PER_IO("tlb_task_switch_per_io", "Task-switch TLB flushes per I/O",
		     MS_PERF, "tlb_flush_task_switch", MK_NOISY_COUNT,
		     "TLB flushes on a task switch (reason 0)"),
	COUNT_PER_IO("tlb_remote_shootdown_per_io",
		     "TLB flushes on a shootdown IPI per I/O", MS_PERF,
		     "tlb_flush_remote_shootdown", MK_NOISY_COUNT,
		     "TLB flushes done on receiving a shootdown IPI (reason 1)"),
	COUNT_PER_IO("tlb_local_shootdown_per_io",
		     "Local kernel TLB flushes per I/O", MS_PERF,
		     "tlb_flush_local_shootdown", MK_NOISY_COUNT,
		     "local flushes with no mm: kernel ranges, flush_tlb_all (reason 2)"),
	COUNT_PER_IO("tlb_local_mm_shootdown_per_io",
		     "Local mm TLB flushes per I/O", MS_PERF,
		     "tlb_flush_local_mm_shootdown", MK_NOISY_COUNT,
		     "local flushes of a process's mm: a page range or all of it (reason 3)"),
	{ "tlb_local_mm_per_req", "Local mm TLB flushes per request", "", false,
	  MS_PERF, "tlb_flush_local_mm_shootdown", PER_REQ, MK_NOISY_COUNT,
	  AVG_AMEAN, MP_REPORT | MP_COMPARE, NULL,
	  "local flushes of a process's mm per device request: a zero-copy "
	  "mode's own unmap flush is 1 (reason 3)" },
	COUNT_PER_IO("tlb_remote_send_ipi_per_io", "TLB shootdown IPIs sent per I/O",
		     MS_PERF, "tlb_flush_remote_send_ipi", MK_NOISY_COUNT,
		     "TLB flushes that sent shootdown IPIs to other CPUs (reason 4)"),
	{ "shootdown_irqs_per_io", "Shootdown IPIs per I/O", "", false,
	  MS_SYSTEM, "tlb_shootdown_irqs", PER_IO, MK_NOISY_COUNT, AVG_AMEAN,
	  MP_COMPARE | MP_HISTORY, NULL,
	  "TLB shootdown interrupts received (/proc/interrupts)" },
	/* Per device request: what one map/unmap round costs the TLB. */
	{ "zap_calls_per_req", "Unmap TLB flushes per request (module)", "",
	  false, MS_MODULE, "zap_calls", PER_REQ, MK_EXACT, AVG_AMEAN,
	  MP_REPORT | MP_COMPARE, NULL,
	  "slot unmaps the module did, one zap and one TLB flush each, per "
	  "device request: 1 in a zero-copy mode, 0 in copy" },
	/* Why a mode batches: a fetch takes every request pending, so the
	 * longer a mode's fetch and commit, the more wait for the next one.
	 */
	{ "fetch_calls_per_req", "Fetch ioctls per request (module)", "",
	  false, MS_MODULE, "fetch_calls", PER_REQ, MK_NOISY_COUNT, AVG_AMEAN,
	  MP_REPORT | MP_COMPARE, NULL,
	  "UBMAP_IOC_COMMIT_FETCH calls per device request: 1 when the "
	  "backend finds one request each time, 1/N when it fetches N" },
	{ "tlb_task_switch_per_req", "Task-switch TLB flushes per request", "",
	  false, MS_PERF, "tlb_flush_task_switch", PER_REQ, MK_NOISY_COUNT,
	  AVG_AMEAN, 0, NULL,
	  "TLB flushes on a task switch per device request (reason 0)" },
	{ "tlb_remote_send_ipi_per_req", "Shootdown IPIs sent per request", "",
	  false, MS_PERF, "tlb_flush_remote_send_ipi", PER_REQ, MK_NOISY_COUNT,
	  AVG_AMEAN, MP_REPORT | MP_COMPARE, NULL,
	  "TLB flushes that sent shootdown IPIs per device request (reason 4)" },
	{ "shootdown_irqs_per_req", "Shootdown IPIs received per request", "",
	  false, MS_SYSTEM, "tlb_shootdown_irqs", PER_REQ, MK_NOISY_COUNT,
	  AVG_AMEAN, MP_REPORT | MP_COMPARE, NULL,
	  "TLB shootdown interrupts received (/proc/interrupts) per device "
	  "request" },
	COUNT_PER_IO("dev_reqs_per_io", "Device requests per I/O", MS_MODULE,
		     "reads+writes", MK_EXACT_DIRECT, "requests the device served"),
	{ "dev_writes_per_read_io", "Device writes per read I/O", "", false,
	  MS_MODULE, "writes", PER_READ_IO, MK_EXACT_DIRECT, AVG_AMEAN,
	  MP_COMPARE, NULL,
	  "write requests the device served per fio read, in cells that only "
	  "read: write-back of READ pages (written back before the cell's "
	  "counters are read)" },
	{ "map_calls_per_io", "Map calls per I/O", "", false, MS_MODULE,
	  "map_calls", PER_IO, MK_EXACT_DIRECT, AVG_AMEAN,
	  MP_REPORT | MP_COMPARE | MP_HISTORY, NULL,
	  "module calls into the mm to map" },
	{ "pages_per_io", "Pages mapped per I/O", "", false, MS_MODULE,
	  "pages_mapped", PER_IO, MK_EXACT_DIRECT, AVG_AMEAN, MP_COMPARE, NULL,
	  "request pages mapped into the window" },
	{ "copy_bytes_per_io", "Bytes copied per I/O", "B", false, MS_MODULE,
	  "copy_bytes", PER_IO, MK_EXACT_DIRECT, AVG_AMEAN, MP_COMPARE, NULL,
	  "bytes the module copied, per I/O" },
	{ "fallback_pct", "Fallback to copy", "%", false, MS_MODULE,
	  "fallback_*", PER_REQ_PCT, MK_EXACT, AVG_AMEAN,
	  MP_REPORT | MP_COMPARE | MP_HISTORY, NULL,
	  "device requests that fell back to a copy" },
};

const unsigned int nr_metrics = ARRAY_SIZE(metrics);
_Static_assert(ARRAY_SIZE(metrics) <= METRICS_MAX, "raise METRICS_MAX");

int metric_find(const char *name)
{
	for (unsigned int i = 0; i < nr_metrics; i++)
		if (!strcmp(metrics[i].name, name))
			return i;
	return -1;
}

const char *avg_name(enum avg_kind a)
{
	return a == AVG_HMEAN ? "Hmean" : "Amean";
}

bool metric_is_timing(const struct metric *m)
{
	return m->kind == MK_THROUGHPUT || m->kind == MK_TIME;
}

bool metric_is_report_tested(const struct metric *m)
{
	return (m->places & MP_REPORT) && metric_is_timing(m);
}

bool mode_calls_follow_layout(const char *mode)
{
	/* One remap_pfn_range() call per physically contiguous run: how many
	 * depends on where the allocator put fio's buffers, run to run (a 1 MiB
	 * buffer took 203 calls in one profiled run and 16 in the next).
	 */
	return mode && !strcmp(mode, "remap_pfn_range");
}

bool insn_gated(int g, const char *mode)
{
	if (!insn_group_gated(g))
		return false;
	/* The module's code and the zap follow the calls too. */
	return !(mode_calls_follow_layout(mode) &&
		 (g == INSN_G_MAP || g == INSN_G_UNMAP || g == INSN_G_UBMAP));
}

bool metric_is_exact(const struct metric *m, const char *io, const char *mode)
{
	if (m->kind == MK_EXACT)
		return true;
	if (!strcmp(m->name, "map_calls_per_io") && mode_calls_follow_layout(mode))
		return false;
	return m->kind == MK_EXACT_DIRECT && io && !strcmp(io, "direct");
}

void metric_heading(const struct metric *m, char *buf, unsigned int len)
{
	if (m->unit[0])
		snprintf(buf, len, "%s (%s, %s is better)", m->title, m->unit,
			 m->higher_is_better ? "higher" : "lower");
	else
		snprintf(buf, len, "%s (%s is better)", m->title,
			 m->higher_is_better ? "higher" : "lower");
}

static const char *const src_name[] = {
	[MS_FIO] = "fio", [MS_PERF] = "perf", [MS_SYSTEM] = "system",
	[MS_MODULE] = "module",
};
static const char *const per_name[] = {
	[PER_NONE] = "none", [PER_IO] = "io", [PER_REQ] = "request",
	[PER_REQ_PCT] = "request_pct", [PER_READ_IO] = "read_io",
};
static const char *const kind_name[] = {
	[MK_THROUGHPUT] = "throughput", [MK_TIME] = "time",
	[MK_NOISY_COUNT] = "noisy_count", [MK_EXACT] = "exact",
	[MK_EXACT_DIRECT] = "exact_direct",
};

json_t *metrics_describe(void)
{
	json_t *a = json_array();

	for (unsigned int i = 0; i < nr_metrics; i++) {
		const struct metric *m = &metrics[i];

		json_array_append_new(a, json_pack(
			"{s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:b, s:s, s:s, s:s}",
			"name", m->name, "title", m->title, "unit", m->unit,
			"higher_is_better", m->higher_is_better,
			"source", src_name[m->src], "counters", m->key,
			"per", per_name[m->per], "per_io", m->per == PER_IO,
			"kind", kind_name[m->kind], "average", avg_name(m->avg),
			"help", m->help));
	}
	return a;
}
