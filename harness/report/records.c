// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jsonutil.h"
#include "schema.h"
#include "records.h"
#include "util.h"

#define FB_NAME(n) #n,
const char *const fallback_reason_name[FB_COUNT] = { UBMAP_FALLBACKS(FB_NAME) };

/* The module's counter for each reason (UBMAP_STATS_KEYS). */
#define FB_KEY(n) "fallback_" #n,
static const char *const fallback_key[FB_COUNT] = { UBMAP_FALLBACKS(FB_KEY) };

/* A JSON count as an unsigned int; 0 when absent or null. */
static unsigned int uint_of(json_t *o, const char *key)
{
	return (unsigned int)jget_count(o, key);
}

static void read_meta(struct run *r, json_t *meta)
{
	const char *key;
	json_t *v;

	r->nmeta = 0;
	json_object_foreach(meta, key, v) {
		struct meta_kv *kv;

		if (r->nmeta == META_MAX)
			break;
		kv = &r->meta[r->nmeta++];
		snprintf(kv->key, sizeof(kv->key), "%s", key);
		jscalar_text(v, kv->val, sizeof(kv->val));
	}
}

const char *run_meta(const struct run *r, const char *key)
{
	for (unsigned int i = 0; i < r->nmeta; i++)
		if (!strcmp(r->meta[i].key, key))
			return r->meta[i].val;
	return "";
}

static int read_rec(json_t *j, struct rec *rec, char *err, size_t errlen)
{
	json_t *mj = json_object_get(j, "metrics");
	json_t *klog = json_object_get(j, "klog");
	json_t *mod = json_object_get(j, "module");
	json_t *cell = json_object_get(j, "cell");
	json_t *insn = json_object_get(json_object_get(j, "insn"), "per_request");
	char status[16];

	if (!json_is_object(cell)) {
		snprintf(err, errlen, "no \"cell\" object");
		return -1;
	}
	memset(rec, 0, sizeof(*rec));
	jget_str(j, "cell_id", rec->cell_id, sizeof(rec->cell_id));
	if (cell_from_json(cell, &rec->key)) {
		snprintf(err, errlen, "a \"cell\" object without every axis");
		return -1;
	}
	jget_str(cell, "bs_text", rec->bs_text, sizeof(rec->bs_text));
	if (!rec->bs_text[0])
		snprintf(rec->bs_text, sizeof(rec->bs_text), "%lu", rec->key.bs);
	rec->cell_index = uint_of(j, "cell_index");
	rec->repeat = uint_of(j, "repeat");
	jget_str(j, "status", status, sizeof(status));
	rec->ok = !strcmp(status, "ok");
	jget_str(j, "error", rec->error, sizeof(rec->error));
	for (unsigned int i = 0; i < nr_metrics; i++)
		rec->m[i] = jget_num(mj, metrics[i].name);
	rec->have_klog = json_is_object(klog);
	if (rec->have_klog) {
		rec->warn = uint_of(klog, "warn");
		rec->warn_known = uint_of(klog, "warn_known");
		rec->bug = uint_of(klog, "bug");
		rec->oops = uint_of(klog, "oops");
	}
	for (int i = 0; i < FB_COUNT; i++)
		rec->fallback[i] = jget_num(mod, fallback_key[i]);
	rec->start_s = jget_num(j, "start_epoch_ms") / 1000;
	rec->wall_s = jget_num(j, "wall_s");
	rec->calib_ns[0] = jget_num(json_object_get(j, "calib"), "before_ns");
	rec->calib_ns[1] = jget_num(json_object_get(j, "calib"), "after_ns");
	/* The groups by the names this build declares (bench/insn.c checked them). */
	for (int g = 0; g <= INSN_TOTAL; g++)
		rec->insn[g] = jget_num(insn, g < INSN_TOTAL ? insn_group_name(g) : "total");
	return 0;
}

/* The guest wrote its time into raw/guest-clock; the host stamped it. */
static double read_guest_clock(const char *dir)
{
	char path[PATH_MAX + 32], *text;
	struct stat st;
	double guest;

	snprintf(path, sizeof(path), "%s/raw/guest-clock", dir);
	text = read_file(path, NULL);
	if (!text || stat(path, &st) || sscanf(text, "%lf", &guest) != 1) {
		free(text);
		return NAN;
	}
	free(text);
	return st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9 - guest;
}

static void read_bound(struct run *r, json_t *a)
{
	size_t i;
	json_t *e;

	json_array_foreach(a, i, e) {
		if (r->nbound == ARRAY_SIZE(r->bound))
			break;
		r->bound[r->nbound].bs = jget_count(e, "bs");
		jget_str(e, "bs_text", r->bound[r->nbound].bs_text,
			 sizeof(r->bound[0].bs_text));
		r->bound[r->nbound].bytes_per_s = jget_num(e, "bytes_per_s");
		r->bound[r->nbound].libc_bytes_per_s = jget_num(e, "libc_bytes_per_s");
		if (r->bound[r->nbound].bs)
			r->nbound++;
	}
}

/*
 * A record of a target this run could not set up: no result, not a
 * failure either; the report lists the target with its reason, once.
 */
static bool take_unavailable(struct run *r, json_t *j)
{
	json_t *cell = json_object_get(j, "cell");
	char status[16], target[16];
	size_t i;

	jget_str(j, "status", status, sizeof(status));
	if (strcmp(status, "unavailable"))
		return false;
	jget_str(cell, "target", target, sizeof(target));
	for (i = 0; i < r->nunavail; i++)
		if (!strcmp(r->unavail[i].target, target))
			return true;
	if (i < ARRAY_SIZE(r->unavail)) {
		snprintf(r->unavail[i].target, sizeof(r->unavail[i].target), "%s", target);
		jget_str(j, "error", r->unavail[i].why, sizeof(r->unavail[i].why));
		r->nunavail++;
	}
	return true;
}

/* run.json is optional: a run killed before writing it still reports. */
static void read_run_json(struct run *r)
{
	char path[PATH_MAX + 16];
	json_t *j, *h;

	r->wall_s = r->fio_ratio = NAN;
	snprintf(path, sizeof(path), "%s/run.json", r->dir);
	j = json_load_file(path, 0, NULL);
	if (!j)
		return;
	jget_str(j, "status", r->status, sizeof(r->status));
	jget_str(j, "started", r->started, sizeof(r->started));
	jget_str(j, "matrix", r->matrix, sizeof(r->matrix));
	r->runs_planned = uint_of(j, "runs_planned");
	h = json_object_get(j, "harness");
	r->wall_s = jget_num(h, "wall_s");
	r->fio_ratio = jget_num(h, "fio_ratio");
	jget_str(json_object_get(j, "order"), "order", r->order, sizeof(r->order));
	r->seed = jget_count(json_object_get(j, "order"), "seed");
	read_bound(r, json_object_get(j, "memcpy_bound"));
	if (json_is_object(json_object_get(j, "meta")))
		read_meta(r, json_object_get(j, "meta"));
	json_decref(j);
}

static int add_rec(struct run *r, json_t *j, size_t *cap, char *err,
		   size_t errlen)
{
	int schema = (int)jget_num(j, "schema");

	if (schema != RECORDS_SCHEMA) {
		snprintf(err, errlen,
			 "a record has schema %d; this ubmap-report reads schema %d (rebuild it)",
			 schema, RECORDS_SCHEMA);
		return -1;
	}
	if (take_unavailable(r, j))
		return 0;
	if (r->nrecs == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		r->recs = realloc(r->recs, *cap * sizeof(*r->recs));
		if (!r->recs)
			abort();
	}
	if (read_rec(j, &r->recs[r->nrecs], err, errlen)) {
		r->bad_lines++;
		return 0;
	}
	if (!r->id[0])
		jget_str(j, "run_id", r->id, sizeof(r->id));
	if (!r->nmeta && json_is_object(json_object_get(j, "meta")))
		read_meta(r, json_object_get(j, "meta"));
	r->nfailed += !r->recs[r->nrecs].ok;
	r->nrecs++;
	return 0;
}

int run_load(struct run *r, const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX + 16], *line = NULL;
	size_t cap = 0, linecap = 0;
	ssize_t n;
	FILE *f;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	if (strlen(dir) >= sizeof(r->dir)) {
		snprintf(err, errlen, "run directory path too long");
		return -1;
	}
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	read_run_json(r);
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (!ret && (n = getline(&line, &linecap, f)) > 0) {
		json_error_t jerr;
		json_t *j;

		if (strspn(line, " \t\r\n") == (size_t)n)
			continue;
		/* A guest killed mid-write leaves half a line: skip, count. */
		j = json_loads(line, 0, &jerr);
		if (!json_is_object(j)) {
			r->bad_lines++;
			json_decref(j);
			continue;
		}
		ret = add_rec(r, j, &cap, err, errlen);
		json_decref(j);
	}
	free(line);
	fclose(f);
	if (!ret && !r->nrecs && r->nunavail) {
		snprintf(err, errlen, "%s: no results: every record is of a target unavailable there (%s: %s)",
			 path, r->unavail[0].target, r->unavail[0].why);
		ret = -1;
	} else if (!ret && !r->nrecs) {
		snprintf(err, errlen, "%s: no records", path);
		ret = -1;
	}
	if (ret) {
		run_free(r);
		return -1;
	}
	if (!r->id[0])
		snprintf(r->id, sizeof(r->id), "%s", dir);
	snprintf(path, sizeof(path), "%s/matrix.txt", dir);
	r->matrix_text = read_file(path, NULL);
	r->guest_clock_offset = read_guest_clock(dir);
	return 0;
}

void run_free(struct run *r)
{
	free(r->recs);
	free(r->matrix_text);
	r->recs = NULL;
	r->matrix_text = NULL;
	r->nrecs = 0;
}
