/* SPDX-License-Identifier: GPL-2.0 */
/* One group per unit of ubmap-tcmud; unit_tests.c runs them all. */
#ifndef TCMUD_TESTS_H
#define TCMUD_TESTS_H

#include "testlib.h"

int run_scsi_tests(void);
int run_ring_tests(void);
int run_serve_tests(void);
int run_options_tests(void);
int run_cfs_tests(void);

#endif /* TCMUD_TESTS_H */
