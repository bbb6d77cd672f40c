// SPDX-License-Identifier: GPL-2.0
/*
 * The counter sources: module stats, /proc/stat, /proc/interrupts, fio's and
 * ubmapd's /proc/<pid>/stat, the device write-back; kmsg text.
 */
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

static void test_pid_stat(void **state)
{
	char *text = fixture("proc/tasks-before/100/stat");
	struct pid_stat st;

	(void)state;
	assert_int_equal(pid_stat_parse(text, &st), 0);
	assert_string_equal(st.comm, "fio");
	assert_int_equal(st.ppid, 90);
	assert_int_equal(st.utime, 40);
	assert_int_equal(st.stime, 60);
	assert_int_equal(st.cutime, 10);
	assert_int_equal(st.cstime, 5);
	/* A comm may hold spaces and parentheses: the last ')' ends it. */
	assert_int_equal(pid_stat_parse("7 (a) b (c)) S 1 7 7 0 -1 0 0 0 0 0 "
					"11 22 33 44 20 0 1 0 5", &st), 0);
	assert_string_equal(st.comm, "a) b (c)");
	assert_int_equal(st.stime, 22);
	assert_int_equal(st.cstime, 44);
	assert_int_equal(pid_stat_parse("7 (x) S 1", &st), -1);
	assert_int_equal(pid_stat_parse("", &st), -1);
	free(text);
}

static void set(struct kv *kv, const char *key, double val)
{
	for (unsigned int i = 0; i < kv->n; i++)
		if (!strcmp(kv->key[i], key))
			kv->val[i] = val;
}

static double us_of(double ticks)
{
	return ticks * 1e6 / (double)sysconf(_SC_CLK_TCK);
}

/*
 * fio 100 with job 101, clone 103 that exits and is reaped (its time moves
 * into 100's cutime/cstime), a hook shell 104 (not fio's), a new clone 105;
 * ubmapd 200.  See the fixture trees.
 */
static void test_tasks(void **state)
{
	const struct counter_source *src = &sources[CS_TASKS];
	struct probe p = { .fio = 100, .backend = 200 };
	struct kv before, after, d = { 0 };

	(void)state;
	p.proc = FIXTURES "/proc/tasks-before";
	assert_int_equal(src->read(&p, &before), 0);
	/* 115 (fio) + 500 (101) + 200 (103); the shell's 7 are not fio's. */
	assert_near(kv_get(&before, "fio"), 815, 0);
	assert_near(kv_get(&before, "backend"), 500, 0);
	assert_near(kv_get(&before, "cpus"), 2, 0);
	p.proc = FIXTURES "/proc/tasks-after";
	assert_int_equal(src->read(&p, &after), 0);
	assert_true(kv_get(&after, "t_us") >= kv_get(&before, "t_us"));
	/* 2 CPUs for 2500 ticks in between: 5000 CPU ticks. */
	set(&before, "t_us", 1e6);
	set(&after, "t_us", 1e6 + us_of(2500));
	src->delta(&before, &after, &d);
	/* 3 (fio) + 50 (103, reaped) + 700 (101) + 30 (105). */
	assert_near(kv_get(&d, "cpu_fio_us"), us_of(783), 1e-6);
	assert_near(kv_get(&d, "cpu_backend_us"), us_of(400), 1e-6);
	/* Idle (600) and iowait (50); steal 20. */
	assert_near(kv_get(&d, "cpu_idle_us"), us_of(650), 1e-6);
	assert_near(kv_get(&d, "cpu_steal_us"), us_of(20), 1e-6);
	/* Busy is what idle and steal leave, not the ticks user + system got. */
	assert_near(kv_get(&d, "cpu_other_us"), us_of(5000 - 650 - 20 - 783 - 400),
		    1e-6);
	for (const char *const *k = src->keys; *k; k++)
		assert_false(isnan(kv_get(&d, *k)));

	/* fio gone (or not yet there): its share unknown, the rest still read. */
	p.fio = 999;
	p.backend = 0;
	assert_int_equal(src->read(&p, &after), 0);
	assert_true(isnan(kv_get(&after, "fio")));
	assert_true(isnan(kv_get(&after, "backend")));
	assert_near(kv_get(&after, "idle"), 5750, 0);
	p.proc = FIXTURES "/no-such-proc";
	assert_int_equal(src->read(&p, &after), -1);
}

static void test_writeback(void **state)
{
	const struct counter_source *src = &sources[CS_WRITEBACK];
	char path[] = "/tmp/ubmap-test-wb-XXXXXX";
	struct probe p = { .dev = path };
	struct kv before, after, d = { 0 };
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	/* A dirty page to write back; a block device works the same. */
	assert_int_equal(write(fd, "x", 1), 1);
	assert_int_equal(src->read(&p, &before), 0);
	assert_int_equal(src->read(&p, &after), 0);
	src->delta(&before, &after, &d);
	assert_int_equal(d.n, 1);
	assert_true(kv_get(&d, "writeback_us") >= 0);
	close(fd);
	unlink(path);
	assert_int_equal(src->read(&p, &after), -1);
	p.dev = NULL;
	assert_int_equal(src->read(&p, &after), -1);
}

/* A cell that never ran has every fixed key, as null. */
static void test_unavailable_sections(void **state)
{
	struct sections s;

	(void)state;
	sections_unavailable(&s);
	assert_false(s.have_module);
	for (int i = 0; i < CS_COUNT; i++)
		for (const char *const *k = sources[i].keys; k && *k; k++)
			assert_true(isnan(kv_get(&s.system, *k)));
	assert_true(isnan(kv_get(&s.system, "cpu_fio_us")));
	assert_true(isnan(kv_get(&s.system, "writeback_us")));
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
		cmocka_unit_test(test_pid_stat),
		cmocka_unit_test(test_tasks),
		cmocka_unit_test(test_writeback),
		cmocka_unit_test(test_unavailable_sections),
		cmocka_unit_test(test_klog_count),
	};

	return cmocka_run_group_tests_name("snapshot", tests, NULL, NULL);
}
