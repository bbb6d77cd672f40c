// SPDX-License-Identifier: GPL-2.0
/* The daemons' table-driven getopt loop (cmdline.h). */
#include <getopt.h>
#include <limits.h>
#include <string.h>

#include "cmdline.h"
#include "util.h"

/* memcpy: the field may be a __u64, not this file's uint64_t. */
static void set_uint(void *o, const struct cmdline_opt *d, unsigned long v)
{
	unsigned long long v64 = v;
	unsigned int v32 = v;

	if (d->size == sizeof(v64))
		memcpy((char *)o + d->off, &v64, sizeof(v64));
	else
		memcpy((char *)o + d->off, &v32, sizeof(v32));
}

static int parse_one(const struct cmdline *cl, const struct cmdline_opt *d,
		     void *o, FILE *err)
{
	char *p = (char *)o + d->off;
	unsigned long n;
	char max[32] = "";

	switch (d->kind) {
	case CL_STR:
		*(const char **)p = optarg;
		return 0;
	case CL_FLAG:
		*(bool *)p = true;
		return 0;
	case CL_BYTES:
		if (parse_size(optarg, &n) || !n || n % 4096 || n > d->max) {
			if (d->max != ULONG_MAX) {
				strcpy(max, " up to ");
				format_size(d->max, max + strlen(max),
					    sizeof(max) - strlen(max));
			}
			fprintf(err, "%s: --%s wants a positive multiple of 4k%s, not '%s'\n",
				cl->prog, d->name, max, optarg);
			return -1;
		}
		set_uint(o, d, n);
		return 0;
	case CL_COUNT:
		if (parse_uint(optarg, &n) || !n || n > d->max) {
			fprintf(err, "%s: --%s wants an integer 1..%lu, not '%s'\n",
				cl->prog, d->name, d->max, optarg);
			return -1;
		}
		set_uint(o, d, n);
		return 0;
	case CL_CALL:
		return d->call(o, optarg, err);
	case CL_HELP:
		break;
	}
	return -1;
}

/* The getopt tables, built from ours; -1 if ours is too long. */
static int build(const struct cmdline_opt *opts, struct option *lo, char *so)
{
	size_t i;

	*so++ = ':';	/* a missing argument comes back as ':', not '?' */
	for (i = 0; opts[i].name; i++) {
		if (i == CL_MAX_OPTS)
			return -1;
		lo[i].name = opts[i].name;
		lo[i].has_arg = opts[i].kind == CL_FLAG || opts[i].kind == CL_HELP ?
				no_argument : required_argument;
		lo[i].flag = NULL;
		lo[i].val = opts[i].short_name;
		*so++ = opts[i].short_name;
		if (lo[i].has_arg == required_argument)
			*so++ = ':';
	}
	memset(&lo[i], 0, sizeof(lo[i]));
	*so = '\0';
	return 0;
}

enum cmdline_result cmdline_parse(const struct cmdline *cl, int argc,
				  char **argv, void *o, unsigned long *seen,
				  FILE *out, FILE *err)
{
	struct option lo[CL_MAX_OPTS + 1];
	char so[2 * CL_MAX_OPTS + 2];
	int c;

	if (seen)
		*seen = 0;
	if (build(cl->opts, lo, so)) {
		fprintf(err, "%s: too many options for cmdline_parse()\n", cl->prog);
		return CL_ERROR;
	}
	optind = 0;	/* glibc: 0 re-initialises getopt completely */
	opterr = 0;	/* we word the errors ourselves */
	while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		const struct cmdline_opt *d = NULL;

		for (size_t i = 0; cl->opts[i].name; i++) {
			if (cl->opts[i].short_name == c) {
				d = &cl->opts[i];
				if (seen)
					*seen |= 1UL << i;
				break;
			}
		}
		if (c == ':') {
			fprintf(err, "%s: option '%s' needs an argument\n",
				cl->prog, argv[optind - 1]);
			goto usage;
		}
		if (!d) {
			/* optopt is 0 for an unknown long option. */
			if (optopt && !cl->terse)
				fprintf(err, "%s: unknown option '-%c'\n", cl->prog, optopt);
			else
				fprintf(err, "%s: unknown option '%s'\n", cl->prog,
					argv[optind - 1]);
			goto usage;
		}
		if (d->kind == CL_HELP) {
			cl->usage(out);
			return CL_EXIT;
		}
		if (parse_one(cl, d, o, err))
			return CL_ERROR;
	}
	if (optind < argc) {
		fprintf(err, "%s: unexpected argument '%s'\n", cl->prog, argv[optind]);
		goto usage;
	}
	return CL_OK;

usage:
	if (!cl->terse)
		fprintf(err, "Try '%s --help' for more information.\n", cl->prog);
	return CL_ERROR;
}
