/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How many repeats a run needs: the power of the report's own test
 * (Welch's, two-sided, Holm-corrected over the metric's family) to find a
 * given difference between two cells, at the repeat-to-repeat noise a run
 * measured.  Simulated, seeded: the same inputs give the same table.
 */
#ifndef REPORT_POWER_H
#define REPORT_POWER_H

#include "dataset.h"
#include "strbuf.h"

/*
 * The chance that Welch's test at level @alpha finds a relative difference
 * @effect (0.10: 10 %) between two cells of @n repeats each, when each
 * repeat's value is normal with coefficient of variation @cv (0.07: 7 %),
 * from @draws simulated pairs.
 */
double power_welch(unsigned int n, double cv, double effect, double alpha,
		   unsigned int draws, unsigned long seed);

/*
 * The table for run @d's IOPS: its CoeffVar over repeats (median, upper
 * quartile), Holm's family, the power at each repeat count and the repeats
 * that reach 90 %.  0, or -1 with @err set (no cell with two repeats).
 */
int power_report(const struct dataset *d, double effect, double alpha,
		 struct strbuf *out, char *err, size_t errlen);

#endif /* REPORT_POWER_H */
