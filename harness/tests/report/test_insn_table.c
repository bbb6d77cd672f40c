// SPDX-License-Identifier: GPL-2.0
/* The "instructions per request by group" table of a profiled run. */
#include <string.h>

#include "insn_table.h"
#include "report_tests.h"

static void table_means_repeats(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char err[512];
	const char *t;

	(void)state;
	assert_int_equal(insn_table(FIXTURES "/insn-run", &sb, err, sizeof(err)), 0);
	t = sb_str(&sb);
	/* c1's two repeats averaged: tlb 2, total 24902; c3 has no profile: no row. */
	assert_non_null(strstr(t, "copy 4k direct randread"));
	assert_non_null(strstr(t, "24902"));
	assert_non_null(strstr(t, "mkspecial 1m direct randread"));
	assert_non_null(strstr(t, "642300"));
	assert_null(strstr(t, "copy 1m"));
	assert_non_null(strstr(t, " map "));
	sb_free(&sb);
}

static void table_errors(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char err[512];

	(void)state;
	assert_int_equal(insn_table(FIXTURES "/nosuch", &sb, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file"));
	/* A run without the profile says how to get one. */
	assert_int_equal(insn_table(FIXTURES "/insn-none", &sb, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "PROFILE=insn"));
	sb_free(&sb);
}

int run_insn_table_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_means_repeats),
		cmocka_unit_test(table_errors),
	};

	return cmocka_run_group_tests_name("insn_table", tests, NULL, NULL);
}
