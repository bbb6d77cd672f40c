/* SPDX-License-Identifier: GPL-2.0 */
/* CSV as RFC 4180 spells it: the CI history's file format. */
#ifndef REPORT_CSV_H
#define REPORT_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* A CSV in memory: rows of fields, row 0 the header. */
struct csv {
	char ***row;
	size_t *nf;
	size_t n;
};

/* -1 if the file cannot be read; blank lines are skipped. */
int csv_load(const char *path, struct csv *c);
void csv_free(struct csv *c);
/* The column named so in the header, or -1. */
int csv_col(const struct csv *c, const char *name);
/* A field ("" when the row is short or col is -1). */
const char *csv_get(const struct csv *c, size_t row, int col);
/* A field as a number; NAN when empty or not a number. */
double csv_double(const struct csv *c, size_t row, int col);

/* Appends a field, quoted if it needs to be, a comma first unless first. */
void csv_field(struct strbuf *out, const char *s, bool first);
/* Appends ",number", or "," alone for NAN: empty, not 0. */
void csv_num(struct strbuf *out, double v);

#endif /* REPORT_CSV_H */
