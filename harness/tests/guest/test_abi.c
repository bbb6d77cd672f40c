// SPDX-License-Identifier: GPL-2.0
/*
 * In-guest tests of the ubmap char device, acting as a (minimal) backend:
 * wrong use gets an errno, a request's data is in its slot while the backend
 * holds it, and nothing of it (nor anything past it) is reachable after the
 * commit.  Also what a mm reviewer would try: WRITE data (the zero page of
 * a zeroout among it) is read-only, hugetlb pages are not inserted, a
 * failed buffered READ leaves nothing to write back, tags that cannot be
 * handed out are not lost, a stale completion of a reused tag is refused,
 * and munmap() racing the ring leaves no PTE.
 * Needs the module loaded with no backend attached; run once per mode.
 * Exits 77 (skip) when there is no device.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <setjmp.h>	/* cmocka.h needs jmp_buf */
#include <linux/fs.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <linux/ubmap.h>

#include "ring.h"

#define CHAR_DEV	"/dev/ubmapc0"
#define BLOCK_DEV	"/dev/ubmap0"
#define STATS_FILE	"/sys/kernel/debug/ubmap/ubmap0/stats"
#define IO_LEN		(64 * 1024)
#define IO_OFF		(1024 * 1024)

/* The child doing I/O, killed at teardown if a failed test left it. */
static pid_t io_child;

struct backend {
	int fd;
	struct ubmap_info info;
	void *ctrl;
	uint8_t *data;
};

static struct backend be;

static int setup_failed(const char *what)
{
	fprintf(stderr, "setup: %s: %s\n", what, strerror(errno));
	return -1;
}

static int setup_backend(void **state)
{
	(void)state;
	be.fd = open(CHAR_DEV, O_RDWR);
	if (be.fd < 0)
		return setup_failed("open " CHAR_DEV);
	if (ioctl(be.fd, UBMAP_IOC_GET_INFO, &be.info))
		return setup_failed("UBMAP_IOC_GET_INFO");
	be.ctrl = mmap(NULL, be.info.ctrl_size, PROT_READ, MAP_SHARED, be.fd, 0);
	if (be.ctrl == MAP_FAILED)
		return setup_failed("mmap ctrl");
	be.data = mmap(NULL, be.info.data_size, PROT_READ | PROT_WRITE,
		       MAP_SHARED, be.fd, be.info.data_offset);
	if (be.data == MAP_FAILED)
		return setup_failed("mmap data window");
	return 0;
}

static int teardown_backend(void **state)
{
	(void)state;
	munmap(be.ctrl, be.info.ctrl_size);
	munmap(be.data, be.info.data_size);
	close(be.fd);
	if (io_child > 0) {
		kill(io_child, SIGKILL);
		waitpid(io_child, NULL, 0);
	}
	return 0;
}

static int batch(uint32_t queue, uint32_t flags, struct ubmap_completion *c,
		 uint32_t nc, uint32_t *tags, uint32_t max, struct ubmap_batch *out)
{
	struct ubmap_batch b = {
		.queue = queue, .flags = flags,
		.completions = (uintptr_t)c, .nr_completions = nc,
		.tags = (uintptr_t)tags, .max_fetch = max,
	};
	int ret = ioctl(be.fd, UBMAP_IOC_COMMIT_FETCH, &b);

	if (out)
		*out = b;
	return ret ? -errno : 0;
}

/* The descriptor of a fetched @handle (its tag's place in the array). */
static const struct ubmap_io_desc *desc_of(uint32_t queue, uint32_t handle)
{
	const struct ubmap_io_desc *d = (const void *)((char *)be.ctrl +
						       be.info.desc_offset);

	return &d[queue * be.info.queue_depth + UBMAP_HANDLE_TAG(handle)];
}

/* One counter of the module's stats file. */
static unsigned long long stat_of(const char *key)
{
	unsigned long long v = 0, found = 0;
	char k[64];
	FILE *f = fopen(STATS_FILE, "r");

	assert_non_null(f);
	while (fscanf(f, "%63s %llu", k, &v) == 2)
		if (!strcmp(k, key)) {
			found = 1;
			break;
		}
	fclose(f);
	/* An older module: the assertions on behaviour come first anyway. */
	if (!found)
		print_message("no stat %s in this module\n", key);
	return found ? v : 0;
}


static int probe(uint8_t *p)
{
	return ring_probe(p, 0);
}

/* The window is not the backend's own memory: copy is the only mode where it is. */
static int zero_copy_mode(void)
{
	return strcmp(be.info.mode, "copy") != 0;
}

/* The mode maps request pages into the window (and zaps them after). */
static int maps_pages(void)
{
	return zero_copy_mode() && strcmp(be.info.mode, "user_copy") != 0;
}

/* A WRITE's data as the backend reads it: in the window, or pread (user_copy). */
static const uint8_t *write_data(const struct ubmap_io_desc *d)
{
	static uint8_t buf[8 << 20] __attribute__((aligned(4096)));

	if (!(d->flags & UBMAP_DESC_F_USER_COPY))
		return be.data + d->window_off;
	assert_true(d->len <= sizeof(buf));
	assert_int_equal(pread(be.fd, buf, d->len, UBMAP_USER_COPY_OFF + d->window_off),
			 d->len);
	return buf;
}

/* Gives a READ the data @byte: in the window, or pwrite (user_copy). */
static void fill_read(const struct ubmap_io_desc *d, uint8_t byte)
{
	assert_int_equal(ring_fill(be.fd, be.data, d, byte), 0);
}

/* A child doing one O_DIRECT read or write of IO_LEN at IO_OFF. */
static pid_t start_io(int write, uint8_t fill)
{
	pid_t pid = fork();
	void *buf;
	ssize_t n;
	int fd, i;

	if (pid)
		return io_child = pid;
	fd = open(BLOCK_DEV, O_RDWR | O_DIRECT);
	if (fd < 0 || posix_memalign(&buf, 4096, IO_LEN))
		_exit(2);
	memset(buf, write ? fill : 0, IO_LEN);
	n = write ? pwrite(fd, buf, IO_LEN, IO_OFF) : pread(fd, buf, IO_LEN, IO_OFF);
	if (n != IO_LEN)
		_exit(errno == EIO ? 5 : 3);
	for (i = 0; !write && i < IO_LEN; i++)
		if (((uint8_t *)buf)[i] != fill)
			_exit(4);
	_exit(0);
}

static int wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	io_child = 0;
	return WEXITSTATUS(status);
}

/* Blocks until the child's request arrives on some queue; *@tag gets its handle. */
static void fetch_one(uint32_t *queue, uint32_t *tag)
{
	uint32_t tags[64];
	struct ubmap_batch out;
	unsigned int tries;
	uint32_t q;

	assert_true(be.info.queue_depth <= 64);
	for (tries = 0; tries < 5000; tries++) {
		for (q = 0; q < be.info.nr_queues; q++) {
			assert_int_equal(batch(q, UBMAP_BATCH_NOWAIT, NULL, 0,
					       tags, 1, &out), 0);
			if (out.nr_fetched == 1) {
				*queue = q;
				*tag = tags[0];
				return;
			}
		}
		usleep(1000);
	}
	fail_msg("no request arrived within 5 s");
}

static void commit_one(uint32_t queue, uint32_t tag, int32_t result)
{
	struct ubmap_completion c = { .tag = tag, .result = result };

	assert_int_equal(batch(queue, UBMAP_BATCH_NOWAIT, &c, 1, NULL, 0, NULL), 0);
}

static void test_second_backend_busy(void **state)
{
	int fd = open(CHAR_DEV, O_RDWR);

	(void)state;
	assert_int_equal(fd, -1);
	assert_int_equal(errno, EBUSY);
}

static void test_mmap_misuse(void **state)
{
	size_t ds = be.info.data_size, cs = be.info.ctrl_size;
	int rw = PROT_READ | PROT_WRITE;
	void *hole;

	(void)state;
	/* The window is already mapped once; wrong sizes and offsets too. */
	assert_ptr_equal(mmap(NULL, ds, rw, MAP_SHARED, be.fd, be.info.data_offset),
			 MAP_FAILED);
	assert_int_equal(errno, EBUSY);
	assert_ptr_equal(mmap(NULL, ds / 2, rw, MAP_SHARED, be.fd, be.info.data_offset),
			 MAP_FAILED);
	assert_int_equal(errno, EINVAL);
	assert_ptr_equal(mmap(NULL, cs, PROT_READ, MAP_SHARED, be.fd, 4096 * 7),
			 MAP_FAILED);
	assert_int_equal(errno, EINVAL);
	assert_ptr_equal(mmap(NULL, cs, PROT_READ, MAP_PRIVATE, be.fd, 0), MAP_FAILED);
	assert_int_equal(errno, EINVAL);
	/* Descriptors are the kernel's to write. */
	assert_int_equal(mprotect(be.ctrl, cs, rw), -1);
	assert_int_equal(errno, EACCES);
	/* Slots are found by offset: the window cannot be split or moved. */
	assert_int_equal(munmap(be.data, 4096), -1);
	assert_int_equal(errno, EINVAL);
	hole = mmap(NULL, ds, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_ptr_not_equal(hole, MAP_FAILED);
	assert_ptr_equal(mremap(be.data, ds, ds, MREMAP_MAYMOVE | MREMAP_FIXED,
				hole), MAP_FAILED);
	munmap(hole, ds);
}

static void test_info(void **state)
{
	const struct ubmap_ctrl_header *h = be.ctrl;

	(void)state;
	assert_int_equal(be.info.magic, UBMAP_MAGIC);
	assert_int_equal(be.info.abi_version, UBMAP_ABI_VERSION);
	assert_true(be.info.slot_size >= 1024 * 1024);
	assert_int_equal(be.info.data_size, (uint64_t)be.info.nr_queues *
			 be.info.queue_depth * be.info.slot_size);
	assert_memory_equal(&h->info, &be.info, sizeof(be.info));
}

static void test_bad_batches(void **state)
{
	struct ubmap_completion c[2] = { { .tag = 0 }, { .tag = 100000 } };
	struct ubmap_batch b = { .nr_completions = 1,
				 .completions = (uintptr_t)c };
	uint32_t tags[4];

	(void)state;
	/* Tags never fetched, out of range, or garbage counts: EINVAL. */
	assert_int_equal(batch(0, UBMAP_BATCH_NOWAIT, &c[0], 1, tags, 4, NULL), -EINVAL);
	assert_int_equal(batch(0, UBMAP_BATCH_NOWAIT, &c[1], 1, tags, 4, NULL), -EINVAL);
	assert_int_equal(batch(0, UBMAP_BATCH_NOWAIT, c, 1u << 31, tags, 4, NULL), -EINVAL);
	assert_int_equal(batch(be.info.nr_queues, UBMAP_BATCH_NOWAIT, NULL, 0,
			       tags, 4, NULL), -EINVAL);
	assert_int_equal(batch(0, 0x80, NULL, 0, tags, 4, NULL), -EINVAL);
	b.reserved[2] = 1;
	assert_int_equal(ioctl(be.fd, UBMAP_IOC_COMMIT_FETCH, &b), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(batch(0, UBMAP_BATCH_NOWAIT, (void *)8, 1, tags, 4, NULL),
			 -EFAULT);
	assert_int_equal(ioctl(be.fd, _IO(UBMAP_IOC_MAGIC, 99)), -1);
	assert_int_equal(errno, ENOTTY);
}

static void test_nowait_empty(void **state)
{
	struct ubmap_batch out;
	uint32_t tags[4];

	(void)state;
	assert_int_equal(batch(0, UBMAP_BATCH_NOWAIT, NULL, 0, tags, 4, &out), 0);
	assert_int_equal(out.nr_fetched, 0);
}

/* poll() says when a request is waiting, and only then. */
static void test_poll(void **state)
{
	struct pollfd pfd = { .fd = be.fd, .events = POLLIN };
	uint32_t q, tag;
	pid_t pid;

	(void)state;
	assert_int_equal(poll(&pfd, 1, 0), 0);
	pid = start_io(0, 0x77);
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	assert_true(pfd.revents & POLLIN);
	fetch_one(&q, &tag);
	fill_read(desc_of(q, tag), 0x77);
	commit_one(q, tag, 0);
	assert_int_equal(wait_child(pid), 0);
	assert_int_equal(poll(&pfd, 1, 0), 0);
}

static void test_read_then_unmapped(void **state)
{
	unsigned long long zaps = stat_of("zap_calls");
	uint32_t q, tag, slot_pages;
	const struct ubmap_io_desc *d;
	uint8_t *p;
	pid_t pid;

	(void)state;
	pid = start_io(0, 0x5a);
	fetch_one(&q, &tag);
	d = desc_of(q, tag);
	assert_int_equal(d->op, UBMAP_OP_READ);
	assert_int_equal(d->len, IO_LEN);
	assert_int_equal(d->offset, IO_OFF);
	assert_int_equal(d->tag, UBMAP_HANDLE_TAG(tag));
	assert_int_equal(d->handle, tag);
	assert_int_equal(d->queue, q);
	p = be.data + d->window_off;
	fill_read(d, 0x5a);
	/* user_copy never puts the data in the window at all. */
	if (!maps_pages() && zero_copy_mode())
		assert_int_not_equal(probe(p), 0);
	slot_pages = be.info.slot_size / 4096;
	/* Nothing past the request is mapped in a zero-copy mode. */
	if (zero_copy_mode() && d->len / 4096 < slot_pages)
		assert_int_not_equal(probe(p + d->len), 0);
	commit_one(q, tag, 0);
	assert_int_equal(wait_child(pid), 0);
	/* After the commit the request's pages are gone from the window. */
	if (zero_copy_mode()) {
		assert_int_not_equal(probe(p), 0);
		assert_int_not_equal(probe(p + d->len - 1), 0);
	}
	/* One zap (and TLB flush) per unmapped slot, bounce or not; none in copy. */
	assert_int_equal(stat_of("zap_calls") - zaps, maps_pages() ? 1 : 0);
	/* Committing the same tag again is refused. */
	assert_int_equal(batch(q, UBMAP_BATCH_NOWAIT,
			       &(struct ubmap_completion){ .tag = tag }, 1,
			       NULL, 0, NULL), -EINVAL);
}

static void test_write_visible(void **state)
{
	const struct ubmap_io_desc *d;
	uint32_t q, tag, i;
	const uint8_t *data;
	pid_t pid;

	(void)state;
	pid = start_io(1, 0xc3);
	fetch_one(&q, &tag);
	d = desc_of(q, tag);
	assert_int_equal(d->op, UBMAP_OP_WRITE);
	assert_int_equal(d->len, IO_LEN);
	data = write_data(d);
	for (i = 0; i < d->len; i++)
		if (data[i] != 0xc3)
			fail_msg("data byte %u is %#x, not the written 0xc3", i,
				 data[i]);
	/* Data being written is the backend's to read, not to change, in
	 * every zero-copy mode; only the copy's own bounce area is writable.
	 */
	if (zero_copy_mode())
		assert_int_equal(ring_probe(be.data + d->window_off, 1), SIGBUS);
	commit_one(q, tag, 0);
	assert_int_equal(wait_child(pid), 0);
}

static void test_backend_error_fails_io(void **state)
{
	uint32_t q, tag;
	pid_t pid;

	(void)state;
	pid = start_io(0, 0);
	fetch_one(&q, &tag);
	commit_one(q, tag, -EIO);
	assert_int_equal(wait_child(pid), 5);
}

/* A result that is not 0 or -errno is a lie: refused, request kept. */
static void test_bad_result_refused(void **state)
{
	uint32_t q, tag;
	pid_t pid;

	(void)state;
	pid = start_io(0, 0x11);
	fetch_one(&q, &tag);
	assert_int_equal(batch(q, UBMAP_BATCH_NOWAIT,
			       &(struct ubmap_completion){ .tag = tag, .result = 7 },
			       1, NULL, 0, NULL), -EINVAL);
	fill_read(desc_of(q, tag), 0x11);
	commit_one(q, tag, 0);
	assert_int_equal(wait_child(pid), 0);
}

/* pread/pwrite on the device: errno unless user_copy, in the right direction, inside a held request. */
static void test_user_copy_misuse(void **state)
{
	const uint64_t base = UBMAP_USER_COPY_OFF;
	const struct ubmap_io_desc *d;
	static uint8_t buf[IO_LEN + 4096];
	const void *volatile bad;
	uint64_t slot;
	uint32_t q, h;
	pid_t pid, other;
	int status;

	(void)state;
	if (strcmp(be.info.mode, "user_copy")) {
		assert_int_equal(pread(be.fd, buf, 4096, base), -1);
		assert_int_equal(errno, EOPNOTSUPP);
		assert_int_equal(pwrite(be.fd, buf, 4096, base), -1);
		assert_int_equal(errno, EOPNOTSUPP);
		return;
	}
	assert_true(be.info.features & UBMAP_F_USER_COPY);
	/* Nothing fetched: no slot to copy to or from. */
	assert_int_equal(pwrite(be.fd, buf, 4096, base), -1);
	assert_int_equal(errno, EINVAL);
	pid = start_io(0, 0x42);
	fetch_one(&q, &h);
	d = desc_of(q, h);
	assert_true(d->flags & UBMAP_DESC_F_USER_COPY);
	assert_int_equal(d->flags & (UBMAP_DESC_F_MAPPED | UBMAP_DESC_F_COPIED), 0);
	/* A READ is written, never read: it holds no data of the backend's yet. */
	assert_int_equal(pread(be.fd, buf, 4096, base + d->window_off), -1);
	assert_int_equal(errno, EINVAL);
	/* Not past the request, nor below the user-copy offsets, nor the window. */
	assert_int_equal(pwrite(be.fd, buf, IO_LEN + 4096, base + d->window_off), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pwrite(be.fd, buf, 4096, base + d->window_off + IO_LEN), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pwrite(be.fd, buf, 4096, d->window_off), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pwrite(be.fd, buf, 4096, base + be.info.data_size), -1);
	assert_int_equal(errno, EINVAL);
	/* A bad buffer copies nothing (hidden from the compiler's bounds checks). */
	bad = (void *)(uintptr_t)(getpid() > 0 ? 8 : 0);
	assert_int_equal(pwrite(be.fd, bad, 4096, base + d->window_off), -1);
	assert_int_equal(errno, EFAULT);
	/* Another process with the same file: not the backend.  (The ctrl
	 * area is not in the child: the offset is taken before the fork.)
	 */
	slot = base + d->window_off;
	other = fork();
	if (!other)
		_exit(pwrite(be.fd, buf, 4096, slot) == -1 && errno == EPERM ? 0 : 1);
	assert_int_equal(waitpid(other, &status, 0), other);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* In two parts, the second at an offset into the request. */
	memset(buf, 0x42, IO_LEN);
	assert_int_equal(pwrite(be.fd, buf, 4096, base + d->window_off), 4096);
	assert_int_equal(pwrite(be.fd, buf, IO_LEN - 4096, base + d->window_off + 4096),
			 IO_LEN - 4096);
	commit_one(q, h, 0);
	assert_int_equal(wait_child(pid), 0);
	/* Committed: its slot names no request any more. */
	assert_int_equal(pwrite(be.fd, buf, 4096, base + d->window_off), -1);
	assert_int_equal(errno, EINVAL);
}

/* A child doing @n O_DIRECT reads of IO_LEN at IO_OFF, each must read @fill. */
static pid_t start_reads(unsigned int n, uint8_t fill)
{
	pid_t pid = fork();
	cpu_set_t cpu;
	void *buf;
	int fd;

	if (pid)
		return io_child = pid;
	/* One CPU: one hardware queue, so its tags come round again. */
	CPU_ZERO(&cpu);
	CPU_SET(0, &cpu);
	sched_setaffinity(0, sizeof(cpu), &cpu);
	fd = open(BLOCK_DEV, O_RDONLY | O_DIRECT);
	if (fd < 0 || posix_memalign(&buf, 4096, IO_LEN))
		_exit(2);
	while (n--) {
		memset(buf, ~fill, IO_LEN);
		if (pread(fd, buf, IO_LEN, IO_OFF) != IO_LEN)
			_exit(errno == EIO ? 5 : 3);
		for (int i = 0; i < IO_LEN; i++)
			if (((uint8_t *)buf)[i] != fill)
				_exit(4);
	}
	_exit(0);
}

/*
 * A completion for an earlier use of a tag must not end the tag's next
 * request: without generations the stale -EIO below would fail a read the
 * backend never answered.  nr_queues * queue_depth + 1 requests in a row
 * make some (queue, tag) come round twice whatever blk-mq's tag choice.
 */
static void test_stale_handle_refused(void **state)
{
	unsigned int nq = be.info.nr_queues, qd = be.info.queue_depth;
	unsigned long long stale0 = stat_of("stale_completions");
	unsigned int n = nq * qd + 1, i, tried = 0;
	uint32_t *last = calloc(nq * qd, sizeof(*last));
	uint8_t *seen = calloc(nq * qd, 1);
	pid_t pid;

	(void)state;
	assert_non_null(last);
	assert_non_null(seen);
	pid = start_reads(n, 0x6b);
	for (i = 0; i < n; i++) {
		uint32_t q, h, slot;

		fetch_one(&q, &h);
		slot = q * qd + UBMAP_HANDLE_TAG(h);
		if (seen[slot]) {
			assert_int_not_equal(last[slot], h);
			assert_int_equal(batch(q, UBMAP_BATCH_NOWAIT,
					       &(struct ubmap_completion){
						       .tag = last[slot], .result = -EIO },
					       1, NULL, 0, NULL), -EINVAL);
			tried++;
		}
		fill_read(desc_of(q, h), 0x6b);
		commit_one(q, h, 0);
		last[slot] = h;
		seen[slot] = 1;
	}
	assert_int_equal(wait_child(pid), 0);
	assert_true(tried >= 1);
	assert_int_equal(stat_of("stale_completions") - stale0, tried);
	free(last);
	free(seen);
}

/*
 * Serves requests until @pid exits: each is checked by @check first, READs
 * get @fill (or, with @result < 0, @fill written and then the error),
 * FLUSHes succeed.  Returns the child's exit status (128 + signal if
 * killed); counts the WRITEs seen in *@writes.
 */
static int serve_until_exit(pid_t pid, uint8_t fill, int32_t result,
			    void (*check)(const struct ubmap_io_desc *d),
			    unsigned int *writes)
{
	uint32_t tags[64];
	int status;

	assert_true(be.info.queue_depth <= 64);
	for (;;) {
		int done = waitpid(pid, &status, WNOHANG) == pid;
		unsigned int any = 0;

		for (uint32_t q = 0; q < be.info.nr_queues; q++) {
			struct ubmap_batch out;

			assert_int_equal(batch(q, UBMAP_BATCH_NOWAIT, NULL, 0, tags,
					       be.info.queue_depth, &out), 0);
			for (uint32_t i = 0; i < out.nr_fetched; i++) {
				const struct ubmap_io_desc *d = desc_of(q, tags[i]);
				int32_t r = 0;

				if (check)
					check(d);
				if (d->op == UBMAP_OP_READ) {
					fill_read(d, fill);
					r = result;
				} else if (d->op == UBMAP_OP_WRITE && writes) {
					(*writes)++;
				}
				commit_one(q, tags[i], r);
			}
			any += out.nr_fetched;
		}
		if (done) {
			io_child = 0;
			return WIFEXITED(status) ? WEXITSTATUS(status) :
						   128 + WTERMSIG(status);
		}
		if (!any)
			usleep(1000);
	}
}

/* A zeroout's WRITE: all zeroes, and never writable by the backend. */
/* Was the guest booted with init_on_alloc=0?  Otherwise Debian's default, on. */
static int init_on_alloc_off(void)
{
	char line[4096] = "";
	FILE *f = fopen("/proc/cmdline", "r");

	assert_non_null(f);
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	return strstr(line, "init_on_alloc=0") != NULL;
}

#define OLD_MARK	"ubmap:previous-owner"

/* Pages of the window before the backend filled them, by what they held. */
static struct {
	unsigned int mapped_pages, copied_pages;
	unsigned int zero, marked, other;	/* of the mapped pages */
	unsigned int copied_marked;
} seen_before_fill;

static void look_before_fill(const struct ubmap_io_desc *d)
{
	const uint8_t *p = be.data + d->window_off;

	if (d->op != UBMAP_OP_READ)
		return;
	/* user_copy: a READ cannot be read before it is filled, only written. */
	if (d->flags & UBMAP_DESC_F_USER_COPY) {
		uint8_t b;

		assert_int_equal(pread(be.fd, &b, 1, UBMAP_USER_COPY_OFF + d->window_off), -1);
		assert_int_equal(errno, EINVAL);
		seen_before_fill.copied_pages += d->len / 4096;
		return;
	}
	for (uint32_t off = 0; off < d->len; off += 4096) {
		const uint8_t *pg = p + off;
		int marked = !memcmp(pg, OLD_MARK, sizeof(OLD_MARK));
		int zero = 1;

		for (int i = 0; i < 4096 && zero; i++)
			zero = !pg[i];
		if (!(d->flags & UBMAP_DESC_F_MAPPED)) {
			seen_before_fill.copied_pages++;
			seen_before_fill.copied_marked += marked;
			continue;
		}
		seen_before_fill.mapped_pages++;
		seen_before_fill.zero += zero;
		seen_before_fill.marked += marked;
		seen_before_fill.other += !zero && !marked;
	}
}

/*
 * A child doing one buffered read of IO_LEN at @off (no readahead) once a
 * byte arrives on @go; it must read @fill.  Forked before the previous
 * owner frees its pages, so the fork's own allocations do not take them.
 */
static pid_t start_buffered_read(int go, off_t off, uint8_t fill)
{
	pid_t pid = fork();
	uint8_t buf[IO_LEN], c;
	int fd;

	if (pid)
		return io_child = pid;
	memset(buf, 0, sizeof(buf));
	fd = open(BLOCK_DEV, O_RDONLY);
	if (fd < 0 || posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM) ||
	    read(go, &c, 1) != 1)
		_exit(2);
	if (pread(fd, buf, IO_LEN, off) != IO_LEN)
		_exit(errno == EIO ? 5 : 3);
	for (int i = 0; i < IO_LEN; i++)
		if (buf[i] != fill)
			_exit(4);
	_exit(0);
}

/*
 * The previous owner: a pipe's buffer pages, filled with the marker and
 * freed on this CPU.  Pipe pages are unmovable like the block device's
 * page cache (GFP_USER), so they sit on the per-CPU list it allocates from.
 */
static void free_marked_pages(void)
{
	const int size = 1 << 20;
	char page[4096] = OLD_MARK;
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_true(fcntl(p[1], F_SETPIPE_SZ, size) >= size);
	for (int i = 0; i < size / 4096; i++)
		assert_int_equal(write(p[1], page, sizeof(page)), sizeof(page));
	close(p[1]);
	close(p[0]);
}

/*
 * What a buffered READ shows the backend before it fills it.  In the
 * zero-copy modes: the page-cache pages themselves, zeroed at allocation
 * only under init_on_alloc (Debian's default); with init_on_alloc=0 their
 * previous owner's data.  In the copy mode (and a fallback): the bounce
 * slot, the backend's own memory.
 */
static void test_read_shows_prior_contents(void **state)
{
	int off = init_on_alloc_off(), round;
	cpu_set_t cpu, old;

	(void)state;
	memset(&seen_before_fill, 0, sizeof(seen_before_fill));
	assert_int_equal(sched_getaffinity(0, sizeof(old), &old), 0);
	CPU_ZERO(&cpu);
	CPU_SET(0, &cpu);
	assert_int_equal(sched_setaffinity(0, sizeof(cpu), &cpu), 0);
	for (round = 0; round < 5; round++) {
		int fd = open(BLOCK_DEV, O_RDONLY), go[2];
		pid_t pid;

		/* Fresh page-cache pages for the range read. */
		assert_true(fd >= 0);
		assert_int_equal(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
		close(fd);
		assert_int_equal(pipe(go), 0);
		pid = start_buffered_read(go[0], IO_OFF + round * IO_LEN, 0x2e);
		free_marked_pages();
		assert_int_equal(write(go[1], "", 1), 1);
		close(go[0]);
		close(go[1]);
		assert_int_equal(serve_until_exit(pid, 0x2e, 0, look_before_fill,
						  NULL), 0);
		if (!off || seen_before_fill.marked)
			break;
	}
	sched_setaffinity(0, sizeof(old), &old);
	print_message("init_on_alloc=%d, %d round(s): mapped READ pages %u "
		      "(zero %u, previous owner's %u, other %u), copied %u "
		      "(previous owner's %u)\n", !off, round + (round < 5),
		      seen_before_fill.mapped_pages, seen_before_fill.zero,
		      seen_before_fill.marked, seen_before_fill.other,
		      seen_before_fill.copied_pages, seen_before_fill.copied_marked);
	/* The bounce area is the backend's, and user_copy cannot read a READ. */
	assert_int_equal(seen_before_fill.copied_marked, 0);
	if (!maps_pages())
		return;
	assert_true(seen_before_fill.mapped_pages > 0);
	if (off)
		assert_true(seen_before_fill.marked > 0);
	else
		assert_int_equal(seen_before_fill.zero, seen_before_fill.mapped_pages);
}

static void check_zero_write(const struct ubmap_io_desc *d)
{
	const uint8_t *p;

	if (d->op != UBMAP_OP_WRITE)
		return;
	p = write_data(d);
	for (uint32_t i = 0; i < d->len; i++)
		if (p[i])
			fail_msg("zeroout byte %u is %#x", i, p[i]);
	/* vm_insert_pages would take a reference on the zero page that the
	 * zap never gives back, and a writable zero page is every process's.
	 */
	if (!strcmp(be.info.mode, "vm_insert_pages"))
		assert_int_equal(d->flags & UBMAP_DESC_F_MAPPED, 0);
	if (zero_copy_mode())
		assert_int_equal(ring_probe(be.data + d->window_off, 1), SIGBUS);
}

/* BLKZEROOUT on a disk without write-zeroes: WRITEs of ZERO_PAGE(0). */
static void test_zeroout_zero_page(void **state)
{
	unsigned long long before = stat_of("fallback_reserved_page");
	unsigned int writes = 0;
	pid_t pid;

	(void)state;
	pid = fork();
	if (!pid) {
		uint64_t range[2] = { IO_OFF, IO_LEN };
		int fd = open(BLOCK_DEV, O_RDWR);

		_exit(fd < 0 ? 2 : ioctl(fd, BLKZEROOUT, range) ? 3 : 0);
	}
	io_child = pid;
	assert_int_equal(serve_until_exit(pid, 0, 0, check_zero_write, &writes), 0);
	assert_true(writes > 0);
	if (!strcmp(be.info.mode, "vm_insert_pages"))
		assert_true(stat_of("fallback_reserved_page") >= before + writes);
}

/* Hugetlb pages are never inserted by vm_insert_pages. */
static void check_not_inserted(const struct ubmap_io_desc *d)
{
	if (!strcmp(be.info.mode, "vm_insert_pages"))
		assert_int_equal(d->flags & UBMAP_DESC_F_MAPPED, 0);
}

/* O_DIRECT into a MAP_SHARED hugetlb buffer: tail pages, not anonymous. */
static void test_hugetlb_buffer(void **state)
{
	const size_t huge = 2 << 20;
	unsigned long long before = stat_of("fallback_hugetlb_page");
	FILE *nr = fopen("/proc/sys/vm/nr_hugepages", "r+");
	pid_t pid;

	(void)state;
	assert_non_null(nr);
	fprintf(nr, "4\n");
	fclose(nr);
	pid = fork();
	if (!pid) {
		uint8_t *buf = mmap(NULL, huge, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		int fd = open(BLOCK_DEV, O_RDONLY | O_DIRECT);

		if (buf == MAP_FAILED || fd < 0)
			_exit(2);
		if (pread(fd, buf, IO_LEN, IO_OFF) != IO_LEN)
			_exit(3);
		for (int i = 0; i < IO_LEN; i++)
			if (buf[i] != 0x6b)
				_exit(4);
		_exit(0);
	}
	io_child = pid;
	assert_int_equal(serve_until_exit(pid, 0x6b, 0, check_not_inserted, NULL), 0);
	if (!strcmp(be.info.mode, "vm_insert_pages"))
		assert_true(stat_of("fallback_hugetlb_page") > before);
}

/*
 * A buffered READ the backend wrote into and then failed: the page-cache
 * page must not become dirty, or write-back puts the half-filled page
 * over the good data on the disk.
 */
static void test_failed_buffered_read_not_dirty(void **state)
{
	unsigned long long cleaned = stat_of("read_pages_cleaned");
	unsigned int writes = 0;
	pid_t pid;

	(void)state;
	pid = fork();
	if (!pid) {
		char buf[4096];
		int fd = open(BLOCK_DEV, O_RDWR);

		if (fd < 0)
			_exit(2);
		if (pread(fd, buf, sizeof(buf), IO_OFF + 8 * 4096) >= 0 || errno != EIO)
			_exit(3);
		/* Write back whatever is dirty, as the last close would. */
		_exit(fsync(fd) ? 4 : 0);
	}
	io_child = pid;
	assert_int_equal(serve_until_exit(pid, 0xee, -EIO, NULL, &writes), 0);
	if (writes)
		fail_msg("a failed READ was written back: %u WRITE requests", writes);
	if (!strcmp(be.info.mode, "vm_insert_pages"))
		assert_true(stat_of("read_pages_cleaned") > cleaned);
}

/* Tags that cannot be copied out go back to the queue, not into limbo. */
static void test_tags_fault_keeps_request(void **state)
{
	struct pollfd pfd = { .fd = be.fd, .events = POLLIN };
	unsigned int faults = 0;
	uint32_t q, tag;
	pid_t pid;

	(void)state;
	pid = start_io(0, 0x3c);
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	/* The queue holding the request fails to hand out its tag. */
	for (q = 0; q < be.info.nr_queues; q++)
		faults += batch(q, UBMAP_BATCH_NOWAIT, NULL, 0, (void *)8, 4,
				NULL) == -EFAULT;
	assert_int_equal(faults, 1);
	fetch_one(&q, &tag);
	fill_read(desc_of(q, tag), 0x3c);
	commit_one(q, tag, 0);
	assert_int_equal(wait_child(pid), 0);
}

/* The ring's side of the munmap race: fetch and commit as fast as it can. */
struct racer {
	pthread_t thread;
	uint32_t queue;
	volatile int stop;
	uint32_t held[64];
	unsigned int nheld;
	int err;	/* the errno that stopped it */
};

static void *race_ring(void *arg)
{
	struct racer *r = arg;

	while (!r->stop) {
		struct ubmap_completion c[64];
		struct ubmap_batch out;
		unsigned int i;
		int ret;

		for (i = 0; i < r->nheld; i++)
			c[i] = (struct ubmap_completion){ .tag = r->held[i] };
		ret = batch(r->queue, UBMAP_BATCH_NOWAIT, c, r->nheld, r->held,
			    be.info.queue_depth, &out);
		if (ret) {
			r->err = ret;
			/* Those it did not consume are still held. */
			memmove(r->held, r->held + out.nr_completed,
				(r->nheld - out.nr_completed) * sizeof(r->held[0]));
			r->nheld -= out.nr_completed;
			return NULL;
		}
		r->nheld = out.nr_fetched;
	}
	return NULL;
}

/*
 * munmap() of the window while another thread is in COMMIT_FETCH: munmap
 * drops to the read lock before the close hook runs, so a ring that kept
 * the vma pointer mapped into a range no vma covers (PTEs that outlive
 * the request, a vma used after it was freed).  After munmap returns,
 * nothing of the old window may be reachable.
 */
static void test_munmap_races_ring(void **state)
{
	struct racer r[8] = { 0 };
	unsigned int it, q, nq = be.info.nr_queues < 8 ? be.info.nr_queues : 8;
	pid_t load;

	(void)state;
	assert_true(be.info.queue_depth <= 64);
	load = fork();
	if (!load) {
		void *buf;
		int fd = open(BLOCK_DEV, O_RDWR | O_DIRECT);

		/* Never outlive the test: an orphan would keep the disk busy. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (fd < 0 || posix_memalign(&buf, 4096, IO_LEN))
			_exit(2);
		for (unsigned int i = 0;; i++)
			(void)pread(fd, buf, 4096 << (i % 5), (i % 64) * IO_LEN);
	}
	io_child = load;
	for (it = 0; it < 40; it++) {
		uint8_t *old = be.data;

		for (q = 0; q < nq; q++) {
			r[q].queue = q;
			r[q].stop = 0;
			r[q].err = 0;
			assert_int_equal(pthread_create(&r[q].thread, NULL, race_ring,
							&r[q]), 0);
		}
		usleep(2000 + (it % 7) * 1500);
		assert_int_equal(munmap(be.data, be.info.data_size), 0);
		for (q = 0; q < nq; q++) {
			r[q].stop = 1;
			pthread_join(r[q].thread, NULL);
			if (r[q].err && r[q].err != -ENXIO)
				fail_msg("iteration %u queue %u: %s", it, q,
					 strerror(-r[q].err));
		}
		for (size_t off = 0; off < be.info.data_size; off += 4096)
			if (!probe(old + off))
				fail_msg("iteration %u: the unmapped window is still "
					 "mapped at offset %zu", it, off);
		be.data = mmap(NULL, be.info.data_size, PROT_READ | PROT_WRITE,
			       MAP_SHARED, be.fd, be.info.data_offset);
		assert_ptr_not_equal(be.data, MAP_FAILED);
	}
	/* The load waits, unkillably, for what the racers still hold. */
	kill(load, SIGKILL);
	for (q = 0; q < nq; q++)
		for (unsigned int i = 0; i < r[q].nheld; i++)
			commit_one(q, r[q].held[i], -EIO);
	/* And for what queued since: serve it until the load is gone. */
	serve_until_exit(load, 0, -EIO, NULL, NULL);
}

/*
 * UBMAP_IOC_MICROBENCH: refused unless the module was loaded with
 * microbench=1; then every bad argument is EINVAL and a good one maps (or
 * copies) in this mode.  t-microbench.sh runs it with the parameter.
 */
static void test_microbench_ioctl(void **state)
{
	static uint8_t buf[2 * 4096] __attribute__((aligned(4096)));
	struct ubmap_microbench good = {
		.kind = UBMAP_MB_kernel, .nr_pages = 1, .iterations = 2,
		.user_buf = (uintptr_t)buf,
	}, mb;
	struct {
		const char *what;
		struct ubmap_microbench mb;
	} bad[] = {
		{ "kind", { .kind = UBMAP_NR_MB_KINDS, .nr_pages = 1, .iterations = 1 } },
		{ "0 pages", { .nr_pages = 0, .iterations = 1 } },
		{ "pages past the slot", { .nr_pages = be.info.slot_size / 4096 + 1, .iterations = 1 } },
		{ "0 iterations", { .nr_pages = 1, .iterations = 0 } },
		{ "too many iterations", { .nr_pages = 1, .iterations = UBMAP_MB_MAX_ITERATIONS + 1 } },
		{ "flags", { .nr_pages = 1, .iterations = 1, .flags = 2 } },
		{ "reserved", { .nr_pages = 1, .iterations = 1, .reserved = { 1 } } },
		{ "unaligned buffer", { .nr_pages = 1, .iterations = 1, .user_buf = (uintptr_t)buf + 1 } },
		{ "anon without a buffer", { .kind = UBMAP_MB_anon, .nr_pages = 1, .iterations = 1 } },
	};
	char *on = NULL;
	size_t len;
	FILE *f = fopen("/sys/module/ubmap/parameters/microbench", "r");

	(void)state;
	assert_non_null(f);
	assert_true(getline(&on, &len, f) > 0);
	fclose(f);
	mb = good;
	if (on[0] != 'Y') {
		free(on);
		assert_int_equal(ioctl(be.fd, UBMAP_IOC_MICROBENCH, &mb), -1);
		assert_int_equal(errno, EPERM);
		return;
	}
	free(on);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mb = bad[i].mb;
		if (ioctl(be.fd, UBMAP_IOC_MICROBENCH, &mb) != -1 || errno != EINVAL)
			fail_msg("%s: %s, want EINVAL", bad[i].what, strerror(errno));
	}
	mb = good;
	assert_int_equal(ioctl(be.fd, UBMAP_IOC_MICROBENCH, &mb), 0);
	assert_int_equal(mb.refused, UBMAP_FB_NONE);
	assert_true(mb.map_ns > 0);
	/* A mapping mode maps once per iteration here; copy and user_copy never. */
	if (maps_pages())
		assert_true(mb.map_calls >= 2);
	else
		assert_int_equal(mb.map_calls, 0);
	/* The mode's refusals are the requests' fallbacks. */
	mb = good;
	mb.kind = UBMAP_MB_anon;
	assert_int_equal(ioctl(be.fd, UBMAP_IOC_MICROBENCH, &mb), 0);
	if (!strcmp(be.info.mode, "vm_insert_pages"))
		assert_int_equal(mb.refused, UBMAP_FB_anon_page);
	else
		assert_int_equal(mb.refused, UBMAP_FB_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_second_backend_busy),
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_mmap_misuse),
		cmocka_unit_test(test_bad_batches),
		cmocka_unit_test(test_nowait_empty),
		cmocka_unit_test(test_poll),
		cmocka_unit_test(test_read_then_unmapped),
		cmocka_unit_test(test_write_visible),
		cmocka_unit_test(test_backend_error_fails_io),
		cmocka_unit_test(test_bad_result_refused),
		cmocka_unit_test(test_stale_handle_refused),
		cmocka_unit_test(test_user_copy_misuse),
		cmocka_unit_test(test_read_shows_prior_contents),
		cmocka_unit_test(test_zeroout_zero_page),
		cmocka_unit_test(test_hugetlb_buffer),
		cmocka_unit_test(test_failed_buffered_read_not_dirty),
		cmocka_unit_test(test_tags_fault_keeps_request),
		cmocka_unit_test(test_munmap_races_ring),
		cmocka_unit_test(test_microbench_ioctl),
	};

	struct CMUnitTest chosen[sizeof(tests) / sizeof(tests[0])];
	const char *only = getenv("ABI_TESTS");
	size_t n = 0;

	/* ABI_TESTS="glob ...": only the matching tests, e.g. to show on an
	 * old module what each test sees without one hang stopping the rest.
	 */
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		char pats[256], *save = NULL, *p;
		int match = !only;

		snprintf(pats, sizeof(pats), "%s", only ? only : "");
		for (p = strtok_r(pats, " ", &save); p && !match;
		     p = strtok_r(NULL, " ", &save))
			match = !fnmatch(p, tests[i].name, 0);
		if (match)
			chosen[n++] = tests[i];
	}
	if (access(CHAR_DEV, F_OK)) {
		fprintf(stderr, "skip: %s missing (module not loaded)\n", CHAR_DEV);
		return 77;
	}
	return _cmocka_run_group_tests("ubmap ABI", chosen, n, setup_backend,
				       teardown_backend);
}
