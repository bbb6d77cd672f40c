/* SPDX-License-Identifier: GPL-2.0 */
/* Files the outputs are written to: whole, atomically, directories made. */
#ifndef LIB_FSUTIL_H
#define LIB_FSUTIL_H

#include <stdbool.h>

/* A temporary beside path, then rename: a reader never sees half a file. */
int write_text(const char *path, const char *text);
/* mkdir -p; 0 if it exists. */
int make_dirs(const char *path);
bool file_nonempty(const char *path);

#endif /* LIB_FSUTIL_H */
