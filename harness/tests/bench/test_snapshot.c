// SPDX-License-Identifier: GPL-2.0
/* The counter files: module stats, /proc/stat, /proc/interrupts, kmsg text. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_tests.h"
#include "snapshot.h"

static void test_module_stats(void **state)
{
	char *text = fixture("proc/ubmap-stats-remap.txt");
	struct kv kv;

	(void)state;
	assert_int_equal(kv_parse(text, &kv), 0);
	/* Every UBMAP_STATS_KEYS counter, then the inflight gauge. */
	assert_int_equal(kv.n, 23);
	assert_near(kv_get(&kv, "reads"), 100, 0);
	assert_near(kv_get(&kv, "pages_mapped"), 1700, 0);
	assert_near(kv_get(&kv, "map_ns"), 25499177, 0);
	assert_near(kv_get(&kv, "fetch_calls"), 202, 0);
	assert_near(kv_get(&kv, "inflight"), 0, 0);
	assert_true(isnan(kv_get(&kv, "no_such_key")));
	free(text);
}

static void test_delta(void **state)
{
	struct kv before, after, d;

	(void)state;
	kv_parse("reads 10\nmap_ns 1000\ninflight 3\n", &before);
	kv_parse("reads 25\nmap_ns 4000\ninflight 1\nnew_counter 5\n", &after);
	kv_delta(&after, &before, &d);
	assert_near(kv_get(&d, "reads"), 15, 0);
	assert_near(kv_get(&d, "map_ns"), 3000, 0);
	/* A gauge is its value now, not a difference. */
	assert_near(kv_get(&d, "inflight"), 1, 0);
	assert_near(kv_get(&d, "new_counter"), 5, 0);
	assert_true(ubmap_stat_is_counter("fallback_anon_page"));
	assert_false(ubmap_stat_is_counter("inflight"));
}

static void test_proc_stat(void **state)
{
	char *text = fixture("proc/stat-guest.txt");
	struct cpu_times a, b;
	long hz = sysconf(_SC_CLK_TCK);

	(void)state;
	assert_int_equal(proc_stat_parse(text, &a), 0);
	/* cpu  60 0 623 557 21 0 54 0 0 0 */
	assert_int_equal(a.t[CPU_USER], 60);
	assert_int_equal(a.t[CPU_SYSTEM], 623);
	assert_int_equal(a.t[CPU_IDLE], 557);
	assert_int_equal(a.t[CPU_IOWAIT], 21);
	assert_int_equal(a.t[CPU_SOFTIRQ], 54);
	b = a;
	b.t[CPU_USER] += 10;
	b.t[CPU_SYSTEM] += 20;
	b.t[CPU_SOFTIRQ] += 5;
	b.t[CPU_IDLE] += 100;	/* idle and iowait are not busy */
	b.t[CPU_IOWAIT] += 7;
	assert_near(cpu_busy_us(&a, &b), 35 * 1e6 / hz, 1e-6);
	assert_int_equal(proc_stat_parse("intr 1 2 3\n", &a), -1);
	free(text);
}

static void test_interrupts(void **state)
{
	char *text = fixture("proc/interrupts-guest.txt");
	double sum = -1;

	(void)state;
	/* "TLB:          3          3   TLB shootdowns" */
	assert_int_equal(interrupts_row_sum(text, "TLB", &sum), 0);
	assert_near(sum, 6, 0);
	assert_int_equal(interrupts_row_sum(text, "CAL", &sum), 0);
	assert_near(sum, 1503 + 424, 0);
	assert_int_equal(interrupts_row_sum(text, "XYZ", &sum), -1);
	free(text);
}

static void test_klog_count(void **state)
{
	struct klog_counts c = { 0 };

	(void)state;
	klog_count("ubmap: ubmap0: backend 134 attached, mode mkspecial", &c);
	klog_count("WARNING: CPU: 1 PID: 130 at mm/page-writeback.c:2659 __folio_mark_dirty+0x1a9/0x1c0", &c);
	klog_count("WARNING: CPU: 0 PID: 7 at kmods/ubmap/ring.c:10 ubmap_prepare+0x1/0x2 [ubmap]", &c);
	klog_count("BUG: kernel NULL pointer dereference, address: 0000000000000008", &c);
	klog_count("Oops: 0000 [#1] PREEMPT SMP PTI", &c);
	klog_count("general protection fault, probably for non-canonical address", &c);
	assert_int_equal(c.lines, 6);
	assert_int_equal(c.warn, 2);
	assert_int_equal(c.warn_known, 1);
	assert_int_equal(c.bug, 1);
	assert_int_equal(c.oops, 2);
}

int run_snapshot_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module_stats),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_proc_stat),
		cmocka_unit_test(test_interrupts),
		cmocka_unit_test(test_klog_count),
	};

	return cmocka_run_group_tests_name("snapshot", tests, NULL, NULL);
}
