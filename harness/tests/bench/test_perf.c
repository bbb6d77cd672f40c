// SPDX-License-Identifier: GPL-2.0
/* perf stat -x, output from real perf 6.1 runs (fixtures/perf). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench_tests.h"
#include "perf.h"

/* The fixtures were recorded without cpu-migrations and dTLB-store-misses. */
#define HOST_MASK (PERF_ALL_EVENTS & ~(1U << PE_CPU_MIGRATIONS) & \
		   ~(1U << PE_DTLB_STORE_MISSES))

static void parse(const char *name, unsigned int mask, double *v)
{
	char path[128], err[ERR_LEN], *text;

	snprintf(path, sizeof(path), "perf/%s", name);
	text = fixture(path);
	if (perf_parse(text, mask, v, err))
		fail_msg("%s: %s", name, err);
	free(text);
}

static void test_guest_tcg(void **state)
{
	double v[PE_COUNT];

	(void)state;
	/* What the harness asks for in the guest: every event. */
	parse("guest-tcg-mkspecial-4k.csv", PERF_ALL_EVENTS, v);
	assert_near(v[PE_TASK_CLOCK], 9124.11, 1e-9);
	assert_near(v[PE_CONTEXT_SWITCHES], 15273, 0);
	assert_near(v[PE_PAGE_FAULTS], 3173, 0);
	assert_near(v[PE_CPU_MIGRATIONS], 80, 0);
	/* No PMU under TCG: unavailable, never 0. */
	assert_true(isnan(v[PE_CYCLES]));
	assert_true(isnan(v[PE_INSTRUCTIONS]));
	assert_true(isnan(v[PE_DTLB_LOAD_MISSES]));
	assert_true(isnan(v[PE_DTLB_STORE_MISSES]));
	assert_true(isnan(v[PE_ITLB_LOAD_MISSES]));
	assert_near(v[PE_TLB_TASK_SWITCH], 11741, 0);
	assert_near(v[PE_TLB_REMOTE_SHOOTDOWN], 2, 0);
	assert_near(v[PE_TLB_LOCAL_SHOOTDOWN], 0, 0);
	assert_near(v[PE_TLB_LOCAL_MM_SHOOTDOWN], 6648, 0);
	assert_near(v[PE_TLB_REMOTE_SEND_IPI], 433, 0);
	assert_near(v[PE_TLB_ALL], 18824, 0);
	/* The filtered counters split the unfiltered one. */
	assert_near(v[PE_TLB_TASK_SWITCH] + v[PE_TLB_REMOTE_SHOOTDOWN] +
		    v[PE_TLB_LOCAL_SHOOTDOWN] + v[PE_TLB_LOCAL_MM_SHOOTDOWN] +
		    v[PE_TLB_REMOTE_SEND_IPI], v[PE_TLB_ALL], 0);
}

static void test_not_supported(void **state)
{
	double v[PE_COUNT];

	(void)state;
	parse("host-not-supported.csv", HOST_MASK, v);
	assert_near(v[PE_TASK_CLOCK], 617.35, 1e-9);
	assert_near(v[PE_CONTEXT_SWITCHES], 1427, 0);
	assert_true(isnan(v[PE_CYCLES]));
	assert_true(isnan(v[PE_ITLB_LOAD_MISSES]));
	/* Not asked for: unavailable too. */
	assert_true(isnan(v[PE_CPU_MIGRATIONS]));
	assert_near(v[PE_TLB_TASK_SWITCH], 402, 0);
	assert_near(v[PE_TLB_LOCAL_MM_SHOOTDOWN], 11, 0);
	assert_near(v[PE_TLB_REMOTE_SEND_IPI], 2, 0);
	assert_near(v[PE_TLB_ALL], 416, 0);
}

static void test_not_counted(void **state)
{
	double v[PE_COUNT];

	(void)state;
	/* perf stat -D longer than the workload: nothing was enabled. */
	parse("host-not-counted.csv", HOST_MASK, v);
	for (int i = 0; i < PE_COUNT; i++)
		if (!isnan(v[i]))
			fail_msg("%s = %g, want unavailable", perf_events[i].key, v[i]);
}

static void test_no_tracepoints(void **state)
{
	static const char csv[] =
		"# started on Mon Nov 23 14:40:42 2026\n\n"
		"617.35,msec,task-clock,617345363,100.00,2.000,CPUs utilized\n";
	double v[PE_COUNT];
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(perf_parse(csv, 1U << PE_TASK_CLOCK, v, err), 0);
	assert_near(v[PE_TASK_CLOCK], 617.35, 1e-9);
	assert_true(isnan(v[PE_TLB_ALL]));
}

static void test_hybrid_pmu(void **state)
{
	/* Hybrid CPUs print a hardware event once per PMU: we sum them. */
	static const char csv[] =
		"1000,,cpu_core/cycles/,100,100.00,,\n"
		"500,,cpu_atom/cycles/,100,100.00,,\n"
		"<not counted>,,cpu_core/instructions/,0,100.00,,\n"
		"70,,cpu_atom/instructions/,100,100.00,,\n";
	double v[PE_COUNT];
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(perf_parse(csv, 1U << PE_CYCLES | 1U << PE_INSTRUCTIONS,
				    v, err), 0);
	assert_near(v[PE_CYCLES], 1500, 0);
	assert_near(v[PE_INSTRUCTIONS], 70, 0);
}

static void test_mismatch(void **state)
{
	double v[PE_COUNT];
	char err[ERR_LEN], *text = fixture("perf/guest-tcg-mkspecial-4k.csv");

	(void)state;
	/* Fewer events asked for than perf printed. */
	assert_int_equal(perf_parse(text, 1U << PE_TASK_CLOCK, v, err), -1);
	assert_non_null(strstr(err, "event 'context-switches', expected 'none'"));
	/* More asked for than printed: a truncated file. */
	assert_int_equal(perf_parse("1,,task-clock,1,100.00,,\n",
				    1U << PE_TASK_CLOCK | 1U << PE_CYCLES, v, err), -1);
	assert_non_null(strstr(err, "no line for 'cycles'"));
	assert_int_equal(perf_parse("x1,,task-clock,1,100.00,,\n", 1U << PE_TASK_CLOCK,
				    v, err), -1);
	assert_non_null(strstr(err, "bad count 'x1'"));
	free(text);
}

static void test_argv(void **state)
{
	struct strv a = { 0 };
	char *line;

	(void)state;
	perf_argv("/r/x.csv", PERF_ALL_EVENTS, "/t/c", "/t/a", &a);
	line = strv_join(&a);
	/* Starts disabled; our "enable" on the control FIFO starts the count. */
	assert_non_null(strstr(line, "perf stat -x, -a -o /r/x.csv -D -1 --control fifo:/t/c,/t/a -e task-clock -e context-switches"));
	assert_non_null(strstr(line, "-e tlb:tlb_flush --filter 'reason == 0' -e tlb:tlb_flush --filter 'reason == 1'"));
	assert_non_null(strstr(line, "--filter 'reason == 4' -e tlb:tlb_flush"));
	assert_string_equal(a.v[a.n - 1], "tlb:tlb_flush");
	free(line);
	strv_free(&a);
}

int run_perf_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_tcg),
		cmocka_unit_test(test_not_supported),
		cmocka_unit_test(test_not_counted),
		cmocka_unit_test(test_no_tracepoints),
		cmocka_unit_test(test_hybrid_pmu),
		cmocka_unit_test(test_mismatch),
		cmocka_unit_test(test_argv),
	};

	return cmocka_run_group_tests_name("perf", tests, NULL, NULL);
}
