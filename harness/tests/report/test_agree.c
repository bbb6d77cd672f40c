// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-report agree: the verdict on one comparison from two contrasts,
 * and the command's exit status on runs derived from the fixture: a
 * rerun that agrees, planted contradictions (a sign flip, a shifted
 * mode), comparisons only one run makes, bad input.
 */
#include <stdlib.h>
#include <string.h>

#include "agree.h"
#include "cli.h"
#include "cmd.h"
#include "report_tests.h"

/* A contrast as dataset_contrast() leaves a tested one. */
static struct contrast k(double pct, double ci, bool sig)
{
	return (struct contrast){
		.v = sig ? (pct > 0 ? V_BETTER : V_WORSE) : V_SAME,
		.pct = pct, .pct_ci = ci, .p_holm = sig ? 0.001 : 0.5,
	};
}

static void test_judge(void **state)
{
	struct contrast a, b;

	(void)state;
	a = k(10, 3, true);
	b = k(9, 4, true);
	assert_int_equal(agree_judge(&a, &b), AG_AGREE);
	/* Significant in one only: the other's interval overlaps, same sign. */
	b = k(4, 5, false);
	assert_int_equal(agree_judge(&a, &b), AG_AGREE);
	assert_int_equal(agree_judge(&b, &a), AG_AGREE);
	/* Touching intervals (7 = 10 - 3 = 4 + 3) still share a point. */
	b = k(4, 3, false);
	assert_int_equal(agree_judge(&a, &b), AG_AGREE);
	/* The other's estimate has the opposite sign, however wide its interval. */
	b = k(-0.5, 20, false);
	assert_int_equal(agree_judge(&a, &b), AG_OPPOSITE);
	assert_int_equal(agree_judge(&b, &a), AG_OPPOSITE);
	b = k(-12, 3, true);
	assert_int_equal(agree_judge(&a, &b), AG_OPPOSITE);
	/* Same sign, both significant, intervals apart. */
	b = k(30, 3, true);
	assert_int_equal(agree_judge(&a, &b), AG_APART);
	b = k(3, 2, false);
	assert_int_equal(agree_judge(&a, &b), AG_APART);
	assert_true(agree_is_contradiction(AG_OPPOSITE));
	assert_true(agree_is_contradiction(AG_APART));
	/* Neither significant: undecided, never a contradiction. */
	a = k(2, 3, false);
	b = k(-1, 3, false);
	assert_int_equal(agree_judge(&a, &b), AG_UNDECIDED);
	b = k(-8, 3, false);
	assert_int_equal(agree_judge(&a, &b), AG_UNDECIDED_APART);
	assert_false(agree_is_contradiction(AG_UNDECIDED));
	assert_false(agree_is_contradiction(AG_UNDECIDED_APART));
	assert_false(agree_is_contradiction(AG_AGREE));
}

/* The fixture, changed as c says (derive_run). */
static char *derive(struct run_change c)
{
	return derive_run(fixture_path("run"), c);
}

static void drop(char *dir)
{
	rm_rf(dir);
	free(dir);
}

static int agree(const char *a, const char *b, char **out, const char *o1,
		 const char *o2)
{
	return run_cmd(cmd_agree, out, "agree", a, b, o1, o2, NULL);
}

/* The first table row of this comparison ("mkspecial 1m direct randread vs copy"). */
static const char *row(const char *out, const char *cmp, char *buf, size_t len)
{
	char key[192];
	const char *p;

	snprintf(key, sizeof(key), "| %s |", cmp);
	p = strstr(out, key);
	if (!p)
		fail_msg("no row '%s' in:\n%s", cmp, out);
	snprintf(buf, len, "%.*s", (int)strcspn(p, "\n"), p);
	return buf;
}

static void test_rerun_agrees(void **state)
{
	char *b = derive((struct run_change){ .rerun_noise = true }), *out, r[512];

	(void)state;
	assert_int_equal(agree(fixture_path("run"), b, &out, "--metric", "iops"), 0);
	/*
	 * 12 IOPS comparisons, 3 of them of vm_insert_pages direct, which fell
	 * back: 9 judged; vm_insert_pages 64k buffered (+2.0% +-2.5%) is
	 * undecided in the fixture.
	 */
	assert_non_null(strstr(out, "\n9 comparisons: 8 significant in at least one run, "
			       "0 contradictions, 1 undecided in both\n"));
	assert_non_null(strstr(out, "3 skipped"));
	assert_non_null(strstr(row(out, "mkspecial 1m direct randread vs copy", r,
				   sizeof(r)), "| agree |"));
	assert_non_null(strstr(row(out, "vm_insert_pages 64k buffered randread vs copy",
				   r, sizeof(r)), "| undecided in both |"));
	assert_non_null(strstr(row(out, "vm_insert_pages 1m direct randread vs copy",
				   r, sizeof(r)), "skipped: A fell back to copy (anon_page)"));
	/* Only the metric asked for. */
	assert_null(strstr(out, "### CPU time"));
	free(out);
	/* Every metric the report tests, by default. */
	assert_int_equal(agree(fixture_path("run"), b, &out, NULL, NULL), 0);
	assert_non_null(strstr(out, "### IOPS"));
	assert_non_null(strstr(out, "### CPU time per I/O"));
	assert_non_null(strstr(out, "### p99 latency"));
	assert_null(strstr(out, "### TLB flushes"));
	assert_null(strstr(out, "### Mean latency"));
	free(out);
	drop(b);
}

static void test_contradictions(void **state)
{
	/* mkspecial 1m direct: +30% over copy becomes -9%. */
	char *flip = derive((struct run_change){ .rerun_noise = true,
		.cell_prefix = "mkspecial-1m-direct", .paths = { "metrics.iops" },
		.factor = 0.7 });
	/* mkspecial 64k direct: +10% +-2.7% becomes +32%: same sign, apart. */
	char *shift = derive((struct run_change){ .rerun_noise = true,
		.cell_prefix = "mkspecial-64k-direct", .paths = { "metrics.iops" },
		.factor = 1.2 });
	char *out, r[512];

	(void)state;
	assert_int_equal(agree(fixture_path("run"), flip, &out, "--metric", "iops"), 1);
	assert_non_null(strstr(row(out, "mkspecial 1m direct randread vs copy", r,
				   sizeof(r)), "| CONTRADICTION: opposite sign |"));
	assert_non_null(strstr(row(out, "mkspecial 64k direct randread vs copy", r,
				   sizeof(r)), "| agree |"));
	assert_non_null(strstr(out, ", 1 contradictions, "));
	free(out);
	/* Either way round. */
	assert_int_equal(agree(flip, fixture_path("run"), &out, "--metric", "iops"), 1);
	free(out);
	assert_int_equal(agree(fixture_path("run"), shift, &out, "--metric", "iops"), 1);
	assert_non_null(strstr(row(out, "mkspecial 64k direct randread vs copy", r,
				   sizeof(r)), "| CONTRADICTION: intervals apart |"));
	free(out);
	/* Another metric's findings are not IOPS': bandwidth was left alone. */
	assert_int_equal(agree(fixture_path("run"), flip, &out, "--metric", "bw_mib_s"), 0);
	free(out);
	drop(flip);
	drop(shift);
}

static void test_only_in_one(void **state)
{
	char *b = derive((struct run_change){ .cell_prefix = "mkspecial-4k-direct" });
	char *out, r[512];

	(void)state;
	assert_int_equal(agree(fixture_path("run"), b, &out, "--metric", "iops"), 0);
	assert_non_null(strstr(row(out, "mkspecial 4k direct randread vs copy", r,
				   sizeof(r)), "| only in A |"));
	assert_non_null(strstr(out, "1 only in A, 0 only in B"));
	free(out);
	assert_int_equal(agree(b, fixture_path("run"), &out, "--metric", "iops"), 0);
	assert_non_null(strstr(row(out, "mkspecial 4k direct randread vs copy", r,
				   sizeof(r)), "| only in B |"));
	free(out);
	drop(b);
}

static void test_metric_option(void **state)
{
	char *out;

	(void)state;
	/* Repeated, and as a list. */
	assert_int_equal(agree(fixture_path("run"), fixture_path("run"), &out,
			       "--metric=iops", "--metric=clat_p99_us,bw_mib_s"), 0);
	assert_non_null(strstr(out, "### IOPS"));
	assert_non_null(strstr(out, "### p99 latency"));
	assert_non_null(strstr(out, "### Bandwidth"));
	assert_null(strstr(out, "### CPU time"));
	free(out);
	assert_int_equal(agree(fixture_path("run"), fixture_path("run"), &out,
			       "--metric", "iopz"), 2);
	assert_non_null(strstr(out, "unknown metric 'iopz'"));
	assert_non_null(strstr(out, "the metrics the report tests: iops, bw_mib_s"));
	free(out);
	/* A count is in the report but never tested. */
	assert_int_equal(agree(fixture_path("run"), fixture_path("run"), &out,
			       "--metric", "iops,tlb_flushes_per_io"), 2);
	assert_non_null(strstr(out, "the report tests no metric 'tlb_flushes_per_io'"));
	free(out);
}

static void test_bad_input(void **state)
{
	char *none = derive((struct run_change){ .id_suffix = "-elsewhere" });
	char *single = derive((struct run_change){ .first_repeat_only = true });
	char *junk = scratch_dir(), path[512], *out;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/results.jsonl", junk);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not json\n{\"schema\": 1\n", f);
	fclose(f);
	assert_int_equal(agree(fixture_path("run"), "/nonexistent/run", &out, NULL, NULL), 2);
	assert_non_null(strstr(out, "ubmap-report agree: B: "));
	free(out);
	assert_int_equal(agree(junk, fixture_path("run"), &out, NULL, NULL), 2);
	assert_non_null(strstr(out, "ubmap-report agree: A: "));
	free(out);
	assert_int_equal(agree(fixture_path("run"), none, &out, NULL, NULL), 2);
	assert_non_null(strstr(out, "the runs share no comparison"));
	free(out);
	/* One repeat a cell: shared, never tested; no evidence either way. */
	assert_int_equal(agree(single, single, &out, NULL, NULL), 2);
	assert_non_null(strstr(out, "no comparison is tested in both runs"));
	free(out);
	assert_int_equal(run_cmd(cmd_agree, &out, "agree", fixture_path("run"), NULL), 2);
	assert_non_null(strstr(out, "usage: ubmap-report agree"));
	free(out);
	drop(none);
	drop(single);
	drop(junk);
}

int run_agree_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_judge),
		cmocka_unit_test(test_rerun_agrees),
		cmocka_unit_test(test_contradictions),
		cmocka_unit_test(test_only_in_one),
		cmocka_unit_test(test_metric_option),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests_name("agree", tests, NULL, NULL);
}
