// SPDX-License-Identifier: GPL-2.0
/* The microbenchmark's tables and plots (mb_report.h). */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "gnuplot.h"
#include "mb_report.h"

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

/* A block per mode (gnuplot "index"): bytes, label, map+unmap ns per page. */
static int plot(const char *dir, json_t *rows, const char *kind, const char **modes,
		size_t nmodes, const char *scripts, const char *formats, char *err,
		size_t errlen)
{
	char data[PATH_MAX], vars[PATH_MAX], out[PATH_MAX], log[PATH_MAX], title[128];
	struct strbuf d = STRBUF_INIT, v = STRBUF_INIT, names = STRBUF_INIT;
	double lo = 1e30, hi = 0;
	size_t i, m;
	json_t *r;
	int ret;

	for (m = 0; m < nmodes; m++) {
		sb_printf(&d, "# %s\n", modes[m]);
		sb_printf(&names, "%s%s", m ? " " : "", modes[m]);
		json_array_foreach(rows, i, r) {
			double b = num(r, "pages") * 4096;

			if (strcmp(str(r, "kind"), kind) || strcmp(str(r, "mode"), modes[m]) ||
			    !json_is_null(json_object_get(r, "refused")))
				continue;
			lo = b < lo ? b : lo;
			hi = b > hi ? b : hi;
			sb_printf(&d, "%.0f %dp %.1f\n", b, (int)num(r, "pages"),
				  num(r, "map_ns_per_page") + num(r, "unmap_ns_per_page"));
		}
		/* Two blank lines end a gnuplot index block, even an empty one. */
		sb_puts(&d, "\n\n");
	}
	snprintf(data, sizeof(data), "%s/plots/microbench-%s.dat", dir, kind);
	snprintf(vars, sizeof(vars), "%s/plots/microbench-%s.gp", dir, kind);
	snprintf(out, sizeof(out), "%s/plots/microbench-%s", dir, kind);
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
	gp_str(&v, "subtitle", "ubmap-bench microbench (x: batch size)");
	gp_str(&v, "ylabel", "ns per page");
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

int mb_report(const char *dir, struct strbuf *md, const char *scripts,
	      const char *formats, char *err, size_t errlen)
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
		"neither calls into the mm. Under TCG the ns are emulated time: read the "
		"calls and instructions first.\n");
	nk = distinct(rows, "kind", kinds, 8);
	nm = distinct(rows, "mode", modes, 16);
	snprintf(path, sizeof(path), "%s/plots", dir);
	if (scripts && make_dirs(path)) {
		snprintf(err, errlen, "%s: %m", path);
		ret = -1;
	}
	for (size_t k = 0; k < nk && !ret; k++) {
		table(rows, kinds[k], insn, md);
		if (scripts)
			ret = plot(dir, rows, kinds[k], modes, nm, scripts, formats, err, errlen);
	}
	json_decref(rows);
	json_decref(meta);
	return ret;
}
