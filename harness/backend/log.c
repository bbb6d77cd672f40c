// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>

#include "log.h"

bool log_quiet;
const char *log_prefix = "ubmapd";
FILE *log_stream;

void log_msg(bool always, const char *fmt, ...)
{
	FILE *f = log_stream ? log_stream : stderr;
	char line[512];
	va_list ap;

	if (!always && log_quiet)
		return;
	/* Format first so the prefix and text leave in a single write. */
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(f, "%s: %s\n", log_prefix, line);
}
