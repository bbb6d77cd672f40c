// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "store.h"
#include "util.h"

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

/* A positive count that fits the ioctl's __u32. */
static int set_batch(void *p, const char *arg, FILE *err)
{
	struct ubmapd_args *a = p;
	unsigned long n;

	if (parse_uint(arg, &n) || n > 0xffffffffUL || n == 0) {
		fprintf(err, "ubmapd: --batch wants a positive integer, not '%s'\n", arg);
		return -1;
	}
	a->batch = n;
	return 0;
}

static const struct cmdline_opt opts[] = {
	{ "dev", 'd', CL_STR, CL_FIELD(struct ubmapd_args, dev) },
	{ "store", 's', CL_STR, CL_FIELD(struct ubmapd_args, store) },
	{ "file", 'f', CL_STR, CL_FIELD(struct ubmapd_args, file) },
	{ "ready-file", 'r', CL_STR, CL_FIELD(struct ubmapd_args, ready_file) },
	{ .name = "batch", .short_name = 'b', .kind = CL_CALL, .call = set_batch },
	{ "quiet", 'q', CL_FLAG, CL_FIELD(struct ubmapd_args, quiet) },
	{ .name = "help", .short_name = 'h', .kind = CL_HELP },
	{ NULL }
};

static const struct cmdline cmdline = {
	.prog = "ubmapd",
	.opts = opts,
	.usage = args_usage,
};

enum args_result args_parse(int argc, char **argv, struct ubmapd_args *a,
			    FILE *out, FILE *err)
{
	enum cmdline_result r;

	memset(a, 0, sizeof(*a));
	a->dev = UBMAPD_DEFAULT_DEV;
	a->store = UBMAPD_DEFAULT_STORE;

	r = cmdline_parse(&cmdline, argc, argv, a, NULL, out, err);
	if (r != CL_OK)
		return (enum args_result)r;
	if (!*a->dev) {
		fprintf(err, "ubmapd: --dev must not be empty\n");
		return ARGS_ERROR;
	}
	if (store_check_name(cmdline.prog, a->store, err) ||
	    store_check_file(cmdline.prog, a->store, a->file, "file", "PATH", err))
		return ARGS_ERROR;
	if (a->ready_file && !*a->ready_file) {
		fprintf(err, "ubmapd: --ready-file must not be empty\n");
		return ARGS_ERROR;
	}
	return ARGS_OK;
}
