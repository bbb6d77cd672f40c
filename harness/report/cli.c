// SPDX-License-Identifier: GPL-2.0
/* The one option parser of the ubmap-report subcommands (cli.h). */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "dataset.h"

/* More than any subcommand has; the table is ours, so more is a bug. */
#define CLI_MAX_OPTS		16
/* getopt values of table entries: above every short option character. */
#define CLI_VAL			256

static int parse_number(const char *cmd, const char *opt, const char *text,
			double min, double max, double *v)
{
	char *end;

	*v = strtod(text, &end);
	if (end == text || *end || !(*v >= min && *v <= max)) {
		fprintf(stderr, "ubmap-report %s: --%s wants a number in [%g, %g], not '%s'\n",
			cmd, opt, min, max, text);
		return -1;
	}
	return 0;
}

static int store(const struct cli_cmd *c, const struct cli_opt *opt,
		 const char *arg, void *o)
{
	char *field = (char *)o + opt->off;
	struct cli_list *l = (struct cli_list *)field;

	switch (opt->type) {
	case CT_STR:
		*(const char **)field = arg;
		return 0;
	case CT_FLAG:
		*(bool *)field = true;
		return 0;
	case CT_NUM:
		return parse_number(c->name, opt->name, arg, opt->min, opt->max,
				    (double *)field);
	case CT_LIST:
		if (l->n == CLI_LIST_MAX) {
			fprintf(stderr, "ubmap-report %s: --%s given more than %d times\n",
				c->name, opt->name, CLI_LIST_MAX);
			return -1;
		}
		l->v[l->n++] = arg;
		return 0;
	}
	return -1;
}

bool cli_parse(const struct cli_cmd *c, int argc, char **argv, void *o,
	       char ***args, int *status)
{
	struct option lo[CLI_MAX_OPTS + 2];
	size_t n;
	int v;

	for (n = 0; c->opts[n].name; n++) {
		if (n == CLI_MAX_OPTS)
			abort();
		lo[n] = (struct option){ c->opts[n].name,
			c->opts[n].type == CT_FLAG ? no_argument : required_argument,
			NULL, CLI_VAL + (int)n };
	}
	lo[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n] = (struct option){ NULL, 0, NULL, 0 };

	optind = 1;
	while ((v = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (v >= CLI_VAL) {
			if (store(c, &c->opts[v - CLI_VAL], optarg, o)) {
				*status = EXIT_USAGE;
				return true;
			}
			continue;
		}
		/* -h, --help; or '?', getopt having said what was wrong. */
		c->usage(v == 'h' ? stdout : stderr);
		*status = v == 'h' ? EXIT_OK : EXIT_USAGE;
		return true;
	}
	if (argc - optind != c->nargs) {
		c->usage(stderr);
		*status = EXIT_USAGE;
		return true;
	}
	*args = argv + optind;
	return false;
}

bool cli_load_run(const struct cli_cmd *c, int argc, char **argv, void *o,
		  struct run *r, struct dataset *d, int *status)
{
	char err[PATH_MAX + 256];
	char **args;

	if (cli_parse(c, argc, argv, o, &args, status))
		return true;
	if (run_load(r, args[0], err, sizeof(err))) {
		fprintf(stderr, "ubmap-report %s: %s\n", c->name, err);
		*status = EXIT_FAIL;
		return true;
	}
	dataset_build(d, r);
	return false;
}

void cli_run_free(struct run *r, struct dataset *d)
{
	dataset_free(d);
	run_free(r);
}
