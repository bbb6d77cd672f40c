/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A cell: one point of a benchmark matrix, what a single fio run is asked
 * to do.  Its axes are declared once, as data (axes[] in cell.c): the
 * matrix parser, the command-line overrides, `ubmap-bench axes`, cell
 * expansion, the record's "cell" object and the report's reader all read
 * that one table.
 */
#ifndef LIB_CELL_H
#define LIB_CELL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum axis_type {
	AXIS_ENUM,	/* one of axis.values; axis.all expands to every one */
	AXIS_SIZE,	/* bytes: 4k, 1m */
	AXIS_UINT,
	AXIS_RW,	/* a fio rw pattern; mixed ones take ":reads%" */
};

/* fio's rw and, for the mixed patterns, rwmixread. */
struct rw_spec {
	const char *name;
	unsigned int mixread;	/* percent reads; 0 unless mixed */
};

/* rw and randrw; their mixread is meaningful (0 = all writes). */
bool rw_mixed(const struct rw_spec *rw);
bool rw_reads(const struct rw_spec *rw);
bool rw_writes(const struct rw_spec *rw);

union axis_val {
	const char *str;	/* AXIS_ENUM: points into axis.values */
	unsigned long size;	/* AXIS_SIZE */
	unsigned int uint;	/* AXIS_UINT */
	struct rw_spec rw;	/* AXIS_RW */
};

/* One point of the matrix: what a single fio run is asked to do. */
struct cell {
	const char *target;	/* what serves the device: ubmap or a peer */
	unsigned int queues;	/* module nr_queues (reload to change) */
	const char *store;	/* ubmapd --store */
	const char *mode;	/* sysfs mode; cell_no_mode unless target=ubmap */
	unsigned long bs;
	const char *io;		/* direct | buffered */
	struct rw_spec rw;
	const char *ioengine;
	unsigned int iodepth;
	unsigned int numjobs;
	unsigned int runtime;	/* seconds */
	unsigned int ramp;	/* seconds */
};

/*
 * The expansion order, outermost first: what is costly to change (module
 * reload, backend restart) changes least often.
 */
enum axis_id {
	AX_TARGET, AX_QUEUES, AX_STORE, AX_MODE, AX_BS, AX_IO, AX_RW, AX_IOENGINE,
	AX_IODEPTH, AX_NUMJOBS, AX_RUNTIME, AX_RAMP, AX_COUNT
};

struct axis {
	const char *name;		/* key in a matrix file, --NAME */
	const char *var;		/* the make variable, for messages */
	enum axis_type type;
	size_t off;			/* field in struct cell */
	const char *const *values;	/* AXIS_ENUM, AXIS_RW: allowed names */
	const char *all;		/* AXIS_ENUM: alias for every value */
	unsigned long min, max;		/* AXIS_UINT, AXIS_SIZE bounds */
	const char *def;		/* when the matrix does not say */
	/* A record written before this axis existed meant this; NULL: required. */
	const char *absent;
	const char *help;
};

extern const struct axis axes[AX_COUNT];

/* The target whose cells have a mode: our module. */
#define TARGET_UBMAP	"ubmap"
/*
 * The mode of a cell whose target is not ubmap ("-"): modes are ubmap's.
 * One string, so cells compare it by pointer like every other name.
 */
extern const char cell_no_mode[];

bool cell_is_ubmap(const struct cell *c);
/* What tells cells apart in a table: the mode for ubmap, else the target. */
const char *cell_variant(const struct cell *c);

/* Canonical text of one value, as a matrix file would spell it. */
void axis_format(const struct axis *ax, const union axis_val *v, char *buf,
		 size_t len);
int axis_find(const char *name);
/* Index of s among ax->values, or -1. */
int axis_value_index(const struct axis *ax, const char *s);

/* The value of one axis in a cell. */
void cell_get(const struct cell *c, int axis, union axis_val *v);
void cell_axis_text(const struct cell *c, int axis, char *buf, size_t len);

void cell_set(struct cell *c, int axis, const union axis_val *v);

/*
 * For files: every axis, [a-z0-9_.-] only, the variant first, e.g.
 * "copy-4k-direct-randread-psync-qd1-j1-ram-q2-5s-r0s" (ubmap's cells keep
 * the names they had before targets) or "brd-4k-...".
 */
void cell_id(const struct cell *c, char *buf, size_t len);

/* Seconds of measured I/O (ramp + runtime): the numerator of the overhead ratio. */
static inline unsigned int cell_io_secs(const struct cell *c)
{
	return c->runtime + c->ramp;
}

/* The record's "cell" object: every axis, plus rwmixread and bs_text. */
json_t *cell_to_json(const struct cell *c);
/*
 * Back from a record.  A value this version does not know (a mode from a
 * newer module) is kept as read.  An axis missing from an older record
 * takes its axis.absent (no target: ubmap); -1 if a required one is.
 */
int cell_from_json(json_t *o, struct cell *c);

#endif /* LIB_CELL_H */
