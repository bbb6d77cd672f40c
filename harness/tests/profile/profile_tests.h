/* SPDX-License-Identifier: GPL-2.0 */
/* The instruction profile's unit test groups, run by profile_tests.c. */
#ifndef TESTS_PROFILE_TESTS_H
#define TESTS_PROFILE_TESTS_H

int test_marker(void);
int test_symtab(void);
int test_prof(void);
int test_mark(void);

#endif
