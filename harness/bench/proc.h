/* SPDX-License-Identifier: GPL-2.0 */
/* Child processes: fio under perf, ubmapd, version queries. */
#ifndef BENCH_PROC_H
#define BENCH_PROC_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

struct child {
	pid_t pid;			/* 0: none */
	int pidfd;			/* -1 where pidfd_open is missing */
};

/*
 * Starts argv[0] (searched in PATH) in its own process group, in directory
 * cwd (NULL: ours), stdout and stderr appended to log (NULL: inherited).
 * We stop our children ourselves, in order, so a terminal ^C reaches only us.
 */
int child_spawn(struct child *c, char *const argv[], const char *cwd,
		const char *log, char *err);

enum wait_result { WAIT_EXITED, WAIT_TIMEOUT, WAIT_STOPPED };

/*
 * Waits for c to exit, at most timeout seconds (< 0: forever), returning
 * early with WAIT_STOPPED once *stop is set by a signal handler.
 */
enum wait_result child_wait(struct child *c, double timeout,
			    volatile sig_atomic_t *stop, int *status);
/* Has it exited (reaped then)? */
bool child_exited(struct child *c, int *status);
/* Signals c's whole process group (perf and the fio it runs). */
void child_kill(struct child *c, int sig);
/*
 * Stops c: sig, then SIGKILL after grace seconds.  Returns its wait status.
 */
int child_stop(struct child *c, int sig, double grace);

/* First line of a command's stdout ("fio-3.33"), or "" on failure. */
void run_capture_line(char *const argv[], char *buf, size_t len);

/* "exit 3", "signal 9": for messages. */
void describe_status(int status, char *buf, size_t len);

#endif /* BENCH_PROC_H */
