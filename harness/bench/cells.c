// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "target.h"

bool cell_meaningful(const struct cell *c)
{
	const struct target_ops *t = target_find(c->target);

	/* A peer serves only the stores it has an equivalent of. */
	if (!t || !target_serves(t, c->store))
		return false;
	/* psync has one I/O in flight whatever iodepth says. */
	return strcmp(c->ioengine, "psync") || c->iodepth == 1;
}

static bool cell_equal(const struct cell *a, const struct cell *b)
{
	char x[48], y[48];

	for (int ax = 0; ax < AX_COUNT; ax++) {
		cell_axis_text(a, ax, x, sizeof(x));
		cell_axis_text(b, ax, y, sizeof(y));
		if (strcmp(x, y))
			return false;
	}
	return true;
}

/* One block's combinations appended to cells[*k..]. */
static void expand_block(const struct matrix *m, unsigned int b,
			 struct cell *cells, size_t *k)
{
	unsigned int idx[AX_COUNT] = { 0 };
	size_t total = 1, i;

	for (int a = 0; a < AX_COUNT; a++)
		total *= matrix_axis(m, b, a)->n;
	/* An odometer: the last axis turns fastest. */
	for (i = 0; i < total; i++) {
		struct cell *c = &cells[*k];
		bool dup = false;

		for (int a = 0; a < AX_COUNT; a++)
			cell_set(c, a, &matrix_axis(m, b, a)->v[idx[a]]);
		/* Modes are ubmap's: a peer's cells collapse to one. */
		if (!cell_is_ubmap(c))
			c->mode = cell_no_mode;
		/* One block of ubmap cells alone cannot repeat a cell. */
		for (size_t j = 0; j < *k && !dup && (m->nblocks || !cell_is_ubmap(c)); j++)
			dup = cell_equal(&cells[j], c);
		if (!dup && cell_meaningful(c))
			(*k)++;
		for (int a = AX_COUNT - 1; a >= 0; a--) {
			if (++idx[a] < matrix_axis(m, b, a)->n)
				break;
			idx[a] = 0;
		}
	}
}

/*
 * Blocks expand one after another, so one group's cells (same target,
 * queues, store, mode) may sit in several places: gather each group where
 * it first appears, its cells in block order.  A group is one set-up.
 */
static void group_together(struct cell *cells, size_t n)
{
	struct cell *out = calloc(n ? n : 1, sizeof(*out));
	bool *taken = calloc(n ? n : 1, sizeof(*taken));
	size_t k = 0;

	if (!out || !taken)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (taken[i])
			continue;
		for (size_t j = i; j < n; j++)
			if (!taken[j] && cells_same_group(&cells[i], &cells[j])) {
				out[k++] = cells[j];
				taken[j] = true;
			}
	}
	memcpy(cells, out, n * sizeof(*cells));
	free(out);
	free(taken);
}

struct cell *cells_expand(const struct matrix *m, size_t *n)
{
	size_t total = 0, k = 0;
	struct cell *cells;

	for (unsigned int b = 0; b < matrix_nblocks(m); b++) {
		size_t t = 1;

		for (int a = 0; a < AX_COUNT; a++)
			t *= matrix_axis(m, b, a)->n;
		total += t;
	}
	cells = calloc(total ? total : 1, sizeof(*cells));
	if (!cells)
		abort();
	for (unsigned int b = 0; b < matrix_nblocks(m); b++)
		expand_block(m, b, cells, &k);
	if (m->nblocks)
		group_together(cells, k);
	*n = k;
	return cells;
}

bool cells_same_group(const struct cell *a, const struct cell *b)
{
	/* Names point into the axis table: compare the pointers. */
	return a->target == b->target && a->queues == b->queues &&
	       a->store == b->store && a->mode == b->mode;
}

unsigned int cells_groups(const struct cell *c, size_t n)
{
	unsigned int groups = 0;

	for (size_t i = 0; i < n; i++)
		if (!i || !cells_same_group(&c[i], &c[i - 1]))
			groups++;
	return groups;
}

unsigned int cells_varying(const struct matrix *m)
{
	unsigned int mask = 0;

	for (int a = 0; a < AX_COUNT; a++) {
		const struct axis_list *first = matrix_axis(m, 0, a);

		for (unsigned int b = 0; b < matrix_nblocks(m); b++) {
			const struct axis_list *l = matrix_axis(m, b, a);
			char x[48], y[48];

			axis_format(&axes[a], &l->v[0], x, sizeof(x));
			axis_format(&axes[a], &first->v[0], y, sizeof(y));
			/* Blocks with one value each vary too if they differ. */
			if (l->n > 1 || strcmp(x, y))
				mask |= 1U << a;
		}
	}
	return mask;
}

void cell_label(const struct cell *c, unsigned int varying, char *buf,
		size_t len)
{
	char v[48];
	size_t used;

	cell_axis_text(c, AX_BS, v, sizeof(v));
	used = snprintf(buf, len, "%s bs=%s %s ", cell_variant(c), v, c->io);
	cell_axis_text(c, AX_RW, v, sizeof(v));
	used += snprintf(buf + used, len - used, "%s", v);
	for (int a = 0; a < AX_COUNT && used < len; a++) {
		if (!(varying & (1U << a)) || a == AX_MODE || a == AX_TARGET ||
		    a == AX_BS ||
		    a == AX_IO || a == AX_RW)
			continue;
		cell_axis_text(c, a, v, sizeof(v));
		used += snprintf(buf + used, len - used, " %s=%s",
				 axes[a].name, v);
	}
}

