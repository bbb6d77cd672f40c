// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-report plots RUN_DIR: the run's plots, and with --history the CI
 * trend beside them.
 */
#include <limits.h>
#include <stddef.h>
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

struct plots_args {
	const char *history, *scripts, *formats;
};

static const struct cli_opt opts[] = {
	CLI_STR("history", struct plots_args, history),
	CLI_STR("scripts", struct plots_args, scripts),
	CLI_STR("formats", struct plots_args, formats),
	CLI_END
};

static const struct cli_cmd cmd = { "plots", opts, 1, usage };

int cmd_plots(int argc, char **argv)
{
	struct plots_args a = { .formats = "png svg txt" };
	char err[PATH_MAX + 256], scripts[PATH_MAX], out[PATH_MAX + 16];
	struct dataset d;
	struct run r;
	int ret = EXIT_OK;

	if (cli_load_run(&cmd, argc, argv, &a, &r, &d, &ret))
		return ret;
	gp_scripts_dir(a.scripts, scripts, sizeof(scripts));
	if (plots_write(&d, scripts, a.formats, err, sizeof(err))) {
		fprintf(stderr, "ubmap-report plots: %s\n", err);
		ret = EXIT_FAIL;
	}
	snprintf(out, sizeof(out), "%s/plots", r.dir);
	if (!ret && a.history &&
	    trend_plots(a.history, out, scripts, a.formats, err, sizeof(err))) {
		fprintf(stderr, "ubmap-report plots: %s\n", err);
		ret = EXIT_FAIL;
	}
	if (!ret)
		fprintf(stderr, "plots: %s/ (%s)\n", out, a.formats);
	cli_run_free(&r, &d);
	return ret;
}
