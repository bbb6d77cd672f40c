// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-bench: run a benchmark matrix against the ubmap module.
 *
 *   plan  validate a matrix (+ overrides) and list its cells; no side effects,
 *         so the host runs it before booting a guest
 *   run   execute it here (in the guest, or natively where modules load)
 *   mark  update run.json from the host once the guest is gone
 *   axes  list the axes, settings and their values; --vars: only each one's
 *         make variable and option name, for scripts/bench.sh
 *   modes the module's mapping modes, one a line, for scripts
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "cells.h"
#include "matrix.h"
#include "run.h"
#include "util.h"

/*
 * Measured under TCG on 2 cores, quiet machine: fio's change from one job
 * to the next, with our hooks, per run; module reload, ubmapd start,
 * prefill and fio start per group; guest boot.
 */
#define OVERHEAD_GUESS_S	0.55
#define GROUP_GUESS_S		2.5
#define BOOT_GUESS_S		12.0

enum { OPT_MATRIX = 1, OPT_OUT, OPT_RUN_ID, OPT_META, OPT_KO, OPT_UBMAPD,
       OPT_ESTIMATE, OPT_STATUS, OPT_HOST_WALL, OPT_OVERHEAD, OPT_VARS, OPT_HELP,
       OPT_AXIS = 100, OPT_SETTING = 200 };

static char top[PATH_MAX];

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ubmap-bench plan --matrix NAME|FILE [--AXIS VALUES]... [--estimate]\n"
		"       ubmap-bench run  --matrix NAME|FILE --out DIR [--AXIS VALUES]...\n"
		"                        [--meta KEY=VALUE]... [--run-id ID] [--ko PATH] [--ubmapd PATH]\n"
		"       ubmap-bench mark --out DIR [--status STATUS] [--host-wall SECS]\n"
		"       ubmap-bench axes [--vars]\n"
		"       ubmap-bench modes\n"
		"\n"
		"A matrix NAME is workloads/NAME.matrix.  --AXIS VALUES (e.g. --bs 4k,1m,\n"
		"--mode all, --repeat 3) replaces that axis or setting of the matrix.\n"
		"Exit status: 0 ok, 1 a run failed, 2 bad input, 130 interrupted.\n");
}

/* The repository: this binary lives in <top>/harness/build/. */
static void find_top(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *p;

	if (n > 0) {
		exe[n] = '\0';
		for (int i = 0; i < 3 && (p = strrchr(exe, '/')); i++)
			*p = '\0';
		snprintf(top, sizeof(top), "%s", exe);
		if (access(top, F_OK) == 0 && *top)
			return;
	}
	if (!getcwd(top, sizeof(top)))
		snprintf(top, sizeof(top), ".");
}

static char *top_path(const char *rel)
{
	char *p;

	if (asprintf(&p, "%s/%s", top, rel) < 0)
		abort();
	return p;
}

static const char *matrix_file(const char *arg, char *buf, size_t len)
{
	if (strchr(arg, '/') || access(arg, F_OK) == 0)
		return arg;
	if (snprintf(buf, len, "%s/workloads/%s.matrix", top, arg) >= (int)len)
		return arg;	/* too long to be ours: let the open fail */
	return buf;
}

static int check_tools(const char *const *tools, size_t n)
{
	static const char *const pkg[][2] = {
		{ "fio", "fio" }, { "perf", "linux-perf" }, { "gnuplot", "gnuplot-nox" },
	};
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		const char *p = tools[i];

		if (in_path(tools[i]))
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(pkg); k++)
			if (!strcmp(pkg[k][0], tools[i]))
				p = pkg[k][1];
		fprintf(stderr, "ubmap-bench: %s not found in PATH (install %s; make deps)\n",
			tools[i], p);
		bad = 1;
	}
	return bad;
}

static int check_built(const struct ubmap_paths *p)
{
	int bad = 0;

	if (access(p->ko, R_OK)) {
		fprintf(stderr, "ubmap-bench: %s is missing (make -C kmods/ubmap)\n", p->ko);
		bad = 1;
	}
	if (access(p->ubmapd, X_OK)) {
		fprintf(stderr, "ubmap-bench: %s is missing (make -C harness)\n", p->ubmapd);
		bad = 1;
	}
	return bad;
}

/* Seconds the run should take: I/O, per-run tool start-up, per-group setup. */
static double estimate(const struct matrix *m, size_t *runs)
{
	size_t n;
	struct cell *cells = cells_expand(m, &n);
	unsigned int reps = m->set[SET_REPEAT];
	double io = 0;

	for (size_t i = 0; i < n; i++)
		io += cell_io_secs(&cells[i]);
	io = io * reps + n * reps * OVERHEAD_GUESS_S +
	     cells_groups(cells, n) * reps * GROUP_GUESS_S + BOOT_GUESS_S;
	free(cells);
	*runs = n * reps;
	return io;
}

static void print_plan(const struct matrix *m)
{
	size_t n, runs;
	struct cell *cells = cells_expand(m, &n);
	unsigned int reps = m->set[SET_REPEAT], varying = cells_varying(m);
	double io = 0;
	char buf[512], d1[32], d2[32];

	for (size_t i = 0; i < n; i++)
		io += cell_io_secs(&cells[i]) * reps;
	matrix_write(m, stdout);
	format_duration(io, d1, sizeof(d1));
	format_duration(estimate(m, &runs), d2, sizeof(d2));
	printf("# %zu cells x %u repeats = %zu runs; %s of fio I/O, about %s in all (TCG)\n",
	       n, reps, runs, d1, d2);
	for (size_t i = 0; i < n; i++) {
		cell_label(&cells[i], varying, buf, sizeof(buf));
		printf("%4zu  %s\n", i + 1, buf);
	}
	free(cells);
}

int main(int argc, char **argv)
{
	struct option opts[AX_COUNT + SET_COUNT + 16];
	struct bench_opts o = { .overhead_guess = OVERHEAD_GUESS_S };
	struct { int key; const char *val; } ov[64];
	const char *cmd, *matrix = NULL, *status = NULL;
	char err[ERR_LEN], mpath[PATH_MAX];
	double host_wall = 0;
	bool want_estimate = false, want_vars = false;
	int c, n = 0, nov = 0;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	cmd = argv[1];
	find_top();
	o.paths = ubmap_default_paths;
	o.paths.ko = top_path(ubmap_default_paths.ko);
	o.paths.ubmapd = top_path(ubmap_default_paths.ubmapd);

	/* One --NAME per axis and setting, straight from their tables. */
	for (int i = 0; i < AX_COUNT; i++)
		opts[n++] = (struct option){ axes[i].name, required_argument, NULL, OPT_AXIS + i };
	for (int i = 0; i < SET_COUNT; i++)
		opts[n++] = (struct option){ settings[i].name, required_argument, NULL, OPT_SETTING + i };
	opts[n++] = (struct option){ "matrix", required_argument, NULL, OPT_MATRIX };
	opts[n++] = (struct option){ "out", required_argument, NULL, OPT_OUT };
	opts[n++] = (struct option){ "run-id", required_argument, NULL, OPT_RUN_ID };
	opts[n++] = (struct option){ "meta", required_argument, NULL, OPT_META };
	opts[n++] = (struct option){ "ko", required_argument, NULL, OPT_KO };
	opts[n++] = (struct option){ "ubmapd", required_argument, NULL, OPT_UBMAPD };
	opts[n++] = (struct option){ "estimate", no_argument, NULL, OPT_ESTIMATE };
	opts[n++] = (struct option){ "status", required_argument, NULL, OPT_STATUS };
	opts[n++] = (struct option){ "host-wall", required_argument, NULL, OPT_HOST_WALL };
	opts[n++] = (struct option){ "overhead", required_argument, NULL, OPT_OVERHEAD };
	opts[n++] = (struct option){ "vars", no_argument, NULL, OPT_VARS };
	opts[n++] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	opts[n] = (struct option){ NULL, 0, NULL, 0 };

	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if ((c >= OPT_AXIS && c < OPT_AXIS + AX_COUNT) ||
		    (c >= OPT_SETTING && c < OPT_SETTING + SET_COUNT)) {
			/* Applied after the file, in order, whatever came first. */
			if (nov == (int)ARRAY_SIZE(ov)) {
				fprintf(stderr, "ubmap-bench: too many overrides\n");
				return 2;
			}
			ov[nov].key = c;
			ov[nov++].val = optarg;
			continue;
		}
		switch (c) {
		case OPT_MATRIX:
			matrix = optarg;
			break;
		case OPT_OUT:
			o.out = optarg;
			break;
		case OPT_RUN_ID:
			o.run_id = optarg;
			break;
		case OPT_META:
			if (!strchr(optarg, '=') || *optarg == '=') {
				fprintf(stderr, "ubmap-bench: --meta wants KEY=VALUE, not '%s'\n", optarg);
				return 2;
			}
			strv_add(&o.meta, "%s", optarg);
			break;
		case OPT_KO:
			o.paths.ko = optarg;
			break;
		case OPT_UBMAPD:
			o.paths.ubmapd = optarg;
			break;
		case OPT_ESTIMATE:
			want_estimate = true;
			break;
		case OPT_STATUS:
			status = optarg;
			break;
		case OPT_HOST_WALL:
			host_wall = atof(optarg);
			break;
		case OPT_OVERHEAD:
			o.overhead_guess = atof(optarg);
			break;
		case OPT_VARS:
			want_vars = true;
			break;
		case OPT_HELP:
			usage(stdout);
			return 0;
		case ':':
			fprintf(stderr, "ubmap-bench: option '%s' needs a value\n", argv[optind - 1]);
			return 2;
		default:
			fprintf(stderr, "ubmap-bench: unknown option '%s' (ubmap-bench axes lists the axes)\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ubmap-bench: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}

	if (!strcmp(cmd, "axes")) {
		if (want_vars)
			matrix_vars(stdout);
		else
			matrix_describe(stdout);
		return 0;
	}
	if (!strcmp(cmd, "modes")) {
		for (const char *const *v = axes[AX_MODE].values; *v; v++)
			puts(*v);
		return 0;
	}
	if (!strcmp(cmd, "mark")) {
		if (!o.out) {
			fprintf(stderr, "ubmap-bench: mark needs --out DIR\n");
			return 2;
		}
		return bench_mark(o.out, status, host_wall);
	}
	if (strcmp(cmd, "plan") && strcmp(cmd, "run")) {
		fprintf(stderr, "ubmap-bench: unknown command '%s'\n", cmd);
		usage(stderr);
		return 2;
	}

	/* Everything about the input is checked before anything runs. */
	if (!matrix) {
		fprintf(stderr, "ubmap-bench: %s needs --matrix NAME|FILE\n", cmd);
		return 2;
	}
	matrix_init(&o.m);
	if (matrix_load(&o.m, matrix_file(matrix, mpath, sizeof(mpath)), err)) {
		fprintf(stderr, "ubmap-bench: %s\n", err);
		return 2;
	}
	for (int i = 0; i < nov; i++) {
		const char *key = ov[i].key < OPT_SETTING ?
				  axes[ov[i].key - OPT_AXIS].name :
				  settings[ov[i].key - OPT_SETTING].name;

		if (matrix_override(&o.m, key, ov[i].val, err)) {
			fprintf(stderr, "ubmap-bench: %s\n", err);
			return 2;
		}
	}
	if (matrix_check(&o.m, err)) {
		fprintf(stderr, "ubmap-bench: %s\n", err);
		return 2;
	}

	if (!strcmp(cmd, "plan")) {
		static const char *const tools[] = { "fio", "perf", "gnuplot" };

		if (check_tools(tools, ARRAY_SIZE(tools)) | check_built(&o.paths))
			return 2;
		if (want_estimate) {
			size_t runs;

			printf("%.0f\n", estimate(&o.m, &runs));
		} else {
			print_plan(&o.m);
		}
		return 0;
	}

	{
		static const char *const tools[] = { "fio", "perf" };

		if (!o.out) {
			fprintf(stderr, "ubmap-bench: run needs --out DIR\n");
			return 2;
		}
		if (check_tools(tools, ARRAY_SIZE(tools)) | check_built(&o.paths))
			return 2;
		if (geteuid()) {
			fprintf(stderr, "ubmap-bench: run needs root (module, perf -a, /dev/kmsg)\n");
			return 2;
		}
	}
	if (!o.run_id) {
		const char *slash;
		size_t len = strlen(o.out);

		while (len > 1 && o.out[len - 1] == '/')
			len--;
		slash = memrchr(o.out, '/', len);
		o.run_id = strndup(slash ? slash + 1 : o.out,
				   len - (slash ? slash + 1 - o.out : 0));
	}
	{
		struct strv all = { 0 };

		for (int i = 0; i < argc; i++)
			strv_add(&all, "%s", argv[i]);
		o.cmdline = strv_join(&all);
		strv_free(&all);
	}
	return bench_run(&o);
}
