// SPDX-License-Identifier: GPL-2.0
/* ubmap-report microbench: its tables from a microbench's rows, its errors, its plots. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gnuplot.h"
#include "mb_report.h"
#include "report_tests.h"

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_report(void **state)
{
	char *d = scratch_dir(), err[1024], scripts[PATH_MAX], path[PATH_MAX];
	struct strbuf md = STRBUF_INIT;

	(void)state;
	put(d, "meta.json", "{\"machine\": {\"kernel\": \"6.1.0-57-amd64\", \"tier\": \"tcg\", "
	    "\"pat\": \"on\", \"vcpus\": 2}, \"iterations\": 10}");
	put(d, "microbench.jsonl",
	    "{\"mode\":\"copy\",\"kind\":\"kernel\",\"pages\":1,\"refused\":null,"
	    "\"map_ns_per_page\":900,\"unmap_ns_per_page\":0,\"map_calls_per_batch\":0}\n"
	    "{\"mode\":\"vm_insert_pages\",\"kind\":\"anon\",\"pages\":1,\"refused\":\"anon_page\"}\n"
	    "{\"mode\":\"copy\",\"kind\":\"pagecache\",\"pages\":1,\"refused\":null,"
	    "\"map_ns_per_page\":1024,\"unmap_ns_per_page\":0,\"map_calls_per_batch\":0}\n"
	    "{\"mode\":\"mkspecial\",\"kind\":\"kernel\",\"pages\":9,\"refused\":null,"
	    "\"map_ns_per_page\":200,\"unmap_ns_per_page\":288.9,\"map_calls_per_batch\":1,"
	    "\"map_ns_per_call\":1800,\"unmap_ns_per_call\":2600,"
	    "\"insn\":{\"per_page\":{\"map\":40,\"unmap\":90,\"tlb\":12,\"copy\":0,\"ubmap\":5,\"other\":7}}}\n"
	    "{\"mode\":\"mkspecial\",\"kind\":\"kernel\",\"pages\":1,\"refused\":null,"
	    "\"map_ns_per_page\":1000,\"unmap_ns_per_page\":1000,\"map_calls_per_batch\":1,"
	    "\"map_ns_per_call\":1000,\"unmap_ns_per_call\":1000}\n");
	assert_int_equal(mb_report(d, NULL, &md, NULL, NULL, err, sizeof(err)), 0);
	/* 1000 at 1 page, 1800 at 9: 900 a call and 100 a page; unmap 800 + 200. */
	assert_non_null(strstr(sb_str(&md), "| kernel | mkspecial | 900 | 100 | 800 | 200 |"));
	/* 4096 bytes in 1024 ns: 4000 MB/s. */
	assert_non_null(strstr(sb_str(&md), "| copy | 1 | 4000 |"));
	/* One size is no fit. */
	assert_null(strstr(sb_str(&md), "| kernel | copy |"));
	sb_free(&md);
	/* Against a run: its table, whatever cells it has. */
	assert_int_equal(mb_report(d, fixture_path("run"), &md, NULL, NULL, err, sizeof(err)), 0);
	assert_non_null(strstr(sb_str(&md), "### The fits against run fixture"));
	assert_non_null(strstr(sb_str(&md), "PAT on"));
	assert_non_null(strstr(sb_str(&md), "### kernel pages"));
	assert_non_null(strstr(sb_str(&md), "| mkspecial | 9 | 200 | 289 | 1.00 | 40 | 90 | 12 | 0 | 5 | 7 |"));
	/* Rows without the profile get dashes, refusals their reason. */
	assert_non_null(strstr(sb_str(&md), "| copy | 1 | 900 | 0 | 0.00 | – |"));
	assert_non_null(strstr(sb_str(&md), "| vm_insert_pages | 1 | refused (anon_page) |"));
	sb_free(&md);
	/* A row without its costs is an error, not a blank. */
	put(d, "microbench.jsonl", "{\"mode\":\"copy\",\"kind\":\"kernel\",\"pages\":1,\"refused\":null}\n");
	assert_int_equal(mb_report(d, NULL, &md, NULL, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "row 1 lacks"));
	sb_free(&md);
	put(d, "microbench.jsonl", "");
	assert_int_equal(mb_report(d, NULL, &md, NULL, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no rows"));
	sb_free(&md);
	/* With the scripts: a plot per kind, in every format asked for. */
	put(d, "microbench.jsonl",
	    "{\"mode\":\"copy\",\"kind\":\"kernel\",\"pages\":1,\"refused\":null,"
	    "\"map_ns_per_page\":900,\"unmap_ns_per_page\":0,\"map_calls_per_batch\":0}\n"
	    "{\"mode\":\"copy\",\"kind\":\"kernel\",\"pages\":8,\"refused\":null,"
	    "\"map_ns_per_page\":700,\"unmap_ns_per_page\":0,\"map_calls_per_batch\":0}\n");
	gp_scripts_dir(NULL, scripts, sizeof(scripts));
	assert_int_equal(mb_report(d, NULL, &md, scripts, "txt", err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/plots/microbench-kernel.txt", d);
	assert_int_equal(access(path, F_OK), 0);
	sb_free(&md);
	rm_rf(d);
	free(d);
}

int run_mb_report_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report),
	};

	return cmocka_run_group_tests_name("mb_report", tests, NULL, NULL);
}
