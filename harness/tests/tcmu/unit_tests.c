// SPDX-License-Identifier: GPL-2.0
/* Runs every group; exit status is the number of failed tests (capped). */
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "tests.h"

int main(void)
{
	int (*const groups[])(void) = {
		run_scsi_tests,
		run_ring_tests,
		run_serve_tests,
		run_options_tests,
		run_cfs_tests,
	};
	int failed = 0;

	log_stream = fopen(getenv("TCMU_TESTS_LOG") ? getenv("TCMU_TESTS_LOG") : "/dev/null", "w");
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		failed += groups[i]();
	printf("\ntcmu-tests: %d failed\n", failed);
	return failed > 125 ? 125 : failed;
}
