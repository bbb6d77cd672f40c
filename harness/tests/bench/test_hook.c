// SPDX-License-Identifier: GPL-2.0
/*
 * The hook FIFOs with several waiters, as fio's clones of a numjobs > 1 job
 * wait: each reply releases exactly one, none waits for a reader.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_tests.h"
#include "hook.h"
#include "util.h"

/* A shell waiting as the hook line does: read -r ok <ack. */
static pid_t waiter(const struct hook *h)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid) {
		char cmd[PATH_MAX + 32];

		snprintf(cmd, sizeof(cmd), "read -r ok <%s", h->ack);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Reaped waiters within secs. */
static int reap(pid_t *pid, int n, double secs)
{
	int done = 0;

	for (int t = 0; t < secs * 100; t++) {
		done = 0;
		for (int i = 0; i < n; i++) {
			int status;

			if (pid[i] && waitpid(pid[i], &status, WNOHANG) == pid[i]) {
				assert_true(WIFEXITED(status) && !WEXITSTATUS(status));
				pid[i] = 0;
			}
			done += !pid[i];
		}
		if (done == n)
			break;
		usleep(10000);
	}
	return done;
}

static void test_one_reply_one_waiter(void **state)
{
	char dir[] = "/tmp/ubmap-hook-test.XXXXXX", err[ERR_LEN];
	struct hook h;
	pid_t pid[2];

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(hook_open(&h, dir, err), 0);
	pid[0] = waiter(&h);
	pid[1] = waiter(&h);
	usleep(200000);		/* both in read */
	assert_int_equal(hook_reply(&h), 0);
	/* One released; the other still waits for its own reply. */
	assert_int_equal(reap(pid, 2, 1), 1);
	assert_int_equal(hook_reply(&h), 0);
	assert_int_equal(reap(pid, 2, 5), 2);
	/* A reply before its reader waits is kept for it. */
	assert_int_equal(hook_reply(&h), 0);
	pid[0] = waiter(&h);
	assert_int_equal(reap(pid, 1, 5), 1);
	hook_close(&h);
	rmdir(dir);
}

int run_hook_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_reply_one_waiter),
	};

	return cmocka_run_group_tests_name("hook", tests, NULL, NULL);
}
