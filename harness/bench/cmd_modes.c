// SPDX-License-Identifier: GPL-2.0
/* ubmap-bench modes: the mapping modes (UBMAP_MODES), one a line, for scripts. */
#include <stdio.h>

#include "cmd.h"

int cmd_modes(struct bench_args *a)
{
	(void)a;
	for (const char *const *v = axes[AX_MODE].values; *v; v++)
		puts(*v);
	return 0;
}
