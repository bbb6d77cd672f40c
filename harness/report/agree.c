// SPDX-License-Identifier: GPL-2.0
/* Two runs' findings side by side, comparison by comparison (agree.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "agree.h"
#include "grid.h"
#include "numfmt.h"

/* a's comparison and b's of the same two cells. */
struct pair {
	const struct cellstat *x, *ref;
};

/* Do the intervals pct +- pct_ci of the two runs share no point? */
static bool apart(const struct contrast *a, const struct contrast *b)
{
	return fabs(a->pct - b->pct) > a->pct_ci + b->pct_ci;
}

enum agree_verdict agree_judge(const struct contrast *a, const struct contrast *b)
{
	if (!contrast_significant(a) && !contrast_significant(b))
		return apart(a, b) ? AG_UNDECIDED_APART : AG_UNDECIDED;
	/* A significant change is never 0: the sign is the finding. */
	if (a->pct * b->pct < 0)
		return AG_OPPOSITE;
	return apart(a, b) ? AG_APART : AG_AGREE;
}

static const char *const verdict_text[] = {
	[AG_AGREE] = "agree",
	[AG_UNDECIDED] = "undecided in both",
	[AG_UNDECIDED_APART] = "undecided in both (intervals apart)",
	[AG_OPPOSITE] = "CONTRADICTION: opposite sign",
	[AG_APART] = "CONTRADICTION: intervals apart",
};

/* What the report compares x with: the reference mode at x's section and size. */
static const struct cellstat *reference(const struct dataset *d,
					const struct cellstat *x)
{
	return x->mode ? dataset_cell(d, x->section, 0, x->key.bs) : NULL;
}

/* Does d make the comparison of these two cells (by id), x against ref? */
static bool find_pair(const struct dataset *d, const struct pair *in,
		      struct pair *out)
{
	out->x = dataset_find_cell(d, in->x->cell_id);
	out->ref = out->x ? reference(d, out->x) : NULL;
	return out->ref && !strcmp(out->ref->cell_id, in->ref->cell_id);
}

/* Why one run's contrast cannot be judged, or NULL when it can. */
static const char *why_not(const struct contrast *k, const struct pair *p,
			   char *buf, size_t len)
{
	char r[128];

	if (k->v == V_FALLBACK) {
		cellstat_fallback_reasons(p->x->all_fallback ? p->x : p->ref, r,
					  sizeof(r));
		snprintf(buf, len, "fell back to copy (%s)", r);
	} else if (k->v == V_UNTESTED) {
		snprintf(buf, len, isnan(k->pct) ? "no value" :
			 "untested: fewer than 2 timed repeats");
	} else if (isnan(k->pct) || isnan(k->pct_ci)) {
		snprintf(buf, len, "no interval: reference mean 0");
	} else {
		return NULL;
	}
	return buf;
}

/* One run's two columns: "+10.0% +-2.7%" and "sig p=0.003". */
static void side(struct grid *g, size_t row, size_t col, const struct contrast *k)
{
	char p[16];

	if (k->v == V_FALLBACK || isnan(k->pct))
		grid_set(g, row, col, "n/a");
	else if (isnan(k->pct_ci))
		grid_set(g, row, col, "%+.1f%%", k->pct);
	else
		grid_set(g, row, col, "%+.1f%% +-%.1f%%", k->pct, k->pct_ci);
	fmt_p(p, sizeof(p), k->p_holm);
	if (k->v == V_FALLBACK || k->v == V_UNTESTED)
		grid_set(g, row, col + 1, "-");
	else
		grid_set(g, row, col + 1, "%s %s",
			 contrast_significant(k) ? "sig" : "n.s.", p);
}

static size_t add_row(struct grid *g, const struct dataset *d,
		      const struct pair *p)
{
	size_t row = grid_add_row(g);
	char label[256];

	cellstat_label(d, p->x, label, sizeof(label));
	grid_set(g, row, 0, "%s vs %s", label, d->modes[0]);
	return row;
}

/* A comparison both runs make: judged, or skipped with the reason. */
static void judge_row(struct grid *g, const struct dataset *a,
		      const struct dataset *b, int metric, const struct pair *pa,
		      const struct pair *pb, double alpha, struct agree_result *res)
{
	size_t row = add_row(g, a, pa);
	char why[384], wa[160], wb[160];
	const char *na, *nb;
	struct contrast ka, kb;
	enum agree_verdict v;

	dataset_contrast(a, metric, pa->x, pa->ref, alpha, &ka);
	dataset_contrast(b, metric, pb->x, pb->ref, alpha, &kb);
	side(g, row, 1, &ka);
	side(g, row, 3, &kb);
	na = why_not(&ka, pa, wa, sizeof(wa));
	nb = why_not(&kb, pb, wb, sizeof(wb));
	if (na || nb) {
		snprintf(why, sizeof(why), "skipped: %s%s%s%s%s", na ? "A " : "",
			 na ? na : "", na && nb ? "; " : "", nb ? "B " : "",
			 nb ? nb : "");
		grid_set(g, row, 5, "%s", why);
		res->skipped++;
		return;
	}
	v = agree_judge(&ka, &kb);
	grid_set(g, row, 5, "%s", verdict_text[v]);
	res->judged++;
	res->significant += contrast_significant(&ka) || contrast_significant(&kb);
	res->contradictions += agree_is_contradiction(v);
	res->undecided += v == AG_UNDECIDED || v == AG_UNDECIDED_APART;
	res->apart += v == AG_UNDECIDED_APART;
}

static void only_row(struct grid *g, const struct dataset *d,
		     const struct pair *p, bool in_a)
{
	size_t row = add_row(g, d, p);

	for (size_t c = 1; c < 5; c++)
		grid_set(g, row, c, "-");
	grid_set(g, row, 5, "only in %s", in_a ? "A" : "B");
}

static void metric_table(const struct dataset *a, const struct dataset *b,
			 int metric, double alpha, struct agree_result *res,
			 struct strbuf *out)
{
	char heading[128];
	struct grid g;
	size_t row;

	grid_init(&g, 6, 1);
	g.header_rows = 1;
	g.col[0].left = true;
	g.col[5].left = true;
	row = grid_add_row(&g);
	grid_set(&g, row, 0, "comparison");
	grid_set(&g, row, 1, "A change");
	grid_set(&g, row, 2, "A Holm");
	grid_set(&g, row, 3, "B change");
	grid_set(&g, row, 4, "B Holm");
	grid_set(&g, row, 5, "verdict");
	/* a's comparisons in a's order, then those only b makes. */
	for (size_t i = 0; i < a->ncells; i++) {
		struct pair pa = { &a->cells[i], reference(a, &a->cells[i]) }, pb;

		if (!pa.ref)
			continue;
		if (find_pair(b, &pa, &pb)) {
			judge_row(&g, a, b, metric, &pa, &pb, alpha, res);
		} else {
			only_row(&g, a, &pa, true);
			res->only_a++;
		}
	}
	for (size_t i = 0; i < b->ncells; i++) {
		struct pair pb = { &b->cells[i], reference(b, &b->cells[i]) }, pa;

		if (!pb.ref || find_pair(a, &pb, &pa))
			continue;
		only_row(&g, b, &pb, false);
		res->only_b++;
	}
	if (g.rows > 1) {
		metric_heading(&metrics[metric], heading, sizeof(heading));
		sb_printf(out, "\n### %s\n\n", heading);
		grid_markdown(&g, out);
	}
	grid_free(&g);
}

void agree_runs(const struct dataset *a, const struct dataset *b,
		const bool want[METRICS_MAX], double alpha,
		struct agree_result *res, struct strbuf *out)
{
	memset(res, 0, sizeof(*res));
	for (unsigned int m = 0; m < nr_metrics; m++)
		if (want[m])
			metric_table(a, b, m, alpha, res, out);
}
