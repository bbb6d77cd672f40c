/* SPDX-License-Identifier: GPL-2.0 */
/* A matrix expanded into cells, and the names a cell goes by. */
#ifndef BENCH_CELLS_H
#define BENCH_CELLS_H

#include <stdbool.h>

#include "matrix.h"

/*
 * Every combination of the axes' values, in axis order (axes[0] outermost),
 * so neighbours share the costly settings, less those that only repeat
 * another (cell_meaningful).  Caller frees.
 */
struct cell *cells_expand(const struct matrix *m, size_t *n);

/* False for combinations fio runs the same as another: psync at iodepth > 1. */
bool cell_meaningful(const struct cell *c);

/* Same queues, store and mode: one module load and one ubmapd serve both. */
bool cells_same_group(const struct cell *a, const struct cell *b);

/*
 * Backend groups in a run: how often the module is reloaded and ubmapd
 * restarted (once per repeat and (queues, store, mode)).
 */
unsigned int cells_groups(const struct cell *cells, size_t n);

/* Bit (1 << axis id) set for every axis with more than one value. */
unsigned int cells_varying(const struct matrix *m);

/*
 * For people: "mkspecial bs=64k direct randread", plus "name=value" for
 * every other axis in the varying mask.
 */
void cell_label(const struct cell *c, unsigned int varying, char *buf,
		size_t len);

#endif /* BENCH_CELLS_H */
