// SPDX-License-Identifier: GPL-2.0
/* The microbenchmark's tables and plots (mb_report.h). */
#include <gsl/gsl_fit.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "fsutil.h"
#include "gnuplot.h"
#include "mb_report.h"
#include "schema.h"

/* The instruction groups a map/unmap pair spends its work in. */
static const char *const insn_cols[] = { "map", "unmap", "tlb", "copy", "ubmap", "other" };
#define NR_INSN_COLS	(sizeof(insn_cols) / sizeof(insn_cols[0]))

static double num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : -1;
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* The rows, each checked to have what the tables read. */
static json_t *load_rows(const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX];
	json_t *rows = json_array(), *r;
	json_error_t je;
	FILE *f;

	snprintf(path, sizeof(path), "%s/microbench.jsonl", dir);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %m", path);
		json_decref(rows);
		return NULL;
	}
	while ((r = json_loadf(f, JSON_DISABLE_EOF_CHECK, &je))) {
		if (!*str(r, "mode") || !*str(r, "kind") || num(r, "pages") < 1 ||
		    (json_is_null(json_object_get(r, "refused")) &&
		     (num(r, "map_ns_per_page") < 0 || num(r, "map_calls_per_batch") < 0))) {
			snprintf(err, errlen, "%s: row %zu lacks mode, kind, pages or its costs",
				 path, json_array_size(rows) + 1);
			json_decref(r);
			json_decref(rows);
			fclose(f);
			return NULL;
		}
		json_array_append_new(rows, r);
	}
	fclose(f);
	if (!json_array_size(rows)) {
		snprintf(err, errlen, "%s: no rows", path);
		json_decref(rows);
		return NULL;
	}
	return rows;
}

/* Names in first-seen order: the bench wrote modes, kinds, sizes in order. */
static size_t distinct(json_t *rows, const char *key, const char **out, size_t max)
{
	size_t n = 0, i, j;
	json_t *r;

	json_array_foreach(rows, i, r) {
		const char *v = str(r, key);

		for (j = 0; j < n && strcmp(out[j], v); j++)
			;
		if (j == n && n < max)
			out[n++] = v;
	}
	return n;
}

static void table(json_t *rows, const char *kind, bool insn, struct strbuf *md)
{
	size_t i;
	json_t *r;

	sb_printf(md, "\n### %s pages\n\n| mode | pages | map ns/page | unmap ns/page | "
		  "map calls/batch |", kind);
	for (size_t c = 0; insn && c < NR_INSN_COLS; c++)
		sb_printf(md, " insn/page %s |", insn_cols[c]);
	sb_puts(md, "\n|---|---:|---:|---:|---:|");
	for (size_t c = 0; insn && c < NR_INSN_COLS; c++)
		sb_puts(md, "---:|");
	sb_puts(md, "\n");
	json_array_foreach(rows, i, r) {
		json_t *per = json_object_get(json_object_get(r, "insn"), "per_page");

		if (strcmp(str(r, "kind"), kind))
			continue;
		sb_printf(md, "| %s | %d |", str(r, "mode"), (int)num(r, "pages"));
		if (!json_is_null(json_object_get(r, "refused"))) {
			sb_printf(md, " refused (%s) | | |", str(r, "refused"));
			for (size_t c = 0; insn && c < NR_INSN_COLS; c++)
				sb_puts(md, " |");
			sb_puts(md, "\n");
			continue;
		}
		sb_printf(md, " %.0f | %.0f | %.2f |", num(r, "map_ns_per_page"),
			  num(r, "unmap_ns_per_page"), num(r, "map_calls_per_batch"));
		for (size_t c = 0; insn && c < NR_INSN_COLS; c++)
			sb_printf(md, per ? " %.0f |" : " – |", num(per, insn_cols[c]));
		sb_puts(md, "\n");
	}
}

/* What a plot draws: ns, or (profiled) instructions, per page. */
struct mb_plot {
	const char *name;	/* file name part */
	const char *ylabel;
	bool insn;
};

/* map + unmap ns per page, or the counted instructions per page. */
static double plot_value(json_t *r, const struct mb_plot *p)
{
	json_t *per = json_object_get(json_object_get(r, "insn"), "per_page");

	return p->insn ? num(per, "total") :
	       num(r, "map_ns_per_page") + num(r, "unmap_ns_per_page");
}

/* A block per mode (gnuplot "index"): bytes, label, the value. */
static int plot(const char *dir, json_t *rows, const char *kind, const char **modes,
		size_t nmodes, const struct mb_plot *p, const char *scripts,
		const char *formats, char *err, size_t errlen)
{
	char data[PATH_MAX], vars[PATH_MAX], out[PATH_MAX], log[PATH_MAX], title[128];
	struct strbuf d = STRBUF_INIT, v = STRBUF_INIT, names = STRBUF_INIT;
	double lo = 1e30, hi = 0;
	size_t i, m;
	json_t *r;
	int ret;

	for (m = 0; m < nmodes; m++) {
		struct strbuf blk = STRBUF_INIT;

		json_array_foreach(rows, i, r) {
			double b = num(r, "pages") * 4096;

			if (strcmp(str(r, "kind"), kind) || strcmp(str(r, "mode"), modes[m]) ||
			    !json_is_null(json_object_get(r, "refused")) || !(plot_value(r, p) > 0))
				continue;
			lo = b < lo ? b : lo;
			hi = b > hi ? b : hi;
			sb_printf(&blk, "%.0f %dp %.1f\n", b, (int)num(r, "pages"), plot_value(r, p));
		}
		/*
		 * gnuplot does not count a block without data as an index: a mode
		 * with no point (all refused) is left out of the data and the key.
		 */
		if (blk.len) {
			sb_printf(&d, "# %s\n%s\n\n", modes[m], sb_str(&blk));
			sb_printf(&names, "%s%s", names.len ? " " : "", modes[m]);
		}
		sb_free(&blk);
	}
	snprintf(data, sizeof(data), "%s/plots/microbench-%s%s.dat", dir, kind, p->name);
	snprintf(vars, sizeof(vars), "%s/plots/microbench-%s%s.gp", dir, kind, p->name);
	snprintf(out, sizeof(out), "%s/plots/microbench-%s%s", dir, kind, p->name);
	snprintf(log, sizeof(log), "%s/plots/gnuplot.log", dir);
	ret = write_text(data, sb_str(&d));
	if (ret)
		snprintf(err, errlen, "%s: cannot write", data);
	gp_str(&v, "data", data);
	gp_str(&v, "out", out);
	gp_str(&v, "formats", formats);
	gp_str(&v, "plotsdir", scripts);
	snprintf(title, sizeof(title), "map + unmap per page, %s pages", kind);
	gp_str(&v, "title", title);
	gp_str(&v, "subtitle", "ubmap-bench microbench");
	gp_str(&v, "xlabel", "pages a call (bytes, log2 scale)");
	gp_str(&v, "ylabel", p->ylabel);
	gp_str(&v, "modes", sb_str(&names));
	gp_num(&v, "col", 3);
	gp_num(&v, "ecol", 0);
	gp_num(&v, "logy", 1);
	gp_num(&v, "xmin", (hi > 0 ? lo : 4096) / 1.5);
	gp_num(&v, "xmax", (hi > 0 ? hi : 4096) * 1.5);
	gp_num(&v, "ref", 0);
	if (!ret)
		ret = gp_run(scripts, "bs_plot.gp", vars, &v, log, err, errlen);
	sb_free(&d);
	sb_free(&v);
	sb_free(&names);
	return ret;
}

/* A half's cost as c0 + c1 * pages, least squares over the batch sizes. */
struct mb_fit {
	double c0, c1;
	bool ok;		/* two sizes or more, none refused */
};

static struct mb_fit fit(json_t *rows, const char *mode, const char *kind, const char *key)
{
	double x[32], y[32], cov00, cov01, cov11, sumsq;
	struct mb_fit f = { 0 };
	size_t n = 0, i;
	json_t *r;

	json_array_foreach(rows, i, r) {
		if (strcmp(str(r, "mode"), mode) || strcmp(str(r, "kind"), kind) ||
		    !json_is_null(json_object_get(r, "refused")) || n == 32)
			continue;
		x[n] = num(r, "pages");
		y[n++] = num(r, key);
	}
	f.ok = n >= 2 && x[0] != x[n - 1] && y[0] >= 0 &&
	       !gsl_fit_linear(x, 1, y, 1, n, &f.c0, &f.c1, &cov00, &cov01, &cov11, &sumsq);
	return f;
}

static void fit_table(json_t *rows, const char **kinds, size_t nk, const char **modes,
		      size_t nm, struct strbuf *md)
{
	sb_puts(md, "\n### Per call and per page\n\nEach half's ns per call fitted as "
		"a + b x pages (least squares over the batch sizes): a is what a call costs "
		"whatever its size, b what each page adds.\n\n"
		"| kind | mode | map ns/call | map ns/page | unmap ns/call | unmap ns/page |\n"
		"|---|---|---:|---:|---:|---:|\n");
	for (size_t k = 0; k < nk; k++)
		for (size_t m = 0; m < nm; m++) {
			struct mb_fit a = fit(rows, modes[m], kinds[k], "map_ns_per_call");
			struct mb_fit b = fit(rows, modes[m], kinds[k], "unmap_ns_per_call");

			if (!a.ok)
				continue;
			sb_printf(md, "| %s | %s | %.0f | %.0f | %.0f | %.0f |\n", kinds[k],
				  modes[m], a.c0, a.c1, b.ok ? b.c0 : 0, b.ok ? b.c1 : 0);
		}
}

/* The copy modes' half is a copy: as bandwidth, the in-kernel memcpy bound. */
static void copy_table(json_t *rows, struct strbuf *md)
{
	bool any = false;
	size_t i;
	json_t *r;

	json_array_foreach(rows, i, r) {
		const char *m = str(r, "mode");

		if ((strcmp(m, "copy") && strcmp(m, "user_copy")) ||
		    strcmp(str(r, "kind"), "pagecache") || !(num(r, "map_ns_per_page") > 0))
			continue;
		if (!any)
			sb_puts(md, "\n### The in-kernel copy bound\n\ncopy's memcpy into the "
				"slot and user_copy's copy_to_user, of page-cache pages, as bandwidth: "
				"the most a copying mode can move per second at that size, before any "
				"request cost.\n\n| mode | pages | MB/s |\n|---|---:|---:|\n");
		any = true;
		sb_printf(md, "| %s | %d | %.0f |\n", m, (int)num(r, "pages"),
			  4096 / num(r, "map_ns_per_page") * 1e3);
	}
}

/*
 * The microbench's fits against a bench run's own map + unmap time per
 * request, in its direct cells (one request an I/O).  Direct I/O carries
 * pinned anonymous pages; vm_insert_pages refuses them and maps the bounce
 * slot's vmalloc pages instead, which the kernel kind stands for.
 */
static int model_table(json_t *rows, const char *against, struct strbuf *md, char *err,
		       size_t errlen)
{
	int map = metric_find("map_ns_per_io"), unmap = metric_find("unmap_ns_per_io");
	unsigned int shown = 0;
	struct dataset d;
	struct run r;

	if (run_load(&r, against, err, errlen))
		return -1;
	dataset_build(&d, &r);
	sb_printf(md, "\n### The fits against run %s\n\nPredicted: the fits at the request's "
		  "pages; measured: the module's map_ns + unmap_ns per I/O in that run's direct "
		  "cells. A model, not a measurement: it leaves out what a request adds "
		  "(collecting its pages, the fallback's bookkeeping, cache state).\n\n"
		  "| mode | bs | kind | predicted ns | measured ns | measured / predicted |\n"
		  "|---|---:|---|---:|---:|---:|\n", r.id);
	for (size_t i = 0; i < d.ncells; i++) {
		const struct cellstat *c = &d.cells[i];
		const char *kind = strcmp(c->key.mode, "vm_insert_pages") ? "anon" : "kernel";
		double pages = c->key.bs / 4096.0, pred, meas;
		struct mb_fit a, b;

		if (strcmp(c->key.io, "direct") || !c->m[map].n || c->key.bs % 4096)
			continue;
		a = fit(rows, c->key.mode, kind, "map_ns_per_call");
		b = fit(rows, c->key.mode, kind, "unmap_ns_per_call");
		meas = c->m[map].mean + c->m[unmap].mean;
		if (!a.ok || !b.ok || !(meas > 0))
			continue;
		pred = a.c0 + a.c1 * pages + b.c0 + b.c1 * pages;
		sb_printf(md, "| %s | %s | %s | %.0f | %.0f | %.2f |\n", c->key.mode, c->bs_text,
			  kind, pred, meas, meas / pred);
		shown++;
	}
	if (!shown)
		sb_puts(md, "| (no direct cell of a mapping mode in that run) | | | | | |\n");
	dataset_free(&d);
	run_free(&r);
	return 0;
}

int mb_report(const char *dir, const char *against, struct strbuf *md,
	      const char *scripts, const char *formats, char *err, size_t errlen)
{
	const char *kinds[8], *modes[16];
	char path[PATH_MAX];
	size_t nk, nm, i;
	json_t *meta, *rows, *mach, *r;
	json_error_t je;
	bool insn = false;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	meta = json_load_file(path, 0, &je);
	if (!meta) {
		snprintf(err, errlen, "%s: %s", path, je.text);
		return -1;
	}
	rows = load_rows(dir, err, errlen);
	if (!rows) {
		json_decref(meta);
		return -1;
	}
	json_array_foreach(rows, i, r)
		insn |= json_object_get(r, "insn") != NULL;
	mach = json_object_get(meta, "machine");
	sb_printf(md, "# ubmap microbenchmark: %s\n\n", dir);
	sb_printf(md, "Each mode's map and unmap of N pages at one slot, %d times, without a "
		  "request (UBMAP_IOC_MICROBENCH): kernel %s, tier %s, PAT %s, %d vCPUs%s.\n",
		  (int)num(meta, "iterations"), str(mach, "kernel"), str(mach, "tier"),
		  json_is_string(json_object_get(mach, "pat")) ? str(mach, "pat") : "unknown",
		  (int)num(mach, "vcpus"), insn ? ", instructions from the TCG plugin" : "");
	sb_puts(md, "unmap includes the TLB flush (flush_tlb_mm_range is not exported to "
		"modules: it cannot be timed on its own; its instructions are the tlb "
		"group). copy is a memcpy into the slot, user_copy a copy_to_user; "
		"neither calls into the mm. copy's memcpy of a page is inlined into the "
		"module (rep movsq), so its instructions are the ubmap group's; "
		"copy_to_user is a rep movsb on a CPU with ERMS, one counted instruction "
		"a byte and emulated byte by byte under TCG, where it is slow as it is "
		"not on hardware. Under TCG the ns are emulated time: read the calls "
		"and instructions first.\n");
	nk = distinct(rows, "kind", kinds, 8);
	nm = distinct(rows, "mode", modes, 16);
	snprintf(path, sizeof(path), "%s/plots", dir);
	if (scripts && make_dirs(path)) {
		snprintf(err, errlen, "%s: %m", path);
		ret = -1;
	}
	for (size_t k = 0; k < nk && !ret; k++) {
		static const struct mb_plot ns = { "", "ns per page", false },
					    in = { "-insn", "instructions per page (TCG plugin)", true };

		table(rows, kinds[k], insn, md);
		if (scripts)
			ret = plot(dir, rows, kinds[k], modes, nm, &ns, scripts, formats, err, errlen);
		if (scripts && insn && !ret)
			ret = plot(dir, rows, kinds[k], modes, nm, &in, scripts, formats, err, errlen);
	}
	if (!ret) {
		fit_table(rows, kinds, nk, modes, nm, md);
		copy_table(rows, md);
	}
	if (!ret && against)
		ret = model_table(rows, against, md, err, errlen);
	json_decref(rows);
	json_decref(meta);
	return ret;
}
