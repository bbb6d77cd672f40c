/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every ubmap-report subcommand shares on its command line: exit
 * statuses, defaults, and options declared as a table (fio's options[]),
 * so one parser serves every subcommand and --help is always the same.
 */
#ifndef REPORT_CLI_H
#define REPORT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit statuses shared by every subcommand. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* Significance level of every test unless --alpha says otherwise. */
#define DEFAULT_ALPHA		0.05

enum cli_type {
	CT_STR,		/* const char *: the argument as given */
	CT_FLAG,	/* bool: set when the option is given */
	CT_NUM,		/* double within [min, max] */
	CT_LIST,	/* struct cli_list: the option may be given again */
};

/* Room for a CT_LIST option's arguments. */
#define CLI_LIST_MAX		16

/* Every argument of a CT_LIST option, in the order given. */
struct cli_list {
	const char *v[CLI_LIST_MAX];
	size_t n;
};

/* One --NAME of a subcommand, stored at off in its options struct. */
struct cli_opt {
	const char *name;
	enum cli_type type;
	size_t off;
	double min, max;	/* CT_NUM */
};

/* offsetof(s, f), refused at compile time unless s.f is of type t. */
#define CLI_FIELD(s, f, t)						\
	(offsetof(s, f) + 0 * sizeof(char[__builtin_types_compatible_p(	\
		__typeof__(((s *)0)->f), t) ? 1 : -1]))
#define CLI_STR(name, s, f)	{ name, CT_STR, CLI_FIELD(s, f, const char *), 0, 0 }
#define CLI_FLAG(name, s, f)	{ name, CT_FLAG, CLI_FIELD(s, f, bool), 0, 0 }
#define CLI_NUM(name, s, f, lo, hi) \
	{ name, CT_NUM, CLI_FIELD(s, f, double), lo, hi }
#define CLI_LIST(name, s, f) \
	{ name, CT_LIST, CLI_FIELD(s, f, struct cli_list), 0, 0 }
#define CLI_END			{ NULL, CT_STR, 0, 0, 0 }

struct cli_cmd {
	const char *name;		/* for messages: "ubmap-report NAME: ..." */
	const struct cli_opt *opts;	/* ends with CLI_END; --help is implied */
	int nargs;			/* positional arguments, exactly */
	void (*usage)(FILE *f);
};

/*
 * Fills o from argv (argv[0] the subcommand's name) and points *args at
 * the positional arguments.  true when the command is done instead and
 * must return *status: EXIT_OK after --help, EXIT_USAGE after saying what
 * is wrong; *status is left alone otherwise.
 */
bool cli_parse(const struct cli_cmd *c, int argc, char **argv, void *o,
	       char ***args, int *status);

struct run;
struct dataset;

/*
 * cli_parse(), then the run RUN_DIR (the first positional argument) and
 * its dataset into @r and @d, as the one-run subcommands start.  true when
 * the command is done instead and must return *status: also EXIT_FAIL
 * after saying why the run would not load.  Else free both with
 * cli_run_free().
 */
bool cli_load_run(const struct cli_cmd *c, int argc, char **argv, void *o,
		  struct run *r, struct dataset *d, int *status);
void cli_run_free(struct run *r, struct dataset *d);

#endif /* REPORT_CLI_H */
