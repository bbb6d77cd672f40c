// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "cells.h"

/* Each axis_type's width in struct cell, so one memcpy fits them all. */
static size_t type_size(enum axis_type t)
{
	switch (t) {
	case AXIS_ENUM:
		return sizeof(const char *);
	case AXIS_SIZE:
		return sizeof(unsigned long);
	case AXIS_UINT:
		return sizeof(unsigned int);
	case AXIS_RW:
		return sizeof(struct rw_spec);
	}
	abort();
}

static void cell_set(struct cell *c, int axis, const union axis_val *v)
{
	memcpy((char *)c + axes[axis].off, v, type_size(axes[axis].type));
}

void cell_get(const struct cell *c, int axis, union axis_val *v)
{
	memset(v, 0, sizeof(*v));
	memcpy(v, (const char *)c + axes[axis].off, type_size(axes[axis].type));
}

void cell_axis_text(const struct cell *c, int axis, char *buf, size_t len)
{
	union axis_val v;

	cell_get(c, axis, &v);
	axis_format(&axes[axis], &v, buf, len);
}

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

unsigned int cells_groups(const struct cell *c, size_t n)
{
	unsigned int groups = 0;

	for (size_t i = 0; i < n; i++)
		if (!i || c[i].queues != c[i - 1].queues ||
		    c[i].store != c[i - 1].store || c[i].mode != c[i - 1].mode)
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

void cell_id(const struct cell *c, char *buf, size_t len)
{
	char bs[32], rw[48];

	cell_axis_text(c, AX_BS, bs, sizeof(bs));
	cell_axis_text(c, AX_RW, rw, sizeof(rw));
	/* "randrw:70" -> "randrw70": no ':' in file names. */
	for (char *p = rw; *p; p++)
		if (*p == ':')
			memmove(p, p + 1, strlen(p));
	snprintf(buf, len, "%s-%s-%s-%s-%s-qd%u-j%u-%s-q%u-%us-r%us",
		 c->mode, bs, c->io, rw, c->ioengine, c->iodepth, c->numjobs,
		 c->store, c->queues, c->runtime, c->ramp);
}
