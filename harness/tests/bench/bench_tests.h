/* SPDX-License-Identifier: GPL-2.0 */
/* ubmap-bench unit tests: one group per unit; bench_tests.c runs them all. */
#ifndef BENCH_TESTS_H
#define BENCH_TESTS_H

#include "../testlib.h"

#include <linux/ubmap.h>

/* How many modes "mode = all" gives: the ABI's list, counted. */
#define BT_MODE_ONE(n) +1
#define NR_MODES (0 UBMAP_MODES(BT_MODE_ONE))

/* Reads FIXTURES/name whole; fails the test if it cannot. */
char *fixture(const char *name);

int run_matrix_tests(void);
int run_cells_tests(void);
int run_targets_tests(void);
int run_hook_tests(void);
int run_order_tests(void);
int run_fio_tests(void);
int run_perf_tests(void);
int run_snapshot_tests(void);
int run_metrics_tests(void);
int run_record_tests(void);
int run_insn_tests(void);
int run_microbench_tests(void);

#endif /* BENCH_TESTS_H */
