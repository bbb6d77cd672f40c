// SPDX-License-Identifier: GPL-2.0
/*
 * IOPS per cell across the CI history, as text and as a plot
 * (plots/trend.gp).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "fsutil.h"
#include "gnuplot.h"
#include "grid.h"
#include "numfmt.h"
#include "records.h"
#include "repeat_stats.h"
#include "trend.h"

/* The runs (in file order) and cells of the newest line's tier and matrix. */
struct trend {
	struct csv c;
	int col_run, col_cell, col_label[4], col_v, col_sd;
	char tier[32], matrix[RUN_DIR_MAX];
	char **runs, **cells;
	size_t nruns, ncells;
};

static size_t intern(char ***list, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*list)[i], s))
			return i;
	*list = realloc(*list, (*n + 1) * sizeof(char *));
	if (!*list)
		abort();
	(*list)[*n] = strdup(s);
	return (*n)++;
}

static bool trend_row(const struct trend *t, size_t i)
{
	return !strcmp(csv_get(&t->c, i, csv_col(&t->c, "tier")), t->tier) &&
	       !strcmp(csv_get(&t->c, i, csv_col(&t->c, "matrix")), t->matrix);
}

static int trend_load(struct trend *t, const char *path, const char *metric,
		      char *err, size_t errlen)
{
	char sd[64];

	memset(t, 0, sizeof(*t));
	if (csv_load(path, &t->c) || t->c.n < 2) {
		snprintf(err, errlen, "%s: %s", path, errno ? strerror(errno) : "no lines");
		return -1;
	}
	snprintf(sd, sizeof(sd), "%s_sd", metric);
	t->col_run = csv_col(&t->c, "run_id");
	t->col_cell = csv_col(&t->c, "cell_id");
	t->col_label[0] = csv_col(&t->c, "mode");
	t->col_label[1] = csv_col(&t->c, "bs");
	t->col_label[2] = csv_col(&t->c, "io");
	t->col_label[3] = csv_col(&t->c, "rw");
	t->col_v = csv_col(&t->c, metric);
	t->col_sd = csv_col(&t->c, sd);
	if (t->col_run < 0 || t->col_cell < 0 || t->col_v < 0) {
		snprintf(err, errlen, "%s: no run_id, cell_id or %s column", path, metric);
		return -1;
	}
	/* Trends across tiers or matrices would compare unlike things. */
	snprintf(t->tier, sizeof(t->tier), "%s", csv_get(&t->c, t->c.n - 1, csv_col(&t->c, "tier")));
	snprintf(t->matrix, sizeof(t->matrix), "%s",
		 csv_get(&t->c, t->c.n - 1, csv_col(&t->c, "matrix")));
	for (size_t i = 1; i < t->c.n; i++) {
		if (!trend_row(t, i))
			continue;
		intern(&t->runs, &t->nruns, csv_get(&t->c, i, t->col_run));
		intern(&t->cells, &t->ncells, csv_get(&t->c, i, t->col_cell));
	}
	return 0;
}

static void trend_free(struct trend *t)
{
	for (size_t i = 0; i < t->nruns; i++)
		free(t->runs[i]);
	for (size_t i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->runs);
	free(t->cells);
	csv_free(&t->c);
}

/* "copy/4k/direct/randread": short enough for a legend, no spaces. */
static void trend_label(const struct trend *t, size_t row, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/%s/%s", csv_get(&t->c, row, t->col_label[0]),
		 csv_get(&t->c, row, t->col_label[1]),
		 csv_get(&t->c, row, t->col_label[2]),
		 csv_get(&t->c, row, t->col_label[3]));
}

/* The line of (run, cell), or 0. */
static size_t trend_find(const struct trend *t, size_t run, size_t cell)
{
	for (size_t i = t->c.n - 1; i > 0; i--)
		if (trend_row(t, i) &&
		    !strcmp(csv_get(&t->c, i, t->col_run), t->runs[run]) &&
		    !strcmp(csv_get(&t->c, i, t->col_cell), t->cells[cell]))
			return i;
	return 0;
}

int trend_plots(const char *history, const char *outdir, const char *scripts,
		const char *formats, char *err, size_t errlen)
{
	struct strbuf data = STRBUF_INIT, v = STRBUF_INIT, series = STRBUF_INIT;
	char path[PATH_MAX + 32], vars[PATH_MAX + 32], log[PATH_MAX + 32];
	char out[PATH_MAX + 32], title[RUN_DIR_MAX + 128];
	struct trend t;
	int ret;

	if (trend_load(&t, history, "iops", err, errlen))
		return -1;
	snprintf(path, sizeof(path), "%s/data", outdir);
	if (make_dirs(path)) {
		snprintf(err, errlen, "cannot create %s", path);
		trend_free(&t);
		return -1;
	}
	sb_printf(&data, "# ubmap-report trend: %s, tier %s, matrix %s\n"
		  "# a block per cell; 1 run number 2 run id 3 iops 4 sd\n",
		  history, t.tier, t.matrix);
	for (size_t c = 0; c < t.ncells; c++) {
		char label[128] = "";

		sb_puts(&data, c ? "\n\n" : "");
		for (size_t r = 0; r < t.nruns; r++) {
			size_t row = trend_find(&t, r, c);
			double sd;

			if (!row)
				continue;
			if (!label[0])
				trend_label(&t, row, label, sizeof(label));
			sd = csv_double(&t.c, row, t.col_sd);
			sb_printf(&data, "%zu %s %.10g %.10g\n", r + 1, t.runs[r],
				  csv_double(&t.c, row, t.col_v), isnan(sd) ? 0 : sd);
		}
		sb_printf(&series, "%s%s", c ? " " : "", label[0] ? label : "?");
	}
	snprintf(path, sizeof(path), "%s/data/trend-iops.dat", outdir);
	snprintf(vars, sizeof(vars), "%s/data/trend-iops.gp", outdir);
	snprintf(log, sizeof(log), "%s/gnuplot.log", outdir);
	snprintf(out, sizeof(out), "%s/trend-iops", outdir);
	snprintf(title, sizeof(title), "IOPS per CI run (%s), matrix %s, tier %s",
		 avg_name(metrics[metric_find("iops")].avg), t.matrix, t.tier);
	if (write_text(path, sb_str(&data))) {
		snprintf(err, errlen, "cannot write %s", path);
		ret = -1;
		goto out;
	}
	gp_str(&v, "data", path);
	gp_str(&v, "out", out);
	gp_str(&v, "formats", formats);
	gp_str(&v, "plotsdir", scripts);
	gp_str(&v, "title", title);
	gp_str(&v, "subtitle", history);
	gp_str(&v, "ylabel", "IOPS (IO/s)");
	gp_str(&v, "series", sb_str(&series));
	gp_num(&v, "nruns", t.nruns);
	ret = gp_run(scripts, "trend.gp", vars, &v, log, err, errlen);
out:
	sb_free(&data);
	sb_free(&v);
	sb_free(&series);
	trend_free(&t);
	return ret;
}
static void trend_text(const struct trend *t, size_t last, struct strbuf *out)
{
	size_t first = t->nruns > last ? t->nruns - last : 0;
	struct grid g;

	sb_printf(out, "IOPS (%s) per cell, tier %s, matrix %s; change against #%zu\n",
		  avg_name(metrics[metric_find("iops")].avg), t->tier, t->matrix,
		  first + 1);
	for (size_t r = first; r < t->nruns; r++) {
		int cs = csv_col(&t->c, "git_sha"), cv = csv_col(&t->c, "verdict");
		size_t row = 0;

		for (size_t c = 0; c < t->ncells && !row; c++)
			row = trend_find(t, r, c);
		sb_printf(out, "  #%zu  %s  git %s%s%s\n", r + 1, t->runs[r],
			  csv_get(&t->c, row, cs), *csv_get(&t->c, row, cv) ? "  compare " : "",
			  csv_get(&t->c, row, cv));
	}
	sb_putc(out, '\n');
	grid_init(&g, 1 + 2 * (t->nruns - first), 1);
	g.header_rows = 1;
	g.span_header = true;
	g.col[0].left = true;
	grid_add_row(&g);
	for (size_t r = first; r < t->nruns; r++) {
		size_t col = 1 + 2 * (r - first);

		grid_set(&g, 0, col, "#%zu", r + 1);
		g.col[col + 1].glued = true;
		g.col[col + 1].gap = 1;
	}
	for (size_t c = 0; c < t->ncells; c++) {
		size_t row = grid_add_row(&g);
		double base = NAN;
		char label[128] = "", v[32], p[32];

		for (size_t r = first; r < t->nruns; r++) {
			size_t line = trend_find(t, r, c), col = 1 + 2 * (r - first);
			double x;

			if (!line) {
				grid_set(&g, row, col, "-");
				continue;
			}
			if (!label[0])
				trend_label(t, line, label, sizeof(label));
			x = csv_double(&t->c, line, t->col_v);
			if (isnan(base))
				base = x;
			fmt_value(v, sizeof(v), x, 2);
			fmt_pct(p, sizeof(p), stats_pct_change(base, x), false);
			grid_set(&g, row, col, "%s", v);
			grid_set(&g, row, col + 1, "%s", p);
		}
		grid_set(&g, row, 0, "%s", label);
	}
	grid_text(&g, out, "", TEXT_WIDTH);
	grid_free(&g);
}

int trend_table(const char *history, size_t last, struct strbuf *out,
		char *err, size_t errlen)
{
	struct trend t;

	if (trend_load(&t, history, "iops", err, errlen))
		return -1;
	trend_text(&t, last, out);
	trend_free(&t);
	return 0;
}
