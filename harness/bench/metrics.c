// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <string.h>

#include "metrics.h"
#include "util.h"

/* NAN, not inf or 0, when there is nothing to divide by. */
static double per(double v, double n)
{
	return n > 0 && !isnan(v) ? v / n : NAN;
}

/*
 * The counters named by key, summed: "a+b" adds; "prefix*" adds every
 * counter with the prefix (0 if there is none: a module older than a
 * fallback reason never fell back for it).  NAN when a named counter is
 * missing.
 */
static double sum_keys(const struct kv *kv, const char *key)
{
	double sum = 0;

	if (!kv)
		return NAN;
	while (*key) {
		size_t n = strcspn(key, "+");

		if (n && key[n - 1] == '*') {
			for (unsigned int i = 0; i < kv->n; i++)
				if (!strncmp(kv->key[i], key, n - 1) &&
				    !isnan(kv->val[i]))
					sum += kv->val[i];
		} else {
			char one[KV_KEY_LEN];

			snprintf(one, sizeof(one), "%.*s", (int)n, key);
			sum += kv_get(kv, one);
		}
		key += n;
		if (*key == '+')
			key++;
	}
	return sum;
}

/* Mixed patterns: the latency of the direction that did more I/O. */
static double fio_value(const struct fio_result *f, const char *key)
{
	const struct fio_dir *d = f->dir[FIO_WRITE].ios > f->dir[FIO_READ].ios ?
				  &f->dir[FIO_WRITE] : &f->dir[FIO_READ];

	if (!strcmp(key, "iops"))
		return f->iops;
	if (!strcmp(key, "bw_mib_s"))
		return f->bw_bytes / (1 << 20);
	if (!strcmp(key, "clat_mean_us"))
		return d->clat_mean_ns / 1e3;
	if (!strcmp(key, "clat_p50_us"))
		return d->clat_p50_ns / 1e3;
	if (!strcmp(key, "clat_p99_us"))
		return d->clat_p99_ns / 1e3;
	if (!strcmp(key, "clat_p999_us"))
		return d->clat_p999_ns / 1e3;
	return NAN;
}

static double metric_get(const struct metric *m, const struct metric_in *in)
{
	const struct kv *sec[] = {
		[MS_PERF] = in->perf, [MS_SYSTEM] = in->system,
		[MS_MODULE] = in->module,
	};
	double v = m->src == MS_FIO ? fio_value(in->fio, m->key) :
		   sum_keys(sec[m->src], m->key);
	double reqs = sum_keys(in->module, "reads+writes");

	switch (m->per) {
	case PER_NONE:
		return v;
	case PER_IO:
		return per(v, (double)in->fio->total_ios);
	case PER_REQ:
		return per(v, reqs);
	case PER_REQ_PCT:
		return per(100 * v, reqs);
	case PER_READ_IO:
		if (in->fio->dir[FIO_WRITE].ios)
			return NAN;
		return per(v, (double)in->fio->dir[FIO_READ].ios);
	}
	return NAN;
}

void metrics_compute(const struct metric_in *in, double *out)
{
	for (unsigned int i = 0; i < nr_metrics; i++)
		out[i] = metric_get(&metrics[i], in);
}
