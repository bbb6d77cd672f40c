// SPDX-License-Identifier: GPL-2.0
/* ubmap-report insn RUN_DIR: instructions per request by group (PROFILE=insn runs). */
#include <limits.h>
#include <stdio.h>

#include "cli.h"
#include "cmd.h"
#include "insn_table.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: ubmap-report insn RUN_DIR\n"
		   "Prints instructions per device request by group for each cell of a run\n"
		   "made with make bench PROFILE=insn.\n");
}

struct insn_args {
	int unused;
};

static const struct cli_opt opts[] = {
	CLI_END
};

static const struct cli_cmd cmd = { "insn", opts, 1, usage };

int cmd_insn(int argc, char **argv)
{
	struct insn_args a = { 0 };
	struct strbuf text = STRBUF_INIT;
	char err[PATH_MAX + 256];
	char **args;
	int ret = EXIT_OK;

	if (cli_parse(&cmd, argc, argv, &a, &args, &ret))
		return ret;
	if (insn_table(args[0], &text, err, sizeof(err))) {
		fprintf(stderr, "ubmap-report insn: %s\n", err);
		return EXIT_FAIL;
	}
	fputs(sb_str(&text), stdout);
	sb_free(&text);
	return ret;
}
