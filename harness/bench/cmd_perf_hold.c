// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-bench perf-hold: perf_hold() (perf.c) until SIGTERM or SIGINT, for
 * a guest command that runs ubmap-bench many times in one boot (the A/B
 * gate's blocks): between two runs nothing closes the events either.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "perf.h"

static volatile sig_atomic_t done;

static void on_signal(int sig)
{
	(void)sig;
	done = 1;
}

int cmd_perf_hold(struct bench_args *a)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct perf_run p;
	unsigned int mask = PERF_ALL_EVENTS;
	char dir[] = "/tmp/ubmap-perf-hold.XXXXXX", err[ERR_LEN];
	sigset_t block, old;
	int ret = 0;

	(void)a;
	if (!perf_tlb_tracepoint_available())
		mask &= ~PERF_TRACEPOINTS;
	if (!mkdtemp(dir)) {
		perror("ubmap-bench perf-hold: mkdtemp");
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* perf first: a child inherits a blocked mask, and perf_stop() would
	 * wait out its SIGINT.  A signal before the block sets done itself.
	 */
	if (perf_hold(&p, mask, dir, "/dev/null", err)) {
		fprintf(stderr, "ubmap-bench perf-hold: %s\n", err);
		ret = 1;
	} else {
		sigemptyset(&block);
		sigaddset(&block, SIGTERM);
		sigaddset(&block, SIGINT);
		sigprocmask(SIG_BLOCK, &block, &old);
		while (!done)
			sigsuspend(&old);
	}
	if (perf_stop(&p, err)) {
		fprintf(stderr, "ubmap-bench perf-hold: %s\n", err);
		ret = 1;
	}
	rmdir(dir);
	return ret;
}
