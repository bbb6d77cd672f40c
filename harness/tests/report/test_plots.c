// SPDX-License-Identifier: GPL-2.0
/* plots on the fixture run: gnuplot runs; PNG, SVG and text exist. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "cli.h"
#include "cmd.h"
#include "report_tests.h"

static bool have_gnuplot(void)
{
	return !system("gnuplot --version >/dev/null 2>&1");
}

static void check_plot(const char *dir, const char *base)
{
	char path[PATH_MAX], *text;

	snprintf(path, sizeof(path), "%s/plots/%s.png", dir, base);
	if (!file_nonempty(path))
		fail_msg("%s missing or empty", path);
	text = read_file(path, NULL);
	/* The PNG signature, so a text error message cannot pass for one. */
	assert_memory_equal(text, "\x89PNG", 4);
	free(text);
	snprintf(path, sizeof(path), "%s/plots/%s.svg", dir, base);
	text = read_file(path, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "<svg"));
	free(text);
	snprintf(path, sizeof(path), "%s/plots/%s.txt", dir, base);
	text = read_file(path, NULL);
	assert_non_null(text);
	/* The dumb terminal drew axes and a key, not an empty page. */
	assert_non_null(strstr(text, "+----"));
	assert_non_null(strstr(text, "copy"));
	free(text);
}

static void test_plots(void **state)
{
	static const char *const sections[] = { "direct-randread", "buffered-randread" };
	static const char *const plots[] = { "iops", "bw", "cpu", "tlb", "speedup" };
	char *dir = scratch_dir(), *out, path[PATH_MAX], name[128], *md;

	(void)state;
	if (!have_gnuplot())
		skip();
	run_derive(fixture_path("run"), dir, NULL, NULL, NULL);
	assert_int_equal(run_cmd(cmd_plots, &out, "plots", dir, "--scripts", PLOTS_DIR, NULL), 0);
	free(out);
	for (size_t s = 0; s < 2; s++)
		for (size_t p = 0; p < 5; p++) {
			snprintf(name, sizeof(name), "%s-%s", sections[s], plots[p]);
			check_plot(dir, name);
		}
	/* Titles carry run id, kernel and tier. */
	snprintf(path, sizeof(path), "%s/plots/direct-randread-iops.svg", dir);
	out = read_file(path, NULL);
	assert_non_null(strstr(out, "run fixture, kernel 6.1.0-56-amd64, tier tcg"));
	free(out);
	/* A report written after the plots links them. */
	assert_int_equal(run_cmd(cmd_report, &out, "report", dir, NULL), 0);
	free(out);
	snprintf(path, sizeof(path), "%s/report.md", dir);
	md = read_file(path, NULL);
	assert_non_null(strstr(md, "(plots/direct-randread-speedup.png)"));
	free(md);
	/* REPORT.md elsewhere links into the run directory it names. */
	snprintf(path, sizeof(path), "%s/doc", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/doc/REPORT.md", dir);
	assert_int_equal(run_cmd(cmd_report, &out, "report", dir, "--md", path, NULL), 0);
	free(out);
	md = read_file(path, NULL);
	assert_non_null(strstr(md, "(../plots/direct-randread-speedup.png)"));
	free(md);
	rm_rf(dir);
	free(dir);
}

static void test_plots_bad_scripts(void **state)
{
	char *dir = scratch_dir(), *out;

	(void)state;
	run_derive(fixture_path("run"), dir, NULL, NULL, NULL);
	assert_int_equal(run_cmd(cmd_plots, &out, "plots", dir, "--scripts",
				 "/nonexistent", NULL), EXIT_FAIL);
	assert_non_null(strstr(out, "/nonexistent/bs_plot.gp"));
	free(out);
	rm_rf(dir);
	free(dir);
}

int run_plots_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plots),
		cmocka_unit_test(test_plots_bad_scripts),
	};

	return cmocka_run_group_tests_name("plots", tests, NULL, NULL);
}
