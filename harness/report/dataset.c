// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "multcomp.h"

/*
 * The mode names the variant (cell_variant: the mode, or the peer's
 * target); the target itself is never spelled out beside it.
 */
const int key_order[AX_COUNT] = {
	AX_MODE, AX_TARGET, AX_BS, AX_IO, AX_RW, AX_IOENGINE, AX_IODEPTH,
	AX_NUMJOBS, AX_STORE, AX_QUEUES, AX_RUNTIME, AX_RAMP,
};
/* key_order[] from here on: what makes a section. */
#define KEY_SECTION	3

static bool axis_equal(const struct cell *a, const struct cell *b,
		       int axis)
{
	char x[48], y[48];

	cell_axis_text(a, axis, x, sizeof(x));
	cell_axis_text(b, axis, y, sizeof(y));
	return !strcmp(x, y);
}

/* Same section: every axis but mode and block size equal. */
static bool same_section(const struct cell *a, const struct cell *b)
{
	for (int k = KEY_SECTION; k < AX_COUNT; k++)
		if (!axis_equal(a, b, key_order[k]))
			return false;
	return true;
}

static bool same_cell(const struct cell *a, const struct cell *b)
{
	return a->bs == b->bs && cell_is_ubmap(a) == cell_is_ubmap(b) &&
	       !strcmp(cell_variant(a), cell_variant(b)) && same_section(a, b);
}

int dataset_mode(const struct dataset *d, const char *mode)
{
	for (size_t i = 0; i < d->nmodes; i++)
		if (!strcmp(d->modes[i], mode))
			return i;
	return -1;
}

bool dataset_is_peer(const struct dataset *d, size_t m)
{
	return strcmp(d->modes[m], TARGET_UBMAP) &&
	       axis_value_index(&axes[AX_TARGET], d->modes[m]) >= 0;
}

bool dataset_section_has_bs(const struct dataset *d, int section,
			    unsigned long bs)
{
	for (size_t i = 0; i < d->ncells; i++)
		if (d->cells[i].section == section && d->cells[i].key.bs == bs)
			return true;
	return false;
}

static void add_mode(struct dataset *d, const char *mode)
{
	if (dataset_mode(d, mode) >= 0)
		return;
	d->modes = realloc(d->modes, (d->nmodes + 1) * sizeof(*d->modes));
	if (!d->modes)
		abort();
	snprintf(d->modes[d->nmodes++], sizeof(*d->modes), "%s", mode);
}

static void add_bs(struct dataset *d, unsigned long bs)
{
	size_t i;

	for (i = 0; i < d->nbs; i++)
		if (d->bs[i] == bs)
			return;
	d->bs = realloc(d->bs, (d->nbs + 1) * sizeof(*d->bs));
	if (!d->bs)
		abort();
	/* Insertion keeps them ascending: rows read small to large. */
	for (i = d->nbs; i > 0 && d->bs[i - 1] > bs; i--)
		d->bs[i] = d->bs[i - 1];
	d->bs[i] = bs;
	d->nbs++;
}

static void section_names(const struct dataset *d, struct section *s)
{
	size_t t = 0, u = 0;
	char v[48];

	for (int k = KEY_SECTION; k < AX_COUNT; k++) {
		int ax = key_order[k];
		bool always = ax == AX_IO || ax == AX_RW;

		if (!always && !(d->varying & (1U << ax)))
			continue;
		cell_axis_text(&s->key, ax, v, sizeof(v));
		if (always) {
			t += snprintf(s->title + t, sizeof(s->title) - t, "%s%s",
				      t ? " " : "", v);
			u += snprintf(s->slug + u, sizeof(s->slug) - u, "%s%s",
				      u ? "-" : "", v);
		} else {
			t += snprintf(s->title + t, sizeof(s->title) - t, " %s=%s",
				      axes[ax].name, v);
			u += snprintf(s->slug + u, sizeof(s->slug) - u, "-%s%s",
				      axes[ax].name, v);
		}
		if (t >= sizeof(s->title))
			t = sizeof(s->title) - 1;
		if (u >= sizeof(s->slug))
			u = sizeof(s->slug) - 1;
	}
	/* "randrw:70" in a file name: keep it to [a-z0-9_.-]. */
	for (char *p = s->slug; *p; p++)
		if (*p == ':')
			*p = '_';
}

static int find_section(struct dataset *d, const struct cell *k)
{
	for (size_t i = 0; i < d->nsections; i++)
		if (same_section(&d->sections[i].key, k))
			return i;
	d->sections = realloc(d->sections, (d->nsections + 1) * sizeof(*d->sections));
	if (!d->sections)
		abort();
	memset(&d->sections[d->nsections], 0, sizeof(*d->sections));
	d->sections[d->nsections].key = *k;
	return d->nsections++;
}

static struct cellstat *find_cell(struct dataset *d, const struct rec *r)
{
	struct cellstat *c;

	for (size_t i = 0; i < d->ncells; i++)
		if (same_cell(&d->cells[i].key, &r->key))
			return &d->cells[i];
	d->cells = realloc(d->cells, (d->ncells + 1) * sizeof(*d->cells));
	if (!d->cells)
		abort();
	c = &d->cells[d->ncells++];
	memset(c, 0, sizeof(*c));
	c->key = r->key;
	snprintf(c->cell_id, sizeof(c->cell_id), "%s", r->cell_id);
	snprintf(c->bs_text, sizeof(c->bs_text), "%s", r->bs_text);
	return c;
}

static void varying_axes(struct dataset *d, const struct run *r)
{
	d->varying = 0;
	for (size_t i = 1; i < r->nrecs; i++)
		for (int ax = 0; ax < AX_COUNT; ax++)
			if (!axis_equal(&r->recs[0].key, &r->recs[i].key, ax))
				d->varying |= 1U << ax;
}

static void mstat_summarise(struct mstat *s, enum avg_kind avg)
{
	s->n = stats_count(s->v, s->nv);
	s->mean = avg == AVG_HMEAN ? stats_hmean(s->v, s->nv) : stats_amean(s->v, s->nv);
	s->sd = stats_sd(s->v, s->nv);
	s->min = stats_min(s->v, s->nv);
	s->max = stats_max(s->v, s->nv);
	s->cv = s->mean != 0 ? 100 * s->sd / fabs(s->mean) : NAN;
}

static void mstat_push(struct mstat *s, double v)
{
	s->v = realloc(s->v, (s->nv + 1) * sizeof(*s->v));
	if (!s->v)
		abort();
	s->v[s->nv++] = v;
}

static void summarise(struct cellstat *c)
{
	const struct mstat *fb;

	for (unsigned int m = 0; m < nr_metrics; m++)
		mstat_summarise(&c->m[m], metrics[m].avg);
	/* Counts of a fixed number of requests each: the arithmetic mean. */
	for (int g = 0; g <= INSN_TOTAL; g++)
		mstat_summarise(&c->insn[g], AVG_AMEAN);
	fb = &c->m[metric_find("fallback_pct")];
	/* fallback_pct is per request: 100 only if every one copied. */
	c->all_fallback = fb->n && fb->min >= 100 - 1e-9;
}

/* Every pair of modes at each section and size, per timing metric. */
static void build_family(struct dataset *d)
{
	for (unsigned int m = 0; m < nr_metrics; m++) {
		size_t first = d->ncmp;
		double *p;

		if (!metric_is_timing(&metrics[m]))
			continue;
		for (size_t i = 0; i < d->ncells; i++)
			for (size_t j = 0; j < d->ncells; j++) {
				const struct cellstat *a = &d->cells[i], *b = &d->cells[j];
				struct comparison *c;
				struct welch w;

				if (a->section != b->section || a->key.bs != b->key.bs ||
				    a->mode >= b->mode || a->all_fallback ||
				    b->all_fallback ||
				    mstat_welch(&a->m[m], &b->m[m], &w))
					continue;
				d->cmp = realloc(d->cmp, (d->ncmp + 1) * sizeof(*d->cmp));
				if (!d->cmp)
					abort();
				c = &d->cmp[d->ncmp++];
				*c = (struct comparison){ .a = i, .b = j, .metric = m, .w = w };
			}
		d->family[m] = d->ncmp - first;
		p = malloc((d->family[m] + 1) * sizeof(*p));
		if (!p)
			abort();
		for (size_t k = 0; k < d->family[m]; k++)
			p[k] = d->cmp[first + k].w.p;
		multcomp_holm(p, d->family[m], p);
		for (size_t k = 0; k < d->family[m]; k++)
			d->cmp[first + k].p_holm = p[k];
		free(p);
	}
}

/*
 * A contended record counts as run and good, and its counts stand; its
 * times were stretched from outside the guest and are left out (NAN).
 */
static void add_rec(struct cellstat *c, const struct rec *r, bool contended)
{
	c->runs++;
	if (r->have_klog) {
		c->have_klog = true;
		c->warn += r->warn;
		c->warn_known += r->warn_known;
		c->bug += r->bug;
		c->oops += r->oops;
	}
	/* A failed run's numbers are partial: count it, leave it out. */
	if (!r->ok)
		return;
	c->ok++;
	c->contended += contended;
	for (int i = 0; i < FB_COUNT; i++)
		if (!isnan(r->fallback[i]))
			c->fallback[i] += r->fallback[i];
	for (unsigned int m = 0; m < nr_metrics; m++)
		mstat_push(&c->m[m], contended && metric_is_timing(&metrics[m]) ?
			   NAN : r->m[m]);
	/* Instructions are counts: a contended run's stand. */
	for (int g = 0; g <= INSN_TOTAL; g++)
		mstat_push(&c->insn[g], r->insn[g]);
}

/* Matrix order, ties in the order they were written: qsort is not stable. */
static int by_cell_index(const void *a, const void *b)
{
	const struct rec *x = *(const struct rec *const *)a;
	const struct rec *y = *(const struct rec *const *)b;

	if (x->cell_index != y->cell_index)
		return x->cell_index < y->cell_index ? -1 : 1;
	return x < y ? -1 : x > y;
}

int dataset_build(struct dataset *d, const struct run *r)
{
	const struct rec **in = malloc((r->nrecs + 1) * sizeof(*in));

	if (!in)
		abort();
	memset(d, 0, sizeof(*d));
	d->run = r;
	run_contention_build(r, &d->cont);
	varying_axes(d, r);
	/*
	 * Modes, sections and cells in the matrix's order, whatever order the
	 * run executed them in (it shuffles them), so every report of a
	 * matrix has the same layout.
	 */
	for (size_t i = 0; i < r->nrecs; i++)
		in[i] = &r->recs[i];
	qsort(in, r->nrecs, sizeof(*in), by_cell_index);
	/* copy is the baseline every zero-copy mode is measured against. */
	for (size_t i = 0; i < r->nrecs; i++)
		if (cell_is_ubmap(&in[i]->key) && !strcmp(in[i]->key.mode, "copy"))
			add_mode(d, "copy");
	for (size_t i = 0; i < r->nrecs; i++) {
		add_mode(d, cell_variant(&in[i]->key));
		add_bs(d, in[i]->key.bs);
		add_rec(find_cell(d, in[i]), in[i],
			d->cont.rec[in[i] - r->recs].why != 0);
	}
	free(in);
	for (size_t i = 0; i < d->ncells; i++) {
		struct cellstat *c = &d->cells[i];

		c->section = find_section(d, &c->key);
		c->mode = dataset_mode(d, cell_variant(&c->key));
		summarise(c);
	}
	for (size_t i = 0; i < d->nsections; i++)
		section_names(d, &d->sections[i]);
	build_family(d);
	return 0;
}

void dataset_free(struct dataset *d)
{
	for (size_t i = 0; i < d->ncells; i++) {
		for (unsigned int m = 0; m < nr_metrics; m++)
			free(d->cells[i].m[m].v);
		for (int g = 0; g <= INSN_TOTAL; g++)
			free(d->cells[i].insn[g].v);
	}
	free(d->cells);
	free(d->cmp);
	free(d->sections);
	free(d->modes);
	free(d->bs);
	run_contention_free(&d->cont);
	memset(d, 0, sizeof(*d));
}

const struct cellstat *dataset_find_cell(const struct dataset *d, const char *cell_id)
{
	for (size_t i = 0; i < d->ncells; i++)
		if (!strcmp(d->cells[i].cell_id, cell_id))
			return &d->cells[i];
	return NULL;
}

const struct cellstat *dataset_cell(const struct dataset *d, int section,
				    int mode, unsigned long bs)
{
	for (size_t i = 0; i < d->ncells; i++) {
		const struct cellstat *c = &d->cells[i];

		if (c->section == section && c->mode == mode && c->key.bs == bs)
			return c;
	}
	return NULL;
}

const char *dataset_bs_text(const struct dataset *d, unsigned long bs)
{
	for (size_t i = 0; i < d->ncells; i++)
		if (d->cells[i].key.bs == bs)
			return d->cells[i].bs_text;
	return "?";
}

void cellstat_label(const struct dataset *d, const struct cellstat *c,
		    char *buf, size_t len)
{
	size_t used = 0;
	char v[48];

	buf[0] = '\0';
	for (int k = 0; k < AX_COUNT && used < len; k++) {
		int ax = key_order[k];
		bool always = k < KEY_SECTION || ax == AX_IO || ax == AX_RW;

		if (ax == AX_TARGET || (!always && !(d->varying & (1U << ax))))
			continue;
		if (ax == AX_MODE)
			snprintf(v, sizeof(v), "%s", cell_variant(&c->key));
		else
			cell_axis_text(&c->key, ax, v, sizeof(v));
		if (always)
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? " " : "", v);
		else
			used += snprintf(buf + used, len - used, " %s=%s",
					 axes[ax].name, v);
	}
}

int mstat_welch(const struct mstat *a, const struct mstat *b, struct welch *w)
{
	return stats_welch(a->v, a->nv, b->v, b->nv, w);
}

double mstat_ci(const struct mstat *s, double level)
{
	return stats_mean_ci(s->v, s->nv, level);
}

bool cellstat_timing_na(const struct cellstat *c, int metric)
{
	return c && c->all_fallback && metric_is_timing(&metrics[metric]);
}

void cellstat_fallback_reasons(const struct cellstat *c, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int r = 0; r < FB_COUNT && used < len; r++)
		if (c->fallback[r] > 0)
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? ", " : "", fallback_reason_name[r]);
	if (!buf[0])
		snprintf(buf, len, "reason not recorded");
}

static const struct comparison *find_cmp(const struct dataset *d, int metric,
					 size_t a, size_t b)
{
	for (size_t i = 0; i < d->ncmp; i++)
		if (d->cmp[i].metric == metric && d->cmp[i].a == a && d->cmp[i].b == b)
			return &d->cmp[i];
	return NULL;
}

void dataset_contrast(const struct dataset *d, int metric,
		      const struct cellstat *x, const struct cellstat *ref,
		      double alpha, struct contrast *c)
{
	size_t ix = x - d->cells, ir = ref - d->cells;
	const struct comparison *k;
	double diff, hw, base = fabs(ref->m[metric].mean);
	bool better;

	*c = (struct contrast){ .v = V_UNTESTED, .pct = NAN, .pct_ci = NAN,
				.p = NAN, .p_holm = NAN, .family = d->family[metric] };
	if (x->all_fallback || ref->all_fallback) {
		c->v = V_FALLBACK;
		return;
	}
	c->pct = stats_pct_change(ref->m[metric].mean, x->m[metric].mean);
	k = find_cmp(d, metric, ix, ir);
	if (!k)
		k = find_cmp(d, metric, ir, ix);
	if (!k)
		return;
	/* Stored as mean(a) - mean(b): turn it to x - ref. */
	diff = k->a == ix ? k->w.diff : -k->w.diff;
	hw = stats_welch_ci(&k->w, 1 - alpha);
	if (base > 0) {
		c->pct = 100 * diff / base;
		c->pct_ci = 100 * hw / base;
	}
	c->p = k->w.p;
	c->p_holm = k->p_holm;
	better = metrics[metric].higher_is_better ? diff > 0 : diff < 0;
	if (!(k->p_holm < alpha) || diff == 0)
		c->v = V_SAME;
	else
		c->v = better ? V_BETTER : V_WORSE;
}
