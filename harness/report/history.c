// SPDX-License-Identifier: GPL-2.0
/*
 * The CI history's lines.  The CSV is long-form (a line per run and cell)
 * so that a matrix change adds lines, not columns; readers (trend.c) find
 * columns by name.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"

static const char *const id_cols[] = {
	"run_id", "started", "git_sha", "git_dirty", "tier", "kernel",
	"matrix", "verdict", "cell_id", "mode", "bs", "io", "rw", "repeats",
};
#define NR_ID_COLS	(sizeof(id_cols) / sizeof(id_cols[0]))

void history_header(struct strbuf *out)
{
	for (size_t i = 0; i < NR_ID_COLS; i++)
		sb_printf(out, "%s%s", i ? "," : "", id_cols[i]);
	for (unsigned int m = 0; m < nr_metrics; m++)
		if (metrics[m].places & MP_HISTORY)
			sb_printf(out, ",%s,%s_sd", metrics[m].name,
				  metrics[m].name);
}


/* "workloads/ci.matrix" -> "ci": the name, not where the tree was. */
static void matrix_name(const struct run *r, char *buf, size_t len)
{
	char tmp[PATH_MAX], *b, *dot;

	snprintf(tmp, sizeof(tmp), "%s", r->matrix);
	b = basename(tmp);
	dot = strstr(b, ".matrix");
	if (dot)
		*dot = '\0';
	snprintf(buf, len, "%s", b);
}

void history_lines(const struct dataset *d, const char *verdict,
		   struct strbuf *out)
{
	const struct run *r = d->run;
	char matrix[PATH_MAX], rw[32], n[16];

	matrix_name(r, matrix, sizeof(matrix));
	for (size_t i = 0; i < d->ncells; i++) {
		const struct cellstat *c = &d->cells[i];

		csv_field(out, r->id, true);
		csv_field(out, r->started, false);
		csv_field(out, run_meta(r, "git_sha"), false);
		csv_field(out, run_meta(r, "git_dirty"), false);
		csv_field(out, run_meta(r, "tier"), false);
		csv_field(out, run_meta(r, "kernel"), false);
		csv_field(out, matrix, false);
		csv_field(out, verdict, false);
		csv_field(out, c->cell_id, false);
		csv_field(out, c->key.mode, false);
		csv_field(out, c->bs_text, false);
		csv_field(out, c->key.io, false);
		cell_axis_text(&c->key, AX_RW, rw, sizeof(rw));
		csv_field(out, rw, false);
		snprintf(n, sizeof(n), "%u", c->ok);
		csv_field(out, n, false);
		for (unsigned int m = 0; m < nr_metrics; m++) {
			if (!(metrics[m].places & MP_HISTORY))
				continue;
			csv_num(out, c->m[m].mean);
			csv_num(out, c->m[m].sd);
		}
		sb_putc(out, '\n');
	}
}


bool history_has_run(const struct csv *c, const char *id)
{
	int col = csv_col(c, "run_id");

	for (size_t i = 1; i < c->n; i++)
		if (!strcmp(csv_get(c, i, col), id))
			return true;
	return false;
}
