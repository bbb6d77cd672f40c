// SPDX-License-Identifier: GPL-2.0
/*
 * compare's exit status on runs derived from the fixture: identical, a
 * noisy rerun, an injected 10% IOPS regression, a count change, other
 * tiers and matrices.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "report_tests.h"

/* What to do to the records of a derived run. */
struct change {
	const char *cell_prefix;	/* cells whose id starts so, or NULL: all */
	const char *paths[4];		/* numbers to scale */
	double factor;
	bool rerun_noise;		/* another run's repeat-to-repeat noise */
	bool first_repeat_only;
	const char *tier;		/* meta.tier to set, or NULL */
	const char *id_suffix;		/* appended to every cell id: no cell in common */
};

static const char *const rates[] = { "metrics.iops", "metrics.bw_mib_s", "fio.iops", NULL };

static bool apply(json_t *rec, void *arg)
{
	const struct change *c = arg;
	const char *id = json_string_value(json_object_get(rec, "cell_id"));
	json_int_t rep = json_integer_value(json_object_get(rec, "repeat"));
	json_int_t cell = json_integer_value(json_object_get(rec, "cell_index"));

	if (c->first_repeat_only && rep != 1)
		return false;
	if (c->id_suffix) {
		char nid[256];

		snprintf(nid, sizeof(nid), "%s%s", id, c->id_suffix);
		json_object_set_new(rec, "cell_id", json_string(nid));
		return true;
	}
	if (c->tier)
		json_object_set_new(json_path(rec, "meta"), "tier", json_string(c->tier));
	if (c->rerun_noise) {
		/* +-0.6%: what a second run of the same build looks like. */
		static const double g[] = { 1.006, 0.994, 1.0 };

		for (size_t i = 0; rates[i]; i++)
			jscale(rec, rates[i], g[(rep * 7 + cell) % 3]);
		jscale(rec, "metrics.cpu_us_per_io", g[(rep + cell) % 3]);
	}
	if (c->cell_prefix && strncmp(id, c->cell_prefix, strlen(c->cell_prefix)))
		return true;
	if (c->factor == 0)
		return false;	/* drop the cell: another matrix */
	for (size_t i = 0; i < 4 && c->paths[i]; i++)
		jscale(rec, c->paths[i], c->factor);
	return true;
}

static void apply_run(json_t *run, void *arg)
{
	const struct change *c = arg;

	if (c->tier)
		json_object_set_new(json_path(run, "meta"), "tier", json_string(c->tier));
}

static char *derive(const char *from, struct change c)
{
	char *dir = scratch_dir();

	if (c.factor == 0 && !c.cell_prefix)
		c.factor = 1;
	run_derive(from, dir, apply, &c, apply_run);
	return dir;
}

static int compare(const char *a, const char *b, char **out, const char *opt1,
		   const char *opt2)
{
	int ret = run_cmd(cmd_compare, out, "compare", a, b, opt1, opt2, NULL);

	assert_fits(*out, 80);
	return ret;
}

static void test_identical(void **state)
{
	char *out;

	(void)state;
	assert_int_equal(compare(fixture_path("run"), fixture_path("run"), &out, NULL, NULL), 0);
	assert_non_null(strstr(out, "compare: ok: 0 throughput regressions"));
	assert_non_null(strstr(out, "0 significant changes"));
	assert_non_null(strstr(out, "alpha 0.05"));
	assert_null(strstr(out, "FAIL\n"));
	free(out);
	/* --changes: nothing changed, so no table at all. */
	assert_int_equal(compare(fixture_path("run"), fixture_path("run"), &out,
				 "--changes", NULL), 0);
	assert_null(strstr(out, "IOPS ("));
	free(out);
}

static void test_noisy_rerun(void **state)
{
	char *b = derive(fixture_path("run"), (struct change){ .rerun_noise = true }), *out;

	(void)state;
	assert_int_equal(compare(fixture_path("run"), b, &out, NULL, NULL), 0);
	assert_non_null(strstr(out, "compare: ok"));
	free(out);
	rm_rf(b);
	free(b);
}

static void test_injected_regression(void **state)
{
	char *b = derive(fixture_path("run"), (struct change){
		.rerun_noise = true, .cell_prefix = "mkspecial-1m-direct",
		.paths = { "metrics.iops", "metrics.bw_mib_s", "fio.iops" }, .factor = 0.9,
	}), *out;

	(void)state;
	assert_int_equal(compare(fixture_path("run"), b, &out, NULL, NULL), 1);
	assert_non_null(strstr(out, "compare: FAIL: 2 throughput regressions beyond 5.0%"));
	/* The row: significant, about -10%, flagged. */
	assert_non_null(strstr(out, "mkspecial 1m direct randread"));
	assert_non_null(strstr(out, "%*  FAIL"));
	free(out);
	/* --changes keeps the failing rows and drops the quiet ones. */
	assert_int_equal(compare(fixture_path("run"), b, &out, "--changes", NULL), 1);
	assert_non_null(strstr(out, "mkspecial 1m direct randread"));
	assert_null(strstr(out, "copy 4k direct randread"));
	free(out);
	/* A threshold above the drop lets it pass, still marked significant. */
	assert_int_equal(compare(fixture_path("run"), b, &out, "--threshold", "12"), 0);
	assert_non_null(strstr(out, "%*"));
	free(out);
	rm_rf(b);
	free(b);
}

static void test_small_regression(void **state)
{
	char *small = derive(fixture_path("run"), (struct change){
		.cell_prefix = "copy-4k-direct", .paths = { "metrics.iops" }, .factor = 0.97,
	});
	char *large = derive(fixture_path("run"), (struct change){
		.cell_prefix = "copy-4k-direct", .paths = { "metrics.iops" }, .factor = 0.85,
	});
	char *out;

	(void)state;
	/*
	 * -3% against a 1.1% repeat-to-repeat sd: Welch's p is about 0.03 on
	 * its own, but one of 18 cells' tests: Holm's p is not below 0.05.
	 */
	assert_int_equal(compare(fixture_path("run"), small, &out, NULL, NULL), 0);
	assert_non_null(strstr(out, "Holm-corrected"));
	assert_non_null(strstr(out, "0 worse"));
	assert_non_null(strstr(out, "7775.52 ( -3.00%)"));
	free(out);
	/* Untested changes beyond the threshold still gate; a tested one does not. */
	assert_int_equal(compare(fixture_path("run"), small, &out, "--threshold", "2"), 0);
	free(out);
	/* -15%: significant after Holm; within a 20% threshold it is reported, not failed. */
	assert_int_equal(compare(fixture_path("run"), large, &out, "--threshold", "20"), 0);
	assert_non_null(strstr(out, "1 worse"));
	free(out);
	assert_int_equal(compare(fixture_path("run"), large, &out, NULL, NULL), 1);
	free(out);
	rm_rf(small);
	rm_rf(large);
	free(small);
	free(large);
}

static void test_count_change(void **state)
{
	char *direct = derive(fixture_path("run"), (struct change){
		.cell_prefix = "mkspecial-4k-direct", .paths = { "metrics.map_calls_per_io" },
		.factor = 2,
	});
	char *buffered = derive(fixture_path("run"), (struct change){
		.cell_prefix = "mkspecial-4k-buffered", .paths = { "metrics.map_calls_per_io" },
		.factor = 1.1,
	});
	char *rounding = derive(fixture_path("run"), (struct change){
		.cell_prefix = "mkspecial-4k-direct", .paths = { "metrics.pages_per_io" },
		.factor = 1.00001,
	});
	char *out;

	(void)state;
	/* With O_DIRECT every I/O maps once: any change fails. */
	assert_int_equal(compare(fixture_path("run"), direct, &out, NULL, NULL), 1);
	assert_non_null(strstr(out, "1 exact count change\n"));
	assert_non_null(strstr(out, "must not change with direct I/O"));
	free(out);
	/* Through the page cache it follows the hit rate: reported only. */
	assert_int_equal(compare(fixture_path("run"), buffered, &out, NULL, NULL), 0);
	free(out);
	/* Rounding is no change. */
	assert_int_equal(compare(fixture_path("run"), rounding, &out, NULL, NULL), 0);
	free(out);
	rm_rf(direct);
	rm_rf(buffered);
	rm_rf(rounding);
	free(direct);
	free(buffered);
	free(rounding);
}

static void test_one_repeat(void **state)
{
	char *a = derive(fixture_path("run"), (struct change){ .first_repeat_only = true });
	char *b = derive(a, (struct change){
		.cell_prefix = "copy-1m-buffered", .paths = { "metrics.iops" }, .factor = 0.9,
	}), *out;

	(void)state;
	/* No test is possible: beyond the threshold fails on its own. */
	assert_int_equal(compare(a, b, &out, NULL, NULL), 1);
	assert_non_null(strstr(out, "untested"));
	free(out);
	assert_int_equal(compare(a, a, &out, NULL, NULL), 0);
	free(out);
	rm_rf(a);
	rm_rf(b);
	free(a);
	free(b);
}

/* Joins wrapped lines ("\n  ") back into one, in place. */
static char *unwrap(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		if (r[0] == '\n' && r[1] == ' ' && r[2] == ' ') {
			*w++ = ' ';
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return s;
}

static void test_refusals(void **state)
{
	char *kvm = derive(fixture_path("run"), (struct change){ .tier = "kvm" });
	char *smaller = derive(fixture_path("run"), (struct change){
		.cell_prefix = "mkspecial-1m", .factor = 0,
	}), *out;

	(void)state;
	assert_int_equal(run_cmd(cmd_compare, &out, "compare", fixture_path("run"), kvm, NULL), 2);
	assert_non_null(strstr(unwrap(out), "refusing"));
	assert_non_null(strstr(out, "tier 'tcg'"));
	assert_non_null(strstr(out, "tier 'kvm'"));
	assert_non_null(strstr(out, "--force"));
	free(out);
	assert_int_equal(run_cmd(cmd_compare, &out, "compare", fixture_path("run"), kvm,
				 "--force", NULL), 0);
	free(out);

	assert_int_equal(run_cmd(cmd_compare, &out, "compare", fixture_path("run"),
				 smaller, NULL), 2);
	assert_non_null(strstr(unwrap(out), "different matrices: 2 cells only in base"));
	free(out);
	assert_int_equal(run_cmd(cmd_compare, &out, "compare", fixture_path("run"),
				 smaller, "--force", NULL), 0);
	assert_non_null(strstr(unwrap(out), "2 cells only in base and 0 only in new are left out"));
	free(out);
	rm_rf(kvm);
	rm_rf(smaller);
	free(kvm);
	free(smaller);
}

static void test_no_common_cell(void **state)
{
	char *other = derive(fixture_path("run"), (struct change){ .id_suffix = "-other" });
	char *out;

	(void)state;
	/* Refused, even with --force: there is no verdict to give, not a FAIL. */
	assert_int_equal(run_cmd(cmd_compare, &out, "compare", fixture_path("run"), other,
				 NULL), 2);
	assert_non_null(strstr(out, "no cell in common (18 cells in base, 18 in new)"));
	assert_null(strstr(out, "FAIL"));
	free(out);
	assert_int_equal(run_cmd(cmd_compare, &out, "compare", fixture_path("run"), other,
				 "--force", NULL), 2);
	assert_non_null(strstr(out, "no cell in common"));
	free(out);
	rm_rf(other);
	free(other);
}

static void test_counts_only(void **state)
{
	/* A baseline of another tier: its times are another machine's. */
	char *slow = derive(fixture_path("run"), (struct change){
		.tier = "kvm", .cell_prefix = "mkspecial-1m-direct",
		.paths = { "metrics.iops", "metrics.bw_mib_s", "fio.iops" }, .factor = 0.5,
	});
	char *count = derive(fixture_path("run"), (struct change){
		.tier = "kvm", .cell_prefix = "mkspecial-4k-direct",
		.paths = { "metrics.map_calls_per_io" }, .factor = 2,
	});
	char *out;

	(void)state;
	/* Times shown, not gated; the tier is no refusal. */
	assert_int_equal(compare(fixture_path("run"), slow, &out, "--counts-only", NULL), 0);
	assert_non_null(strstr(out, "(counts only:"));
	assert_non_null(strstr(out, "compare: ok: 0 throughput regressions"));
	assert_non_null(strstr(out, "mkspecial 1m direct randread"));
	free(out);
	/* The exact counts still gate. */
	assert_int_equal(compare(fixture_path("run"), count, &out, "--counts-only", NULL), 1);
	assert_non_null(strstr(out, "1 exact count change\n"));
	free(out);
	rm_rf(slow);
	rm_rf(count);
	free(slow);
	free(count);
}

static void test_usage(void **state)
{
	char *out;

	(void)state;
	assert_int_equal(run_cmd(cmd_compare, &out, "compare", fixture_path("run"), NULL), 2);
	free(out);
	assert_int_equal(run_cmd(cmd_compare, &out, "compare", fixture_path("run"),
				 fixture_path("run"), "--alpha", "2", NULL), 2);
	assert_non_null(strstr(out, "--alpha"));
	free(out);
	assert_int_equal(run_cmd(cmd_compare, &out, "compare", "/nonexistent",
				 fixture_path("run"), NULL), 2);
	free(out);
}

int run_compare_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_noisy_rerun),
		cmocka_unit_test(test_injected_regression),
		cmocka_unit_test(test_small_regression),
		cmocka_unit_test(test_count_change),
		cmocka_unit_test(test_one_repeat),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_no_common_cell),
		cmocka_unit_test(test_counts_only),
		cmocka_unit_test(test_usage),
	};

	return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}
