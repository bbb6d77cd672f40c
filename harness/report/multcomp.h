/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiple-comparison correction: a report that runs a hundred t-tests at
 * alpha 0.05 finds five "significant" differences in pure noise.  Holm's
 * step-down method keeps the chance of even one false claim in the family
 * below alpha, under any dependence between the tests, and rejects every
 * hypothesis Bonferroni would and usually more.
 */
#ifndef REPORT_MULTCOMP_H
#define REPORT_MULTCOMP_H

#include <stddef.h>

/*
 * Holm-adjusted p-values (R's p.adjust(p, "holm")): sorted ascending,
 * p_(i) * (m - i + 1), made non-decreasing, capped at 1; reject where the
 * adjusted p is below alpha.  NAN entries are no test: they are left NAN
 * and do not count in m.  adj may be p.
 */
void multcomp_holm(const double *p, size_t n, double *adj);

#endif /* REPORT_MULTCOMP_H */
