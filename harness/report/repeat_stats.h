/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Statistics over the repeats of one cell, written once.  NAN values
 * (unavailable measurements) are skipped by every function here.
 */
#ifndef REPORT_REPEAT_STATS_H
#define REPORT_REPEAT_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* How many values are not NAN. */
size_t stats_count(const double *v, size_t n);
double stats_amean(const double *v, size_t n);
/* NAN if any value is <= 0: a rate of 0 has no harmonic mean. */
double stats_hmean(const double *v, size_t n);
/* Sample standard deviation (n - 1); NAN below two values. */
double stats_sd(const double *v, size_t n);
double stats_min(const double *v, size_t n);
double stats_max(const double *v, size_t n);

/*
 * Half the width of the Student t confidence interval of the mean at level
 * (0.95): t(1 - (1 - level) / 2, n - 1) * sd / sqrt(n).  NAN below two
 * values; 0 when they are all equal.
 */
double stats_mean_ci(const double *v, size_t n, double level);

/* Welch's unequal-variance t-test, two-sided. */
struct welch {
	double t, df, p;
	double diff;	/* mean(a) - mean(b): what t tests */
	double se;	/* its standard error; 0 when neither side varies */
};

/*
 * Tests a against b.  Returns -1 (and p = NAN) when either side has fewer
 * than two values: there is no estimate of the noise then.
 */
int stats_welch(const double *a, size_t na, const double *b, size_t nb,
		struct welch *w);

/*
 * Half the width of the Welch confidence interval of w->diff at level:
 * t(1 - (1 - level) / 2, df) * se.  It excludes 0 exactly when w->p is
 * below 1 - level.  NAN when the test was not possible.
 */
double stats_welch_ci(const struct welch *w, double level);

/* 100 * (new - base) / base; 0 when both are 0, NAN when only base is. */
double stats_pct_change(double base, double new);

#endif /* REPORT_REPEAT_STATS_H */
