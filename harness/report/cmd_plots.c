// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-report plots RUN_DIR: the run's plots, and with --history the CI
 * trend beside them.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>

#include "cli.h"
#include "cmd.h"
#include "dataset.h"
#include "gnuplot.h"
#include "plots.h"
#include "trend.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ubmap-report plots RUN_DIR [--history CSV] [--scripts DIR] [--formats \"png svg txt\"]\n"
		"Writes RUN_DIR/plots/<section>-<plot>.{png,svg,txt}; with --history also\n"
		"RUN_DIR/plots/trend-*.{png,svg,txt} from the CI history.\n");
}

int cmd_plots(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "history", required_argument, NULL, 'H' },
		{ "scripts", required_argument, NULL, 's' },
		{ "formats", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *history = NULL, *scripts_opt = NULL, *formats = "png svg txt";
	char err[PATH_MAX + 256], scripts[PATH_MAX], out[PATH_MAX + 16];
	struct dataset d;
	struct run r;
	int c, ret = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'H':
			history = optarg;
			break;
		case 's':
			scripts_opt = optarg;
			break;
		case 'f':
			formats = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	gp_scripts_dir(scripts_opt, scripts, sizeof(scripts));
	if (run_load(&r, argv[optind], err, sizeof(err))) {
		fprintf(stderr, "ubmap-report plots: %s\n", err);
		return EXIT_FAIL;
	}
	dataset_build(&d, &r);
	if (plots_write(&d, scripts, formats, err, sizeof(err))) {
		fprintf(stderr, "ubmap-report plots: %s\n", err);
		ret = EXIT_FAIL;
	}
	snprintf(out, sizeof(out), "%s/plots", r.dir);
	if (!ret && history &&
	    trend_plots(history, out, scripts, formats, err, sizeof(err))) {
		fprintf(stderr, "ubmap-report plots: %s\n", err);
		ret = EXIT_FAIL;
	}
	if (!ret)
		fprintf(stderr, "plots: %s/ (%s)\n", out, formats);
	dataset_free(&d);
	run_free(&r);
	return ret;
}
