/* SPDX-License-Identifier: GPL-2.0 */
/* What every cmocka unit test of the harness starts with. */
#ifndef HARNESS_TESTLIB_H
#define HARNESS_TESTLIB_H

/* cmocka needs these before its own header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

#endif /* HARNESS_TESTLIB_H */
