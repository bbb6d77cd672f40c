/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subcommands of ubmap-report, one per cmd_<name>.c: each parses its
 * options, calls the library and returns the exit status (cli.h).
 * argv[0] is the subcommand's name.
 */
#ifndef REPORT_CMD_H
#define REPORT_CMD_H

int cmd_report(int argc, char **argv);
int cmd_plots(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_history_append(int argc, char **argv);
int cmd_trend(int argc, char **argv);
int cmd_insn(int argc, char **argv);
int cmd_microbench(int argc, char **argv);
int cmd_power(int argc, char **argv);
int cmd_agree(int argc, char **argv);

#endif /* REPORT_CMD_H */
