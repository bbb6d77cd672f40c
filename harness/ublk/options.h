/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line options of ubmap-ublkd, parsed apart from main() so tests can. */
#ifndef UBLKD_OPTIONS_H
#define UBLKD_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "cmdline.h"

/* The same defaults as ubmapd's device (the ubmap module's parameters). */
#define UBLKD_DEFAULT_STORE	"null"
#define UBLKD_DEFAULT_SIZE	(256ULL << 20)
#define UBLKD_DEFAULT_QUEUES	2
#define UBLKD_DEFAULT_DEPTH	32
#define UBLKD_DEFAULT_MAX_IO	(1U << 20)
/* ubmap's largest slot; a buffer of this per tag is allocated up front. */
#define UBLKD_MAX_MAX_IO	(8U << 20)
/* Sector size of the ublk protocol and our logical block size. */
#define UBLKD_SECTOR_SHIFT	9

struct ublkd_opts {
	const char *store;		/* known to store_find() */
	const char *path;		/* backing file, --store file only */
	__u64 size;			/* bytes, a multiple of 4096 */
	unsigned int queues;
	unsigned int depth;
	unsigned int max_io;		/* bytes, a multiple of 4096 */
	const char *ready_file;		/* the disk's path goes here, or NULL */
	int delete_id;			/* --delete N: only delete device N; -1 */
	bool quiet;
};

enum opts_result {
	OPTS_OK = CL_OK,	/* run */
	OPTS_EXIT = CL_EXIT,	/* --help was printed: exit 0 */
	OPTS_ERROR = CL_ERROR,	/* message printed on err: exit 2 */
};

#define UBLKD_EXIT_USAGE	2

/**
 * opts_parse() - fill @o from argv
 * @out: where --help goes
 * @err: where error messages go
 *
 * Strings in @o point into @argv.  getopt state is reset on entry, so it
 * may be called more than once (tests).
 */
enum opts_result opts_parse(int argc, char **argv, struct ublkd_opts *o,
			    FILE *out, FILE *err);

void opts_usage(FILE *f);

#endif /* UBLKD_OPTIONS_H */
