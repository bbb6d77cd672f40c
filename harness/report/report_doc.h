/* SPDX-License-Identifier: GPL-2.0 */
/* report.txt and report.md of a run, rendered from its dataset. */
#ifndef REPORT_REPORT_DOC_H
#define REPORT_REPORT_DOC_H

#include <stddef.h>

#include "dataset.h"
#include "strbuf.h"

/* report.txt and report.md for a loaded run, in memory. */
void report_text(const struct dataset *d, double alpha, struct strbuf *out);
/* link_prefix: where the run directory is, seen from the markdown file. */
void report_markdown(const struct dataset *d, double alpha,
		     const char *link_prefix, struct strbuf *out);

#endif /* REPORT_REPORT_DOC_H */
