// SPDX-License-Identifier: GPL-2.0
/* All unit tests of the instruction profile (harness/profile/). */
#include "profile_tests.h"

int main(void)
{
	int failed = 0;

	failed += test_marker();
	failed += test_symtab();
	failed += test_prof();
	failed += test_mark();
	return failed ? 1 : 0;
}
