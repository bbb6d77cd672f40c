// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "grid.h"
#include "mtable.h"
#include "numfmt.h"

bool mtable_relative(int metric)
{
	return metric_is_timing(&metrics[metric]);
}

bool mtable_has_data(const struct dataset *d, int section, int metric)
{
	for (size_t i = 0; i < d->ncells; i++)
		if (d->cells[i].section == section && d->cells[i].m[metric].n)
			return true;
	return false;
}

/* The change of a cell against the baseline cell, and its verdict. */
static void change(const struct dataset *d, const struct cellstat *c,
		   int metric, double alpha, struct contrast *k)
{
	const struct cellstat *b = dataset_cell(d, c->section, 0, c->key.bs);

	if (!b) {
		*k = (struct contrast){ .v = V_UNTESTED, .pct = NAN, .pct_ci = NAN };
		return;
	}
	dataset_contrast(d, metric, c, b, alpha, k);
}

/* Stddev rows only say something when some repeats differed. */
static bool any_spread(const struct dataset *d, int section, int metric)
{
	for (size_t i = 0; i < d->ncells; i++)
		if (d->cells[i].section == section && d->cells[i].m[metric].sd > 0 &&
		    !cellstat_timing_na(&d->cells[i], metric))
			return true;
	return false;
}

/*
 * The rows of a table, in mmtests' order: a timing metric gets Min, Max,
 * Amean, its confidence interval, Stddev and CoeffVar; a count its Amean
 * and Stddev.  Only the Amean where no repeats differ.
 */
enum row_kind { R_MIN, R_MAX, R_MEAN, R_CI, R_SD, R_CV, R_COUNT };

static size_t table_rows(const struct dataset *d, int section, int metric,
			 enum row_kind *rows)
{
	size_t n = 0;

	if (!any_spread(d, section, metric)) {
		rows[n++] = R_MEAN;
		return n;
	}
	if (!mtable_relative(metric)) {
		rows[n++] = R_MEAN;
		rows[n++] = R_SD;
		return n;
	}
	for (int k = 0; k < R_COUNT; k++)
		rows[n++] = k;
	return n;
}

static void row_label(enum row_kind k, int metric, double alpha, char *buf,
		      size_t len)
{
	switch (k) {
	case R_MIN:
		snprintf(buf, len, "Min");
		break;
	case R_MAX:
		snprintf(buf, len, "Max");
		break;
	case R_MEAN:
		snprintf(buf, len, "%s", avg_name(metrics[metric].avg));
		break;
	case R_CI:
		snprintf(buf, len, "CI%g", 100 * (1 - alpha));
		break;
	case R_SD:
		snprintf(buf, len, "Stddev");
		break;
	default:
		snprintf(buf, len, "CoeffVar");
		break;
	}
}

/* The value and change columns of one cell in one row. */
static void text_cell(const struct dataset *d, const struct cellstat *c,
		      int metric, double alpha, int decimals, enum row_kind k,
		      bool pct_col, char *v, char *p, size_t len)
{
	const struct mstat *s = &c->m[metric];
	struct contrast x;

	p[0] = '\0';
	if (cellstat_timing_na(c, metric)) {
		snprintf(v, len, k == R_MEAN ? "n/a" : "-");
		if (k == R_MEAN)
			snprintf(p, len, "(fallback)");
		return;
	}
	switch (k) {
	case R_MIN:
		fmt_value(v, len, s->min, decimals);
		break;
	case R_MAX:
		fmt_value(v, len, s->max, decimals);
		break;
	case R_MEAN:
		fmt_value(v, len, s->mean, decimals);
		if (pct_col) {
			change(d, c, metric, alpha, &x);
			fmt_pct(p, len, x.pct, contrast_significant(&x));
		}
		break;
	case R_CI:
		fmt_value(v, len, mstat_ci(s, 1 - alpha), decimals);
		/* ASCII "+-": report.txt goes to mailing lists. */
		if (strcmp(v, "n/a") && strlen(v) + 3 < len) {
			memmove(v + 2, v, strlen(v) + 1);
			v[0] = '+';
			v[1] = '-';
		}
		if (pct_col) {
			change(d, c, metric, alpha, &x);
			if (!isnan(x.pct_ci))
				snprintf(p, len, "(+-%5.2f%%)", x.pct_ci);
		}
		break;
	case R_SD:
		fmt_value(v, len, s->sd, decimals);
		break;
	default:
		fmt_value(v, len, s->cv, 2);
		break;
	}
}

static void text_grid(const struct dataset *d, int section, int metric,
		      double alpha, int decimals, struct grid *g)
{
	bool rel = mtable_relative(metric);
	enum row_kind rows[R_COUNT];
	size_t nrows = table_rows(d, section, metric, rows);
	size_t cols = 2, col;

	for (size_t m = 0; m < d->nmodes; m++)
		cols += rel && m != 0 ? 2 : 1;
	grid_init(g, cols, 2);
	g->header_rows = 1;
	g->span_header = true;
	g->col[0].left = g->col[1].left = true;
	g->col[1].gap = 1;
	grid_add_row(g);
	/* modes[0], the baseline, has no change column. */
	col = 2;
	for (size_t m = 0; m < d->nmodes; m++) {
		grid_set(g, 0, col, "%s", d->modes[m]);
		if (rel && m != 0) {
			g->col[col + 1].gap = 1;
			g->col[col + 1].glued = true;
			col++;
		}
		col++;
	}
	for (size_t k = 0; k < nrows; k++) {
		for (size_t b = 0; b < d->nbs; b++) {
			size_t r;
			char label[16];

			if (!dataset_section_has_bs(d, section, d->bs[b]))
				continue;
			r = grid_add_row(g);
			row_label(rows[k], metric, alpha, label, sizeof(label));
			grid_set(g, r, 0, "%s", label);
			grid_set(g, r, 1, "%s", dataset_bs_text(d, d->bs[b]));
			col = 2;
			for (size_t m = 0; m < d->nmodes; m++) {
				const struct cellstat *c =
					dataset_cell(d, section, m, d->bs[b]);
				bool pct_col = rel && m != 0;
				char v[32], p[32];

				if (!c) {
					grid_set(g, r, col, "-");
				} else {
					text_cell(d, c, metric, alpha, decimals,
						  rows[k], pct_col, v, p, sizeof(v));
					grid_set(g, r, col, "%s", v);
					if (pct_col)
						grid_set(g, r, col + 1, "%s", p);
				}
				col += pct_col ? 2 : 1;
			}
		}
	}
}

/* The smallest non-zero mean of the table, for its decimals. */
static double smallest(const struct dataset *d, int section, int metric)
{
	double lo = INFINITY;

	for (size_t i = 0; i < d->ncells; i++) {
		double v = fabs(d->cells[i].m[metric].mean);

		if (cellstat_timing_na(&d->cells[i], metric))
			continue;
		if (d->cells[i].section == section && v > 0 && v < lo)
			lo = v;
	}
	return lo;
}

/* What "n/a (fallback)" stands for: the mode, its sizes, the reasons. */
static void fallback_note(const struct dataset *d, int section, int metric,
			  const char *indent, size_t width, struct strbuf *out)
{
	for (size_t m = 0; m < d->nmodes; m++) {
		struct strbuf line = STRBUF_INIT, sizes = STRBUF_INIT;
		char why[128] = "";
		size_t first_indent = strlen(indent);

		for (size_t b = 0; b < d->nbs; b++) {
			const struct cellstat *c = dataset_cell(d, section, m, d->bs[b]);

			if (!cellstat_timing_na(c, metric))
				continue;
			sb_printf(&sizes, "%s%s", sizes.len ? ", " : "", c->bs_text);
			if (!why[0])
				cellstat_fallback_reasons(c, why, sizeof(why));
		}
		if (sizes.len) {
			char pre[64];

			sb_printf(&line, "n/a (fallback: %s): %s sent every request "
				  "through copy at %s, so its times there measure "
				  "copy; they are left out of every comparison.",
				  why, d->modes[m], sb_str(&sizes));
			snprintf(pre, sizeof(pre), "%.*s", (int)first_indent, indent);
			sb_wrap(out, sb_str(&line), pre, indent, width);
		}
		sb_free(&line);
		sb_free(&sizes);
	}
}

void mtable_text(const struct dataset *d, int section, int metric,
		 double alpha, const char *indent, size_t width,
		 struct strbuf *out)
{
	size_t avail = width - utf8_width(indent);
	int want = fmt_decimals(smallest(d, section, metric));
	struct grid g;

	/* Drop decimals rather than wrap; wrap rather than show nothing. */
	for (int dec = want; dec >= 0; dec--) {
		text_grid(d, section, metric, alpha, dec, &g);
		if (grid_text_width(&g) <= avail || dec == 0)
			break;
		grid_free(&g);
	}
	if (grid_text_width(&g) > avail) {
		grid_free(&g);
		text_grid(d, section, metric, alpha, want, &g);
	}
	grid_text(&g, out, indent, width);
	grid_free(&g);
	fallback_note(d, section, metric, indent, width, out);
}

void mtable_markdown(const struct dataset *d, int section, int metric,
		     double alpha, struct strbuf *out)
{
	bool rel = mtable_relative(metric);
	int dec = fmt_decimals(smallest(d, section, metric));
	struct grid g;

	grid_init(&g, d->nmodes + 1, 1);
	g.header_rows = 1;
	g.col[0].left = true;
	grid_add_row(&g);
	grid_set(&g, 0, 0, "bs");
	for (size_t m = 0; m < d->nmodes; m++)
		grid_set(&g, 0, m + 1, "%s", d->modes[m]);
	for (size_t b = 0; b < d->nbs; b++) {
		size_t r;

		if (!dataset_section_has_bs(d, section, d->bs[b]))
			continue;
		r = grid_add_row(&g);
		grid_set(&g, r, 0, "%s", dataset_bs_text(d, d->bs[b]));
		for (size_t m = 0; m < d->nmodes; m++) {
			const struct cellstat *c = dataset_cell(d, section, m, d->bs[b]);
			const struct mstat *st;
			struct strbuf s = STRBUF_INIT;
			char v[32], why[128];
			double ci;

			if (!c) {
				grid_set(&g, r, m + 1, "-");
				continue;
			}
			if (cellstat_timing_na(c, metric)) {
				cellstat_fallback_reasons(c, why, sizeof(why));
				grid_set(&g, r, m + 1, "n/a (fallback: %s)", why);
				continue;
			}
			st = &c->m[metric];
			fmt_value(v, sizeof(v), st->mean, dec);
			sb_puts(&s, v);
			/* Timing: the mean's CI; counts: the sd, as before. */
			ci = rel ? mstat_ci(st, 1 - alpha) : st->sd;
			if (!isnan(ci))
				sb_printf(&s, " ± %.*f", dec, ci);
			if (rel && m != 0) {
				struct contrast x;

				change(d, c, metric, alpha, &x);
				if (!isnan(x.pct)) {
					sb_printf(&s, contrast_significant(&x) ?
						  " (**%+.2f%%**" : " (%+.2f%%",
						  fabs(x.pct) < 0.005 ? 0 : x.pct);
					if (!isnan(x.pct_ci))
						sb_printf(&s, " ± %.2f", x.pct_ci);
					sb_putc(&s, ')');
				}
			}
			grid_set(&g, r, m + 1, "%s", sb_str(&s));
			sb_free(&s);
		}
	}
	grid_markdown(&g, out);
	grid_free(&g);
}
