// SPDX-License-Identifier: GPL-2.0
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "cells.h"
#include "order.h"

/* One group of the matrix order: cells[first, first + n). */
struct span {
	size_t first, n;
};

size_t order_group_len(const struct cell *cells, const size_t *row, size_t n)
{
	size_t k = 1;

	while (k < n && cells_same_group(&cells[row[k]], &cells[row[0]]))
		k++;
	return n ? k : 0;
}

unsigned long order_fresh_seed(void)
{
	unsigned int s = 0;

	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != sizeof(s)) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		s = (unsigned int)(ts.tv_nsec ^ ts.tv_sec ^ getpid());
	}
	/* 0 means "pick one": never hand it out as the pick. */
	return s ? s : 1;
}

/* Shuffle the groups, then the cells inside each, for every repeat. */
static void order_random(struct run_order *o, const struct cell *cells)
{
	struct span *g = calloc(o->ncells, sizeof(*g));
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	size_t ng = 0;

	if (!g || !rng)
		abort();
	gsl_rng_set(rng, o->seed);
	for (size_t i = 0; i < o->ncells; i++) {
		if (i && cells_same_group(&cells[i], &cells[i - 1])) {
			g[ng - 1].n++;
			continue;
		}
		g[ng++] = (struct span){ .first = i, .n = 1 };
	}
	for (unsigned int rep = 1; rep <= o->reps; rep++) {
		size_t *row = o->cell + (size_t)(rep - 1) * o->ncells, k = 0;

		gsl_ran_shuffle(rng, g, ng, sizeof(*g));
		for (size_t j = 0; j < ng; j++) {
			for (size_t c = 0; c < g[j].n; c++)
				row[k + c] = g[j].first + c;
			gsl_ran_shuffle(rng, row + k, g[j].n, sizeof(*row));
			k += g[j].n;
		}
	}
	gsl_rng_free(rng);
	free(g);
}

void order_make(struct run_order *o, const struct cell *cells, size_t n,
		unsigned int reps, enum order_kind kind, unsigned long seed)
{
	o->kind = kind;
	o->ncells = n;
	o->reps = reps;
	o->seed = kind == ORDER_RANDOM ? (seed ? seed : order_fresh_seed()) : 0;
	o->cell = calloc(n * reps + 1, sizeof(*o->cell));
	if (!o->cell)
		abort();
	if (kind == ORDER_RANDOM) {
		order_random(o, cells);
		return;
	}
	for (size_t i = 0; i < n * reps; i++)
		o->cell[i] = i % n;
}

void order_free(struct run_order *o)
{
	free(o->cell);
	o->cell = NULL;
}

json_t *order_to_json(const struct run_order *o)
{
	json_t *j = json_object(), *reps = json_array();

	json_object_set_new(j, "order", json_string(settings[SET_ORDER].values[o->kind]));
	json_object_set_new(j, "seed", o->kind == ORDER_RANDOM ?
			    json_integer(o->seed) : json_null());
	for (unsigned int rep = 1; rep <= o->reps; rep++) {
		const size_t *row = order_repeat(o, rep);
		json_t *a = json_array();

		for (size_t i = 0; i < o->ncells; i++)
			json_array_append_new(a, json_integer(row[i] + 1));
		json_array_append_new(reps, a);
	}
	json_object_set_new(j, "repeats", reps);
	return j;
}
