// SPDX-License-Identifier: GPL-2.0
/*
 * Two runs, cell by cell and metric by metric: Welch's t-test with Holm's
 * correction, the CI gate, the text that shows both.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "grid.h"
#include "header.h"
#include "multcomp.h"
#include "numfmt.h"

static size_t missing(const struct dataset *a, const struct dataset *b,
		      const char **example)
{
	size_t n = 0;

	for (size_t i = 0; i < a->ncells; i++)
		if (!dataset_find_cell(b, a->cells[i].cell_id)) {
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
			int m, double p_holm, const struct compare_opts *o)
{
	const struct metric *mm = &metrics[m];
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
	r.marked = !r.untested && p_holm < o->alpha;
	/* Without two repeats a side there is no noise estimate: the threshold decides. */
	r.fail = !o->counts_only && mm->kind == MK_THROUGHPUT && r.worse &&
		 fabs(r.pct) > o->threshold && (r.marked || r.untested);
	return r;
}

/*
 * Holm-adjusted p of metric @m in every cell both runs have, by base cell
 * (NAN: an exact count, or untested).  The family is the metric's tested
 * cells: a matrix of 48 cells at alpha 0.05 would otherwise mark two or
 * three changes in pure noise.
 */
static double *holm_family(const struct dataset *base, const struct dataset *new, int m)
{
	double *p = calloc(base->ncells ? base->ncells : 1, sizeof(*p));

	if (!p)
		abort();
	for (size_t i = 0; i < base->ncells; i++) {
		const struct cellstat *cb = &base->cells[i];
		const struct cellstat *cn = dataset_find_cell(new, cb->cell_id);
		struct welch w;

		p[i] = NAN;
		if (cn && !metric_is_exact(&metrics[m], cb->key.io, cb->key.mode) &&
		    !mstat_welch(&cb->m[m], &cn->m[m], &w))
			p[i] = w.p;
	}
	multcomp_holm(p, base->ncells, p);
	return p;
}

static void metric_block(const struct dataset *base, const struct dataset *new,
			 int m, const struct compare_opts *o, int decimals,
			 struct compare_result *res, struct grid *g)
{
	double *p_holm = holm_family(base, new, m);

	/* label | base | new (change) | FAIL: no change beside base, as mmtests. */
	grid_init_base_new(g, avg_name(metrics[m].avg));
	for (size_t i = 0; i < base->ncells; i++) {
		const struct cellstat *cb = &base->cells[i];
		const struct cellstat *cn = dataset_find_cell(new, cb->cell_id);
		char label[200], v[32], p[40];
		struct row r;
		size_t row;

		if (!cn)
			continue;
		if (isnan(cb->m[m].mean) && isnan(cn->m[m].mean))
			continue;
		r = judge(cb, cn, m, p_holm[i], o);
		if (res) {
			res->rows++;
			res->untested += r.untested;
			res->better += r.marked && !r.worse;
			res->worse += r.marked && r.worse;
			if (r.fail && metric_is_exact(&metrics[m], cb->key.io, cb->key.mode))
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
	free(p_holm);
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
		metric_heading(&metrics[m], h, sizeof(h));
		sb_printf(out, "\n%s%s\n", h,
			  metrics[m].kind == MK_EXACT ? ", must not change" :
			  metrics[m].kind == MK_EXACT_DIRECT ?
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
		 "Welch's t-test (two-sided) over the repeats, Holm-corrected "
		 "over the cells of each metric, alpha %g: *x%%* marks a "
		 "significant change, (x%%) one that is not or could not be "
		 "tested.", o->alpha);
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
	insn_gate_scan(base, new, &res->insn);
	insn_gate_header(&res->insn, o->insn_tolerance, out);
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
	for (unsigned int m = 0; m < nr_metrics; m++)
		if (metrics[m].places & MP_COMPARE)
			render_metric(base, new, m, o, res, out);
	insn_gate_render(base, new, o->insn_tolerance, o->changes_only, &res->insn, out);
}
