// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "cells.h"

bool cell_meaningful(const struct cell *c)
{
	/* psync has one I/O in flight whatever iodepth says. */
	return strcmp(c->ioengine, "psync") || c->iodepth == 1;
}

struct cell *cells_expand(const struct matrix *m, size_t *n)
{
	unsigned int idx[AX_COUNT] = { 0 };
	size_t total = 1, i, k = 0;
	struct cell *cells;

	for (int a = 0; a < AX_COUNT; a++)
		total *= m->axis[a].n;
	cells = calloc(total, sizeof(*cells));
	if (!cells)
		abort();
	/* An odometer: the last axis turns fastest. */
	for (i = 0; i < total; i++) {
		for (int a = 0; a < AX_COUNT; a++)
			cell_set(&cells[k], a, &m->axis[a].v[idx[a]]);
		if (cell_meaningful(&cells[k]))
			k++;
		for (int a = AX_COUNT - 1; a >= 0; a--) {
			if (++idx[a] < m->axis[a].n)
				break;
			idx[a] = 0;
		}
	}
	*n = k;
	return cells;
}

bool cells_same_group(const struct cell *a, const struct cell *b)
{
	/* store and mode point into the axis table: compare the pointers. */
	return a->queues == b->queues && a->store == b->store &&
	       a->mode == b->mode;
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

	for (int a = 0; a < AX_COUNT; a++)
		if (m->axis[a].n > 1)
			mask |= 1U << a;
	return mask;
}

void cell_label(const struct cell *c, unsigned int varying, char *buf,
		size_t len)
{
	char v[48];
	size_t used;

	cell_axis_text(c, AX_BS, v, sizeof(v));
	used = snprintf(buf, len, "%s bs=%s %s ", c->mode, v, c->io);
	cell_axis_text(c, AX_RW, v, sizeof(v));
	used += snprintf(buf + used, len - used, "%s", v);
	for (int a = 0; a < AX_COUNT && used < len; a++) {
		if (!(varying & (1U << a)) || a == AX_MODE || a == AX_BS ||
		    a == AX_IO || a == AX_RW)
			continue;
		cell_axis_text(c, a, v, sizeof(v));
		used += snprintf(buf + used, len - used, " %s=%s",
				 axes[a].name, v);
	}
}

