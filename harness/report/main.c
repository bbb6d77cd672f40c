// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-report: reports, plots and regression checks from the records a
 * bench run left (results/<run-id>/results.jsonl).  It never runs
 * anything but gnuplot.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "report", cmd_report, "RUN_DIR: report.txt (80 columns) and report.md" },
	{ "plots", cmd_plots, "RUN_DIR [--history CSV]: PNG, SVG and text plots" },
	{ "compare", cmd_compare, "BASE_DIR NEW_DIR: changes and a CI verdict" },
	{ "history-append", cmd_history_append, "RUN_DIR CSV: add a run to the CI history" },
	{ "trend", cmd_trend, "CSV [--out DIR]: IOPS per cell across CI runs" },
	{ "insn", cmd_insn, "RUN_DIR: instructions per request by group (PROFILE=insn)" },
	{ "power", cmd_power, "RUN_DIR: repeats needed to find a 10% difference at this run's noise" },
	{ "agree", cmd_agree, "RUN_A RUN_B: does either run contradict the other's findings?" },
	{ "microbench", cmd_microbench, "DIR: map/unmap cost per page and call by mode (make microbench)" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ubmap-report COMMAND ARGS (COMMAND --help for more)\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-15s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "Exit status: 0 ok, 1 failure or regression, 2 bad usage or refusal.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "ubmap-report: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
