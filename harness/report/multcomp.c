// SPDX-License-Identifier: GPL-2.0
/* Holm's step-down correction of a family of p-values. */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sort.h>

#include "multcomp.h"

void multcomp_holm(const double *p, size_t n, double *adj)
{
	size_t *idx = calloc(n + 1, sizeof(*idx)), m = 0;
	size_t *order = calloc(n + 1, sizeof(*order));
	double *f = calloc(n + 1, sizeof(*f)), run = 0;

	if (!idx || !f || !order)
		abort();
	/* The tests that were made, and where each came from. */
	for (size_t i = 0; i < n; i++)
		if (!isnan(p[i])) {
			idx[m] = i;
			f[m++] = p[i];
		}
	for (size_t i = 0; i < n; i++)
		adj[i] = NAN;
	gsl_sort_index(order, f, 1, m);
	for (size_t k = 0; k < m; k++) {
		double a = f[order[k]] * (double)(m - k);

		/* Step-down: never below the adjusted p of a smaller raw p. */
		run = fmax(run, fmin(a, 1));
		adj[idx[order[k]]] = run;
	}
	free(order);
	free(f);
	free(idx);
}
