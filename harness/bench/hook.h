/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio calls us back at the start and end of each job: its exec_prerun and
 * exec_postrun run a shell line that writes "pre K" or "post K" into a FIFO
 * and waits for our "ok" on another.  That brackets each cell's I/O
 * exactly, with one fio process for many cells.
 */
#ifndef BENCH_HOOK_H
#define BENCH_HOOK_H

#include <limits.h>
#include <stddef.h>

struct hook {
	char req[PATH_MAX - 16];	/* fio -> us */
	char ack[PATH_MAX - 16];	/* us -> fio */
	int req_fd;
	int ack_fd;			/* held open: see hook_reply() */
	char buf[256];
	size_t len;
};

enum hook_event { HOOK_NONE, HOOK_PRE, HOOK_POST };

/* Creates the two FIFOs in dir. */
int hook_open(struct hook *h, const char *dir, char *err);
void hook_close(struct hook *h);

/* The shell line fio runs for event ev of job k (a job file value). */
void hook_command(const struct hook *h, enum hook_event ev, unsigned int k,
		  char *buf, size_t len);

/*
 * Waits up to timeout_ms (or until a signal) for a message: HOOK_PRE or
 * HOOK_POST with *k set, or HOOK_NONE.
 */
enum hook_event hook_wait(struct hook *h, int timeout_ms, unsigned int *k);

/*
 * Lets one waiting job go on.  One "ok" line per request, into a FIFO we
 * hold open: with numjobs > 1 several clones' shells wait on it at once,
 * and each line releases exactly one of them (a writer that opened and
 * closed per reply released every waiting reader at its close, EOF, and
 * then found nobody left for the next reply).
 */
int hook_reply(struct hook *h);

#endif /* BENCH_HOOK_H */
