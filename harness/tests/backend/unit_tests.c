// SPDX-License-Identifier: GPL-2.0
/* Runs every group; exit status is the number of failed tests (capped). */
#include <stdio.h>

#include "log.h"
#include "tests.h"

int main(void)
{
	int (*const groups[])(void) = {
		run_args_tests,
		run_desc_validate_tests,
		run_device_info_tests,
		run_store_tests,
		run_store_ram_tests,
		run_store_file_tests,
		run_queue_tests,
	};
	int failed = 0;

	/* Expected error paths log; keep the summary readable. */
	log_stream = fopen("/dev/null", "w");
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		failed += groups[i]();
	printf("\nunit-tests: %d failed\n", failed);
	return failed > 125 ? 125 : failed;
}
