// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-report compare BASE_DIR NEW_DIR: exit 0 ok, 1 a regression or a
 * count change, 2 usage or refusal.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "compare.h"
#include "grid.h"
#include "header.h"
#include "numfmt.h"

static const struct cellstat *find_cell(const struct dataset *d, const char *id)
{
	for (size_t i = 0; i < d->ncells; i++)
		if (!strcmp(d->cells[i].cell_id, id))
			return &d->cells[i];
	return NULL;
}

static size_t missing(const struct dataset *a, const struct dataset *b,
		      const char **example)
{
	size_t n = 0;

	for (size_t i = 0; i < a->ncells; i++)
		if (!find_cell(b, a->cells[i].cell_id)) {
			if (!n)
				*example = a->cells[i].cell_id;
			n++;
		}
	return n;
}

size_t compare_common_cells(const struct dataset *base, const struct dataset *new)
{
	const char *e;

	return base->ncells - missing(base, new, &e);
}

void compare_refusal(const struct dataset *base, const struct dataset *new,
		     const struct compare_opts *o, char *buf, size_t len)
{
	const char *tb = run_meta(base->run, "tier"), *tn = run_meta(new->run, "tier");
	const char *eb = "", *en = "";
	size_t ob, on;

	buf[0] = '\0';
	if (strcmp(tb, tn) && !o->counts_only) {
		snprintf(buf, len,
			 "base run %s is tier '%s' but new run %s is tier '%s': times "
			 "from different tiers measure different machines",
			 base->run->id, *tb ? tb : "unknown", new->run->id,
			 *tn ? tn : "unknown");
		return;
	}
	ob = missing(base, new, &eb);
	on = missing(new, base, &en);
	if (ob || on)
		snprintf(buf, len,
			 "the runs measured different matrices: %zu cells only in "
			 "base%s%s%s, %zu only in new%s%s%s",
			 ob, ob ? " (e.g. " : "", eb, ob ? ")" : "",
			 on, on ? " (e.g. " : "", en, on ? ")" : "");
}

/* Environment differences worth a note (they may be the point of it). */
static void env_notes(const struct run *b, const struct run *n, struct strbuf *out)
{
	static const char *const keys[] = {
		"kernel", "cpu_model", "vcpus", "mem_mb", "fio_version",
		"qemu_version", "host_cpu",
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *vb = run_meta(b, keys[i]), *vn = run_meta(n, keys[i]);
		char line[512];

		if (!strcmp(vb, vn))
			continue;
		snprintf(line, sizeof(line), "%s differs: %s -> %s", keys[i],
			 *vb ? vb : "?", *vn ? vn : "?");
		sb_wrap(out, line, "  note  ", "        ", TEXT_WIDTH);
	}
}

struct row {
	double pct;
	bool marked;		/* significant, or an exact count that moved */
	bool worse;		/* in the direction that is worse */
	bool untested;
	bool fail;		/* gates CI */
};

static bool exact_changed(double b, double n)
{
	double d = fabs(n - b);

	return d > EXACT_ABS_TOL && d > EXACT_REL_TOL * fabs(b);
}

static struct row judge(const struct cellstat *cb, const struct cellstat *cn,
			int m, const struct compare_opts *o)
{
	const struct metric_meta *mm = &metric_meta[m];
	double b = cb->m[m].mean, n = cn->m[m].mean;
	struct row r = { .pct = stats_pct_change(b, n) };
	struct welch w;

	if (isnan(b) || isnan(n))
		return r;
	r.worse = mm->higher_is_better ? n < b : n > b;
	if (metric_is_exact(mm, cb->key.io, cb->key.mode)) {
		r.marked = r.fail = exact_changed(b, n);
		return r;
	}
	r.untested = mstat_welch(&cb->m[m], &cn->m[m], &w) != 0;
	r.marked = !r.untested && w.p < o->alpha;
	/* Without two repeats a side there is no noise estimate: the threshold decides. */
	r.fail = !o->counts_only && mm->kind == MK_THROUGHPUT && r.worse &&
		 fabs(r.pct) > o->threshold && (r.marked || r.untested);
	return r;
}

static void metric_block(const struct dataset *base, const struct dataset *new,
			 int m, const struct compare_opts *o, int decimals,
			 struct compare_result *res, struct grid *g)
{
	/* label | base | new (change) | FAIL: no change beside base, as mmtests. */
	grid_init(g, 5, 1);
	g->header_rows = 1;
	g->span_header = true;
	g->col[0].left = true;
	g->col[3].glued = true;
	g->col[3].gap = 1;
	g->col[4].left = true;
	grid_add_row(g);
	grid_set(g, 0, 0, "%s", avg_name(metric_meta[m].avg));
	grid_set(g, 0, 1, "base");
	grid_set(g, 0, 2, "new");
	for (size_t i = 0; i < base->ncells; i++) {
		const struct cellstat *cb = &base->cells[i];
		const struct cellstat *cn = find_cell(new, cb->cell_id);
		char label[200], v[32], p[40];
		struct row r;
		size_t row;

		if (!cn)
			continue;
		if (isnan(cb->m[m].mean) && isnan(cn->m[m].mean))
			continue;
		r = judge(cb, cn, m, o);
		if (res) {
			res->rows++;
			res->untested += r.untested;
			res->better += r.marked && !r.worse;
			res->worse += r.marked && r.worse;
			if (r.fail && metric_is_exact(&metric_meta[m], cb->key.io, cb->key.mode))
				res->count_changes++;
			else if (r.fail)
				res->regressions++;
		}
		if (o->changes_only && !r.marked && !r.fail)
			continue;
		row = grid_add_row(g);
		cellstat_label(base, cb, label, sizeof(label));
		grid_set(g, row, 0, "%s", label);
		fmt_value(v, sizeof(v), cb->m[m].mean, decimals);
		grid_set(g, row, 1, "%s", v);
		fmt_value(v, sizeof(v), cn->m[m].mean, decimals);
		grid_set(g, row, 2, "%s", v);
		if (isnan(r.pct) && r.marked)
			snprintf(p, sizeof(p), "* from 0*");
		else
			fmt_pct(p, sizeof(p), r.pct, r.marked);
		grid_set(g, row, 3, "%s", p);
		if (r.fail)
			grid_set(g, row, 4, "FAIL");
	}
}

/* One metric's block, with as many decimals as fit 80 columns. */
static void render_metric(const struct dataset *base, const struct dataset *new,
			  int m, const struct compare_opts *o,
			  struct compare_result *res, struct strbuf *out)
{
	double lo = INFINITY;
	struct grid g;
	char h[160];
	int dec;

	for (size_t i = 0; i < base->ncells; i++)
		if (base->cells[i].m[m].mean > 0)
			lo = fmin(lo, base->cells[i].m[m].mean);
	for (dec = fmt_decimals(lo); dec > 0; dec--) {
		metric_block(base, new, m, o, dec, NULL, &g);
		if (grid_text_width(&g) <= TEXT_WIDTH)
			break;
		grid_free(&g);
	}
	if (dec)
		grid_free(&g);
	metric_block(base, new, m, o, dec, res, &g);
	if (g.rows > 1) {
		metric_heading(&metric_meta[m], h, sizeof(h));
		sb_printf(out, "\n%s%s\n", h,
			  metric_meta[m].kind == MK_EXACT ? ", must not change" :
			  metric_meta[m].kind == MK_EXACT_DIRECT ?
			  ", must not change with direct I/O" : "");
		grid_text(&g, out, "", TEXT_WIDTH);
	}
	grid_free(&g);
}

void compare_runs(const struct dataset *base, const struct dataset *new,
		  const struct compare_opts *o, struct compare_result *res,
		  struct strbuf *out)
{
	const char *e = "";
	char line[RUN_DIR_MAX + 512];

	memset(res, 0, sizeof(*res));
	res->only_base = missing(base, new, &e);
	res->only_new = missing(new, base, &e);
	sb_puts(out, "ubmap compare\n");
	snprintf(line, sizeof(line), "%s: run %s, tier %s, kernel %s, git %s",
		 base->run->dir, base->run->id, run_meta(base->run, "tier"),
		 run_meta(base->run, "kernel"), run_meta(base->run, "git_sha"));
	sb_wrap(out, line, "  base  ", "        ", TEXT_WIDTH);
	snprintf(line, sizeof(line), "%s: run %s, tier %s, kernel %s, git %s",
		 new->run->dir, new->run->id, run_meta(new->run, "tier"),
		 run_meta(new->run, "kernel"), run_meta(new->run, "git_sha"));
	sb_wrap(out, line, "  new   ", "        ", TEXT_WIDTH);
	snprintf(line, sizeof(line),
		 "Welch's t-test (two-sided) over the repeats, alpha %g: *x%%* "
		 "marks a significant change, (x%%) one that is not or could "
		 "not be tested.", o->alpha);
	sb_wrap(out, line, "  test  ", "        ", TEXT_WIDTH);
	if (o->counts_only)
		snprintf(line, sizeof(line),
			 "FAIL: an exact count that moved by more than rounding "
			 "(counts only: times are shown, not gated).");
	else
		snprintf(line, sizeof(line),
			 "FAIL: a throughput metric worse by more than %.1f%% and "
			 "significant (or untested: fewer than 2 repeats), or an exact "
			 "count that moved by more than rounding.", o->threshold);
	sb_wrap(out, line, "  gate  ", "        ", TEXT_WIDTH);
	env_notes(base->run, new->run, out);
	for (int i = 0; i < 2; i++) {
		const struct run *r = i ? new->run : base->run;

		/* An interrupted run compares only what it finished. */
		if (r->status[0] && strcmp(r->status, "complete")) {
			snprintf(line, sizeof(line), "%s run %s is %s", i ? "new" : "base",
				 r->id, r->status);
			sb_wrap(out, line, "  note  ", "        ", TEXT_WIDTH);
		}
	}
	if (base->run->nfailed || new->run->nfailed) {
		snprintf(line, sizeof(line),
			 "failed runs, left out: %zu in base, %zu in new",
			 base->run->nfailed, new->run->nfailed);
		sb_wrap(out, line, "  note  ", "        ", TEXT_WIDTH);
	}
	if (res->only_base || res->only_new) {
		snprintf(line, sizeof(line),
			 "--force: %u cells only in base and %u only in new are left out",
			 res->only_base, res->only_new);
		sb_wrap(out, line, "  note  ", "        ", TEXT_WIDTH);
	}
	for (unsigned int m = 0; m < nr_metric_meta; m++)
		if (metric_meta[m].places & MP_COMPARE)
			render_metric(base, new, m, o, res, out);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ubmap-report compare BASE_DIR NEW_DIR [--threshold PCT] [--alpha A]\n"
		"                            [--force] [--changes] [--counts-only]\n"
		"Per cell and metric: the change from BASE to NEW and Welch's t-test over\n"
		"the repeats.  Exit status: 0 ok; 1 a throughput metric significantly\n"
		"worse by more than PCT (default %.0f) or an exact count changed; 2 bad\n"
		"usage, runs with no cell in common, or runs of different tiers or\n"
		"matrices (--force compares anyway).\n"
		"--changes prints only the rows that changed significantly or fail.\n"
		"--counts-only gates on the exact counts alone, and accepts a base of\n"
		"another tier (counts do not depend on the tier; times do).\n",
		DEFAULT_THRESHOLD_PCT);
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "alpha", required_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ "changes", no_argument, NULL, 'c' },
		{ "counts-only", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct compare_opts o = {
		.alpha = DEFAULT_ALPHA, .threshold = DEFAULT_THRESHOLD_PCT,
	};
	struct strbuf out = STRBUF_INIT;
	struct compare_result res;
	struct dataset db, dn;
	struct run rb, rn;
	char err[1024], why[1024];
	bool fail;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_number_opt("compare", "--threshold", optarg, 0, 1000,
					     &o.threshold))
				return EXIT_USAGE;
			break;
		case 'a':
			if (parse_number_opt("compare", "--alpha", optarg, 1e-6, 0.5, &o.alpha))
				return EXIT_USAGE;
			break;
		case 'f':
			o.force = true;
			break;
		case 'c':
			o.changes_only = true;
			break;
		case 'n':
			o.counts_only = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (run_load(&rb, argv[optind], err, sizeof(err))) {
		fprintf(stderr, "ubmap-report compare: base: %s\n", err);
		return EXIT_USAGE;
	}
	if (run_load(&rn, argv[optind + 1], err, sizeof(err))) {
		fprintf(stderr, "ubmap-report compare: new: %s\n", err);
		run_free(&rb);
		return EXIT_USAGE;
	}
	dataset_build(&db, &rb);
	dataset_build(&dn, &rn);
	compare_refusal(&db, &dn, &o, why, sizeof(why));
	/* Not even --force: with no cell in common a verdict would mean nothing. */
	if (!compare_common_cells(&db, &dn)) {
		fprintf(stderr, "ubmap-report compare: refusing: the runs have no cell in "
			"common (%zu cells in base, %zu in new)\n", db.ncells, dn.ncells);
		c = EXIT_USAGE;
		goto out;
	}
	if (why[0] && !o.force) {
		struct strbuf msg = STRBUF_INIT;
		char line[sizeof(why) + 128];

		snprintf(line, sizeof(line), "refusing: %s. Use --force (make compare "
			 "FORCE=1) to compare anyway.", why);
		sb_wrap(&msg, line, "ubmap-report compare: ", "  ", TEXT_WIDTH);
		fputs(sb_str(&msg), stderr);
		sb_free(&msg);
		c = EXIT_USAGE;
		goto out;
	}
	if (why[0])
		fprintf(stderr, "ubmap-report compare: --force: %s\n", why);
	compare_runs(&db, &dn, &o, &res, &out);
	/* Nothing compared is no evidence of no regression. */
	if (!res.rows)
		sb_puts(&out, "\ncompare: no cell has data in both runs\n");
	fail = res.regressions || res.count_changes || !res.rows;
	/* The verdict line first: CI logs are grepped for "compare: FAIL". */
	sb_printf(&out, "\ncompare: %s: %u throughput regression%s beyond %.1f%%, "
		  "%u exact count change%s\n", fail ? "FAIL" : "ok", res.regressions,
		  res.regressions == 1 ? "" : "s", o.threshold, res.count_changes,
		  res.count_changes == 1 ? "" : "s");
	sb_printf(&out, "  %u significant change%s (%u better, %u worse) in %u "
		  "cell-metric pairs\n", res.better + res.worse,
		  res.better + res.worse == 1 ? "" : "s", res.better, res.worse, res.rows);
	if (res.untested)
		sb_printf(&out, "  %u pairs untested (fewer than 2 repeats): the "
			  "threshold alone decided\n", res.untested);
	fputs(sb_str(&out), stdout);
	c = fail ? EXIT_FAIL : EXIT_OK;
out:
	sb_free(&out);
	dataset_free(&db);
	dataset_free(&dn);
	run_free(&rb);
	run_free(&rn);
	return c;
}
