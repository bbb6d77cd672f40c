/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line options of ubmapd, parsed apart from main() so tests can. */
#ifndef UBMAPD_ARGS_H
#define UBMAPD_ARGS_H

#include <stdbool.h>
#include <stdio.h>

#include "cmdline.h"

#define UBMAPD_DEFAULT_DEV	"/dev/ubmapc0"
#define UBMAPD_DEFAULT_STORE	"null"

struct ubmapd_args {
	const char *dev;		/* control char device */
	const char *store;		/* store name, known to store_find() */
	const char *file;		/* backing file, --store file only */
	const char *ready_file;		/* created once serving, or NULL */
	unsigned int batch;		/* max tags per fetch; 0 = queue_depth */
	bool quiet;
};

enum args_result {
	ARGS_OK = CL_OK,	/* run the daemon */
	ARGS_EXIT = CL_EXIT,	/* --help was printed: exit 0 */
	ARGS_ERROR = CL_ERROR,	/* message printed on err: exit 2 */
};

/* Exit status for a command-line error, as most tools use. */
#define UBMAPD_EXIT_USAGE	2

/**
 * args_parse() - fill @a from argv
 * @out: where --help goes
 * @err: where error messages go
 *
 * Strings in @a point into @argv.  May be called more than once (tests):
 * getopt state is reset on entry.
 */
enum args_result args_parse(int argc, char **argv, struct ubmapd_args *a,
			    FILE *out, FILE *err);

void args_usage(FILE *f);

#endif /* UBMAPD_ARGS_H */
