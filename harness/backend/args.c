// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "store.h"
#include "util.h"

static const struct option long_opts[] = {
	{ "dev",	required_argument, NULL, 'd' },
	{ "store",	required_argument, NULL, 's' },
	{ "file",	required_argument, NULL, 'f' },
	{ "ready-file",	required_argument, NULL, 'r' },
	{ "batch",	required_argument, NULL, 'b' },
	{ "quiet",	no_argument,	   NULL, 'q' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};
/* Leading ':' makes getopt report a missing argument as ':' not '?'. */
static const char short_opts[] = ":d:s:f:r:b:qh";

void args_usage(FILE *f)
{
	char names[128];

	store_names(names, sizeof(names));
	fprintf(f,
		"usage: ubmapd [options]\n"
		"Serve the ubmap block device from userspace.\n"
		"\n"
		"  -d, --dev PATH         control device (default %s)\n"
		"  -s, --store NAME       where the data lives: %s (default %s)\n"
		"  -f, --file PATH        backing file for --store file; created or\n"
		"                         extended to the device capacity\n"
		"  -r, --ready-file PATH  create PATH once attached and all queue\n"
		"                         threads run; removed again on exit\n"
		"  -b, --batch N          fetch at most N requests per ioctl\n"
		"                         (default and maximum: the queue depth)\n"
		"  -q, --quiet            print errors only\n"
		"  -h, --help             show this help\n"
		"\n"
		"SIGINT or SIGTERM stops it cleanly (exit status 0).\n",
		UBMAPD_DEFAULT_DEV, names, UBMAPD_DEFAULT_STORE);
}

/* A count that fits the ioctl's __u32. */
static int parse_u32(const char *s, unsigned int *v)
{
	unsigned long n;

	if (parse_uint(s, &n) || n > 0xffffffffUL)
		return -1;
	*v = n;
	return 0;
}

enum args_result args_parse(int argc, char **argv, struct ubmapd_args *a,
			    FILE *out, FILE *err)
{
	int c;

	memset(a, 0, sizeof(*a));
	a->dev = UBMAPD_DEFAULT_DEV;
	a->store = UBMAPD_DEFAULT_STORE;

	optind = 0;	/* glibc: 0 re-initialises getopt completely */
	opterr = 0;	/* we word the errors ourselves */
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			a->dev = optarg;
			break;
		case 's':
			a->store = optarg;
			break;
		case 'f':
			a->file = optarg;
			break;
		case 'r':
			a->ready_file = optarg;
			break;
		case 'b':
			if (parse_u32(optarg, &a->batch) || a->batch == 0) {
				fprintf(err, "ubmapd: --batch wants a positive integer, not '%s'\n",
					optarg);
				return ARGS_ERROR;
			}
			break;
		case 'q':
			a->quiet = true;
			break;
		case 'h':
			args_usage(out);
			return ARGS_EXIT;
		case ':':
			fprintf(err, "ubmapd: option '%s' needs an argument\n",
				argv[optind - 1]);
			goto usage;
		default:
			/* optopt is 0 for an unknown long option. */
			if (optopt)
				fprintf(err, "ubmapd: unknown option '-%c'\n", optopt);
			else
				fprintf(err, "ubmapd: unknown option '%s'\n",
					argv[optind - 1]);
			goto usage;
		}
	}
	if (optind < argc) {
		fprintf(err, "ubmapd: unexpected argument '%s'\n", argv[optind]);
		goto usage;
	}
	if (!*a->dev) {
		fprintf(err, "ubmapd: --dev must not be empty\n");
		return ARGS_ERROR;
	}
	if (!store_find(a->store)) {
		char names[128];

		store_names(names, sizeof(names));
		fprintf(err, "ubmapd: unknown store '%s' (valid: %s)\n",
			a->store, names);
		return ARGS_ERROR;
	}
	if (!strcmp(a->store, "file") && (!a->file || !*a->file)) {
		fprintf(err, "ubmapd: --store file needs --file PATH\n");
		return ARGS_ERROR;
	}
	if (strcmp(a->store, "file") && a->file) {
		fprintf(err, "ubmapd: --file only applies to --store file (store is '%s')\n",
			a->store);
		return ARGS_ERROR;
	}
	if (a->ready_file && !*a->ready_file) {
		fprintf(err, "ubmapd: --ready-file must not be empty\n");
		return ARGS_ERROR;
	}
	return ARGS_OK;

usage:
	fprintf(err, "Try 'ubmapd --help' for more information.\n");
	return ARGS_ERROR;
}
