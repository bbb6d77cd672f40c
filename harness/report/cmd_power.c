// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-report power RUN_DIR [--effect PCT] [--alpha A]: how many repeats a
 * matrix needs for the report to find a PCT difference, at the noise this
 * run measured (power.h).
 */
#include <limits.h>
#include <stdio.h>

#include "cli.h"
#include "cmd.h"
#include "dataset.h"
#include "power.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ubmap-report power RUN_DIR [--effect PCT] [--alpha A]\n"
		"The power of the report's IOPS test (Welch, Holm-corrected over the run's\n"
		"family) to find a PCT (default 10) difference between two cells, by repeats\n"
		"a cell, at this run's repeat-to-repeat CoeffVar; simulated, seeded.\n");
}

struct power_args {
	double effect, alpha;
};

static const struct cli_opt opts[] = {
	CLI_NUM("effect", struct power_args, effect, 0.1, 1000),
	CLI_NUM("alpha", struct power_args, alpha, 1e-6, 0.5),
	CLI_END
};

static const struct cli_cmd cmd = { "power", opts, 1, usage };

int cmd_power(int argc, char **argv)
{
	struct power_args a = { .effect = 10, .alpha = DEFAULT_ALPHA };
	struct strbuf out = STRBUF_INIT;
	char err[PATH_MAX + 256];
	struct dataset d;
	struct run r;
	int ret = EXIT_OK;

	if (cli_load_run(&cmd, argc, argv, &a, &r, &d, &ret))
		return ret;
	sb_printf(&out, "ubmap power: run %s (%s)\n", r.id, r.dir);
	if (power_report(&d, a.effect / 100, a.alpha, &out, err, sizeof(err))) {
		fprintf(stderr, "ubmap-report power: %s\n", err);
		ret = EXIT_FAIL;
	} else {
		fputs(sb_str(&out), stdout);
	}
	sb_free(&out);
	cli_run_free(&r, &d);
	return ret;
}
