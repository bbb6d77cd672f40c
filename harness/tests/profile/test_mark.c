// SPDX-License-Identifier: GPL-2.0
/*
 * The guest side of a window, run on the host: the marker is a no-op here,
 * so no plugin answers, and that must be an error, not a silent success.
 */
#include "../testlib.h"

#include <stdlib.h>
#include <string.h>

#include "mark.h"
#include "profile_tests.h"

static void no_plugin_is_an_error(void **state)
{
	char dir[] = "/tmp/ubmap-mark-test.XXXXXX", err[4608], cmd[128];

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(insn_window_start(dir, "cell", err, sizeof(err)), -1);
	/* Where /proc/kallsyms is readable, the failure is the missing answer. */
	if (!strstr(err, "kallsyms") && !strstr(err, "/sys/module"))
		assert_non_null(strstr(err, "no answer from the plugin"));
	assert_int_equal(insn_window_stop(dir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no answer from the plugin"));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void bad_name_and_dir(void **state)
{
	char err[4608];

	(void)state;
	assert_int_equal(insn_window_start("/tmp", "../x", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad window name '../x'"));
	assert_int_equal(insn_window_stop("/nonexistent/ubmap", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no answer from the plugin"));
}

int test_mark(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_plugin_is_an_error),
		cmocka_unit_test(bad_name_and_dir),
	};

	return cmocka_run_group_tests_name("mark", tests, NULL, NULL);
}
