// SPDX-License-Identifier: GPL-2.0
/* Records: built from real fixtures, written, read back; CSV; run.json. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_tests.h"
#include "calib.h"
#include "cells.h"
#include "metrics.h"
#include "record.h"
#include "run.h"

struct inputs {
	struct matrix m;
	struct cell *cells;
	struct fio_result fio;
	double perf[PE_COUNT];
	struct kv perfkv;
	struct sections counters;
	struct klog_counts klog;
	json_t *meta;
};

static void inputs_load(struct inputs *in)
{
	char err[ERR_LEN], *text;
	size_t n;

	matrix_init(&in->m);
	assert_int_equal(matrix_load_text(&in->m, "t", "mode = mkspecial\nrw = randrw:70\n", err), 0);
	in->cells = cells_expand(&in->m, &n);
	text = fixture("fio/guest-mkspecial-4k-direct-randread.json");
	assert_int_equal(fio_parse(text, &in->fio, err), 0);
	free(text);
	text = fixture("perf/guest-tcg-mkspecial-4k.csv");
	assert_int_equal(perf_parse(text, PERF_ALL_EVENTS, in->perf, err), 0);
	free(text);
	text = fixture("proc/ubmap-stats-remap.txt");
	assert_int_equal(kv_parse(text, &in->counters.module), 0);
	in->counters.have_module = true;
	free(text);
	memset(&in->klog, 0, sizeof(in->klog));
	in->klog.lines = 3;
	in->klog.warn = 1;
	in->klog.warn_known = 1;
	perf_to_kv(in->perf, &in->perfkv);
	in->counters.system.n = 0;
	kv_add(&in->counters.system, "cpu_busy_us", 5890000);
	kv_add(&in->counters.system, "tlb_shootdown_irqs", 4);
	in->meta = json_pack("{s:s, s:s, s:i, s:b}", "tier", "tcg",
			     "git_sha", "0123abc", "vcpus", 2, "git_dirty", 1);
}

static json_t *build(struct inputs *in, const char *status)
{
	struct record_in r = {
		.run_id = "20240101-000000-0123abc", .run_index = 7,
		.cell_index = 1, .repeat = 2, .repeats = 3,
		.cell = &in->cells[0], .cell_id = "mkspecial-4k-x",
		.start_epoch = 1700000000.1234, .wall_s = 3.25, .meta = in->meta,
		.calib_ns = { 4.5e6, NAN },
		.status = status, .error = strcmp(status, "ok") ? "fio job error 5" : NULL,
		.cmd = "perf stat -- fio", .fio = &in->fio, .perf = &in->perfkv,
		.counters = &in->counters, .klog = &in->klog,
		.raw = { "raw/a.fio.json", "raw/a.perf.csv", "raw/a.klog", "raw/a.log" },
	};

	return record_build(&r);
}

static void test_round_trip(void **state)
{
	struct inputs in;
	json_t *rec, *back;
	json_error_t jerr;
	char *line = NULL;
	size_t cap = 0;
	FILE *f = tmpfile();

	(void)state;
	inputs_load(&in);
	rec = build(&in, "ok");
	assert_int_equal(record_append(f, rec), 0);
	assert_int_equal(record_append(f, rec), 0);
	rewind(f);
	/* One object per line. */
	assert_true(getline(&line, &cap, f) > 0);
	back = json_loads(line, 0, &jerr);
	assert_non_null(back);
	/* Reals are written to 10 digits: the text must survive a reload. */
	{
		char *again = json_dumps(back, JSON_COMPACT | JSON_REAL_PRECISION(10));

		line[strcspn(line, "\n")] = '\0';
		assert_string_equal(again, line);
		free(again);
	}
	assert_true(getline(&line, &cap, f) > 0);
	assert_int_equal(getline(&line, &cap, f), -1);

	assert_int_equal(json_integer_value(json_path(back, "schema")), RECORD_SCHEMA);
	assert_string_equal(json_string_value(json_path(back, "run_id")), "20240101-000000-0123abc");
	assert_int_equal(json_integer_value(json_path(back, "repeat")), 2);
	assert_string_equal(json_string_value(json_path(back, "start_time")), "2023-11-14T22:13:20Z");
	/* The epoch to the ms survives JSON_REAL_PRECISION(10). */
	assert_int_equal(json_integer_value(json_path(back, "start_epoch_ms")), 1700000000123);
	assert_int_equal(json_integer_value(json_path(back, "calib.loops")), CALIB_LOOPS);
	assert_int_equal(json_integer_value(json_path(back, "calib.before_ns")), 4500000);
	assert_true(json_is_null(json_path(back, "calib.after_ns")));
	assert_string_equal(json_string_value(json_path(back, "cell.mode")), "mkspecial");
	assert_int_equal(json_integer_value(json_path(back, "cell.bs")), 4096);
	assert_string_equal(json_string_value(json_path(back, "cell.bs_text")), "4k");
	assert_string_equal(json_string_value(json_path(back, "cell.rw")), "randrw");
	assert_int_equal(json_integer_value(json_path(back, "cell.rwmixread")), 70);
	assert_string_equal(json_string_value(json_path(back, "meta.tier")), "tcg");
	assert_true(json_is_true(json_path(back, "meta.git_dirty")));
	assert_int_equal(json_integer_value(json_path(back, "fio.total_ios")), 6275);
	assert_near(json_number_value(json_path(back, "fio.read.clat_p99_ns")), 6258688, 0);
	/* No writes: latency null, not 0. */
	assert_true(json_is_null(json_path(back, "fio.write.clat_p99_ns")));
	assert_int_equal(json_integer_value(json_path(back, "perf.tlb_flush_all")), 18824);
	/* No PMU: null. */
	assert_true(json_is_null(json_path(back, "perf.cycles")));
	assert_near(json_number_value(json_path(back, "perf.task_clock_ms")), 9124.11, 1e-9);
	assert_int_equal(json_integer_value(json_path(back, "module.pages_mapped")), 1700);
	assert_int_equal(json_integer_value(json_path(back, "system.cpu_busy_us")), 5890000);
	assert_int_equal(json_integer_value(json_path(back, "klog.warn_known")), 1);
	assert_near(json_number_value(json_path(back, "metrics.tlb_flushes_per_io")),
		    18824.0 / 6275, 1e-9);
	assert_near(json_number_value(json_path(back, "metrics.cpu_us_per_io")),
		    5890000.0 / 6275, 1e-6);
	assert_true(json_is_null(json_path(back, "metrics.cycles_per_io")));
	assert_string_equal(json_string_value(json_path(back, "raw.perf")), "raw/a.perf.csv");
	assert_true(json_is_null(json_path(back, "error")));
	free(line);
	fclose(f);
	json_decref(back);
	json_decref(rec);
	json_decref(in.meta);
	free(in.cells);
}

static void test_failed_record(void **state)
{
	struct inputs in;
	json_t *rec;
	struct record_in r = { 0 };

	(void)state;
	inputs_load(&in);
	rec = build(&in, "failed");
	assert_string_equal(json_string_value(json_path(rec, "status")), "failed");
	assert_string_equal(json_string_value(json_path(rec, "error")), "fio job error 5");
	json_decref(rec);
	/* Nothing measured: every section still there, all null. */
	r.run_id = "x";
	r.cell = &in.cells[0];
	r.cell_id = "x";
	r.meta = in.meta;
	r.status = "failed";
	rec = record_build(&r);
	assert_true(json_is_null(json_path(rec, "fio")));
	assert_true(json_is_null(json_path(rec, "module")));
	assert_true(json_is_null(json_path(rec, "klog")));
	assert_true(json_is_null(json_path(rec, "perf.tlb_flush_all")));
	assert_true(json_is_null(json_path(rec, "metrics.iops")));
	assert_true(json_is_null(json_path(rec, "system.cpu_busy_us")));
	json_decref(rec);
	json_decref(in.meta);
	free(in.cells);
}

static int count_fields(const char *line)
{
	int n = 1;
	bool quoted = false;

	for (; *line && *line != '\n'; line++) {
		if (*line == '"')
			quoted = !quoted;
		else if (*line == ',' && !quoted)
			n++;
	}
	return n;
}

static void test_summary_csv(void **state)
{
	struct inputs in;
	char *text, *row;
	size_t len;
	FILE *f;
	json_t *rec;

	(void)state;
	inputs_load(&in);
	rec = build(&in, "failed");
	f = open_memstream(&text, &len);
	summary_header(f);
	summary_row(f, rec);
	fclose(f);
	row = strchr(text, '\n') + 1;
	assert_int_equal(count_fields(text), count_fields(row));
	assert_true(!strncmp(text, "run_id,run_index,cell_index,repeat,status,target,mode,bs,io,rw,", 63));
	assert_non_null(strstr(text, ",tlb_flushes_per_io,"));
	assert_true(!strncmp(row, "20240101-000000-0123abc,7,1,2,failed,ubmap,mkspecial,4096,direct,randrw,70,", 75));
	/* Unavailable is an empty field: ",," where cycles_per_io goes. */
	assert_non_null(strstr(row, ",,"));
	free(text);
	json_decref(rec);
	json_decref(in.meta);
	free(in.cells);
}

static void test_run_json_mark(void **state)
{
	char dir[] = "/tmp/bench-test.XXXXXX", path[256];
	json_t *run, *back;
	json_error_t jerr;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/run.json", dir);
	run = json_pack("{s:s, s:{s:f, s:f}}", "status", "running", "harness",
			"wall_s", 100.0, "fio_s", 86.0);
	assert_int_equal(json_write_file(path, run), 0);
	/* The host marks a run its guest never finished. */
	assert_int_equal(bench_mark(dir, "interrupted", 110.0), 0);
	back = json_load_file(path, 0, &jerr);
	assert_non_null(back);
	assert_string_equal(json_string_value(json_path(back, "status")), "interrupted");
	assert_near(json_number_value(json_path(back, "harness.host_wall_s")), 110, 0);
	assert_near(json_number_value(json_path(back, "harness.host_fio_ratio")), 86.0 / 110, 1e-9);
	json_decref(back);
	/* A finished run keeps its status. */
	json_object_set_new(run, "status", json_string("complete"));
	assert_int_equal(json_write_file(path, run), 0);
	assert_int_equal(bench_mark(dir, "interrupted", 0), 0);
	back = json_load_file(path, 0, &jerr);
	assert_string_equal(json_string_value(json_path(back, "status")), "complete");
	json_decref(back);
	json_decref(run);
	unlink(path);
	rmdir(dir);
}

static void test_jnum(void **state)
{
	json_t *j;

	(void)state;
	j = jnum(NAN);
	assert_true(json_is_null(j));
	j = jnum(INFINITY);
	assert_true(json_is_null(j));
	j = jnum(42);
	assert_true(json_is_integer(j));
	json_decref(j);
	j = jnum(0.5);
	assert_true(json_is_real(j));
	json_decref(j);
}

int run_record_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_failed_record),
		cmocka_unit_test(test_summary_csv),
		cmocka_unit_test(test_run_json_mark),
		cmocka_unit_test(test_jnum),
	};

	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
