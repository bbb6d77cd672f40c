// SPDX-License-Identifier: GPL-2.0
/*
 * The counting core on a synthetic trace: blocks executed on two vCPUs
 * before, inside and after windows, the files a guest would write, and the
 * window file the plugin writes.
 */
#include "../testlib.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "insn_groups.h"
#include "prof.h"
#include "profile_tests.h"

static struct prof p;
static char dir[] = "/tmp/ubmap-prof-test.XXXXXX";
static char err[512];

static void put(const char *file, const char *text)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void copy_fixture(const char *from, const char *to)
{
	char buf[4096];
	size_t n;
	FILE *in = fopen(from, "r");
	char path[4200];
	FILE *out;

	assert_non_null(in);
	snprintf(path, sizeof(path), "%s/%s", dir, to);
	out = fopen(path, "w");
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)))
		fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
}

static char *status(void)
{
	static char line[1024];
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, PROF_STATUS);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	return line;
}

static json_t *window(const char *name)
{
	char path[4200];
	json_error_t jerr;
	json_t *j;

	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	j = json_load_file(path, 0, &jerr);
	if (!j)
		fail_msg("%s: %s", path, jerr.text);
	return j;
}

static long long group(json_t *w, const char *g)
{
	return json_integer_value(json_object_get(json_object_get(w, "groups"), g));
}

/* The count of FUNC (of MODULE, NULL: the kernel) in window W; -1 if absent. */
static long long function(json_t *w, const char *func, const char *module)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(w, "functions"), i, e) {
		json_t *m = json_object_get(e, "module");

		if (strcmp(json_string_value(json_object_get(e, "function")), func))
			continue;
		if (module ? json_is_string(m) && !strcmp(json_string_value(m), module) :
			     json_is_null(m))
			return json_integer_value(json_object_get(e, "insns"));
	}
	return -1;
}

static int setup(void **state)
{
	char arg[4200];
	char *argv[] = { arg };

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(arg, sizeof(arg), "dir=%s", dir);
	if (prof_init(&p, 1, argv, 2, err, sizeof(err)))
		return -1;
	copy_fixture(FIXTURES "/syms", PROF_SYMS);
	copy_fixture(FIXTURES "/ranges", PROF_RANGES);
	return 0;
}

static int teardown(void **state)
{
	char cmd[4300];

	(void)state;
	prof_exit(&p);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

/* Blocks of the trace: where they start and how many instructions they hold. */
static struct prof_tb tb_remap = { 0xffffffff9a001010, 10, UINT64_MAX };
static struct prof_tb tb_pat = { 0xffffffff9a001600, 7, UINT64_MAX };
static struct prof_tb tb_idle = { 0xffffffff9a004000, 3, UINT64_MAX };
static struct prof_tb tb_spin = { 0xffffffff9a006810, 6, UINT64_MAX };
static struct prof_tb tb_user = { 0x401000, 5, UINT64_MAX };
static struct prof_tb tb_ring = { 0xffffffffc0100010, 4, UINT64_MAX };
static struct prof_tb tb_trampoline = { 0xffffffffa0000000, 2, UINT64_MAX };

static void trace_between_markers(void **state)
{
	json_t *w, *vcpus;

	(void)state;
	/* Before any window: nothing is counted, nothing is written. */
	for (int i = 0; i < 100; i++)
		prof_exec(&p, 0, &tb_remap);
	put(PROF_WINDOW, "cell-a\n");
	assert_int_equal(prof_start(&p, err, sizeof(err)), 0);
	assert_string_equal(status(), "started cell-a 1");
	for (int i = 0; i < 3; i++)
		prof_exec(&p, 0, &tb_remap);
	prof_exec(&p, 0, &tb_pat);
	prof_exec(&p, 1, &tb_pat);
	prof_exec(&p, 1, &tb_idle);
	prof_exec(&p, 1, &tb_spin);
	prof_exec(&p, 1, &tb_user);
	prof_exec(&p, 0, &tb_ring);
	prof_exec(&p, 0, &tb_trampoline);
	/* A vCPU index QEMU never announced is ignored, not a crash. */
	prof_exec(&p, 7, &tb_user);
	assert_int_equal(prof_stop(&p, err, sizeof(err)), 0);
	assert_string_equal(status(), "stopped cell-a 1");
	/* After the stop: not counted. */
	prof_exec(&p, 0, &tb_remap);

	w = window("cell-a");
	assert_int_equal(group(w, "map"), 3 * 10 + 7 + 7);
	assert_int_equal(group(w, "idle"), 3);
	assert_int_equal(group(w, "wait"), 6);
	assert_int_equal(group(w, "user"), 5);
	assert_int_equal(group(w, "ubmap"), 4);
	assert_int_equal(group(w, "other"), 2);
	assert_int_equal(group(w, "copy"), 0);
	/* The total leaves idle and spin-waits out; so do the per-vCPU totals. */
	assert_int_equal(json_integer_value(json_object_get(w, "instructions")), 44 + 5 + 4 + 2);
	vcpus = json_object_get(w, "vcpus");
	assert_int_equal(json_array_size(vcpus), 2);
	assert_int_equal(json_integer_value(json_array_get(vcpus, 0)), 30 + 7 + 4 + 2);
	assert_int_equal(json_integer_value(json_array_get(vcpus, 1)), 7 + 5);
	assert_int_equal(function(w, "remap_pfn_range", NULL), 30);
	assert_int_equal(function(w, "lookup_memtype", NULL), 14);
	assert_int_equal(function(w, "ubmap_ring_fetch", "ubmap"), 4);
	assert_int_equal(function(w, "[unknown]", NULL), 2);
	assert_int_equal(function(w, "zap_pte_range.isra.0", NULL), -1);
	json_decref(w);
}

static void new_window_new_symbols(void **state)
{
	json_t *w;

	(void)state;
	/* The module was reloaded elsewhere: a block cached in the old table moves. */
	put(PROF_SYMS, "ffffffff9a000000 T _stext\nffffffff9a008000 T _etext\n"
		       "ffffffffc0100000 t other_mod_fn\t[other]\n");
	put(PROF_RANGES, "other ffffffffc0100000 ffffffffc0101000\n");
	put(PROF_WINDOW, "cell-b\n");
	assert_int_equal(prof_start(&p, err, sizeof(err)), 0);
	prof_exec(&p, 1, &tb_ring);
	prof_exec(&p, 0, &tb_remap);	/* no symbol below _etext covers it but _stext */
	assert_int_equal(prof_stop(&p, err, sizeof(err)), 0);
	w = window("cell-b");
	assert_int_equal(group(w, "ubmap"), 0);
	assert_int_equal(function(w, "other_mod_fn", "other"), 4);
	assert_int_equal(function(w, "_stext", NULL), 10);
	assert_int_equal(json_integer_value(json_object_get(w, "seq")), 2);
	json_decref(w);
	/* Restore the fixture for the other tests. */
	copy_fixture(FIXTURES "/syms", PROF_SYMS);
	copy_fixture(FIXTURES "/ranges", PROF_RANGES);
}

static void marker_errors(void **state)
{
	char path[4200];
	struct stat sb;

	(void)state;
	/* A stop with no window open says so in the status file. */
	assert_int_equal(prof_stop(&p, err, sizeof(err)), -1);
	assert_string_equal(status(), "error: stop marker with no window open");
	/* A bad window name never becomes a file name. */
	put(PROF_WINDOW, "../../etc/x\n");
	assert_int_equal(prof_start(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(status(), "bad window name"));
	assert_false(p.active);
	/* Missing symbols: a clear error, and no window opens. */
	put(PROF_WINDOW, "cell-c\n");
	snprintf(path, sizeof(path), "%s/%s", dir, PROF_SYMS);
	unlink(path);
	assert_int_equal(prof_start(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(status(), "syms: No such file or directory"));
	assert_false(p.active);
	prof_exec(&p, 0, &tb_remap);
	snprintf(path, sizeof(path), "%s/cell-c.json", dir);
	assert_int_equal(stat(path, &sb), -1);
	copy_fixture(FIXTURES "/syms", PROF_SYMS);
}

/* A vCPU's thread: @n blocks of tb_remap, or until told to stop when n is 0. */
struct spinner {
	pthread_t t;
	unsigned int vcpu;
	long n;
	volatile int stop;
};

static void *spin(void *arg)
{
	struct spinner *s = arg;

	for (long i = 0; s->n ? i < s->n : !s->stop; i++)
		prof_exec(&p, s->vcpu, &tb_remap);
	return NULL;
}

static void concurrent_vcpus(void **state)
{
	struct spinner s[2] = { { .vcpu = 0, .n = 200000 }, { .vcpu = 1, .n = 300000 } };
	json_t *w;

	(void)state;
	/* Two vCPU threads at once: each one's count exact, none lost. */
	put(PROF_WINDOW, "cell-par\n");
	assert_int_equal(prof_start(&p, err, sizeof(err)), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&s[i].t, NULL, spin, &s[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(s[i].t, NULL);
	assert_int_equal(prof_stop(&p, err, sizeof(err)), 0);
	w = window("cell-par");
	assert_int_equal(group(w, "map"), 10LL * (200000 + 300000));
	assert_int_equal(json_integer_value(json_array_get(json_object_get(w, "vcpus"), 1)),
			 10LL * 300000);
	json_decref(w);
	/* Markers while both run: every window holds whole blocks, and nothing hangs. */
	s[0].n = s[1].n = 0;
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&s[i].t, NULL, spin, &s[i]), 0);
	for (int k = 0; k < 20; k++) {
		put(PROF_WINDOW, "cell-race\n");
		assert_int_equal(prof_start(&p, err, sizeof(err)), 0);
		usleep(1000);
		assert_int_equal(prof_stop(&p, err, sizeof(err)), 0);
		w = window("cell-race");
		assert_int_equal(group(w, "map") % 10, 0);
		json_decref(w);
	}
	for (int i = 0; i < 2; i++) {
		s[i].stop = 1;
		pthread_join(s[i].t, NULL);
	}
}

static void bad_arguments(void **state)
{
	struct prof q;
	char a1[] = "dir=/nonexistent/ubmap", a2[] = "map=/x", a3[] = "dir=/etc/passwd";
	char *nodir[] = { a1 }, *unknown[] = { a2 }, *notdir[] = { a3 };
	char ok[4200];
	char *argv[] = { ok };

	(void)state;
	assert_int_equal(prof_init(&q, 0, NULL, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no dir=PATH"));
	assert_int_equal(prof_init(&q, 1, nodir, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/ubmap: No such file"));
	assert_int_equal(prof_init(&q, 1, unknown, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown argument 'map=/x'"));
	assert_int_equal(prof_init(&q, 1, notdir, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a directory"));
	snprintf(ok, sizeof(ok), "dir=%s", dir);
	assert_int_equal(prof_init(&q, 1, argv, PROF_MAX_VCPUS + 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "vCPUs"));
}

int test_prof(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(trace_between_markers),
		cmocka_unit_test(new_window_new_symbols),
		cmocka_unit_test(marker_errors),
		cmocka_unit_test(concurrent_vcpus),
		cmocka_unit_test(bad_arguments),
	};

	return cmocka_run_group_tests_name("prof", tests, setup, teardown);
}
