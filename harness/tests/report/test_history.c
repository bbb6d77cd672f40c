// SPDX-License-Identifier: GPL-2.0
/* The CI history: append (once per run), the text trend, the trend plot. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "cli.h"
#include "cmd.h"
#include "report_tests.h"

static bool rename_run(json_t *rec, void *arg)
{
	json_object_set_new(rec, "run_id", json_string(arg));
	/* The second run is 10% slower at 4k copy: the trend shows it. */
	if (!strncmp(json_string_value(json_object_get(rec, "cell_id")), "copy-4k-direct", 14))
		jscale(rec, "metrics.iops", 0.9);
	return true;
}

static void test_history(void **state)
{
	char *dir = scratch_dir(), *run2, csv[PATH_MAX], png[PATH_MAX], *text, *out;
	char outdir[PATH_MAX / 2];
	const char *p;
	int lines = 0;

	(void)state;
	if (asprintf(&run2, "%s/run2", dir) < 0)
		abort();
	run_derive(fixture_path("run"), run2, rename_run, "fixture-2", NULL);
	snprintf(csv, sizeof(csv), "%s/history.csv", dir);
	assert_int_equal(run_cmd(cmd_history_append, &out, "history-append",
				 fixture_path("run"), csv, "--verdict", "ok", NULL), 0);
	free(out);
	/* The same run twice is one run. */
	assert_int_equal(run_cmd(cmd_history_append, &out, "history-append",
				 fixture_path("run"), csv, NULL), 0);
	assert_non_null(strstr(out, "already"));
	free(out);
	assert_int_equal(run_cmd(cmd_history_append, &out, "history-append", run2, csv,
				 "--verdict", "regression", NULL), 0);
	free(out);
	text = read_file(csv, NULL);
	for (p = text; (p = strchr(p, '\n')); p++)
		lines++;
	/* A header, then a line per cell of each run. */
	assert_int_equal(lines, 1 + 18 + 18);
	assert_true(!strncmp(text, "run_id,started,git_sha,", 23));
	assert_non_null(strstr(text, ",iops,iops_sd,"));
	assert_non_null(strstr(text, "fixture-2,"));
	/* matrix name, verdict, cell: what the trend groups and labels by. */
	assert_non_null(strstr(text, ",fixture,ok,copy-4k-direct-randread"));
	assert_non_null(strstr(text, ",fixture,regression,copy-4k-direct-randread"));
	free(text);

	snprintf(outdir, sizeof(outdir), "%s/trend", dir);
	assert_int_equal(run_cmd(cmd_trend, &out, "trend", csv, "--out", outdir,
				 "--scripts", PLOTS_DIR, NULL), 0);
	assert_fits(out, 80);
	assert_non_null(strstr(out, "#2  fixture-2  git 0123456789ab  compare regression"));
	assert_non_null(strstr(out, "copy/4k/direct/randread"));
	assert_non_null(strstr(out, "(-10.00%)"));
	free(out);
	snprintf(png, sizeof(png), "%s/trend-iops.png", outdir);
	assert_true(file_nonempty(png));
	snprintf(png, sizeof(png), "%s/trend-iops.txt", outdir);
	assert_true(file_nonempty(png));
	free(run2);
	rm_rf(dir);
	free(dir);
}

static void test_history_other_layout(void **state)
{
	char *dir = scratch_dir(), csv[PATH_MAX], *out;
	FILE *f;

	(void)state;
	snprintf(csv, sizeof(csv), "%s/history.csv", dir);
	f = fopen(csv, "w");
	fputs("run_id,iops\nold,1\n", f);
	fclose(f);
	assert_int_equal(run_cmd(cmd_history_append, &out, "history-append",
				 fixture_path("run"), csv, NULL), 1);
	assert_non_null(strstr(out, "other columns"));
	free(out);
	rm_rf(dir);
	free(dir);
}

int run_history_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_history_other_layout),
	};

	return cmocka_run_group_tests_name("history", tests, NULL, NULL);
}
