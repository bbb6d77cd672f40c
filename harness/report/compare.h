/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two runs of the same matrix, cell by cell and metric by metric: the
 * change, Welch's t-test over the repeats, and a verdict for CI; with the
 * instruction profile on both sides, its counts too (compare_insn.h).
 */
#ifndef REPORT_COMPARE_H
#define REPORT_COMPARE_H

#include <stdbool.h>

#include "compare_insn.h"
#include "dataset.h"
#include "strbuf.h"

#define DEFAULT_THRESHOLD_PCT	5.0
/*
 * An exact count "changed" when it moved by more than half the last digit
 * printed (0.005) and by more than one I/O in 10^4 (a stray request in a
 * cell of ~10^4 I/Os must not fail CI).
 */
#define EXACT_ABS_TOL		0.005
#define EXACT_REL_TOL		1e-4

struct compare_opts {
	double alpha;
	double threshold;	/* percent */
	bool force;
	bool changes_only;	/* rows that are marked or fail, no others */
	/*
	 * Gate on the exact counts only: against a baseline of another tier,
	 * whose times measure another machine but whose counts still hold.
	 */
	bool counts_only;
	/* Instructions per request (PROFILE=insn): the change that gates, percent. */
	double insn_tolerance;
};

struct compare_result {
	unsigned int rows;		/* cell x metric pairs compared */
	unsigned int better, worse;	/* significant or changed, by direction */
	unsigned int regressions;	/* throughput, gating */
	unsigned int count_changes;	/* exact counts, gating */
	unsigned int untested;		/* rows without two repeats a side */
	unsigned int only_base, only_new;	/* cells (with --force) */
	struct insn_gate insn;		/* instruction counts, gating */
};

/*
 * Why two runs cannot be compared (different tiers, unless only counts are
 * compared, or matrices), or "" when they can.
 */
void compare_refusal(const struct dataset *base, const struct dataset *new,
		     const struct compare_opts *o, char *buf, size_t len);

/* Cells both runs measured: with none, there is nothing to compare. */
size_t compare_common_cells(const struct dataset *base, const struct dataset *new);

/* Renders the comparison; fills res.  The caller checked compare_refusal. */
void compare_runs(const struct dataset *base, const struct dataset *new,
		  const struct compare_opts *o, struct compare_result *res,
		  struct strbuf *out);

#endif /* REPORT_COMPARE_H */
