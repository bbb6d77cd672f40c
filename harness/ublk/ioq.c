// SPDX-License-Identifier: GPL-2.0
/*
 * The ublk queue loop.  Shape of one iteration:
 *
 *   1. if the store has I/O in flight, collect what finished - blocking for
 *      it only when there is nothing else to hand back or serve;
 *   2. one io_uring_enter: every prepared COMMIT_AND_FETCH goes out; it
 *      waits for a new request only when the store has nothing in flight;
 *   3. serve every request that arrived.
 *
 * As in ubmapd, the thread blocks in one place at a time and never spins.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ioq.h"
#include "log.h"

int ioq_init(struct ioq *q, const struct ioq_shared *sh, unsigned int qid,
	     unsigned int depth)
{
	memset(q, 0, sizeof(*q));
	q->sh = sh;
	q->qid = qid;
	q->depth = depth;
	q->iods = MAP_FAILED;
	q->bufs = MAP_FAILED;
	q->descs = calloc(depth, sizeof(*q->descs));
	q->reaped = calloc(depth, sizeof(*q->reaped));
	q->state = malloc(depth);
	if (!q->descs || !q->reaped || !q->state) {
		ioq_exit(q);
		return -ENOMEM;
	}
	memset(q->state, TAG_IDLE, depth);
	return 0;
}

void ioq_exit(struct ioq *q)
{
	if (q->ring_ready)
		io_uring_queue_exit(&q->ring);
	q->ring_ready = false;
	if (q->iods != MAP_FAILED)
		munmap((void *)q->iods, q->iods_len);
	if (q->bufs != MAP_FAILED)
		munmap(q->bufs, q->bufs_len);
	q->iods = MAP_FAILED;
	q->bufs = MAP_FAILED;
	free(q->descs);
	free(q->reaped);
	free(q->state);
	q->descs = NULL;
	q->reaped = NULL;
	q->state = NULL;
}

_Static_assert(sizeof(struct ublksrv_io_cmd) <= 16, "io cmd fits a 64-byte SQE");

void ioq_prep_cmd(struct io_uring_sqe *sqe, int fd, __u32 op,
		  unsigned int qid, unsigned int tag, int result, __u64 addr)
{
	struct ublksrv_io_cmd cmd = {
		.q_id = qid,
		.tag = tag,
		.result = result,
		.addr = addr,
	};

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = op;
	memcpy(sqe->cmd, &cmd, sizeof(cmd));
	io_uring_sqe_set_data64(sqe, tag);
}

/* Queue a command for @tag; the ring has a slot per tag, so it never fills. */
static void ioq_queue_cmd(struct ioq *q, unsigned int tag, __u32 op, int result)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&q->ring);

	if (!sqe) {
		/*
		 * depth entries, one command per tag, each tag at most once
		 * between two submits: a full ring is a bug of ours.
		 */
		ub_err("queue %u: submission ring full at tag %u", q->qid, tag);
		abort();
	}
	ioq_prep_cmd(sqe, q->sh->cdev_fd, op, q->qid, tag, result,
		     ioq_buf(q, tag));
	/* Prepared counts as outstanding: the next enter submits it. */
	q->state[tag] = TAG_KERNEL;
	q->in_kernel++;
}

static void ioq_answer(struct ioq *q, unsigned int tag, int result)
{
	if (result < 0)
		q->st.io_errors++;
	ioq_queue_cmd(q, tag, UBLK_IO_COMMIT_AND_FETCH_REQ, result);
}

/* Map the descriptors, allocate buffers, make the ring: no tag fetched yet. */
static int ioq_setup(struct ioq *q)
{
	long page = sysconf(_SC_PAGESIZE);
	int ret;

	q->iods_len = iod_area_len(q->depth, page);
	q->iods = mmap(NULL, q->iods_len, PROT_READ, MAP_SHARED | MAP_POPULATE,
		       q->sh->cdev_fd, iod_area_offset(q->qid, page));
	if (q->iods == MAP_FAILED) {
		ret = -errno;
		ub_err("queue %u: cannot map its descriptors: %s", q->qid,
		       strerror(-ret));
		return ret;
	}
	/* The kernel copies into and out of these with GUP: plain memory. */
	q->bufs_len = (size_t)q->depth * q->sh->geo.max_io;
	q->bufs = mmap(NULL, q->bufs_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (q->bufs == MAP_FAILED) {
		ret = -errno;
		ub_err("queue %u: cannot allocate %zu bytes of buffers: %s",
		       q->qid, q->bufs_len, strerror(-ret));
		return ret;
	}
	/* One SQE per tag at most between two submits; CQ twice that. */
	ret = io_uring_queue_init(q->depth, &q->ring, 0);
	if (ret < 0) {
		ub_err("queue %u: io_uring_queue_init: %s", q->qid, strerror(-ret));
		return ret;
	}
	q->ring_ready = true;
	return 0;
}

/* By op, so a test can hold them against the disk's own statistics. */
static void ioq_count(struct ioq_stats *st, const struct ubmap_io_desc *d)
{
	if (d->op == UBMAP_OP_READ) {
		st->reads++;
		st->read_bytes += d->len;
	} else if (d->op == UBMAP_OP_WRITE) {
		st->writes++;
		st->write_bytes += d->len;
	} else {
		st->flushes++;
	}
}

/* Serve request @tag the kernel just handed us. */
static void ioq_serve(struct ioq *q, unsigned int tag)
{
	const struct store_ops *ops = q->sh->store->ops;
	struct ublksrv_io_desc iod;
	struct ubmap_io_desc *d = &q->descs[tag];
	enum iod_check chk;
	int ret;

	q->st.served++;
	if (q->failing) {
		ioq_answer(q, tag, -EIO);
		return;
	}
	/*
	 * One copy of the kernel's descriptor; the barrier keeps the compiler
	 * from reading the shared page again after the checks.
	 */
	memcpy(&iod, &q->iods[tag], sizeof(iod));
	__asm__ __volatile__("" ::: "memory");
	chk = iod_to_desc(&q->sh->geo, &iod, ioq_buf(q, tag), q->qid, tag, d);
	if (chk != IOD_OK) {
		if (q->st.bad_iod < IOQ_BAD_IOD_LOG)
			ub_err("queue %u tag %u: bad descriptor (%s): op_flags %#x start_sector %llu nr_sectors %u addr %#llx; failing it with %s%s",
			       q->qid, tag, iod_check_str(chk), iod.op_flags,
			       (unsigned long long)iod.start_sector, iod.nr_sectors,
			       (unsigned long long)iod.addr,
			       chk == IOD_BAD_OP ? "EOPNOTSUPP" : "EIO",
			       q->st.bad_iod + 1 == IOQ_BAD_IOD_LOG ?
			       " (further ones are only counted)" : "");
		q->st.bad_iod++;
		ioq_answer(q, tag, chk == IOD_BAD_OP ? -EOPNOTSUPP : -EIO);
		return;
	}
	ioq_count(&q->st, d);
	ret = ops->queue_io(q->sh->store, q->qid, d,
			    (void *)(uintptr_t)ioq_buf(q, tag));
	if (ret == STORE_QUEUED) {
		q->state[tag] = TAG_STORE;
		q->inflight++;
		return;
	}
	ioq_answer(q, tag, iod_result(d, ret));
}

/* After a fatal error: fail what the store held, and all that comes. */
static void ioq_fail(struct ioq *q, int err)
{
	if (!q->status)
		q->status = err;
	if (!q->failing) {
		/* The device is of no use now: main stops it. */
		atomic_fetch_add(&q->group->failed, 1);
		pthread_kill(q->group->main, IOQ_KICK_SIGNAL);
	}
	q->failing = true;
	for (unsigned int tag = 0; tag < q->depth; tag++) {
		if (q->state[tag] == TAG_STORE) {
			q->inflight--;
			ioq_answer(q, tag, -EIO);
		}
	}
}

/* Collect what the store finished; -EINTR or a fatal -errno. */
static int ioq_reap(struct ioq *q, int wait)
{
	int n;

	if (wait)
		q->st.waits++;
	n = q->sh->store->ops->reap(q->sh->store, q->qid, q->reaped,
				    q->depth, wait);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		unsigned int tag = q->reaped[i].tag;

		if (tag >= q->depth || q->state[tag] != TAG_STORE) {
			ub_err("queue %u: store finished tag %u, which it did not hold",
			       q->qid, tag);
			return -EPROTO;
		}
		q->inflight--;
		ioq_answer(q, tag, iod_result(&q->descs[tag], q->reaped[i].result));
	}
	return 0;
}

/* One CQE from the kernel: a request for its tag, or the tag given back. */
static int ioq_cqe(struct ioq *q, const struct io_uring_cqe *cqe)
{
	__u64 tag = io_uring_cqe_get_data64(cqe);

	if (tag >= q->depth || q->state[tag] != TAG_KERNEL) {
		ub_err("queue %u: completion for tag %llu, which has no command out",
		       q->qid, (unsigned long long)tag);
		return -EPROTO;
	}
	q->in_kernel--;
	q->state[tag] = TAG_IDLE;
	if (cqe->res == UBLK_IO_RES_OK) {
		ioq_serve(q, tag);
		return 0;
	}
	if (cqe->res == UBLK_IO_RES_ABORT) {
		q->st.aborted++;
		return 0;
	}
	/* The kernel refused a command of ours: the tag is lost to us. */
	ub_err("queue %u tag %llu: the kernel refused the command: %s", q->qid,
	       (unsigned long long)tag, strerror(-cqe->res));
	return -EPROTO;
}

static int ioq_loop(struct ioq *q)
{
	const bool async = q->sh->store->ops->reap != NULL;
	struct ioq_group *g = q->group;

	while ((q->in_kernel || q->inflight) && !atomic_load(&g->hard_stop)) {
		struct io_uring_cqe *cqe;
		unsigned int head, seen = 0;
		int ret;

		if (async && q->inflight) {
			bool idle = !io_uring_sq_ready(&q->ring) &&
				    !io_uring_cq_ready(&q->ring);

			ret = ioq_reap(q, idle);
			if (ret < 0 && ret != -EINTR) {
				ub_err("queue %u: the store failed: %s; failing every request from now on",
				       q->qid, strerror(-ret));
				ioq_fail(q, ret);
			}
		}
		ret = io_uring_submit_and_wait(&q->ring, q->inflight ? 0 : 1);
		q->st.enters++;
		if (ret < 0 && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY) {
			/* Nothing reaches the kernel any more: no way to go on. */
			ub_err("queue %u: io_uring_enter: %s", q->qid, strerror(-ret));
			if (!q->status)
				q->status = ret;
			return ret;
		}
		io_uring_for_each_cqe(&q->ring, head, cqe) {
			seen++;
			ret = ioq_cqe(q, cqe);
			if (ret && !q->failing)
				ioq_fail(q, ret);
		}
		io_uring_cq_advance(&q->ring, seen);
	}
	return q->status;
}

static void ioq_report_setup(struct ioq *q, int err)
{
	struct ioq_group *g = q->group;

	pthread_mutex_lock(&g->lock);
	if (err && !g->setup_err)
		g->setup_err = err;
	g->reported++;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

/* FETCH_REQ for every tag, in one submit; the driver marks each ready. */
static int ioq_fetch_all(struct ioq *q)
{
	int ret;

	for (unsigned int tag = 0; tag < q->depth; tag++)
		ioq_queue_cmd(q, tag, UBLK_IO_FETCH_REQ, 0);
	do
		ret = io_uring_submit(&q->ring);
	while (ret == -EINTR);
	if (ret < 0) {
		ub_err("queue %u: cannot submit its fetches: %s", q->qid,
		       strerror(-ret));
		return ret;
	}
	/* A fetch the kernel refused comes back as a CQE at once. */
	return 0;
}

static void *ioq_thread(void *arg)
{
	struct ioq *q = arg;
	sigset_t kick;
	int ret;

	sigemptyset(&kick);
	sigaddset(&kick, IOQ_KICK_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &kick, NULL);

	ret = ioq_setup(q);
	if (!ret) {
		ret = ioq_fetch_all(q);
		/* None went out: none will come back. */
		if (ret)
			q->in_kernel = 0;
	}
	if (ret) {
		q->status = ret;
		q->failing = true;
	}
	ioq_report_setup(q, ret);
	/* Even after a setup error: the fetches out must come back first. */
	if (q->in_kernel)
		ioq_loop(q);
	atomic_fetch_add(&q->group->exited, 1);
	pthread_kill(q->group->main, IOQ_KICK_SIGNAL);
	return NULL;
}

static void ioq_kick_handler(int sig)
{
	(void)sig;
}

int ioq_kick_setup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ioq_kick_handler;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the wait must return EINTR to see the stop. */
	return sigaction(IOQ_KICK_SIGNAL, &sa, NULL);
}

int ioq_group_start(struct ioq_group *g, struct ioq *queues, unsigned int nr)
{
	int ret = 0;

	memset(g, 0, sizeof(*g));
	g->queues = queues;
	g->nr = nr;
	g->main = pthread_self();
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->cond, NULL);
	for (; g->created < nr; g->created++) {
		struct ioq *q = &queues[g->created];

		q->group = g;
		ret = pthread_create(&q->thread, NULL, ioq_thread, q);
		if (ret) {
			ub_err("cannot start queue thread %u: %s", g->created,
			       strerror(ret));
			ret = -ret;
			break;
		}
	}
	pthread_mutex_lock(&g->lock);
	while (g->reported < g->created)
		pthread_cond_wait(&g->cond, &g->lock);
	if (!ret)
		ret = g->setup_err;
	pthread_mutex_unlock(&g->lock);
	return ret;
}

void ioq_group_hard_stop(struct ioq_group *g)
{
	atomic_store(&g->hard_stop, 1);
	for (unsigned int i = 0; i < g->created; i++)
		pthread_kill(g->queues[i].thread, IOQ_KICK_SIGNAL);
}

int ioq_group_join(struct ioq_group *g)
{
	int ret = 0;

	for (unsigned int i = 0; i < g->created; i++) {
		pthread_join(g->queues[i].thread, NULL);
		if (!ret)
			ret = g->queues[i].status;
	}
	g->created = 0;
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->cond);
	return ret;
}
