// SPDX-License-Identifier: GPL-2.0
/*
 * report.txt (80 columns, mmtests-style rows, for mail) and report.md,
 * from the same dataset.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "findings.h"
#include "grid.h"
#include "header.h"
#include "mtable.h"
#include "numfmt.h"
#include "peers.h"
#include "plots.h"
#include "report_doc.h"

/* Report tables in reading order: counts first where times are emulated. */
static size_t report_metrics(const char *tier, int *idx)
{
	bool counts_first = tier_leads_with_counts(tier);
	size_t n = 0;

	for (int pass = 0; pass < 2; pass++)
		for (unsigned int m = 0; m < nr_metrics; m++) {
			bool is_count = !mtable_relative(m);

			if (!(metrics[m].places & MP_REPORT))
				continue;
			if (is_count == (counts_first ? pass == 0 : pass == 1))
				idx[n++] = m;
		}
	return n;
}

static void repeats_range(const struct dataset *d, unsigned int *lo,
			  unsigned int *hi)
{
	*lo = UINT_MAX;
	*hi = 0;
	for (size_t i = 0; i < d->ncells; i++) {
		if (d->cells[i].ok < *lo)
			*lo = d->cells[i].ok;
		if (d->cells[i].ok > *hi)
			*hi = d->cells[i].ok;
	}
}

/* "IOPS 48 tests, CPU time per I/O 48 tests": the families Holm ran over. */
static void family_sizes(const struct dataset *d, struct strbuf *out)
{
	size_t n = 0;

	for (unsigned int m = 0; m < nr_metrics; m++) {
		if (!metric_is_report_tested(&metrics[m]))
			continue;
		sb_printf(out, "%s%s %zu test%s", n++ ? ", " : "", metrics[m].title,
			  d->family[m], d->family[m] == 1 ? "" : "s");
	}
}

/* How host contention was judged, and how many runs it flagged. */
static void contention_method(const struct dataset *d, struct strbuf *out)
{
	const struct run_contention *rc = &d->cont;
	size_t good = d->run->nrecs - d->run->nfailed;

	/* A run from before the checks: say so, rather than "0 flagged". */
	if (!rc->have_samples && isnan(rc->calib_floor)) {
		sb_puts(out, " Host contention was not checked: this run has "
			"neither host samples (raw/host-samples.csv) nor "
			"calibration loops in its records; its times may "
			"include host stalls.");
		return;
	}
	sb_printf(out,
		  " Host contention: %zu of %zu good runs flagged, their times "
		  "left out of every timing statistic and their counts kept "
		  "(listed under \"Contended runs\"; a cell with no other good "
		  "run shows n/a for its times). A run is flagged when QEMU's "
		  "vCPU threads waited on a host run queue for over %.0f%% of the "
		  "time they wanted a CPU, another QEMU ran on the host, or the "
		  "guest's fixed calibration loop took over %.1fx the run's "
		  "fastest. ", rc->flagged, good, 100 * CONT_WAIT_SHARE_MAX,
		  CONT_CALIB_RATIO_MAX);
	if (!rc->have_samples)
		sb_puts(out, "This run has no host samples (raw/host-samples.csv): "
			"only the calibration loop judged it.");
	else
		sb_printf(out, "Host samples covered %zu of %zu runs; the guest "
			  "clock was %+.3f s off the host's (%s), windows widened "
			  "by %.2f s each way.", rc->sampled, d->run->nrecs,
			  rc->offset, rc->offset_measured ? "measured" :
			  "not measured: assumed", rc->tol);
	if (!isnan(rc->wait_share_max))
		sb_printf(out, " Highest vCPU run-queue wait of a run: %.0f%%.",
			  100 * rc->wait_share_max);
	if (isnan(rc->calib_floor))
		sb_puts(out, " The records carry no calibration loop.");
	else
		sb_printf(out, " Calibration loop: fastest %.2f ms, the slowest "
			  "run's %.2fx it.", rc->calib_floor / 1e6,
			  rc->calib_ratio_max);
}

static void method(const struct dataset *d, double alpha, bool md,
		   struct strbuf *out)
{
	/* Markdown would read *x%* as emphasis. */
	const char *mark = md ? "`*x%*`" : "*x%*";

	unsigned int lo, hi;

	repeats_range(d, &lo, &hi);
	if (lo == hi)
		sb_printf(out, "Every cell ran %u time%s. ", lo, lo == 1 ? "" : "s");
	else
		sb_printf(out, "Cells ran %u to %u times (failed runs left out). ", lo, hi);
	sb_printf(out,
		  "Every metric is the arithmetic mean over the repeats (Amean): "
		  "each repeat runs for the same time, so for IOPS and bandwidth "
		  "that is the pooled rate; latency percentiles are the mean of "
		  "each repeat's percentile, not a percentile of the pooled I/Os. "
		  "Rates and times show Min, Max, Amean, CI%g (half the width of "
		  "the Student t interval of the mean), Stddev (sample) and "
		  "CoeffVar (Stddev as %% of the mean). Each mode is compared "
		  "with %s: (x%%) is the difference of the means as %% of %s's "
		  "mean, the CI row beside it half the width of Welch's %g%% "
		  "interval of that difference, on the same scale. %s marks a "
		  "difference that Welch's two-sided t-test finds significant at "
		  "alpha = %g after Holm's correction over every pair of modes "
		  "at the same section and block size for that metric (",
		  100 * (1 - alpha), d->modes[0], d->modes[0], 100 * (1 - alpha),
		  mark, alpha);
	family_sizes(d, out);
	sb_puts(out,
		"); the interval is not adjusted, so it can exclude 0 where the "
		"corrected test is not significant. With one repeat nothing is "
		"tested. A mode that sent every request through copy shows n/a "
		"(fallback) for its times, which measure copy, and is in no "
		"comparison. Counts are per I/O fio completed, fallback % per "
		"device request; n/a means this machine could not measure it "
		"(never 0).");
	if (lo < 2)
		sb_puts(out, " Run more repeats (REPEAT=3) for significance.");
	contention_method(d, out);
}

/* Under TCG a time is QEMU's: every timing table says so in its heading. */
static void table_heading(int metric, const char *tier, char *buf, size_t len)
{
	size_t n;

	metric_heading(&metrics[metric], buf, len);
	n = strlen(buf);
	if (tier_leads_with_counts(tier) && metric_is_timing(&metrics[metric]))
		snprintf(buf + n, len - n, ", emulated time (TCG)");
}

/* WARN/BUG/Oops and failed runs per mode: one grid for text and markdown. */
static void klog_grid(const struct dataset *d, struct grid *g)
{
	grid_init(g, 7, 1);
	g->header_rows = 1;
	g->col[0].left = true;
	grid_add_row(g);
	grid_set(g, 0, 0, "mode");
	grid_set(g, 0, 1, "runs");
	grid_set(g, 0, 2, "failed");
	grid_set(g, 0, 3, "WARNING");
	grid_set(g, 0, 4, "known");
	grid_set(g, 0, 5, "BUG");
	grid_set(g, 0, 6, "Oops");
	for (size_t m = 0; m < d->nmodes; m++) {
		unsigned int v[6] = { 0 };
		bool have = false;
		size_t r = grid_add_row(g);

		for (size_t i = 0; i < d->ncells; i++) {
			const struct cellstat *c = &d->cells[i];

			if (c->mode != (int)m)
				continue;
			have |= c->have_klog;
			v[0] += c->runs;
			v[1] += c->runs - c->ok;
			v[2] += c->warn;
			v[3] += c->warn_known;
			v[4] += c->bug;
			v[5] += c->oops;
		}
		grid_set(g, r, 0, "%s", d->modes[m]);
		for (int k = 0; k < 6; k++) {
			if (k >= 2 && !have)
				grid_set(g, r, k + 1, "n/a");
			else
				grid_set(g, r, k + 1, "%u", v[k]);
		}
	}
}

static void underline(struct strbuf *out, const char *title, char c)
{
	sb_printf(out, "%s\n", title);
	sb_pad(out, c, utf8_width(title));
	sb_putc(out, '\n');
}

static void failed_runs_text(const struct run *r, struct strbuf *out,
			     bool md)
{
	if (!r->nfailed)
		return;
	if (md)
		sb_puts(out, "\n## Failed runs\n\n");
	else
		sb_puts(out, "\nFailed runs (left out of every table)\n");
	for (size_t i = 0; i < r->nrecs; i++) {
		const struct rec *x = &r->recs[i];
		char line[512];

		if (x->ok)
			continue;
		snprintf(line, sizeof(line), "%s rep %u: %s", x->cell_id, x->repeat,
			 x->error[0] ? x->error : "no reason recorded");
		if (md)
			sb_printf(out, "- `%s`\n", line);
		else
			sb_wrap(out, line, "  - ", "    ", TEXT_WIDTH - 2);
	}
}

static void contended_runs_text(const struct dataset *d, struct strbuf *out,
				bool md)
{
	const struct run *r = d->run;

	if (!d->cont.flagged)
		return;
	if (md)
		sb_puts(out, "\n## Contended runs\n\nTimes left out, counts kept.\n\n");
	else
		sb_puts(out, "\nContended runs (times left out, counts kept)\n");
	for (size_t i = 0; i < r->nrecs; i++) {
		const struct rec *x = &r->recs[i];
		char why[256], line[512];

		if (!x->ok || !d->cont.rec[i].why)
			continue;
		contention_describe(&d->cont.rec[i], why, sizeof(why));
		snprintf(line, sizeof(line), "%s rep %u: %s", x->cell_id, x->repeat, why);
		if (md)
			sb_printf(out, "- `%s`\n", line);
		else
			sb_wrap(out, line, "  - ", "    ", TEXT_WIDTH - 2);
	}
}

/* The findings, by group in the order the tier wants them. */
static void findings_render(const struct dataset *d, double alpha, bool md,
			    struct strbuf *out)
{
	enum finding_group order[FG_COUNT];
	struct findings f;

	findings_build(&f, d, alpha);
	findings_order(run_meta(d->run, "tier"), order);
	for (int k = 0; k < FG_COUNT; k++) {
		enum finding_group gr = order[k];

		if (!f.n[gr])
			continue;
		if (md)
			sb_printf(out, "\n### %s\n\n", f.title[gr]);
		else
			sb_printf(out, "  %s\n", f.title[gr]);
		for (size_t i = 0; i < f.n[gr]; i++)
			if (md)
				sb_printf(out, "- %s\n", f.item[gr][i]);
			else
				sb_wrap(out, f.item[gr][i], "  - ", "    ",
					TEXT_WIDTH - 2);
	}
	findings_free(&f);
}

void report_text(const struct dataset *d, double alpha, struct strbuf *out)
{
	const struct run *r = d->run;
	const char *tier = run_meta(r, "tier");
	int shown[METRICS_MAX];
	size_t nm = report_metrics(tier, shown);
	struct strbuf t = STRBUF_INIT;
	struct grid g;
	char title[200];

	snprintf(title, sizeof(title), "ubmap report: run %s", r->id);
	underline(out, title, '=');
	sb_puts(out, "\nEnvironment\n");
	header_text(r, out, TEXT_WIDTH - 2);
	sb_puts(out, "\nWhat the tier can show\n");
	sb_wrap(out, tier_statement(tier), NULL, "  ", TEXT_WIDTH - 2);
	sb_puts(out, "\nHow to read the tables\n");
	method(d, alpha, false, &t);
	sb_wrap(out, sb_str(&t), NULL, "  ", TEXT_WIDTH - 2);
	sb_free(&t);

	sb_puts(out, "\nFindings\n");
	findings_render(d, alpha, false, out);
	peers_render(d, false, out);

	sb_puts(out, "\nKernel log and failures per mode\n");
	klog_grid(d, &g);
	grid_text(&g, out, "  ", TEXT_WIDTH);
	grid_free(&g);
	sb_puts(out, "  (known: WARNINGs the bench recognised as already reported)\n");
	failed_runs_text(r, out, false);
	contended_runs_text(d, out, false);

	for (size_t s = 0; s < d->nsections; s++) {
		sb_putc(out, '\n');
		underline(out, d->sections[s].title, '-');
		for (size_t k = 0; k < nm; k++) {
			char h[128];

			if (!mtable_has_data(d, s, shown[k]))
				continue;
			table_heading(shown[k], tier, h, sizeof(h));
			sb_printf(out, "\n%s\n", h);
			mtable_text(d, s, shown[k], alpha, "", TEXT_WIDTH, out);
		}
	}
}

void report_markdown(const struct dataset *d, double alpha,
		     const char *link_prefix, struct strbuf *out)
{
	const struct run *r = d->run;
	const char *tier = run_meta(r, "tier");
	int shown[METRICS_MAX];
	size_t nm = report_metrics(tier, shown);
	struct grid g;

	sb_printf(out, "# ubmap report: run `%s`\n\n## Environment\n\n", r->id);
	header_markdown(r, out);
	sb_printf(out, "\n## What the tier can show\n\n%s\n\n## How to read the tables\n\n",
		  tier_statement(tier));
	method(d, alpha, true, out);
	sb_puts(out, " In markdown, significant changes are **bold**.\n\n## Findings\n");
	findings_render(d, alpha, true, out);
	peers_render(d, true, out);

	sb_puts(out, "\n## Kernel log and failures per mode\n\n");
	klog_grid(d, &g);
	grid_markdown(&g, out);
	grid_free(&g);
	sb_puts(out, "\nknown: WARNINGs the bench recognised as already reported.\n");
	failed_runs_text(r, out, true);
	contended_runs_text(d, out, true);

	for (size_t s = 0; s < d->nsections; s++) {
		sb_printf(out, "\n## %s\n", d->sections[s].title);
		for (size_t k = 0; k < nm; k++) {
			char h[128];

			if (!mtable_has_data(d, s, shown[k]))
				continue;
			table_heading(shown[k], tier, h, sizeof(h));
			sb_printf(out, "\n### %s\n\n", h);
			mtable_markdown(d, s, shown[k], alpha, out);
		}
		plots_markdown(d, s, link_prefix, out);
	}
}
