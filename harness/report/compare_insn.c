// SPDX-License-Identifier: GPL-2.0
/* compare's gate on instructions per device request (compare_insn.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare_insn.h"
#include "grid.h"
#include "numfmt.h"
#include "schema.h"

/* The new run's cell when both runs have counts for it, else NULL. */
static const struct cellstat *profiled_pair(const struct dataset *new,
					    const struct cellstat *cb)
{
	const struct cellstat *cn = dataset_find_cell(new, cb->cell_id);

	return cn && cellstat_has_insn(cb) && cellstat_has_insn(cn) ? cn : NULL;
}

void insn_gate_scan(const struct dataset *base, const struct dataset *new,
		    struct insn_gate *g)
{
	memset(g, 0, sizeof(*g));
	for (size_t i = 0; i < base->ncells; i++) {
		const struct cellstat *cb = &base->cells[i];
		const struct cellstat *cn = dataset_find_cell(new, cb->cell_id);
		bool b, n;

		if (!cn)
			continue;
		b = cellstat_has_insn(cb);
		n = cellstat_has_insn(cn);
		g->cells += b && n;
		g->only_base += b && !n;
		g->only_new += n && !b;
	}
}

static void note(const char *side, unsigned int cells, bool all, struct strbuf *out)
{
	char line[160];

	if (!cells)
		return;
	if (all)
		snprintf(line, sizeof(line), "instruction counts: only in %s, not compared",
			 side);
	else
		snprintf(line, sizeof(line), "instruction counts: %u cell%s only in %s, "
			 "not compared", cells, cells == 1 ? "" : "s", side);
	sb_wrap(out, line, "  note  ", "        ", TEXT_WIDTH);
}

void insn_gate_header(const struct insn_gate *g, double tolerance,
		      struct strbuf *out)
{
	char line[512];

	if (g->cells) {
		snprintf(line, sizeof(line),
			 "FAIL: instructions per device request (PROFILE=insn) in "
			 "a group of the request path's own work changed by more "
			 "than %.1f%%; a tiny one (below %g%% of the cell's total "
			 "or %g per request) is shown, not gated.  The total and the "
			 "groups that follow time and memory rather than the request "
			 "(zero, block, syscall, sched, other, user; remap_pfn_range's "
			 "map, unmap and ubmap follow the pages' physical layout) are "
			 "shown, marked \"-\", not gated.",
			 tolerance, INSN_TINY_PCT, INSN_TINY_ABS);
		sb_wrap(out, line, "  insn  ", "        ", TEXT_WIDTH);
	}
	note("base", g->only_base, !g->cells && !g->only_new, out);
	note("new", g->only_new, !g->cells && !g->only_base, out);
}

enum insn_verdict { IV_SAME, IV_FAIL, IV_TINY, IV_UNGATED };
static const char *const verdict_text[] = { "same", "FAIL", "tiny", "-" };

/* @total: the base cell's total; @gated: insn_gated() of the row's group. */
static enum insn_verdict judge(double b, double n, double total, double tolerance,
			       bool gated)
{
	if (!gated)
		return IV_UNGATED;
	if (fabs(n - b) <= tolerance / 100 * fabs(b))
		return IV_SAME;
	if (total > 0 && fmax(b, n) < fmax(INSN_TINY_ABS, INSN_TINY_PCT / 100 * total))
		return IV_TINY;
	return IV_FAIL;
}

/* One row: a cell's total (@g INSN_TOTAL) or one of its groups. */
static void add_row(struct grid *grid, const struct cellstat *cb,
		    const struct cellstat *cn, int g, const char *label,
		    enum insn_verdict v)
{
	double b = cb->insn[g].mean, n = cn->insn[g].mean;
	double pct = stats_pct_change(b, n);
	size_t row = grid_add_row(grid);
	char num[32];

	grid_set(grid, row, 0, "%s", label);
	fmt_value(num, sizeof(num), b, 1);
	grid_set(grid, row, 1, "%s", num);
	fmt_value(num, sizeof(num), n, 1);
	grid_set(grid, row, 2, "%s", num);
	if (isnan(pct))
		snprintf(num, sizeof(num), v == IV_FAIL ? "* from 0*" : "(from 0)");
	else
		fmt_pct(num, sizeof(num), pct, v == IV_FAIL);
	grid_set(grid, row, 3, "%s", num);
	grid_set(grid, row, 4, "%s", verdict_text[v]);
}

/*
 * A cell's rows: its total under its label, then its groups indented, in
 * insn_groups.h's order.  With @changes_only a cell with no change beyond
 * the tolerance has no rows, and one with some shows its total and those.
 */
static void cell_rows(const struct dataset *base, const struct cellstat *cb,
		      const struct cellstat *cn, double tolerance,
		      bool changes_only, struct insn_gate *res, struct grid *grid)
{
	double total = cb->insn[INSN_TOTAL].mean;
	enum insn_verdict v[INSN_TOTAL + 1];
	bool shown[INSN_TOTAL + 1], any = false;
	char label[200];

	for (int g = 0; g <= INSN_TOTAL; g++) {
		double b = cb->insn[g].mean, n = cn->insn[g].mean;

		/* Idle and wait are time, not work; a group neither side ran says nothing. */
		shown[g] = !isnan(b) && !isnan(n) &&
			   (g == INSN_TOTAL || (insn_group_counted(g) && (b || n)));
		if (!shown[g])
			continue;
		v[g] = judge(b, n, total, tolerance,
			     g != INSN_TOTAL && insn_gated(g, cb->key.mode));
		res->rows++;
		res->changes += v[g] == IV_FAIL;
		res->tiny += v[g] == IV_TINY;
		any |= v[g] == IV_FAIL || v[g] == IV_TINY;
	}
	if (!shown[INSN_TOTAL] || (changes_only && !any))
		return;
	cellstat_label(base, cb, label, sizeof(label));
	add_row(grid, cb, cn, INSN_TOTAL, label, v[INSN_TOTAL]);
	for (int g = 0; g < INSN_TOTAL; g++) {
		if (!shown[g] || (changes_only && (v[g] == IV_SAME || v[g] == IV_UNGATED)))
			continue;
		snprintf(label, sizeof(label), "  %s", insn_group_name(g));
		add_row(grid, cb, cn, g, label, v[g]);
	}
}

void insn_gate_render(const struct dataset *base, const struct dataset *new,
		      double tolerance, bool changes_only, struct insn_gate *g,
		      struct strbuf *out)
{
	struct grid grid;

	/* label | base | new (change) | same, FAIL or tiny. */
	grid_init_base_new(&grid, avg_name(AVG_AMEAN));
	for (size_t i = 0; i < base->ncells; i++) {
		const struct cellstat *cb = &base->cells[i];
		const struct cellstat *cn = profiled_pair(new, cb);

		if (cn)
			cell_rows(base, cb, cn, tolerance, changes_only, g, &grid);
	}
	if (grid.rows > 1) {
		sb_printf(out, "\nInstructions per device request, must not change "
			  "by more than %.1f%%\n", tolerance);
		grid_text(&grid, out, "", TEXT_WIDTH);
	}
	grid_free(&grid);
}
