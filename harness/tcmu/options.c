// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
#include <string.h>

#include "options.h"
#include "store.h"
#include "util.h"

static void usage(FILE *f)
{
	char names[128];

	store_names(names, sizeof(names));
	fprintf(f,
		"usage: ubmap-tcmud [options]\n"
		"       ubmap-tcmud --teardown [--name NAME]\n"
		"Serve a SCSI disk (/dev/sdX via tcm_loop) from a tcmu user backstore,\n"
		"with the same stores as ubmapd.  Loads target_core_user and tcm_loop,\n"
		"sets up configfs itself and removes it again on SIGINT/SIGTERM.\n"
		"\n"
		"  -s, --store NAME        where the data lives: %s (default %s)\n"
		"  -p, --path FILE         backing file for --store file\n"
		"  -S, --size BYTES        disk size, a multiple of 4k (default 256m)\n"
		"  -N, --name NAME         backstore name (default %s)\n"
		"  -t, --cmd-timeout SECS  tcmu fails a command unanswered this long,\n"
		"                          1..600 (default %u)\n"
		"  -r, --ready-file FILE   once the disk is up, write its path there\n"
		"  -T, --teardown          only remove NAME's configfs objects (after\n"
		"                          a server died) and exit\n"
		"  -q, --quiet             print errors only\n"
		"  -h, --help              show this help\n",
		names, TCMUD_DEFAULT_STORE, TCMUD_DEFAULT_NAME, TCMUD_DEFAULT_TIMEOUT);
}

static int set_timeout(void *p, const char *arg, FILE *err)
{
	struct tcmud_opts *o = p;
	unsigned long n;

	if (parse_uint(arg, &n) || !n || n > 600) {
		fprintf(err, "ubmap-tcmud: --cmd-timeout wants 1..600 seconds, not '%s'\n",
			arg);
		return -1;
	}
	o->cmd_timeout = n;
	return 0;
}

static const struct cmdline_opt opts[] = {
	{ "store", 's', CL_STR, CL_FIELD(struct tcmud_opts, store) },
	{ "path", 'p', CL_STR, CL_FIELD(struct tcmud_opts, path) },
	{ "size", 'S', CL_BYTES, CL_FIELD(struct tcmud_opts, size), .max = ULONG_MAX },
	{ "name", 'N', CL_STR, CL_FIELD(struct tcmud_opts, name) },
	{ .name = "cmd-timeout", .short_name = 't', .kind = CL_CALL, .call = set_timeout },
	{ "ready-file", 'r', CL_STR, CL_FIELD(struct tcmud_opts, ready_file) },
	{ "teardown", 'T', CL_FLAG, CL_FIELD(struct tcmud_opts, teardown) },
	{ "quiet", 'q', CL_FLAG, CL_FIELD(struct tcmud_opts, quiet) },
	{ .name = "help", .short_name = 'h', .kind = CL_HELP },
	{ NULL }
};

static const struct cmdline cmdline = {
	.prog = "ubmap-tcmud",
	.opts = opts,
	.usage = usage,
	.terse = true,
};

static enum tcmud_opts_result check(const struct tcmud_opts *o, FILE *err)
{
	if (store_check_name(cmdline.prog, o->store, err))
		return TOPTS_ERROR;
	if (!strcmp(o->store, "file") != !!o->path) {
		fprintf(err, "ubmap-tcmud: --path goes with --store file, and only with it\n");
		return TOPTS_ERROR;
	}
	if (!*o->name || strchr(o->name, '/') || strlen(o->name) > 48) {
		fprintf(err, "ubmap-tcmud: --name wants 1..48 characters without '/', not '%s'\n",
			o->name);
		return TOPTS_ERROR;
	}
	return TOPTS_OK;
}

enum tcmud_opts_result tcmud_opts_parse(int argc, char **argv,
					struct tcmud_opts *o, FILE *out,
					FILE *err)
{
	enum cmdline_result r;

	memset(o, 0, sizeof(*o));
	o->store = TCMUD_DEFAULT_STORE;
	o->name = TCMUD_DEFAULT_NAME;
	o->size = TCMUD_DEFAULT_SIZE;
	o->cmd_timeout = TCMUD_DEFAULT_TIMEOUT;
	r = cmdline_parse(&cmdline, argc, argv, o, NULL, out, err);
	if (r != CL_OK)
		return (enum tcmud_opts_result)r;
	return check(o, err);
}
