// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-report history-append RUN_DIR CSV: one line per cell of the run
 * added to the CI history, once, and only to a file of the same layout.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "csv.h"
#include "history.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: ubmap-report history-append RUN_DIR CSV [--verdict WORD]\n"
		   "Appends a line per cell of the run to CSV (created with a header if\n"
		   "missing).  WORD records compare's verdict: ok, regression, refused;\n"
		   "counts-ok etc. when only the counts were gated.\n");
}

struct append_args {
	const char *verdict;
};

static const struct cli_opt opts[] = {
	CLI_STR("verdict", struct append_args, verdict),
	CLI_END
};

static const struct cli_cmd cmd = { "history-append", opts, 2, usage };

int cmd_history_append(int argc, char **argv)
{
	struct strbuf want = STRBUF_INIT, text = STRBUF_INIT;
	struct append_args a = { .verdict = "" };
	const char *path;
	char err[512], **args;
	struct dataset d;
	struct csv c;
	struct run r;
	int ret = EXIT_OK;
	FILE *f;

	if (cli_parse(&cmd, argc, argv, &a, &args, &ret))
		return ret;
	path = args[1];
	if (run_load(&r, args[0], err, sizeof(err))) {
		fprintf(stderr, "ubmap-report history-append: %s\n", err);
		return EXIT_FAIL;
	}
	history_header(&want);
	if (!csv_load(path, &c) && c.n) {
		struct strbuf have = STRBUF_INIT;

		for (size_t i = 0; i < c.nf[0]; i++)
			sb_printf(&have, "%s%s", i ? "," : "", c.row[0][i]);
		/* Columns are found by name, but one file, one layout. */
		if (strcmp(sb_str(&have), sb_str(&want))) {
			fprintf(stderr,
				"ubmap-report history-append: %s has other columns than this version writes;\n"
				"  start a new file or convert it (have: %s)\n", path, sb_str(&have));
			ret = EXIT_FAIL;
		} else if (history_has_run(&c, r.id)) {
			fprintf(stderr, "history: run %s is already in %s; not added again\n",
				r.id, path);
			sb_free(&have);
			goto out;
		}
		sb_free(&have);
	} else {
		sb_printf(&text, "%s\n", sb_str(&want));
	}
	if (ret)
		goto out;
	dataset_build(&d, &r);
	history_lines(&d, a.verdict, &text);
	dataset_free(&d);
	f = fopen(path, "a");
	if (!f || fputs(sb_str(&text), f) == EOF || fclose(f)) {
		fprintf(stderr, "ubmap-report history-append: %s: %s\n", path, strerror(errno));
		ret = EXIT_FAIL;
	} else {
		fprintf(stderr, "history: run %s appended to %s\n", r.id, path);
	}
out:
	csv_free(&c);
	sb_free(&want);
	sb_free(&text);
	run_free(&r);
	return ret;
}

