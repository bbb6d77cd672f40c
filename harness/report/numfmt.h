/* SPDX-License-Identifier: GPL-2.0 */
/* Numbers as the text outputs print them, mmtests-style, in one place. */
#ifndef REPORT_NUMFMT_H
#define REPORT_NUMFMT_H

#include <stdbool.h>
#include <stddef.h>

/* report.txt, compare and trend fit this (mailing lists). */
#define TEXT_WIDTH		80

/* "%.*f", or "n/a" for NAN (unavailable, never 0). */
void fmt_value(char *buf, size_t len, double v, int decimals);

/*
 * mmtests' change column: "( -7.36%)" not significant or untested,
 * "* -7.36%*" significant; "" when there is no percentage (base 0).
 */
void fmt_pct(char *buf, size_t len, double pct, bool significant);

/*
 * Decimals that show the smallest non-zero magnitude with two significant
 * digits: 2 (mmtests) for most tables, up to 4 for rare per-I/O counts
 * such as 0.0021 IPIs.  smallest: INFINITY when there is none.
 */
int fmt_decimals(double smallest);

/* "p=0.012", "p<0.001", "p n/a": a p-value for people. */
void fmt_p(char *buf, size_t len, double p);

#endif /* REPORT_NUMFMT_H */
