/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A run's records grouped by cell, with every metric summarised over the
 * repeats once; the report, the plots and compare render from this.
 *
 * A section is what one report table covers: every axis but mode and
 * block size fixed ("direct randread"); its cells are the modes x sizes.
 */
#ifndef REPORT_DATASET_H
#define REPORT_DATASET_H

#include "contention.h"
#include "schema.h"
#include "records.h"
#include "repeat_stats.h"

/*
 * The order a report names a cell's axes in: mode and block size, then
 * those that make its section.
 */
extern const int key_order[AX_COUNT];

/* One metric over a cell's good repeats. */
struct mstat {
	size_t n;		/* values that are not NAN */
	double *v;		/* every good repeat, NAN kept in place */
	size_t nv;
	double mean;		/* as metrics[].avg says */
	double sd;		/* NAN below two values */
	double min, max;
	double cv;		/* sd / |mean|, as a percentage (mmtests' CoeffVar) */
};

struct cellstat {
	struct cell key;
	char cell_id[160];
	char bs_text[16];
	unsigned int runs, ok;		/* records, and good ones */
	unsigned int contended;		/* good ones whose times are left out */
	bool have_klog;
	unsigned int warn, warn_known, bug, oops;	/* summed */
	double fallback[FB_COUNT];	/* summed over good repeats */
	struct mstat m[METRICS_MAX];
	/*
	 * Instructions per device request by group, then the total
	 * (rec.insn), over the good repeats; n is 0 in an unprofiled cell.
	 */
	struct mstat insn[INSN_TOTAL + 1];
	/*
	 * Every device request of every good repeat fell back to copy: the
	 * cell's times measure copy, not its mode.  Its timing metrics are
	 * shown as n/a and it is in no comparison.
	 */
	bool all_fallback;
	int section;
	int mode;			/* index in dataset.modes */
};

struct section {
	struct cell key;	/* mode and bs unused */
	char title[128];	/* "direct randread", "direct randread iodepth=8" */
	char slug[128];		/* the same, file-safe: "direct-randread-iodepth8" */
};

/*
 * One test the report makes: two modes' cells of one section and block
 * size, on one timing metric.  A metric's family is every such pair whose
 * cells both have two repeats or more and neither fell back entirely;
 * Holm's correction runs over each family.
 */
struct comparison {
	size_t a, b;		/* indices into dataset.cells, a's mode first */
	int metric;
	struct welch w;		/* mean(a) - mean(b) */
	double p_holm;
};

struct dataset {
	const struct run *run;
	struct cellstat *cells;
	size_t ncells;
	struct section *sections;
	size_t nsections;
	/*
	 * modes[0] is the baseline every other mode is measured against:
	 * copy when the run has it, else the first mode the run met.
	 */
	char (*modes)[32];
	size_t nmodes;
	unsigned long *bs;	/* ascending */
	size_t nbs;
	unsigned int varying;	/* 1 << AX_x for every axis with two values */
	struct comparison *cmp;
	size_t ncmp;
	size_t family[METRICS_MAX];	/* tests per metric */
	/* Per record of the run: slowed from outside the guest? */
	struct run_contention cont;
};

int dataset_build(struct dataset *d, const struct run *r);
void dataset_free(struct dataset *d);

/* The cell with this id, or NULL. */
const struct cellstat *dataset_find_cell(const struct dataset *d, const char *cell_id);
/* Whether any good repeat of the cell carried the instruction profile. */
static inline bool cellstat_has_insn(const struct cellstat *c)
{
	return c->insn[INSN_TOTAL].n > 0;
}

/* The cell of a section at (mode, bs), or NULL. */
const struct cellstat *dataset_cell(const struct dataset *d, int section,
				    int mode, unsigned long bs);
int dataset_mode(const struct dataset *d, const char *mode);
/*
 * modes[m] names a peer (null_blk, brd, ...), not a mode of ubmap's: the
 * findings compare ubmap's modes; peers are their references (peers.c).
 */
bool dataset_is_peer(const struct dataset *d, size_t m);
/*
 * Has the section a cell at bs in any mode?  A matrix of blocks gives
 * sections their own sizes; tables leave out the rows of the others.
 */
bool dataset_section_has_bs(const struct dataset *d, int section,
			    unsigned long bs);

/* "copy 4k direct randread" plus "axis=value" for the other varying axes. */
void cellstat_label(const struct dataset *d, const struct cellstat *c,
		    char *buf, size_t len);

/* Welch's test of a cell's metric against another's; -1 if untestable. */
int mstat_welch(const struct mstat *a, const struct mstat *b, struct welch *w);

/* Half the width of the mean's t confidence interval at level. */
double mstat_ci(const struct mstat *s, double level);

/* What a timing metric of cell x says against cell ref. */
enum verdict {
	V_BETTER,	/* significant after Holm, in the better direction */
	V_WORSE,
	V_SAME,		/* no significant difference */
	V_UNTESTED,	/* fewer than 2 repeats on a side, or no value */
	V_FALLBACK,	/* x or ref fell back to copy entirely */
};

struct contrast {
	enum verdict v;
	/*
	 * The difference of the means as a percentage of ref's mean, and half
	 * the width of Welch's (1 - alpha) interval of that difference on the
	 * same scale (ref's mean taken as exact).
	 */
	double pct, pct_ci;
	double p, p_holm;	/* NAN when untested */
	size_t family;		/* tests Holm corrected over */
};

void dataset_contrast(const struct dataset *d, int metric,
		      const struct cellstat *x, const struct cellstat *ref,
		      double alpha, struct contrast *c);

/* Did Holm's correction leave the difference significant? */
static inline bool contrast_significant(const struct contrast *c)
{
	return c->v == V_BETTER || c->v == V_WORSE;
}

/* Is the metric n/a in this cell: a time of a mode that only copied? */
bool cellstat_timing_na(const struct cellstat *c, int metric);

/* "anon_page, unaligned": why a cell's requests fell back. */
void cellstat_fallback_reasons(const struct cellstat *c, char *buf, size_t len);

/* The text of a block size, "4k", from the cells that have it. */
const char *dataset_bs_text(const struct dataset *d, unsigned long bs);

#endif /* REPORT_DATASET_H */
