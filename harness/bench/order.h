/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The order a run executes its cells in.  A group (cells sharing queues,
 * store and mode) costs a module load and an ubmapd start, so a group
 * always runs whole; "random" shuffles, every repeat, which group comes
 * when and the cells inside each.  That ties no mode to the time since
 * boot, at no extra restarts.  "grouped" is the matrix order, every repeat.
 */
#ifndef BENCH_ORDER_H
#define BENCH_ORDER_H

#include <jansson.h>
#include <stddef.h>

#include "matrix.h"

struct run_order {
	enum order_kind kind;
	unsigned long seed;		/* the one used; 0 for grouped */
	size_t ncells;
	unsigned int reps;
	size_t *cell;			/* reps rows of ncells cell indexes */
};

/*
 * The order of reps repeats of cells[0, n) (as cells_expand gives them:
 * each group contiguous).  seed 0 picks a fresh one, kept in o->seed.
 * The same kind, seed and cells give the same order on any machine (GSL's
 * MT19937 and gsl_ran_shuffle).  Free with order_free().
 */
void order_make(struct run_order *o, const struct cell *cells, size_t n,
		unsigned int reps, enum order_kind kind, unsigned long seed);
void order_free(struct run_order *o);

/* Repeat rep's cell indexes (rep counts from 1), in execution order. */
static inline const size_t *order_repeat(const struct run_order *o,
					 unsigned int rep)
{
	return o->cell + (size_t)(rep - 1) * o->ncells;
}

/* How many of row[0, n) belong to row[0]'s group: what runs as one. */
size_t order_group_len(const struct cell *cells, const size_t *row, size_t n);

/* A non-zero 32-bit seed from getrandom(), or the clock without it. */
unsigned long order_fresh_seed(void);

/*
 * For run.json: {"order": "random", "seed": 42, "repeats": [[3, 1, ...],
 * ...]} with each repeat's 1-based cell indexes (the records' cell_index)
 * in execution order.  seed is null for grouped.
 */
json_t *order_to_json(const struct run_order *o);

#endif /* BENCH_ORDER_H */
