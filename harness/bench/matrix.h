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
 *	[name]			# a block: the axes after it, until the next
 *				# block, replace the top's for its cells only
 *
 * Without blocks the cells are every combination of the axes.  With blocks
 * they are the union of every block's combinations (the top's axes filling
 * in what a block does not set): how a matrix pairs values that must go
 * together, e.g. QD1 with psync and QD32 x 2 jobs with libaio.  Settings are
 * run-wide: only before the first block.
 */
#ifndef BENCH_MATRIX_H
#define BENCH_MATRIX_H

#include <stdbool.h>
#include <stddef.h>

#include "cell.h"
#include "util.h"

#define AXIS_MAX_VALUES	16
#define MATRIX_MAX_BLOCKS	16

struct axis_list {
	unsigned int n;
	union axis_val v[AXIS_MAX_VALUES];
	unsigned int line;		/* where it was set; 0: default/CLI */
};

/* Run-wide settings: not axes, one value each. */
enum setting_id {
	SET_REPEAT, SET_MAX_IO, SET_QUEUE_DEPTH, SET_PREFILL, SET_SEED,
	SET_ORDER, SET_WARMUP, SET_COUNT
};

/* SET_ORDER's values, in settings[SET_ORDER].values order. */
enum order_kind { ORDER_RANDOM, ORDER_GROUPED };

/* A block's own axes; n == 0: the top's. */
struct matrix_block {
	char name[32];
	unsigned int line;
	struct axis_list axis[AX_COUNT];
};

struct matrix {
	char path[256];
	struct axis_list axis[AX_COUNT];
	unsigned int nblocks;
	struct matrix_block block[MATRIX_MAX_BLOCKS];
	unsigned long set[SET_COUNT];
	unsigned int set_line[SET_COUNT];
};

struct setting {
	const char *name;
	const char *var;
	enum axis_type type;		/* AXIS_UINT, AXIS_SIZE or AXIS_ENUM */
	const char *const *values;	/* AXIS_ENUM: the value is an index */
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

/* Axis a of block b as it applies (the top's unless the block sets it). */
const struct axis_list *matrix_axis(const struct matrix *m, unsigned int b,
				    int a);
/* Blocks to expand: nblocks, or 1 (the top) without any. */
unsigned int matrix_nblocks(const struct matrix *m);

/*
 * Replaces one axis or setting from the command line (KEY is its name),
 * in the top and in every block:
 * "--bs: '3x' is not a size" on error.
 */
int matrix_override(struct matrix *m, const char *key, const char *text,
		    char *err);

/* Checks across axes (bs against max_io); call after loading and overrides. */
int matrix_check(const struct matrix *m, char *err);

/* The whole list, comma-separated. */
void axis_list_format(const struct axis *ax, const struct axis_list *l,
		      char *buf, size_t len);

/* Lists every axis and setting with allowed values, for --help and docs. */
void matrix_describe(FILE *f);

/* "VAR name" per axis and setting: the make variable and its --name. */
void matrix_vars(FILE *f);

/* Writes the effective matrix in file syntax (kept in the run directory). */
void matrix_write(const struct matrix *m, FILE *f);
/* The same for run.json: {"axes": {name: [values]}, "settings": {name: value}}. */
json_t *matrix_json(const struct matrix *m);

int setting_find(const char *name);
/* A setting's value as a matrix file spells it. */
void setting_format(const struct matrix *m, int id, char *buf, size_t len);

#endif /* BENCH_MATRIX_H */
