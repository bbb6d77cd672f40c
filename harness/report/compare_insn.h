/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compare's instruction gate, for runs made with PROFILE=insn: instructions
 * per device request by gated group (insn_groups.h, schema.h's insn_gated()),
 * cell by cell; the total and the other groups are shown beside them.  Under TCG the counts do not follow the host's speed, so they
 * gate within a tolerance, with no test over the repeats.
 */
#ifndef REPORT_COMPARE_INSN_H
#define REPORT_COMPARE_INSN_H

#include <stdbool.h>

#include "dataset.h"
#include "strbuf.h"

/*
 * The plugin counts within 1 % (t-insn.sh), but a cell's gated groups move
 * more than that between two runs of the same build: the pages' physical
 * layout sets how many segments a request's bio has (user_copy 1m's module
 * code -3.3 % in the A/A of README's PROFILE section).  5 % passes that A/A
 * and still catches a tenth more work in any gated group.
 */
#define DEFAULT_INSN_TOLERANCE_PCT	5.0
/*
 * A group is tiny when it holds, on both sides, less than 1 % of the base
 * cell's total or fewer than 50 instructions per request.  Its change is
 * shown but does not gate on its own: a 1 % change of 1 % of the total is
 * 1e-4 of a request, the size of what lands in a window by timing (an
 * interrupt, a timer tick, a block counted whole when it faults) rather
 * than what the code does; and below 50 a group moves in whole calls of a
 * short function spread over the requests (tlb's few per request).  The
 * total still carries it, and a group that grows past either bound gates.
 */
#define INSN_TINY_PCT			1.0
#define INSN_TINY_ABS			50.0

struct insn_gate {
	/* insn_gate_scan(), over the cells both runs have: */
	unsigned int cells;		/* with counts on both sides: compared */
	unsigned int only_base, only_new;	/* with counts on one side */
	/* insn_gate_render(): */
	unsigned int rows;		/* cell x (total or group) pairs */
	unsigned int changes;		/* beyond the tolerance: gating */
	unsigned int tiny;		/* beyond it in a tiny group: shown only */
};

/* Which cells have instruction counts on which side; zeroes the rest. */
void insn_gate_scan(const struct dataset *base, const struct dataset *new,
		    struct insn_gate *g);

/*
 * compare's header lines: the gate's rule when it applies, a note for
 * counts on one side only, nothing when neither run has any.
 */
void insn_gate_header(const struct insn_gate *g, double tolerance,
		      struct strbuf *out);

/*
 * The block of every cell both runs profiled: total and groups, base, new,
 * the change and same / FAIL / tiny; with @changes_only, only the rows
 * beyond the tolerance.  Counts rows, changes and tiny into @g.
 */
void insn_gate_render(const struct dataset *base, const struct dataset *new,
		      double tolerance, bool changes_only, struct insn_gate *g,
		      struct strbuf *out);

#endif /* REPORT_COMPARE_INSN_H */
