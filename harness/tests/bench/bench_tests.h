/* SPDX-License-Identifier: GPL-2.0 */
/* ubmap-bench unit tests: one group per unit; bench_tests.c runs them all. */
#ifndef BENCH_TESTS_H
#define BENCH_TESTS_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

/* cmocka's assert_float_equal works in float: too coarse for counts. */
#define assert_near(a, b, eps)						\
	do {								\
		double a_ = (a), b_ = (b);				\
									\
		if (!(fabs(a_ - b_) <= (eps)))				\
			fail_msg("%s = %.10g, want %.10g", #a, a_, b_);	\
	} while (0)

/* Reads FIXTURES/name whole; fails the test if it cannot. */
char *fixture(const char *name);

int run_matrix_tests(void);
int run_cells_tests(void);
int run_fio_tests(void);
int run_perf_tests(void);
int run_snapshot_tests(void);
int run_metrics_tests(void);
int run_record_tests(void);

#endif /* BENCH_TESTS_H */
