// SPDX-License-Identifier: GPL-2.0
/* ubmap-bench run: execute a matrix here (in the guest, or natively). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "run.h"
#include "util.h"

/* The run directory's base name, trailing slashes ignored. */
static char *default_run_id(const char *out)
{
	const char *slash;
	size_t len = strlen(out);

	while (len > 1 && out[len - 1] == '/')
		len--;
	slash = memrchr(out, '/', len);
	return strndup(slash ? slash + 1 : out, len - (slash ? slash + 1 - out : 0));
}

/* How we were invoked, shell-quoted, for run.json. */
static char *command_line(int argc, char **argv)
{
	struct strv all = { 0 };
	char *s;

	for (int i = 0; i < argc; i++)
		strv_add(&all, "%s", argv[i]);
	s = strv_join(&all);
	strv_free(&all);
	return s;
}

int cmd_run(struct bench_args *a)
{
	static const char *const tools[] = { "fio", "perf" };
	int ret = bench_args_matrix(a);

	if (ret)
		return ret;
	if (!a->o.out) {
		fprintf(stderr, "ubmap-bench: run needs --out DIR\n");
		return 2;
	}
	if (bench_check_host(tools, ARRAY_SIZE(tools), &a->o.paths))
		return 2;
	if (geteuid()) {
		fprintf(stderr, "ubmap-bench: run needs root (module, perf -a, /dev/kmsg)\n");
		return 2;
	}
	if (!a->o.run_id)
		a->o.run_id = default_run_id(a->o.out);
	a->o.cmdline = command_line(a->argc, a->argv);
	return bench_run(&a->o);
}
