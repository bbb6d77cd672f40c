// SPDX-License-Identifier: GPL-2.0
/*
 * The ring loop.  Shape of one iteration:
 *
 *   1. if the store has I/O in flight, collect what finished - blocking for
 *      it only when there is nothing else to hand back;
 *   2. one COMMIT_FETCH ioctl: all pending completions out, up to max_fetch
 *      new tags in.  It may block only when nothing is in flight in the
 *      store, otherwise NOWAIT (a blocked fetch would sit on finished I/O
 *      that fio is waiting for);
 *   3. validate and start every fetched request.
 *
 * So the thread blocks in exactly one place at a time - the store when it
 * has work in flight, the kernel when it has none - and never spins.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "desc.h"
#include "log.h"
#include "queue.h"
#include "ucopy.h"

int queue_init(struct queue *q, struct ubmapd_dev *dev, struct store *s,
	       unsigned int qid, unsigned int max_fetch, atomic_int *stop)
{
	memset(q, 0, sizeof(*q));
	q->dev = dev;
	q->store = s;
	q->qid = qid;
	q->depth = dev->info.queue_depth;
	if (!max_fetch || max_fetch > q->depth)
		max_fetch = q->depth;
	q->max_fetch = max_fetch;
	q->stop = stop;
	q->tags = calloc(max_fetch, sizeof(*q->tags));
	q->compl = calloc(q->depth, sizeof(*q->compl));
	q->handles = calloc(q->depth, sizeof(*q->handles));
	q->ucopy = calloc(q->depth, sizeof(*q->ucopy));
	if (!q->tags || !q->compl || !q->handles || !q->ucopy) {
		queue_exit(q);
		return -ENOMEM;
	}
	return 0;
}

void queue_exit(struct queue *q)
{
	free(q->tags);
	free(q->compl);
	free(q->handles);
	for (unsigned int i = 0; q->ucopy && i < q->depth; i++)
		ucopy_free(&q->ucopy[i]);
	free(q->ucopy);
	q->ucopy = NULL;
	q->tags = NULL;
	q->compl = NULL;
	q->handles = NULL;
}

/* Completions name the handle the kernel fetched the tag under. */
static inline void queue_complete(struct queue *q, __u32 tag, int result)
{
	q->compl[q->ncompl].tag = q->handles[tag];
	q->compl[q->ncompl].result = result;
	q->ncompl++;
}

/* Serve one fetched handle; returns -EPROTO if the kernel broke the protocol. */
static int queue_handle(struct queue *q, __u32 handle)
{
	const struct store_ops *ops = q->store->ops;
	__u32 tag = UBMAP_HANDLE_TAG(handle);
	struct ubmap_io_desc d;
	enum desc_check chk;
	void *data;
	int ret;

	if (tag >= q->depth) {
		ub_err("queue %u: kernel handed out tag %u >= queue depth %u",
		       q->qid, tag, q->depth);
		return -EPROTO;
	}
	q->handles[tag] = handle;
	/* Each tag owns one completion slot; more means a tag came twice. */
	if (q->ncompl + q->inflight >= q->depth) {
		ub_err("queue %u: kernel handed out tag %u while %u requests are outstanding",
		       q->qid, tag, q->ncompl + q->inflight);
		return -EPROTO;
	}
	/*
	 * One copy of the kernel's descriptor; the barrier keeps the compiler
	 * from re-reading the shared page after it was validated.
	 */
	memcpy(&d, dev_desc(q->dev, q->qid, tag), sizeof(d));
	__asm__ __volatile__("" ::: "memory");

	chk = desc_validate(&q->dev->info, &d, q->qid, handle);
	if (chk != DESC_OK) {
		if (q->st.bad_desc < QUEUE_BAD_DESC_LOG)
			ub_err("queue %u tag %u: bad descriptor (%s): op %u queue %u tag %u offset %llu len %u window_off %llu; failing it with EIO%s",
			       q->qid, tag, desc_check_str(chk), d.op, d.queue,
			       d.tag, (unsigned long long)d.offset, d.len,
			       (unsigned long long)d.window_off,
			       q->st.bad_desc + 1 == QUEUE_BAD_DESC_LOG ?
			       " (further ones are only counted)" : "");
		q->st.bad_desc++;
		queue_complete(q, tag, -EIO);
		return 0;
	}
	data = dev_data(q->dev, &d);
	if (d.flags & UBMAP_DESC_F_USER_COPY) {
		ret = ucopy_start(q->dev, &q->ucopy[tag], &d, &data);
		if (ret) {
			q->st.io_errors++;
			queue_complete(q, tag, ret);
			return 0;
		}
	}
	ret = ops->queue_io(q->store, q->qid, &d, data);
	if (ret == STORE_QUEUED) {
		q->inflight++;
		return 0;
	}
	ret = ucopy_finish(q->dev, &q->ucopy[tag], ret > 0 ? -EIO : ret);
	if (ret)
		q->st.io_errors++;
	queue_complete(q, tag, ret);
	return 0;
}

static int queue_reap(struct queue *q, int wait)
{
	int n;

	if (wait)
		q->st.waits++;
	n = q->store->ops->reap(q->store, q->qid, q->compl + q->ncompl,
				q->depth - q->ncompl, wait);
	if (n < 0)
		return n;
	if ((unsigned int)n > q->inflight) {
		ub_err("queue %u: store reaped %d requests, only %u in flight",
		       q->qid, n, q->inflight);
		return -EPROTO;
	}
	for (int i = 0; i < n; i++) {
		struct ubmap_completion *c = &q->compl[q->ncompl + i];

		/* The store answers by tag; the kernel wants the handle. */
		if (c->tag >= q->depth) {
			ub_err("queue %u: store reaped tag %u >= queue depth %u",
			       q->qid, c->tag, q->depth);
			return -EPROTO;
		}
		c->result = ucopy_finish(q->dev, &q->ucopy[c->tag], c->result);
		c->tag = q->handles[c->tag];
		if (c->result < 0)
			q->st.io_errors++;
	}
	q->ncompl += n;
	q->inflight -= n;
	return n;
}

/*
 * One COMMIT_FETCH.  Drops the completions the kernel consumed, even on
 * error (nr_completed says how far it got).  Returns the ioctl's result.
 */
static int queue_commit_fetch(struct queue *q, unsigned int max_fetch,
			      __u32 flags, unsigned int *nr_fetched)
{
	struct ubmap_batch b;
	unsigned int done;
	int ret;

	memset(&b, 0, sizeof(b));
	b.queue = q->qid;
	b.flags = flags;
	b.completions = (uintptr_t)q->compl;
	b.nr_completions = q->ncompl;
	b.tags = (uintptr_t)q->tags;
	b.max_fetch = max_fetch;
	ret = q->dev->commit_fetch(q->dev, &b);
	q->st.ioctls++;
	*nr_fetched = 0;

	done = b.nr_completed;
	if (done > q->ncompl) {
		ub_err("queue %u: kernel consumed %u of %u completions",
		       q->qid, done, q->ncompl);
		return -EPROTO;
	}
	if (done) {
		q->st.committed += done;
		q->ncompl -= done;
		memmove(q->compl, q->compl + done,
			q->ncompl * sizeof(*q->compl));
	}
	/* "Nothing ready" may come as -EAGAIN from a NOWAIT fetch. */
	if (ret == -EAGAIN && (flags & UBMAP_BATCH_NOWAIT)) {
		ret = 0;
		b.nr_fetched = 0;
	}
	if (ret)
		return ret;
	if (q->ncompl) {
		/* Success must mean all of them; a rejected one is -EINVAL. */
		ub_err("queue %u: kernel left %u completions unconsumed",
		       q->qid, q->ncompl);
		return -EPROTO;
	}
	if (b.nr_fetched > max_fetch) {
		ub_err("queue %u: kernel fetched %u tags, room for %u",
		       q->qid, b.nr_fetched, max_fetch);
		return -EPROTO;
	}
	*nr_fetched = b.nr_fetched;
	q->st.fetched += b.nr_fetched;
	return 0;
}

static bool queue_stopping(const struct queue *q)
{
	return atomic_load_explicit(q->stop, memory_order_relaxed);
}

/* Finish in-flight store I/O and hand back every result, fetching none. */
static int queue_drain(struct queue *q)
{
	unsigned int nr;
	int ret, tries = 0;

	while (q->inflight) {
		ret = queue_reap(q, 1);
		if (ret == -EINTR)
			continue;	/* the stop kick; the I/O still ends */
		if (ret < 0)
			return ret;
	}
	if (q->shutdown)
		return 0;	/* nobody to hand them to */
	while (q->ncompl) {
		ret = queue_commit_fetch(q, 0, UBMAP_BATCH_NOWAIT, &nr);
		if (ret == -EINTR && ++tries < 100)
			continue;
		if (ret == -ESHUTDOWN)
			return 0;
		if (ret) {
			ub_err("queue %u: cannot hand back %u completions at exit: %s",
			       q->qid, q->ncompl, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

int queue_run(struct queue *q)
{
	const bool async = q->store->ops->reap != NULL;
	unsigned int nr;
	int ret, err = 0;

	while (!queue_stopping(q)) {
		if (async && q->inflight) {
			ret = queue_reap(q, q->ncompl == 0);
			if (ret == -EINTR)
				continue;
			if (ret < 0) {
				err = ret;
				break;
			}
		}
		ret = queue_commit_fetch(q, q->max_fetch,
					 q->inflight ? UBMAP_BATCH_NOWAIT : 0, &nr);
		if (ret == -EINTR)
			continue;
		if (ret == -ESHUTDOWN) {
			ub_info("queue %u: the device is going away", q->qid);
			q->shutdown = true;
			break;
		}
		if (ret) {
			if (ret != -EPROTO)
				ub_err("queue %u: UBMAP_IOC_COMMIT_FETCH: %s",
				       q->qid, strerror(-ret));
			err = ret;
			break;
		}
		for (unsigned int i = 0; i < nr; i++) {
			ret = queue_handle(q, q->tags[i]);
			if (ret) {
				err = ret;
				break;
			}
		}
		if (err)
			break;
	}
	ret = queue_drain(q);
	return err ? err : ret;
}

/* ---- threads ---- */

static void queue_kick_handler(int sig)
{
	(void)sig;	/* only here so the blocking syscall returns EINTR */
}

int queue_kick_setup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = queue_kick_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: we want the EINTR */
	return sigaction(QUEUE_KICK_SIGNAL, &sa, NULL) ? -errno : 0;
}

static void *queue_thread(void *arg)
{
	struct queue *q = arg;
	struct queue_group *g = q->group;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, QUEUE_KICK_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	pthread_mutex_lock(&g->lock);
	g->started++;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);

	q->status = queue_run(q);

	atomic_fetch_add(&g->exited, 1);
	pthread_kill(g->waiter, QUEUE_KICK_SIGNAL);
	return NULL;
}

int queue_group_start(struct queue_group *g, struct queue *queues,
		      unsigned int nr, atomic_int *stop)
{
	int ret = 0;

	memset(g, 0, sizeof(*g));
	g->queues = queues;
	g->nr = nr;
	g->stop = stop;
	g->waiter = pthread_self();
	atomic_init(&g->exited, 0);
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->cond, NULL);

	for (unsigned int i = 0; i < nr; i++) {
		queues[i].group = g;
		ret = pthread_create(&queues[i].thread, NULL, queue_thread,
				     &queues[i]);
		if (ret) {
			ub_err("cannot start thread for queue %u: %s", i,
			       strerror(ret));
			ret = -ret;
			break;
		}
		g->created++;
	}
	pthread_mutex_lock(&g->lock);
	while (g->started < g->created)
		pthread_cond_wait(&g->cond, &g->lock);
	pthread_mutex_unlock(&g->lock);
	return ret;
}

int queue_group_stop(struct queue_group *g)
{
	int status = 0;

	atomic_store(g->stop, 1);
	for (unsigned int i = 0; i < g->created; i++) {
		struct queue *q = &g->queues[i];

		/*
		 * A kick can land between the thread's stop check and its
		 * blocking call, so repeat it until the thread is gone.
		 */
		for (;;) {
			struct timespec ts;

			pthread_kill(q->thread, QUEUE_KICK_SIGNAL);
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 20 * 1000 * 1000;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			if (pthread_timedjoin_np(q->thread, NULL, &ts) == 0)
				break;
		}
		if (q->status && !status)
			status = q->status;
	}
	g->created = 0;
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->cond);
	return status;
}
