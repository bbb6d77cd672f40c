// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-bench serve --target T [--store S] [--mode M] [--queues N] -- CMD:
 * one target set up by the bench's own ops (target.h), CMD run against it
 * with UBMAP_DEV naming the device, then torn down.  The guest tests use
 * it, so they test the code the bench runs.  Exit status: CMD's; 77 (skip)
 * when the target is unavailable here, with the reason on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cells.h"
#include "cmd.h"
#include "target.h"

#define EXIT_UNAVAILABLE	77

static int run_command(char **argv)
{
	pid_t pid = fork();
	int status;

	if (pid < 0) {
		perror("ubmap-bench: fork");
		return 1;
	}
	if (!pid) {
		execvp(argv[0], argv);
		fprintf(stderr, "ubmap-bench: %s: %m\n", argv[0]);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int cmd_serve(struct bench_args *a)
{
	struct target_dev d = { 0 };
	const struct target_ops *t;
	struct target_env env;
	char err[ERR_LEN], *dir;
	struct cell *cells;
	size_t n;
	int ret;

	a->matrix_optional = true;
	ret = bench_args_matrix(a);
	if (ret)
		return ret;
	if (!a->nrest) {
		fprintf(stderr, "ubmap-bench: serve needs a command after --\n");
		return 2;
	}
	cells = cells_expand(&a->o.m, &n);
	if (!n || cells_groups(cells, n) != 1) {
		fprintf(stderr, "ubmap-bench: serve needs one target, store, queues and (for ubmap) mode; got %u groups\n",
			n ? cells_groups(cells, n) : 0);
		free(cells);
		return 2;
	}
	t = target_find(cells[0].target);
	dir = strdup("/tmp/ubmap-serve.XXXXXX");
	if (!dir || !mkdtemp(dir)) {
		perror("ubmap-bench: mkdtemp");
		return 1;
	}
	env = (struct target_env){
		.paths = &a->o.paths, .workdir = dir, .logdir = dir,
		.queue_depth = a->o.m.set[SET_QUEUE_DEPTH],
		.max_io = a->o.m.set[SET_MAX_IO],
	};
	ret = t->start(&env, &cells[0], &d, err);
	if (ret == TARGET_UNAVAILABLE) {
		fprintf(stderr, "ubmap-bench: target %s unavailable: %s\n", t->name, err);
		ret = EXIT_UNAVAILABLE;
	} else if (ret) {
		fprintf(stderr, "ubmap-bench: target %s: %s (logs in %s)\n", t->name, err, dir);
		ret = 1;
	} else {
		fprintf(stderr, "ubmap-bench: target %s serves %s\n", t->name, d.dev);
		setenv("UBMAP_DEV", d.dev, 1);
		ret = run_command(a->rest);
	}
	if (t->stop(&d, err)) {
		fprintf(stderr, "ubmap-bench: target %s teardown: %s\n", t->name, err);
		if (!ret || ret == EXIT_UNAVAILABLE)
			ret = 1;
	}
	free(cells);
	free(dir);
	return ret;
}
