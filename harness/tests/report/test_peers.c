// SPDX-License-Identifier: GPL-2.0
/*
 * Targets in a report: the fixture with vm_insert_pages relabelled as brd,
 * a record of an unavailable ublk and a memcpy bound; the fixture as it is
 * (no target in its records, no bound) has no targets section at all.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "report_tests.h"

static bool to_peers(json_t *rec, void *arg)
{
	json_t *cell = json_object_get(rec, "cell");
	const char *mode = json_string_value(json_object_get(cell, "mode"));

	(void)arg;
	if (!strcmp(mode, "vm_insert_pages")) {
		json_object_set_new(cell, "target", json_string("brd"));
		json_object_set_new(cell, "mode", json_string("-"));
		json_object_set_new(rec, "module", json_null());
	} else if (!strcmp(json_string_value(json_object_get(rec, "status")), "failed")) {
		json_object_set_new(cell, "target", json_string("ublk"));
		json_object_set_new(cell, "mode", json_string("-"));
		json_object_set_new(rec, "status", json_string("unavailable"));
		json_object_set_new(rec, "error",
				    json_string("unavailable: kmods/ublk/ublk_drv.ko not built (make module)"));
	}
	return true;
}

static void with_bound(json_t *run, void *arg)
{
	(void)arg;
	json_object_set_new(run, "memcpy_bound",
			    json_pack("[{s:i, s:s, s:f}, {s:i, s:s, s:f}, {s:i, s:s, s:f}]",
				      "bs", 4096, "bs_text", "4k", "bytes_per_s", 4096.0 * 50000,
				      "bs", 65536, "bs_text", "64k", "bytes_per_s", 65536.0 * 9000,
				      "bs", 1 << 20, "bs_text", "1m", "bytes_per_s", 1048576.0 * 700));
}

static char *file_of(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return read_file(path, NULL);
}

static void test_peers_section(void **state)
{
	char *dir = scratch_dir(), *out, *txt, *md;

	(void)state;
	run_derive(fixture_path("run"), dir, to_peers, NULL, with_bound);
	assert_int_equal(run_cmd(cmd_report, &out, "report", dir, NULL), 0);
	free(out);
	txt = file_of(dir, "report.txt");
	md = file_of(dir, "report.md");
	assert_fits(txt, 80);
	assert_non_null(strstr(md, "\n## Targets side by side\n"));
	assert_non_null(strstr(md, "- ublk: unavailable: kmods/ublk/ublk_drv.ko not built (make module)\n"));
	/* The unavailable record is not a failure. */
	assert_null(strstr(md, "FAILED"));
	assert_null(strstr(txt, "1 run failed"));
	/* brd is a variant beside the modes; ratios to itself are 1. */
	/* No null_blk in this run: no column of ratios to it. */
	assert_non_null(strstr(md, "| target/mode | IOPS 4k | MiB/s | /brd | IOPS 64k |"));
	assert_non_null(strstr(md, "| brd | 7615 | 29.7 | 1.000 | 2906 |"));
	/* copy 8000 vs brd 7600 at 4k direct. */
	assert_non_null(strstr(md, "| copy | 8016 | 31.3 | 1.053 | 3006 |"));
	assert_non_null(strstr(md, "| memcpy bound | 50000 | 195.3 |  | 9000 | 562.5 |  | 700 | 700.0 |  |\n"));
	/* The per-section tables name brd as a column like a mode. */
	assert_non_null(strstr(txt, "brd"));
	free(txt);
	free(md);
	rm_rf(dir);
	free(dir);
}

/* Under KVM, where findings compare times: ubmap's modes only. */
static bool to_peers_kvm(json_t *rec, void *arg)
{
	json_object_set_new(json_path(rec, "meta"), "tier", json_string("kvm"));
	return to_peers(rec, arg);
}

static void bound_kvm(json_t *run, void *arg)
{
	json_object_set_new(json_path(run, "meta"), "tier", json_string("kvm"));
	with_bound(run, arg);
}

static void test_findings_leave_peers_out(void **state)
{
	char *dir = scratch_dir(), *out, *md;

	(void)state;
	run_derive(fixture_path("run"), dir, to_peers_kvm, NULL, bound_kvm);
	assert_int_equal(run_cmd(cmd_report, &out, "report", dir, NULL), 0);
	free(out);
	md = file_of(dir, "report.md");
	assert_non_null(strstr(md, "mkspecial beats copy"));
	assert_null(strstr(md, "brd beats"));
	assert_null(strstr(md, "brd is not significantly faster"));
	assert_null(strstr(md, "brd fastest"));
	assert_null(strstr(md, "best mean, "));
	free(md);
	rm_rf(dir);
	free(dir);
}

static void test_no_peers_no_section(void **state)
{
	char *dir = scratch_dir(), *out, *md;

	(void)state;
	run_derive(fixture_path("run"), dir, NULL, NULL, NULL);
	assert_int_equal(run_cmd(cmd_report, &out, "report", dir, NULL), 0);
	free(out);
	md = file_of(dir, "report.md");
	assert_null(strstr(md, "Targets side by side"));
	free(md);
	rm_rf(dir);
	free(dir);
}

int run_peers_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_peers_section),
		cmocka_unit_test(test_findings_leave_peers_out),
		cmocka_unit_test(test_no_peers_no_section),
	};

	return cmocka_run_group_tests_name("peers", tests, NULL, NULL);
}
