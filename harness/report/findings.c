// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "header.h"
#include "numfmt.h"

static void add(struct findings *f, enum finding_group g, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(struct findings *f, enum finding_group g, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	f->item[g] = realloc(f->item[g], (f->n[g] + 1) * sizeof(char *));
	if (!f->item[g])
		abort();
	f->item[g][f->n[g]++] = s;
}

/* "significant, p=0.003", "not significant, p=0.21", "untested: 1 repeat". */
static void sig_text(const struct mstat *a, const struct mstat *b, double alpha,
		     char *buf, size_t len)
{
	struct welch w;
	char p[16];

	if (mstat_welch(a, b, &w)) {
		snprintf(buf, len, "untested: fewer than 2 repeats");
		return;
	}
	fmt_p(p, sizeof(p), w.p);
	snprintf(buf, len, "%ssignificant at %g, %s", w.p < alpha ? "" : "not ",
		 alpha, p);
}

static double mean_of(const struct cellstat *c, int metric)
{
	return c ? c->m[metric].mean : NAN;
}

static void crossovers(struct findings *f, const struct dataset *d, int s,
		       int iops, double alpha)
{
	const char *title = d->sections[s].title, *base = d->modes[0];

	for (size_t m = 1; m < d->nmodes; m++) {
		size_t first = d->nbs, b, tested = 0, best = d->nbs;
		double best_pct = -INFINITY;
		const struct cellstat *c, *cb;
		bool stays = true;
		char sig[64];

		for (b = 0; b < d->nbs; b++) {
			double pct;

			c = dataset_cell(d, s, m, d->bs[b]);
			cb = dataset_cell(d, s, 0, d->bs[b]);
			pct = stats_pct_change(mean_of(cb, iops), mean_of(c, iops));
			if (isnan(pct))
				continue;
			tested++;
			if (pct > best_pct) {
				best_pct = pct;
				best = b;
			}
			if (pct > 0 && first == d->nbs)
				first = b;
			else if (pct <= 0 && first < d->nbs)
				stays = false;
		}
		if (!tested)
			continue;
		if (first == d->nbs) {
			add(f, FG_CROSSOVER,
			    "%s: %s never beats %s (%s to %s); closest at %s (%+.1f%%).",
			    title, d->modes[m], base, dataset_bs_text(d, d->bs[0]),
			    dataset_bs_text(d, d->bs[d->nbs - 1]),
			    dataset_bs_text(d, d->bs[best]), best_pct);
			continue;
		}
		c = dataset_cell(d, s, m, d->bs[first]);
		cb = dataset_cell(d, s, 0, d->bs[first]);
		sig_text(&c->m[iops], &cb->m[iops], alpha, sig, sizeof(sig));
		add(f, FG_CROSSOVER, "%s: %s beats %s from %s: %+.1f%% IOPS (%s)%s.",
		    title, d->modes[m], base, dataset_bs_text(d, d->bs[first]),
		    stats_pct_change(mean_of(cb, iops), mean_of(c, iops)), sig,
		    first == d->nbs - 1 ? "" : stays ? ", and at every larger size" :
		    ", but not at every larger size");
	}
}

static void winners(struct findings *f, const struct dataset *d, int s,
		    int iops, double alpha)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t b = 0; b < d->nbs; b++) {
		const struct cellstat *win = NULL, *second = NULL;
		char sig[64];

		for (size_t m = 0; m < d->nmodes; m++) {
			const struct cellstat *c = dataset_cell(d, s, m, d->bs[b]);

			if (!c || isnan(mean_of(c, iops)))
				continue;
			if (!win || mean_of(c, iops) > mean_of(win, iops)) {
				second = win;
				win = c;
			} else if (!second || mean_of(c, iops) > mean_of(second, iops)) {
				second = c;
			}
		}
		if (!win)
			continue;
		sb_printf(&sb, "%s%s %s", sb.len ? "; " : "",
			  dataset_bs_text(d, d->bs[b]), win->key.mode);
		if (second) {
			sig_text(&win->m[iops], &second->m[iops], alpha, sig, sizeof(sig));
			sb_printf(&sb, " (%+.1f%% over %s, %s)",
				  stats_pct_change(mean_of(second, iops), mean_of(win, iops)),
				  second->key.mode, sig);
		}
	}
	if (sb.len)
		add(f, FG_WINNER, "%s: %s.", d->sections[s].title, sb_str(&sb));
	sb_free(&sb);
}

/* One count at the smallest and the largest size, every mode. */
static void counts(struct findings *f, const struct dataset *d, int s,
		   int metric)
{
	struct strbuf sb = STRBUF_INIT;
	size_t ends[2] = { 0, d->nbs - 1 };

	for (int e = 0; e < (d->nbs > 1 ? 2 : 1); e++) {
		size_t any = 0;

		for (size_t m = 0; m < d->nmodes; m++) {
			const struct cellstat *c = dataset_cell(d, s, m, d->bs[ends[e]]);

			if (isnan(mean_of(c, metric)))
				continue;
			/* "at 4k: copy 0.05, mkspecial 3.00; at 1m: ..." */
			if (!any++)
				sb_printf(&sb, "%sat %s: ", e ? "; " : "",
					  dataset_bs_text(d, d->bs[ends[e]]));
			else
				sb_puts(&sb, ", ");
			sb_printf(&sb, "%s %.2f", d->modes[m], mean_of(c, metric));
		}
	}
	if (sb.len)
		add(f, FG_COUNTS, "%s, %s: %s.", d->sections[s].title,
		    metrics[metric].title, sb_str(&sb));
	sb_free(&sb);
}

static void fallbacks(struct findings *f, const struct dataset *d, int s,
		      int fb)
{
	for (size_t m = 0; m < d->nmodes; m++) {
		double lo = INFINITY, hi = -INFINITY, reason[FB_COUNT] = { 0 };
		struct strbuf why = STRBUF_INIT;
		size_t sizes = 0;

		for (size_t b = 0; b < d->nbs; b++) {
			const struct cellstat *c = dataset_cell(d, s, m, d->bs[b]);
			double v = mean_of(c, fb);

			if (isnan(v))
				continue;
			sizes++;
			lo = fmin(lo, v);
			hi = fmax(hi, v);
			for (int r = 0; r < FB_COUNT; r++)
				reason[r] += c->fallback[r];
		}
		if (!sizes || hi <= 0)
			continue;
		for (int r = 0; r < FB_COUNT; r++)
			if (reason[r] > 0)
				sb_printf(&why, "%s%s", why.len ? ", " : "",
					  fallback_reason_name[r]);
		if (lo == hi)
			add(f, FG_FALLBACK,
			    "%s: %s sent %.1f%% of device requests through copy at %s (%s).",
			    d->sections[s].title, d->modes[m], hi,
			    sizes > 1 ? "every size" : "its only size",
			    why.len ? sb_str(&why) : "reason not recorded");
		else
			add(f, FG_FALLBACK,
			    "%s: %s sent %.1f%% to %.1f%% of device requests through copy (%s).",
			    d->sections[s].title, d->modes[m], lo, hi,
			    why.len ? sb_str(&why) : "reason not recorded");
		sb_free(&why);
	}
}

static void klog(struct findings *f, const struct dataset *d)
{
	bool any_log = false;

	for (size_t m = 0; m < d->nmodes; m++) {
		unsigned int warn = 0, known = 0, bug = 0, oops = 0, runs = 0;

		for (size_t i = 0; i < d->ncells; i++) {
			const struct cellstat *c = &d->cells[i];

			if (c->mode != (int)m || !c->have_klog)
				continue;
			any_log = true;
			runs += c->runs;
			warn += c->warn;
			known += c->warn_known;
			bug += c->bug;
			oops += c->oops;
		}
		if (warn || bug || oops)
			add(f, FG_KLOG,
			    "%s: %u WARNING (%u known), %u BUG, %u Oops in the kernel log over %u runs.",
			    d->modes[m], warn, known, bug, oops, runs);
	}
	if (!any_log)
		add(f, FG_KLOG, "The kernel log was not read in this run (not root?).");
	else if (!f->n[FG_KLOG])
		add(f, FG_KLOG, "No WARNING, BUG or Oops in the kernel log, in any mode.");
}

void findings_build(struct findings *f, const struct dataset *d, double alpha)
{
	int iops = metric_find("iops"), tlb = metric_find("tlb_flushes_per_io");
	int calls = metric_find("map_calls_per_io"), fb = metric_find("fallback_pct");

	memset(f, 0, sizeof(*f));
	f->title[FG_CROSSOVER] = "Where each mode starts to beat copy (IOPS)";
	f->title[FG_WINNER] = "The fastest mode at each block size (IOPS)";
	f->title[FG_COUNTS] = "Counts at the smallest and largest block size";
	f->title[FG_FALLBACK] = "Fallbacks to copy";
	f->title[FG_KLOG] = "Kernel log";
	for (size_t s = 0; s < d->nsections; s++) {
		crossovers(f, d, s, iops, alpha);
		winners(f, d, s, iops, alpha);
		counts(f, d, s, tlb);
		counts(f, d, s, calls);
		fallbacks(f, d, s, fb);
	}
	if (!f->n[FG_FALLBACK]) {
		bool counted = false;

		for (size_t i = 0; i < d->ncells; i++)
			counted |= d->cells[i].m[fb].n > 0;
		add(f, FG_FALLBACK, counted ? "No mode fell back to copy anywhere." :
		    "No fallback counts in this run (no module stats).");
	}
	klog(f, d);
}

void findings_free(struct findings *f)
{
	for (int g = 0; g < FG_COUNT; g++) {
		for (size_t i = 0; i < f->n[g]; i++)
			free(f->item[g][i]);
		free(f->item[g]);
	}
	memset(f, 0, sizeof(*f));
}

void findings_order(const char *tier, enum finding_group order[FG_COUNT])
{
	static const enum finding_group time_first[FG_COUNT] = {
		FG_CROSSOVER, FG_WINNER, FG_COUNTS, FG_FALLBACK, FG_KLOG,
	};
	static const enum finding_group counts_first[FG_COUNT] = {
		FG_COUNTS, FG_FALLBACK, FG_KLOG, FG_CROSSOVER, FG_WINNER,
	};

	memcpy(order, tier_leads_with_counts(tier) ? counts_first : time_first,
	       sizeof(time_first));
}
