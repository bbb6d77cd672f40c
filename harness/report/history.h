/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CI history: a CSV with one line per run and cell (run identity,
 * compare verdict, the MP_HISTORY metrics with their sd), appended by
 * every bench-ci run (history.c), drawn by trend (trend.c).
 */
#ifndef REPORT_HISTORY_H
#define REPORT_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "csv.h"
#include "dataset.h"
#include "strbuf.h"

/* The header line, from metrics[]; no newline. */
void history_header(struct strbuf *out);
/* One line per cell of d. */
void history_lines(const struct dataset *d, const char *verdict,
		   struct strbuf *out);
/* Has the history (loaded) a line of run id? */
bool history_has_run(const struct csv *c, const char *id);

#endif /* REPORT_HISTORY_H */
