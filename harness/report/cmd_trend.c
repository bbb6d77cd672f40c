// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-report trend CSV: IOPS per cell across the CI history as text,
 * and with --out as a plot.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>

#include "cli.h"
#include "cmd.h"
#include "gnuplot.h"
#include "trend.h"

static void usage_trend(FILE *f)
{
	fprintf(f, "usage: ubmap-report trend CSV [--last N] [--out DIR] [--scripts DIR]\n"
		   "Prints IOPS per cell over the last N runs (default 5) of the newest\n"
		   "line's tier and matrix; with --out also draws DIR/trend-iops.*.\n");
}

int cmd_trend(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "last", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' },
		{ "scripts", required_argument, NULL, 's' },
		{ "formats", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *outdir = NULL, *scripts_opt = NULL, *formats = "png svg txt";
	char err[PATH_MAX + 256], scripts[PATH_MAX];
	struct strbuf text = STRBUF_INIT;
	double last = 5;
	int opt, ret = EXIT_OK;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (parse_number_opt("trend", "--last", optarg, 1, 1000, &last))
				return EXIT_USAGE;
			break;
		case 'o':
			outdir = optarg;
			break;
		case 's':
			scripts_opt = optarg;
			break;
		case 'f':
			formats = optarg;
			break;
		case 'h':
			usage_trend(stdout);
			return EXIT_OK;
		default:
			usage_trend(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		usage_trend(stderr);
		return EXIT_USAGE;
	}
	if (trend_table(argv[optind], (size_t)last, &text, err, sizeof(err))) {
		fprintf(stderr, "ubmap-report trend: %s\n", err);
		return EXIT_FAIL;
	}
	fputs(sb_str(&text), stdout);
	sb_free(&text);
	if (outdir) {
		gp_scripts_dir(scripts_opt, scripts, sizeof(scripts));
		if (trend_plots(argv[optind], outdir, scripts, formats, err, sizeof(err))) {
			fprintf(stderr, "ubmap-report trend: %s\n", err);
			ret = EXIT_FAIL;
		}
	}
	return ret;
}
