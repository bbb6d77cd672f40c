/* SPDX-License-Identifier: GPL-2.0 */
/* The daemons' ready file: a script waits for it to know the disk is up. */
#ifndef LIB_READYFILE_H
#define LIB_READYFILE_H

/*
 * Each takes the --ready-file path, NULL when none was asked for (then
 * they do nothing), and returns 0 or -1 (errno) for the caller to report.
 */

/* Remove one left by an earlier run: it would say we are up too soon. */
int ready_file_clear(const char *path);
/* Write "@disk\n" atomically (write_text), for a script to read whole. */
int ready_file_write_disk(const char *path, const char *disk);

#endif /* LIB_READYFILE_H */
