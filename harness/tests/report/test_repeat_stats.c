// SPDX-License-Identifier: GPL-2.0
/* Statistics against answers published elsewhere or worked by hand. */
#include <string.h>

#include "multcomp.h"
#include "report_tests.h"
#include "repeat_stats.h"

/*
 * Student's sleep data (Cushny & Peebles 1905; R's datasets::sleep), the
 * extra hours of sleep under drug 1 and drug 2.  R's
 * t.test(extra ~ group, data = sleep) prints the Welch test as
 * "t = -1.8608, df = 17.776, p-value = 0.07939" (also quoted in the afex
 * package's compare.2.vectors example), with means 0.75 and 2.33 and
 * sd() 1.789010 and 2.002249.
 */
static const double sleep1[] = { 0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0 };
static const double sleep2[] = { 1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4 };

static void test_welch_sleep(void **state)
{
	struct welch w;

	(void)state;
	assert_int_equal(stats_welch(sleep1, 10, sleep2, 10, &w), 0);
	assert_near(w.t, -1.8608, 5e-5);
	assert_near(w.df, 17.776, 5e-4);
	assert_near(w.p, 0.07939, 5e-6);
	/* Symmetric: swapping the samples flips t only. */
	assert_int_equal(stats_welch(sleep2, 10, sleep1, 10, &w), 0);
	assert_near(w.t, 1.8608, 5e-5);
	assert_near(w.p, 0.07939, 5e-6);
}

/*
 * The same R call prints the interval of mean(group 1) - mean(group 2):
 * "95 percent confidence interval: -3.3654832  0.2054832"; and
 * t.test(extra[1:10]) gives "-0.5297804  2.0297804" for group 1 alone.
 */
static void test_confidence_intervals(void **state)
{
	const double same[] = { 4, 4, 4 }, one[] = { 3 };
	struct welch w;
	double hw;

	(void)state;
	assert_int_equal(stats_welch(sleep1, 10, sleep2, 10, &w), 0);
	assert_near(w.diff, -1.58, 1e-12);
	hw = stats_welch_ci(&w, 0.95);
	assert_near(w.diff - hw, -3.3654832, 5e-7);
	assert_near(w.diff + hw, 0.2054832, 5e-7);
	/* The interval excludes 0 exactly when p < 1 - level. */
	assert_true(w.p > 0.05 && w.diff + hw > 0);
	hw = stats_welch_ci(&w, 0.90);
	assert_true(w.p < 0.10 && w.diff + hw < 0);

	hw = stats_mean_ci(sleep1, 10, 0.95);
	assert_near(0.75 - hw, -0.5297804, 5e-7);
	assert_near(0.75 + hw, 2.0297804, 5e-7);
	assert_near(stats_mean_ci(same, 3, 0.95), 0, 0);
	assert_true(isnan(stats_mean_ci(one, 1, 0.95)));
	assert_int_equal(stats_welch(one, 1, same, 3, &w), -1);
	assert_true(isnan(stats_welch_ci(&w, 0.95)));
}

static void test_min_max(void **state)
{
	const double v[] = { NAN, 3, -1, 7, NAN };

	(void)state;
	assert_near(stats_min(v, 5), -1, 0);
	assert_near(stats_max(v, 5), 7, 0);
	assert_true(isnan(stats_min(v, 1)));
}

/* Worked by hand; the first is Wikipedia's Holm-Bonferroni example. */
static void test_holm(void **state)
{
	const double wiki[] = { 0.01, 0.04, 0.03, 0.005 };
	const double wiki_adj[] = { 0.03, 0.06, 0.06, 0.02 };
	const double ramp[] = { 0.01, 0.02, 0.03, 0.04, 0.05 };
	const double ramp_adj[] = { 0.05, 0.08, 0.09, 0.09, 0.09 };
	/* A test not made (NAN) is no member of the family: m = 4 here. */
	const double gaps[] = { 0.04, NAN, 0.01, 0.5, 0.03 };
	const double gaps_adj[] = { 0.09, NAN, 0.04, 0.5, 0.09 };
	const double big[] = { 0.5, 0.9, 0.8 };
	double adj[5];

	(void)state;
	multcomp_holm(wiki, 4, adj);
	for (int i = 0; i < 4; i++)
		assert_near(adj[i], wiki_adj[i], 1e-12);
	/* alpha 0.05: H1 and H4 rejected, H2 and H3 (raw p < 0.05) not. */
	assert_true(adj[0] < 0.05 && adj[3] < 0.05);
	assert_true(wiki[1] < 0.05 && adj[1] >= 0.05);
	assert_true(wiki[2] < 0.05 && adj[2] >= 0.05);
	multcomp_holm(ramp, 5, adj);
	for (int i = 0; i < 5; i++)
		assert_near(adj[i], ramp_adj[i], 1e-12);
	multcomp_holm(gaps, 5, adj);
	for (int i = 0; i < 5; i++)
		if (isnan(gaps_adj[i]))
			assert_true(isnan(adj[i]));
		else
			assert_near(adj[i], gaps_adj[i], 1e-12);
	/* Capped at 1; in place works. */
	memcpy(adj, big, sizeof(big));
	multcomp_holm(adj, 3, adj);
	for (int i = 0; i < 3; i++)
		assert_near(adj[i], 1, 0);
	/* One test is its own family: unchanged. */
	multcomp_holm(wiki, 1, adj);
	assert_near(adj[0], 0.01, 0);
	multcomp_holm(wiki, 0, adj);
}

static void test_sleep_moments(void **state)
{
	(void)state;
	assert_near(stats_amean(sleep1, 10), 0.75, 1e-12);
	assert_near(stats_amean(sleep2, 10), 2.33, 1e-12);
	assert_near(stats_sd(sleep1, 10), 1.789010, 5e-7);
	assert_near(stats_sd(sleep2, 10), 2.002249, 5e-7);
}

static void test_hmean(void **state)
{
	const double v[] = { 1, 2, 4 };
	const double with_zero[] = { 1, 0, 4 };
	const double with_nan[] = { 1, NAN, 2, 4 };

	(void)state;
	/* By hand: 3 / (1 + 1/2 + 1/4) = 12/7. */
	assert_near(stats_hmean(v, 3), 12.0 / 7, 1e-12);
	/* A rate of 0 has no harmonic mean: say so, do not return 0. */
	assert_true(isnan(stats_hmean(with_zero, 3)));
	assert_near(stats_hmean(with_nan, 4), 12.0 / 7, 1e-12);
	assert_true(isnan(stats_hmean(v, 0)));
}

static void test_sd(void **state)
{
	/* By hand: mean 5, squares sum 32; sample sd sqrt(32 / 7). */
	const double v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	const double one[] = { 3 };
	const double nan_in[] = { 2, NAN, 4, 4, 4, 5, 5, 7, 9 };

	(void)state;
	assert_near(stats_sd(v, 8), sqrt(32.0 / 7), 1e-12);
	assert_true(isnan(stats_sd(one, 1)));
	assert_near(stats_sd(nan_in, 9), sqrt(32.0 / 7), 1e-12);
	assert_int_equal(stats_count(nan_in, 9), 8);
}

static void test_welch_edges(void **state)
{
	const double a[] = { 1, 1, 1 }, b[] = { 2, 2, 2 }, one[] = { 5 };
	const double c[] = { 1, 2, 3 };
	struct welch w;

	(void)state;
	/* One value a side: no noise estimate, no test. */
	assert_int_equal(stats_welch(one, 1, c, 3, &w), -1);
	assert_true(isnan(w.p));
	/* No spread: equal means cannot differ, different ones do. */
	assert_int_equal(stats_welch(a, 3, a, 3, &w), 0);
	assert_near(w.p, 1, 0);
	assert_int_equal(stats_welch(a, 3, b, 3, &w), 0);
	assert_near(w.p, 0, 0);
	assert_true(isinf(w.t) && w.t < 0);
	/*
	 * One side without spread: df is the other side's n - 1 (by hand:
	 * qa = 0, so df = qb^2 / (qb^2 / 2) = 2), t = (1 - 2) / sqrt(1/3).
	 */
	assert_int_equal(stats_welch(a, 3, c, 3, &w), 0);
	assert_near(w.df, 2, 1e-12);
	assert_near(w.t, -1 / sqrt(1.0 / 3), 1e-12);
}

static void test_pct_change(void **state)
{
	(void)state;
	assert_near(stats_pct_change(200, 150), -25, 1e-12);
	assert_near(stats_pct_change(-4, -2), 50, 1e-12);
	assert_near(stats_pct_change(0, 0), 0, 0);
	assert_true(isnan(stats_pct_change(0, 1)));
	assert_true(isnan(stats_pct_change(NAN, 1)));
}

int run_stats_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_welch_sleep),
		cmocka_unit_test(test_confidence_intervals),
		cmocka_unit_test(test_min_max),
		cmocka_unit_test(test_holm),
		cmocka_unit_test(test_sleep_moments),
		cmocka_unit_test(test_hmean),
		cmocka_unit_test(test_sd),
		cmocka_unit_test(test_welch_edges),
		cmocka_unit_test(test_pct_change),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
