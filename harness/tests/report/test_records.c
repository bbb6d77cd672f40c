// SPDX-License-Identifier: GPL-2.0
/*
 * The records reader: the fixture run, damaged runs, and records the
 * bench's own writer (harness/bench/record.c) produces, so a schema change
 * there fails here rather than in a report.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "dataset.h"
#include "metrics.h"
#include "record.h"
#include "records.h"
#include "report_tests.h"

static void test_fixture(void **state)
{
	char err[256];
	struct dataset d;
	struct run r;
	int iops = metric_find("iops");

	(void)state;
	assert_int_equal(run_load(&r, fixture_path("run"), err, sizeof(err)), 0);
	assert_string_equal(r.id, "fixture");
	assert_int_equal(r.nrecs, 54);
	assert_int_equal(r.nfailed, 1);
	assert_string_equal(r.status, "complete");
	assert_int_equal(r.runs_planned, 54);
	assert_string_equal(run_meta(&r, "tier"), "tcg");
	assert_string_equal(run_meta(&r, "git_dirty"), "false");
	assert_string_equal(run_meta(&r, "vcpus"), "2");
	assert_string_equal(run_meta(&r, "no_such_key"), "");
	assert_non_null(r.matrix_text);
	assert_string_equal(r.recs[0].key.mode, "copy");
	assert_int_equal(r.recs[0].key.bs, 4096);
	assert_string_equal(r.recs[0].bs_text, "4k");
	assert_false(rw_mixed(&r.recs[0].key.rw));
	assert_int_equal(r.recs[0].repeat, 1);

	dataset_build(&d, &r);
	assert_int_equal(d.ncells, 18);
	assert_int_equal(d.nsections, 2);
	assert_string_equal(d.sections[0].title, "direct randread");
	assert_string_equal(d.sections[1].slug, "buffered-randread");
	assert_int_equal(d.nmodes, 3);
	assert_string_equal(d.modes[0], "copy");
	assert_int_equal(d.nbs, 3);
	assert_int_equal(d.bs[2], 1 << 20);
	/* Failed runs are counted, not averaged. */
	for (size_t i = 0; i < d.ncells; i++) {
		const struct cellstat *c = &d.cells[i];

		assert_int_equal(c->runs, 3);
		if (!strcmp(c->key.mode, "mkspecial") && c->key.bs == 65536 &&
		    !strcmp(c->key.io, "buffered"))
			assert_int_equal(c->ok, 2);
		else
			assert_int_equal(c->ok, 3);
		assert_int_equal(c->m[iops].n, c->ok);
		/* Not made with PROFILE=insn. */
		assert_false(cellstat_has_insn(c));
	}
	dataset_free(&d);
	run_free(&r);
}

static void test_missing_and_empty(void **state)
{
	char err[256], *dir = scratch_dir(), path[PATH_MAX];
	struct run r;
	FILE *f;

	(void)state;
	assert_int_equal(run_load(&r, dir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "results.jsonl"));
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	f = fopen(path, "w");
	fclose(f);
	assert_int_equal(run_load(&r, dir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no records"));
	rm_rf(dir);
	free(dir);
}

static bool bump_schema(json_t *rec, void *arg)
{
	(void)arg;
	json_object_set_new(rec, "schema", json_integer(RECORDS_SCHEMA + 1));
	return true;
}

static void test_newer_schema(void **state)
{
	char err[256], *dir = scratch_dir();
	struct run r;

	(void)state;
	run_derive(fixture_path("run"), dir, bump_schema, NULL, NULL);
	assert_int_equal(run_load(&r, dir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "schema"));
	rm_rf(dir);
	free(dir);
}

static void test_truncated_line(void **state)
{
	char err[256], *dir = scratch_dir(), path[PATH_MAX];
	struct run r;
	FILE *f;

	(void)state;
	run_derive(fixture_path("run"), dir, NULL, NULL, NULL);
	/* A guest killed mid-write leaves half a record at the end. */
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	f = fopen(path, "a");
	fputs("{\"schema\":1,\"run_id\":\"fixture\",\"cell\":{\"mo", f);
	fclose(f);
	assert_int_equal(run_load(&r, dir, err, sizeof(err)), 0);
	assert_int_equal(r.nrecs, 54);
	assert_int_equal(r.bad_lines, 1);
	run_free(&r);
	rm_rf(dir);
	free(dir);
}

/* A record from the bench's own writer reads back as written. */
static void test_bench_record(void **state)
{
	char err[256], *dir = scratch_dir(), path[PATH_MAX];
	struct fio_result fio = { .total_ios = 1000, .iops = 500, .bw_bytes = 500 * 65536 };
	double perf[PE_COUNT], mvals[METRICS_MAX];
	struct sections counters = { .have_module = true };
	struct kv perfkv;
	struct klog_counts klog = { .lines = 2, .warn = 1, .warn_known = 1 };
	struct matrix mx;
	struct cell *cells;
	struct run r;
	size_t n;
	json_t *meta, *rec, *per = json_object(), *insn;
	FILE *f;

	(void)state;
	/* The section as bench/insn.c writes it: group g costs g per request. */
	for (int g = 0; g < INSN_G_COUNT; g++)
		json_object_set_new(per, insn_group_name(g), json_real(g));
	json_object_set_new(per, "total", json_real(1000));
	insn = json_pack("{s:s, s:o}", "window", "id-1-r2", "per_request", per);
	matrix_init(&mx);
	assert_int_equal(matrix_load_text(&mx, "t", "mode = mkspecial\nbs = 64k\n"
					  "io = buffered\nrw = randrw:70\n", err), 0);
	cells = cells_expand(&mx, &n);
	assert_int_equal(n, 1);
	snprintf(fio.version, sizeof(fio.version), "fio-3.33");
	fio.dir[FIO_READ].ios = 700;
	fio.dir[FIO_WRITE].ios = 300;
	for (int i = 0; i < PE_COUNT; i++)
		perf[i] = NAN;
	perf[PE_TLB_ALL] = 2500;
	assert_int_equal(kv_parse("reads 700\nwrites 300\nmap_calls 950\n"
				  "pages_mapped 15200\nfallback_anon_page 0\n"
				  "fallback_unaligned 50\nfallback_refused_page 0\n"
				  "fallback_map_error 0\n", &counters.module), 0);
	kv_add(&counters.system, "cpu_busy_us", 2e6);
	kv_add(&counters.system, "tlb_shootdown_irqs", 3);
	perf_to_kv(perf, &perfkv);
	metrics_compute(&(struct metric_in){ .fio = &fio, .perf = &perfkv,
		.system = &counters.system, .module = &counters.module }, mvals);
	meta = json_pack("{s:s, s:s, s:b}", "tier", "kvm", "git_sha", "abc", "git_dirty", 1);
	rec = record_build(&(struct record_in){
		.run_id = "bench-made", .run_index = 1, .cell_index = 1,
		.repeat = 2, .repeats = 3, .cell = &cells[0], .cell_id = "id-1",
		.start_epoch = 1700000000, .wall_s = 3, .meta = meta,
		.status = "ok", .fio = &fio, .perf = &perfkv, .counters = &counters,
		.klog = &klog, .insn = insn,
	});
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	f = fopen(path, "w");
	assert_int_equal(record_append(f, rec), 0);
	fclose(f);

	assert_int_equal(run_load(&r, dir, err, sizeof(err)), 0);
	assert_string_equal(r.id, "bench-made");
	assert_string_equal(run_meta(&r, "tier"), "kvm");
	assert_string_equal(run_meta(&r, "git_dirty"), "true");
	assert_string_equal(r.recs[0].cell_id, "id-1");
	assert_true(r.recs[0].ok);
	assert_int_equal(r.recs[0].repeat, 2);
	assert_string_equal(r.recs[0].key.mode, "mkspecial");
	assert_int_equal(r.recs[0].key.bs, 65536);
	assert_string_equal(r.recs[0].bs_text, "64k");
	assert_string_equal(r.recs[0].key.io, "buffered");
	assert_string_equal(r.recs[0].key.rw.name, "randrw");
	assert_int_equal(r.recs[0].key.rw.mixread, 70);
	assert_int_equal(r.recs[0].key.queues, 2);
	assert_int_equal(r.recs[0].key.iodepth, 1);
	assert_string_equal(r.recs[0].key.ioengine, "psync");
	assert_string_equal(r.recs[0].key.store, "ram");
	assert_int_equal(r.recs[0].warn, 1);
	assert_int_equal(r.recs[0].warn_known, 1);
	assert_near(r.recs[0].fallback[FB_unaligned], 50, 0);
	assert_near(r.recs[0].fallback[FB_anon_page], 0, 0);
	/* Every metric the reports use, as the bench computed it. */
	for (unsigned int i = 0; i < nr_metrics; i++) {
		double want = mvals[i];

		if (isnan(want))
			assert_true(isnan(r.recs[0].m[i]));
		else
			assert_near(r.recs[0].m[i], want, 1e-9 * fabs(want));
	}
	assert_near(r.recs[0].m[metric_find("map_calls_per_io")], 0.95, 1e-12);
	assert_near(r.recs[0].m[metric_find("fallback_pct")], 5, 1e-12);
	for (int g = 0; g < INSN_G_COUNT; g++)
		assert_near(r.recs[0].insn[g], g, 0);
	assert_near(r.recs[0].insn[INSN_TOTAL], 1000, 0);
	run_free(&r);
	json_decref(insn);
	json_decref(rec);
	json_decref(meta);
	free(cells);
	rm_rf(dir);
	free(dir);
}

int run_records_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_missing_and_empty),
		cmocka_unit_test(test_newer_schema),
		cmocka_unit_test(test_truncated_line),
		cmocka_unit_test(test_bench_record),
	};

	return cmocka_run_group_tests_name("records", tests, NULL, NULL);
}
