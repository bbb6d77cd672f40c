// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <string.h>

#include "options.h"
#include "store.h"
#include "util.h"

static const struct option long_opts[] = {
	{ "store",	 required_argument, NULL, 's' },
	{ "path",	 required_argument, NULL, 'p' },
	{ "size",	 required_argument, NULL, 'S' },
	{ "name",	 required_argument, NULL, 'N' },
	{ "cmd-timeout", required_argument, NULL, 't' },
	{ "ready-file",	 required_argument, NULL, 'r' },
	{ "teardown",	 no_argument,	    NULL, 'T' },
	{ "quiet",	 no_argument,	    NULL, 'q' },
	{ "help",	 no_argument,	    NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};
static const char short_opts[] = ":s:p:S:N:t:r:Tqh";

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

static enum tcmud_opts_result check(const struct tcmud_opts *o, FILE *err)
{
	if (!store_find(o->store)) {
		char names[128];

		store_names(names, sizeof(names));
		fprintf(err, "ubmap-tcmud: unknown store '%s' (valid: %s)\n",
			o->store, names);
		return TOPTS_ERROR;
	}
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
	unsigned long n;
	int c;

	memset(o, 0, sizeof(*o));
	o->store = TCMUD_DEFAULT_STORE;
	o->name = TCMUD_DEFAULT_NAME;
	o->size = TCMUD_DEFAULT_SIZE;
	o->cmd_timeout = TCMUD_DEFAULT_TIMEOUT;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->store = optarg;
			break;
		case 'p':
			o->path = optarg;
			break;
		case 'S':
			if (parse_size(optarg, &n) || !n || n % 4096) {
				fprintf(err, "ubmap-tcmud: --size wants a positive multiple of 4k, not '%s'\n",
					optarg);
				return TOPTS_ERROR;
			}
			o->size = n;
			break;
		case 'N':
			o->name = optarg;
			break;
		case 't':
			if (parse_uint(optarg, &n) || !n || n > 600) {
				fprintf(err, "ubmap-tcmud: --cmd-timeout wants 1..600 seconds, not '%s'\n",
					optarg);
				return TOPTS_ERROR;
			}
			o->cmd_timeout = n;
			break;
		case 'r':
			o->ready_file = optarg;
			break;
		case 'T':
			o->teardown = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(out);
			return TOPTS_EXIT;
		case ':':
			fprintf(err, "ubmap-tcmud: option '%s' needs an argument\n",
				argv[optind - 1]);
			return TOPTS_ERROR;
		default:
			fprintf(err, "ubmap-tcmud: unknown option '%s'\n", argv[optind - 1]);
			return TOPTS_ERROR;
		}
	}
	if (optind < argc) {
		fprintf(err, "ubmap-tcmud: unexpected argument '%s'\n", argv[optind]);
		return TOPTS_ERROR;
	}
	return check(o, err);
}
