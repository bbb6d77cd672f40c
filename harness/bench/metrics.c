// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <string.h>
#include <linux/ubmap.h>

#include "metrics.h"
#include "util.h"

#define PER_IO(n, src, ...)	{ n, "", false, src, __VA_ARGS__ }

const struct metric metrics[] = {
	{ "iops", "IO/s", true, MS_FIO_IOPS, 0, NULL, "I/Os per second (fio)" },
	{ "bw_mib_s", "MiB/s", true, MS_FIO_BW, 0, NULL, "bandwidth (fio)" },
	{ "clat_mean_us", "us", false, MS_FIO_CLAT, 0, NULL, "completion latency, mean" },
	{ "clat_p50_us", "us", false, MS_FIO_CLAT, 500, NULL, "completion latency, median" },
	{ "clat_p99_us", "us", false, MS_FIO_CLAT, 990, NULL, "completion latency, 99th percentile" },
	{ "clat_p999_us", "us", false, MS_FIO_CLAT, 999, NULL, "completion latency, 99.9th percentile" },
	{ "cpu_us_per_io", "us", false, MS_CPU, 0, NULL,
	  "busy CPU time of all CPUs (/proc/stat) per I/O" },
	PER_IO("ctx_switches_per_io", MS_PERF, PE_CONTEXT_SWITCHES, NULL, "context switches"),
	PER_IO("page_faults_per_io", MS_PERF, PE_PAGE_FAULTS, NULL, "page faults"),
	PER_IO("cycles_per_io", MS_PERF, PE_CYCLES, NULL, "CPU cycles (PMU)"),
	PER_IO("instructions_per_io", MS_PERF, PE_INSTRUCTIONS, NULL, "instructions (PMU)"),
	PER_IO("dtlb_load_misses_per_io", MS_PERF, PE_DTLB_LOAD_MISSES, NULL, "dTLB load misses (PMU)"),
	PER_IO("itlb_load_misses_per_io", MS_PERF, PE_ITLB_LOAD_MISSES, NULL, "iTLB load misses (PMU)"),
	PER_IO("tlb_flushes_per_io", MS_PERF, PE_TLB_ALL, NULL, "tlb:tlb_flush events, all reasons"),
	PER_IO("tlb_shootdowns_per_io", MS_SHOOTDOWNS, 0, NULL,
	       "TLB flushes done to unmap (local, local mm, remote IPIs sent): "
	       "tlb_flushes_per_io without task switches"),
	PER_IO("tlb_task_switch_per_io", MS_PERF, PE_TLB_TASK_SWITCH, NULL,
	       "TLB flushes on a task switch"),
	PER_IO("tlb_remote_shootdown_per_io", MS_PERF, PE_TLB_REMOTE_SHOOTDOWN, NULL,
	       "TLB flushes done on receiving a shootdown IPI"),
	PER_IO("tlb_local_shootdown_per_io", MS_PERF, PE_TLB_LOCAL_SHOOTDOWN, NULL,
	       "local TLB shootdowns (page range)"),
	PER_IO("tlb_local_mm_shootdown_per_io", MS_PERF, PE_TLB_LOCAL_MM_SHOOTDOWN, NULL,
	       "local TLB shootdowns (whole mm)"),
	PER_IO("tlb_remote_send_ipi_per_io", MS_PERF, PE_TLB_REMOTE_SEND_IPI, NULL,
	       "TLB shootdown IPIs sent (tracepoint)"),
	PER_IO("shootdown_irqs_per_io", MS_IRQ, 0, NULL,
	       "TLB shootdown interrupts received (/proc/interrupts)"),
	PER_IO("dev_reqs_per_io", MS_DEV_REQS, 0, NULL, "requests the device served"),
	PER_IO("map_calls_per_io", MS_MOD, 0, "map_calls", "module calls into the mm to map"),
	PER_IO("pages_per_io", MS_MOD, 0, "pages_mapped", "request pages mapped into the window"),
	{ "map_ns_per_io", "ns", false, MS_MOD, 0, "map_ns", "module time mapping, per I/O" },
	{ "unmap_ns_per_io", "ns", false, MS_MOD, 0, "unmap_ns",
	  "module time unmapping (zap + TLB flush), per I/O" },
	{ "copy_ns_per_io", "ns", false, MS_MOD, 0, "copy_ns", "module time copying, per I/O" },
	{ "copy_bytes_per_io", "B", false, MS_MOD, 0, "copy_bytes", "bytes the module copied, per I/O" },
	{ "fallback_pct", "%", false, MS_FALLBACK, 0, NULL,
	  "device requests that fell back to a copy" },
};

const unsigned int nr_metrics = ARRAY_SIZE(metrics);
_Static_assert(ARRAY_SIZE(metrics) <= METRICS_MAX, "raise METRICS_MAX");

/* NAN, not inf or 0, when there is nothing to divide by. */
static double per(double v, double n)
{
	return n > 0 && !isnan(v) ? v / n : NAN;
}

static double mod(const struct metric_in *in, const char *key)
{
	return in->mod ? kv_get(in->mod, key) : NAN;
}

/*
 * Requests that went through the copy in a zero-copy mode, by any reason
 * (UBMAP_STATS_KEYS).  A module without a reason's counter (older than
 * the reason) never fell back for it.
 */
static double fallbacks(const struct metric_in *in)
{
#define FB_KEY(n) "fallback_" #n,
	static const char *const keys[] = { UBMAP_FALLBACKS(FB_KEY) };
	double n = 0;

	if (!in->mod)
		return NAN;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		double v = kv_get(in->mod, keys[i]);

		if (!isnan(v))
			n += v;
	}
	return n;
}

static double dev_reqs(const struct metric_in *in)
{
	return mod(in, "reads") + mod(in, "writes");
}

/* Mixed patterns: the latency of the direction that did more I/O. */
static double clat_us(const struct fio_result *f, int arg)
{
	const struct fio_dir *d = f->dir[FIO_WRITE].ios > f->dir[FIO_READ].ios ?
				  &f->dir[FIO_WRITE] : &f->dir[FIO_READ];

	switch (arg) {
	case 500:
		return d->clat_p50_ns / 1e3;
	case 990:
		return d->clat_p99_ns / 1e3;
	case 999:
		return d->clat_p999_ns / 1e3;
	default:
		return d->clat_mean_ns / 1e3;
	}
}

static double metric_get(const struct metric *m, const struct metric_in *in)
{
	double ios = (double)in->fio->total_ios;

	switch (m->src) {
	case MS_FIO_IOPS:
		return in->fio->iops;
	case MS_FIO_BW:
		return in->fio->bw_bytes / (1 << 20);
	case MS_FIO_CLAT:
		return clat_us(in->fio, m->arg);
	case MS_CPU:
		return per(in->cpu_busy_us, ios);
	case MS_PERF:
		return per(in->perf[m->arg], ios);
	case MS_IRQ:
		return per(in->tlb_irqs, ios);
	case MS_MOD:
		return per(mod(in, m->key), ios);
	case MS_DEV_REQS:
		return per(dev_reqs(in), ios);
	case MS_SHOOTDOWNS:
		return per(in->perf[PE_TLB_LOCAL_SHOOTDOWN] +
			   in->perf[PE_TLB_LOCAL_MM_SHOOTDOWN] +
			   in->perf[PE_TLB_REMOTE_SEND_IPI], ios);
	case MS_FALLBACK:
		return per(100 * fallbacks(in), dev_reqs(in));
	}
	return NAN;
}

void metrics_compute(const struct metric_in *in, double *out)
{
	for (unsigned int i = 0; i < nr_metrics; i++)
		out[i] = metric_get(&metrics[i], in);
}

int metric_find(const char *name)
{
	for (unsigned int i = 0; i < nr_metrics; i++)
		if (!strcmp(metrics[i].name, name))
			return i;
	return -1;
}
