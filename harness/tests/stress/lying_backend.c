// SPDX-License-Identifier: GPL-2.0
/*
 * A backend that lies.  Each lie must get an errno or a SIGBUS, be counted
 * (protocol_errors, backend_errors), and leave the request it lied about,
 * and a bystander request held at the same time, to end as the rules say.
 * Needs the module loaded with no backend attached.
 *
 *   lying-backend [ROUNDS]    ROUNDS (1) of the commit-versus-close race
 *
 * Prints one line per lie and "lies N failed M"; exits 1 if M > 0, 77 with
 * no device.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ring.h"

#define IO_LEN		(64 * 1024)
#define VICTIM		(1 << 20)
#define BYSTANDER	(2 << 20)
#define MAX_ERRNO	4095

static struct ring r;
static int failed_checks;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		failed_checks++;					\
		printf("    FAIL %s:%d: ", __func__, __LINE__);		\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	}								\
} while (0)

/* What a READ at @off is filled with, so every child knows what to expect. */
static uint8_t fill_of(uint64_t off)
{
	return (uint8_t)((off >> 12) * 37 + 11);
}

static int zero_copy(void)
{
	return strcmp(r.info.mode, "copy") != 0;
}

/* user_copy: no slot to touch; the lies go through pread/pwrite instead. */
static int user_copy(void)
{
	return strcmp(r.info.mode, "user_copy") == 0;
}

static void fill(const struct ubmap_io_desc *d, uint8_t byte)
{
	int ret = ring_fill(r.fd, r.data, d, byte);

	CHECK(ret == 0, "filling the READ at %llu: %s", (unsigned long long)d->offset,
	      strerror(-ret));
}

/* A pwrite (READ) or pread (WRITE) of @d's data: bytes, or -errno. */
static ssize_t user_copy_io(const struct ubmap_io_desc *d)
{
	uint8_t buf[4096] = { 0 };
	size_t n = d->len < sizeof(buf) ? d->len : sizeof(buf);
	off_t off = UBMAP_USER_COPY_OFF + d->window_off;
	ssize_t ret = d->op == UBMAP_OP_READ ? pwrite(r.fd, buf, n, off) :
					       pread(r.fd, buf, n, off);

	return ret < 0 ? -errno : ret;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct io {
	pid_t pid;
	int go;		/* write end: the child checks its data once told */
};

/*
 * A child doing one read or write of @len at @off.  Exit: 0 data as
 * expected, 5 EIO, 3 other error, 4 data changed.  With @late it checks
 * its buffer (and, buffered, the page cache) only when io_go() says so.
 */
static void io_start(struct io *io, int write, int direct, uint64_t off,
		     size_t len, int late)
{
	int p[2] = { -1, -1 };
	uint8_t *buf;
	ssize_t n;
	int fd;
	char c;

	if (late && pipe(p))
		abort();
	io->pid = fork();
	if (io->pid) {
		if (late)
			close(p[0]);
		io->go = p[1];
		return;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* The backend's file is not the child's to keep open. */
	close(r.fd);
	fd = open(RING_BLOCK_DEV, O_RDWR | (direct ? O_DIRECT : 0));
	if (fd < 0 || posix_memalign((void **)&buf, 4096, len))
		_exit(2);
	/* No readahead: one buffered read is one request of its own size. */
	posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
	/* A page cached by an earlier lie would answer without a request. */
	if (!direct && !write)
		posix_fadvise(fd, off, len, POSIX_FADV_DONTNEED);
	memset(buf, write ? fill_of(off) : 0, len);
	n = write ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);
	if (n < 0 && errno == EIO)
		_exit(5);
	if (n != (ssize_t)len || (write && !direct && fsync(fd)))
		_exit(3);
	if (late && read(p[0], &c, 1) != 1)
		_exit(2);
	for (size_t i = 0; i < len; i++)
		if (buf[i] != fill_of(off))
			_exit(4);
	/* Buffered: the page-cache page too (a hit, no new request). */
	if (!direct && pread(fd, buf, len, off) != (ssize_t)len)
		_exit(3);
	for (size_t i = 0; !direct && i < len; i++)
		if (buf[i] != fill_of(off))
			_exit(4);
	_exit(0);
}

static void io_go(struct io *io)
{
	if (write(io->go, "g", 1) != 1)
		abort();
	close(io->go);
	io->go = -1;
}

/* The child's exit status, or -1 if it does not end within 10 s. */
static int io_wait(struct io *io)
{
	double end = now() + 10;
	int status;

	while (now() < end) {
		pid_t p = waitpid(io->pid, &status, WNOHANG);

		if (p == io->pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		usleep(2000);
	}
	kill(io->pid, SIGKILL);
	waitpid(io->pid, NULL, 0);
	return -1;
}

struct held {
	uint32_t queue, handle;
	const struct ubmap_io_desc *d;
};

static void commit(uint32_t queue, uint32_t handle, int32_t result, int want)
{
	struct ubmap_completion c = { .tag = handle, .result = result };
	int ret = ring_batch(&r, queue, UBMAP_BATCH_NOWAIT, &c, 1, NULL, 0, NULL);

	CHECK(ret == want, "commit handle %#x result %d: %s, want %s", handle,
	      result, strerror(-ret), strerror(-want));
}

/* Serves a request nobody asked to hold: READs get fill_of(). */
static void serve(const struct held *h)
{
	if (h->d->op == UBMAP_OP_READ)
		fill(h->d, fill_of(h->d->offset));
	commit(h->queue, h->handle, 0, 0);
}

/*
 * Fetches until it holds the requests of @n ops at @offs (serving every
 * other one, such as FLUSHes); returns how many it found within 5 s.
 */
static int fetch(int n, const int *ops, const uint64_t *offs, struct held *out)
{
	uint32_t tags[1024];
	double end = now() + 5;
	int found = 0;

	while (found < n && now() < end) {
		int any = 0;

		for (uint32_t q = 0; q < r.info.nr_queues; q++) {
			struct ubmap_batch b;

			if (ring_batch(&r, q, UBMAP_BATCH_NOWAIT, NULL, 0, tags,
				       r.info.queue_depth, &b))
				return found;
			for (uint32_t i = 0; i < b.nr_fetched; i++) {
				struct held h = { q, tags[i], ring_desc(&r, q, tags[i]) };
				int k;

				for (k = 0; k < n; k++)
					if (!out[k].d && h.d->op == ops[k] &&
					    h.d->offset == offs[k])
						break;
				if (k < n) {
					out[k] = h;
					found++;
				} else {
					serve(&h);
				}
			}
			any += b.nr_fetched;
		}
		if (!any)
			usleep(1000);
	}
	return found;
}

/* Serves whatever is queued now (a FLUSH of a buffered victim's fsync). */
static void drain(void)
{
	uint32_t tags[1024];

	for (uint32_t q = 0; q < r.info.nr_queues; q++) {
		struct ubmap_batch b;

		if (ring_batch(&r, q, UBMAP_BATCH_NOWAIT, NULL, 0, tags,
			       r.info.queue_depth, &b))
			return;
		for (uint32_t i = 0; i < b.nr_fetched; i++)
			serve(&(struct held){ q, tags[i], ring_desc(&r, q, tags[i]) });
	}
}

static long long protocol_errors(void)
{
	return ring_stat("protocol_errors");
}

/* Tags it never fetched: all of them, past the depth, all ones. */
static void lie_unfetched(void)
{
	long long pe = protocol_errors();
	uint32_t t, n = 0;

	for (t = 0; t < r.info.queue_depth; t++, n++)
		commit(0, t, 0, -EINVAL);
	commit(0, r.info.queue_depth, 0, -EINVAL);
	commit(0, UINT32_MAX, 0, -EINVAL);
	n += 2;
	CHECK(protocol_errors() - pe == n, "protocol_errors +%lld, want +%u",
	      protocol_errors() - pe, n);
}

static int write_result_want;	/* the victim's expected exit status */

/* [h, h] in one batch: the first is consumed, the second refused. */
static void twice(struct held *v, struct io *io)
{
	struct ubmap_completion c[2] = { { .tag = v->handle }, { .tag = v->handle } };
	long long pe = protocol_errors();
	struct ubmap_batch b;
	int ret;

	(void)io;
	fill(v->d, fill_of(VICTIM));
	ret = ring_batch(&r, v->queue, UBMAP_BATCH_NOWAIT, c, 2, NULL, 0, &b);
	CHECK(ret == -EINVAL && b.nr_completed == 1, "double completion: %s, %u consumed",
	      strerror(-ret), b.nr_completed);
	commit(v->queue, v->handle, 0, -EINVAL);
	CHECK(protocol_errors() - pe == 2, "protocol_errors +%lld, want +2",
	      protocol_errors() - pe);
	write_result_want = 0;
}

/* Results no request can have: refused, the request kept. */
static void bad_results(struct held *v, struct io *io)
{
	const int32_t lies[] = { 1, IO_LEN, IO_LEN + 1, INT_MAX, -MAX_ERRNO - 1, INT_MIN };
	long long pe = protocol_errors();
	struct ubmap_completion many[1025] = { { 0 } };
	unsigned int i;

	(void)io;
	for (i = 0; i < sizeof(lies) / sizeof(lies[0]); i++)
		commit(v->queue, v->handle, lies[i], -EINVAL);
	/* More completions than tags: refused before any is looked at. */
	CHECK(ring_batch(&r, v->queue, UBMAP_BATCH_NOWAIT, many,
			 r.info.queue_depth + 1, NULL, 0, NULL) == -EINVAL,
	      "nr_completions past the depth accepted");
	CHECK(protocol_errors() - pe == (long long)i, "protocol_errors +%lld, want +%u",
	      protocol_errors() - pe, i);
	fill(v->d, fill_of(VICTIM));
	commit(v->queue, v->handle, 0, 0);
	write_result_want = 0;
}

/* Negative results are errors the I/O gets, counted as the backend's. */
static int32_t neg_result;

static void negative(struct held *v, struct io *io)
{
	long long be = ring_stat("backend_errors");

	(void)io;
	commit(v->queue, v->handle, neg_result, 0);
	CHECK(ring_stat("backend_errors") - be == 1, "backend_errors not counted");
	write_result_want = 5;
}

/* The data of a WRITE is the backend's to read, not to change. */
static void write_slot(struct held *v, struct io *io)
{
	int sig = ring_probe(r.data + v->d->window_off, 1);

	CHECK(zero_copy() ? sig == SIGBUS : sig == 0, "writing a WRITE's slot: signal %d", sig);
	if (user_copy()) {
		long long pe = protocol_errors();
		uint8_t b = 0;
		ssize_t n = pwrite(r.fd, &b, 1, UBMAP_USER_COPY_OFF + v->d->window_off);

		CHECK(n == -1 && errno == EINVAL, "pwrite into a WRITE: %zd (%s)", n,
		      strerror(errno));
		CHECK(protocol_errors() - pe == 1, "protocol_errors +%lld, want +1",
		      protocol_errors() - pe);
	}
	commit(v->queue, v->handle, 0, 0);
	io_go(io);
	write_result_want = 0;
}

/* After the commit the slot is not the request's any more. */
static void touch_after(struct held *v, struct io *io)
{
	uint8_t *p = r.data + v->d->window_off;
	struct ubmap_io_desc was = *v->d;
	int sig;

	fill(v->d, fill_of(VICTIM));
	commit(v->queue, v->handle, 0, 0);
	sig = ring_probe(p, 1);
	CHECK(zero_copy() ? sig != 0 : sig == 0, "writing a committed slot: signal %d", sig);
	if (!sig)
		memset(p, fill_of(VICTIM) ^ 0x5a, v->d->len);
	if (user_copy()) {
		ssize_t n = user_copy_io(&was);

		CHECK(n == -EINVAL, "pwrite into a committed READ: %zd", n);
	}
	io_go(io);
	write_result_want = 0;
}

/* Without the window (or the ctrl area) there is no commit: -ENXIO. */
static void after_munmap(struct held *v, struct io *io)
{
	(void)io;
	fill(v->d, fill_of(VICTIM));
	CHECK(munmap(r.data, r.info.data_size) == 0, "munmap window");
	commit(v->queue, v->handle, 0, -ENXIO);
	r.data = mmap(NULL, r.info.data_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      r.fd, r.info.data_offset);
	CHECK(r.data != MAP_FAILED, "window mapped again: %s", strerror(errno));
	CHECK(munmap(r.ctrl, r.info.ctrl_size) == 0, "munmap ctrl");
	commit(v->queue, v->handle, 0, -ENXIO);
	r.ctrl = mmap(NULL, r.info.ctrl_size, PROT_READ, MAP_SHARED, r.fd, 0);
	CHECK(r.ctrl != MAP_FAILED, "ctrl mapped again: %s", strerror(errno));
	v->d = ring_desc(&r, v->queue, v->handle);
	/* The data went into the request's pages, or the session's bounce
	 * slot, which a new window shows again (user_copy: straight in).
	 */
	commit(v->queue, v->handle, 0, 0);
	write_result_want = 0;
}

struct racer {
	volatile int stop;
	int err;
	unsigned long served;
};

/* Serves everything as fast as it can until an ioctl fails. */
static void *race_serve(void *arg)
{
	struct racer *ra = arg;
	struct ubmap_completion c[1024];
	uint32_t tags[1024];
	uint32_t n[64] = { 0 };
	uint32_t held[64][1024];

	while (!ra->stop) {
		for (uint32_t q = 0; q < r.info.nr_queues && q < 64; q++) {
			struct ubmap_batch b;
			int ret;

			for (uint32_t i = 0; i < n[q]; i++)
				c[i] = (struct ubmap_completion){ .tag = held[q][i] };
			ret = ring_batch(&r, q, UBMAP_BATCH_NOWAIT, c, n[q], tags,
					 r.info.queue_depth, &b);
			if (ret) {
				ra->err = ret;
				return NULL;
			}
			ra->served += n[q];
			n[q] = b.nr_fetched;
			memcpy(held[q], tags, b.nr_fetched * sizeof(tags[0]));
		}
	}
	return NULL;
}

/*
 * close() and munmap() from one thread while another commits: the ring
 * gets EBADF or ENXIO, never a crash; the last unmap releases the session,
 * the load's I/O ends within 5 s, and a new backend attaches.
 */
static void commit_vs_close(unsigned int rounds)
{
	for (unsigned int i = 0; i < rounds; i++) {
		struct racer ra = { 0 };
		pthread_t t;
		double t0;
		pid_t load;
		int ret, st;

		load = fork();
		if (!load) {
			uint8_t *buf;
			int fd = open(RING_BLOCK_DEV, O_RDWR | O_DIRECT);

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			/* Holding the backend's file would keep the session. */
			close(r.fd);
			if (fd < 0 || posix_memalign((void **)&buf, 4096, IO_LEN))
				_exit(2);
			for (unsigned int k = 0;; k++)
				if (pread(fd, buf, 4096 << (k % 5), (k % 64) * IO_LEN) < 0)
					_exit(errno == EIO ? 0 : 3);
		}
		pthread_create(&t, NULL, race_serve, &ra);
		usleep(20000 + (i * 7919) % 50000);
		close(r.fd);
		usleep((i * 104729) % 3000);
		munmap(r.data, r.info.data_size);
		munmap(r.ctrl, r.info.ctrl_size);
		t0 = now();
		ra.stop = 1;
		pthread_join(t, NULL);
		CHECK(ra.err == 0 || ra.err == -EBADF || ra.err == -ENXIO,
		      "round %u: the ring got %s", i, strerror(-ra.err));
		st = io_wait(&(struct io){ .pid = load });
		CHECK(st == 0, "round %u: the load ended with %d", i, st);
		CHECK(now() - t0 < 5, "round %u: the load took %.1f s to end", i, now() - t0);
		ret = ring_open(&r);
		CHECK(ret == 0, "round %u: a new backend cannot attach: %s", i, strerror(-ret));
		if (ret)
			return;
		printf("    round %u: served %lu, then %s\n", i, ra.served,
		       ra.err ? strerror(-ra.err) : "stopped");
	}
}

static int lies, lies_failed;

static void run(const char *name, int write, int direct, size_t len, int late,
		void (*lie)(struct held *v, struct io *io))
{
	int before = failed_checks;

	lies++;
	if (lie) {
		int ops[2] = { write ? UBMAP_OP_WRITE : UBMAP_OP_READ, UBMAP_OP_READ };
		uint64_t offs[2] = { VICTIM, BYSTANDER };
		struct held h[2] = { 0 };
		struct io v, b;
		int st;

		io_start(&v, write, direct, VICTIM, len, late);
		io_start(&b, 0, 1, BYSTANDER, IO_LEN, 0);
		if (fetch(2, ops, offs, h) != 2) {
			CHECK(0, "the victim (%s) and the bystander did not both arrive: %s %s",
			      write ? "WRITE" : "READ", h[0].d ? "" : "no victim",
			      h[1].d ? "" : "no bystander");
			/* What it holds goes back failed, or the children never end. */
			for (int k = 0; k < 2; k++)
				if (h[k].d)
					commit(h[k].queue, h[k].handle, -EIO, 0);
			kill(v.pid, SIGKILL);
			kill(b.pid, SIGKILL);
			write_result_want = 128 + SIGKILL;
		} else {
			/* Filled before the lie: after_munmap takes the window away. */
			fill(h[1].d, fill_of(BYSTANDER));
			lie(&h[0], &v);
			commit(h[1].queue, h[1].handle, 0, 0);
		}
		CHECK(io_wait(&b) == 0, "the bystander's read went wrong");
		/* A buffered victim may still send its fsync's FLUSH. */
		st = -1;
		for (int i = 0; i < 2000 && st < 0; i++) {
			pid_t p = waitpid(v.pid, &st, WNOHANG);

			if (p == v.pid)
				st = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			else
				st = -1, drain(), usleep(2000);
		}
		if (st < 0)
			st = io_wait(&v);
		CHECK(st == write_result_want, "the victim ended with %d, want %d", st,
		      write_result_want);
	}
	if (failed_checks > before)
		lies_failed++;
	printf("lie %-28s %s\n", name, failed_checks > before ? "FAIL" : "ok");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	unsigned int rounds = argc > 1 ? (unsigned int)atoi(argv[1]) : 1;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access(RING_CHAR_DEV, F_OK)) {
		fprintf(stderr, "skip: %s missing (module not loaded)\n", RING_CHAR_DEV);
		return 77;
	}
	ret = ring_open(&r);
	if (ret) {
		fprintf(stderr, "lying-backend: cannot attach: %s\n", strerror(-ret));
		return 1;
	}
	printf("mode %s, %u queues of %u\n", r.info.mode, r.info.nr_queues, r.info.queue_depth);
	lies++;
	lie_unfetched();
	printf("lie %-28s %s\n", "unfetched-tags", failed_checks ? "FAIL" : "ok");
	lies_failed += failed_checks > 0;
	run("double-completion", 0, 1, IO_LEN, 0, twice);
	run("results-beyond-limits", 0, 1, IO_LEN, 0, bad_results);
	neg_result = -EIO;
	run("negative-result-EIO", 0, 1, IO_LEN, 0, negative);
	neg_result = -MAX_ERRNO;
	run("negative-result-MAX_ERRNO", 1, 1, IO_LEN, 0, negative);
	run("write-into-WRITE-direct", 1, 1, IO_LEN, 1, write_slot);
	run("write-into-WRITE-buffered", 1, 0, 4096, 1, write_slot);
	run("touch-after-commit-direct", 0, 1, IO_LEN, 1, touch_after);
	run("touch-after-commit-buffered", 0, 0, 4096, 1, touch_after);
	run("commit-after-munmap", 0, 1, IO_LEN, 0, after_munmap);
	{
		int before = failed_checks;

		lies++;
		commit_vs_close(rounds);
		lies_failed += failed_checks > before;
		printf("lie %-28s %s\n", "commit-races-close", failed_checks > before ? "FAIL" : "ok");
	}
	printf("protocol_errors %lld backend_errors %lld inflight %lld\n",
	       protocol_errors(), ring_stat("backend_errors"), ring_stat("inflight"));
	ring_close(&r);
	printf("lies %d failed %d\n", lies, lies_failed);
	return lies_failed ? 1 : 0;
}
