// SPDX-License-Identifier: GPL-2.0
/*
 * The target axis: its values against the ops table, which stores each
 * target serves, how a peer's cells lose their mode, matrix blocks.
 */
#include <stdlib.h>
#include <string.h>

#include "bench_tests.h"
#include "cells.h"
#include "target.h"

static void load_text(struct matrix *m, const char *text)
{
	char err[ERR_LEN];

	matrix_init(m);
	if (matrix_load_text(m, "t", text, err) || matrix_check(m, err))
		fail_msg("%s", err);
}

/* Every axis value has its ops and every ops its value, in one order. */
static void test_table_matches_axis(void **state)
{
	const char *const *v = axes[AX_TARGET].values;
	size_t i;

	(void)state;
	for (i = 0; v[i]; i++) {
		assert_non_null(targets[i]);
		assert_string_equal(targets[i]->name, v[i]);
		assert_ptr_equal(target_find(v[i]), targets[i]);
		assert_non_null(targets[i]->start);
		assert_non_null(targets[i]->stop);
	}
	assert_null(targets[i]);
	assert_null(target_find("tcmux"));
	assert_true(target_serves(&target_tcmu, "file"));
	assert_true(target_serves(&target_null_blk, "null"));
	assert_true(target_serves(&target_null_blk, "ram"));
	assert_false(target_serves(&target_null_blk, "file"));
	assert_false(target_serves(&target_brd, "null"));
	assert_true(target_serves(&target_ubmap, "file"));
}

static void test_default_is_ubmap(void **state)
{
	struct matrix m;
	struct cell *c;
	size_t n;

	(void)state;
	load_text(&m, "mode = copy\n");
	c = cells_expand(&m, &n);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].target, "ubmap");
	assert_string_equal(c[0].mode, "copy");
	assert_false(cells_varying(&m) & (1U << AX_TARGET));
	free(c);
}

/* A peer has no mode: one cell, mode "-", and only the stores it serves. */
static void test_peer_cells(void **state)
{
	struct matrix m;
	struct cell *c;
	char id[160], label[200];
	size_t n;

	(void)state;
	load_text(&m, "target = ubmap, null_blk, brd\nmode = copy, mkspecial\nstore = null, ram\n");
	c = cells_expand(&m, &n);
	/* ubmap: 2 modes x 2 stores; null_blk: 2 stores; brd: ram only. */
	assert_int_equal(n, 7);
	assert_string_equal(c[4].target, "null_blk");
	assert_ptr_equal(c[4].mode, cell_no_mode);
	assert_string_equal(c[4].store, "null");
	assert_string_equal(c[5].store, "ram");
	assert_string_equal(c[6].target, "brd");
	assert_string_equal(c[6].store, "ram");
	assert_string_equal(cell_variant(&c[6]), "brd");
	assert_string_equal(cell_variant(&c[0]), "copy");
	/* Targets first: one set-up per target, queues, store and mode. */
	assert_int_equal(cells_groups(c, n), 7);
	cell_id(&c[6], id, sizeof(id));
	assert_string_equal(id, "brd-4k-direct-randread-psync-qd1-j1-ram-q2-5s-r0s");
	cell_id(&c[0], id, sizeof(id));
	assert_string_equal(id, "copy-4k-direct-randread-psync-qd1-j1-null-q2-5s-r0s");
	cell_label(&c[5], cells_varying(&m), label, sizeof(label));
	assert_string_equal(label, "null_blk bs=4k direct randread store=ram");
	free(c);
}

/* Blocks pair values a plain product cannot: QD1 psync, QD32 x 2 libaio. */
static void test_blocks(void **state)
{
	struct matrix m;
	struct cell *c;
	size_t n;

	(void)state;
	load_text(&m,
		  "target = ubmap, brd\nmode = copy\nrepeat = 2\n"
		  "[qd1]\nbs = 4k\nrw = randread, randwrite\n"
		  "[qd32]\nbs = 4k\nrw = randread\nioengine = libaio\niodepth = 32\nnumjobs = 2\n"
		  "[seq]\nbs = 64k, 1m\nrw = read\n");
	assert_int_equal(m.nblocks, 3);
	c = cells_expand(&m, &n);
	/* Per target: 2 + 1 + 2, each target's cells together, in block order. */
	assert_int_equal(n, 10);
	assert_int_equal(cells_groups(c, n), 2);
	assert_string_equal(c[0].rw.name, "randread");
	assert_string_equal(c[1].rw.name, "randwrite");
	assert_string_equal(c[2].ioengine, "libaio");
	assert_int_equal(c[2].iodepth, 32);
	assert_int_equal(c[2].numjobs, 2);
	assert_string_equal(c[4].target, "ubmap");
	assert_string_equal(c[5].target, "brd");
	assert_int_equal(c[4].bs, 1 << 20);
	assert_string_equal(c[4].rw.name, "read");
	assert_string_equal(c[4].ioengine, "psync");
	assert_int_equal(c[9].bs, 1 << 20);
	assert_true(cells_varying(&m) & (1U << AX_IODEPTH));
	assert_true(cells_varying(&m) & (1U << AX_TARGET));
	assert_false(cells_varying(&m) & (1U << AX_MODE));
	free(c);
	/* The command line narrows every block alike. */
	{
		char err[ERR_LEN];

		assert_int_equal(matrix_override(&m, "target", "brd", err), 0);
		c = cells_expand(&m, &n);
		assert_int_equal(n, 5);
		for (size_t i = 0; i < n; i++)
			assert_string_equal(c[i].target, "brd");
		free(c);
		assert_int_equal(matrix_override(&m, "bs", "4k", err), 0);
		c = cells_expand(&m, &n);
		/* 4k reads twice (qd1 and seq's now 4k read): distinct cells stay. */
		assert_int_equal(n, 4);
		free(c);
	}
}

static void expect_error(const char *text, const char *want)
{
	struct matrix m;
	char err[ERR_LEN] = "";

	matrix_init(&m);
	assert_int_not_equal(matrix_load_text(&m, "t", text, err), 0);
	if (!strstr(err, want))
		fail_msg("got \"%s\", want \"%s\"", err, want);
}

static void test_block_errors(void **state)
{
	(void)state;
	expect_error("[a]\nrepeat = 2\n", "t:2: repeat: settings are run-wide");
	expect_error("[a]\nbs = 4k\n[a]\n", "t:3: block [a] again (first at line 1)");
	expect_error("[A b]\n", "t:1: block name 'A b'");
	expect_error("[]\n", "t:1: block name ''");
	expect_error("[a\n", "t:1: a block starts with '[name]'");
	expect_error("[a]\nbs = 4k\nbs = 1m\n", "t:3: bs: set again (first at line 2)");
	expect_error("target = tcmux\n", "t:1: target: unknown value 'tcmux' (valid: ubmap, null_blk, brd, ublk, tcmu, all)");
}

/* The effective matrix keeps the blocks, in file syntax and in run.json. */
static void test_blocks_written(void **state)
{
	struct matrix m, back;
	char *text = NULL, err[ERR_LEN];
	size_t len = 0;
	FILE *f;
	json_t *j;

	(void)state;
	load_text(&m, "target = brd\n[a]\nbs = 1m\nrw = read\n[b]\nbs = 4k\n");
	f = open_memstream(&text, &len);
	matrix_write(&m, f);
	fclose(f);
	assert_non_null(strstr(text, "\n[a]\nbs          = 1m\nrw          = read\n[b]\nbs          = 4k\n"));
	/* What it wrote reads back to the same cells. */
	matrix_init(&back);
	assert_int_equal(matrix_load_text(&back, "w", text, err), 0);
	assert_int_equal(back.nblocks, 2);
	assert_int_equal(matrix_axis(&back, 0, AX_BS)->v[0].size, 1 << 20);
	assert_string_equal(matrix_axis(&back, 1, AX_RW)->v[0].rw.name, "randread");
	free(text);
	j = matrix_json(&m);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "blocks"), 1), "name")), "b");
	json_decref(j);
	load_text(&m, "bs = 4k\n");
	j = matrix_json(&m);
	/* No blocks, no key: run.json as before. */
	assert_null(json_object_get(j, "blocks"));
	json_decref(j);
}

/* A record of a peer says so; one from before targets reads as ubmap. */
static void test_cell_json(void **state)
{
	struct matrix m;
	struct cell *c, back;
	size_t n;
	json_t *o;

	(void)state;
	load_text(&m, "target = null_blk\nstore = null\n");
	c = cells_expand(&m, &n);
	assert_int_equal(n, 1);
	o = cell_to_json(&c[0]);
	assert_string_equal(json_string_value(json_object_get(o, "target")), "null_blk");
	assert_string_equal(json_string_value(json_object_get(o, "mode")), "-");
	assert_int_equal(cell_from_json(o, &back), 0);
	assert_ptr_equal(back.mode, cell_no_mode);
	assert_false(cell_is_ubmap(&back));
	json_object_del(o, "target");
	json_object_set_new(o, "mode", json_string("copy"));
	assert_int_equal(cell_from_json(o, &back), 0);
	assert_string_equal(back.target, "ubmap");
	assert_ptr_equal(back.target, axes[AX_TARGET].values[0]);
	/* A required axis still is. */
	json_object_del(o, "bs");
	assert_int_equal(cell_from_json(o, &back), -1);
	json_decref(o);
	free(c);
}

int run_targets_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_matches_axis),
		cmocka_unit_test(test_default_is_ubmap),
		cmocka_unit_test(test_peer_cells),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_block_errors),
		cmocka_unit_test(test_blocks_written),
		cmocka_unit_test(test_cell_json),
	};

	return cmocka_run_group_tests_name("targets", tests, NULL, NULL);
}
