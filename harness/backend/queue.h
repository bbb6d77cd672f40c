/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One thread per hardware queue, each looping on UBMAP_IOC_COMMIT_FETCH:
 * hand back what finished, take the next batch, serve it through the store.
 */
#ifndef UBMAPD_QUEUE_H
#define UBMAPD_QUEUE_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "device.h"
#include "store.h"
#include "ucopy.h"

/*
 * Sent to a queue thread to break it out of a blocking ioctl or io_uring
 * wait (its handler does nothing; the syscall returns EINTR), and to the
 * main thread when a queue thread ends.
 */
#define QUEUE_KICK_SIGNAL	SIGUSR1

/* Bad descriptors logged per queue before we only count them. */
#define QUEUE_BAD_DESC_LOG	10

struct queue_stats {
	unsigned long long ioctls;	/* COMMIT_FETCH calls */
	unsigned long long fetched;	/* tags received */
	unsigned long long committed;	/* completions the kernel took */
	unsigned long long bad_desc;	/* answered -EIO without trusting */
	unsigned long long io_errors;	/* store results < 0 */
	unsigned long long waits;	/* blocking waits on the store */
};

struct queue_group;

struct queue {
	struct ubmapd_dev *dev;
	struct store *store;
	unsigned int qid;
	unsigned int depth;		/* info.queue_depth */
	unsigned int max_fetch;
	atomic_int *stop;		/* set: finish in-flight work, leave */

	__u32 *tags;			/* max_fetch handles, from the kernel */
	__u32 *handles;			/* depth: each tag's current handle */
	struct ucopy *ucopy;		/* depth: user_copy buffers */
	struct ubmap_completion *compl;	/* depth, pending commits */
	unsigned int ncompl;
	unsigned int inflight;		/* queued in an async store */
	bool shutdown;			/* kernel said ESHUTDOWN */

	struct queue_stats st;
	int status;			/* queue_run() result */

	struct queue_group *group;
	pthread_t thread;
};

/* Buffers for queue @qid; @max_fetch is clamped to 1..queue_depth. */
int queue_init(struct queue *q, struct ubmapd_dev *dev, struct store *s,
	       unsigned int qid, unsigned int max_fetch, atomic_int *stop);
void queue_exit(struct queue *q);

/**
 * queue_run() - the ring loop of one queue, in the calling thread
 *
 * Returns 0 when stopped through *q->stop or by ESHUTDOWN from the kernel,
 * a negative errno on a protocol or store error (already logged).
 * In-flight store I/O is drained and committed before returning.
 */
int queue_run(struct queue *q);

struct queue_group {
	struct queue *queues;
	unsigned int nr;
	atomic_int *stop;
	pthread_t waiter;		/* kicked when a queue thread ends */
	atomic_uint exited;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int started;
	unsigned int created;
};

/* Install the no-op handler for QUEUE_KICK_SIGNAL (without SA_RESTART). */
int queue_kick_setup(void);

/**
 * queue_group_start() - one thread per queue; returns once all are running
 *
 * The caller should have QUEUE_KICK_SIGNAL blocked: threads inherit the
 * mask and unblock only that signal for themselves.
 */
int queue_group_start(struct queue_group *g, struct queue *queues,
		      unsigned int nr, atomic_int *stop);

static inline bool queue_group_any_exited(struct queue_group *g)
{
	return atomic_load(&g->exited) != 0;
}

/* Set *stop, kick every thread until it is joined; first error or 0. */
int queue_group_stop(struct queue_group *g);

#endif /* UBMAPD_QUEUE_H */
