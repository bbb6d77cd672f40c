// SPDX-License-Identifier: GPL-2.0
/* ubmap-bench axes: the axes, settings and their values, from matrix.c. */
#include <stdio.h>

#include "cmd.h"
#include "matrix.h"

int cmd_axes(struct bench_args *a)
{
	(void)a;
	matrix_describe(stdout);
	return 0;
}
