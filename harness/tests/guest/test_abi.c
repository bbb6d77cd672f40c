// SPDX-License-Identifier: GPL-2.0
/*
 * In-guest tests of the ubmap char device, acting as a (minimal) backend:
 * wrong use gets an errno, a request's data is in its slot while the backend
 * holds it, and nothing of it (nor anything past it) is reachable after the
 * commit.  Needs the module loaded with no backend attached; run once per
 * mode.  Exits 77 (skip) when there is no device.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "ubmap.h"

#define CHAR_DEV	"/dev/ubmapc0"
#define BLOCK_DEV	"/dev/ubmap0"
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

static const struct ubmap_io_desc *desc_of(uint32_t queue, uint32_t tag)
{
	const struct ubmap_io_desc *d = (const void *)((char *)be.ctrl +
						       be.info.desc_offset);

	return &d[queue * be.info.queue_depth + tag];
}

/* Probing an address the kernel must not have mapped: SIGBUS/SIGSEGV. */
static sigjmp_buf probe_jmp;

static void probe_handler(int sig)
{
	siglongjmp(probe_jmp, sig);
}

static int probe_access(volatile uint8_t *p, int write)
{
	struct sigaction sa = { .sa_handler = probe_handler }, obus, osegv;
	int sig;

	sigaction(SIGBUS, &sa, &obus);
	sigaction(SIGSEGV, &sa, &osegv);
	sig = sigsetjmp(probe_jmp, 1);
	if (!sig && write)
		*p = *p;
	else if (!sig)
		(void)*p;
	sigaction(SIGBUS, &obus, NULL);
	sigaction(SIGSEGV, &osegv, NULL);
	return sig;	/* 0: accessible */
}

static int probe(uint8_t *p)
{
	return probe_access(p, 0);
}

static int zero_copy_mode(void)
{
	return strcmp(be.info.mode, "copy") != 0;
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

/* Blocks until the child's request arrives on some queue. */
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
	memset(be.data + desc_of(q, tag)->window_off, 0x77, IO_LEN);
	commit_one(q, tag, 0);
	assert_int_equal(wait_child(pid), 0);
	assert_int_equal(poll(&pfd, 1, 0), 0);
}

static void test_read_then_unmapped(void **state)
{
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
	assert_int_equal(d->tag, tag);
	assert_int_equal(d->queue, q);
	p = be.data + d->window_off;
	memset(p, 0x5a, d->len);
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
	/* Committing the same tag again is refused. */
	assert_int_equal(batch(q, UBMAP_BATCH_NOWAIT,
			       &(struct ubmap_completion){ .tag = tag }, 1,
			       NULL, 0, NULL), -EINVAL);
}

static void test_write_visible(void **state)
{
	const struct ubmap_io_desc *d;
	uint32_t q, tag, i;
	pid_t pid;

	(void)state;
	pid = start_io(1, 0xc3);
	fetch_one(&q, &tag);
	d = desc_of(q, tag);
	assert_int_equal(d->op, UBMAP_OP_WRITE);
	assert_int_equal(d->len, IO_LEN);
	for (i = 0; i < d->len; i++)
		if (be.data[d->window_off + i] != 0xc3)
			fail_msg("window byte %u is %#x, not the written 0xc3", i,
				 be.data[d->window_off + i]);
	/* Data being written is the backend's to read, not to change; only
	 * vm_insert_pages (no protection argument) and the copy's own bounce
	 * area are writable.
	 */
	if (!strcmp(be.info.mode, "remap_pfn_range") ||
	    !strcmp(be.info.mode, "mkspecial"))
		assert_int_equal(probe_access(be.data + d->window_off, 1), SIGBUS);
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
	memset(be.data + desc_of(q, tag)->window_off, 0x11, IO_LEN);
	commit_one(q, tag, 0);
	assert_int_equal(wait_child(pid), 0);
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
	};

	if (access(CHAR_DEV, F_OK)) {
		fprintf(stderr, "skip: %s missing (module not loaded)\n", CHAR_DEV);
		return 77;
	}
	return cmocka_run_group_tests_name("ubmap ABI", tests, setup_backend,
					   teardown_backend);
}
