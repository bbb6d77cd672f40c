/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemons' getopt loop, driven by a table of their options (fio's
 * options[] habit): the common kinds are parsed here, each daemon adds a
 * callback only for what is its own.
 */
#ifndef LIB_CMDLINE_H
#define LIB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cmdline_result {
	CL_OK = 0,		/* run */
	CL_EXIT = 1,		/* --help was printed: exit 0 */
	CL_ERROR = -1,		/* message printed on err: exit 2 */
};

enum cmdline_kind {
	CL_STR,			/* const char *, pointing into argv */
	CL_FLAG,		/* bool, set */
	CL_BYTES,		/* "4k", "1m": a positive multiple of 4k up to max */
	CL_COUNT,		/* an integer 1..max */
	CL_CALL,		/* the daemon's own: call() */
	CL_HELP,		/* prints usage on out, CL_EXIT */
};

struct cmdline_opt {
	const char *name;	/* the long name; NULL ends the table */
	char short_name;
	enum cmdline_kind kind;
	size_t off, size;	/* the field in the options struct: CL_FIELD() */
	unsigned long max;	/* CL_BYTES, CL_COUNT */
	/* CL_CALL: 0, or -1 with the message printed on err. */
	int (*call)(void *o, const char *arg, FILE *err);
};

#define CL_FIELD(type, member)	.off = offsetof(type, member), \
				.size = sizeof(((type *)0)->member)

struct cmdline {
	const char *prog;	/* starts every message */
	const struct cmdline_opt *opts;
	void (*usage)(FILE *f);
	/*
	 * ubmap-tcmud's wording: an unknown option named as typed, and no
	 * "Try 'PROG --help'" line after a usage error.
	 */
	bool terse;
};

/* Most options a table may have (bits of *@seen). */
#define CL_MAX_OPTS	32

/**
 * cmdline_parse() - fill the options struct @o from argv, per @cl's table
 * @seen: if not NULL, bit i set for each table entry i given at least once
 * @out: where --help goes
 * @err: where error messages go
 *
 * Fields not given keep what the caller put there (the defaults).  getopt
 * state is reset on entry, so it may be called more than once (tests).
 */
enum cmdline_result cmdline_parse(const struct cmdline *cl, int argc,
				  char **argv, void *o, unsigned long *seen,
				  FILE *out, FILE *err);

#endif /* LIB_CMDLINE_H */
