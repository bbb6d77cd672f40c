// SPDX-License-Identifier: GPL-2.0
/* ubmap-report power: the simulation is a test of the right size, and the table reads a run. */
#include <string.h>

#include "power.h"
#include "report_tests.h"

static void test_power_welch(void **state)
{
	(void)state;
	/* No difference: the test rejects at about its level (4000 draws: +-0.01). */
	assert_float_equal(power_welch(5, 0.07, 0, 0.05, 4000, 1), 0.05, 0.012);
	/* A difference of 10 sd with 10 repeats is always found. */
	assert_float_equal(power_welch(10, 0.01, 0.10, 0.05, 1000, 1), 1, 1e-9);
	/* More repeats, more power; less noise, more power. */
	assert_true(power_welch(12, 0.07, 0.10, 0.05, 2000, 1) >
		    power_welch(4, 0.07, 0.10, 0.05, 2000, 1));
	assert_true(power_welch(5, 0.03, 0.10, 0.05, 2000, 1) >
		    power_welch(5, 0.09, 0.10, 0.05, 2000, 1));
	/* Seeded: the same inputs, the same answer. */
	assert_float_equal(power_welch(5, 0.07, 0.10, 0.01, 500, 7),
			   power_welch(5, 0.07, 0.10, 0.01, 500, 7), 0);
}

static void test_power_report(void **state)
{
	struct strbuf out = STRBUF_INIT;
	char err[512];
	struct dataset d;
	struct run r;

	(void)state;
	assert_int_equal(run_load(&r, fixture_path("run"), err, sizeof(err)), 0);
	dataset_build(&d, &r);
	assert_int_equal(power_report(&d, 0.10, 0.05, &out, err, sizeof(err)), 0);
	assert_non_null(strstr(sb_str(&out), "IOPS CoeffVar over repeats in "));
	assert_non_null(strstr(sb_str(&out), "| 30 | "));
	assert_non_null(strstr(sb_str(&out), "90% power takes "));
	assert_fits(sb_str(&out), 200);
	sb_free(&out);
	dataset_free(&d);
	run_free(&r);
}

int run_power_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_welch),
		cmocka_unit_test(test_power_report),
	};

	return cmocka_run_group_tests_name("power", tests, NULL, NULL);
}
