// SPDX-License-Identifier: GPL-2.0
/* The run order: reproducible from its seed, complete, groups kept whole. */
#include <stdlib.h>
#include <string.h>

#include "bench_tests.h"
#include "cells.h"
#include "order.h"

/*
 * 4 modes x 2 queue counts = 8 groups of 4 cells (bs x io).  The modes are
 * named, not "all": the pinned orders below must not move with the ABI's list.
 */
#define MATRIX "mode = copy, vm_insert_pages, remap_pfn_range, mkspecial\nqueues = 1, 2\nbs = 4k, 1m\nio = both\n"
#define REPS 3

static struct cell *expand(size_t *n)
{
	struct matrix m;
	char err[ERR_LEN];

	matrix_init(&m);
	if (matrix_load_text(&m, "t", MATRIX, err))
		fail_msg("%s", err);
	return cells_expand(&m, n);
}

static void test_same_seed_same_order(void **state)
{
	struct run_order a, b, c;
	struct cell *cells;
	size_t n;

	(void)state;
	cells = expand(&n);
	order_make(&a, cells, n, REPS, ORDER_RANDOM, 42);
	order_make(&b, cells, n, REPS, ORDER_RANDOM, 42);
	order_make(&c, cells, n, REPS, ORDER_RANDOM, 43);
	assert_int_equal(a.seed, 42);
	assert_memory_equal(a.cell, b.cell, n * REPS * sizeof(*a.cell));
	assert_memory_not_equal(a.cell, c.cell, n * REPS * sizeof(*a.cell));
	/* Each repeat is shuffled afresh. */
	assert_memory_not_equal(order_repeat(&a, 1), order_repeat(&a, 2),
				n * sizeof(*a.cell));
	order_free(&a);
	order_free(&b);
	order_free(&c);
	free(cells);
}

/* Seed 0 picks one; that seed gives the order again. */
static void test_fresh_seed(void **state)
{
	struct run_order a, b;
	struct cell *cells;
	size_t n;

	(void)state;
	cells = expand(&n);
	order_make(&a, cells, n, REPS, ORDER_RANDOM, 0);
	assert_true(a.seed > 0 && a.seed <= 0xffffffffUL);
	order_make(&b, cells, n, REPS, ORDER_RANDOM, a.seed);
	assert_memory_equal(a.cell, b.cell, n * REPS * sizeof(*a.cell));
	order_free(&a);
	order_free(&b);
	free(cells);
}

/* Every cell once per repeat, and each group in one stretch. */
static void test_complete_and_grouped(void **state)
{
	enum order_kind kinds[] = { ORDER_RANDOM, ORDER_GROUPED };
	struct cell *cells;
	size_t n;

	(void)state;
	cells = expand(&n);
	assert_int_equal(n, 32);
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		struct run_order o;

		order_make(&o, cells, n, REPS, kinds[k], 7);
		for (unsigned int rep = 1; rep <= REPS; rep++) {
			const size_t *row = order_repeat(&o, rep);
			unsigned int seen[32] = { 0 }, groups = 0;

			for (size_t i = 0; i < n; i++) {
				assert_in_range(row[i], 0, n - 1);
				seen[row[i]]++;
				if (!i || !cells_same_group(&cells[row[i]],
							    &cells[row[i - 1]]))
					groups++;
			}
			for (size_t i = 0; i < n; i++)
				assert_int_equal(seen[i], 1);
			/* As many stretches as groups: none split, none extra. */
			assert_int_equal(groups, cells_groups(cells, n));
			for (size_t i = 0; i < n; i += order_group_len(cells, row + i, n - i))
				assert_int_equal(order_group_len(cells, row + i, n - i), 4);
		}
		order_free(&o);
	}
	free(cells);
}

/* grouped is the matrix order, every repeat, whatever the seed. */
static void test_grouped_is_matrix_order(void **state)
{
	struct run_order o;
	struct cell *cells;
	size_t n;
	json_t *j;

	(void)state;
	cells = expand(&n);
	order_make(&o, cells, n, REPS, ORDER_GROUPED, 42);
	for (unsigned int rep = 1; rep <= REPS; rep++)
		for (size_t i = 0; i < n; i++)
			assert_int_equal(order_repeat(&o, rep)[i], i);
	j = order_to_json(&o);
	assert_string_equal(json_string_value(json_object_get(j, "order")), "grouped");
	assert_true(json_is_null(json_object_get(j, "seed")));
	json_decref(j);
	order_free(&o);
	free(cells);
}

/*
 * Seed 42's first repeat, pinned: a GSL that shuffled differently would
 * make SEED=42 mean another order than the one a past run.json recorded.
 */
static void test_pinned_order(void **state)
{
	static const size_t want[] = { 17, 19, 16, 18, 5, 6, 7, 4, 15, 12, 14, 13 };
	struct run_order o;
	struct cell *cells;
	size_t n;
	json_t *j, *rep1;

	(void)state;
	cells = expand(&n);
	order_make(&o, cells, n, REPS, ORDER_RANDOM, 42);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		assert_int_equal(order_repeat(&o, 1)[i], want[i]);
	j = order_to_json(&o);
	assert_int_equal(json_integer_value(json_object_get(j, "seed")), 42);
	rep1 = json_array_get(json_object_get(j, "repeats"), 0);
	assert_int_equal(json_array_size(rep1), n);
	/* 1-based, as the records' cell_index. */
	assert_int_equal(json_integer_value(json_array_get(rep1, 0)), want[0] + 1);
	json_decref(j);
	order_free(&o);
	free(cells);
}

int run_order_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_order),
		cmocka_unit_test(test_fresh_seed),
		cmocka_unit_test(test_complete_and_grouped),
		cmocka_unit_test(test_grouped_is_matrix_order),
		cmocka_unit_test(test_pinned_order),
	};

	return cmocka_run_group_tests_name("order", tests, NULL, NULL);
}
