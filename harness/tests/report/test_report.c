// SPDX-License-Identifier: GPL-2.0
/* report on the fixture run: both files, 80 columns, findings from data. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "report_tests.h"

static char *report_of(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return read_file(path, NULL);
}

/* report.txt with its wrapped lines joined: "\n" + indent reads as " ". */
static char *flat(const char *txt)
{
	char *out = strdup(txt), *w = out;

	for (const char *r = txt; *r; r++) {
		if (*r == '\n' && r[1] == ' ') {
			while (r[1] == ' ')
				r++;
			*w++ = ' ';
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return out;
}

static void test_report_files(void **state)
{
	char *dir = scratch_dir(), *txt, *md, *out, *ft;

	(void)state;
	run_derive(fixture_path("run"), dir, NULL, NULL, NULL);
	assert_int_equal(run_cmd(cmd_report, &out, "report", dir, NULL), 0);
	free(out);
	txt = report_of(dir, "report.txt");
	md = report_of(dir, "report.md");
	assert_non_null(txt);
	assert_non_null(md);
	assert_fits(txt, 80);

	/* Environment, and what TCG can and cannot show, up front. */
	assert_non_null(strstr(txt, "virt tier  tcg (kvm present but unusable: emulation"));
	assert_non_null(strstr(md, "tcg (kvm present but unusable: emulation failure during boot)"));
	assert_non_null(strstr(txt, "6.1.0-56-amd64"));
	assert_non_null(strstr(txt, "PAT on"));
	assert_non_null(strstr(txt, "0123456789ab"));
	assert_non_null(strstr(txt, "QEMU emulator version 7.2.19"));
	assert_non_null(strstr(txt, "Tier: TCG"));
	assert_non_null(strstr(txt, "no PMU"));
	/* Under TCG the counts come before the times. */
	assert_true(strstr(txt, "Map calls per I/O (") < strstr(txt, "IOPS (IO/s"));

	/* mmtests rows; the designed fixture: mkspecial 64k +10%, 4k -62.5%. */
	assert_non_null(strstr(txt, "Amean  4k"));
	assert_non_null(strstr(txt, "Stddev 4k"));
	assert_non_null(strstr(txt, "*-62.50%*"));
	assert_non_null(strstr(txt, "* 10.00%*"));

	/*
	 * vm_insert_pages with O_DIRECT copied every request: its times
	 * measure copy, so none is printed (the fixture's 7615.20 IOPS).
	 */
	assert_non_null(strstr(txt, "Amean    4k    8016.00   n/a (fallback)"));
	assert_non_null(strstr(txt, "n/a (fallback: anon_page): vm_insert_pages sent"));
	assert_non_null(strstr(md, "| 4k | 8016.00 ± 221.30 | n/a (fallback: anon_page) |"));
	assert_null(strstr(txt, "7615.2"));
	assert_non_null(strstr(txt, "CoeffVar 1m"));
	assert_non_null(strstr(txt, "IOPS (IO/s, higher is better), emulated time (TCG)\n"));
	assert_non_null(strstr(txt, "Map calls per I/O (lower is better)\n"));
	assert_non_null(strstr(md, "after Holm's correction over every pair of modes"));

	/*
	 * Findings computed from the data.  Under TCG time is emulated: no
	 * timing claim, and the report says which it withholds and why.
	 */
	ft = flat(txt);
	assert_non_null(strstr(ft, "Timing findings withheld (TCG: emulated time)"));
	assert_non_null(strstr(ft, "Of the 12 IOPS comparisons, 11 are"));
	assert_null(strstr(ft, "beats copy"));
	assert_null(strstr(ft, "fastest ("));
	assert_true(strstr(ft, "Counts at the smallest") < strstr(ft, "Timing findings withheld"));
	assert_non_null(strstr(ft, "vm_insert_pages sent 100.0% of device requests"));
	assert_non_null(strstr(ft, "anon_page"));
	assert_non_null(strstr(ft, "vm_insert_pages: 3 WARNING (3 known)"));
	free(ft);
	/* The failed run is named, and left out. */
	assert_non_null(strstr(txt, "mkspecial-64k-buffered-randread"));
	assert_non_null(strstr(txt, "Input/output error"));

	assert_non_null(strstr(md, "# ubmap report: run `fixture`"));
	assert_non_null(strstr(md, "| bs | copy | vm_insert_pages | mkspecial |"));
	assert_non_null(strstr(md, "(**+30.00%** ± "));
	assert_non_null(strstr(md, "## buffered randread"));
	free(txt);
	free(md);
	rm_rf(dir);
	free(dir);
}

/* The fixture as if it ran under KVM, where time is real. */
static void run_kvm(json_t *run, void *arg)
{
	(void)arg;
	json_object_set_new(json_path(run, "meta"), "tier", json_string("kvm"));
}

static bool rec_kvm(json_t *rec, void *arg)
{
	(void)arg;
	json_object_set_new(json_path(rec, "meta"), "tier", json_string("kvm"));
	return true;
}

/* One repeat: nothing is tested, and the report says so. */
static bool first_repeat(json_t *rec, void *arg)
{
	rec_kvm(rec, arg);
	return json_integer_value(json_object_get(rec, "repeat")) == 1;
}

/*
 * mkspecial 64k direct with wild repeats: its mean is 21% above copy's
 * but the test cannot tell it from noise.  The old report said "beats
 * copy from 64k" whenever the mean was higher.
 */
static bool noisy_64k(json_t *rec, void *arg)
{
	static const double f[] = { 1.3, 0.75, 1.25 };
	const char *id = json_string_value(json_object_get(rec, "cell_id"));
	json_int_t rep = json_integer_value(json_object_get(rec, "repeat"));

	rec_kvm(rec, arg);
	if (!strncmp(id, "mkspecial-64k-direct", 20))
		jscale(rec, "metrics.iops", f[(rep - 1) % 3]);
	return true;
}

/*
 * The report of the fixture run relabelled KVM (timing claims made), its
 * records passed through fn; checked to fit 80 columns, lines joined.
 */
static char *kvm_report(const char *dir, rec_fn fn)
{
	char *out, *txt, *joined;

	run_derive(fixture_path("run"), dir, fn, NULL, run_kvm);
	assert_int_equal(run_cmd(cmd_report, &out, "report", dir, NULL), 0);
	free(out);
	txt = report_of(dir, "report.txt");
	assert_fits(txt, 80);
	joined = flat(txt);
	free(txt);
	return joined;
}

static void test_report_kvm_findings(void **state)
{
	char *dir = scratch_dir(), *txt;

	(void)state;
	txt = kvm_report(dir, rec_kvm);
	assert_null(strstr(txt, "withheld"));
	assert_null(strstr(txt, "emulated time (TCG)"));
	assert_non_null(strstr(txt, "mkspecial beats copy from 64k, and at every larger size"));
	assert_non_null(strstr(txt, "64k +10.0% +-2.7% (faster, Holm p=0.003)"));
	/* A full fallback is no comparison: its IOPS are copy's. */
	assert_non_null(strstr(txt, "vm_insert_pages is not compared: it sent every"));
	/* +2% with 1% noise: not significant after Holm, and said so. */
	assert_non_null(strstr(txt, "64k no significant difference (+2.0% +-2.5%"));
	assert_non_null(strstr(txt, "4k copy fastest (+166.7%"));
	assert_non_null(strstr(txt, "1m mkspecial fastest (+30.0% +-3.0% over copy"));
	assert_non_null(strstr(txt, "copied: vm_insert_pages."));
	/* Time first on KVM. */
	assert_true(strstr(txt, "Where each mode starts") < strstr(txt, "Counts at the"));
	free(txt);
	rm_rf(dir);
	free(dir);
}

static void test_report_not_significant(void **state)
{
	char *dir = scratch_dir(), *txt;

	(void)state;
	txt = kvm_report(dir, noisy_64k);
	assert_null(strstr(txt, "direct randread: mkspecial beats copy from 64k"));
	assert_non_null(strstr(txt, "direct randread: mkspecial beats copy from 1m"));
	assert_non_null(strstr(txt, "64k no significant difference (+20.9% +-82.3%"));
	assert_non_null(strstr(txt, "64k no fastest mode: mkspecial has the best mean, no significant difference against copy"));
	/* Nor does the table mark it. */
	assert_non_null(strstr(txt, "( 20.94%)"));
	assert_null(strstr(txt, "* 20.94%*"));
	free(txt);
	rm_rf(dir);
	free(dir);
}

static void test_report_one_repeat(void **state)
{
	char *dir = scratch_dir(), *txt;

	(void)state;
	txt = kvm_report(dir, first_repeat);
	assert_non_null(strstr(txt, "Every cell ran 1 time."));
	assert_non_null(strstr(txt, "64k untested (+10.0%; fewer than 2 repeats)"));
	assert_non_null(strstr(txt, "is not significantly faster than copy at any size"));
	assert_non_null(strstr(txt, "undecided: copy has the best mean"));
	assert_null(strstr(txt, "beats copy"));
	assert_null(strstr(txt, "Stddev 4k"));
	assert_null(strstr(txt, "*-62.50%*"));
	assert_non_null(strstr(txt, "(-62.50%)"));
	free(txt);
	rm_rf(dir);
	free(dir);
}

static void test_report_usage(void **state)
{
	char *out;

	(void)state;
	assert_int_equal(run_cmd(cmd_report, &out, "report", NULL), EXIT_USAGE);
	free(out);
	assert_int_equal(run_cmd(cmd_report, &out, "report", "/nonexistent/run", NULL),
			 EXIT_FAIL);
	assert_non_null(strstr(out, "/nonexistent/run/results.jsonl"));
	free(out);
}

int run_report_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_files),
		cmocka_unit_test(test_report_one_repeat),
		cmocka_unit_test(test_report_kvm_findings),
		cmocka_unit_test(test_report_not_significant),
		cmocka_unit_test(test_report_usage),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
