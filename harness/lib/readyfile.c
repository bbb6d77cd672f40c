// SPDX-License-Identifier: GPL-2.0
/* The ready file of ubmapd, ubmap-ublkd and ubmap-tcmud (readyfile.h). */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "fsutil.h"
#include "readyfile.h"

int ready_file_clear(const char *path)
{
	if (!path || !unlink(path) || errno == ENOENT)
		return 0;
	return -1;
}

int ready_file_write_disk(const char *path, const char *disk)
{
	char text[80];

	if (!path)
		return 0;
	snprintf(text, sizeof(text), "%s\n", disk);
	return write_text(path, text);
}
