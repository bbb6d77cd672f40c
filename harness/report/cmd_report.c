// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-report report RUN_DIR: writes report.txt and report.md into the
 * run directory, and with --md a copy whose plot links point into it.
 */
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
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

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "alpha", required_argument, NULL, 'a' },
		{ "md", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	double alpha = DEFAULT_ALPHA;
	const char *md_file = NULL;
	char err[512], path[PATH_MAX + 16], prefix[PATH_MAX];
	struct strbuf txt = STRBUF_INIT, md = STRBUF_INIT;
	struct dataset d;
	struct run r;
	int c, ret = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (parse_number_opt("report", "--alpha", optarg, 1e-6, 0.5, &alpha))
				return EXIT_USAGE;
			break;
		case 'm':
			md_file = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (run_load(&r, argv[optind], err, sizeof(err))) {
		fprintf(stderr, "ubmap-report report: %s\n", err);
		return EXIT_FAIL;
	}
	dataset_build(&d, &r);
	report_text(&d, alpha, &txt);
	report_markdown(&d, alpha, "", &md);
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
	if (!ret && md_file) {
		/* Touch it first: realpath() needs its directory to exist. */
		if (write_text(md_file, "") ||
		    link_prefix(r.dir, md_file, prefix, sizeof(prefix))) {
			perror(md_file);
			ret = EXIT_FAIL;
		} else {
			sb_free(&md);
			report_markdown(&d, alpha, prefix, &md);
			if (write_text(md_file, sb_str(&md))) {
				perror(md_file);
				ret = EXIT_FAIL;
			}
		}
	}
	if (!ret)
		fprintf(stderr, "report: %s/report.txt, %s/report.md%s%s\n", r.dir,
			r.dir, md_file ? ", " : "", md_file ? md_file : "");
	sb_free(&txt);
	sb_free(&md);
	dataset_free(&d);
	run_free(&r);
	return ret;
}
