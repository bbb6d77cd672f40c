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

static void test_report_files(void **state)
{
	char *dir = scratch_dir(), *txt, *md, *out;

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
	assert_non_null(strstr(md, "after Holm's correction over every pair of modes"));

	/* Findings computed from the data. */
	assert_non_null(strstr(txt, "mkspecial beats copy from 64k: +10.0% IOPS"));
	assert_non_null(strstr(txt, "vm_insert_pages never beats copy"));
	assert_non_null(strstr(txt, "vm_insert_pages sent 100.0% of device requests"));
	assert_non_null(strstr(txt, "anon_page"));
	assert_non_null(strstr(txt, "4k copy (+5.3% over vm_insert_pages"));
	assert_non_null(strstr(txt, "1m mkspecial (+30.0% over copy"));
	assert_non_null(strstr(txt, "vm_insert_pages: 3 WARNING (3 known)"));
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

/* One repeat: nothing is tested, and the report says so. */
static bool first_repeat(json_t *rec, void *arg)
{
	(void)arg;
	return json_integer_value(json_object_get(rec, "repeat")) == 1;
}

static void test_report_one_repeat(void **state)
{
	char *dir = scratch_dir(), *txt, *out;

	(void)state;
	run_derive(fixture_path("run"), dir, first_repeat, NULL, NULL);
	assert_int_equal(run_cmd(cmd_report, &out, "report", dir, NULL), 0);
	free(out);
	txt = report_of(dir, "report.txt");
	assert_fits(txt, 80);
	assert_non_null(strstr(txt, "Every cell ran 1 time."));
	assert_non_null(strstr(txt, "untested: fewer than 2 repeats"));
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
		cmocka_unit_test(test_report_usage),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
