// SPDX-License-Identifier: GPL-2.0
/* The microbench's plan and rows (the report's: tests/report/test_mb_report.c). */
#include <stdlib.h>
#include <string.h>

#include "bench_tests.h"
#include "microbench.h"
#include "util.h"

static void test_plan(void **state)
{
	struct mb_plan p;
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(mb_plan_parse(&p, MB_DEFAULT_PAGES, "200", 256, err, sizeof(err)), 0);
	assert_int_equal(p.npages, 5);
	assert_int_equal(p.pages[4], 256);
	assert_int_equal(p.iterations, 200);
	/* Each bad input says which, never a silent clamp. */
	assert_int_equal(mb_plan_parse(&p, "1,512", "1", 256, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'512': want 1 to 256"));
	assert_int_equal(mb_plan_parse(&p, "0", "1", 256, err, sizeof(err)), -1);
	assert_int_equal(mb_plan_parse(&p, "8,x", "1", 256, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'x'"));
	assert_int_equal(mb_plan_parse(&p, "-1", "1", 256, err, sizeof(err)), -1);
	assert_int_equal(mb_plan_parse(&p, ",", "1", 256, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no sizes"));
	assert_int_equal(mb_plan_parse(&p, "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", "1", 256, err,
				       sizeof(err)), -1);
	assert_non_null(strstr(err, "more than 16"));
	assert_int_equal(mb_plan_parse(&p, "1", "0", 256, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--iterations"));
	assert_int_equal(mb_plan_parse(&p, "1", "100001", 256, err, sizeof(err)), -1);
}

static void test_row(void **state)
{
	struct ubmap_microbench mb = {
		.kind = UBMAP_MB_pagecache, .nr_pages = 8, .iterations = 10,
		.map_ns = 80000, .unmap_ns = 40000, .map_calls = 10,
	};
	json_t *insn = json_pack("{s:{s:f}, s:{s:f}}", "per_io", "map", 800.0,
				 "per_request", "map", 100.0);
	json_t *r = mb_row("mkspecial", &mb, insn);

	(void)state;
	assert_string_equal(json_string_value(json_object_get(r, "kind")), "pagecache");
	assert_true(json_is_null(json_object_get(r, "refused")));
	/* Per call is over the iterations, per page over iterations x pages. */
	assert_float_equal(json_number_value(json_object_get(r, "map_ns_per_call")), 8000, 1e-9);
	assert_float_equal(json_number_value(json_object_get(r, "map_ns_per_page")), 1000, 1e-9);
	assert_float_equal(json_number_value(json_object_get(r, "unmap_ns_per_page")), 500, 1e-9);
	assert_float_equal(json_number_value(json_object_get(r, "map_calls_per_batch")), 1, 1e-9);
	insn = json_object_get(r, "insn");
	assert_float_equal(json_number_value(json_object_get(json_object_get(insn, "per_page"),
							     "map")), 100, 1e-9);
	assert_null(json_object_get(insn, "per_io"));
	json_decref(r);
	/* A refusal names its reason and has no costs. */
	mb.kind = UBMAP_MB_anon;
	mb.refused = UBMAP_FB_anon_page;
	r = mb_row("vm_insert_pages", &mb, NULL);
	assert_string_equal(json_string_value(json_object_get(r, "refused")), "anon_page");
	assert_null(json_object_get(r, "map_ns_per_page"));
	json_decref(r);
	assert_null(mb_refused_name(UBMAP_FB_NONE));
	assert_null(mb_kind_name(UBMAP_NR_MB_KINDS));
}

int run_microbench_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_row),
	};

	return cmocka_run_group_tests_name("microbench", tests, NULL, NULL);
}
