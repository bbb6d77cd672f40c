// SPDX-License-Identifier: GPL-2.0
/*
 * The file store on a temporary file, through a real io_uring.  Where
 * io_uring is not allowed (ENOSYS/EPERM: seccomp, io_uring_disabled), the
 * tests are skipped, saying so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "store.h"
#include "tests.h"

#define CAP	(8ULL << 20)
#define DEPTH	8

struct fixture {
	char path[256];
	struct store s;
	bool open;
};

static struct store_params params(const char *path)
{
	struct store_params p = {
		.path = path, .capacity = CAP, .nr_queues = 2,
		.queue_depth = DEPTH, .slot_size = 1 << 20,
		.logical_block_size = 512,
	};
	return p;
}

static void tmp_path(char *buf, size_t len, const char *name)
{
	const char *dir = getenv("TMPDIR");

	snprintf(buf, len, "%s/ubmapd-test-%d-%s", dir ? dir : "/tmp",
		 (int)getpid(), name);
}

/* Open the store or skip the test when io_uring is off limits here. */
static void open_or_skip(struct fixture *f)
{
	struct store_params p = params(f->path);
	int ret = store_open(&f->s, &store_file_ops, &p);

	if (ret == -ENOSYS || ret == -EPERM) {
		print_message("[  SKIP    ] io_uring unavailable here: %s\n",
			      strerror(-ret));
		skip();
	}
	assert_int_equal(ret, 0);
	f->open = true;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	tmp_path(f->path, sizeof(f->path), "img");
	unlink(f->path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->open)
		store_close(&f->s);
	unlink(f->path);
	free(f);
	return 0;
}

static void fill(unsigned char *b, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (unsigned char)(seed * 31 + i * 13 + (i >> 9));
}

static int submit(struct store *s, unsigned int q, unsigned int tag, __u8 op,
		  __u64 off, __u32 len, void *buf)
{
	struct ubmap_io_desc d = { .op = op, .queue = q, .tag = tag,
				   .len = len, .offset = off };

	return s->ops->queue_io(s, q, &d, buf);
}

/* Collect @want completions of queue @q, blocking. */
static void reap_n(struct store *s, unsigned int q,
		   struct ubmap_completion *c, unsigned int want)
{
	unsigned int n = 0;

	while (n < want) {
		int r = s->ops->reap(s, q, c + n, want - n, 1);

		assert_true(r >= 0);
		n += r;
	}
}

static int one(struct store *s, unsigned int q, unsigned int tag, __u8 op,
	       __u64 off, __u32 len, void *buf)
{
	struct ubmap_completion c;

	assert_int_equal(submit(s, q, tag, op, off, len, buf), STORE_QUEUED);
	reap_n(s, q, &c, 1);
	assert_int_equal(c.tag, tag);
	return c.result;
}

static void test_creates_to_capacity(void **state)
{
	struct fixture *f = *state;
	struct stat st;

	open_or_skip(f);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_size, CAP);
}

static void test_keeps_larger_file(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	int fd = open(f->path, O_CREAT | O_RDWR, 0644);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 2 * CAP), 0);
	close(fd);
	open_or_skip(f);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_size, 2 * CAP);
}

static void test_write_read_back(void **state)
{
	struct fixture *f = *state;
	static unsigned char w[1 << 20], r[1 << 20], check[4096];
	int fd;

	open_or_skip(f);
	fill(w, sizeof(w), 1);
	assert_int_equal(one(&f->s, 0, 3, UBMAP_OP_WRITE, 1 << 20, sizeof(w), w), 0);
	assert_int_equal(one(&f->s, 1, 3, UBMAP_OP_READ, 1 << 20, sizeof(r), r), 0);
	assert_memory_equal(w, r, sizeof(w));
	/* And it really is in the file, at the device offset. */
	fd = open(f->path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, check, sizeof(check), (1 << 20) + 8192),
			 sizeof(check));
	close(fd);
	assert_memory_equal(check, w + 8192, sizeof(check));
}

/* FLUSH is an fdatasync of the file: it completes with 0, data intact. */
static void test_flush(void **state)
{
	struct fixture *f = *state;
	static unsigned char w[8192], r[8192];

	open_or_skip(f);
	fill(w, sizeof(w), 7);
	assert_int_equal(one(&f->s, 0, 1, UBMAP_OP_WRITE, 0, sizeof(w), w), 0);
	assert_int_equal(one(&f->s, 0, 2, UBMAP_OP_FLUSH, 0, 0, NULL), 0);
	assert_int_equal(one(&f->s, 1, 2, UBMAP_OP_READ, 0, sizeof(r), r), 0);
	assert_memory_equal(w, r, sizeof(w));
}

static void test_unwritten_reads_zero(void **state)
{
	struct fixture *f = *state;
	unsigned char r[8192];

	open_or_skip(f);
	memset(r, 0xff, sizeof(r));
	assert_int_equal(one(&f->s, 0, 0, UBMAP_OP_READ, CAP - sizeof(r), sizeof(r), r), 0);
	for (size_t i = 0; i < sizeof(r); i++)
		assert_int_equal(r[i], 0);
}

/* A whole batch queued, then reaped: every tag comes back once. */
static void test_batch(void **state)
{
	struct fixture *f = *state;
	static unsigned char w[DEPTH][16384], r[DEPTH][16384];
	struct ubmap_completion c[DEPTH];
	unsigned int seen = 0;

	open_or_skip(f);
	for (unsigned int t = 0; t < DEPTH; t++) {
		fill(w[t], sizeof(w[t]), 10 + t);
		assert_int_equal(submit(&f->s, 0, t, UBMAP_OP_WRITE,
					(__u64)t * 65536, sizeof(w[t]), w[t]),
				 STORE_QUEUED);
	}
	reap_n(&f->s, 0, c, DEPTH);
	for (unsigned int i = 0; i < DEPTH; i++) {
		assert_int_equal(c[i].result, 0);
		assert_true(c[i].tag < DEPTH);
		seen |= 1u << c[i].tag;
	}
	assert_int_equal(seen, (1u << DEPTH) - 1);

	for (unsigned int t = 0; t < DEPTH; t++)
		assert_int_equal(submit(&f->s, 0, t, UBMAP_OP_READ,
					(__u64)t * 65536, sizeof(r[t]), r[t]),
				 STORE_QUEUED);
	reap_n(&f->s, 0, c, DEPTH);
	for (unsigned int t = 0; t < DEPTH; t++)
		assert_memory_equal(w[t], r[t], sizeof(w[t]));
}

/* reap() never hands out more than asked, the rest waits for next time. */
static void test_reap_max(void **state)
{
	struct fixture *f = *state;
	static unsigned char b[4][4096];
	struct ubmap_completion c[4];
	int n;

	open_or_skip(f);
	for (unsigned int t = 0; t < 4; t++)
		submit(&f->s, 1, t, UBMAP_OP_READ, t * 4096, 4096, b[t]);
	n = f->s.ops->reap(&f->s, 1, c, 1, 1);
	assert_int_equal(n, 1);
	reap_n(&f->s, 1, c + 1, 3);
	/* Nothing in flight: a non-waiting reap returns at once with 0. */
	assert_int_equal(f->s.ops->reap(&f->s, 1, c, 4, 0), 0);
}

/* The file shrank under us: a read past EOF must fail, not spin. */
static void test_eof_is_eio(void **state)
{
	struct fixture *f = *state;
	static unsigned char r[16384];

	open_or_skip(f);
	assert_int_equal(truncate(f->path, 1 << 20), 0);
	/* Entirely past EOF: the read returns 0. */
	assert_int_equal(one(&f->s, 0, 1, UBMAP_OP_READ, 2 << 20, 4096, r), -EIO);
	/* Crossing EOF: a short read, then 0 for the rest. */
	assert_int_equal(one(&f->s, 0, 2, UBMAP_OP_READ, (1 << 20) - 8192,
			     sizeof(r), r), -EIO);
	/* Before EOF still works. */
	assert_int_equal(one(&f->s, 0, 2, UBMAP_OP_READ, 0, sizeof(r), r), 0);
}

static void test_open_errors(void **state)
{
	struct store_params p = params("/nonexistent-dir/img");
	struct store s;

	(void)state;
	assert_int_equal(store_open(&s, &store_file_ops, &p), -ENOENT);
	p.path = "/tmp";
	assert_int_not_equal(store_open(&s, &store_file_ops, &p), 0);
	p.path = "/dev/null";
	assert_int_equal(store_open(&s, &store_file_ops, &p), -EINVAL);
	p.path = NULL;
	assert_int_equal(store_open(&s, &store_file_ops, &p), -EINVAL);
}

int run_store_file_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_creates_to_capacity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keeps_larger_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritten_reads_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reap_max, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eof_is_eio, setup, teardown),
		cmocka_unit_test(test_open_errors),
	};

	return cmocka_run_group_tests_name("store_file", tests, NULL, NULL);
}
