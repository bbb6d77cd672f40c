// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ublk_cmd.h>

#include "options.h"
#include "store.h"
#include "util.h"

static const struct option long_opts[] = {
	{ "store",	required_argument, NULL, 's' },
	{ "path",	required_argument, NULL, 'p' },
	{ "size",	required_argument, NULL, 'S' },
	{ "queues",	required_argument, NULL, 'n' },
	{ "depth",	required_argument, NULL, 'd' },
	{ "max-io",	required_argument, NULL, 'm' },
	{ "ready-file",	required_argument, NULL, 'r' },
	{ "delete",	required_argument, NULL, 'D' },
	{ "quiet",	no_argument,	   NULL, 'q' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};
/* Leading ':' makes getopt report a missing argument as ':' not '?'. */
static const char short_opts[] = ":s:p:S:n:d:m:r:D:qh";

void opts_usage(FILE *f)
{
	char names[128];

	store_names(names, sizeof(names));
	fprintf(f,
		"usage: ubmap-ublkd [options]\n"
		"       ubmap-ublkd --delete ID\n"
		"Serve a ublk block device (/dev/ublkbN, driver ublk_drv) from userspace,\n"
		"with the same stores as ubmapd.\n"
		"\n"
		"  -s, --store NAME       where the data lives: %s (default %s)\n"
		"  -p, --path FILE        backing file for --store file; created or\n"
		"                         extended to the device size\n"
		"  -S, --size BYTES       device size, a multiple of 4k (default 256m)\n"
		"  -n, --queues N         hardware queues, one thread each (default %u)\n"
		"  -d, --depth D          tags per queue, 1..%u (default %u)\n"
		"  -m, --max-io BYTES     largest request, a multiple of 4k up to 8m\n"
		"                         (default 1m)\n"
		"  -r, --ready-file FILE  once every queue fetches and the disk is up,\n"
		"                         write its path (/dev/ublkbN) into FILE;\n"
		"                         removed again on exit\n"
		"  -D, --delete ID        only delete ublk device ID (one whose server\n"
		"                         died) and exit\n"
		"  -q, --quiet            print errors only\n"
		"  -h, --help             show this help\n"
		"\n"
		"SIGINT or SIGTERM stops and deletes the device (exit status 0).\n",
		names, UBLKD_DEFAULT_STORE, UBLKD_DEFAULT_QUEUES,
		UBLK_MAX_QUEUE_DEPTH, UBLKD_DEFAULT_DEPTH);
}

/* A size option: "4k", "1m", bytes; a positive multiple of 4096. */
static int parse_bytes(const char *name, const char *s, unsigned long max,
		       unsigned long *v, FILE *err)
{
	if (parse_size(s, v) || *v == 0 || *v % 4096 || *v > max) {
		fprintf(err, "ubmap-ublkd: --%s wants a positive multiple of 4k%s, not '%s'\n",
			name, max == UBLKD_MAX_MAX_IO ? " up to 8m" : "", s);
		return -1;
	}
	return 0;
}

static int parse_count(const char *name, const char *s, unsigned long max,
		       unsigned int *v, FILE *err)
{
	unsigned long n;

	if (parse_uint(s, &n) || n == 0 || n > max) {
		fprintf(err, "ubmap-ublkd: --%s wants an integer 1..%lu, not '%s'\n",
			name, max, s);
		return -1;
	}
	*v = n;
	return 0;
}

/* What only makes sense together: the store and its file. */
static enum opts_result opts_check(const struct ublkd_opts *o, FILE *err)
{
	if (!store_find(o->store)) {
		char names[128];

		store_names(names, sizeof(names));
		fprintf(err, "ubmap-ublkd: unknown store '%s' (valid: %s)\n",
			o->store, names);
		return OPTS_ERROR;
	}
	if (!strcmp(o->store, "file") && (!o->path || !*o->path)) {
		fprintf(err, "ubmap-ublkd: --store file needs --path FILE\n");
		return OPTS_ERROR;
	}
	if (strcmp(o->store, "file") && o->path) {
		fprintf(err, "ubmap-ublkd: --path only applies to --store file (store is '%s')\n",
			o->store);
		return OPTS_ERROR;
	}
	if (o->ready_file && !*o->ready_file) {
		fprintf(err, "ubmap-ublkd: --ready-file must not be empty\n");
		return OPTS_ERROR;
	}
	return OPTS_OK;
}

enum opts_result opts_parse(int argc, char **argv, struct ublkd_opts *o,
			    FILE *out, FILE *err)
{
	unsigned long n;
	bool serve_opt = false;
	int c;

	memset(o, 0, sizeof(*o));
	o->store = UBLKD_DEFAULT_STORE;
	o->size = UBLKD_DEFAULT_SIZE;
	o->queues = UBLKD_DEFAULT_QUEUES;
	o->depth = UBLKD_DEFAULT_DEPTH;
	o->max_io = UBLKD_DEFAULT_MAX_IO;
	o->delete_id = -1;

	optind = 0;	/* glibc: 0 re-initialises getopt completely */
	opterr = 0;	/* we word the errors ourselves */
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		serve_opt |= c != 'D' && c != 'q' && c != 'h';
		switch (c) {
		case 's':
			o->store = optarg;
			break;
		case 'p':
			o->path = optarg;
			break;
		case 'S':
			if (parse_bytes("size", optarg, ~0UL, &n, err))
				return OPTS_ERROR;
			o->size = n;
			break;
		case 'n':
			if (parse_count("queues", optarg, 64, &o->queues, err))
				return OPTS_ERROR;
			break;
		case 'd':
			if (parse_count("depth", optarg, UBLK_MAX_QUEUE_DEPTH,
					&o->depth, err))
				return OPTS_ERROR;
			break;
		case 'm':
			if (parse_bytes("max-io", optarg, UBLKD_MAX_MAX_IO, &n, err))
				return OPTS_ERROR;
			o->max_io = n;
			break;
		case 'r':
			o->ready_file = optarg;
			break;
		case 'D':
			if (parse_uint(optarg, &n) || n > 0x7fffffffUL) {
				fprintf(err, "ubmap-ublkd: --delete wants a device id, not '%s'\n",
					optarg);
				return OPTS_ERROR;
			}
			o->delete_id = n;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			opts_usage(out);
			return OPTS_EXIT;
		case ':':
			fprintf(err, "ubmap-ublkd: option '%s' needs an argument\n",
				argv[optind - 1]);
			goto usage;
		default:
			/* optopt is 0 for an unknown long option. */
			if (optopt)
				fprintf(err, "ubmap-ublkd: unknown option '-%c'\n", optopt);
			else
				fprintf(err, "ubmap-ublkd: unknown option '%s'\n",
					argv[optind - 1]);
			goto usage;
		}
	}
	if (optind < argc) {
		fprintf(err, "ubmap-ublkd: unexpected argument '%s'\n", argv[optind]);
		goto usage;
	}
	if (o->delete_id >= 0) {
		if (serve_opt) {
			fprintf(err, "ubmap-ublkd: --delete takes no other options but --quiet\n");
			return OPTS_ERROR;
		}
		return OPTS_OK;
	}
	return opts_check(o, err);

usage:
	fprintf(err, "Try 'ubmap-ublkd --help' for more information.\n");
	return OPTS_ERROR;
}
