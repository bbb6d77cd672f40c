/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IOPS per cell across the CI history (history.h): a text table and a
 * plot (plots/trend.gp).
 */
#ifndef REPORT_TREND_H
#define REPORT_TREND_H

#include <stddef.h>

#include "strbuf.h"

/*
 * The table of the last runs of history with the newest line's tier and
 * matrix, each cell's IOPS and its change since the first of them.  -1
 * with a reason in err.
 */
int trend_table(const char *history, size_t last, struct strbuf *out,
		char *err, size_t errlen);

/*
 * trend-<metric>.{png,svg,txt} in outdir for the runs of history with the
 * newest line's tier and matrix.  -1 with a reason in err.
 */
int trend_plots(const char *history, const char *outdir, const char *scripts,
		const char *formats, char *err, size_t errlen);

#endif /* REPORT_TREND_H */
