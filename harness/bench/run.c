// SPDX-License-Identifier: GPL-2.0
/*
 * One run directory; per repeat, the cells in the run's order (order.c),
 * in groups that share queues, store and mode: one module load, one ubmapd
 * and one fio process each (group.c).  What is cheap to keep (raw output)
 * is kept.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calib.h"
#include "daemon.h"
#include "cells.h"
#include "memcpy_bound.h"
#include "metrics.h"
#include "perf.h"
#include "record.h"
#include "schema.h"
#include "run.h"
#include "sysinfo.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/*
 * raw/guest-clock: our CLOCK_REALTIME, written through the 9p share, whose
 * host sets the file's mtime by its own clock: ubmap-report reads the
 * guest's clock offset from the two when it joins the host's samples.
 */
static void guest_clock_mark(struct run_ctx *r)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/raw/guest-clock", r->dir);
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "%.6f\n", now_real());
	fclose(f);
}

static void run_json_update(struct run_ctx *r, const char *status)
{
	double wall = now_mono() - r->t0;
	json_t *h = json_object();
	char path[PATH_MAX], when[32];

	format_time(now_real(), when, sizeof(when));
	json_object_set_new(r->run, "status", json_string(status));
	json_object_set_new(r->run, "updated", json_string(when));
	json_object_set_new(r->run, "runs_done", json_integer(r->done));
	json_object_set_new(r->run, "runs_failed", json_integer(r->failed));
	json_object_set_new(r->run, "runs_unavailable", json_integer(r->unavail_runs));
	json_object_set_new(h, "wall_s", jnum(wall));
	json_object_set_new(h, "fio_s", jnum(r->fio_secs));
	json_object_set_new(h, "fio_ratio", jnum(wall > 0 ? r->fio_secs / wall : NAN));
	json_object_set_new(h, "setup_s", jnum(r->setup_secs));
	/* Where the rest goes: fio start, exit and job changes, and ours. */
	json_object_set_new(h, "fio_overhead_s", jnum(r->proc_secs - r->fio_secs));
	json_object_set_new(h, "warmup_s", jnum(r->warmup_secs));
	json_object_set_new(h, "bookkeeping_s",
			    jnum(wall - r->proc_secs - r->setup_secs - r->warmup_secs));
	json_object_set_new(h, "overhead_per_run_s",
			    jnum(r->done ? (wall - r->fio_secs - r->warmup_secs) / r->done : NAN));
	json_object_set_new(r->run, "harness", h);
	snprintf(path, sizeof(path), "%s/run.json", r->dir);
	if (json_write_file(path, r->run))
		fprintf(stderr, "ubmap-bench: cannot write %s: %m\n", path);
	guest_clock_mark(r);
}

static json_t *collect_meta(struct bench_opts *o)
{
	json_t *meta = sysinfo_collect();

	json_object_set_new(meta, "run_id", json_string(o->run_id));
	for (size_t i = 0; i < o->meta.n; i++) {
		char *kv = o->meta.v[i], *eq = strchr(kv, '=');
		json_t *v;

		*eq = '\0';
		if (!strcmp(eq + 1, "true") || !strcmp(eq + 1, "false"))
			v = json_boolean(!strcmp(eq + 1, "true"));
		else
			v = *(eq + 1) ? json_string(eq + 1) : json_null();
		json_object_set_new(meta, kv, v);
		*eq = '=';
	}
	return meta;
}

static FILE *open_out(struct run_ctx *r, const char *name, const char *mode)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	f = fopen(path, mode);
	if (!f)
		fprintf(stderr, "ubmap-bench: cannot create %s: %m\n", path);
	return f;
}

/* The run directory is new, or holds only what vm-run.sh put there. */
static int prepare_dir(struct run_ctx *r)
{
	char path[PATH_MAX];
	FILE *f;

	if (mkdir(r->o->out, 0755) && errno != EEXIST) {
		fprintf(stderr, "ubmap-bench: cannot create %s: %m\n", r->o->out);
		return -1;
	}
	/* fio runs elsewhere (our scratch directory): absolute paths only. */
	if (!realpath(r->o->out, path) || strlen(path) >= sizeof(r->dir)) {
		fprintf(stderr, "ubmap-bench: %s: %m\n", r->o->out);
		return -1;
	}
	snprintf(r->dir, sizeof(r->dir), "%s", path);
	snprintf(path, sizeof(path), "%s/run.json", r->dir);
	if (!access(path, F_OK)) {
		fprintf(stderr, "ubmap-bench: %s already holds a run; runs are never overwritten\n",
			r->dir);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/raw", r->dir);
	if (mkdir(path, 0755) && errno != EEXIST) {
		fprintf(stderr, "ubmap-bench: cannot create %s: %m\n", path);
		return -1;
	}
	f = open_out(r, "matrix.txt", "w");
	if (!f)
		return -1;
	matrix_write(&r->o->m, f);
	fclose(f);
	r->jsonl = open_out(r, "results.jsonl", "a");
	r->csv = open_out(r, "summary.csv", "w");
	r->kernel_log = open_out(r, "raw/kernel.log", "w");
	if (!r->jsonl || !r->csv || !r->kernel_log)
		return -1;
	summary_header(r->csv);
	snprintf(r->scratch, sizeof(r->scratch), "/tmp/ubmap-bench.XXXXXX");
	if (!mkdtemp(r->scratch)) {
		fprintf(stderr, "ubmap-bench: cannot create a directory in /tmp: %m\n");
		return -1;
	}
	return 0;
}

/* The scratch directory holds FIFOs and fio's hook output files only. */
static void remove_scratch(struct run_ctx *r)
{
	DIR *d = opendir(r->scratch);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
	rmdir(r->scratch);
}

static int target_index(const struct target_ops *t)
{
	int i = 0;

	while (targets[i] != t)
		i++;
	return i;
}

static int stop_target(struct run_ctx *r, char *err)
{
	int ret = 0;

	if (r->tops)
		ret = r->tops->stop(&r->tdev, err);
	r->tops = NULL;
	r->cur = NULL;
	memset(&r->tdev, 0, sizeof(r->tdev));
	return ret;
}

/*
 * The cell's target serving its queues, store and mode (target.h), and
 * prefilled.  TARGET_UNAVAILABLE when this kernel or build lacks it:
 * remembered, so later groups do not try again.
 */
static int ensure_device(struct run_ctx *r, const struct cell *c, char *err)
{
	const struct target_ops *t = target_find(c->target);
	char *why = r->unavailable[target_index(t)];
	struct target_env env = {
		.paths = &r->o->paths, .workdir = r->scratch,
		.queue_depth = r->o->m.set[SET_QUEUE_DEPTH],
		.max_io = r->o->m.set[SET_MAX_IO],
	};
	char logdir[PATH_MAX];
	double t0 = now_mono();
	int ret;

	if (r->tops && !target_alive(&r->tdev)) {
		progress_note(&r->prog, "ubmap-bench: the %s server had exited; restarting it",
			      r->tops->name);
		r->cur = NULL;
	}
	if (r->cur && cells_same_group(r->cur, c))
		return 0;
	if (why[0]) {
		snprintf(err, ERR_LEN, "%s", why);
		return TARGET_UNAVAILABLE;
	}
	if (stop_target(r, err))
		progress_note(&r->prog, "ubmap-bench: warning: %s", err);
	snprintf(logdir, sizeof(logdir), "%s/raw", r->dir);
	env.logdir = logdir;
	r->tops = t;
	ret = t->start(&env, c, &r->tdev, err);
	trace("target %s started: %d", t->name, ret);
	if (ret == TARGET_UNAVAILABLE) {
		char e2[ERR_LEN];

		snprintf(why, ERR_LEN, "%s", err);
		json_object_set_new(json_object_get(r->run, "targets"), t->name,
				    json_sprintf("unavailable: %s", why));
		progress_note(&r->prog, "ubmap-bench: target %s unavailable: %s",
			      t->name, why);
		if (stop_target(r, e2))
			progress_note(&r->prog, "ubmap-bench: warning: %s", e2);
	} else if (!ret) {
		json_object_set_new(json_object_get(r->run, "targets"), t->name,
				    json_string("available"));
		if (r->o->m.set[SET_PREFILL] && strcmp(c->store, "null"))
			ret = device_prefill(r->tdev.dev, r->o->m.set[SET_MAX_IO],
					     c->queues, err);
		trace("device prefilled");
	}
	if (!ret)
		r->cur = c;
	r->setup_secs += now_mono() - t0;
	return ret;
}

/*
 * Unmeasured, before repeat 1: each group once, warmup seconds of I/O
 * shared by its cells, so first-use costs (TCG translating the mode's
 * paths, page cache, ubmapd and fio start-up) land in no record.  Groups
 * in the reverse of repeat 1's order: the last warmed is the first
 * measured, which then needs no reload of its own.
 */
static int warm_up(struct run_ctx *r)
{
	unsigned int secs = r->o->m.set[SET_WARMUP], groups = 0, failed = 0;
	const size_t *row = order_repeat(&r->order, 1);
	size_t *start = calloc(r->ncells, sizeof(*start)), ng = 0;
	double t = now_mono(), setup = r->setup_secs;
	char err[ERR_LEN];
	json_t *w;
	int ret = 0;

	if (!start)
		abort();
	for (size_t i = 0; i < r->ncells;
	     i += order_group_len(r->cells, row + i, r->ncells - i))
		start[ng++] = i;
	if (secs)
		progress_note(&r->prog, "ubmap-bench: warm-up: %zu groups, %u s of I/O each, unmeasured",
			      ng, secs);
	while (secs && ng-- && !ret) {
		size_t first = start[ng];
		size_t n = order_group_len(r->cells, row + first, r->ncells - first);

		int dev;

		if (*r->stop) {
			ret = 1;
		} else if ((dev = ensure_device(r, &r->cells[row[first]], err)) ==
			   TARGET_UNAVAILABLE) {
			continue;	/* its records will say so */
		} else if (dev) {
			progress_note(&r->prog, "ubmap-bench: %s", err);
			ret = -1;
		} else {
			ret = group_warm(r, row + first, n, secs * 1000, err);
			groups++;
			/* The measured cells will say whether it works. */
			if (ret < 0) {
				progress_note(&r->prog, "ubmap-bench: %s", err);
				failed++;
				ret = 0;
			}
		}
	}
	free(start);
	r->warmup_secs = now_mono() - t;
	/* Its setup is part of the warm-up's time, not the runs'. */
	r->setup_secs = setup;
	w = json_object();
	json_object_set_new(w, "seconds_per_group", json_integer(secs));
	json_object_set_new(w, "groups", json_integer(groups));
	json_object_set_new(w, "failed", json_integer(failed));
	json_object_set_new(w, "wall_s", jnum(r->warmup_secs));
	json_object_set_new(r->run, "warmup", w);
	if (secs)
		progress_note(&r->prog, "ubmap-bench: warm-up done in %.1f s", r->warmup_secs);
	return ret;
}

static int run_matrix(struct run_ctx *r)
{
	char err[ERR_LEN];

	for (unsigned int rep = 1; rep <= r->reps; rep++) {
		const size_t *row = order_repeat(&r->order, rep);
		size_t first = 0;

		while (first < r->ncells) {
			const struct cell *c = &r->cells[row[first]];
			size_t n = order_group_len(r->cells, row + first,
						   r->ncells - first);
			int ret;

			if (*r->stop)
				return 1;
			ret = ensure_device(r, c, err);
			if (ret == TARGET_UNAVAILABLE) {
				group_unavailable(r, row + first, n, rep, err);
				first += n;
				continue;
			}
			if (ret) {
				progress_note(&r->prog, "ubmap-bench: %s", err);
				return -1;
			}
			ret = group_run(r, row + first, n, rep, err);
			if (ret < 0)
				progress_note(&r->prog, "ubmap-bench: %s", err);
			/* After each group, so a killed guest leaves a true count. */
			run_json_update(r, "running");
			if (ret)
				return ret;
			first += n;
		}
	}
	return 0;
}

/* The run's perf_hold(): no cell's perf start or stop rewrites kernel text. */
static void hold_perf(struct run_ctx *r)
{
	char log[PATH_MAX], err[ERR_LEN];

	snprintf(log, sizeof(log), "%s/perf-hold.log", r->dir);
	if (perf_hold(&r->hold, r->perf_mask, r->scratch, log, err))
		fprintf(stderr, "ubmap-bench: warning: no perf holding the events (%s): each cell's perf start and stop patches kernel text\n",
			err);
}

static void teardown(struct run_ctx *r)
{
	char err[ERR_LEN];

	if (stop_target(r, err))
		fprintf(stderr, "ubmap-bench: warning: %s\n", err);
	/*
	 * In vm-run's guest the holder stays until the power-off: its close
	 * patched kernel text once more and stalled a profiled run after its
	 * last cell (20261208-023009-4c35af5).  Elsewhere it ends with the run.
	 */
	if (getenv("UBMAP_VM_TIER"))
		perf_leave(&r->hold);
	else if (perf_stop(&r->hold, err))
		fprintf(stderr, "ubmap-bench: warning: the holding perf: %s\n", err);
	if (r->kernel_log) {
		struct klog_counts kc = { 0 };

		klog_read(&r->klog, r->kernel_log, &kc);
	}
}

static json_t *run_json_new(struct run_ctx *r)
{
	json_t *run = json_object();
	char when[32];

	format_time(now_real(), when, sizeof(when));
	json_object_set_new(run, "schema", json_integer(RECORD_SCHEMA));
	json_object_set_new(run, "run_id", json_string(r->o->run_id));
	json_object_set_new(run, "started", json_string(when));
	json_object_set_new(run, "matrix", json_string(r->o->m.path));
	json_object_set_new(run, "effective_matrix", matrix_json(&r->o->m));
	json_object_set_new(run, "command", json_string(r->o->cmdline));
	json_object_set_new(run, "cells", json_integer(r->ncells));
	json_object_set_new(run, "repeats", json_integer(r->reps));
	json_object_set_new(run, "runs_planned", json_integer(r->total));
	json_object_set_new(run, "order", order_to_json(&r->order));
	json_object_set(run, "meta", r->meta);
	json_object_set_new(run, "metrics", metrics_describe());
	/* Filled in as each target is first set up: "available" or why not. */
	json_object_set_new(run, "targets", json_object());
	return run;
}

int bench_run(struct bench_opts *o)
{
	struct run_ctx r = { .o = o, .klog = { .fd = -1 }, .stop = &stop_requested };
	struct sigaction sa = { .sa_handler = on_signal };
	double io_total = 0;
	const char *status;
	int ret;

	r.cells = cells_expand(&o->m, &r.ncells);
	r.reps = o->m.set[SET_REPEAT];
	r.total = r.ncells * r.reps;
	order_make(&r.order, r.cells, r.ncells, r.reps, o->m.set[SET_ORDER],
		   o->m.set[SET_SEED]);
	r.varying = cells_varying(&o->m);
	r.perf_mask = PERF_ALL_EVENTS;
	for (size_t i = 0; i < r.ncells; i++)
		io_total += cell_io_secs(&r.cells[i]) * r.reps;
	if (prepare_dir(&r)) {
		order_free(&r.order);
		free(r.cells);
		return 1;
	}
	if (!perf_tlb_tracepoint_available()) {
		fprintf(stderr, "ubmap-bench: no tlb:tlb_flush tracepoint here; TLB flushes by reason are recorded as unavailable\n");
		r.perf_mask &= ~PERF_TRACEPOINTS;
	}
	if (klog_open(&r.klog))
		fprintf(stderr, "ubmap-bench: cannot read /dev/kmsg (%m); kernel log not checked\n");
	hold_perf(&r);
	/* No SA_RESTART: a ^C must interrupt the waits. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	/* TCG translates the loop once: not in the first cell's time. */
	calib_ns();
	fprintf(stderr, "ubmap-bench: measuring the memcpy bound at each block size\n");
	r.meta = collect_meta(o);
	r.run = run_json_new(&r);
	json_object_set_new(r.run, "memcpy_bound", memcpy_bound_json(r.cells, r.ncells));
	r.t0 = now_mono();
	run_json_update(&r, "running");
	if (module_loaded() && backend_attached(&o->paths)) {
		fprintf(stderr, "ubmap-bench: a backend is attached to ubmap0; stop it first\n");
		ret = -1;
	} else {
		fprintf(stderr, "ubmap-bench: %zu cells x %u repeats = %u runs into %s (tier %s)\n",
			r.ncells, r.reps, r.total, r.dir,
			json_string_value(json_object_get(r.meta, "tier")));
		if (r.order.kind == ORDER_RANDOM)
			fprintf(stderr, "ubmap-bench: random order, seed %lu (SEED=%lu repeats it)\n",
				r.order.seed, r.order.seed);
		else
			fprintf(stderr, "ubmap-bench: grouped order (the matrix's)\n");
		progress_init(&r.prog, stderr, r.total, io_total, o->overhead_guess,
			      r.t0);
		ret = warm_up(&r);
		/* The ETA learns the overhead per run from the runs alone. */
		progress_init(&r.prog, stderr, r.total, io_total, o->overhead_guess,
			      now_mono());
		if (!ret)
			ret = run_matrix(&r);
	}
	teardown(&r);
	remove_scratch(&r);
	status = ret > 0 ? "interrupted" : ret < 0 ? "failed" : "complete";
	run_json_update(&r, status);
	{
		json_t *h = json_object_get(r.run, "harness");

		fprintf(stderr, "ubmap-bench: %s: %u/%u runs (%u failed, %u of unavailable targets), %.0f s, %.0f%% of it in fio; results in %s\n",
			status, r.done, r.total, r.failed, r.unavail_runs,
			json_number_value(json_object_get(h, "wall_s")),
			100 * json_number_value(json_object_get(h, "fio_ratio")),
			r.dir);
	}
	klog_close(&r.klog);
	fclose(r.jsonl);
	fclose(r.csv);
	fclose(r.kernel_log);
	json_decref(r.run);
	json_decref(r.meta);
	order_free(&r.order);
	free(r.cells);
	if (ret > 0)
		return 130;
	return ret < 0 || r.failed ? 1 : 0;
}

int bench_mark(const char *out, const char *status, double host_wall)
{
	char path[PATH_MAX];
	json_error_t jerr;
	json_t *run, *h;

	snprintf(path, sizeof(path), "%s/run.json", out);
	run = json_load_file(path, 0, &jerr);
	if (!run) {
		/* The guest died before writing it: say so in a stub. */
		run = json_object();
		json_object_set_new(run, "note", json_string("run.json missing: the run never started"));
	}
	if (status) {
		const char *cur = json_string_value(json_object_get(run, "status"));

		/* Only a run that did not finish can be marked. */
		if (!cur || !strcmp(cur, "running"))
			json_object_set_new(run, "status", json_string(status));
	}
	h = json_object_get(run, "harness");
	if (host_wall > 0 && json_is_object(h)) {
		double fio = json_number_value(json_object_get(h, "fio_s"));

		json_object_set_new(h, "host_wall_s", jnum(host_wall));
		json_object_set_new(h, "host_fio_ratio", jnum(fio / host_wall));
	}
	if (json_write_file(path, run)) {
		fprintf(stderr, "ubmap-bench: cannot write %s: %m\n", path);
		json_decref(run);
		return 1;
	}
	json_decref(run);
	return 0;
}
