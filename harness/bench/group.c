// SPDX-License-Identifier: GPL-2.0
/*
 * One group of cells in one fio process.  The job file runs the cells one
 * after another; each job's exec_prerun/exec_postrun hook (hook.c) stops
 * it at the edges of its I/O while we enable perf and snapshot the
 * counters, so a cell's numbers cover its I/O and nothing of fio's or
 * perf's start-up.  perf for the next cell starts, disabled, while fio
 * winds the last job down.  The warm-up runs a group's cells the same way,
 * briefly and unobserved.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calib.h"
#include "cells.h"
#include "fio.h"
#include "hook.h"
#include "insn.h"
#include "perf.h"
#include "record.h"
#include "run.h"

/* A cell may overrun its runtime by this much (start-up, end_fsync). */
#define CELL_GRACE_S	120
/* From one job's end to the next one's start: fio's set-up. */
#define START_GRACE_S	60
/* After SIGINT, fio has this long to write its JSON and exit. */
#define STOP_GRACE_S	30

enum { RAW_FIO, RAW_PERF, RAW_KLOG, RAW_LOG, RAW_JOB };

struct cell_state {
	const struct cell *c;
	unsigned int index;		/* in the matrix, 1-based */
	char id[160];
	char raw[RECORD_NR_RAW][256];	/* relative to the run directory */
	struct perf_run perf;
	bool perf_ok;
	unsigned int pres, posts;	/* hook calls: one per fio clone */
	bool begun, ended, cut;		/* cut: stopped part way */
	struct snapshot before, after;
	struct klog_counts kc;
	double t_pre, t_post, start_epoch;
	double calib[2];		/* calib_ns() before and after, NAN: not run */
	char error[ERR_LEN];
};

struct group {
	struct run_ctx *r;
	struct cell_state *st;
	size_t n;
	unsigned int rep;
	char base[200];			/* raw/gNNN-rR-mode-store-qQ */
	struct hook hook;
	struct child fio;
	bool stopping;
	double deadline;		/* for the current wait */
};

static void path_of(const struct run_ctx *r, const char *rel, char *buf,
		    size_t len)
{
	snprintf(buf, len, "%s/%s", r->dir, rel);
}

static void start_perf(struct group *g, struct cell_state *cs)
{
	char csv[PATH_MAX], log[PATH_MAX], err[ERR_LEN];

	path_of(g->r, cs->raw[RAW_PERF], csv, sizeof(csv));
	snprintf(log, sizeof(log), "%s/%s.log", g->r->dir, g->base);
	cs->perf_ok = !perf_start(&cs->perf, csv, g->r->perf_mask,
				  g->r->scratch, log, err);
	/* The cell still runs; its perf counters will be null. */
	if (!cs->perf_ok)
		progress_note(&g->r->prog, "ubmap-bench: %s: %s", cs->id, err);
}

static void stop_perf(struct group *g, struct cell_state *cs)
{
	char err[ERR_LEN];

	if (perf_stop(&cs->perf, err) && cs->perf_ok) {
		cs->perf_ok = false;
		progress_note(&g->r->prog, "ubmap-bench: %s: %s", cs->id, err);
	}
}

/* The counters now: the device's, and fio's and the server's CPU time. */
static void take_snapshot(struct group *g, struct snapshot *s)
{
	const struct target_dev *d = &g->r->tdev;

	snapshot_take(s, &(struct probe){ .stats = d->stats, .dev = d->dev,
					 .fio = g->fio.pid,
					 .backend = d->be.c.pid });
}

/*
 * The first clone's prerun: everything that writes (progress, kernel log)
 * first, then counters on and snapshot, last thing before the I/O.
 */
static void cell_begin(struct group *g, struct cell_state *cs)
{
	struct run_ctx *r = g->r;
	struct klog_counts discard = { 0 };
	char err[ERR_LEN], label[200];

	cs->begun = true;
	cell_label(cs->c, r->varying, label, sizeof(label));
	progress_begin(&r->prog, label, g->rep, r->reps, now_mono());
	/* Whatever the kernel said between cells belongs to no cell. */
	klog_read(&r->klog, r->kernel_log, &discard);
	klog_mark("ubmap-bench: run %u/%u %s rep %u", r->prog.done + 1,
		  r->total, cs->id, g->rep);
	klog_read(&r->klog, r->kernel_log, &discard);
	fflush(r->kernel_log);
	if (!cs->perf.c.pid)
		start_perf(g, cs);
	/* Before perf counts: the loop is no part of the cell. */
	cs->calib[0] = calib_ns();
	if (cs->perf_ok && perf_enable(&cs->perf, 30, err)) {
		cs->perf_ok = false;
		progress_note(&r->prog, "ubmap-bench: %s: %s", cs->id, err);
	}
	cs->start_epoch = now_real();
	take_snapshot(g, &cs->before);
	cs->t_pre = cs->before.t;
	/* Last of all: the window holds the cell's I/O, not our bookkeeping. */
	if (insn_enabled() && insn_cell_start(cs->id, g->rep, err, sizeof(err)))
		progress_note(&r->prog, "ubmap-bench: %s: profile: %s", cs->id, err);
}

/* The last clone's postrun: snapshot, counters off, kernel log. */
static void cell_end(struct group *g, struct cell_state *cs)
{
	struct run_ctx *r = g->r;
	char err[ERR_LEN], path[PATH_MAX], result[160];
	double reqs, busy, secs;
	struct sections d;
	FILE *f;

	if (insn_enabled() && insn_cell_stop(err, sizeof(err)))
		progress_note(&r->prog, "ubmap-bench: %s: profile: %s", cs->id, err);
	take_snapshot(g, &cs->after);
	cs->t_post = cs->after.t;
	cs->ended = true;
	/* Disabled now, written out at perf_stop() once fio has moved on. */
	if (cs->perf_ok && perf_disable(&cs->perf, 10, err)) {
		cs->perf_ok = false;
		progress_note(&r->prog, "ubmap-bench: %s: %s", cs->id, err);
	}
	cs->calib[1] = calib_ns();
	path_of(r, cs->raw[RAW_KLOG], path, sizeof(path));
	f = fopen(path, "w");
	if (f)
		fprintf(f, "# kernel log of %s rep %u\n", cs->id, g->rep);
	klog_read(&r->klog, f, &cs->kc);
	if (f)
		fclose(f);
	/* fio's numbers come at its exit; the device's are here now. */
	secs = cs->t_post - cs->t_pre;
	snapshot_delta(&cs->before, &cs->after, &d);
	reqs = d.have_module ? kv_get(&d.module, "reads") + kv_get(&d.module, "writes") :
	       NAN;
	busy = kv_get(&d.system, "cpu_busy_us");
	/* A peer has no request counter; fio's counts come at its exit. */
	if (d.have_module)
		snprintf(result, sizeof(result), "%.0f req/s, %.1f us CPU/req",
			 reqs / secs, busy / reqs);
	else
		snprintf(result, sizeof(result), "%.1f s, %.0f ms CPU busy", secs,
			 busy / 1000);
	snprintf(result + strlen(result), sizeof(result) - strlen(result), "%s%s",
		 cs->cut ? " (stopped)" : "",
		 cs->kc.warn > cs->kc.warn_known || cs->kc.bug || cs->kc.oops ?
		 ", kernel WARN/BUG in log" : "");
	progress_end(&r->prog, cell_io_secs(cs->c), result);
}

static void on_hook(struct group *g, enum hook_event ev, unsigned int k)
{
	struct cell_state *cs = k < g->n ? &g->st[k] : NULL;

	trace("hook %s %u", ev == HOOK_PRE ? "pre" : "post", k);
	if (cs && ev == HOOK_PRE && cs->pres++ == 0 && !g->stopping) {
		/* The previous cell's perf is idle: collect its counts now. */
		if (k > 0)
			stop_perf(g, &g->st[k - 1]);
		cell_begin(g, cs);
		g->deadline = now_mono() + cell_io_secs(cs->c) + CELL_GRACE_S;
	} else if (cs && ev == HOOK_POST && ++cs->posts == cs->c->numjobs &&
		   cs->begun) {
		cs->cut = g->stopping;
		cell_end(g, cs);
		/* perf for the next cell starts while this job winds down. */
		if (k + 1 < g->n && !g->stopping)
			start_perf(g, &g->st[k + 1]);
		g->deadline = now_mono() + START_GRACE_S;
	}
	/* Always answer: an unanswered hook would hold fio forever. */
	hook_reply(&g->hook);
	trace("hook answered");
}

/* Waits for fio, serving its hooks; stops it on a signal or a timeout. */
static void serve(struct group *g)
{
	double kill_at = 0;
	int status;

	g->deadline = now_mono() + START_GRACE_S;
	for (;;) {
		unsigned int k;
		enum hook_event ev = hook_wait(&g->hook, 200, &k);

		if (ev != HOOK_NONE) {
			on_hook(g, ev, k);
			continue;
		}
		if (child_exited(&g->fio, &status))
			return;
		if (!g->stopping && (*g->r->stop || now_mono() > g->deadline)) {
			if (!*g->r->stop) {
				for (size_t i = 0; i < g->n; i++)
					if (!g->st[i].ended)
						snprintf(g->st[i].error, ERR_LEN,
							 "stopped: fio overran the runtime by %d s, or took %d s to start a job",
							 CELL_GRACE_S, START_GRACE_S);
				progress_note(&g->r->prog, "ubmap-bench: fio is stuck; stopping it");
			}
			/* fio ends the job, runs its postrun, writes its JSON. */
			child_kill(&g->fio, SIGINT);
			g->stopping = true;
			kill_at = now_mono() + STOP_GRACE_S;
		}
		if (g->stopping && now_mono() > kill_at) {
			child_kill(&g->fio, SIGKILL);
			kill_at = now_mono() + 3600;
		}
	}
}

static int write_job_file(struct group *g, char *err)
{
	char path[PATH_MAX], pre[PATH_MAX * 2 + 64], post[PATH_MAX * 2 + 64];
	FILE *f;

	path_of(g->r, g->st[0].raw[RAW_JOB], path, sizeof(path));
	f = fopen(path, "w");
	if (!f) {
		snprintf(err, ERR_LEN, "%.200s: %m", path);
		return -1;
	}
	fprintf(f, "; ubmap-bench group %s: %zu cells, one after another\n",
		g->base, g->n);
	fio_job_global(f, g->r->tdev.dev);
	for (size_t k = 0; k < g->n; k++) {
		hook_command(&g->hook, HOOK_PRE, k, pre, sizeof(pre));
		hook_command(&g->hook, HOOK_POST, k, post, sizeof(post));
		fio_job_section(f, g->st[k].c, g->st[k].id, pre, post);
	}
	return fclose(f) ? -1 : 0;
}

/* After fio: one record per cell that ran, and per cell that failed to. */
static void write_records(struct group *g, const char *fio_text,
			  const char *fio_err)
{
	struct run_ctx *r = g->r;

	for (size_t k = 0; k < g->n; k++) {
		struct cell_state *cs = &g->st[k];
		struct record_in in = { 0 };
		struct fio_result fio;
		struct sections counters;
		struct kv perfkv;
		double perf[PE_COUNT];
		char path[PATH_MAX], e[ERR_LEN];
		bool fio_ok = false, ok;
		json_t *rec;

		/* Stopped by the user: what did not finish is not a result. */
		if (*r->stop && (!cs->ended || cs->cut))
			continue;
		if (fio_text) {
			fio_ok = !fio_parse_job(fio_text, cs->id, &fio, e);
			if (!fio_ok && !cs->error[0])
				snprintf(cs->error, ERR_LEN, "%s", e);
			if (fio_ok && fio.error && !cs->error[0])
				snprintf(cs->error, ERR_LEN, "fio job error %d (%s)",
					 fio.error, strerror(fio.error));
		} else if (!cs->error[0]) {
			snprintf(cs->error, ERR_LEN, "%s", fio_err);
		}
		if (!cs->ended && !cs->error[0])
			snprintf(cs->error, ERR_LEN, "the job never ran (see %.200s)",
				 cs->raw[RAW_LOG]);
		for (int i = 0; i < PE_COUNT; i++)
			perf[i] = NAN;
		if (cs->ended) {
			char *text;

			path_of(r, cs->raw[RAW_PERF], path, sizeof(path));
			text = cs->perf_ok ? read_file(path, NULL) : NULL;
			if (text && perf_parse(text, r->perf_mask, perf, e))
				progress_note(&r->prog, "ubmap-bench: %s: %s",
					      cs->raw[RAW_PERF], e);
			free(text);
		}

		in.run_id = r->o->run_id;
		/* Records are written in the order the cells ran. */
		in.run_index = r->done + 1;
		in.cell_index = cs->index;
		in.repeat = g->rep;
		in.repeats = r->reps;
		in.cell = cs->c;
		in.cell_id = cs->id;
		in.start_epoch = cs->start_epoch;
		in.calib_ns[0] = cs->calib[0];
		in.calib_ns[1] = cs->calib[1];
		in.wall_s = cs->ended ? cs->t_post - cs->t_pre : NAN;
		in.meta = r->meta;
		in.fio = fio_ok ? &fio : NULL;
		perf_to_kv(perf, &perfkv);
		in.perf = &perfkv;
		if (cs->ended) {
			snapshot_delta(&cs->before, &cs->after, &counters);
			in.counters = &counters;
			in.klog = r->klog.fd >= 0 ? &cs->kc : NULL;
		}
		for (int i = 0; i < RECORD_NR_RAW; i++)
			in.raw[i] = cs->raw[i];
		if (fio_ok)
			r->fio_secs += cs->c->ramp +
				       fmax(fio.dir[FIO_READ].runtime_ms,
					    fio.dir[FIO_WRITE].runtime_ms) / 1000.0;
		ok = !cs->error[0] && cs->ended;
		in.status = ok ? "ok" : "failed";
		in.error = ok ? NULL : cs->error;
		in.insn = NULL;
		if (insn_enabled() && cs->ended) {
			char ierr[ERR_LEN];

			in.insn = insn_section(cs->id, g->rep, fio_ok ? (double)fio.total_ios : NAN,
					       counters.have_module ?
					       kv_get(&counters.module, "reads") +
					       kv_get(&counters.module, "writes") : NAN,
					       ierr, sizeof(ierr));
			if (!in.insn)
				progress_note(&r->prog, "ubmap-bench: %s: profile: %s", cs->id, ierr);
		}
		rec = record_build(&in);
		json_decref(in.insn);
		if (record_append(r->jsonl, rec))
			progress_note(&r->prog, "ubmap-bench: cannot append to results.jsonl: %m");
		summary_row(r->csv, rec);
		json_decref(rec);
		r->done++;
		if (!ok) {
			r->failed++;
			progress_note(&r->prog, "ubmap-bench: %s rep %u FAILED: %s",
				      cs->id, g->rep, cs->error);
		}
	}
}

void group_unavailable(struct run_ctx *r, const size_t *idx, size_t n,
		       unsigned int rep, const char *why)
{
	for (size_t k = 0; k < n; k++) {
		const struct cell *c = &r->cells[idx[k]];
		struct record_in in = { 0 };
		char id[160], error[ERR_LEN + 16];
		json_t *rec;

		cell_id(c, id, sizeof(id));
		snprintf(error, sizeof(error), "unavailable: %s", why);
		in.run_id = r->o->run_id;
		in.run_index = r->done + 1;
		in.cell_index = idx[k] + 1;
		in.repeat = rep;
		in.repeats = r->reps;
		in.cell = c;
		in.cell_id = id;
		in.start_epoch = now_real();
		in.calib_ns[0] = in.calib_ns[1] = NAN;
		in.wall_s = NAN;
		in.meta = r->meta;
		in.status = "unavailable";
		in.error = error;
		rec = record_build(&in);
		if (record_append(r->jsonl, rec))
			progress_note(&r->prog, "ubmap-bench: cannot append to results.jsonl: %m");
		summary_row(r->csv, rec);
		json_decref(rec);
		r->done++;
		r->unavail_runs++;
		progress_drop(&r->prog, cell_io_secs(c));
	}
}

int group_run(struct run_ctx *r, const size_t *idx, size_t n,
	      unsigned int rep, char *err)
{
	const struct cell *c0 = &r->cells[idx[0]];
	struct group g = { .r = r, .n = n, .rep = rep };
	char json[PATH_MAX], job[PATH_MAX], log[PATH_MAX], *text = NULL;
	char fio_err[ERR_LEN] = "";
	struct strv argv = { 0 };
	double t;
	int ret = -1;

	g.st = calloc(n, sizeof(*g.st));
	if (!g.st)
		abort();
	snprintf(g.base, sizeof(g.base), "raw/g%03u-r%u-%s-%s-q%u", ++r->groups,
		 rep, cell_variant(c0), c0->store, c0->queues);
	for (size_t k = 0; k < n; k++) {
		struct cell_state *cs = &g.st[k];

		cs->c = &r->cells[idx[k]];
		cs->index = idx[k] + 1;
		cs->perf.ctl_fd = cs->perf.ack_fd = -1;
		cs->calib[0] = cs->calib[1] = NAN;
		cell_id(cs->c, cs->id, sizeof(cs->id));
		snprintf(cs->raw[RAW_FIO], sizeof(cs->raw[0]), "%s.fio.json", g.base);
		snprintf(cs->raw[RAW_LOG], sizeof(cs->raw[0]), "%s.log", g.base);
		snprintf(cs->raw[RAW_JOB], sizeof(cs->raw[0]), "%s.fio", g.base);
		snprintf(cs->raw[RAW_PERF], sizeof(cs->raw[0]), "raw/%03u-r%u-%s.perf.csv",
			 cs->index, rep, cs->id);
		snprintf(cs->raw[RAW_KLOG], sizeof(cs->raw[0]), "raw/%03u-r%u-%s.klog",
			 cs->index, rep, cs->id);
	}
	if (hook_open(&g.hook, r->scratch, err) || write_job_file(&g, err))
		goto out;
	path_of(r, g.st[0].raw[RAW_FIO], json, sizeof(json));
	path_of(r, g.st[0].raw[RAW_JOB], job, sizeof(job));
	path_of(r, g.st[0].raw[RAW_LOG], log, sizeof(log));
	strv_add(&argv, "fio");
	strv_add(&argv, "--output-format=json");
	strv_add(&argv, "--output=%s", json);
	/* The ETA line would land in our log, not on a terminal. */
	strv_add(&argv, "--eta=never");
	strv_add(&argv, "%s", job);
	start_perf(&g, &g.st[0]);
	t = now_mono();
	/* fio writes each hook's output next to itself: our scratch dir. */
	trace("fio starts %s", g.base);
	if (child_spawn(&g.fio, argv.v, r->scratch, log, err))
		goto out;
	serve(&g);
	trace("fio exited");
	r->proc_secs += now_mono() - t;
	for (size_t k = 0; k < n; k++)
		stop_perf(&g, &g.st[k]);
	text = read_file(json, NULL);
	if (!text)
		snprintf(fio_err, sizeof(fio_err), "no fio output; see %.200s",
			 g.st[0].raw[RAW_LOG]);
	write_records(&g, text, fio_err);
	ret = *r->stop ? 1 : 0;
out:
	free(text);
	strv_free(&argv);
	hook_close(&g.hook);
	free(g.st);
	return ret;
}

/* Cells in a warm-up get at least this much I/O each. */
#define WARM_MIN_MS	100

int group_warm(struct run_ctx *r, const size_t *idx, size_t n,
	       unsigned int ms, char *err)
{
	const struct cell *c0 = &r->cells[idx[0]];
	unsigned int each = ms / n > WARM_MIN_MS ? ms / n : WARM_MIN_MS;
	/* fio's start-up per job, as for a measured group. */
	double limit = each / 1000.0 * n + n * START_GRACE_S;
	char base[200], job[PATH_MAX], json[PATH_MAX], log[PATH_MAX], why[64];
	struct strv argv = { 0 };
	struct child fio;
	int status, ret = -1;
	FILE *f;

	snprintf(base, sizeof(base), "raw/warmup-%s-%s-q%u", cell_variant(c0),
		 c0->store, c0->queues);
	snprintf(job, sizeof(job), "%s/%s.fio", r->dir, base);
	snprintf(json, sizeof(json), "%s/%s.fio.json", r->dir, base);
	snprintf(log, sizeof(log), "%s/%s.log", r->dir, base);
	f = fopen(job, "w");
	if (!f) {
		snprintf(err, ERR_LEN, "%.200s: %m", job);
		return -1;
	}
	fprintf(f, "; ubmap-bench warm-up: %zu cells, %u ms each, unmeasured\n",
		n, each);
	fio_job_global(f, r->tdev.dev);
	for (size_t k = 0; k < n; k++) {
		char id[160];

		cell_id(&r->cells[idx[k]], id, sizeof(id));
		fio_job_warmup(f, &r->cells[idx[k]], id, each);
	}
	if (fclose(f)) {
		snprintf(err, ERR_LEN, "%.200s: %m", job);
		return -1;
	}
	strv_add(&argv, "fio");
	strv_add(&argv, "--output-format=json");
	strv_add(&argv, "--output=%s", json);
	strv_add(&argv, "--eta=never");
	strv_add(&argv, "%s", job);
	if (child_spawn(&fio, argv.v, r->scratch, log, err))
		goto out;
	switch (child_wait(&fio, limit, r->stop, &status)) {
	case WAIT_EXITED:
		if (WIFEXITED(status) && !WEXITSTATUS(status)) {
			ret = 0;
			break;
		}
		describe_status(status, why, sizeof(why));
		snprintf(err, ERR_LEN, "warm-up fio: %s (see %.150s.log)", why,
			 base);
		break;
	case WAIT_STOPPED:
		child_stop(&fio, SIGINT, STOP_GRACE_S);
		ret = 1;
		break;
	case WAIT_TIMEOUT:
		child_stop(&fio, SIGINT, STOP_GRACE_S);
		snprintf(err, ERR_LEN, "warm-up fio: still running after %.0f s; stopped",
			 limit);
		break;
	}
out:
	strv_free(&argv);
	return ret;
}
