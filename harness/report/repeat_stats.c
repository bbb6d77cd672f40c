// SPDX-License-Identifier: GPL-2.0
/*
 * Means, sd, min/max, t confidence intervals and Welch's t-test over the
 * repeats of a cell (GSL underneath).
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "repeat_stats.h"

/* The non-NAN values, in a new array the caller frees. */
static double *finite_values(const double *v, size_t n, size_t *out)
{
	double *f = malloc((n ? n : 1) * sizeof(*f));
	size_t k = 0;

	if (!f)
		abort();
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			f[k++] = v[i];
	*out = k;
	return f;
}

size_t stats_count(const double *v, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += !isnan(v[i]);
	return k;
}

/* fn over the values that are not NAN; NAN if there are none. */
static double finite_stat(const double *v, size_t n,
			  double (*fn)(const double *, size_t, size_t))
{
	size_t k;
	double *f = finite_values(v, n, &k), r;

	r = k ? fn(f, 1, k) : NAN;
	free(f);
	return r;
}

double stats_amean(const double *v, size_t n)
{
	return finite_stat(v, n, gsl_stats_mean);
}

double stats_hmean(const double *v, size_t n)
{
	double sum = 0;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (isnan(v[i]))
			continue;
		if (v[i] <= 0)
			return NAN;
		sum += 1 / v[i];
		k++;
	}
	return k ? k / sum : NAN;
}

double stats_sd(const double *v, size_t n)
{
	size_t k;
	double *f = finite_values(v, n, &k), sd;

	/* gsl_stats_sd divides by n - 1: the sample estimate R's sd() gives. */
	sd = k >= 2 ? gsl_stats_sd(f, 1, k) : NAN;
	free(f);
	return sd;
}

double stats_min(const double *v, size_t n)
{
	return finite_stat(v, n, gsl_stats_min);
}

double stats_max(const double *v, size_t n)
{
	return finite_stat(v, n, gsl_stats_max);
}

/* The two-sided t quantile for a confidence level. */
static double t_quantile(double level, double df)
{
	return gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, df);
}

double stats_mean_ci(const double *v, size_t n, double level)
{
	size_t k = stats_count(v, n);
	double sd = stats_sd(v, n);

	if (k < 2)
		return NAN;
	return sd == 0 ? 0 : t_quantile(level, k - 1) * sd / sqrt(k);
}

double stats_welch_ci(const struct welch *w, double level)
{
	if (isnan(w->p))
		return NAN;
	return w->se == 0 ? 0 : t_quantile(level, w->df) * w->se;
}

int stats_welch(const double *a, size_t na, const double *b, size_t nb,
		struct welch *w)
{
	size_t ka, kb;
	double *fa = finite_values(a, na, &ka), *fb = finite_values(b, nb, &kb);
	double ma, mb, qa, qb, se2;
	int ret = 0;

	w->t = w->df = w->p = w->diff = w->se = NAN;
	if (ka < 2 || kb < 2) {
		ret = -1;
		goto out;
	}
	ma = gsl_stats_mean(fa, 1, ka);
	mb = gsl_stats_mean(fb, 1, kb);
	qa = gsl_stats_variance_m(fa, 1, ka, ma) / ka;
	qb = gsl_stats_variance_m(fb, 1, kb, mb) / kb;
	se2 = qa + qb;
	w->diff = ma - mb;
	w->se = sqrt(se2);
	if (se2 == 0) {
		/*
		 * No spread on either side (counts, identical runs): equal
		 * means cannot differ, different ones differ for certain.
		 */
		w->df = ka + kb - 2;
		w->t = ma == mb ? 0 : copysign(INFINITY, ma - mb);
		w->p = ma == mb ? 1 : 0;
		goto out;
	}
	w->t = (ma - mb) / sqrt(se2);
	/* Welch-Satterthwaite degrees of freedom. */
	w->df = se2 * se2 / (qa * qa / (ka - 1) + qb * qb / (kb - 1));
	w->p = 2 * gsl_cdf_tdist_Q(fabs(w->t), w->df);
out:
	free(fa);
	free(fb);
	return ret;
}

double stats_pct_change(double base, double new)
{
	if (isnan(base) || isnan(new))
		return NAN;
	if (base == 0)
		return new == 0 ? 0 : NAN;
	return 100 * (new - base) / fabs(base);
}
