// SPDX-License-Identifier: GPL-2.0
/* Power of the report's test at a run's measured noise (power.h). */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "power.h"
#include "repeat_stats.h"

#define POWER_DRAWS	4000
#define POWER_SEED	20261202UL
#define POWER_TARGET	0.9
#define POWER_MAX_N	40

double power_welch(unsigned int n, double cv, double effect, double alpha,
		   unsigned int draws, unsigned long seed)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double a[POWER_MAX_N], b[POWER_MAX_N];
	unsigned int hits = 0;
	struct welch w;

	if (!rng)
		abort();
	gsl_rng_set(rng, seed);
	if (n > POWER_MAX_N)
		n = POWER_MAX_N;
	for (unsigned int d = 0; d < draws; d++) {
		for (unsigned int i = 0; i < n; i++) {
			a[i] = 1 + gsl_ran_gaussian(rng, cv);
			/* The same relative noise around the shifted mean. */
			b[i] = (1 + effect) * (1 + gsl_ran_gaussian(rng, cv));
		}
		hits += !stats_welch(a, n, b, n, &w) && w.p < alpha;
	}
	gsl_rng_free(rng);
	return draws ? (double)hits / draws : NAN;
}

/* The first repeat count from 2 that reaches the target, 0 if none does. */
static unsigned int repeats_for(double cv, double effect, double alpha)
{
	for (unsigned int n = 2; n <= POWER_MAX_N; n++)
		if (power_welch(n, cv, effect, alpha, POWER_DRAWS, POWER_SEED) >= POWER_TARGET)
			return n;
	return 0;
}

int power_report(const struct dataset *d, double effect, double alpha,
		 struct strbuf *out, char *err, size_t errlen)
{
	static const unsigned int ns[] = { 3, 5, 8, 10, 12, 15, 20, 30 };
	int iops = metric_find("iops");
	double *cv = calloc(d->ncells + 1, sizeof(*cv)), med, q3, a;
	size_t n = 0, fam;
	unsigned int need_med, need_q3;

	if (!cv)
		abort();
	for (size_t i = 0; i < d->ncells; i++) {
		const struct cellstat *c = &d->cells[i];

		if (c->all_fallback || c->m[iops].n < 2 || !isfinite(c->m[iops].cv))
			continue;
		cv[n++] = c->m[iops].cv / 100;
	}
	if (!n) {
		snprintf(err, errlen, "no cell with two good repeats of IOPS");
		free(cv);
		return -1;
	}
	gsl_sort(cv, 1, n);
	med = gsl_stats_median_from_sorted_data(cv, 1, n);
	q3 = gsl_stats_quantile_from_sorted_data(cv, 1, n, 0.75);
	/* Holm's first step: the strongest difference must beat alpha / m. */
	fam = d->family[iops] ? d->family[iops] : 1;
	a = alpha / fam;
	sb_printf(out, "IOPS CoeffVar over repeats in %zu cells: median %.1f%%, upper quartile %.1f%%, "
		  "max %.1f%%.\n", n, 100 * med, 100 * q3, 100 * cv[n - 1]);
	sb_printf(out, "Holm over %zu IOPS tests: a %.0f%% difference must reach p < %g / %zu = %.2g "
		  "(Welch, two-sided; %d simulated pairs a point, seed %lu).\n\n", fam,
		  100 * effect, alpha, fam, a, POWER_DRAWS, POWER_SEED);
	sb_puts(out, "| repeats a cell | power at the median CV | at the upper quartile |\n");
	sb_puts(out, "|---:|---:|---:|\n");
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		sb_printf(out, "| %u | %.2f | %.2f |\n", ns[i],
			  power_welch(ns[i], med, effect, a, POWER_DRAWS, POWER_SEED),
			  power_welch(ns[i], q3, effect, a, POWER_DRAWS, POWER_SEED));
	need_med = repeats_for(med, effect, a);
	need_q3 = repeats_for(q3, effect, a);
	sb_printf(out, "\n%.0f%% power takes ", 100 * POWER_TARGET);
	if (need_med)
		sb_printf(out, "%u repeats at the median CV", need_med);
	else
		sb_printf(out, "more than %d repeats at the median CV", POWER_MAX_N);
	if (need_q3)
		sb_printf(out, ", %u at the upper quartile.\n", need_q3);
	else
		sb_printf(out, ", more than %d at the upper quartile.\n", POWER_MAX_N);
	free(cv);
	return 0;
}
