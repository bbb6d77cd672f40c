/* SPDX-License-Identifier: GPL-2.0 */
/* One group per unit of ubmap-ublkd; unit_tests.c runs them all. */
#ifndef UBLKD_TESTS_H
#define UBLKD_TESTS_H

#include "testlib.h"

int run_options_tests(void);
int run_iod_tests(void);
int run_ctrl_tests(void);

#endif /* UBLKD_TESTS_H */
