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

static double mean_of(const struct cellstat *c, int metric)
{
	return c ? c->m[metric].mean : NAN;
}

/*
 * The 95% interval is per comparison, not adjusted: where it excludes 0
 * but Holm's p does not reach alpha, "no difference" would contradict it.
 */
static const char *same_words(const struct contrast *k)
{
	return fabs(k->pct) > k->pct_ci ? "not significant after Holm" :
	       "no significant difference";
}

/*
 * One size's verdict, "64k +10.0% +-2.7% (faster, Holm p<0.001)" or
 * "4k no significant difference (+2.0% +-7.0%)": the change of the means
 * as % of the reference's, half the width of its CI, and the corrected p.
 */
static void verdict_text(const struct contrast *k, const char *bs, char *buf,
			 size_t len)
{
	char p[16];

	fmt_p(p, sizeof(p), k->p_holm);
	switch (k->v) {
	case V_FALLBACK:
		snprintf(buf, len, "%s n/a (fallback)", bs);
		break;
	case V_UNTESTED:
		if (isnan(k->pct))
			snprintf(buf, len, "%s untested (no value)", bs);
		else
			snprintf(buf, len, "%s untested (%+.1f%%; fewer than 2 repeats)",
				 bs, k->pct);
		break;
	case V_SAME:
		snprintf(buf, len, "%s %s (%+.1f%% +-%.1f%%, Holm %s)", bs,
			 same_words(k), k->pct, k->pct_ci, p);
		break;
	default:
		snprintf(buf, len, "%s %+.1f%% +-%.1f%% (%s, Holm %s)", bs, k->pct,
			 k->pct_ci, k->v == V_BETTER ? "faster" : "slower", p);
		break;
	}
}

/*
 * Per mode, the smallest size from which it is significantly faster than
 * copy, and its verdict at every size: a mean above copy's is no claim.
 */
static void crossovers(struct findings *f, const struct dataset *d, int s,
		       int iops, double alpha)
{
	const char *title = d->sections[s].title, *base = d->modes[0];

	if (d->nmodes && dataset_is_peer(d, 0))
		return;
	for (size_t m = 1; m < d->nmodes; m++) {
		struct strbuf per = STRBUF_INIT;
		size_t first = d->nbs, cells = 0, fallback = 0;
		bool stays = true;
		char why[128] = "";

		if (dataset_is_peer(d, m))
			continue;

		for (size_t b = 0; b < d->nbs; b++) {
			const struct cellstat *c = dataset_cell(d, s, m, d->bs[b]);
			const struct cellstat *cb = dataset_cell(d, s, 0, d->bs[b]);
			struct contrast k;
			char v[128];

			if (!c || !cb)
				continue;
			cells++;
			dataset_contrast(d, iops, c, cb, alpha, &k);
			if (k.v == V_FALLBACK) {
				fallback++;
				if (!why[0])
					cellstat_fallback_reasons(c->all_fallback ? c : cb,
								  why, sizeof(why));
			}
			if (k.v == V_BETTER && first == d->nbs)
				first = b;
			else if (k.v != V_BETTER && first < d->nbs)
				stays = false;
			verdict_text(&k, c->bs_text, v, sizeof(v));
			sb_printf(&per, "%s%s", per.len ? "; " : "", v);
		}
		if (!cells) {
			sb_free(&per);
			continue;
		}
		if (fallback == cells)
			add(f, FG_CROSSOVER,
			    "%s: %s is not compared: it sent every request through "
			    "copy at every size (%s), so its IOPS are copy's.",
			    title, d->modes[m], why);
		else if (first == d->nbs)
			add(f, FG_CROSSOVER,
			    "%s: %s is not significantly faster than %s at any size: %s.",
			    title, d->modes[m], base, sb_str(&per));
		else
			add(f, FG_CROSSOVER, "%s: %s beats %s from %s%s: %s.", title,
			    d->modes[m], base, dataset_bs_text(d, d->bs[first]),
			    first == d->nbs - 1 ? "" : stays ? ", and at every larger size" :
			    ", but not at every larger size", sb_str(&per));
		sb_free(&per);
	}
}

/* Is a better than b on the metric's direction (means only)? */
static bool ahead(const struct cellstat *a, const struct cellstat *b, int metric)
{
	double x = mean_of(a, metric), y = mean_of(b, metric);

	return metrics[metric].higher_is_better ? x > y : x < y;
}

/*
 * The fastest mode at each size: the one with the best mean, claimed only
 * when it is significantly ahead of every other mode there.
 */
static void winners(struct findings *f, const struct dataset *d, int s,
		    int iops, double alpha)
{
	struct strbuf sb = STRBUF_INIT, out = STRBUF_INIT;

	for (size_t b = 0; b < d->nbs; b++) {
		const struct cellstat *cand[16], *win;
		size_t n = 0;

		for (size_t m = 0; m < d->nmodes && n < 16; m++) {
			const struct cellstat *c = dataset_cell(d, s, m, d->bs[b]);

			if (c && !isnan(mean_of(c, iops)) && !c->all_fallback &&
			    !dataset_is_peer(d, m))
				cand[n++] = c;
		}
		if (n < 2)
			continue;
		/* Best mean first. */
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 && ahead(cand[j], cand[j - 1], iops); j--) {
				const struct cellstat *t = cand[j];

				cand[j] = cand[j - 1];
				cand[j - 1] = t;
			}
		win = cand[0];
		sb_printf(&sb, "%s%s ", sb.len ? "; " : "", win->bs_text);
		for (size_t i = 1; i < n; i++) {
			struct contrast k;
			char p[16];

			dataset_contrast(d, iops, win, cand[i], alpha, &k);
			fmt_p(p, sizeof(p), k.p_holm);
			if (k.v == V_BETTER && i < n - 1)
				continue;
			if (k.v == V_BETTER) {
				/* Ahead of every other mode; name the runner-up. */
				dataset_contrast(d, iops, win, cand[1], alpha, &k);
				fmt_p(p, sizeof(p), k.p_holm);
				sb_printf(&sb, "%s fastest (%+.1f%% +-%.1f%% over %s, Holm %s)",
					  win->key.mode, k.pct, k.pct_ci, cand[1]->key.mode, p);
			} else if (k.v == V_UNTESTED)
				sb_printf(&sb, "undecided: %s has the best mean, %+.1f%% over "
					  "%s, untested (fewer than 2 repeats)",
					  win->key.mode, k.pct, cand[i]->key.mode);
			else
				sb_printf(&sb, "no fastest mode: %s has the best mean, %s "
					  "against %s (%+.1f%% +-%.1f%%, Holm %s)",
					  win->key.mode, same_words(&k), cand[i]->key.mode,
					  k.pct, k.pct_ci, p);
			break;
		}
	}
	if (sb.len) {
		size_t any = 0;

		sb_printf(&out, "%s: %s.", d->sections[s].title, sb_str(&sb));
		for (size_t m = 0; m < d->nmodes; m++) {
			bool fb = false;

			for (size_t b = 0; b < d->nbs; b++) {
				const struct cellstat *c = dataset_cell(d, s, m, d->bs[b]);

				fb |= c && c->all_fallback;
			}
			if (fb)
				sb_printf(&out, "%s%s", any++ ? ", " : " Left out where "
					  "every request was copied: ", d->modes[m]);
		}
		add(f, FG_WINNER, "%s%s", sb_str(&out), any ? "." : "");
	}
	sb_free(&sb);
	sb_free(&out);
}

/* Under TCG: what the report does not claim, and why. */
static void withheld(struct findings *f, const struct dataset *d, int iops,
		     double alpha)
{
	size_t sig = 0;

	for (size_t i = 0; i < d->ncmp; i++)
		sig += d->cmp[i].metric == iops && d->cmp[i].p_holm < alpha;
	add(f, FG_WITHHELD,
	    "Withheld: where each mode starts to beat %s (crossovers) and the "
	    "fastest mode at each size. Under TCG time is emulated: IOPS, "
	    "latency and CPU time measure how fast QEMU runs each code path, and "
	    "a TLB flush or an IPI costs emulator time, so a mode that wins here "
	    "need not win on hardware. Of the %zu IOPS comparisons, %zu are "
	    "significant after Holm; the tables below, headed as emulated "
	    "time, mark any. The counts above are real kernel events.",
	    d->modes[0], d->family[iops], sig);
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
	int mm_req = metric_find("tlb_local_mm_per_req");
	bool timing_withheld = tier_leads_with_counts(run_meta(d->run, "tier"));

	memset(f, 0, sizeof(*f));
	f->title[FG_CROSSOVER] =
		"Where each mode starts to beat copy (IOPS, Holm-corrected)";
	f->title[FG_WINNER] = "The fastest mode at each block size (IOPS, Holm-corrected)";
	f->title[FG_COUNTS] = "Counts at the smallest and largest block size";
	f->title[FG_WITHHELD] = "Timing findings withheld (TCG: emulated time)";
	f->title[FG_FALLBACK] = "Fallbacks to copy";
	f->title[FG_KLOG] = "Kernel log";
	for (size_t s = 0; s < d->nsections; s++) {
		if (!timing_withheld) {
			crossovers(f, d, s, iops, alpha);
			winners(f, d, s, iops, alpha);
		}
		counts(f, d, s, tlb);
		counts(f, d, s, mm_req);
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
	if (timing_withheld)
		withheld(f, d, iops, alpha);
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
		FG_WITHHELD,
	};
	static const enum finding_group counts_first[FG_COUNT] = {
		FG_COUNTS, FG_FALLBACK, FG_KLOG, FG_WITHHELD, FG_CROSSOVER,
		FG_WINNER,
	};

	memcpy(order, tier_leads_with_counts(tier) ? counts_first : time_first,
	       sizeof(time_first));
}
