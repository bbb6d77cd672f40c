// SPDX-License-Identifier: GPL-2.0
/* Option parsing the ubmap-report subcommands share. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int parse_number_opt(const char *cmd, const char *opt, const char *text,
		     double min, double max, double *v)
{
	char *end;

	*v = strtod(text, &end);
	if (end == text || *end || !(*v >= min && *v <= max)) {
		fprintf(stderr, "ubmap-report %s: %s wants a number in [%g, %g], not '%s'\n",
			cmd, opt, min, max, text);
		return -1;
	}
	return 0;
}
