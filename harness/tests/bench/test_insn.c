// SPDX-License-Identifier: GPL-2.0
/* The record's "insn" section from a window file of the profile. */
#include <stdlib.h>
#include <string.h>

#include "bench_tests.h"
#include "insn.h"

static void section_per_io_and_request(void **state)
{
	char err[512];
	json_t *s;

	(void)state;
	setenv("UBMAP_INSN_DIR", FIXTURES "/insn", 1);
	assert_true(insn_enabled());
	/* Cell ids become window names: '/' is no file name character. */
	s = insn_section("c007/randread/4k", 2, 250, 125, err, sizeof(err));
	if (!s)
		fail_msg("%s", err);
	assert_string_equal(json_string_value(json_object_get(s, "window")), "c007_randread_4k-r2");
	assert_int_equal(json_integer_value(json_object_get(s, "instructions")), 5000);
	assert_near(json_real_value(json_object_get(json_object_get(s, "per_io"), "total")), 20, 1e-9);
	assert_near(json_real_value(json_object_get(json_object_get(s, "per_request"), "map")), 8, 1e-9);
	assert_near(json_real_value(json_object_get(json_object_get(s, "per_request"), "total")), 40,
		    1e-9);
	json_decref(s);
	/* No device requests known: per_request is null, not a division by zero. */
	s = insn_section("c007/randread/4k", 2, 250, NAN, err, sizeof(err));
	assert_non_null(s);
	assert_true(json_is_null(json_object_get(s, "per_request")));
	json_decref(s);
	unsetenv("UBMAP_INSN_DIR");
}

static void section_errors(void **state)
{
	char err[512];

	(void)state;
	setenv("UBMAP_INSN_DIR", FIXTURES "/insn", 1);
	assert_null(insn_section("nosuch", 1, 1, 1, err, sizeof(err)));
	assert_non_null(strstr(err, "nosuch-r1.json"));
	/* A window of another build's groups is refused, not half read. */
	assert_null(insn_section("bad", 1, 1, 1, err, sizeof(err)));
	assert_non_null(strstr(err, "no group 'unmap'"));
	unsetenv("UBMAP_INSN_DIR");
	assert_false(insn_enabled());
}

int run_insn_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(section_per_io_and_request),
		cmocka_unit_test(section_errors),
	};

	return cmocka_run_group_tests_name("insn", tests, NULL, NULL);
}
