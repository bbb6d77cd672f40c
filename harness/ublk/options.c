// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ublk_cmd.h>

#include "options.h"
#include "store.h"
#include "util.h"

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

static int set_delete(void *p, const char *arg, FILE *err)
{
	struct ublkd_opts *o = p;
	unsigned long n;

	if (parse_uint(arg, &n) || n > 0x7fffffffUL) {
		fprintf(err, "ubmap-ublkd: --delete wants a device id, not '%s'\n", arg);
		return -1;
	}
	o->delete_id = n;
	return 0;
}

/* The order is that of the bits of cmdline_parse()'s @seen. */
enum { OPT_DELETE = 7, OPT_QUIET };

static const struct cmdline_opt opts[] = {
	{ "store", 's', CL_STR, CL_FIELD(struct ublkd_opts, store) },
	{ "path", 'p', CL_STR, CL_FIELD(struct ublkd_opts, path) },
	{ "size", 'S', CL_BYTES, CL_FIELD(struct ublkd_opts, size), .max = ULONG_MAX },
	{ "queues", 'n', CL_COUNT, CL_FIELD(struct ublkd_opts, queues), .max = 64 },
	{ "depth", 'd', CL_COUNT, CL_FIELD(struct ublkd_opts, depth),
	  .max = UBLK_MAX_QUEUE_DEPTH },
	{ "max-io", 'm', CL_BYTES, CL_FIELD(struct ublkd_opts, max_io),
	  .max = UBLKD_MAX_MAX_IO },
	{ "ready-file", 'r', CL_STR, CL_FIELD(struct ublkd_opts, ready_file) },
	[OPT_DELETE] = { .name = "delete", .short_name = 'D', .kind = CL_CALL,
			 .call = set_delete },
	[OPT_QUIET] = { "quiet", 'q', CL_FLAG, CL_FIELD(struct ublkd_opts, quiet) },
	{ .name = "help", .short_name = 'h', .kind = CL_HELP },
	{ NULL }
};

static const struct cmdline cmdline = {
	.prog = "ubmap-ublkd",
	.opts = opts,
	.usage = opts_usage,
};

/* What only makes sense together: the store and its file. */
static enum opts_result opts_check(const struct ublkd_opts *o, FILE *err)
{
	if (store_check_name(cmdline.prog, o->store, err) ||
	    store_check_file(cmdline.prog, o->store, o->path, "path", "FILE", err))
		return OPTS_ERROR;
	if (o->ready_file && !*o->ready_file) {
		fprintf(err, "ubmap-ublkd: --ready-file must not be empty\n");
		return OPTS_ERROR;
	}
	return OPTS_OK;
}

enum opts_result opts_parse(int argc, char **argv, struct ublkd_opts *o,
			    FILE *out, FILE *err)
{
	unsigned long seen;
	enum cmdline_result r;

	memset(o, 0, sizeof(*o));
	o->store = UBLKD_DEFAULT_STORE;
	o->size = UBLKD_DEFAULT_SIZE;
	o->queues = UBLKD_DEFAULT_QUEUES;
	o->depth = UBLKD_DEFAULT_DEPTH;
	o->max_io = UBLKD_DEFAULT_MAX_IO;
	o->delete_id = -1;

	r = cmdline_parse(&cmdline, argc, argv, o, &seen, out, err);
	if (r != CL_OK)
		return (enum opts_result)r;
	if (o->delete_id >= 0) {
		if (seen & ~(1UL << OPT_DELETE | 1UL << OPT_QUIET)) {
			fprintf(err, "ubmap-ublkd: --delete takes no other options but --quiet\n");
			return OPTS_ERROR;
		}
		return OPTS_OK;
	}
	return opts_check(o, err);
}
