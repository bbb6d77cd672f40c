// SPDX-License-Identifier: GPL-2.0
/* Derived per-I/O figures from known inputs. */
#include <math.h>
#include <string.h>

#include "bench_tests.h"
#include "metrics.h"
#include "perf.h"

static double get(const double *out, const char *name)
{
	int i = metric_find(name);

	if (i < 0)
		fail_msg("no metric %s", name);
	return out[i];
}

static void setup_inputs(struct fio_result *f, double *perf, struct kv *mod)
{
	memset(f, 0, sizeof(*f));
	f->dir[FIO_READ].ios = 750;
	f->dir[FIO_WRITE].ios = 250;
	f->total_ios = 1000;
	f->iops = 500;
	f->bw_bytes = 2 * (1 << 20);
	f->dir[FIO_READ].clat_p99_ns = 80000;
	f->dir[FIO_WRITE].clat_p99_ns = 90000;
	f->dir[FIO_READ].clat_mean_ns = 12345;
	for (int i = 0; i < PE_COUNT; i++)
		perf[i] = NAN;
	perf[PE_CONTEXT_SWITCHES] = 3000;
	perf[PE_TLB_TASK_SWITCH] = 100;
	perf[PE_TLB_LOCAL_MM_SHOOTDOWN] = 2000;
	perf[PE_TLB_REMOTE_SEND_IPI] = 500;
	perf[PE_TLB_REMOTE_SHOOTDOWN] = 0;
	perf[PE_TLB_LOCAL_SHOOTDOWN] = 0;
	perf[PE_TLB_ALL] = 2600;
	kv_parse("reads 700\nwrites 300\npages_mapped 16000\nmap_calls 1000\n"
		 "map_ns 2000000\nunmap_ns 3000000\ncopy_ns 0\ncopy_bytes 4096000\n"
		 "fallback_unaligned 10\nfallback_anon_page 40\n"
		 "fallback_refused_page 0\nfallback_map_error 0\n", mod);
}

/* The "system" section: busy CPU time and TLB shootdown interrupts. */
static void system_kv(struct kv *s, double busy_us, double tlb_irqs)
{
	s->n = 0;
	kv_add(s, "cpu_busy_us", busy_us);
	kv_add(s, "tlb_shootdown_irqs", tlb_irqs);
}

/* One cell's inputs: setup_inputs()'s, every section wired into in. */
struct inputs {
	struct fio_result f;
	double perf[PE_COUNT], out[METRICS_MAX];
	struct kv mod, pk, sys;
	struct metric_in in;
};

static void inputs_init(struct inputs *x, double busy_us, double tlb_irqs)
{
	setup_inputs(&x->f, x->perf, &x->mod);
	perf_to_kv(x->perf, &x->pk);
	system_kv(&x->sys, busy_us, tlb_irqs);
	x->in = (struct metric_in){ .fio = &x->f, .perf = &x->pk,
				    .system = &x->sys, .module = &x->mod };
}

static void test_per_io(void **state)
{
	struct inputs x;

	(void)state;
	inputs_init(&x, 250000, 400);
	metrics_compute(&x.in, x.out);
	assert_near(get(x.out, "iops"), 500, 0);
	assert_near(get(x.out, "bw_mib_s"), 2, 1e-12);
	/* More reads than writes: the read side's latency. */
	assert_near(get(x.out, "clat_p99_us"), 80, 1e-12);
	assert_near(get(x.out, "clat_mean_us"), 12.345, 1e-12);
	assert_near(get(x.out, "cpu_us_per_io"), 250, 1e-12);
	assert_near(get(x.out, "ctx_switches_per_io"), 3, 1e-12);
	assert_near(get(x.out, "tlb_flushes_per_io"), 2.6, 1e-12);
	assert_near(get(x.out, "tlb_task_switch_per_io"), 0.1, 1e-12);
	/* What unmapping costs: everything but the task switches. */
	assert_near(get(x.out, "tlb_shootdowns_per_io"), 2.5, 1e-12);
	assert_near(get(x.out, "tlb_local_mm_shootdown_per_io"), 2, 1e-12);
	assert_near(get(x.out, "tlb_remote_send_ipi_per_io"), 0.5, 1e-12);
	assert_near(get(x.out, "tlb_remote_shootdown_per_io"), 0, 0);
	assert_near(get(x.out, "shootdown_irqs_per_io"), 0.4, 1e-12);
	assert_near(get(x.out, "dev_reqs_per_io"), 1, 1e-12);
	assert_near(get(x.out, "map_calls_per_io"), 1, 1e-12);
	assert_near(get(x.out, "pages_per_io"), 16, 1e-12);
	assert_near(get(x.out, "map_ns_per_io"), 2000, 1e-9);
	assert_near(get(x.out, "unmap_ns_per_io"), 3000, 1e-9);
	assert_near(get(x.out, "copy_ns_per_io"), 0, 0);
	assert_near(get(x.out, "copy_bytes_per_io"), 4096, 1e-9);
	/* 50 fallbacks out of 1000 device requests. */
	assert_near(get(x.out, "fallback_pct"), 5, 1e-12);
	/* No PMU: unavailable, not 0. */
	assert_true(isnan(get(x.out, "cycles_per_io")));
	assert_true(isnan(get(x.out, "dtlb_load_misses_per_io")));
}

/* Per device request, not per fio I/O: the page cache merges and splits. */
static void test_per_request(void **state)
{
	struct inputs x;

	(void)state;
	inputs_init(&x, 0, 250);
	kv_parse("reads 400\nwrites 100\nzap_calls 500\n", &x.mod);
	metrics_compute(&x.in, x.out);
	/* 2000 local-mm flushes: 2 per I/O, 4 per request. */
	assert_near(get(x.out, "tlb_local_mm_shootdown_per_io"), 2, 1e-12);
	assert_near(get(x.out, "tlb_local_mm_per_req"), 4, 1e-12);
	/* The module's own count: one zap per request mapped. */
	assert_near(get(x.out, "zap_calls_per_req"), 1, 1e-12);
	assert_near(get(x.out, "tlb_task_switch_per_req"), 0.2, 1e-12);
	/* IPIs sent (perf reason 4) and received (/proc/interrupts). */
	assert_near(get(x.out, "tlb_remote_send_ipi_per_req"), 1, 1e-12);
	assert_near(get(x.out, "shootdown_irqs_per_req"), 0.5, 1e-12);
	x.in.module = NULL;
	metrics_compute(&x.in, x.out);
	assert_true(isnan(get(x.out, "tlb_local_mm_per_req")));
	assert_true(isnan(get(x.out, "zap_calls_per_req")));
	assert_true(isnan(get(x.out, "shootdown_irqs_per_req")));
}

/* fio's and ubmapd's shares of the busy time, per I/O. */
static void test_cpu_split(void **state)
{
	struct inputs x;

	(void)state;
	inputs_init(&x, 250000, 0);
	kv_add(&x.sys, "cpu_fio_us", 100000);
	kv_add(&x.sys, "cpu_backend_us", 120000);
	kv_add(&x.sys, "cpu_other_us", 30000);
	metrics_compute(&x.in, x.out);
	assert_near(get(x.out, "cpu_us_per_io"), 250, 1e-12);
	assert_near(get(x.out, "cpu_fio_us_per_io"), 100, 1e-12);
	assert_near(get(x.out, "cpu_backend_us_per_io"), 120, 1e-12);
	assert_near(get(x.out, "cpu_other_us_per_io"), 30, 1e-12);
	/* An older record: no split, not 0. */
	system_kv(&x.sys, 250000, 0);
	metrics_compute(&x.in, x.out);
	assert_true(isnan(get(x.out, "cpu_fio_us_per_io")));
	assert_near(get(x.out, "cpu_us_per_io"), 250, 1e-12);
}

/* Write-back a read cell caused, per fio read; only cells that only read. */
static void test_writes_per_read(void **state)
{
	struct inputs x;

	(void)state;
	inputs_init(&x, 0, 0);
	metrics_compute(&x.in, x.out);
	/* 250 fio writes: the device's writes are fio's own, not write-back. */
	assert_true(isnan(get(x.out, "dev_writes_per_read_io")));
	x.f.dir[FIO_WRITE].ios = 0;
	x.f.total_ios = x.f.dir[FIO_READ].ios = 600;
	metrics_compute(&x.in, x.out);
	assert_near(get(x.out, "dev_writes_per_read_io"), 0.5, 1e-12);
	kv_parse("reads 600\nwrites 0\n", &x.mod);
	metrics_compute(&x.in, x.out);
	assert_near(get(x.out, "dev_writes_per_read_io"), 0, 0);
	x.f.total_ios = x.f.dir[FIO_READ].ios = 0;
	metrics_compute(&x.in, x.out);
	assert_true(isnan(get(x.out, "dev_writes_per_read_io")));
}

static void test_unavailable(void **state)
{
	struct inputs x;

	(void)state;
	inputs_init(&x, NAN, NAN);
	x.in.module = NULL;
	metrics_compute(&x.in, x.out);
	assert_true(isnan(get(x.out, "cpu_us_per_io")));
	assert_true(isnan(get(x.out, "shootdown_irqs_per_io")));
	assert_true(isnan(get(x.out, "pages_per_io")));
	assert_true(isnan(get(x.out, "fallback_pct")));
	/* No I/O: nothing per I/O, rather than a division by zero. */
	x.f.total_ios = 0;
	x.in.module = &x.mod;
	system_kv(&x.sys, 1000, NAN);
	metrics_compute(&x.in, x.out);
	assert_true(isnan(get(x.out, "cpu_us_per_io")));
	assert_true(isnan(get(x.out, "tlb_flushes_per_io")));
	assert_true(isnan(get(x.out, "map_calls_per_io")));
}

static void test_table(void **state)
{
	(void)state;
	assert_true(nr_metrics <= METRICS_MAX);
	for (unsigned int i = 0; i < nr_metrics; i++) {
		assert_int_equal(metric_find(metrics[i].name), i);
		assert_non_null(metrics[i].help);
	}
	assert_true(metrics[metric_find("iops")].higher_is_better);
	assert_false(metrics[metric_find("cpu_us_per_io")].higher_is_better);
	assert_int_equal(metric_find("nonsense"), -1);
}

int run_metrics_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_io),
		cmocka_unit_test(test_per_request),
		cmocka_unit_test(test_cpu_split),
		cmocka_unit_test(test_writes_per_read),
		cmocka_unit_test(test_unavailable),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
