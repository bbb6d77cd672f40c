// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-bench axes: the axes, settings and their values, from their
 * tables; --vars: only each one's make variable and option name, for
 * scripts/bench.sh.
 */
#include <stdio.h>

#include "cmd.h"
#include "matrix.h"

int cmd_axes(struct bench_args *a)
{
	if (a->vars)
		matrix_vars(stdout);
	else
		matrix_describe(stdout);
	return 0;
}
