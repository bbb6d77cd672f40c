// SPDX-License-Identifier: GPL-2.0
/* ubmap-tcmud's command line (tcmu/options.c). */
#include <string.h>

#include "options.h"
#include "tests.h"

static enum tcmud_opts_result parse(struct tcmud_opts *o, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return tcmud_opts_parse(argc, argv, o, stderr, fopen("/dev/null", "w"));
}

static void test_defaults(void **state)
{
	char *argv[] = { "ubmap-tcmud", NULL };
	struct tcmud_opts o;

	(void)state;
	assert_int_equal(parse(&o, argv), TOPTS_OK);
	assert_string_equal(o.store, "null");
	assert_string_equal(o.name, TCMUD_DEFAULT_NAME);
	assert_int_equal(o.size, 256 << 20);
	assert_int_equal(o.cmd_timeout, 30);
	assert_false(o.teardown);
}

static void test_values(void **state)
{
	char *argv[] = { "ubmap-tcmud", "--store=file", "--path=/tmp/x", "-S", "64m",
			 "--name", "t1", "--cmd-timeout=5", "--ready-file=/tmp/r", NULL };
	struct tcmud_opts o;

	(void)state;
	assert_int_equal(parse(&o, argv), TOPTS_OK);
	assert_string_equal(o.store, "file");
	assert_string_equal(o.path, "/tmp/x");
	assert_int_equal(o.size, 64 << 20);
	assert_string_equal(o.name, "t1");
	assert_int_equal(o.cmd_timeout, 5);
	assert_string_equal(o.ready_file, "/tmp/r");
}

static void test_errors(void **state)
{
	char *bad[][4] = {
		{ "ubmap-tcmud", "--store=disk", NULL },
		{ "ubmap-tcmud", "--store=file", NULL },	/* no --path */
		{ "ubmap-tcmud", "--path=/x", NULL },		/* not file */
		{ "ubmap-tcmud", "--size=1000", NULL },		/* not 4k */
		{ "ubmap-tcmud", "--cmd-timeout=0", NULL },
		{ "ubmap-tcmud", "--name=a/b", NULL },
		{ "ubmap-tcmud", "--name=", NULL },
		{ "ubmap-tcmud", "--frob", NULL },
		{ "ubmap-tcmud", "extra", NULL },
		{ "ubmap-tcmud", "--size", NULL },
	};
	struct tcmud_opts o;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(&o, bad[i]) != TOPTS_ERROR)
			fail_msg("accepted: %s", bad[i][1]);
	}
}

int run_options_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("tcmu options", tests, NULL, NULL);
}
