// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-report report RUN_DIR: writes report.txt and report.md into the
 * run directory, and with --md a copy whose plot links point into it.
 */
#include <libgen.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "dataset.h"
#include "fsutil.h"
#include "report_doc.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: ubmap-report report RUN_DIR [--alpha A] [--md FILE]\n"
		   "Writes RUN_DIR/report.txt (80 columns) and RUN_DIR/report.md;\n"
		   "--md also writes the markdown to FILE (REPORT.md), its plot links\n"
		   "pointing into RUN_DIR.\n");
}

/* RUN_DIR as seen from the directory FILE is in: "results/<id>/". */
static int link_prefix(const char *run_dir, const char *file, char *buf,
		       size_t len)
{
	char run[PATH_MAX], tmp[PATH_MAX], from[PATH_MAX];
	const char *a, *b;
	size_t common = 0;

	snprintf(tmp, sizeof(tmp), "%s", file);
	if (!realpath(run_dir, run) || !realpath(dirname(tmp), from))
		return -1;
	/* The longest common leading run of whole path components. */
	for (size_t i = 0;; i++) {
		bool end_a = !run[i] || run[i] == '/', end_b = !from[i] || from[i] == '/';

		if (end_a && end_b)
			common = i;
		if (!run[i] || !from[i] || run[i] != from[i])
			break;
	}
	buf[0] = '\0';
	for (b = from + common; *b; b++)
		if (*b == '/')
			strncat(buf, "../", len - strlen(buf) - 1);
	a = run + common + (run[common] == '/');
	if (*a) {
		strncat(buf, a, len - strlen(buf) - 1);
		strncat(buf, "/", len - strlen(buf) - 1);
	}
	return 0;
}

struct report_args {
	double alpha;
	const char *md;
};

static const struct cli_opt opts[] = {
	CLI_NUM("alpha", struct report_args, alpha, 1e-6, 0.5),
	CLI_STR("md", struct report_args, md),
	CLI_END
};

static const struct cli_cmd cmd = { "report", opts, 1, usage };

int cmd_report(int argc, char **argv)
{
	struct report_args a = { .alpha = DEFAULT_ALPHA };
	char path[PATH_MAX + 16], prefix[PATH_MAX];
	struct strbuf txt = STRBUF_INIT, md = STRBUF_INIT;
	struct dataset d;
	struct run r;
	int ret = EXIT_OK;

	if (cli_load_run(&cmd, argc, argv, &a, &r, &d, &ret))
		return ret;
	report_text(&d, a.alpha, &txt);
	report_markdown(&d, a.alpha, "", &md);
	snprintf(path, sizeof(path), "%s/report.txt", r.dir);
	if (write_text(path, sb_str(&txt))) {
		perror(path);
		ret = EXIT_FAIL;
	}
	snprintf(path, sizeof(path), "%s/report.md", r.dir);
	if (write_text(path, sb_str(&md))) {
		perror(path);
		ret = EXIT_FAIL;
	}
	if (!ret && a.md) {
		/* Touch it first: realpath() needs its directory to exist. */
		if (write_text(a.md, "") ||
		    link_prefix(r.dir, a.md, prefix, sizeof(prefix))) {
			perror(a.md);
			ret = EXIT_FAIL;
		} else {
			sb_free(&md);
			report_markdown(&d, a.alpha, prefix, &md);
			if (write_text(a.md, sb_str(&md))) {
				perror(a.md);
				ret = EXIT_FAIL;
			}
		}
	}
	if (!ret)
		fprintf(stderr, "report: %s/report.txt, %s/report.md%s%s\n", r.dir,
			r.dir, a.md ? ", " : "", a.md ? a.md : "");
	sb_free(&txt);
	sb_free(&md);
	cli_run_free(&r, &d);
	return ret;
}
