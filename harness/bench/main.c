// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-bench: run a benchmark matrix against the ubmap module.  One row
 * of cmds[] per subcommand; its options are parsed once for all (cli.c).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "util.h"

static const struct {
	const char *name;
	int (*fn)(struct bench_args *a);
	/* After "ubmap-bench NAME"; a \n continues under the first line. */
	const char *synopsis;
} cmds[] = {
	/* Validate a matrix and list its cells; the host runs it first. */
	{ "plan", cmd_plan, "--matrix NAME|FILE [--AXIS VALUES]... [--estimate]" },
	/* Execute it here (in the guest, or natively where modules load). */
	{ "run", cmd_run, "--matrix NAME|FILE --out DIR [--AXIS VALUES]...\n"
			  "[--meta KEY=VALUE]... [--run-id ID] [--ko PATH] [--ko-params P] [--ubmapd PATH] [--ublk-ko PATH]" },
	/* Update run.json from the host once the guest is gone. */
	{ "mark", cmd_mark, "--out DIR [--status STATUS] [--host-wall SECS]" },
	/* List the axes, settings and their values. */
	{ "axes", cmd_axes, "[--vars]" },
	/* The mapping modes, one a line, for scripts. */
	{ "modes", cmd_modes, "" },
	/* The memcpy bound at the matrix's block sizes. */
	{ "memcpy", cmd_memcpy, "[--matrix NAME|FILE] [--bs SIZES]" },
	/* The targets, one a line, for scripts. */
	{ "targets", cmd_targets, "" },
	/* Each mode's map and unmap of N pages, without a request (test-only ioctl). */
	{ "microbench", cmd_microbench, "--out DIR [--mode M,...] [--pages LIST] [--iterations K]" },
	/* The bench's perf events open and disabled until SIGTERM (perf.c, perf_hold). */
	{ "perf-hold", cmd_perf_hold, "" },
	/* One target up, a command against it (UBMAP_DEV), down again. */
	{ "serve", cmd_serve, "--target T [--store S] [--mode M] [--queues N] -- CMD..." },
};

static void usage(FILE *f)
{
	int w = 0;

	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		if ((int)strlen(cmds[i].name) > w)
			w = strlen(cmds[i].name);
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		const char *s = cmds[i].synopsis, *nl;
		/* Names padded so that the synopses line up; none without one. */
		int col = fprintf(f, "%-6s ubmap-bench %-*s", i ? "" : "usage:",
				  *s ? w : 0, cmds[i].name);

		for (; (nl = strchr(s, '\n')); s = nl + 1)
			fprintf(f, " %.*s\n%*s", (int)(nl - s), s, col, "");
		fprintf(f, "%s%s\n", *s ? " " : "", s);
	}
	fprintf(f,
		"\n"
		"A matrix NAME is workloads/NAME.matrix.  --AXIS VALUES (e.g. --bs 4k,1m,\n"
		"--mode all, --repeat 3) replaces that axis or setting of the matrix.\n"
		"Exit status: 0 ok, 1 a run failed, 2 bad input, 130 interrupted.\n");
}

int main(int argc, char **argv)
{
	struct bench_args a;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	/* Options before the command name's check: as ubmap-bench always did. */
	switch (bench_args_parse(&a, argc, argv)) {
	case ARGS_HELP:
		usage(stdout);
		return 0;
	case ARGS_BAD:
		return 2;
	}
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(a.cmd, cmds[i].name))
			return cmds[i].fn(&a);
	fprintf(stderr, "ubmap-bench: unknown command '%s'\n", a.cmd);
	usage(stderr);
	return 2;
}
