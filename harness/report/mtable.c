// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>

#include "grid.h"
#include "mtable.h"
#include "numfmt.h"

bool mtable_relative(int metric)
{
	enum metric_kind k = metrics[metric].kind;

	return k == MK_THROUGHPUT || k == MK_TIME;
}

bool mtable_has_data(const struct dataset *d, int section, int metric)
{
	for (size_t i = 0; i < d->ncells; i++)
		if (d->cells[i].section == section && d->cells[i].m[metric].n)
			return true;
	return false;
}

/* The change of a cell against the baseline cell, and its significance. */
static double change(const struct dataset *d, const struct cellstat *c,
		     int metric, double alpha, bool *sig)
{
	const struct cellstat *b = dataset_cell(d, c->section, 0, c->key.bs);
	struct welch w;

	*sig = false;
	if (!b)
		return NAN;
	if (!mstat_welch(&c->m[metric], &b->m[metric], &w))
		*sig = w.p < alpha;
	return stats_pct_change(b->m[metric].mean, c->m[metric].mean);
}

/* Stddev rows only say something when some repeats differed. */
static bool any_spread(const struct dataset *d, int section, int metric)
{
	for (size_t i = 0; i < d->ncells; i++)
		if (d->cells[i].section == section && d->cells[i].m[metric].sd > 0)
			return true;
	return false;
}

static void text_grid(const struct dataset *d, int section, int metric,
		      double alpha, int decimals, struct grid *g)
{
	bool rel = mtable_relative(metric), sd_rows = any_spread(d, section, metric);
	size_t cols = 2, col;
	int pass;

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
	for (pass = 0; pass < (sd_rows ? 2 : 1); pass++) {
		for (size_t b = 0; b < d->nbs; b++) {
			size_t r = grid_add_row(g);

			grid_set(g, r, 0, "%s", pass ? "Stddev" :
				 avg_name(metrics[metric].avg));
			grid_set(g, r, 1, "%s", dataset_bs_text(d, d->bs[b]));
			col = 2;
			for (size_t m = 0; m < d->nmodes; m++) {
				const struct cellstat *c =
					dataset_cell(d, section, m, d->bs[b]);
				bool pct_col = rel && m != 0;
				char v[32], p[32];
				bool sig;

				if (!c) {
					grid_set(g, r, col, "-");
				} else {
					fmt_value(v, sizeof(v), pass ? c->m[metric].sd :
						  c->m[metric].mean, decimals);
					grid_set(g, r, col, "%s", v);
					if (pct_col && !pass) {
						double pct = change(d, c, metric, alpha, &sig);

						fmt_pct(p, sizeof(p), pct, sig);
						grid_set(g, r, col + 1, "%s", p);
					}
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

		if (d->cells[i].section == section && v > 0 && v < lo)
			lo = v;
	}
	return lo;
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
		size_t r = grid_add_row(&g);

		grid_set(&g, r, 0, "%s", dataset_bs_text(d, d->bs[b]));
		for (size_t m = 0; m < d->nmodes; m++) {
			const struct cellstat *c = dataset_cell(d, section, m, d->bs[b]);
			struct strbuf s = STRBUF_INIT;
			char v[32];

			if (!c) {
				grid_set(&g, r, m + 1, "-");
				continue;
			}
			fmt_value(v, sizeof(v), c->m[metric].mean, dec);
			sb_puts(&s, v);
			if (!isnan(c->m[metric].sd))
				sb_printf(&s, " ± %.*f", dec, c->m[metric].sd);
			if (rel && m != 0) {
				bool sig;
				double pct = change(d, c, metric, alpha, &sig);

				if (!isnan(pct))
					sb_printf(&s, sig ? " (**%+.2f%%**)" : " (%+.2f%%)",
						  fabs(pct) < 0.005 ? 0 : pct);
			}
			grid_set(&g, r, m + 1, "%s", sb_str(&s));
			sb_free(&s);
		}
	}
	grid_markdown(&g, out);
	grid_free(&g);
}
