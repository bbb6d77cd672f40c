// SPDX-License-Identifier: GPL-2.0
/* ubmap-ublkd's options: defaults, every option, every way to get it wrong. */
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "tests.h"

struct parsed {
	struct ublkd_opts o;
	enum opts_result res;
	char *out;
	char *err;
};

/* Run opts_parse() on a NULL-terminated list, capturing both streams. */
static void vparse(struct parsed *p, va_list ap)
{
	char *argv[32];
	int argc = 0;
	size_t olen, elen;
	FILE *out = open_memstream(&p->out, &olen);
	FILE *err = open_memstream(&p->err, &elen);

	argv[argc++] = "ubmap-ublkd";
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	p->res = opts_parse(argc, argv, &p->o, out, err);
	fclose(out);
	fclose(err);
}

static void parse(struct parsed *p, ...)
{
	va_list ap;

	va_start(ap, p);
	vparse(p, ap);
	va_end(ap);
}

static void parsed_free(struct parsed *p)
{
	free(p->out);
	free(p->err);
}

/* Parsing must fail with a message containing @want. */
static void expect_error(const char *want, ...)
{
	struct parsed p;
	va_list ap;

	va_start(ap, want);
	vparse(&p, ap);
	va_end(ap);
	assert_int_equal(p.res, OPTS_ERROR);
	if (!strstr(p.err, want))
		fail_msg("error '%s' does not say '%s'", p.err, want);
	parsed_free(&p);
}

static void test_defaults(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, NULL);
	assert_int_equal(p.res, OPTS_OK);
	assert_string_equal(p.o.store, "null");
	assert_null(p.o.path);
	assert_true(p.o.size == 256ULL << 20);
	assert_int_equal(p.o.queues, 2);
	assert_int_equal(p.o.depth, 32);
	assert_int_equal(p.o.max_io, 1 << 20);
	assert_null(p.o.ready_file);
	assert_int_equal(p.o.delete_id, -1);
	assert_false(p.o.quiet);
	assert_string_equal(p.err, "");
	parsed_free(&p);
}

static void test_all_long(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "--store", "file", "--path", "/tmp/img", "--size", "1g",
	      "--queues", "1", "--depth", "128", "--max-io", "512k",
	      "--ready-file", "/tmp/r", "--quiet", NULL);
	assert_int_equal(p.res, OPTS_OK);
	assert_string_equal(p.o.store, "file");
	assert_string_equal(p.o.path, "/tmp/img");
	assert_true(p.o.size == 1ULL << 30);
	assert_int_equal(p.o.queues, 1);
	assert_int_equal(p.o.depth, 128);
	assert_int_equal(p.o.max_io, 512 << 10);
	assert_string_equal(p.o.ready_file, "/tmp/r");
	assert_true(p.o.quiet);
	parsed_free(&p);
}

static void test_all_short(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "-s", "ram", "-S", "4096", "-n", "3", "-d", "4096", "-m", "8m",
	      "-r", "f", "-q", NULL);
	assert_int_equal(p.res, OPTS_OK);
	assert_string_equal(p.o.store, "ram");
	assert_true(p.o.size == 4096);
	assert_int_equal(p.o.queues, 3);
	assert_int_equal(p.o.depth, 4096);
	assert_int_equal(p.o.max_io, 8 << 20);
	parsed_free(&p);
}

static void test_help(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "--help", NULL);
	assert_int_equal(p.res, OPTS_EXIT);
	assert_non_null(strstr(p.out, "usage: ubmap-ublkd"));
	/* The store list is the stores' table, not ours. */
	assert_non_null(strstr(p.out, "null, ram, file"));
	parsed_free(&p);
}

static void test_delete(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "--delete", "3", NULL);
	assert_int_equal(p.res, OPTS_OK);
	assert_int_equal(p.o.delete_id, 3);
	parsed_free(&p);
	parse(&p, "-q", "-D", "0", NULL);
	assert_int_equal(p.res, OPTS_OK);
	assert_int_equal(p.o.delete_id, 0);
	parsed_free(&p);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("unknown store 'disk' (valid: null, ram, file)", "--store", "disk", NULL);
	expect_error("--store file needs --path", "--store", "file", NULL);
	expect_error("--path only applies to --store file", "--path", "x", NULL);
	expect_error("--size wants a positive multiple of 4k", "--size", "1000", NULL);
	expect_error("--size wants", "--size", "0", NULL);
	expect_error("--size wants", "--size", "-4k", NULL);
	expect_error("--max-io wants a positive multiple of 4k up to 8m", "--max-io", "16m", NULL);
	expect_error("--max-io wants", "--max-io", "6000", NULL);
	expect_error("--depth wants an integer 1..4096", "--depth", "4097", NULL);
	expect_error("--depth wants", "--depth", "0", NULL);
	expect_error("--queues wants an integer 1..64", "--queues", "0", NULL);
	expect_error("--queues wants", "--queues", "two", NULL);
	expect_error("--delete wants a device id", "--delete", "-1", NULL);
	expect_error("--delete takes no other options", "--delete", "1", "--store", "ram", NULL);
	expect_error("--ready-file must not be empty", "--ready-file", "", NULL);
	expect_error("unexpected argument 'extra'", "extra", NULL);
	expect_error("option '--store' needs an argument", "--store", NULL);
	expect_error("unknown option '--file'", "--file", "x", NULL);
	expect_error("unknown option '-x'", "-x", NULL);
}

int run_options_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_long),
		cmocka_unit_test(test_all_short),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("ublkd options", tests, NULL, NULL);
}
