// SPDX-License-Identifier: GPL-2.0
/* Option parsing: defaults, every option, and every way to get it wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "tests.h"

struct parsed {
	struct ubmapd_args a;
	enum args_result res;
	char *out;
	char *err;
};

/* Run args_parse() on a NULL-terminated list, capturing both streams. */
static void parse(struct parsed *p, ...)
{
	char *argv[32];
	int argc = 0;
	size_t olen, elen;
	FILE *out = open_memstream(&p->out, &olen);
	FILE *err = open_memstream(&p->err, &elen);
	va_list ap;

	argv[argc++] = "ubmapd";
	va_start(ap, p);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	p->res = args_parse(argc, argv, &p->a, out, err);
	fclose(out);
	fclose(err);
}

static void parsed_free(struct parsed *p)
{
	free(p->out);
	free(p->err);
}

static void test_defaults(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, NULL);
	assert_int_equal(p.res, ARGS_OK);
	assert_string_equal(p.a.dev, "/dev/ubmapc0");
	assert_string_equal(p.a.store, "null");
	assert_null(p.a.file);
	assert_null(p.a.ready_file);
	assert_int_equal(p.a.batch, 0);
	assert_false(p.a.quiet);
	assert_string_equal(p.err, "");
	parsed_free(&p);
}

static void test_all_long(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "--dev", "/dev/ubmapc3", "--store", "file", "--file",
	      "/tmp/img", "--ready-file", "/tmp/ready", "--batch", "16",
	      "--quiet", NULL);
	assert_int_equal(p.res, ARGS_OK);
	assert_string_equal(p.a.dev, "/dev/ubmapc3");
	assert_string_equal(p.a.store, "file");
	assert_string_equal(p.a.file, "/tmp/img");
	assert_string_equal(p.a.ready_file, "/tmp/ready");
	assert_int_equal(p.a.batch, 16);
	assert_true(p.a.quiet);
	parsed_free(&p);
}

static void test_short_and_equals(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "-s", "ram", "-b1", "--dev=/dev/x", "-q", NULL);
	assert_int_equal(p.res, ARGS_OK);
	assert_string_equal(p.a.store, "ram");
	assert_int_equal(p.a.batch, 1);
	assert_string_equal(p.a.dev, "/dev/x");
	assert_true(p.a.quiet);
	parsed_free(&p);
}

static void test_help(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "--help", NULL);
	assert_int_equal(p.res, ARGS_EXIT);
	assert_non_null(strstr(p.out, "usage: ubmapd"));
	assert_non_null(strstr(p.out, "--ready-file"));
	assert_non_null(strstr(p.out, "null, ram, file"));
	assert_string_equal(p.err, "");
	parsed_free(&p);
}

/* Each bad command line must fail with a message containing @want. */
static void expect_error(const char *want, ...)
{
	char *argv[32];
	int argc = 0;
	struct ubmapd_args a;
	char *out, *err;
	size_t olen, elen;
	FILE *fo = open_memstream(&out, &olen);
	FILE *fe = open_memstream(&err, &elen);
	enum args_result res;
	va_list ap;

	argv[argc++] = "ubmapd";
	va_start(ap, want);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	res = args_parse(argc, argv, &a, fo, fe);
	fclose(fo);
	fclose(fe);
	if (res != ARGS_ERROR || !strstr(err, want))
		fail_msg("argv[1]=%s: result %d, stderr '%s', wanted '%s'",
			 argc > 1 ? argv[1] : "", res, err, want);
	free(out);
	free(err);
}

static void test_bad_store(void **state)
{
	(void)state;
	expect_error("unknown store 'disk' (valid: null, ram, file)",
		     "--store", "disk", NULL);
}

static void test_file_needs_path(void **state)
{
	(void)state;
	expect_error("--store file needs --file PATH", "--store", "file", NULL);
	expect_error("--store file needs --file PATH", "--store", "file",
		     "--file", "", NULL);
}

static void test_file_without_file_store(void **state)
{
	(void)state;
	expect_error("--file only applies to --store file", "--store", "ram",
		     "--file", "/tmp/x", NULL);
	expect_error("--file only applies to --store file", "--file", "/tmp/x",
		     NULL);
}

static void test_bad_batch(void **state)
{
	(void)state;
	expect_error("--batch wants a positive integer, not '0'",
		     "--batch", "0", NULL);
	expect_error("not '-1'", "--batch", "-1", NULL);
	expect_error("not '8k'", "--batch", "8k", NULL);
	expect_error("not ''", "--batch", "", NULL);
	expect_error("not ' 4'", "--batch", " 4", NULL);
	expect_error("not '99999999999'", "--batch", "99999999999", NULL);
}

static void test_unknown_option(void **state)
{
	(void)state;
	expect_error("unknown option '--frobnicate'", "--frobnicate", NULL);
	expect_error("unknown option '-x'", "-x", NULL);
	expect_error("Try 'ubmapd --help'", "--frobnicate", NULL);
}

static void test_missing_argument(void **state)
{
	(void)state;
	expect_error("option '--dev' needs an argument", "--dev", NULL);
	expect_error("option '-b' needs an argument", "-b", NULL);
}

static void test_stray_argument(void **state)
{
	(void)state;
	expect_error("unexpected argument 'ram'", "--store", "null", "ram",
		     NULL);
}

static void test_empty_paths(void **state)
{
	(void)state;
	expect_error("--dev must not be empty", "--dev", "", NULL);
	expect_error("--ready-file must not be empty", "--ready-file", "",
		     NULL);
}

/* getopt keeps global state; a second parse must not see the first. */
static void test_reparse(void **state)
{
	struct parsed p;

	(void)state;
	expect_error("unknown option", "--nope", NULL);
	parse(&p, "--store", "ram", NULL);
	assert_int_equal(p.res, ARGS_OK);
	assert_string_equal(p.a.store, "ram");
	parsed_free(&p);
}

int run_args_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_long),
		cmocka_unit_test(test_short_and_equals),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_bad_store),
		cmocka_unit_test(test_file_needs_path),
		cmocka_unit_test(test_file_without_file_store),
		cmocka_unit_test(test_bad_batch),
		cmocka_unit_test(test_unknown_option),
		cmocka_unit_test(test_missing_argument),
		cmocka_unit_test(test_stray_argument),
		cmocka_unit_test(test_empty_paths),
		cmocka_unit_test(test_reparse),
	};

	return cmocka_run_group_tests_name("args", tests, NULL, NULL);
}
