// SPDX-License-Identifier: GPL-2.0
/* ubmap-bench mark: update run.json from the host once the guest is gone. */
#include <stdio.h>

#include "cmd.h"
#include "run.h"

int cmd_mark(struct bench_args *a)
{
	if (!a->o.out) {
		fprintf(stderr, "ubmap-bench: mark needs --out DIR\n");
		return 2;
	}
	return bench_mark(a->o.out, a->status, a->host_wall);
}
