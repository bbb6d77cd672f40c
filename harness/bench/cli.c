// SPDX-License-Identifier: GPL-2.0
/* ubmap-bench's options, parsed once for every subcommand (cli.h). */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "matrix.h"
#include "util.h"

enum { OPT_MATRIX = 1, OPT_OUT, OPT_RUN_ID, OPT_META, OPT_KO, OPT_KO_PARAMS, OPT_UBMAPD, OPT_UBLK_KO,
       OPT_PAGES, OPT_ITERATIONS,
       OPT_ESTIMATE, OPT_VARS, OPT_STATUS, OPT_HOST_WALL, OPT_OVERHEAD, OPT_HELP,
       OPT_AXIS = 100, OPT_SETTING = 200 };

static char top[PATH_MAX];

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

/* One --NAME per axis and setting, straight from their tables. */
static void long_options(struct option *opts)
{
	int n = 0;

	for (int i = 0; i < AX_COUNT; i++)
		opts[n++] = (struct option){ axes[i].name, required_argument, NULL, OPT_AXIS + i };
	for (int i = 0; i < SET_COUNT; i++)
		opts[n++] = (struct option){ settings[i].name, required_argument, NULL, OPT_SETTING + i };
	opts[n++] = (struct option){ "matrix", required_argument, NULL, OPT_MATRIX };
	opts[n++] = (struct option){ "out", required_argument, NULL, OPT_OUT };
	opts[n++] = (struct option){ "run-id", required_argument, NULL, OPT_RUN_ID };
	opts[n++] = (struct option){ "meta", required_argument, NULL, OPT_META };
	opts[n++] = (struct option){ "ko", required_argument, NULL, OPT_KO };
	opts[n++] = (struct option){ "ko-params", required_argument, NULL, OPT_KO_PARAMS };
	opts[n++] = (struct option){ "ubmapd", required_argument, NULL, OPT_UBMAPD };
	opts[n++] = (struct option){ "ublk-ko", required_argument, NULL, OPT_UBLK_KO };
	opts[n++] = (struct option){ "pages", required_argument, NULL, OPT_PAGES };
	opts[n++] = (struct option){ "iterations", required_argument, NULL, OPT_ITERATIONS };
	opts[n++] = (struct option){ "estimate", no_argument, NULL, OPT_ESTIMATE };
	opts[n++] = (struct option){ "vars", no_argument, NULL, OPT_VARS };
	opts[n++] = (struct option){ "status", required_argument, NULL, OPT_STATUS };
	opts[n++] = (struct option){ "host-wall", required_argument, NULL, OPT_HOST_WALL };
	opts[n++] = (struct option){ "overhead", required_argument, NULL, OPT_OVERHEAD };
	opts[n++] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	opts[n] = (struct option){ NULL, 0, NULL, 0 };
}

static int add_override(struct bench_args *a, int c, const char *val)
{
	if (a->nov == MAX_OVERRIDES) {
		fprintf(stderr, "ubmap-bench: too many overrides\n");
		return ARGS_BAD;
	}
	a->ov[a->nov].name = c < OPT_SETTING ? axes[c - OPT_AXIS].name :
			     settings[c - OPT_SETTING].name;
	a->ov[a->nov++].val = val;
	return ARGS_OK;
}

/* One option other than an override: ARGS_OK, or why to stop. */
static int take(struct bench_args *a, int c, char **argv)
{
	switch (c) {
	case OPT_MATRIX:
		a->matrix = optarg;
		break;
	case OPT_OUT:
		a->o.out = optarg;
		break;
	case OPT_RUN_ID:
		a->o.run_id = optarg;
		break;
	case OPT_META:
		if (!strchr(optarg, '=') || *optarg == '=') {
			fprintf(stderr, "ubmap-bench: --meta wants KEY=VALUE, not '%s'\n", optarg);
			return ARGS_BAD;
		}
		strv_add(&a->o.meta, "%s", optarg);
		break;
	case OPT_KO:
		a->o.paths.ko = optarg;
		break;
	case OPT_KO_PARAMS:
		/* Appended to ours: a "name=value" list, as insmod takes it. */
		if (strlen(optarg) > KO_PARAMS_MAX || strpbrk(optarg, "\n\"")) {
			fprintf(stderr, "ubmap-bench: --ko-params wants at most %d characters of "
				"name=value words, not '%s'\n", KO_PARAMS_MAX, optarg);
			return ARGS_BAD;
		}
		a->o.paths.ko_params = optarg;
		break;
	case OPT_UBMAPD:
		a->o.paths.ubmapd = optarg;
		break;
	case OPT_UBLK_KO:
		a->o.paths.ublk_ko = optarg;
		break;
	case OPT_PAGES:
		a->mb_pages = optarg;
		break;
	case OPT_ITERATIONS:
		a->mb_iterations = optarg;
		break;
	case OPT_ESTIMATE:
		a->estimate = true;
		break;
	case OPT_VARS:
		a->vars = true;
		break;
	case OPT_STATUS:
		a->status = optarg;
		break;
	case OPT_HOST_WALL:
		a->host_wall = atof(optarg);
		break;
	case OPT_OVERHEAD:
		a->o.overhead_guess = atof(optarg);
		break;
	case OPT_HELP:
		return ARGS_HELP;
	case ':':
		fprintf(stderr, "ubmap-bench: option '%s' needs a value\n", argv[optind - 1]);
		return ARGS_BAD;
	default:
		fprintf(stderr, "ubmap-bench: unknown option '%s' (ubmap-bench axes lists the axes)\n",
			argv[optind - 1]);
		return ARGS_BAD;
	}
	return ARGS_OK;
}

int bench_args_parse(struct bench_args *a, int argc, char **argv)
{
	struct option opts[AX_COUNT + SET_COUNT + 24];
	int c, ret;

	memset(a, 0, sizeof(*a));
	a->cmd = argv[1];
	a->argc = argc;
	a->argv = argv;
	a->o.overhead_guess = OVERHEAD_GUESS_S;
	/* Defaults first, so that --ko, --ubmapd and --ublk-ko replace them. */
	find_top();
	a->o.paths = ubmap_default_paths;
	a->o.paths.ko = top_path(ubmap_default_paths.ko);
	a->o.paths.ubmapd = top_path(ubmap_default_paths.ubmapd);
	a->o.paths.ublk_ko = top_path(ubmap_default_paths.ublk_ko);
	a->o.paths.ublkd = top_path(ubmap_default_paths.ublkd);
	a->o.paths.tcmud = top_path(ubmap_default_paths.tcmud);

	long_options(opts);
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if ((c >= OPT_AXIS && c < OPT_AXIS + AX_COUNT) ||
		    (c >= OPT_SETTING && c < OPT_SETTING + SET_COUNT))
			ret = add_override(a, c, optarg);
		else
			ret = take(a, c, argv);
		if (ret != ARGS_OK)
			return ret;
	}
	if (optind < argc && optind > 2 && !strcmp(argv[optind - 1], "--")) {
		a->rest = argv + optind;
		a->nrest = argc - optind;
	} else if (optind < argc) {
		fprintf(stderr, "ubmap-bench: unexpected argument '%s'\n", argv[optind]);
		return ARGS_BAD;
	}
	return ARGS_OK;
}

int bench_args_matrix(struct bench_args *a)
{
	char err[ERR_LEN], mpath[PATH_MAX];

	/* Everything about the input is checked before anything runs. */
	if (!a->matrix && !a->matrix_optional) {
		fprintf(stderr, "ubmap-bench: %s needs --matrix NAME|FILE\n", a->cmd);
		return 2;
	}
	matrix_init(&a->o.m);
	if (a->matrix &&
	    matrix_load(&a->o.m, matrix_file(a->matrix, mpath, sizeof(mpath)), err)) {
		fprintf(stderr, "ubmap-bench: %s\n", err);
		return 2;
	}
	for (int i = 0; i < a->nov; i++) {
		if (matrix_override(&a->o.m, a->ov[i].name, a->ov[i].val, err)) {
			fprintf(stderr, "ubmap-bench: %s\n", err);
			return 2;
		}
	}
	if (matrix_check(&a->o.m, err)) {
		fprintf(stderr, "ubmap-bench: %s\n", err);
		return 2;
	}
	return 0;
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

int bench_check_host(const char *const *tools, size_t n,
		     const struct ubmap_paths *p)
{
	/* Not ||: every missing piece is named at once. */
	return check_tools(tools, n) | check_built(p) ? 2 : 0;
}
