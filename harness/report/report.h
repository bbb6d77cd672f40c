/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands of ubmap-report; each returns the exit status. */
#ifndef REPORT_REPORT_H
#define REPORT_REPORT_H

#include <stddef.h>

#include "dataset.h"
#include "strbuf.h"

/* Significance level of every test unless --alpha says otherwise. */
#define DEFAULT_ALPHA		0.05
/* report.txt and compare fit this (mailing lists). */
#define TEXT_WIDTH		80

/* Exit statuses shared by every subcommand. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

int cmd_report(int argc, char **argv);
int cmd_plots(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_history_append(int argc, char **argv);
int cmd_trend(int argc, char **argv);

/* report.txt and report.md for a loaded run, in memory. */
void report_text(const struct dataset *d, double alpha, struct strbuf *out);
/* link_prefix: where the run directory is, seen from the markdown file. */
void report_markdown(const struct dataset *d, double alpha,
		     const char *link_prefix, struct strbuf *out);

/* A number option: 0, or -1 after printing why. */
int parse_number_opt(const char *cmd, const char *opt, const char *text,
		     double min, double max, double *v);

#endif /* REPORT_REPORT_H */
