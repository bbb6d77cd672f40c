/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tables say, computed from the data: where each zero-copy mode
 * starts to beat copy, which mode wins at each size, what the counts are,
 * where requests fell back to copy, what the kernel log said.  A timing
 * claim is made only when Welch's test is significant after Holm's
 * correction over the report's family (dataset.h); under TCG, where time is
 * emulated, none is made and the findings say so.
 */
#ifndef REPORT_FINDINGS_H
#define REPORT_FINDINGS_H

#include "dataset.h"
#include "strbuf.h"

enum finding_group {
	FG_CROSSOVER,	/* smallest block size where a mode beats copy */
	FG_WINNER,	/* the fastest mode at each size */
	FG_COUNTS,	/* TLB flushes and map calls at the ends of the range */
	FG_FALLBACK,	/* requests a mode could not map */
	FG_KLOG,	/* WARN/BUG/Oops per mode */
	FG_WITHHELD,	/* timing claims not made, and why (TCG) */
	FG_COUNT
};

struct findings {
	const char *title[FG_COUNT];
	char **item[FG_COUNT];
	size_t n[FG_COUNT];
};

void findings_build(struct findings *f, const struct dataset *d, double alpha);
void findings_free(struct findings *f);

/* The groups in reading order for a tier: counts first under TCG. */
void findings_order(const char *tier, enum finding_group order[FG_COUNT]);

#endif /* REPORT_FINDINGS_H */
