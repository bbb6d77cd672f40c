/* SPDX-License-Identifier: GPL-2.0 */
/* What every ubmap-report subcommand shares on its command line. */
#ifndef REPORT_CLI_H
#define REPORT_CLI_H

/* Exit statuses shared by every subcommand. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* Significance level of every test unless --alpha says otherwise. */
#define DEFAULT_ALPHA		0.05

/* A number option: 0, or -1 after printing why. */
int parse_number_opt(const char *cmd, const char *opt, const char *text,
		     double min, double max, double *v);

#endif /* REPORT_CLI_H */
