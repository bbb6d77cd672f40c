/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A benchmark matrix: for every axis a list of values, plus a few run-wide
 * settings.  Axes are declared once, as data (axes[] in matrix.c): the file
 * parser, the command-line overrides, `ubmap-bench axes` and cell expansion
 * all read that one table.
 *
 * File syntax, one setting per line:
 *	# comment
 *	bs = 4k, 64k, 1m	# values separated by commas
 */
#ifndef BENCH_MATRIX_H
#define BENCH_MATRIX_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define AXIS_MAX_VALUES	16

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
	unsigned int queues;	/* module nr_queues (reload to change) */
	const char *store;	/* ubmapd --store */
	const char *mode;	/* sysfs mode (backend restart to change) */
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
	AX_QUEUES, AX_STORE, AX_MODE, AX_BS, AX_IO, AX_RW, AX_IOENGINE,
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
	const char *help;
};

extern const struct axis axes[AX_COUNT];

struct axis_list {
	unsigned int n;
	union axis_val v[AXIS_MAX_VALUES];
	unsigned int line;		/* where it was set; 0: default/CLI */
};

/* Run-wide settings: not axes, one value each. */
enum setting_id { SET_REPEAT, SET_MAX_IO, SET_QUEUE_DEPTH, SET_PREFILL, SET_COUNT };

struct matrix {
	char path[256];
	struct axis_list axis[AX_COUNT];
	unsigned long set[SET_COUNT];
	unsigned int set_line[SET_COUNT];
};

struct setting {
	const char *name;
	const char *var;
	enum axis_type type;		/* AXIS_UINT or AXIS_SIZE */
	unsigned long min, max;
	const char *def;
	const char *help;
};

extern const struct setting settings[SET_COUNT];

/* Defaults for every axis and setting. */
void matrix_init(struct matrix *m);

/*
 * Reads a matrix file over the defaults.  On error returns -1 with
 * "PATH:LINE: reason" in err.
 */
int matrix_load(struct matrix *m, const char *path, char *err);
/* Parses text as if it were a file called name; for tests. */
int matrix_load_text(struct matrix *m, const char *name, const char *text,
		     char *err);

/*
 * Replaces one axis or setting from the command line (KEY is its name):
 * "--bs: '3x' is not a size" on error.
 */
int matrix_override(struct matrix *m, const char *key, const char *text,
		    char *err);

/* Checks across axes (bs against max_io); call after loading and overrides. */
int matrix_check(const struct matrix *m, char *err);

/* Canonical text of one value, as a matrix file would spell it. */
void axis_format(const struct axis *ax, const union axis_val *v, char *buf,
		 size_t len);
/* The whole list, comma-separated. */
void axis_list_format(const struct axis *ax, const struct axis_list *l,
		      char *buf, size_t len);

/* Lists every axis and setting with allowed values, for --help and docs. */
void matrix_describe(FILE *f);

/* "VAR name" per axis and setting: the make variable and its --name. */
void matrix_vars(FILE *f);

/* Writes the effective matrix in file syntax (kept in the run directory). */
void matrix_write(const struct matrix *m, FILE *f);

int axis_find(const char *name);
int setting_find(const char *name);

#endif /* BENCH_MATRIX_H */
