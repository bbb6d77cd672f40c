// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-bench memcpy: the memcpy bound at each block size of the matrix
 * (the axes' defaults without --matrix; --bs sets them), as `run` records
 * it in run.json.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cells.h"
#include "cmd.h"
#include "memcpy_bound.h"

int cmd_memcpy(struct bench_args *a)
{
	struct cell *cells;
	size_t n, i;
	json_t *bound, *e;
	int ret;

	a->matrix_optional = true;
	ret = bench_args_matrix(a);
	if (ret)
		return ret;
	cells = cells_expand(&a->o.m, &n);
	bound = memcpy_bound_json(cells, n);
	printf("%-6s %12s %12s %14s\n", "bs", "MB/s", "copies/s", "glibc MB/s");
	json_array_foreach(bound, i, e)
		printf("%-6s %12.1f %12.0f %14.1f\n",
		       json_string_value(json_object_get(e, "bs_text")),
		       json_number_value(json_object_get(e, "bytes_per_s")) / 1e6,
		       json_number_value(json_object_get(e, "iops")),
		       json_number_value(json_object_get(e, "libc_bytes_per_s")) / 1e6);
	json_decref(bound);
	free(cells);
	return 0;
}
