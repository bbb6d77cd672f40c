// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-report microbench DIR: the tables and plots of a microbenchmark
 * (make microbench), into DIR/microbench.md and DIR/plots/.
 */
#include <limits.h>
#include <stdio.h>

#include "cli.h"
#include "cmd.h"
#include "fsutil.h"
#include "gnuplot.h"
#include "mb_report.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ubmap-report microbench DIR [--against RUN_DIR] [--scripts DIR]\n"
		"                                  [--formats \"png svg txt\"] [--no-plots]\n"
		"Writes DIR/microbench.md (per page kind: each mode's ns per page, map calls\n"
		"per batch and, when profiled, instructions per page by group) and\n"
		"DIR/plots/microbench-<kind>.*, from ubmap-bench microbench's DIR; each\n"
		"half fitted per call and per page, and with --against those fits beside\n"
		"a bench run's measured map + unmap time per request (a model).\n");
}

struct mb_args {
	const char *against, *scripts, *formats;
	bool no_plots;
};

static const struct cli_opt opts[] = {
	CLI_STR("against", struct mb_args, against),
	CLI_STR("scripts", struct mb_args, scripts),
	CLI_STR("formats", struct mb_args, formats),
	CLI_FLAG("no-plots", struct mb_args, no_plots),
	CLI_END
};

static const struct cli_cmd cmd = { "microbench", opts, 1, usage };

int cmd_microbench(int argc, char **argv)
{
	struct mb_args a = { .formats = "png svg txt" };
	char err[PATH_MAX + 256], scripts[PATH_MAX], out[PATH_MAX + 16];
	struct strbuf md = STRBUF_INIT;
	char **args;
	int ret = EXIT_OK;

	if (cli_parse(&cmd, argc, argv, &a, &args, &ret))
		return ret;
	gp_scripts_dir(a.scripts, scripts, sizeof(scripts));
	if (mb_report(args[0], a.against, &md, a.no_plots ? NULL : scripts, a.formats, err,
		      sizeof(err))) {
		fprintf(stderr, "ubmap-report microbench: %s\n", err);
		ret = EXIT_FAIL;
	}
	snprintf(out, sizeof(out), "%s/microbench.md", args[0]);
	if (!ret && write_text(out, sb_str(&md))) {
		fprintf(stderr, "ubmap-report microbench: %s: %m\n", out);
		ret = EXIT_FAIL;
	}
	if (!ret)
		fputs(sb_str(&md), stdout);
	sb_free(&md);
	return ret;
}
