// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-report history-append RUN_DIR CSV.  The CSV is long-form (a line
 * per run and cell) so that a matrix change adds lines, not columns;
 * readers (trend.c) find columns by name.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "csv.h"
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
	for (unsigned int m = 0; m < nr_metric_meta; m++)
		if (metric_meta[m].places & MP_HISTORY)
			sb_printf(out, ",%s,%s_sd", metric_meta[m].name,
				  metric_meta[m].name);
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
		csv_field(out, c->key.bs_text, false);
		csv_field(out, c->key.io, false);
		cell_key_rw(&c->key, rw, sizeof(rw));
		csv_field(out, rw, false);
		snprintf(n, sizeof(n), "%u", c->ok);
		csv_field(out, n, false);
		for (unsigned int m = 0; m < nr_metric_meta; m++) {
			if (!(metric_meta[m].places & MP_HISTORY))
				continue;
			csv_num(out, c->m[m].mean);
			csv_num(out, c->m[m].sd);
		}
		sb_putc(out, '\n');
	}
}


static bool run_in_history(const struct csv *c, const char *id)
{
	int col = csv_col(c, "run_id");

	for (size_t i = 1; i < c->n; i++)
		if (!strcmp(csv_get(c, i, col), id))
			return true;
	return false;
}

static void usage_append(FILE *f)
{
	fprintf(f, "usage: ubmap-report history-append RUN_DIR CSV [--verdict WORD]\n"
		   "Appends a line per cell of the run to CSV (created with a header if\n"
		   "missing).  WORD records compare's verdict: ok, regression, refused;\n"
		   "counts-ok etc. when only the counts were gated.\n");
}

int cmd_history_append(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verdict", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct strbuf want = STRBUF_INIT, text = STRBUF_INIT;
	const char *verdict = "", *path;
	char err[512];
	struct dataset d;
	struct csv c;
	struct run r;
	int opt, ret = EXIT_OK;
	FILE *f;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			verdict = optarg;
			break;
		case 'h':
			usage_append(stdout);
			return EXIT_OK;
		default:
			usage_append(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		usage_append(stderr);
		return EXIT_USAGE;
	}
	path = argv[optind + 1];
	if (run_load(&r, argv[optind], err, sizeof(err))) {
		fprintf(stderr, "ubmap-report history-append: %s\n", err);
		return EXIT_FAIL;
	}
	history_header(&want);
	if (!csv_load(path, &c) && c.n) {
		struct strbuf have = STRBUF_INIT;

		for (size_t i = 0; i < c.nf[0]; i++)
			sb_printf(&have, "%s%s", i ? "," : "", c.row[0][i]);
		/* Columns are found by name, but one file, one layout. */
		if (strcmp(sb_str(&have), sb_str(&want))) {
			fprintf(stderr,
				"ubmap-report history-append: %s has other columns than this version writes;\n"
				"  start a new file or convert it (have: %s)\n", path, sb_str(&have));
			ret = EXIT_FAIL;
		} else if (run_in_history(&c, r.id)) {
			fprintf(stderr, "history: run %s is already in %s; not added again\n",
				r.id, path);
			sb_free(&have);
			goto out;
		}
		sb_free(&have);
	} else {
		sb_printf(&text, "%s\n", sb_str(&want));
	}
	if (ret)
		goto out;
	dataset_build(&d, &r);
	history_lines(&d, verdict, &text);
	dataset_free(&d);
	f = fopen(path, "a");
	if (!f || fputs(sb_str(&text), f) == EOF || fclose(f)) {
		fprintf(stderr, "ubmap-report history-append: %s: %s\n", path, strerror(errno));
		ret = EXIT_FAIL;
	} else {
		fprintf(stderr, "history: run %s appended to %s\n", r.id, path);
	}
out:
	csv_free(&c);
	sb_free(&want);
	sb_free(&text);
	run_free(&r);
	return ret;
}

