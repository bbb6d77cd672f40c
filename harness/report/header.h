/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the numbers came from (environment, matrix, harness overhead) and
 * what the virt tier lets them say.  Every report and compare output
 * starts with it.
 */
#ifndef REPORT_HEADER_H
#define REPORT_HEADER_H

#include <stdbool.h>

#include "records.h"
#include "strbuf.h"

/* A paragraph: what this tier can and cannot show. */
const char *tier_statement(const char *tier);
/* Under TCG counts are real and times are not: lead with counts. */
bool tier_leads_with_counts(const char *tier);

/* "mode=copy,mkspecial bs=4k,1m ..." from matrix.txt, or "". */
void matrix_axes(const struct run *r, struct strbuf *out);

/* "Environment" as label/value lines, 80 columns. */
void header_text(const struct run *r, struct strbuf *out, size_t width);
/* The same as a markdown list. */
void header_markdown(const struct run *r, struct strbuf *out);

#endif /* REPORT_HEADER_H */
