// SPDX-License-Identifier: GPL-2.0
/* Matrix files, good and bad (with their line numbers), and overrides. */
#include <stdlib.h>
#include <string.h>

#include "bench_tests.h"
#include "jsonutil.h"
#include "matrix.h"

static int load(struct matrix *m, const char *name, char *err)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/matrix/%s", FIXTURES, name);
	matrix_init(m);
	err[0] = '\0';
	if (matrix_load(m, path, err))
		return -1;
	return matrix_check(m, err);
}

static void test_defaults(void **state)
{
	struct matrix m;
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(load(&m, "good-empty.matrix", err), 0);
	/* Every mode, one of everything else. */
	assert_int_equal(m.axis[AX_MODE].n, NR_MODES);
	assert_string_equal(m.axis[AX_MODE].v[0].str, "copy");
	assert_string_equal(m.axis[AX_MODE].v[3].str, "mkspecial");
	assert_int_equal(m.axis[AX_BS].n, 1);
	assert_int_equal(m.axis[AX_BS].v[0].size, 4096);
	assert_string_equal(m.axis[AX_IO].v[0].str, "direct");
	assert_string_equal(m.axis[AX_RW].v[0].rw.name, "randread");
	assert_int_equal(m.axis[AX_QUEUES].v[0].uint, 2);
	assert_int_equal(m.set[SET_REPEAT], 1);
	assert_int_equal(m.set[SET_MAX_IO], 1 << 20);
	assert_int_equal(m.set[SET_QUEUE_DEPTH], 32);
}

static void test_full(void **state)
{
	struct matrix m;
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(load(&m, "good-full.matrix", err), 0);
	assert_int_equal(m.axis[AX_MODE].n, 2);
	assert_string_equal(m.axis[AX_MODE].v[1].str, "mkspecial");
	assert_int_equal(m.axis[AX_MODE].line, 3);
	assert_int_equal(m.axis[AX_BS].n, 3);
	assert_int_equal(m.axis[AX_BS].v[1].size, 64 << 10);
	assert_int_equal(m.axis[AX_BS].v[2].size, 1 << 20);
	/* "both" is the io axis's word for every value. */
	assert_int_equal(m.axis[AX_IO].n, 2);
	assert_string_equal(m.axis[AX_IO].v[1].str, "buffered");
	assert_int_equal(m.axis[AX_RW].n, 3);
	assert_string_equal(m.axis[AX_RW].v[1].rw.name, "randrw");
	assert_int_equal(m.axis[AX_RW].v[1].rw.mixread, 70);
	assert_int_equal(m.axis[AX_RW].v[2].rw.mixread, 50);
	assert_int_equal(m.axis[AX_RW].v[0].rw.mixread, 0);
	assert_string_equal(m.axis[AX_IOENGINE].v[0].str, "io_uring");
	assert_int_equal(m.axis[AX_IODEPTH].v[1].uint, 8);
	assert_int_equal(m.axis[AX_NUMJOBS].v[0].uint, 2);
	assert_int_equal(m.axis[AX_RUNTIME].v[0].uint, 3);
	assert_int_equal(m.axis[AX_RAMP].v[0].uint, 1);
	assert_string_equal(m.axis[AX_STORE].v[0].str, "null");
	assert_int_equal(m.axis[AX_QUEUES].n, 2);
	assert_int_equal(m.set[SET_REPEAT], 3);
	assert_int_equal(m.set[SET_MAX_IO], 2 << 20);
	assert_int_equal(m.set[SET_QUEUE_DEPTH], 64);
}

/* The shipped matrices must always parse. */
static void test_workloads(void **state)
{
	static const char *const names[] = { "default", "quick", "ci", "full" };
	struct matrix m;
	char path[512], err[ERR_LEN];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/../../../../workloads/%s.matrix",
			 FIXTURES, names[i]);
		matrix_init(&m);
		if (matrix_load(&m, path, err) || matrix_check(&m, err))
			fail_msg("%s", err);
	}
}

static const struct {
	const char *file;
	const char *error;	/* what the message must contain */
} bad[] = {
	{ "bad-unknown-key.matrix", "bad-unknown-key.matrix:3: unknown key 'bss' (valid: target, queues," },
	{ "bad-no-equals.matrix", "bad-no-equals.matrix:2: expected 'key = value[, value...]'" },
	{ "bad-no-key.matrix", "bad-no-key.matrix:1: missing key before '='" },
	{ "bad-mode.matrix", "bad-mode.matrix:2: mode: unknown value 'zerocopy' (valid: copy, vm_insert_pages, remap_pfn_range, mkspecial, " },
	{ "bad-size.matrix", "bad-size.matrix:3: bs: '4x' is not a size" },
	{ "bad-bs-unaligned.matrix", "bad-bs-unaligned.matrix:1: bs: 1000 is not a multiple of 512" },
	{ "bad-dup-key.matrix", "bad-dup-key.matrix:4: bs: set again (first at line 1)" },
	{ "bad-dup-value.matrix", "bad-dup-value.matrix:1: bs: '4096' is listed twice" },
	{ "bad-empty-value.matrix", "bad-empty-value.matrix:2: io: no value after '='" },
	{ "bad-empty-item.matrix", "bad-empty-item.matrix:1: bs: empty value in '4k,,8k'" },
	{ "bad-rwmix.matrix", "bad-rwmix.matrix:1: rw: 'randread' is not mixed" },
	{ "bad-rwmix-range.matrix", "bad-rwmix-range.matrix:1: rw: read share '170' is not a percentage" },
	{ "bad-max-io.matrix", "bad-max-io.matrix:2: bs: 2m exceeds the device's max I/O 1m" },
	{ "bad-repeat-list.matrix", "bad-repeat-list.matrix:1: repeat: takes one value" },
	{ "bad-range.matrix", "bad-range.matrix:1: queues: 0 is out of range 1..64" },
	{ "bad-max-io-pow2.matrix", "bad-max-io-pow2.matrix:1: max_io: 3m is not a power of 2" },
};

static void test_bad_files(void **state)
{
	struct matrix m;
	char err[ERR_LEN];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (load(&m, bad[i].file, err) == 0)
			fail_msg("%s parsed", bad[i].file);
		if (!strstr(err, bad[i].error))
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i].file, err,
				 bad[i].error);
	}
}

static void test_missing_file(void **state)
{
	struct matrix m;
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(load(&m, "no-such.matrix", err), -1);
	assert_non_null(strstr(err, "no-such.matrix: cannot read: No such file"));
}

static void test_overrides(void **state)
{
	struct matrix m;
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(load(&m, "good-full.matrix", err), 0);
	/* A variable replaces the axis, values outside the file included. */
	assert_int_equal(matrix_override(&m, "bs", "16k", err), 0);
	assert_int_equal(m.axis[AX_BS].n, 1);
	assert_int_equal(m.axis[AX_BS].v[0].size, 16 << 10);
	assert_int_equal(m.axis[AX_BS].line, 0);
	assert_int_equal(matrix_override(&m, "mode", "all", err), 0);
	assert_int_equal(m.axis[AX_MODE].n, NR_MODES);
	assert_int_equal(matrix_override(&m, "io", "buffered", err), 0);
	assert_int_equal(m.axis[AX_IO].n, 1);
	assert_int_equal(matrix_override(&m, "repeat", "5", err), 0);
	assert_int_equal(m.set[SET_REPEAT], 5);
	/* An enum setting keeps the index of its value. */
	assert_int_equal(m.set[SET_ORDER], ORDER_RANDOM);
	assert_int_equal(matrix_override(&m, "order", "grouped", err), 0);
	assert_int_equal(m.set[SET_ORDER], ORDER_GROUPED);
	assert_int_equal(matrix_override(&m, "order", "shuffled", err), -1);
	assert_non_null(strstr(err, "--order (ORDER=): order: unknown value 'shuffled' (valid: random, grouped)"));
	assert_int_equal(matrix_override(&m, "seed", "4294967295", err), 0);
	assert_int_equal(matrix_override(&m, "seed", "4294967296", err), -1);

	assert_int_equal(matrix_override(&m, "mode", "fast", err), -1);
	assert_non_null(strstr(err, "--mode (MODE=): mode: unknown value 'fast'"));
	assert_int_equal(matrix_override(&m, "runtime", "-1", err), -1);
	assert_non_null(strstr(err, "--runtime (RUNTIME=): runtime: '-1' is not a whole number"));
	assert_int_equal(matrix_override(&m, "colour", "red", err), -1);
	assert_non_null(strstr(err, "unknown option '--colour'"));
	/* A failed override leaves the axis as it was. */
	assert_int_equal(m.axis[AX_MODE].n, NR_MODES);

	/* bs against max_io is checked after all overrides. */
	assert_int_equal(matrix_override(&m, "bs", "4m", err), 0);
	assert_int_equal(matrix_check(&m, err), -1);
	assert_non_null(strstr(err, "--bs (BS=): 4m exceeds the device's max I/O 2m"));
	assert_int_equal(matrix_override(&m, "max_io", "4m", err), 0);
	assert_int_equal(matrix_check(&m, err), 0);
}

/* run.json's copy: `make bench MAX_IO=2m BS=64k` must show in it. */
static void test_json(void **state)
{
	char err[ERR_LEN];
	struct matrix m;
	json_t *j;

	(void)state;
	matrix_init(&m);
	assert_int_equal(matrix_override(&m, "max_io", "2m", err), 0);
	assert_int_equal(matrix_override(&m, "bs", "64k,1m", err), 0);
	j = matrix_json(&m);
	assert_string_equal(json_string_value(json_path(j, "settings.max_io")), "2m");
	assert_int_equal(json_array_size(json_path(j, "axes.bs")), 2);
	assert_string_equal(json_string_value(json_array_get(json_path(j, "axes.bs"), 0)), "64k");
	assert_string_equal(json_string_value(json_array_get(json_path(j, "axes.mode"), 3)), "mkspecial");
	json_decref(j);
}

static void test_format(void **state)
{
	struct matrix m;
	char err[ERR_LEN], buf[256];

	(void)state;
	assert_int_equal(load(&m, "good-full.matrix", err), 0);
	axis_list_format(&axes[AX_BS], &m.axis[AX_BS], buf, sizeof(buf));
	assert_string_equal(buf, "4k, 64k, 1m");
	axis_list_format(&axes[AX_RW], &m.axis[AX_RW], buf, sizeof(buf));
	assert_string_equal(buf, "randread, randrw:70, rw");
	axis_list_format(&axes[AX_IO], &m.axis[AX_IO], buf, sizeof(buf));
	assert_string_equal(buf, "direct, buffered");
}

/* What matrix_write prints must load back to the same matrix. */
static void test_write_round_trip(void **state)
{
	struct matrix a, b;
	char err[ERR_LEN], *text;
	size_t len;
	FILE *f;

	(void)state;
	assert_int_equal(load(&a, "good-full.matrix", err), 0);
	assert_int_equal(matrix_override(&a, "order", "grouped", err), 0);
	f = open_memstream(&text, &len);
	matrix_write(&a, f);
	fclose(f);
	matrix_init(&b);
	if (matrix_load_text(&b, "written", text, err))
		fail_msg("%s\n%s", err, text);
	free(text);
	for (int i = 0; i < AX_COUNT; i++) {
		char la[256], lb[256];

		axis_list_format(&axes[i], &a.axis[i], la, sizeof(la));
		axis_list_format(&axes[i], &b.axis[i], lb, sizeof(lb));
		assert_string_equal(la, lb);
	}
	assert_memory_equal(a.set, b.set, sizeof(a.set));
}

int run_matrix_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_workloads),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_write_round_trip),
	};

	return cmocka_run_group_tests_name("matrix", tests, NULL, NULL);
}
