// SPDX-License-Identifier: GPL-2.0
/*
 * compare's exit status on runs derived from the fixture: identical, a
 * noisy rerun, an injected 10% IOPS regression, a count change, other
 * tiers and matrices, instruction counts (PROFILE=insn) that moved.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "insn_groups.h"
#include "schema.h"
#include "report_tests.h"

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
	char *b = derive_run(fixture_path("run"), (struct run_change){ .rerun_noise = true }), *out;

	(void)state;
	assert_int_equal(compare(fixture_path("run"), b, &out, NULL, NULL), 0);
	assert_non_null(strstr(out, "compare: ok"));
	free(out);
	rm_rf(b);
	free(b);
}

static void test_injected_regression(void **state)
{
	char *b = derive_run(fixture_path("run"), (struct run_change){
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
	char *small = derive_run(fixture_path("run"), (struct run_change){
		.cell_prefix = "copy-4k-direct", .paths = { "metrics.iops" }, .factor = 0.97,
	});
	char *large = derive_run(fixture_path("run"), (struct run_change){
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
	char *direct = derive_run(fixture_path("run"), (struct run_change){
		.cell_prefix = "mkspecial-4k-direct", .paths = { "metrics.map_calls_per_io" },
		.factor = 2,
	});
	char *buffered = derive_run(fixture_path("run"), (struct run_change){
		.cell_prefix = "mkspecial-4k-buffered", .paths = { "metrics.map_calls_per_io" },
		.factor = 1.1,
	});
	char *rounding = derive_run(fixture_path("run"), (struct run_change){
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
	char *a = derive_run(fixture_path("run"), (struct run_change){ .first_repeat_only = true });
	char *b = derive_run(a, (struct run_change){
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
	char *kvm = derive_run(fixture_path("run"), (struct run_change){ .tier = "kvm" });
	char *smaller = derive_run(fixture_path("run"), (struct run_change){
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
	char *other = derive_run(fixture_path("run"), (struct run_change){ .id_suffix = "-other" });
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
	char *slow = derive_run(fixture_path("run"), (struct run_change){
		.tier = "kvm", .cell_prefix = "mkspecial-1m-direct",
		.paths = { "metrics.iops", "metrics.bw_mib_s", "fio.iops" }, .factor = 0.5,
	});
	char *count = derive_run(fixture_path("run"), (struct run_change){
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

/* A profiled run derived from the fixture: what to raise in it. */
struct insn_change {
	const char *cell_prefix;	/* cells whose id starts so */
	int group;			/* the group to scale; -1: none */
	double factor;
};

/*
 * Designed instructions per device request of a group: tlb (20) is below
 * the absolute floor, zero (100) below 1 % of every cell's total.
 */
static double designed(int g, const char *mode, const char *io, double pages)
{
	bool copies = !strcmp(mode, "copy");

	switch (g) {
	case INSN_G_MAP:	return copies ? 0 : 150 + 40 * pages;
	case INSN_G_UNMAP:	return copies ? 0 : 100 + 30 * pages;
	case INSN_G_TLB:	return 20;
	case INSN_G_COPY:	return copies ? 250 * pages : 50;
	case INSN_G_ZERO:	return 100;
	case INSN_G_BLOCK:	return 2000;
	case INSN_G_PIN:	return strcmp(io, "direct") ? 0 : 400;
	case INSN_G_UBMAP:	return 1300;
	case INSN_G_SYSCALL:	return 600;
	case INSN_G_SCHED:	return 7000;
	case INSN_G_IDLE:	return 50;
	case INSN_G_WAIT:	return 900;
	case INSN_G_USER:	return 3400;
	default:		return 10000;	/* other */
	}
}

/* The insn section as bench/insn.c writes it (per_request is what compare reads). */
static bool profile(json_t *rec, void *arg)
{
	const struct insn_change *c = arg;
	const char *id = json_string_value(json_object_get(rec, "cell_id"));
	json_t *cell = json_object_get(rec, "cell"), *per = json_object();
	json_int_t rep = json_integer_value(json_object_get(rec, "repeat"));
	double pages = json_number_value(json_object_get(cell, "bs")) / 4096, total = 0;
	/* +-0.1 % between repeats: a profile is repeatable, not identical. */
	double noise = 1 + 0.001 * (double)(rep - 2);

	for (int g = 0; g < INSN_G_COUNT; g++) {
		double v = noise * designed(g, json_string_value(json_object_get(cell, "mode")),
					    json_string_value(json_object_get(cell, "io")), pages);

		if (g == c->group && !strncmp(id, c->cell_prefix, strlen(c->cell_prefix)))
			v *= c->factor;
		json_object_set_new(per, insn_group_name(g), json_real(v));
		total += insn_group_counted(g) ? v : 0;
	}
	json_object_set_new(per, "total", json_real(total));
	json_object_set_new(rec, "insn", json_pack("{s:o}", "per_request", per));
	return true;
}

static char *profiled(const char *prefix, int group, double factor)
{
	struct insn_change c = { prefix ? prefix : "", group, factor };
	char *dir = scratch_dir();

	run_derive(fixture_path("run"), dir, profile, &c, NULL);
	return dir;
}

/* rm_rf and free every run directory of a NULL-terminated list. */
static void drop_runs(char *dir, ...)
{
	va_list ap;

	va_start(ap, dir);
	for (; dir; dir = va_arg(ap, char *)) {
		rm_rf(dir);
		free(dir);
	}
	va_end(ap);
}

/*
 * The first line of @out that starts with @start, without its newline
 * (the next call overwrites it), or NULL.
 */
static const char *row_of(const char *out, const char *start)
{
	static char row[256];
	size_t n = strlen(start);

	for (const char *l = out; *l; l += strcspn(l, "\n") + !!l[strcspn(l, "\n")])
		if (!strncmp(l, start, n)) {
			snprintf(row, sizeof(row), "%.*s", (int)strcspn(l, "\n"), l);
			return row;
		}
	return NULL;
}

/* Does @row (row_of's) end with @end? */
static bool ends_with(const char *row, const char *end)
{
	size_t e = strlen(end);

	return row && strlen(row) >= e && !strcmp(row + strlen(row) - e, end);
}

/* compare's instruction block, to the end of its output. */
static const char *insn_block(const char *out)
{
	const char *b = strstr(out, "\nInstructions per device request,");

	assert_non_null(b);
	return b + 1;
}

static void test_insn_identical(void **state)
{
	char *a = profiled(NULL, -1, 1), *out;

	(void)state;
	assert_int_equal(compare(a, a, &out, NULL, NULL), 0);
	assert_non_null(strstr(out, "\nInstructions per device request, must not change "
				    "by more than 5.0%\n"));
	assert_non_null(strstr(out, "compare: ok: 0 throughput regressions beyond 5.0%, "
				    "0 exact count changes\n"
				    "  0 instruction count changes beyond 5.0% in 18 cells, "
				    "0 tiny (not gated)\n"));
	assert_non_null(strstr(out, "  insn  FAIL: instructions per device request"));
	/* Gated rows the same; the total and block shown, not gated; idle and wait not at all. */
	assert_true(ends_with(row_of(insn_block(out), "copy 4k direct randread "), "(  0.00%)  -"));
	assert_true(ends_with(row_of(insn_block(out), "  ubmap "), "(  0.00%)  same"));
	assert_true(ends_with(row_of(insn_block(out), "  block "), "(  0.00%)  -"));
	assert_null(row_of(insn_block(out), "  idle "));
	assert_null(row_of(insn_block(out), "  wait "));
	/* copy maps nothing: no map row in its cells, one in mkspecial's. */
	assert_true(strstr(out, "\n  map ") > strstr(out, "\nmkspecial 4k direct randread "));
	assert_null(strstr(out, "FAIL\n"));
	free(out);
	/* --changes: nothing moved, no block. */
	assert_int_equal(compare(a, a, &out, "--changes", NULL), 0);
	assert_null(strstr(out, "Instructions per device request,"));
	free(out);
	drop_runs(a, NULL);
}

static void test_insn_group_change(void **state)
{
	char *a = profiled(NULL, -1, 1);
	char *up10 = profiled("copy-4k-direct", INSN_G_UBMAP, 1.10);
	char *up3 = profiled("copy-4k-direct", INSN_G_UBMAP, 1.03);
	char *other = profiled("copy-4k-direct", INSN_G_OTHER, 1.50);
	const char *r;
	char *out;

	(void)state;
	/* 10 % more of the module's code in one cell: the group fails, named. */
	assert_int_equal(compare(a, up10, &out, NULL, NULL), 1);
	assert_non_null(strstr(out, "compare: FAIL: 0 throughput regressions beyond 5.0%, "
				    "0 exact count changes\n"
				    "  1 instruction count change beyond 5.0% in 18 cells"));
	r = row_of(insn_block(out), "  ubmap ");
	assert_non_null(strstr(r, "1300.0"));
	assert_non_null(strstr(r, "1430.0"));
	assert_true(ends_with(r, "* 10.00%*  FAIL"));
	/* The total moved too (0.5 %): shown, never gated. */
	assert_true(ends_with(row_of(insn_block(out), "copy 4k direct randread "), "-"));
	free(out);
	/* --changes: the cell's total for context and the group; nothing else. */
	assert_int_equal(compare(a, up10, &out, "--changes", NULL), 1);
	assert_non_null(row_of(insn_block(out), "copy 4k direct randread "));
	assert_non_null(row_of(insn_block(out), "  ubmap "));
	assert_null(row_of(insn_block(out), "  sched "));
	assert_null(row_of(insn_block(out), "  block "));
	assert_null(row_of(insn_block(out), "copy 4k buffered randread "));
	free(out);
	/* A wider tolerance lets it pass. */
	assert_int_equal(compare(a, up10, &out, "--insn-tolerance", "15"), 0);
	assert_non_null(strstr(out, "by more than 15.0%"));
	free(out);
	/* 3 %: within the tolerance, shown as same. */
	assert_int_equal(compare(a, up3, &out, NULL, NULL), 0);
	assert_true(ends_with(row_of(insn_block(out), "  ubmap "), "(  3.00%)  same"));
	free(out);
	/*
	 * other is 40 % of the cell and follows time (timer ticks, khugepaged):
	 * half as much again moves the total 20 %, and neither gates.
	 */
	assert_int_equal(compare(a, other, &out, NULL, NULL), 0);
	assert_non_null(strstr(out, "  0 instruction count changes beyond 5.0%"));
	assert_true(ends_with(row_of(insn_block(out), "copy 4k direct randread "), "-"));
	assert_true(ends_with(row_of(insn_block(out), "  other "), "-"));
	free(out);
	drop_runs(a, up10, up3, other, NULL);
}

/* What gates in which mode: remap_pfn_range's calls follow the pages' layout. */
static void test_insn_gated_by_mode(void **state)
{
	(void)state;
	assert_true(insn_gated(INSN_G_MAP, "mkspecial"));
	assert_true(insn_gated(INSN_G_UBMAP, "copy"));
	assert_true(insn_gated(INSN_G_PIN, "remap_pfn_range"));
	assert_true(insn_gated(INSN_G_TLB, "remap_pfn_range"));
	assert_false(insn_gated(INSN_G_MAP, "remap_pfn_range"));
	assert_false(insn_gated(INSN_G_UNMAP, "remap_pfn_range"));
	assert_false(insn_gated(INSN_G_UBMAP, "remap_pfn_range"));
	assert_false(insn_gated(INSN_G_SCHED, "copy"));
	assert_true(mode_calls_follow_layout("remap_pfn_range"));
	assert_false(mode_calls_follow_layout("mkspecial") || mode_calls_follow_layout(NULL));
}

static void test_insn_tiny_group(void **state)
{
	char *a = profiled(NULL, -1, 1);
	char *tlb = profiled("copy-4k-direct", INSN_G_TLB, 1.5);
	char *copy = profiled("mkspecial-4k-direct", INSN_G_COPY, 2);
	char *copy6 = profiled("mkspecial-4k-direct", INSN_G_COPY, 6);
	char *out;

	(void)state;
	/* tlb, 20 -> 30 a request: under the absolute floor, shown, not gated. */
	assert_int_equal(compare(a, tlb, &out, NULL, NULL), 0);
	assert_true(ends_with(row_of(insn_block(out), "  tlb "), "( 50.00%)  tiny"));
	assert_non_null(strstr(out, "0 instruction count changes beyond 5.0% in 18 cells, "
				    "1 tiny (not gated)\n"));
	free(out);
	/* mkspecial's copy, 50 -> 100: above the floor but under 1 % of the total (~25000). */
	assert_int_equal(compare(a, copy, &out, "--changes", NULL), 0);
	assert_non_null(row_of(insn_block(out), "mkspecial 4k direct randread "));
	assert_true(ends_with(row_of(insn_block(out), "  copy "), "(100.00%)  tiny"));
	free(out);
	/* 50 -> 300 is past 1 % of the total: no longer tiny, it fails. */
	assert_int_equal(compare(a, copy6, &out, "--changes", NULL), 1);
	assert_true(ends_with(row_of(insn_block(out), "  copy "), "*500.00%*  FAIL"));
	free(out);
	drop_runs(a, tlb, copy, copy6, NULL);
}

static void test_insn_one_side(void **state)
{
	char *a = profiled(NULL, -1, 1), *out, *plain;

	(void)state;
	assert_int_equal(compare(a, fixture_path("run"), &out, NULL, NULL), 0);
	assert_non_null(strstr(out, "  note  instruction counts: only in base, not compared\n"));
	assert_null(strstr(out, "Instructions per device request"));
	assert_null(strstr(out, "instruction count change"));
	assert_null(strstr(out, "  insn  "));
	free(out);
	assert_int_equal(compare(fixture_path("run"), a, &out, NULL, NULL), 0);
	assert_non_null(strstr(out, "  note  instruction counts: only in new, not compared\n"));
	free(out);
	/* Neither: not a word about them. */
	assert_int_equal(compare(fixture_path("run"), fixture_path("run"), &plain, NULL, NULL), 0);
	assert_null(strstr(plain, "nstruction"));
	free(plain);
	drop_runs(a, NULL);
}

static void test_insn_bad_tolerance(void **state)
{
	static const char *const bad[] = { "abc", "-1", "101", "1%", "" };
	char *out;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(run_cmd(cmd_compare, &out, "compare", fixture_path("run"),
					 fixture_path("run"), "--insn-tolerance", bad[i],
					 NULL), 2);
		assert_non_null(strstr(out, "--insn-tolerance wants a number in [0, 100]"));
		free(out);
	}
	assert_int_equal(run_cmd(cmd_compare, &out, "compare", fixture_path("run"),
				 fixture_path("run"), "--insn-tolerance", NULL), 2);
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
		cmocka_unit_test(test_insn_identical),
		cmocka_unit_test(test_insn_group_change),
		cmocka_unit_test(test_insn_gated_by_mode),
		cmocka_unit_test(test_insn_tiny_group),
		cmocka_unit_test(test_insn_one_side),
		cmocka_unit_test(test_insn_bad_tolerance),
	};

	return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}
