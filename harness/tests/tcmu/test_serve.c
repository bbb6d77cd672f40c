// SPDX-License-Identifier: GPL-2.0
/* The command loop (tcmu/serve.c) on a fake ring with the real ram store
 * and an asynchronous stand-in that finishes requests out of order. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include "fake_ring.h"
#include "serve.h"
#include "tests.h"

#define CAP	(1 << 20)

struct fixture {
	struct fake_ring f;
	struct store st;
	struct serve s;
};

static void setup(struct fixture *x, const struct store_ops *ops)
{
	struct store_params p = { .capacity = CAP, .nr_queues = 1,
				  .queue_depth = SERVE_TAGS, .slot_size = 1 << 20,
				  .logical_block_size = 512 };
	struct scsi_geom g = { CAP >> 9, 9 };

	fake_ring_init(&x->f, 8192, 64 << 10);
	assert_int_equal(ring_attach(&x->s.ring, x->f.area, x->f.size), 0);
	assert_int_equal(store_open(&x->st, ops, &p), 0);
	assert_int_equal(serve_init(&x->s, &x->st, &g, -1, -1), 0);
}

static void teardown(struct fixture *x)
{
	serve_exit(&x->s);
	store_close(&x->st);
	fake_ring_free(&x->f);
}

static void rw10(__u8 *cdb, __u8 op, __u32 lba, __u16 blocks)
{
	memset(cdb, 0, 10);
	cdb[0] = op;
	cdb[2] = lba >> 24;
	cdb[3] = lba >> 16;
	cdb[4] = lba >> 8;
	cdb[5] = lba;
	cdb[7] = blocks >> 8;
	cdb[8] = blocks;
}

static __u8 status(struct fixture *x, __u32 off)
{
	return fake_entry(&x->f, off)->rsp.scsi_status;
}

/* A WRITE in two iovecs lands in the store; a READ in three gets it back. */
static void test_write_read(void **state)
{
	const size_t wl[2] = { 1536, 2560 }, rl[3] = { 512, 512, 3072 };
	struct fixture x;
	__u8 cdb[10], back[4096], pattern[4096];
	__u32 w, r;

	(void)state;
	setup(&x, &store_ram_ops);
	for (size_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = i * 7 + 3;
	rw10(cdb, 0x2a, 16, 8);
	w = fake_ring_cmd(&x.f, 1, cdb, 10, wl, 2);
	memcpy(fake_iov(&x.f, w, 0), pattern, 1536);
	memcpy(fake_iov(&x.f, w, 1), pattern + 1536, 2560);
	rw10(cdb, 0x28, 16, 8);
	r = fake_ring_cmd(&x.f, 2, cdb, 10, rl, 3);
	{
		char *p0 = fake_iov(&x.f, r, 0), *p1 = fake_iov(&x.f, r, 1),
		     *p2 = fake_iov(&x.f, r, 2);

		assert_int_equal(serve_round(&x.s, false), 4);	/* 2 read + 2 answered */
		memcpy(back, p0, 512);
		memcpy(back + 512, p1, 512);
		memcpy(back + 1024, p2, 3072);
	}
	assert_memory_equal(back, pattern, sizeof(pattern));
	/* In the store at byte 16 * 512. */
	assert_memory_equal((char *)x.st.priv + 8192, pattern, sizeof(pattern));
	assert_int_equal(status(&x, w), SCSI_GOOD);
	assert_int_equal(status(&x, r), SCSI_GOOD);
	assert_int_equal(fake_mb(&x.f)->cmd_tail, fake_mb(&x.f)->cmd_head);
	assert_int_equal(x.s.st.reads, 1);
	assert_int_equal(x.s.st.writes, 1);
	assert_int_equal(x.s.st.read_bytes, 4096);
	assert_int_equal(x.s.st.write_bytes, 4096);
	assert_int_equal(serve_round(&x.s, false), 0);
	teardown(&x);
}

/* Unknown opcodes and bad lengths get CHECK CONDITION with sense. */
static void test_check_condition(void **state)
{
	const size_t l = 4096;
	const __u8 unmap[10] = { 0x42 };
	struct tcmu_cmd_entry *e;
	struct fixture x;
	__u8 cdb[10];
	__u32 a, b, c;

	(void)state;
	setup(&x, &store_ram_ops);
	a = fake_ring_cmd(&x.f, 1, unmap, 10, &l, 1);
	rw10(cdb, 0x28, 0, 4);		/* 2048 bytes asked, 4096 given */
	b = fake_ring_cmd(&x.f, 2, cdb, 10, &l, 1);
	rw10(cdb, 0x28, CAP >> 9, 1);	/* one past the end */
	c = fake_ring_cmd(&x.f, 3, cdb, 10, &l, 1);
	assert_true(serve_round(&x.s, false) > 0);
	e = fake_entry(&x.f, a);
	assert_int_equal(e->rsp.scsi_status, SCSI_CHECK_CONDITION);
	assert_int_equal(e->rsp.sense_buffer[2], SENSE_ILLEGAL_REQUEST);
	assert_int_equal((__u8)e->rsp.sense_buffer[12], ASC_INVALID_OPCODE);
	e = fake_entry(&x.f, b);
	assert_int_equal((__u8)e->rsp.sense_buffer[12], ASC_INVALID_FIELD_CDB);
	e = fake_entry(&x.f, c);
	assert_int_equal((__u8)e->rsp.sense_buffer[12], ASC_LBA_OUT_OF_RANGE);
	assert_int_equal(x.s.st.checks, 3);
	assert_int_equal(x.s.st.reads, 0);
	teardown(&x);
}

/* INQUIRY's answer goes into the data area, the rest of it zeroed. */
static void test_emulated(void **state)
{
	const size_t l = 96;
	const __u8 inq[6] = { 0x12, 0, 0, 0, 96, 0 };
	const __u8 tur[6] = { 0 };
	struct fixture x;
	__u8 *p;
	__u32 a, b;

	(void)state;
	setup(&x, &store_ram_ops);
	a = fake_ring_cmd(&x.f, 1, inq, 6, &l, 1);
	p = fake_iov(&x.f, a, 0);
	memset(p, 0xee, 96);
	b = fake_ring_cmd(&x.f, 2, tur, 6, NULL, 0);
	assert_true(serve_round(&x.s, false) > 0);
	assert_memory_equal(p + 8, "UBMAP   ", 8);
	assert_int_equal(p[36], 0);
	assert_int_equal(p[95], 0);
	assert_int_equal(status(&x, a), SCSI_GOOD);
	assert_int_equal(status(&x, b), SCSI_GOOD);
	assert_int_equal(x.s.st.emulated, 1);
	teardown(&x);
}

/*
 * An asynchronous store that finishes in reverse order: the answers must
 * still be published in ring order, cmd_tail never passing an unfinished
 * command.
 */
static struct {
	unsigned int queued[SERVE_TAGS], n;
	int fail_tag;
	unsigned int flushes;
} slow;

static int slow_open(struct store *s, const struct store_params *p)
{
	(void)s;
	(void)p;
	memset(&slow, 0, sizeof(slow));
	slow.fail_tag = -1;
	return 0;
}

static void slow_close(struct store *s)
{
	(void)s;
}

static int slow_queue(struct store *s, unsigned int qid,
		      const struct ubmap_io_desc *d, void *data)
{
	(void)s;
	(void)qid;
	(void)data;
	slow.flushes += d->op == UBMAP_OP_FLUSH;
	slow.queued[slow.n++] = d->tag;
	return STORE_QUEUED;
}

/* Finish only the newest request per call. */
static int slow_reap(struct store *s, unsigned int qid,
		     struct ubmap_completion *out, unsigned int max, int wait)
{
	(void)s;
	(void)qid;
	(void)max;
	(void)wait;
	if (!slow.n)
		return 0;
	out[0].tag = slow.queued[--slow.n];
	out[0].result = (int)out[0].tag == slow.fail_tag ? -EIO : 0;
	return 1;
}

static const struct store_ops slow_ops = {
	.name = "slow", .open = slow_open, .close = slow_close,
	.queue_io = slow_queue, .reap = slow_reap,
};

static void test_async_in_order(void **state)
{
	const size_t l = 4096;
	const __u8 sync10[10] = { 0x35 };
	struct fixture x;
	struct tcmu_mailbox *mb;
	__u8 cdb[10];
	__u32 a, b, c;

	(void)state;
	setup(&x, &slow_ops);
	mb = fake_mb(&x.f);
	rw10(cdb, 0x2a, 0, 8);
	a = fake_ring_cmd(&x.f, 1, cdb, 10, &l, 1);
	rw10(cdb, 0x28, 8, 8);
	b = fake_ring_cmd(&x.f, 2, cdb, 10, &l, 1);
	c = fake_ring_cmd(&x.f, 3, sync10, 10, NULL, 0);
	slow.fail_tag = -1;
	/* Round 1: all three queued, the flush (newest) finishes. */
	serve_round(&x.s, false);
	assert_int_equal(slow.flushes, 1);
	assert_int_equal(mb->cmd_tail, 0);	/* a is not done: nothing published */
	/* Round 2: b finishes; still nothing. */
	serve_round(&x.s, false);
	assert_int_equal(mb->cmd_tail, 0);
	/* Round 3: a finishes, and all three are answered at once. */
	serve_round(&x.s, false);
	assert_int_equal(mb->cmd_tail, mb->cmd_head);
	assert_int_equal(status(&x, a), SCSI_GOOD);
	assert_int_equal(status(&x, b), SCSI_GOOD);
	assert_int_equal(status(&x, c), SCSI_GOOD);
	assert_int_equal(x.s.st.flushes, 1);
	assert_int_equal(x.s.nr_free, SERVE_TAGS);
	assert_int_equal(x.s.inflight, 0);
	teardown(&x);
}

/* A store error fails the one command, as a MEDIUM ERROR. */
static void test_store_error(void **state)
{
	const size_t l[2] = { 2048, 2048 };
	struct tcmu_cmd_entry *e;
	struct fixture x;
	__u8 cdb[10];
	__u32 a;

	(void)state;
	setup(&x, &slow_ops);
	rw10(cdb, 0x28, 0, 8);
	a = fake_ring_cmd(&x.f, 1, cdb, 10, l, 2);
	/* Tags come from the top of the free list: the first segment's. */
	slow.fail_tag = 0;
	while (fake_mb(&x.f)->cmd_tail != fake_mb(&x.f)->cmd_head)
		assert_true(serve_round(&x.s, false) >= 0);
	e = fake_entry(&x.f, a);
	assert_int_equal(e->rsp.scsi_status, SCSI_CHECK_CONDITION);
	assert_int_equal(e->rsp.sense_buffer[2], SENSE_MEDIUM_ERROR);
	assert_int_equal((__u8)e->rsp.sense_buffer[12], ASC_READ_ERROR);
	assert_int_equal(x.s.st.io_errors, 1);
	teardown(&x);
}

/* A broken ring stops the loop with -EPROTO. */
static void test_broken_ring(void **state)
{
	const size_t l = 4096;
	struct fixture x;
	__u8 cdb[10];
	__u32 a;

	(void)state;
	setup(&x, &store_ram_ops);
	rw10(cdb, 0x28, 0, 8);
	a = fake_ring_cmd(&x.f, 1, cdb, 10, &l, 1);
	fake_entry(&x.f, a)->req.iov[0].iov_len = x.f.size;
	assert_int_equal(serve_round(&x.s, false), -EPROTO);
	assert_int_equal(fake_mb(&x.f)->cmd_tail, 0);
	teardown(&x);
}

/*
 * serve_run() whole: a socket stands in for /dev/uioN (4 bytes each way:
 * the kernel's notification in, our completion kick out), an eventfd stops
 * it.  Commands posted while it sleeps are served; it stops when told.
 */
struct runner {
	struct serve *s;
	int ret;
};

static void *run_thread(void *arg)
{
	struct runner *r = arg;

	r->ret = serve_run(r->s);
	return NULL;
}

/* Wait (bounded) for a completion kick from the loop. */
static void wait_kick(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	__u32 v;

	assert_int_equal(poll(&p, 1, 5000), 1);
	assert_int_equal(read(fd, &v, sizeof(v)), sizeof(v));
	assert_int_equal(v, 1);
}

static void test_run_loop(void **state)
{
	const size_t l = 4096;
	const __u32 notify = 1;
	const __u64 stop = 1;
	struct runner r = { 0 };
	struct fixture x;
	struct tcmu_mailbox *mb;
	pthread_t t;
	__u8 cdb[10];
	int sv[2], efd;

	(void)state;
	setup(&x, &store_ram_ops);
	mb = fake_mb(&x.f);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	efd = eventfd(0, 0);
	assert_true(efd >= 0);
	x.s.uio_fd = sv[0];
	x.s.stop_fd = efd;
	r.s = &x.s;
	assert_int_equal(pthread_create(&t, NULL, run_thread, &r), 0);
	/* Two batches, each posted and then notified, as the kernel does. */
	for (int batch = 0; batch < 2; batch++) {
		rw10(cdb, 0x2a, batch * 8, 8);
		fake_ring_cmd(&x.f, 1 + batch * 2, cdb, 10, &l, 1);
		rw10(cdb, 0x28, batch * 8, 8);
		fake_ring_cmd(&x.f, 2 + batch * 2, cdb, 10, &l, 1);
		assert_int_equal(write(sv[1], &notify, sizeof(notify)), sizeof(notify));
		wait_kick(sv[1]);
		/* One kick may come before both are answered: wait for the tail. */
		for (int i = 0; i < 500 && __atomic_load_n(&mb->cmd_tail, __ATOMIC_ACQUIRE) != mb->cmd_head; i++)
			wait_kick(sv[1]);
		assert_int_equal(mb->cmd_tail, mb->cmd_head);
	}
	assert_int_equal(write(efd, &stop, sizeof(stop)), sizeof(stop));
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(r.ret, 0);
	assert_int_equal(x.s.st.reads, 2);
	assert_int_equal(x.s.st.writes, 2);
	/*
	 * It slept at least to see the stop.  Not twice: a thread the host
	 * delays can find both batches posted in turn and the stop with them
	 * (seen once, beside a guest on both cores).
	 */
	assert_true(x.s.st.sleeps >= 1);
	assert_true(x.s.st.notifies >= 2);
	close(sv[0]);
	close(sv[1]);
	close(efd);
	teardown(&x);
}

/* The UIO device going away ends the loop with an error, not a spin. */
static void test_run_uio_gone(void **state)
{
	struct runner r = { 0 };
	struct fixture x;
	int sv[2], efd;

	(void)state;
	setup(&x, &store_ram_ops);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	efd = eventfd(0, 0);
	x.s.uio_fd = sv[0];
	x.s.stop_fd = efd;
	r.s = &x.s;
	close(sv[1]);		/* POLLHUP on ours */
	run_thread(&r);
	assert_int_equal(r.ret, -ENODEV);
	close(sv[0]);
	close(efd);
	teardown(&x);
}

int run_serve_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_read),
		cmocka_unit_test(test_check_condition),
		cmocka_unit_test(test_emulated),
		cmocka_unit_test(test_async_in_order),
		cmocka_unit_test(test_store_error),
		cmocka_unit_test(test_broken_ring),
		cmocka_unit_test(test_run_loop),
		cmocka_unit_test(test_run_uio_gone),
	};

	return cmocka_run_group_tests_name("tcmu serve", tests, NULL, NULL);
}
