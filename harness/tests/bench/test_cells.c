// SPDX-License-Identifier: GPL-2.0
/* Expansion order, counts, labels and file-safe ids. */
#include <stdlib.h>
#include <string.h>

#include "bench_tests.h"
#include "cells.h"

static void load_text(struct matrix *m, const char *text)
{
	char err[ERR_LEN];

	matrix_init(m);
	if (matrix_load_text(m, "t", text, err))
		fail_msg("%s", err);
}

static void test_expand(void **state)
{
	struct matrix m;
	struct cell *c;
	size_t n;

	(void)state;
	load_text(&m, "mode = copy, mkspecial\nbs = 4k, 1m\nio = both\nqueues = 1, 2\n");
	c = cells_expand(&m, &n);
	assert_int_equal(n, 16);
	/* queues outermost (a module reload), then mode (a backend restart). */
	assert_int_equal(c[0].queues, 1);
	assert_int_equal(c[8].queues, 2);
	assert_string_equal(c[0].mode, "copy");
	assert_string_equal(c[4].mode, "mkspecial");
	assert_int_equal(c[0].bs, 4096);
	assert_int_equal(c[2].bs, 1 << 20);
	assert_string_equal(c[0].io, "direct");
	assert_string_equal(c[1].io, "buffered");
	/* Axes with one value are the same everywhere. */
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(c[i].rw.name, "randread");
		assert_string_equal(c[i].store, "ram");
		assert_int_equal(c[i].runtime, 5);
	}
	assert_int_equal(cells_varying(&m),
			 1U << AX_QUEUES | 1U << AX_MODE | 1U << AX_BS | 1U << AX_IO);
	free(c);
}

static void test_label_and_id(void **state)
{
	struct matrix m;
	struct cell *c;
	char buf[256];
	size_t n;

	(void)state;
	load_text(&m, "mode = mkspecial\nbs = 64k\nrw = randrw:70\niodepth = 1, 16\nioengine = io_uring\n");
	c = cells_expand(&m, &n);
	assert_int_equal(n, 2);
	cell_label(&c[1], cells_varying(&m), buf, sizeof(buf));
	assert_string_equal(buf, "mkspecial bs=64k direct randrw:70 iodepth=16");
	cell_id(&c[1], buf, sizeof(buf));
	assert_string_equal(buf, "mkspecial-64k-direct-randrw70-io_uring-qd16-j1-ram-q2-5s-r0s");
	assert_int_equal(cell_io_secs(&c[0]), 5);
	free(c);
}

static void test_psync_depth(void **state)
{
	struct matrix m;
	struct cell *c;
	size_t n;

	(void)state;
	load_text(&m, "mode = copy\nioengine = psync, io_uring\niodepth = 1, 16\n");
	c = cells_expand(&m, &n);
	/* psync/16 would run exactly as psync/1: left out. */
	assert_int_equal(n, 3);
	assert_string_equal(c[0].ioengine, "psync");
	assert_int_equal(c[0].iodepth, 1);
	assert_string_equal(c[1].ioengine, "io_uring");
	assert_int_equal(c[1].iodepth, 1);
	assert_int_equal(c[2].iodepth, 16);
	free(c);
}

static void test_groups(void **state)
{
	struct matrix m;
	struct cell *c;
	size_t n;

	(void)state;
	load_text(&m, "mode = all\nbs = 4k, 1m\nstore = null, ram\nqueues = 1, 2\n");
	c = cells_expand(&m, &n);
	assert_int_equal(n, 8 * NR_MODES);
	/* Two sizes per (queues, store, mode): one backend start each. */
	assert_int_equal(cells_groups(c, n), 4 * NR_MODES);
	free(c);
}

int run_cells_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_label_and_id),
		cmocka_unit_test(test_psync_depth),
		cmocka_unit_test(test_groups),
	};

	return cmocka_run_group_tests_name("cells", tests, NULL, NULL);
}
