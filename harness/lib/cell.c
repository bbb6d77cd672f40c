// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ubmap.h>

#include "cell.h"
#include "jsonutil.h"
#include "util.h"

#define MODE_NAME(n) #n,
static const char *const mode_values[] = { UBMAP_MODES(MODE_NAME) NULL };
/*
 * Who serves the device.  Each has one harness/bench/target_<name>.c; the
 * bench's tests check the two lists agree.
 */
static const char *const target_values[] = {
	TARGET_UBMAP, "null_blk", "brd", "ublk", "tcmu", NULL
};
static const char *const io_values[] = { "direct", "buffered", NULL };
static const char *const store_values[] = { "null", "ram", "file", NULL };
static const char *const engine_values[] = {
	"psync", "libaio", "io_uring", NULL
};
/* The mixed patterns come last: rw_mixed() relies on it. */
static const char *const rw_values[] = {
	"read", "write", "randread", "randwrite", "rw", "randrw", NULL
};
#define RW_FIRST_MIXED	4

#define CELL_FIELD(f)	offsetof(struct cell, f)

const char cell_no_mode[] = "-";

const struct axis axes[AX_COUNT] = {
	[AX_TARGET] = {
		.name = "target", .var = "TARGET", .type = AXIS_ENUM,
		.off = CELL_FIELD(target), .values = target_values,
		.all = "all", .def = TARGET_UBMAP, .absent = TARGET_UBMAP,
		.help = "what serves the device: ubmap (with its modes) or a peer",
	},
	[AX_QUEUES] = {
		.name = "queues", .var = "QUEUES", .type = AXIS_UINT,
		.off = CELL_FIELD(queues), .min = 1, .max = 64, .def = "2",
		.help = "hardware queues = backend threads (module reload)",
	},
	[AX_STORE] = {
		.name = "store", .var = "STORE", .type = AXIS_ENUM,
		.off = CELL_FIELD(store), .values = store_values, .all = "all",
		.def = "ram", .help = "where ubmapd keeps the data",
	},
	[AX_MODE] = {
		.name = "mode", .var = "MODE", .type = AXIS_ENUM,
		.off = CELL_FIELD(mode), .values = mode_values, .all = "all",
		.def = "all",
		.help = "how the backend sees request data (target=ubmap only)",
	},
	[AX_BS] = {
		.name = "bs", .var = "BS", .type = AXIS_SIZE,
		.off = CELL_FIELD(bs), .min = 512, .max = 8UL << 20,
		.def = "4k", .help = "block size, a multiple of 512, <= max_io",
	},
	[AX_IO] = {
		.name = "io", .var = "IO", .type = AXIS_ENUM,
		.off = CELL_FIELD(io), .values = io_values, .all = "both",
		.def = "direct", .help = "O_DIRECT or through the page cache",
	},
	[AX_RW] = {
		.name = "rw", .var = "RW", .type = AXIS_RW,
		.off = CELL_FIELD(rw), .values = rw_values, .def = "randread",
		.help = "fio pattern; rw and randrw take :READ% (default 50)",
	},
	[AX_IOENGINE] = {
		.name = "ioengine", .var = "IOENGINE", .type = AXIS_ENUM,
		.off = CELL_FIELD(ioengine), .values = engine_values,
		.all = "all", .def = "psync", .help = "fio ioengine",
	},
	[AX_IODEPTH] = {
		.name = "iodepth", .var = "IODEPTH", .type = AXIS_UINT,
		.off = CELL_FIELD(iodepth), .min = 1, .max = 1024, .def = "1",
		.help = "fio iodepth (psync ignores it)",
	},
	[AX_NUMJOBS] = {
		.name = "numjobs", .var = "NUMJOBS", .type = AXIS_UINT,
		.off = CELL_FIELD(numjobs), .min = 1, .max = 64, .def = "1",
		.help = "fio processes, reported as one group",
	},
	[AX_RUNTIME] = {
		.name = "runtime", .var = "RUNTIME", .type = AXIS_UINT,
		.off = CELL_FIELD(runtime), .min = 1, .max = 86400,
		.def = "5", .help = "seconds of measured I/O per run",
	},
	[AX_RAMP] = {
		.name = "ramp", .var = "RAMP", .type = AXIS_UINT,
		.off = CELL_FIELD(ramp), .min = 0, .max = 3600, .def = "0",
		.help = "seconds of unmeasured I/O first (counters include it)",
	},
};

bool cell_is_ubmap(const struct cell *c)
{
	/* A cell built in code before targets existed has none: ubmap's. */
	return !c->target || !strcmp(c->target, TARGET_UBMAP);
}

const char *cell_variant(const struct cell *c)
{
	return cell_is_ubmap(c) ? c->mode : c->target;
}

int axis_value_index(const struct axis *ax, const char *s)
{
	for (int i = 0; ax->values[i]; i++)
		if (!strcmp(ax->values[i], s))
			return i;
	return -1;
}

bool rw_mixed(const struct rw_spec *rw)
{
	return axis_value_index(&axes[AX_RW], rw->name) >= RW_FIRST_MIXED;
}

bool rw_writes(const struct rw_spec *rw)
{
	return strstr(rw->name, "write") || (rw_mixed(rw) && rw->mixread < 100);
}

bool rw_reads(const struct rw_spec *rw)
{
	return strstr(rw->name, "read") || (rw_mixed(rw) && rw->mixread > 0);
}

int axis_find(const char *name)
{
	for (int i = 0; i < AX_COUNT; i++)
		if (!strcmp(axes[i].name, name))
			return i;
	return -1;
}

void axis_format(const struct axis *ax, const union axis_val *v, char *buf,
		 size_t len)
{
	switch (ax->type) {
	case AXIS_ENUM:
		snprintf(buf, len, "%s", v->str);
		break;
	case AXIS_SIZE:
		format_size(v->size, buf, len);
		break;
	case AXIS_UINT:
		snprintf(buf, len, "%u", v->uint);
		break;
	case AXIS_RW:
		if (rw_mixed(&v->rw) && v->rw.mixread != 50)
			snprintf(buf, len, "%s:%u", v->rw.name, v->rw.mixread);
		else
			snprintf(buf, len, "%s", v->rw.name);
		break;
	}
}

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

void cell_set(struct cell *c, int axis, const union axis_val *v)
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
		 cell_variant(c), bs, c->io, rw, c->ioengine, c->iodepth, c->numjobs,
		 c->store, c->queues, c->runtime, c->ramp);
}

json_t *cell_to_json(const struct cell *c)
{
	json_t *o = json_object();
	char buf[48];

	for (int a = 0; a < AX_COUNT; a++) {
		union axis_val v;

		cell_get(c, a, &v);
		switch (axes[a].type) {
		case AXIS_ENUM:
			json_object_set_new(o, axes[a].name, json_string(v.str));
			break;
		case AXIS_SIZE:
			json_object_set_new(o, axes[a].name, json_integer(v.size));
			break;
		case AXIS_UINT:
			json_object_set_new(o, axes[a].name, json_integer(v.uint));
			break;
		case AXIS_RW:
			json_object_set_new(o, axes[a].name, json_string(v.rw.name));
			if (rw_mixed(&v.rw))
				json_object_set_new(o, "rwmixread",
						    json_integer(v.rw.mixread));
			break;
		}
	}
	format_size(c->bs, buf, sizeof(buf));
	json_object_set_new(o, "bs_text", json_string(buf));
	return o;
}


/*
 * A name this version does not list, kept for as long as the process runs:
 * cells point at their strings and readers load a run once.
 */
static const char *intern(const char *s)
{
	static char **seen;
	static size_t n;
	char **grown;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(seen[i], s))
			return seen[i];
	grown = realloc(seen, (n + 1) * sizeof(*seen));
	if (!grown)
		abort();
	seen = grown;
	seen[n] = strdup(s);
	if (!seen[n])
		abort();
	return seen[n++];
}

static const char *known_name(const struct axis *ax, const char *s)
{
	int i = axis_value_index(ax, s);

	if (i >= 0)
		return ax->values[i];
	return !strcmp(s, cell_no_mode) ? cell_no_mode : intern(s);
}

int cell_from_json(json_t *o, struct cell *c)
{
	memset(c, 0, sizeof(*c));
	for (int a = 0; a < AX_COUNT; a++) {
		json_t *j = json_object_get(o, axes[a].name);
		union axis_val v = { 0 };

		if (!j && axes[a].absent) {
			/* Only enum axes have one; known_name keeps it a table pointer. */
			v.str = known_name(&axes[a], axes[a].absent);
			cell_set(c, a, &v);
			continue;
		}
		if (!j)
			return -1;
		switch (axes[a].type) {
		case AXIS_ENUM:
			if (!json_is_string(j))
				return -1;
			v.str = known_name(&axes[a], json_string_value(j));
			break;
		case AXIS_SIZE:
			v.size = (unsigned long)jget_count(o, axes[a].name);
			break;
		case AXIS_UINT:
			v.uint = (unsigned int)jget_count(o, axes[a].name);
			break;
		case AXIS_RW:
			if (!json_is_string(j))
				return -1;
			v.rw.name = known_name(&axes[a], json_string_value(j));
			v.rw.mixread = (unsigned int)jget_count(o, "rwmixread");
			break;
		}
		cell_set(c, a, &v);
	}
	return 0;
}
