// SPDX-License-Identifier: GPL-2.0
/* Text and markdown tables: widths, alignment, the 80-column limit. */
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "grid.h"
#include "mtable.h"
#include "numfmt.h"
#include "report_tests.h"

static void test_align(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct grid g;

	(void)state;
	grid_init(&g, 3, 1);
	g.col[0].left = true;
	grid_add_row(&g);
	grid_set(&g, 0, 0, "bs");
	grid_set(&g, 0, 1, "copy");
	grid_set(&g, 0, 2, "mkspecial");
	grid_add_row(&g);
	grid_set(&g, 1, 0, "4k");
	grid_set(&g, 1, 1, "%.2f", 8635.18);
	grid_set(&g, 1, 2, "%.2f", 3.1);
	grid_add_row(&g);
	grid_set(&g, 2, 0, "1024k");
	grid_set(&g, 2, 1, "1");
	assert_int_equal(grid_col_width(&g, 1), 7);
	assert_int_equal(grid_col_width(&g, 2), 9);
	/* 5 + 2 + 7 + 2 + 9 */
	assert_int_equal(grid_text_width(&g), 25);
	assert_int_equal(grid_text(&g, &out, "", 80), 1);
	/* Labels left, numbers right, no trailing blanks. */
	assert_string_equal(sb_str(&out),
			    "bs        copy  mkspecial\n"
			    "4k     8635.18       3.10\n"
			    "1024k        1\n");
	grid_free(&g);
	sb_free(&out);
}

static void test_wrap(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct grid g;
	const char *p;
	int lines = 0;

	(void)state;
	/* A key column and 10 glued pairs of 12: too wide for 40 columns. */
	grid_init(&g, 21, 1);
	g.header_rows = 1;
	g.span_header = true;
	g.col[0].left = true;
	grid_add_row(&g);
	grid_add_row(&g);
	grid_set(&g, 1, 0, "Hmean 4k");
	for (int c = 1; c < 21; c += 2) {
		g.col[c + 1].glued = true;
		g.col[c + 1].gap = 1;
		grid_set(&g, 0, c, "mode%d", c);
		grid_set(&g, 1, c, "%d.00", 10000 + c);
		grid_set(&g, 1, c + 1, "( -1.00%%)");
	}
	assert_true(grid_text(&g, &out, "  ", 40) > 1);
	assert_fits(sb_str(&out), 40);
	/* The key column starts every block; a pair is never split. */
	for (p = sb_str(&out); (p = strstr(p, "Hmean 4k")); p++)
		lines++;
	assert_true(lines > 1);
	for (p = sb_str(&out); *p; p = strchr(p, '\n') + 1) {
		const char *v = strstr(p, "00.00");
		const char *nl = strchr(p, '\n');

		if (v && v < nl)
			assert_non_null(strstr(v, "%)"));
	}
	grid_free(&g);
	sb_free(&out);
}

static void test_span_header(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct grid g;

	(void)state;
	grid_init(&g, 3, 1);
	g.header_rows = 1;
	g.span_header = true;
	g.col[0].left = true;
	g.col[2].glued = true;
	g.col[2].gap = 1;
	grid_add_row(&g);
	grid_set(&g, 0, 1, "vm_insert_pages");
	grid_add_row(&g);
	grid_set(&g, 1, 0, "4k");
	grid_set(&g, 1, 1, "1.00");
	grid_set(&g, 1, 2, "(  0.00%%)");
	grid_text(&g, &out, "", 80);
	/* The name sits over value and change, right-aligned; it widens them. */
	assert_string_equal(sb_str(&out),
			    "    vm_insert_pages\n"
			    "4k   1.00 (  0.00%)\n");
	grid_free(&g);
	sb_free(&out);
}

static void test_markdown(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct grid g;

	(void)state;
	grid_init(&g, 2, 1);
	g.header_rows = 1;
	g.col[0].left = true;
	grid_add_row(&g);
	grid_set(&g, 0, 0, "bs");
	grid_set(&g, 0, 1, "a|b");
	grid_add_row(&g);
	grid_set(&g, 1, 0, "4k");
	grid_set(&g, 1, 1, "1 ± 2");
	grid_markdown(&g, &out);
	assert_string_equal(sb_str(&out),
			    "| bs | a\\|b |\n"
			    "| --- | ---: |\n"
			    "| 4k | 1 ± 2 |\n");
	grid_free(&g);
	sb_free(&out);
}

static void test_numfmt(void **state)
{
	char b[32];

	(void)state;
	fmt_pct(b, sizeof(b), -23.94, true);
	assert_string_equal(b, "*-23.94%*");
	fmt_pct(b, sizeof(b), 0, false);
	assert_string_equal(b, "(  0.00%)");
	fmt_pct(b, sizeof(b), -0.001, false);
	assert_string_equal(b, "(  0.00%)");
	fmt_pct(b, sizeof(b), NAN, true);
	assert_string_equal(b, "");
	fmt_value(b, sizeof(b), NAN, 2);
	assert_string_equal(b, "n/a");
	assert_int_equal(fmt_decimals(8635.18), 2);
	assert_int_equal(fmt_decimals(0.047), 3);
	assert_int_equal(fmt_decimals(0.0002), 4);
	assert_int_equal(fmt_decimals(INFINITY), 2);
	fmt_p(b, sizeof(b), 0.0004);
	assert_string_equal(b, "p<0.001");
	fmt_p(b, sizeof(b), 0.07939);
	assert_string_equal(b, "p=0.079");
}

/*
 * A run built in memory: nmodes modes (long names), 4k..1m, 3 repeats,
 * IOPS in the hundreds of thousands: the widest table a report prints.
 */
static void wide_run(struct run *r, size_t nmodes)
{
	static const char *const names[] = {
		"copy", "vm_insert_pages", "remap_pfn_range", "mkspecial",
		"user_copy", "a_future_mode",
	};
	const unsigned long bs[] = { 4096, 65536, 1 << 20 };
	const char *const bs_text[] = { "4k", "64k", "1m" };
	int iops = metric_find("iops");
	size_t n = 0;

	memset(r, 0, sizeof(*r));
	r->recs = calloc(nmodes * 3 * 3, sizeof(*r->recs));
	for (size_t m = 0; m < nmodes; m++)
		for (size_t b = 0; b < 3; b++)
			for (unsigned int rep = 1; rep <= 3; rep++) {
				struct rec *x = &r->recs[n++];

				x->key.mode = names[m];
				x->key.bs = bs[b];
				snprintf(x->bs_text, sizeof(x->bs_text), "%s", bs_text[b]);
				x->key.io = "direct";
				x->key.rw.name = "randread";
				snprintf(x->cell_id, sizeof(x->cell_id), "%s-%s", names[m], bs_text[b]);
				x->repeat = rep;
				x->ok = true;
				for (unsigned int k = 0; k < nr_metrics; k++)
					x->m[k] = NAN;
				x->m[iops] = 987654.32 / (m + 1) * (1 + 0.01 * rep);
			}
	r->nrecs = n;
	snprintf(r->id, sizeof(r->id), "wide");
}

static void test_mtable_80_columns(void **state)
{
	int iops = metric_find("iops");

	(void)state;
	for (size_t nmodes = 2; nmodes <= 6; nmodes++) {
		struct strbuf out = STRBUF_INIT;
		struct dataset d;
		struct run r;

		wide_run(&r, nmodes);
		dataset_build(&d, &r);
		mtable_text(&d, 0, iops, 0.05, "", 80, &out);
		assert_fits(sb_str(&out), 80);
		/* mmtests rows, the baseline first, every mode named. */
		assert_non_null(strstr(sb_str(&out), "Amean    4k"));
		assert_non_null(strstr(sb_str(&out), "Min      4k"));
		assert_non_null(strstr(sb_str(&out), "CI95     1m"));
		assert_non_null(strstr(sb_str(&out), "CoeffVar 1m"));
		assert_non_null(strstr(sb_str(&out), "Stddev   1m"));
		for (size_t m = 0; m < nmodes; m++)
			assert_non_null(strstr(sb_str(&out), d.modes[m]));
		sb_free(&out);
		dataset_free(&d);
		free(r.recs);
	}
}

int run_grid_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_align),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_span_header),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_numfmt),
		cmocka_unit_test(test_mtable_80_columns),
	};

	return cmocka_run_group_tests_name("grid", tests, NULL, NULL);
}
