// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-report trend CSV: IOPS per cell across the CI history as text,
 * and with --out as a plot.
 */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "cmd.h"
#include "gnuplot.h"
#include "trend.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: ubmap-report trend CSV [--last N] [--out DIR] [--scripts DIR]\n"
		   "Prints IOPS per cell over the last N runs (default 5) of the newest\n"
		   "line's tier and matrix; with --out also draws DIR/trend-iops.*.\n");
}

struct trend_args {
	double last;
	const char *out, *scripts, *formats;
};

static const struct cli_opt opts[] = {
	CLI_NUM("last", struct trend_args, last, 1, 1000),
	CLI_STR("out", struct trend_args, out),
	CLI_STR("scripts", struct trend_args, scripts),
	CLI_STR("formats", struct trend_args, formats),
	CLI_END
};

static const struct cli_cmd cmd = { "trend", opts, 1, usage };

int cmd_trend(int argc, char **argv)
{
	struct trend_args a = { .last = 5, .formats = "png svg txt" };
	char err[PATH_MAX + 256], scripts[PATH_MAX];
	struct strbuf text = STRBUF_INIT;
	char **args;
	int ret = EXIT_OK;

	if (cli_parse(&cmd, argc, argv, &a, &args, &ret))
		return ret;
	if (trend_table(args[0], (size_t)a.last, &text, err, sizeof(err))) {
		fprintf(stderr, "ubmap-report trend: %s\n", err);
		return EXIT_FAIL;
	}
	fputs(sb_str(&text), stdout);
	sb_free(&text);
	if (a.out) {
		gp_scripts_dir(a.scripts, scripts, sizeof(scripts));
		if (trend_plots(args[0], a.out, scripts, a.formats, err, sizeof(err))) {
			fprintf(stderr, "ubmap-report trend: %s\n", err);
			ret = EXIT_FAIL;
		}
	}
	return ret;
}
