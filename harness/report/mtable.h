/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One metric of one section as a table: rows are block sizes, columns are
 * modes, the baseline (copy) first.  Rates and times show each mode's
 * change against the baseline, marked when Welch's t-test over the repeats
 * finds it significant; counts show plain values (a change from 0 map
 * calls is no percentage).
 */
#ifndef REPORT_MTABLE_H
#define REPORT_MTABLE_H

#include <stdbool.h>

#include "dataset.h"
#include "strbuf.h"

/* Does any cell of the section have a value for the metric? */
bool mtable_has_data(const struct dataset *d, int section, int metric);

/* Does the table show changes against the baseline? */
bool mtable_relative(int metric);

/*
 * mmtests rows ("Amean  4k   8635.18   3132.80 * -63.72%*"), then
 * "Stddev" rows when there are repeats.  Fits width if it can: fewer
 * decimals first, then a further block of columns.
 */
void mtable_text(const struct dataset *d, int section, int metric,
		 double alpha, const char *indent, size_t width,
		 struct strbuf *out);

/* One row per block size, "mean ± sd (change)" cells. */
void mtable_markdown(const struct dataset *d, int section, int metric,
		     double alpha, struct strbuf *out);

#endif /* REPORT_MTABLE_H */
