// SPDX-License-Identifier: GPL-2.0
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"
#include "jsonutil.h"

void fio_job_global(FILE *f, const char *dev)
{
	fprintf(f,
		"[global]\n"
		"filename=%s\n"
		/* One cell at a time, each reported on its own. */
		"stonewall\n"
		"group_reporting=1\n"
		"time_based=1\n"
		/* No per-block bookkeeping: random offsets cost the same at any size. */
		"norandommap=1\n",
		dev);
}

static void job_section(FILE *f, const struct cell *c, const char *name,
			unsigned int runtime_ms, unsigned int ramp,
			const char *prerun, const char *postrun)
{
	bool direct = !strcmp(c->io, "direct");

	fprintf(f, "\n[%s]\n", name);
	fprintf(f, "rw=%s\n", c->rw.name);
	if (rw_mixed(&c->rw))
		fprintf(f, "rwmixread=%u\n", c->rw.mixread);
	fprintf(f, "bs=%lu\n", c->bs);
	fprintf(f, "direct=%d\n", direct);
	fprintf(f, "ioengine=%s\n", c->ioengine);
	fprintf(f, "iodepth=%u\n", c->iodepth);
	fprintf(f, "numjobs=%u\n", c->numjobs);
	if (runtime_ms % 1000)
		fprintf(f, "runtime=%ums\n", runtime_ms);
	else
		fprintf(f, "runtime=%u\n", runtime_ms / 1000);
	if (ramp)
		fprintf(f, "ramp_time=%u\n", ramp);
	if (!direct && rw_writes(&c->rw))
		fprintf(f, "end_fsync=1\n");
	if (prerun)
		fprintf(f, "exec_prerun=%s\n", prerun);
	if (postrun)
		fprintf(f, "exec_postrun=%s\n", postrun);
}

void fio_job_section(FILE *f, const struct cell *c, const char *name,
		     const char *prerun, const char *postrun)
{
	job_section(f, c, name, c->runtime * 1000, c->ramp, prerun, postrun);
}

void fio_job_warmup(FILE *f, const struct cell *c, const char *name,
		    unsigned int runtime_ms)
{
	job_section(f, c, name, runtime_ms, 0, NULL, NULL);
}

/* Percentile keys are "99.900000": compare as numbers, not strings. */
static double percentile(json_t *clat, double p)
{
	json_t *pct = json_object_get(clat, "percentile");
	const char *key;
	json_t *v;

	json_object_foreach(pct, key, v)
		if (fabs(strtod(key, NULL) - p) < 1e-6 && json_is_number(v))
			return json_number_value(v);
	return NAN;
}

static void parse_dir(json_t *d, struct fio_dir *out, bool first)
{
	json_t *clat = json_object_get(d, "clat_ns");

	out->ios += jget_count(d, "total_ios");
	out->io_bytes += jget_count(d, "io_bytes");
	if (jget_count(d, "runtime") > out->runtime_ms)
		out->runtime_ms = jget_count(d, "runtime");
	out->iops += jget_numz(d, "iops");
	out->bw_bytes += jget_numz(d, "bw_bytes");
	/* Latency of separate jobs cannot be merged: keep the first's. */
	if (!first)
		return;
	if (jget_count(clat, "N") == 0) {
		out->clat_mean_ns = out->clat_p50_ns = NAN;
		out->clat_p99_ns = out->clat_p999_ns = NAN;
		return;
	}
	out->clat_mean_ns = jget_num(clat, "mean");
	out->clat_p50_ns = percentile(clat, 50.0);
	out->clat_p99_ns = percentile(clat, 99.0);
	out->clat_p999_ns = percentile(clat, 99.9);
}

int fio_parse_job(const char *text, const char *name, struct fio_result *r,
		  char *err)
{
	static const char *const ddir_key[FIO_NR_DDIR] = { "read", "write" };
	const char *start = text;
	json_error_t jerr;
	json_t *root, *jobs, *job, *ver;
	bool first = true;
	size_t i;

	memset(r, 0, sizeof(*r));
	/* fio may print notes into --output ahead of the JSON. */
	while (*start && *start != '{') {
		start = strchr(start, '\n');
		start = start ? start + 1 : "";
	}
	root = json_loads(start, 0, &jerr);
	if (!root) {
		snprintf(err, ERR_LEN, "fio JSON: %s at line %d", jerr.text,
			 jerr.line);
		return -1;
	}
	jobs = json_object_get(root, "jobs");
	if (!json_is_array(jobs) || json_array_size(jobs) == 0) {
		snprintf(err, ERR_LEN, "fio JSON: no \"jobs\" array");
		json_decref(root);
		return -1;
	}
	ver = json_object_get(root, "fio version");
	snprintf(r->version, sizeof(r->version), "%s",
		 json_is_string(ver) ? json_string_value(ver) : "");
	json_array_foreach(jobs, i, job) {
		const char *jn = json_string_value(json_object_get(job, "jobname"));
		int e = (int)jget_count(job, "error");

		if (name && (!jn || strcmp(jn, name)))
			continue;
		if (e && !r->error)
			r->error = e;
		for (int d = 0; d < FIO_NR_DDIR; d++)
			parse_dir(json_object_get(job, ddir_key[d]), &r->dir[d],
				  first);
		first = false;
		r->usr_cpu += jget_numz(job, "usr_cpu");
		r->sys_cpu += jget_numz(job, "sys_cpu");
		r->ctx += jget_count(job, "ctx");
		r->majf += jget_count(job, "majf");
		r->minf += jget_count(job, "minf");
		r->job_runtime_ms += jget_count(job, "job_runtime");
		if (jget_count(job, "elapsed") > r->elapsed_s)
			r->elapsed_s = jget_count(job, "elapsed");
		r->jobs++;
	}
	json_decref(root);
	if (!r->jobs) {
		snprintf(err, ERR_LEN, "fio JSON: no job '%s'", name);
		return -1;
	}
	for (int d = 0; d < FIO_NR_DDIR; d++) {
		r->total_ios += r->dir[d].ios;
		r->iops += r->dir[d].iops;
		r->bw_bytes += r->dir[d].bw_bytes;
	}
	return 0;
}
