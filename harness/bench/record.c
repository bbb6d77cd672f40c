// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calib.h"
#include "cells.h"
#include "metrics.h"
#include "record.h"

static json_t *fio_dir_json(const struct fio_dir *d)
{
	json_t *o = json_object();

	json_object_set_new(o, "ios", json_integer(d->ios));
	json_object_set_new(o, "io_bytes", json_integer(d->io_bytes));
	json_object_set_new(o, "runtime_ms", json_integer(d->runtime_ms));
	json_object_set_new(o, "iops", jnum(d->iops));
	json_object_set_new(o, "bw_bytes", jnum(d->bw_bytes));
	json_object_set_new(o, "clat_mean_ns", jnum(d->clat_mean_ns));
	json_object_set_new(o, "clat_p50_ns", jnum(d->clat_p50_ns));
	json_object_set_new(o, "clat_p99_ns", jnum(d->clat_p99_ns));
	json_object_set_new(o, "clat_p999_ns", jnum(d->clat_p999_ns));
	return o;
}

static json_t *fio_json(const struct fio_result *f)
{
	json_t *o = json_object();

	json_object_set_new(o, "version", json_string(f->version));
	json_object_set_new(o, "error", json_integer(f->error));
	json_object_set_new(o, "total_ios", json_integer(f->total_ios));
	json_object_set_new(o, "iops", jnum(f->iops));
	json_object_set_new(o, "bw_bytes", jnum(f->bw_bytes));
	json_object_set_new(o, "usr_cpu_pct", jnum(f->usr_cpu));
	json_object_set_new(o, "sys_cpu_pct", jnum(f->sys_cpu));
	json_object_set_new(o, "ctx", json_integer(f->ctx));
	json_object_set_new(o, "majf", json_integer(f->majf));
	json_object_set_new(o, "minf", json_integer(f->minf));
	json_object_set_new(o, "job_runtime_ms", json_integer(f->job_runtime_ms));
	json_object_set_new(o, "read", fio_dir_json(&f->dir[FIO_READ]));
	json_object_set_new(o, "write", fio_dir_json(&f->dir[FIO_WRITE]));
	return o;
}

static json_t *kv_json(const struct kv *kv)
{
	json_t *o = json_object();

	for (unsigned int i = 0; i < kv->n; i++)
		json_object_set_new(o, kv->key[i], jnum(kv->val[i]));
	return o;
}

static json_t *klog_json(const struct klog_counts *k)
{
	json_t *o = json_object();

	json_object_set_new(o, "lines", json_integer(k->lines));
	json_object_set_new(o, "warn", json_integer(k->warn));
	json_object_set_new(o, "warn_known", json_integer(k->warn_known));
	json_object_set_new(o, "bug", json_integer(k->bug));
	json_object_set_new(o, "oops", json_integer(k->oops));
	return o;
}

/* "perf", "system", "module" and the metrics derived from them. */
static void counters_json(json_t *r, const struct record_in *in)
{
	struct sections none;
	const struct sections *c = in->counters;
	struct kv perf;
	double mvals[METRICS_MAX];
	json_t *m = json_object();

	if (!c) {
		sections_unavailable(&none);
		c = &none;
	}
	if (in->perf)
		perf = *in->perf;
	else
		perf_to_kv(NULL, &perf);
	json_object_set_new(r, "perf", kv_json(&perf));
	json_object_set_new(r, "system", kv_json(&c->system));
	json_object_set_new(r, "module", c->have_module ? kv_json(&c->module) :
			    json_null());
	json_object_set_new(r, "klog", in->klog ? klog_json(in->klog) : json_null());
	if (in->insn)
		json_object_set(r, "insn", in->insn);
	if (in->fio)
		metrics_compute(&(struct metric_in){
			.fio = in->fio, .perf = &perf, .system = &c->system,
			.module = c->have_module ? &c->module : NULL }, mvals);
	for (unsigned int i = 0; i < nr_metrics; i++)
		json_object_set_new(m, metrics[i].name,
				    jnum(in->fio ? mvals[i] : NAN));
	json_object_set_new(r, "metrics", m);
}

json_t *record_build(const struct record_in *in)
{
	static const char *const raw_keys[RECORD_NR_RAW] = {
		"fio", "perf", "klog", "log", "job"
	};
	json_t *r = json_object(), *raw;
	char when[32];

	format_time(in->start_epoch, when, sizeof(when));
	json_object_set_new(r, "schema", json_integer(RECORD_SCHEMA));
	json_object_set_new(r, "run_id", json_string(in->run_id));
	json_object_set_new(r, "run_index", json_integer(in->run_index));
	json_object_set_new(r, "cell_index", json_integer(in->cell_index));
	json_object_set_new(r, "cell_id", json_string(in->cell_id));
	json_object_set_new(r, "repeat", json_integer(in->repeat));
	json_object_set_new(r, "repeats", json_integer(in->repeats));
	json_object_set_new(r, "start_time", json_string(when));
	/*
	 * In whole ms: records keep 10 digits of a real, whole seconds of an
	 * epoch.  ubmap-report joins the host's samples by it.
	 */
	json_object_set_new(r, "start_epoch_ms", jnum(round(in->start_epoch * 1000)));
	json_object_set_new(r, "wall_s", jnum(in->wall_s));
	json_object_set_new(r, "status", json_string(in->status));
	json_object_set_new(r, "error", in->error ? json_string(in->error) : json_null());
	json_object_set_new(r, "cell", cell_to_json(in->cell));
	json_object_set(r, "meta", in->meta);
	json_object_set_new(r, "cmd", json_string(in->cmd ? in->cmd : ""));
	json_object_set_new(r, "fio", in->fio ? fio_json(in->fio) : json_null());
	json_object_set_new(r, "calib", json_pack("{s:i, s:o, s:o}", "loops",
						  (json_int_t)CALIB_LOOPS,
						  "before_ns", jnum(in->calib_ns[0]),
						  "after_ns", jnum(in->calib_ns[1])));
	counters_json(r, in);
	raw = json_object();
	for (size_t i = 0; i < ARRAY_SIZE(raw_keys); i++)
		json_object_set_new(raw, raw_keys[i],
				    in->raw[i] ? json_string(in->raw[i]) : json_null());
	json_object_set_new(r, "raw", raw);
	return r;
}

int record_append(FILE *f, json_t *rec)
{
	/* JSON_COMPACT has no newlines: one record, one line. */
	/*
	 * Flushed, not fsync'ed: a write to the 9p share is on the host when
	 * it returns, so a killed guest loses nothing that finished.
	 */
	if (json_dumpf(rec, f, JSON_COMPACT | JSON_REAL_PRECISION(10)) ||
	    fputc('\n', f) == EOF || fflush(f))
		return -1;
	return 0;
}

/* summary.csv: identity, then every metric, then the counts behind them. */
static const char *const csv_cols[] = {
	"run_id", "run_index", "cell_index", "repeat", "status",
	"cell.target", "cell.mode", "cell.bs", "cell.io", "cell.rw", "cell.rwmixread",
	"cell.ioengine", "cell.iodepth", "cell.numjobs", "cell.store",
	"cell.queues", "cell.runtime", "cell.ramp", "wall_s",
	"fio.total_ios", "fio.error", "system.cpu_busy_us",
	"system.tlb_shootdown_irqs", "perf.tlb_flush_all",
	"module.reads", "module.writes", "module.pages_mapped",
	"module.map_calls", "module.copy_bytes", "klog.warn", "klog.bug",
	"klog.oops",
};

static void csv_name(FILE *f, const char *path)
{
	const char *dot = strrchr(path, '.');

	/* "cell.bs" -> "bs"; the rest keep their prefix to stay unique. */
	if (!strncmp(path, "cell.", 5))
		fputs(path + 5, f);
	else if (!strncmp(path, "metrics.", 8))
		fputs(dot + 1, f);
	else
		for (; *path; path++)
			fputc(*path == '.' ? '_' : *path, f);
}

void summary_header(FILE *f)
{
	for (size_t i = 0; i < ARRAY_SIZE(csv_cols); i++) {
		if (i)
			fputc(',', f);
		csv_name(f, csv_cols[i]);
	}
	for (unsigned int i = 0; i < nr_metrics; i++)
		fprintf(f, ",%s", metrics[i].name);
	fputc('\n', f);
	fflush(f);
}

static void csv_value(FILE *f, json_t *v)
{
	if (json_is_integer(v)) {
		fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else if (json_is_real(v)) {
		fprintf(f, "%.6g", json_real_value(v));
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);

		if (!strpbrk(s, ",\"\n")) {
			fputs(s, f);
			return;
		}
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	}
	/* null and absent: an empty field. */
}

void summary_row(FILE *f, json_t *rec)
{
	char path[64];

	for (size_t i = 0; i < ARRAY_SIZE(csv_cols); i++) {
		if (i)
			fputc(',', f);
		csv_value(f, json_path(rec, csv_cols[i]));
	}
	for (unsigned int i = 0; i < nr_metrics; i++) {
		fputc(',', f);
		snprintf(path, sizeof(path), "metrics.%s", metrics[i].name);
		csv_value(f, json_path(rec, path));
	}
	fputc('\n', f);
	fflush(f);
}

