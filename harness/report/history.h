/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CI history: a CSV with one line per run and cell (run identity,
 * compare verdict, the MP_HISTORY metrics with their sd), appended by
 * every bench-ci run (history.c), drawn by trend (trend.c).
 */
#ifndef REPORT_HISTORY_H
#define REPORT_HISTORY_H

#include <stddef.h>

#include "dataset.h"
#include "strbuf.h"

/* The header line, from metrics[]; no newline. */
void history_header(struct strbuf *out);
/* One line per cell of d. */
void history_lines(const struct dataset *d, const char *verdict,
		   struct strbuf *out);

/*
 * trend-<metric>.{png,svg,txt} in outdir for the runs of history with the
 * newest line's tier and matrix.  -1 with a reason in err.
 */
int trend_plots(const char *history, const char *outdir, const char *scripts,
		const char *formats, char *err, size_t errlen);

#endif /* REPORT_HISTORY_H */
