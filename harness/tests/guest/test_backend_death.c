// SPDX-License-Identifier: GPL-2.0
/*
 * A backend that forked and then died: its child still holds the char
 * device open (an inherited fd), so the file's release does not run.  The
 * dead backend's requests must still fail at once, a new backend must be
 * able to attach, and the child must learn it is out (-ESHUTDOWN).  Its
 * windows must not be copyable into a child at all (MADV_DOFORK).
 * Needs the module loaded with no backend attached.  Exits 0 pass, 1 fail,
 * 77 skip.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/ubmap.h>

#define CHAR_DEV	"/dev/ubmapc0"
#define BLOCK_DEV	"/dev/ubmap0"
#define IO_LEN		4096

static int failures;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		failures++;						\
		printf("FAIL: " __VA_ARGS__);				\
		printf("\n");						\
	}								\
} while (0)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What the backend tells the test before it dies. */
struct backend_msg {
	pid_t holder;		/* its child holding the fd */
	int dofork;		/* MADV_DOFORK allowed on the window, ctrl */
};

/* The backend: maps, forks a child that keeps the fd, fetches, dies. */
static void backend(int report)
{
	struct backend_msg msg;
	struct ubmap_info info;
	struct ubmap_batch b = { 0 };
	uint32_t tags[64];
	void *ctrl, *data;
	pid_t holder;
	int fd, i;

	fd = open(CHAR_DEV, O_RDWR);
	if (fd < 0 || ioctl(fd, UBMAP_IOC_GET_INFO, &info))
		_exit(10);
	ctrl = mmap(NULL, info.ctrl_size, PROT_READ, MAP_SHARED, fd, 0);
	data = mmap(NULL, info.data_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    info.data_offset);
	if (ctrl == MAP_FAILED || data == MAP_FAILED)
		_exit(11);
	/* Neither area may be copied into a child. */
	msg.dofork = (madvise(data, info.data_size, MADV_DOFORK) == 0) |
		     (madvise(ctrl, info.ctrl_size, MADV_DOFORK) == 0) << 1;
	holder = fork();
	if (!holder) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double t0 = now();

		/* The child keeps the fd until its parent's death is noticed:
		 * poll says so (POLLIN meanwhile is the parent's request), and
		 * the ring says -ESHUTDOWN.
		 */
		do {
			if (poll(&pfd, 1, 1000) == 1 && !(pfd.revents & POLLHUP))
				usleep(10000);
		} while (!(pfd.revents & POLLHUP) && now() - t0 < 20);
		if (!(pfd.revents & POLLHUP))
			_exit(20);
		b.max_fetch = 1;
		b.tags = (uintptr_t)tags;
		b.flags = UBMAP_BATCH_NOWAIT;
		_exit(ioctl(fd, UBMAP_IOC_COMMIT_FETCH, &b) == -1 &&
		      errno == ESHUTDOWN ? 0 : 21);
	}
	msg.holder = holder;
	if (write(report, &msg, sizeof(msg)) != sizeof(msg))
		_exit(13);
	/* Fetch the I/O child's request (it is on some queue), then die. */
	for (i = 0; i < 5000; i++) {
		for (uint32_t q = 0; q < info.nr_queues; q++) {
			b = (struct ubmap_batch){ .queue = q, .flags = UBMAP_BATCH_NOWAIT,
				.tags = (uintptr_t)tags, .max_fetch = 1 };
			if (ioctl(fd, UBMAP_IOC_COMMIT_FETCH, &b))
				_exit(14);
			if (b.nr_fetched)
				_exit(0);	/* holding it, mapped */
		}
		usleep(1000);
	}
	_exit(15);
}

int main(void)
{
	int pipefd[2], status, fd = -1, rc;
	struct backend_msg msg = { .holder = -1 };
	pid_t io, be, holder;
	double t0;

	if (access(CHAR_DEV, F_OK)) {
		fprintf(stderr, "skip: %s missing (module not loaded)\n", CHAR_DEV);
		return 77;
	}
	/* The fd holder outlives its parent: it becomes ours to reap. */
	if (pipe(pipefd) || prctl(PR_SET_CHILD_SUBREAPER, 1))
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	be = fork();
	if (!be)
		backend(pipefd[1]);
	close(pipefd[1]);
	/* The I/O starts once the backend is attached (it reports). */
	if (read(pipefd[0], &msg, sizeof(msg)) != sizeof(msg))
		msg.holder = -1;
	holder = msg.holder;
	CHECK(!msg.dofork, "MADV_DOFORK allowed on the%s%s", msg.dofork & 1 ?
	      " window" : "", msg.dofork & 2 ? " ctrl area" : "");
	io = fork();
	if (!io) {
		void *buf;
		int bfd = open(BLOCK_DEV, O_RDONLY | O_DIRECT);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (bfd < 0 || posix_memalign(&buf, 4096, IO_LEN))
			_exit(2);
		_exit(pread(bfd, buf, IO_LEN, 0) < 0 && errno == EIO ? 0 : 3);
	}
	waitpid(be, &status, 0);
	CHECK(WIFEXITED(status) && !WEXITSTATUS(status),
	      "backend exited with status %d",
	      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	t0 = now();

	/* The request the dead backend held fails, and soon. */
	for (rc = 0; now() - t0 < 10 && !(rc = waitpid(io, &status, WNOHANG));)
		usleep(10000);
	CHECK(rc == io, "the dead backend's request still waits after 10 s");
	if (rc == io) {
		CHECK(WIFEXITED(status) && !WEXITSTATUS(status),
		      "the I/O ended with status %d, not EIO", WEXITSTATUS(status));
		printf("  request failed %.2f s after the backend died\n", now() - t0);
	} else {
		kill(io, SIGKILL);
	}

	/* Another backend may attach while the child still holds the old fd. */
	for (t0 = now(); now() - t0 < 5; usleep(10000)) {
		fd = open(CHAR_DEV, O_RDWR);
		if (fd >= 0 || errno != EBUSY)
			break;
	}
	CHECK(fd >= 0, "a new backend cannot attach: %s", strerror(errno));
	if (holder > 0) {
		for (rc = 0; now() - t0 < 10 && !(rc = waitpid(holder, &status, WNOHANG));)
			usleep(10000);
		CHECK(rc == holder && WIFEXITED(status) && !WEXITSTATUS(status),
		      "the child holding the old fd (20: no POLLHUP, 21: no "
		      "-ESHUTDOWN): %s %d", rc != holder ? "still running" :
		      WIFEXITED(status) ? "exit" : "signal",
		      WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		if (rc != holder) {
			kill(holder, SIGKILL);
			waitpid(holder, NULL, 0);
		}
	}
	if (fd >= 0)
		close(fd);
	printf("%s\n", failures ? "backend death: FAIL" : "backend death: ok");
	return failures ? 1 : 0;
}
