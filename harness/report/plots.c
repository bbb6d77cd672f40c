// SPDX-License-Identifier: GPL-2.0
/* A run's plots: data files, the variables bs_plot.gp reads, gnuplot. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "gnuplot.h"
#include "mtable.h"
#include "plots.h"

#define SPEEDUP		"speedup"

void plot_base(char *buf, size_t len, const char *run_dir, const char *slug,
	       const char *plot)
{
	snprintf(buf, len, "%s/plots/%s-%s", run_dir, slug, plot);
}

/* Speed-up over the baseline and its error, propagated from both sds. */
static void speedup(const struct dataset *d, const struct cellstat *c,
		    int iops, double *v, double *err)
{
	const struct cellstat *b = dataset_cell(d, c->section, 0, c->key.bs);
	double x, y, sx, sy;

	*v = *err = NAN;
	if (!b)
		return;
	x = c->m[iops].mean;
	y = b->m[iops].mean;
	if (!(y > 0))
		return;
	*v = x / y;
	sx = isnan(c->m[iops].sd) ? 0 : c->m[iops].sd;
	sy = isnan(b->m[iops].sd) ? 0 : b->m[iops].sd;
	*err = *v * sqrt(pow(sx / x, 2) + pow(sy / y, 2));
}

/*
 * One block per mode (gnuplot "index"), rows by block size: bs, its
 * label, repeats, then mean and sd of every MP_PLOT metric, then the
 * speed-up.  Column numbers follow metrics[] order.
 */
static int write_data(const struct dataset *d, int s, const char *path)
{
	int iops = metric_find("iops");
	struct strbuf sb = STRBUF_INIT;
	int col = 4, ret;

	sb_printf(&sb, "# ubmap-report plot data: run %s, %s\n# 1 bs 2 label 3 n",
		  d->run->id, d->sections[s].title);
	for (unsigned int m = 0; m < nr_metrics; m++)
		if (metrics[m].places & MP_PLOT) {
			sb_printf(&sb, " %d %s %d sd", col, metrics[m].name, col + 1);
			col += 2;
		}
	sb_printf(&sb, " %d %s %d err\n", col, SPEEDUP, col + 1);
	for (size_t mode = 0; mode < d->nmodes; mode++) {
		sb_printf(&sb, "%s# mode %s\n", mode ? "\n\n" : "", d->modes[mode]);
		for (size_t b = 0; b < d->nbs; b++) {
			const struct cellstat *c = dataset_cell(d, s, mode, d->bs[b]);
			double v, e;

			if (!c)
				continue;
			sb_printf(&sb, "%lu %s %zu", c->key.bs, c->bs_text,
				  c->m[iops].n);
			for (unsigned int m = 0; m < nr_metrics; m++) {
				if (!(metrics[m].places & MP_PLOT))
					continue;
				/* sd 0, not NaN, so a single run still draws. */
				sb_printf(&sb, " %.10g %.10g", c->m[m].mean,
					  isnan(c->m[m].sd) ? 0 : c->m[m].sd);
			}
			speedup(d, c, iops, &v, &e);
			sb_printf(&sb, " %.10g %.10g\n", v, isnan(e) ? 0 : e);
		}
	}
	ret = write_text(path, sb_str(&sb));
	sb_free(&sb);
	return ret;
}

/* Log y when every value is positive and they span more than 20x. */
static bool want_logy(const struct dataset *d, int s, int metric)
{
	double lo = INFINITY, hi = 0;

	for (size_t i = 0; i < d->ncells; i++) {
		double v = d->cells[i].m[metric].mean;

		if (d->cells[i].section != s || isnan(v))
			continue;
		if (v <= 0)
			return false;
		lo = fmin(lo, v);
		hi = fmax(hi, v);
	}
	return hi > 20 * lo;
}

static bool any_repeats(const struct dataset *d)
{
	for (size_t i = 0; i < d->ncells; i++)
		if (d->cells[i].ok > 1)
			return true;
	return false;
}

struct plot_job {
	const char *name;	/* file name part */
	int metric;		/* -1: the speed-up */
	int col;		/* data column of its mean */
};

/* The variables bs_plot.gp reads, then gnuplot. */
static int plot_one(const struct dataset *d, int s, const struct plot_job *job,
		    const char *data, const char *scripts, const char *formats,
		    char *err, size_t errlen)
{
	const struct run *r = d->run;
	const struct metric *mm = job->metric >= 0 ? &metrics[job->metric] : NULL;
	struct strbuf v = STRBUF_INIT, title = STRBUF_INIT, modes = STRBUF_INIT;
	char ylabel[128], sub[256], out[PATH_MAX], vars[PATH_MAX], log[PATH_MAX];
	int ret;

	for (size_t m = 0; m < d->nmodes; m++)
		sb_printf(&modes, "%s%s", m ? " " : "", d->modes[m]);
	if (mm)
		sb_printf(&title, "%s, %s", mm->title, d->sections[s].title);
	else
		sb_printf(&title, "IOPS relative to %s, %s", d->modes[0],
			  d->sections[s].title);
	snprintf(sub, sizeof(sub), "run %s, kernel %s, tier %s", r->id,
		 run_meta(r, "kernel"), run_meta(r, "tier"));
	if (mm && mm->unit[0])
		snprintf(ylabel, sizeof(ylabel), "%s (%s)", mm->title, mm->unit);
	else if (mm)
		snprintf(ylabel, sizeof(ylabel), "%s", mm->title);
	else
		snprintf(ylabel, sizeof(ylabel), "speed-up over %s (x)", d->modes[0]);
	plot_base(out, sizeof(out), r->dir, d->sections[s].slug, job->name);
	snprintf(vars, sizeof(vars), "%s/plots/data/%s-%s.gp", r->dir,
		 d->sections[s].slug, job->name);
	snprintf(log, sizeof(log), "%s/plots/gnuplot.log", r->dir);
	gp_str(&v, "data", data);
	gp_str(&v, "out", out);
	gp_str(&v, "formats", formats);
	gp_str(&v, "plotsdir", scripts);
	gp_str(&v, "title", sb_str(&title));
	gp_str(&v, "subtitle", sub);
	gp_str(&v, "ylabel", ylabel);
	gp_str(&v, "modes", sb_str(&modes));
	gp_num(&v, "col", job->col);
	gp_num(&v, "ecol", any_repeats(d) ? job->col + 1 : 0);
	gp_num(&v, "logy", mm ? want_logy(d, s, job->metric) : 0);
	/* Half a power of two of room either side of the sizes. */
	gp_num(&v, "xmin", d->bs[0] / 1.5);
	gp_num(&v, "xmax", d->bs[d->nbs - 1] * 1.5);
	/* The speed-up plot marks 1x, where a mode ties with copy. */
	gp_num(&v, "ref", mm ? 0 : 1);
	ret = gp_run(scripts, "bs_plot.gp", vars, &v, log, err, errlen);
	sb_free(&v);
	sb_free(&title);
	sb_free(&modes);
	return ret;
}

static int plot_section(const struct dataset *d, int s, const char *scripts,
			const char *formats, char *err, size_t errlen)
{
	struct plot_job jobs[METRICS_MAX + 1];
	char data[PATH_MAX];
	size_t nj = 0;
	int col = 4;

	snprintf(data, sizeof(data), "%s/plots/data/%s.dat", d->run->dir,
		 d->sections[s].slug);
	if (write_data(d, s, data)) {
		snprintf(err, errlen, "cannot write %s", data);
		return -1;
	}
	/* Columns as write_data lays them out: mean, sd per MP_PLOT metric. */
	for (unsigned int m = 0; m < nr_metrics; m++) {
		if (!(metrics[m].places & MP_PLOT))
			continue;
		/* Nothing to draw (no PMU, no tracepoint): no empty plot. */
		if (mtable_has_data(d, s, m))
			jobs[nj++] = (struct plot_job){ metrics[m].plot, m, col };
		col += 2;
	}
	if (d->nmodes > 1 && mtable_has_data(d, s, metric_find("iops")))
		jobs[nj++] = (struct plot_job){ SPEEDUP, -1, col };
	for (size_t j = 0; j < nj; j++)
		if (plot_one(d, s, &jobs[j], data, scripts, formats, err, errlen))
			return -1;
	return 0;
}

int plots_write(const struct dataset *d, const char *scripts,
		const char *formats, char *err, size_t errlen)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/plots/data", d->run->dir);
	if (make_dirs(path)) {
		snprintf(err, errlen, "cannot create %s", path);
		return -1;
	}
	/* A fresh log per run of plots: it explains this run's failures. */
	snprintf(path, sizeof(path), "%s/plots/gnuplot.log", d->run->dir);
	remove(path);
	for (size_t s = 0; s < d->nsections; s++)
		if (plot_section(d, s, scripts, formats, err, errlen))
			return -1;
	return 0;
}

void plots_markdown(const struct dataset *d, int section, const char *prefix,
		    struct strbuf *out)
{
	const char *slug = d->sections[section].slug;
	bool any = false;
	char path[PATH_MAX + 8], base[PATH_MAX];

	for (unsigned int m = 0; m <= nr_metrics; m++) {
		const char *name = m < nr_metrics ? metrics[m].plot : SPEEDUP;

		if (m < nr_metrics && !(metrics[m].places & MP_PLOT))
			continue;
		plot_base(base, sizeof(base), d->run->dir, slug, name);
		snprintf(path, sizeof(path), "%s.png", base);
		if (!file_nonempty(path))
			continue;
		if (!any)
			sb_puts(out, "\n");
		any = true;
		sb_printf(out, "![%s %s](%splots/%s-%s.png)\n",
			  d->sections[section].title, name, prefix, slug, name);
	}
}
