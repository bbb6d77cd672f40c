// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"

const int key_order[AX_COUNT] = {
	AX_MODE, AX_BS, AX_IO, AX_RW, AX_IOENGINE, AX_IODEPTH, AX_NUMJOBS,
	AX_STORE, AX_QUEUES, AX_RUNTIME, AX_RAMP,
};
/* key_order[] from here on: what makes a section. */
#define KEY_SECTION	2

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
	return a->bs == b->bs && !strcmp(a->mode, b->mode) && same_section(a, b);
}

int dataset_mode(const struct dataset *d, const char *mode)
{
	for (size_t i = 0; i < d->nmodes; i++)
		if (!strcmp(d->modes[i], mode))
			return i;
	return -1;
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

static void summarise(struct cellstat *c)
{
	for (unsigned int m = 0; m < nr_metrics; m++) {
		struct mstat *s = &c->m[m];

		s->n = stats_count(s->v, s->nv);
		s->mean = metrics[m].avg == AVG_HMEAN ?
			  stats_hmean(s->v, s->nv) : stats_amean(s->v, s->nv);
		s->sd = stats_sd(s->v, s->nv);
	}
}

static void add_rec(struct cellstat *c, const struct rec *r)
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
	for (int i = 0; i < FB_COUNT; i++)
		if (!isnan(r->fallback[i]))
			c->fallback[i] += r->fallback[i];
	for (unsigned int m = 0; m < nr_metrics; m++) {
		struct mstat *s = &c->m[m];

		s->v = realloc(s->v, (s->nv + 1) * sizeof(*s->v));
		if (!s->v)
			abort();
		s->v[s->nv++] = r->m[m];
	}
}

int dataset_build(struct dataset *d, const struct run *r)
{
	memset(d, 0, sizeof(*d));
	d->run = r;
	varying_axes(d, r);
	/* copy is the baseline every zero-copy mode is measured against. */
	for (size_t i = 0; i < r->nrecs; i++)
		if (!strcmp(r->recs[i].key.mode, "copy"))
			add_mode(d, "copy");
	for (size_t i = 0; i < r->nrecs; i++) {
		add_mode(d, r->recs[i].key.mode);
		add_bs(d, r->recs[i].key.bs);
		add_rec(find_cell(d, &r->recs[i]), &r->recs[i]);
	}
	for (size_t i = 0; i < d->ncells; i++) {
		struct cellstat *c = &d->cells[i];

		c->section = find_section(d, &c->key);
		c->mode = dataset_mode(d, c->key.mode);
		summarise(c);
	}
	for (size_t i = 0; i < d->nsections; i++)
		section_names(d, &d->sections[i]);
	return 0;
}

void dataset_free(struct dataset *d)
{
	for (size_t i = 0; i < d->ncells; i++)
		for (unsigned int m = 0; m < nr_metrics; m++)
			free(d->cells[i].m[m].v);
	free(d->cells);
	free(d->sections);
	free(d->modes);
	free(d->bs);
	memset(d, 0, sizeof(*d));
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

		if (!always && !(d->varying & (1U << ax)))
			continue;
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
