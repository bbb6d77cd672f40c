/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line options of ubmap-tcmud, parsed apart from main() so tests can. */
#ifndef TCMUD_OPTIONS_H
#define TCMUD_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "cmdline.h"

#define TCMUD_DEFAULT_STORE	"null"
#define TCMUD_DEFAULT_NAME	"ubmap-tcmu"
#define TCMUD_DEFAULT_SIZE	(256ULL << 20)
/* tcm_loop: 256 segments of at most a page, so 1 MiB is its largest request. */
#define TCMUD_MAX_IO		(1U << 20)
/* tcmu's own default (TCMU_TIME_OUT): a command unanswered this long fails. */
#define TCMUD_DEFAULT_TIMEOUT	30
#define TCMUD_BLOCK_SHIFT	9
#define TCMUD_EXIT_USAGE	2

struct tcmud_opts {
	const char *store;
	const char *path;		/* --store file only */
	const char *name;		/* backstore name */
	__u64 size;			/* bytes, a multiple of 4096 */
	unsigned int cmd_timeout;	/* seconds */
	const char *ready_file;
	bool teardown;			/* only remove NAME's configfs objects */
	bool quiet;
};

enum tcmud_opts_result {
	TOPTS_OK = CL_OK,
	TOPTS_EXIT = CL_EXIT,	/* --help printed */
	TOPTS_ERROR = CL_ERROR,	/* message printed on err */
};

enum tcmud_opts_result tcmud_opts_parse(int argc, char **argv,
					struct tcmud_opts *o, FILE *out,
					FILE *err);

#endif /* TCMUD_OPTIONS_H */
