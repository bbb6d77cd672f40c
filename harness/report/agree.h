/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Do two runs of a matrix agree?  Each run's own findings, the report's
 * mode-vs-reference contrasts (dataset_contrast: Welch, Holm over that
 * run's family), set side by side per comparison: a finding one run calls
 * significant must not be contradicted by the other.  Nothing is tested
 * across the runs; compare.h does that.
 */
#ifndef REPORT_AGREE_H
#define REPORT_AGREE_H

#include <stdbool.h>

#include "dataset.h"
#include "strbuf.h"

enum agree_verdict {
	AG_AGREE,		/* significant in one run or both, not contradicted */
	AG_UNDECIDED,		/* significant in neither */
	/*
	 * Significant in neither, yet the intervals share no point: the runs
	 * differ, but neither made a finding to contradict.
	 */
	AG_UNDECIDED_APART,
	/* Contradictions: significant in one run, and in the other... */
	AG_OPPOSITE,		/* ...an estimate of the opposite sign */
	AG_APART,		/* ...an interval that does not overlap */
};

static inline bool agree_is_contradiction(enum agree_verdict v)
{
	return v == AG_OPPOSITE || v == AG_APART;
}

/*
 * The verdict on one comparison from its contrast in run a and in run b,
 * both tested (V_BETTER, V_WORSE or V_SAME) with pct and pct_ci known.
 */
enum agree_verdict agree_judge(const struct contrast *a, const struct contrast *b);

struct agree_result {
	unsigned int judged;		/* tested in both runs */
	unsigned int significant;	/* of those, significant in one or both */
	unsigned int contradictions;
	unsigned int undecided;		/* significant in neither */
	unsigned int apart;		/* of those, intervals apart */
	unsigned int skipped;		/* in both runs, untested or fell back in one */
	unsigned int only_a, only_b;
};

/*
 * One table per metric m with want[m] set: every mode against the
 * reference mode (dataset.modes[0]) at each section and block size, in
 * either run, with a's and b's change +- CI, Holm's p and the verdict.
 */
void agree_runs(const struct dataset *a, const struct dataset *b,
		const bool want[METRICS_MAX], double alpha,
		struct agree_result *res, struct strbuf *out);

#endif /* REPORT_AGREE_H */
