/* SPDX-License-Identifier: GPL-2.0 */
/* One group per unit; unit_tests.c runs them all. */
#ifndef UBMAPD_TESTS_H
#define UBMAPD_TESTS_H

/* Common headers, and what cmocka needs before its own. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

int run_args_tests(void);
int run_desc_validate_tests(void);
int run_device_info_tests(void);
int run_store_tests(void);
int run_store_ram_tests(void);
int run_store_file_tests(void);
int run_queue_tests(void);

#endif /* UBMAPD_TESTS_H */
