// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contention.h"
#include "records.h"
#include "util.h"

void host_samples_parse(const char *text, struct host_samples *hs)
{
	size_t cap = 0;

	memset(hs, 0, sizeof(*hs));
	for (const char *p = text; p && *p; p += strcspn(p, "\n"), p += *p == '\n') {
		struct host_sample s = { .steal_ticks = NAN };
		int got;

		/* The header, and a line cut short by a killed sampler, fail
		 * here; samples from before steal_ticks have seven fields.
		 */
		got = sscanf(p, "%lf,%u,%lf,%lf,%lf,%u,%u,%lf", &s.t, &s.vcpus, &s.run_ns,
			     &s.wait_ns, &s.load1, &s.runnable, &s.other_qemu, &s.steal_ticks);
		if (got < 7 || (hs->n && s.t < hs->s[hs->n - 1].t))
			continue;
		if (hs->n == cap) {
			cap = cap ? 2 * cap : 256;
			hs->s = realloc(hs->s, cap * sizeof(*hs->s));
			if (!hs->s)
				abort();
		}
		hs->s[hs->n++] = s;
	}
}

void host_samples_free(struct host_samples *hs)
{
	free(hs->s);
	memset(hs, 0, sizeof(*hs));
}

void contention_window(const struct host_samples *hs, double t0, double t1,
		       struct contention *c)
{
	size_t a = 0, b;
	double run, wait;

	c->sampled = false;
	c->wait_share = c->host_steal = NAN;
	c->other_qemu = c->runnable = 0;
	/* Samples must bracket the window: one at or before t0, one at or after t1. */
	if (!hs->n || isnan(t0) || isnan(t1) || t1 < t0 || hs->s[0].t > t0 ||
	    hs->s[hs->n - 1].t < t1)
		return;
	while (a + 1 < hs->n && hs->s[a + 1].t <= t0)
		a++;
	for (b = a; hs->s[b].t < t1; b++)
		;
	for (size_t i = a; i <= b; i++) {
		if (hs->s[i].other_qemu > c->other_qemu)
			c->other_qemu = hs->s[i].other_qemu;
		if (hs->s[i].runnable > c->runnable)
			c->runnable = hs->s[i].runnable;
	}
	run = hs->s[b].run_ns - hs->s[a].run_ns;
	wait = hs->s[b].wait_ns - hs->s[a].wait_ns;
	c->sampled = true;
	/* Unnamed threads come and go: their sums can fall. */
	if (b > a && run >= 0 && wait >= 0 && run + wait > 0)
		c->wait_share = wait / (run + wait);
	/* NAN when a sample lacks it, and so is never over the limit. */
	if (b > a && hs->s[b].t > hs->s[a].t)
		c->host_steal = (hs->s[b].steal_ticks - hs->s[a].steal_ticks) /
				CONT_USER_HZ / (hs->s[b].t - hs->s[a].t);
}

void contention_judge(struct contention *c)
{
	c->why = 0;
	if (c->wait_share > CONT_WAIT_SHARE_MAX)
		c->why |= CT_WAIT;
	if (c->sampled && c->other_qemu > CONT_OTHER_QEMU_MAX)
		c->why |= CT_OTHER_QEMU;
	if (c->calib_ratio > CONT_CALIB_RATIO_MAX)
		c->why |= CT_CALIB;
	if (c->host_steal > CONT_HOST_STEAL_MAX)
		c->why |= CT_STEAL;
}

void contention_describe(const struct contention *c, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
#define ADD(...) (n += snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__))
	if (c->sampled && !isnan(c->wait_share))
		ADD("vCPU run-queue wait %.0f%%%s", 100 * c->wait_share,
		    c->why & CT_WAIT ? " (over limit)" : "");
	else
		ADD("no host samples");
	if (c->sampled)
		ADD(", up to %u runnable host tasks", c->runnable);
	if (c->sampled && !isnan(c->host_steal))
		ADD(", host steal %.2f CPU%s", c->host_steal,
		    c->why & CT_STEAL ? " (over limit)" : "");
	if (c->other_qemu)
		ADD(", %u other QEMU", c->other_qemu);
	if (!isnan(c->calib_ratio))
		ADD(", calibration %.2fx the fastest%s", c->calib_ratio,
		    c->why & CT_CALIB ? " (over limit)" : "");
#undef ADD
}

/* The slower of the record's loops; NAN when it ran none. */
static double rec_calib(const struct rec *x)
{
	double a = x->calib_ns[0] > 0 ? x->calib_ns[0] : NAN;
	double b = x->calib_ns[1] > 0 ? x->calib_ns[1] : NAN;

	return isnan(a) ? b : isnan(b) ? a : fmax(a, b);
}

/* The fastest loop of the run, either side of every good record. */
static double calib_floor(const struct run *r)
{
	double m = NAN;

	for (size_t i = 0; i < r->nrecs; i++)
		for (int k = 0; k < 2; k++)
			if (r->recs[i].ok && r->recs[i].calib_ns[k] > 0)
				m = fmin(m, r->recs[i].calib_ns[k]);
	return m;
}

void run_contention_build(const struct run *r, struct run_contention *rc)
{
	struct host_samples hs = { 0 };
	char path[PATH_MAX + 32], *text;

	memset(rc, 0, sizeof(*rc));
	rc->n = r->nrecs;
	rc->rec = calloc(r->nrecs + 1, sizeof(*rc->rec));
	if (!rc->rec)
		abort();
	snprintf(path, sizeof(path), "%s/raw/host-samples.csv", r->dir);
	text = read_file(path, NULL);
	host_samples_parse(text, &hs);
	free(text);
	rc->have_samples = hs.n > 0;
	rc->offset_measured = fabs(r->guest_clock_offset) <= CONT_CLOCK_OFFSET_MAX_S;
	rc->offset = rc->offset_measured ? r->guest_clock_offset : 0;
	rc->tol = rc->offset_measured ? CONT_CLOCK_MEASURED_TOL_S : CONT_CLOCK_TOL_S;
	rc->calib_floor = calib_floor(r);
	rc->wait_share_max = rc->calib_ratio_max = NAN;
	for (size_t i = 0; i < r->nrecs; i++) {
		const struct rec *x = &r->recs[i];
		struct contention *c = &rc->rec[i];

		contention_window(&hs, x->start_s + rc->offset - rc->tol,
				  x->start_s + x->wall_s + rc->offset + rc->tol, c);
		c->calib_ratio = rec_calib(x) / rc->calib_floor;
		contention_judge(c);
		rc->sampled += c->sampled;
		if (x->ok) {
			/* fmax ignores a NAN argument. */
			rc->wait_share_max = fmax(rc->wait_share_max, c->wait_share);
			rc->calib_ratio_max = fmax(rc->calib_ratio_max, c->calib_ratio);
		}
		/* A failed record is left out already; it is not counted twice. */
		rc->flagged += x->ok && c->why;
	}
	host_samples_free(&hs);
}

void run_contention_free(struct run_contention *rc)
{
	free(rc->rec);
	memset(rc, 0, sizeof(*rc));
}
