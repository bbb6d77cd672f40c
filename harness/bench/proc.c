// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"
#include "util.h"

extern char **environ;

static int pidfd_open_compat(pid_t pid)
{
#ifdef SYS_pidfd_open
	return syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

int child_spawn(struct child *c, char *const argv[], const char *cwd,
		const char *log, char *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int ret;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&attr, 0);
	if (log) {
		posix_spawn_file_actions_addopen(&fa, 1, log,
						 O_WRONLY | O_CREAT | O_APPEND, 0644);
		posix_spawn_file_actions_adddup2(&fa, 1, 2);
	}
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (cwd)
		posix_spawn_file_actions_addchdir_np(&fa, cwd);
	ret = posix_spawnp(&c->pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (ret) {
		snprintf(err, ERR_LEN, "cannot run %s: %s", argv[0], strerror(ret));
		c->pid = 0;
		return -1;
	}
	c->pidfd = pidfd_open_compat(c->pid);
	return 0;
}

static void child_done(struct child *c)
{
	if (c->pidfd >= 0)
		close(c->pidfd);
	c->pidfd = -1;
	c->pid = 0;
}

bool child_exited(struct child *c, int *status)
{
	if (!c->pid)
		return true;
	if (waitpid(c->pid, status, WNOHANG) != c->pid)
		return false;
	child_done(c);
	return true;
}

enum wait_result child_wait(struct child *c, double timeout,
			    volatile sig_atomic_t *stop, int *status)
{
	double deadline = timeout < 0 ? -1 : now_mono() + timeout;

	for (;;) {
		int ms = 50;

		if (child_exited(c, status))
			return WAIT_EXITED;
		if (stop && *stop)
			return WAIT_STOPPED;
		if (deadline >= 0 && now_mono() >= deadline)
			return WAIT_TIMEOUT;
		/* With a pidfd we wake at the exit; else poll every 50 ms. */
		if (c->pidfd >= 0) {
			struct pollfd p = { .fd = c->pidfd, .events = POLLIN };

			ms = deadline < 0 ? 1000 : (int)((deadline - now_mono()) * 1000) + 1;
			if (ms > 1000)
				ms = 1000;
			poll(&p, 1, ms);	/* EINTR: loop and look at *stop */
		} else {
			usleep(ms * 1000);
		}
	}
}

void child_kill(struct child *c, int sig)
{
	if (c->pid)
		kill(-c->pid, sig);
}

int child_stop(struct child *c, int sig, double grace)
{
	int status = 0;

	if (!c->pid)
		return 0;
	child_kill(c, sig);
	if (child_wait(c, grace, NULL, &status) == WAIT_EXITED)
		return status;
	child_kill(c, SIGKILL);
	child_wait(c, -1, NULL, &status);
	return status;
}

void run_capture_line(char *const argv[], char *buf, size_t len)
{
	posix_spawn_file_actions_t fa;
	int fds[2], status;
	pid_t pid;
	ssize_t r;

	buf[0] = '\0';
	if (pipe2(fds, O_CLOEXEC))
		return;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ))
		pid = 0;
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (pid) {
		size_t used = 0;
		char chunk[512];

		/* Drain it all, or a chatty child blocks and waitpid hangs. */
		while ((r = read(fds[0], chunk, sizeof(chunk))) > 0) {
			size_t n = (size_t)r < len - 1 - used ? (size_t)r : len - 1 - used;

			memcpy(buf + used, chunk, n);
			used += n;
		}
		buf[used] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		waitpid(pid, &status, 0);
	}
	close(fds[0]);
}

void describe_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "status %#x", status);
}
