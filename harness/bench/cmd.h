/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subcommands of ubmap-bench, one per cmd_<name>.c, each given the
 * parsed command line; each returns the exit status.
 */
#ifndef BENCH_CMD_H
#define BENCH_CMD_H

#include "cli.h"

int cmd_plan(struct bench_args *a);
int cmd_run(struct bench_args *a);
int cmd_mark(struct bench_args *a);
int cmd_axes(struct bench_args *a);
int cmd_modes(struct bench_args *a);
int cmd_memcpy(struct bench_args *a);
int cmd_serve(struct bench_args *a);
int cmd_targets(struct bench_args *a);
int cmd_perf_hold(struct bench_args *a);
int cmd_microbench(struct bench_args *a);

#endif /* BENCH_CMD_H */
