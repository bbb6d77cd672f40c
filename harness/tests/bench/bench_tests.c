// SPDX-License-Identifier: GPL-2.0
/* Runs every group; exit status is the number of failed tests (capped). */
#include <stdlib.h>

#include "bench_tests.h"
#include "util.h"

char *fixture(const char *name)
{
	char path[512];
	char *text;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	text = read_file(path, NULL);
	if (!text)
		fail_msg("cannot read fixture %s", path);
	return text;
}

int main(void)
{
	int (*const groups[])(void) = {
		run_matrix_tests,
		run_cells_tests,
		run_targets_tests,
		run_hook_tests,
		run_order_tests,
		run_fio_tests,
		run_perf_tests,
		run_snapshot_tests,
		run_metrics_tests,
		run_record_tests,
		run_insn_tests,
		run_microbench_tests,
	};
	int failed = 0;

	for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
		failed += groups[i]();
	printf("\nbench-tests: %d failed\n", failed);
	return failed > 125 ? 125 : failed;
}
