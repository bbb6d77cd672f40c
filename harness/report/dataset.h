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
};

struct cellstat {
	struct cell key;
	char cell_id[160];
	char bs_text[16];
	unsigned int runs, ok;		/* records, and good ones */
	bool have_klog;
	unsigned int warn, warn_known, bug, oops;	/* summed */
	double fallback[FB_COUNT];	/* summed over good repeats */
	struct mstat m[METRICS_MAX];
	int section;
	int mode;			/* index in dataset.modes */
};

struct section {
	struct cell key;	/* mode and bs unused */
	char title[128];	/* "direct randread", "direct randread iodepth=8" */
	char slug[128];		/* the same, file-safe: "direct-randread-iodepth8" */
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
};

int dataset_build(struct dataset *d, const struct run *r);
void dataset_free(struct dataset *d);

/* The cell of a section at (mode, bs), or NULL. */
const struct cellstat *dataset_cell(const struct dataset *d, int section,
				    int mode, unsigned long bs);
int dataset_mode(const struct dataset *d, const char *mode);

/* "copy 4k direct randread" plus "axis=value" for the other varying axes. */
void cellstat_label(const struct dataset *d, const struct cellstat *c,
		    char *buf, size_t len);

/* Welch's test of a cell's metric against another's; -1 if untestable. */
int mstat_welch(const struct mstat *a, const struct mstat *b, struct welch *w);

/* The text of a block size, "4k", from the cells that have it. */
const char *dataset_bs_text(const struct dataset *d, unsigned long bs);

#endif /* REPORT_DATASET_H */
