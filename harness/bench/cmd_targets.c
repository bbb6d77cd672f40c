// SPDX-License-Identifier: GPL-2.0
/* ubmap-bench targets: the target axis's values, one a line, for scripts. */
#include <stdio.h>

#include "cmd.h"

int cmd_targets(struct bench_args *a)
{
	(void)a;
	for (const char *const *v = axes[AX_TARGET].values; *v; v++)
		puts(*v);
	return 0;
}
