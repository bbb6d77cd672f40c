// SPDX-License-Identifier: GPL-2.0
/*
 * The ring loop against a fake kernel (fake_dev.c): batching, descriptor
 * distrust, EINTR, stop and drain, protocol errors, the async file store,
 * and the thread start/stop machinery.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fake_dev.h"
#include "queue.h"
#include "tests.h"

#define SLOT	(64 * 1024)
#define CAP	(16ULL << 20)
#define QID	1		/* not 0, so queue indexing is exercised */

struct qt {
	struct ubmap_info info;
	struct fake_kernel fk;
	struct store store;
	struct queue q;
	atomic_int stop;
	struct fake_req *reqs;
	unsigned char *bufs;	/* one SLOT per request */
	unsigned int nr;
};

static void fill(unsigned char *b, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (unsigned char)(seed * 17 + i * 3 + (i >> 12));
}

/* A script of @nr requests, all @op, request i at offset i * SLOT. */
static void script(struct qt *t, unsigned int nr, __u8 op, __u32 len)
{
	t->nr = nr;
	t->reqs = calloc(nr, sizeof(*t->reqs));
	t->bufs = calloc(nr, SLOT);
	for (unsigned int i = 0; i < nr; i++) {
		struct fake_req *r = &t->reqs[i];

		r->op = op;
		r->offset = (__u64)i * SLOT;
		r->len = len;
		r->data = t->bufs + (size_t)i * SLOT;
		r->result = FAKE_PENDING;
		if (op == UBMAP_OP_WRITE)
			fill(r->data, len, i);
	}
}

static void start(struct qt *t, unsigned int depth, unsigned int max_fetch)
{
	fake_info(&t->info, 2, depth, SLOT, CAP);
	fake_kernel_init(&t->fk, &t->info, QID);
	t->fk.reqs = t->reqs;
	t->fk.nr_reqs = t->nr;
	t->fk.stop = &t->stop;
	atomic_init(&t->stop, 0);
	assert_int_equal(queue_init(&t->q, &t->fk.dev, &t->store, QID,
				    max_fetch, &t->stop), 0);
}

static void finish(struct qt *t)
{
	queue_exit(&t->q);
	fake_kernel_free(&t->fk);
	free(t->reqs);
	free(t->bufs);
	t->reqs = NULL;
	t->bufs = NULL;
}

static void open_store(struct qt *t, const struct store_ops *ops,
		       const char *path, unsigned int depth)
{
	struct store_params p = {
		.path = path, .capacity = CAP, .nr_queues = 2,
		.queue_depth = depth, .slot_size = SLOT,
		.logical_block_size = 512,
	};
	int ret = store_open(&t->store, ops, &p);

	if (ret == -ENOSYS || ret == -EPERM) {
		print_message("[  SKIP    ] io_uring unavailable here: %s\n",
			      strerror(-ret));
		skip();
	}
	assert_int_equal(ret, 0);
}

static void assert_protocol_kept(const struct qt *t)
{
	assert_false(t->fk.deadlock);
	assert_false(t->fk.bad_batch);
	assert_int_equal(t->fk.stale, 0);
	assert_int_equal(t->fk.outstanding, 0);
}

/* Completions ride in the same ioctl that fetches the next batch. */
static void test_ram_batching(void **state)
{
	struct qt t = { 0 };

	(void)state;
	open_store(&t, &store_ram_ops, NULL, 4);
	script(&t, 12, UBMAP_OP_WRITE, 8192);
	/* The last four read back what the first four wrote. */
	for (unsigned int i = 8; i < 12; i++) {
		t.reqs[i].op = UBMAP_OP_READ;
		t.reqs[i].offset = (__u64)(i - 8) * SLOT;
	}
	start(&t, 4, 0);
	assert_int_equal(t.q.max_fetch, 4);
	assert_int_equal(queue_run(&t.q), 0);
	assert_true(t.q.shutdown);
	assert_protocol_kept(&t);
	/* fetch 4 | commit 4 + fetch 4 | commit 4 + fetch 4 | commit 4 */
	assert_int_equal(t.fk.ioctls, 4);
	assert_int_equal(t.fk.max_completions, 4);
	for (unsigned int i = 0; i < 12; i++)
		assert_int_equal(t.reqs[i].result, 0);
	for (unsigned int i = 8; i < 12; i++)
		assert_memory_equal(t.reqs[i].data, t.reqs[i - 8].data, 8192);
	assert_int_equal(t.q.st.fetched, 12);
	assert_int_equal(t.q.st.committed, 12);
	finish(&t);
	store_close(&t.store);
}

static void test_batch_limit(void **state)
{
	struct qt t = { 0 };

	(void)state;
	open_store(&t, &store_null_ops, NULL, 8);
	script(&t, 5, UBMAP_OP_READ, 4096);
	start(&t, 8, 1);
	assert_int_equal(queue_run(&t.q), 0);
	assert_protocol_kept(&t);
	assert_int_equal(t.fk.ioctls, 6);
	assert_int_equal(t.fk.last_max_fetch, 1);
	assert_int_equal(t.fk.max_completions, 1);
	finish(&t);
	/* Above the depth is clamped to it. */
	script(&t, 1, UBMAP_OP_READ, 4096);
	start(&t, 8, 1000);
	assert_int_equal(t.q.max_fetch, 8);
	finish(&t);
	store_close(&t.store);
}

/* Bad descriptors get -EIO and never reach the store. */
static void test_bad_descriptors(void **state)
{
	struct qt t = { 0 };
	const enum fake_corrupt bad[] = {
		FAKE_BAD_OP, FAKE_BAD_WINDOW, FAKE_WILD_WINDOW,
		FAKE_BEYOND_CAPACITY,
	};

	(void)state;
	open_store(&t, &store_ram_ops, NULL, 4);
	script(&t, 8, UBMAP_OP_WRITE, 4096);
	for (unsigned int i = 0; i < 4; i++)
		t.reqs[2 * i + 1].corrupt = bad[i];
	start(&t, 4, 0);
	assert_int_equal(queue_run(&t.q), 0);
	assert_protocol_kept(&t);
	for (unsigned int i = 0; i < 8; i++)
		assert_int_equal(t.reqs[i].result, i % 2 ? -EIO : 0);
	assert_int_equal(t.q.st.bad_desc, 4);
	assert_int_equal(t.q.st.io_errors, 0);
	finish(&t);
	store_close(&t.store);
}

static void test_eintr_retried(void **state)
{
	struct qt t = { 0 };

	(void)state;
	open_store(&t, &store_null_ops, NULL, 2);
	script(&t, 6, UBMAP_OP_WRITE, 512);
	start(&t, 2, 0);
	t.fk.eintr_at = 2;	/* after committing the first batch */
	assert_int_equal(queue_run(&t.q), 0);
	assert_protocol_kept(&t);
	for (unsigned int i = 0; i < 6; i++)
		assert_int_equal(t.reqs[i].result, 0);
	finish(&t);
	store_close(&t.store);
}

/* Stop: finish what was fetched, hand it back without fetching more. */
static void test_stop_drains(void **state)
{
	struct qt t = { 0 };
	unsigned int fetched = 0;

	(void)state;
	open_store(&t, &store_ram_ops, NULL, 4);
	script(&t, 16, UBMAP_OP_WRITE, 4096);
	start(&t, 4, 0);
	t.fk.stop_at = 2;
	assert_int_equal(queue_run(&t.q), 0);
	assert_false(t.q.shutdown);
	assert_protocol_kept(&t);
	assert_int_equal(t.fk.last_max_fetch, 0);
	for (unsigned int i = 0; i < 16; i++) {
		if (!t.reqs[i].fetched)
			continue;
		fetched++;
		assert_int_equal(t.reqs[i].result, 0);
	}
	assert_int_equal(fetched, 8);
	assert_int_equal(t.fk.ioctls, 3);
	finish(&t);
	store_close(&t.store);
}

static void test_stop_before_start(void **state)
{
	struct qt t = { 0 };

	(void)state;
	open_store(&t, &store_null_ops, NULL, 4);
	script(&t, 4, UBMAP_OP_READ, 4096);
	start(&t, 4, 0);
	atomic_store(&t.stop, 1);
	assert_int_equal(queue_run(&t.q), 0);
	assert_int_equal(t.fk.ioctls, 0);
	finish(&t);
	store_close(&t.store);
}

static void test_bogus_tag(void **state)
{
	struct qt t = { 0 };

	(void)state;
	open_store(&t, &store_null_ops, NULL, 4);
	script(&t, 4, UBMAP_OP_READ, 4096);
	start(&t, 4, 0);
	t.fk.bogus_tag = true;
	assert_int_equal(queue_run(&t.q), -EPROTO);
	finish(&t);
	store_close(&t.store);
}

static void test_rejected_completion(void **state)
{
	struct qt t = { 0 };

	(void)state;
	open_store(&t, &store_null_ops, NULL, 4);
	script(&t, 4, UBMAP_OP_READ, 4096);
	start(&t, 4, 0);
	t.fk.reject_second_completion = true;
	assert_int_equal(queue_run(&t.q), -EINVAL);
	/*
	 * The error ends the loop; at exit the rest is handed back, and the
	 * one consumed before the error is not offered again (the fake
	 * would reject a tag it does not hold).
	 */
	assert_int_equal(t.q.st.committed, 4);
	assert_int_equal(t.fk.outstanding, 0);
	finish(&t);
	store_close(&t.store);
}

/*
 * The async path through a real io_uring: write a script, then read it
 * back in a second run.  The fake flags a blocking fetch made while I/O is
 * in flight, which is the hang the loop must avoid.
 */
static void test_file_store_async(void **state)
{
	struct qt t = { 0 };
	char path[256];
	const char *dir = getenv("TMPDIR");
	static unsigned char written[48][SLOT];

	(void)state;
	snprintf(path, sizeof(path), "%s/ubmapd-test-%d-queue",
		 dir ? dir : "/tmp", (int)getpid());
	unlink(path);
	open_store(&t, &store_file_ops, path, 8);

	script(&t, 48, UBMAP_OP_WRITE, SLOT);
	t.reqs[5].corrupt = FAKE_BAD_OP;	/* sync -EIO amid async I/O */
	for (unsigned int i = 0; i < 48; i++)
		memcpy(written[i], t.reqs[i].data, SLOT);
	start(&t, 8, 0);
	assert_int_equal(queue_run(&t.q), 0);
	assert_protocol_kept(&t);
	for (unsigned int i = 0; i < 48; i++)
		assert_int_equal(t.reqs[i].result, i == 5 ? -EIO : 0);
	/* Never a wasted call: each one commits or fetches something. */
	assert_true(t.fk.ioctls <= 48 + 1);
	assert_int_equal(t.q.inflight, 0);
	finish(&t);

	/* Reads, smaller batches, and "nothing ready" said as -EAGAIN. */
	script(&t, 48, UBMAP_OP_READ, SLOT);
	start(&t, 8, 3);
	t.fk.nowait_eagain = true;
	assert_int_equal(queue_run(&t.q), 0);
	assert_protocol_kept(&t);
	for (unsigned int i = 0; i < 48; i++) {
		assert_int_equal(t.reqs[i].result, 0);
		if (i != 5)
			assert_memory_equal(t.reqs[i].data, written[i], SLOT);
	}
	finish(&t);
	store_close(&t.store);
	unlink(path);
}

/*
 * A deterministic async store: every request is queued, and each reap
 * finishes the oldest one only.  Shows the loop's shape exactly: wait on
 * the store while I/O is in flight, never a blocking fetch then, never a
 * wait on the store with nothing in flight.
 */
struct slow_store {
	__u32 fifo[64];
	unsigned int head, tail;
	unsigned int reaps, waits;
	bool hang;		/* waited with nothing in flight */
};

static int slow_open(struct store *s, const struct store_params *p)
{
	(void)p;
	s->priv = calloc(1, sizeof(struct slow_store));
	return s->priv ? 0 : -ENOMEM;
}

static void slow_close(struct store *s)
{
	free(s->priv);
}

static int slow_queue_io(struct store *s, unsigned int qid,
			 const struct ubmap_io_desc *d, void *data)
{
	struct slow_store *sl = s->priv;

	(void)qid;
	(void)data;
	sl->fifo[sl->tail++ % 64] = d->tag;
	return STORE_QUEUED;
}

static int slow_reap(struct store *s, unsigned int qid,
		     struct ubmap_completion *out, unsigned int max, int wait)
{
	struct slow_store *sl = s->priv;

	(void)qid;
	sl->reaps++;
	sl->waits += !!wait;
	if (sl->head == sl->tail || !max) {
		if (wait)
			sl->hang = true;
		return wait ? -EIO : 0;
	}
	out[0].tag = sl->fifo[sl->head++ % 64];
	out[0].result = 0;
	return 1;
}

static const struct store_ops slow_ops = {
	.name = "slow", .open = slow_open, .close = slow_close,
	.queue_io = slow_queue_io, .reap = slow_reap,
};

static void slow_run(bool eagain)
{
	struct qt t = { 0 };
	struct slow_store *sl;

	open_store(&t, &slow_ops, NULL, 4);
	sl = t.store.priv;
	script(&t, 10, UBMAP_OP_READ, 4096);
	start(&t, 4, 0);
	t.fk.nowait_eagain = eagain;
	assert_int_equal(queue_run(&t.q), 0);
	assert_protocol_kept(&t);
	assert_false(sl->hang);
	for (unsigned int i = 0; i < 10; i++)
		assert_int_equal(t.reqs[i].result, 0);
	/*
	 * fetch 4; then per finished request one wait on the store and one
	 * commit+NOWAIT fetch: 6 of them refill, 3 find nothing, the last
	 * commit ends the script.
	 */
	assert_int_equal(sl->reaps, 10);
	assert_int_equal(sl->waits, 10);
	assert_int_equal(t.fk.ioctls, 11);
	assert_int_equal(t.q.st.waits, 10);
	assert_int_equal(t.fk.eagains, eagain ? 3 : 0);
	finish(&t);
	store_close(&t.store);
}

static void test_async_shape(void **state)
{
	(void)state;
	slow_run(false);
}

static void test_async_nowait_eagain(void **state)
{
	(void)state;
	slow_run(true);
}

/* ---- threads ---- */

static atomic_int blocking_calls;

/* A kernel with nothing to do: a blocking fetch sleeps until a signal. */
static int idle_commit_fetch(struct ubmapd_dev *dev, struct ubmap_batch *b)
{
	(void)dev;
	b->nr_completed = b->nr_completions;
	b->nr_fetched = 0;
	if (b->flags & UBMAP_BATCH_NOWAIT)
		return 0;
	atomic_fetch_add(&blocking_calls, 1);
	poll(NULL, 0, -1);
	return -errno;
}

static int gone_commit_fetch(struct ubmapd_dev *dev, struct ubmap_batch *b)
{
	(void)dev;
	(void)b;
	return -ESHUTDOWN;
}

static void run_group(int (*cf)(struct ubmapd_dev *, struct ubmap_batch *),
		      bool wait_exit)
{
	struct ubmap_info info;
	struct fake_kernel fk;
	struct store store;
	struct store_params p = { .capacity = CAP, .nr_queues = 3,
				  .queue_depth = 4 };
	struct queue qs[3];
	struct queue_group g;
	atomic_int stop;
	sigset_t kick, old;
	struct timespec ts = { .tv_sec = 5 };
	unsigned int shutdown = 0;

	fake_info(&info, 3, 4, SLOT, CAP);
	fake_kernel_init(&fk, &info, 0);
	fk.dev.commit_fetch = cf;
	atomic_init(&stop, 0);
	assert_int_equal(store_open(&store, &store_null_ops, &p), 0);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(queue_init(&qs[i], &fk.dev, &store, i, 0,
					    &stop), 0);

	sigemptyset(&kick);
	sigaddset(&kick, QUEUE_KICK_SIGNAL);
	pthread_sigmask(SIG_BLOCK, &kick, &old);
	assert_int_equal(queue_kick_setup(), 0);
	assert_int_equal(queue_group_start(&g, qs, 3, &stop), 0);
	assert_int_equal(g.started, 3);
	if (wait_exit) {
		/* A queue thread that ends wakes the waiter. */
		assert_int_equal(sigtimedwait(&kick, NULL, &ts),
				 QUEUE_KICK_SIGNAL);
		assert_true(queue_group_any_exited(&g));
	} else {
		/* Let the threads get into their blocking call. */
		for (int i = 0; i < 500 && atomic_load(&blocking_calls) < 3; i++)
			usleep(2000);
		assert_int_equal(atomic_load(&blocking_calls), 3);
		assert_false(queue_group_any_exited(&g));
	}
	assert_int_equal(queue_group_stop(&g), 0);
	assert_int_equal(atomic_load(&stop), 1);
	for (unsigned int i = 0; i < 3; i++) {
		assert_int_equal(qs[i].status, 0);
		/* Others may have been stopped before their first call. */
		shutdown += qs[i].shutdown;
		queue_exit(&qs[i]);
	}
	if (wait_exit)
		assert_true(shutdown >= 1);
	else
		assert_int_equal(shutdown, 0);
	/* Swallow the exit notifications before unblocking. */
	ts.tv_sec = 0;
	while (sigtimedwait(&kick, NULL, &ts) > 0)
		;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	store_close(&store);
	fake_kernel_free(&fk);
}

static void test_group_stop_kicks(void **state)
{
	(void)state;
	atomic_store(&blocking_calls, 0);
	run_group(idle_commit_fetch, false);
}

static void test_group_exit_wakes(void **state)
{
	(void)state;
	run_group(gone_commit_fetch, true);
}

int run_queue_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ram_batching),
		cmocka_unit_test(test_batch_limit),
		cmocka_unit_test(test_bad_descriptors),
		cmocka_unit_test(test_eintr_retried),
		cmocka_unit_test(test_stop_drains),
		cmocka_unit_test(test_stop_before_start),
		cmocka_unit_test(test_bogus_tag),
		cmocka_unit_test(test_rejected_completion),
		cmocka_unit_test(test_async_shape),
		cmocka_unit_test(test_async_nowait_eagain),
		cmocka_unit_test(test_file_store_async),
		cmocka_unit_test(test_group_stop_kicks),
		cmocka_unit_test(test_group_exit_wakes),
	};

	return cmocka_run_group_tests_name("queue", tests, NULL, NULL);
}
