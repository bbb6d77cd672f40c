// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <string.h>

#include "grid.h"
#include "numfmt.h"
#include "peers.h"
#include "util.h"

/* The limits the ratios are taken to, in column order. */
static const char *const all_limits[] = { "null_blk", "brd" };
#define MAX_LIMITS	2

bool peers_present(const struct dataset *d)
{
	if (d->run->nunavail || d->run->nbound)
		return true;
	for (size_t m = 0; m < d->nmodes; m++)
		if (dataset_is_peer(d, m))
			return true;
	return false;
}

static double mean_iops(const struct cellstat *c)
{
	int iops = metric_find("iops");

	return c && c->ok ? c->m[iops].mean : NAN;
}

static const char *bs_text(const struct dataset *d, unsigned long bs)
{
	for (size_t i = 0; i < d->ncells; i++)
		if (d->cells[i].key.bs == bs)
			return d->cells[i].bs_text;
	return "?";
}

static double bound_of(const struct run *r, unsigned long bs, bool libc)
{
	for (size_t i = 0; i < r->nbound; i++)
		if (r->bound[i].bs == bs)
			return libc ? r->bound[i].libc_bytes_per_s :
			       r->bound[i].bytes_per_s;
	return NAN;
}

static void set_num(struct grid *g, size_t row, size_t col, double v,
		    int decimals)
{
	char buf[32];

	if (!isfinite(v))
		return;		/* blank: nothing to compare with */
	fmt_value(buf, sizeof(buf), v, decimals);
	grid_set(g, row, col, "%s", buf);
}

/* The section's sizes with any cell, ascending (d->bs is). */
static size_t section_sizes(const struct dataset *d, size_t s,
			    unsigned long *out, size_t max)
{
	size_t n = 0;

	for (size_t b = 0; b < d->nbs && n < max; b++)
		for (size_t m = 0; m < d->nmodes; m++)
			if (dataset_cell(d, s, m, d->bs[b])) {
				out[n++] = d->bs[b];
				break;
			}
	return n;
}

static void section_grid(const struct dataset *d, size_t s, struct grid *g)
{
	unsigned long bs[(GRID_MAX_COLS - 1) / 2];
	const char *limits[MAX_LIMITS];
	int nlimits = 0, per_bs;
	size_t nbs, row;

	/* A ratio column only for a limit the run measured. */
	for (int l = 0; l < MAX_LIMITS; l++)
		if (dataset_mode(d, all_limits[l]) >= 0)
			limits[nlimits++] = all_limits[l];
	/* Columns per block size: IOPS, MiB/s, one ratio per limit. */
	per_bs = 2 + nlimits;
	nbs = section_sizes(d, s, bs, (GRID_MAX_COLS - 1) / per_bs);
	grid_init(g, 1 + nbs * per_bs, 1);
	g->header_rows = 1;
	row = grid_add_row(g);
	grid_set(g, row, 0, "%s", "target/mode");
	g->col[0].left = true;
	for (size_t b = 0; b < nbs; b++) {
		size_t c = 1 + b * per_bs;

		grid_set(g, row, c, "IOPS %s", bs_text(d, bs[b]));
		grid_set(g, row, c + 1, "MiB/s");
		for (int l = 0; l < nlimits; l++)
			grid_set(g, row, c + 2 + l, "/%s", limits[l]);
		for (int k = 0; k < per_bs; k++)
			g->col[c + k].gap = k ? 1 : 2;
	}
	for (size_t m = 0; m < d->nmodes; m++) {
		bool any = false;

		for (size_t b = 0; b < nbs; b++)
			any |= dataset_cell(d, s, m, bs[b]) != NULL;
		if (!any)
			continue;
		row = grid_add_row(g);
		grid_set(g, row, 0, "%s", d->modes[m]);
		for (size_t b = 0; b < nbs; b++) {
			double v = mean_iops(dataset_cell(d, s, m, bs[b]));
			size_t c = 1 + b * per_bs;

			set_num(g, row, c, v, 0);
			set_num(g, row, c + 1, v * bs[b] / (1 << 20), 1);
			for (int l = 0; l < nlimits; l++) {
				int lm = dataset_mode(d, limits[l]);
				double ref = lm < 0 ? NAN :
					     mean_iops(dataset_cell(d, s, lm, bs[b]));

				set_num(g, row, c + 2 + l, v / ref, 3);
			}
		}
	}
	if (!d->run->nbound)
		return;
	for (int libc = 0; libc < 2; libc++) {
		row = grid_add_row(g);
		grid_set(g, row, 0, libc ? "glibc memcpy" : "memcpy bound");
		for (size_t b = 0; b < nbs; b++) {
			double bw = bound_of(d->run, bs[b], libc);

			set_num(g, row, 1 + b * per_bs, bw / bs[b], 0);
			set_num(g, row, 2 + b * per_bs, bw / (1 << 20), 1);
		}
	}
}

static const char intro[] =
	"Every target and mode of a section side by side: IOPS (the mean over "
	"good repeats), its bandwidth, and the ratio to null_blk (the floor: "
	"memory_backed=0 beside the null store, =1 beside the ram store) and "
	"to brd (the one-copy limit of the ram store) at the same block size. "
	"The memcpy rows are one thread copying a block's bytes between two "
	"hot buffers in userspace in the same guest, the kernel's way (rep "
	"movsb) and glibc's, as copies/s and MiB/s: the limit of a path that "
	"copies every byte once (copy mode; ublk 6.1) on hardware, but not a "
	"bound under TCG, where emulated userspace copies and the kernel's run "
	"at unrelated speeds (compare the two rows with copy mode's); shown "
	"for comparison. Blank: no value (a record slowed from outside the "
	"guest has none of its times counted).";

void peers_render(const struct dataset *d, bool md, struct strbuf *out)
{
	const struct run *r = d->run;

	if (!peers_present(d))
		return;
	if (md)
		sb_printf(out, "\n## Targets side by side\n\n%s\n", intro);
	else {
		sb_puts(out, "\nTargets side by side\n");
		sb_wrap(out, intro, "  ", "  ", TEXT_WIDTH - 2);
	}
	for (size_t i = 0; i < r->nunavail; i++) {
		char line[300];

		snprintf(line, sizeof(line), "%s: %s", r->unavail[i].target,
			 r->unavail[i].why);
		if (md)
			sb_printf(out, "%s- %s\n", i ? "" : "\n", line);
		else
			sb_wrap(out, line, "  - ", "    ", TEXT_WIDTH - 2);
	}
	for (size_t s = 0; s < d->nsections; s++) {
		struct grid g;

		section_grid(d, s, &g);
		if (md) {
			sb_printf(out, "\n### %s\n\n", d->sections[s].title);
			grid_markdown(&g, out);
		} else {
			sb_printf(out, "\n  %s\n", d->sections[s].title);
			grid_text(&g, out, "  ", TEXT_WIDTH);
		}
		grid_free(&g);
	}
}
