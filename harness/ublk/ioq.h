/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One thread per ublk queue, each with its own io_uring on /dev/ublkcN:
 * FETCH_REQ for every tag once, then for each request that arrives, serve
 * it through the store and answer with COMMIT_AND_FETCH_REQ (the result and
 * the next fetch in one command).  A thread leaves only when the kernel has
 * given back every tag (UBLK_IO_RES_ABORT, after STOP_DEV): leaving with
 * commands outstanding would leave the thread stuck in exit.
 */
#ifndef UBLKD_IOQ_H
#define UBLKD_IOQ_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <liburing.h>

#include "iod.h"
#include "store.h"

/* Breaks a thread out of its io_uring wait (handler does nothing). */
#define IOQ_KICK_SIGNAL		SIGUSR1
/* Bad descriptors logged per queue before we only count them. */
#define IOQ_BAD_IOD_LOG		10

/* What the queues share. */
struct ioq_shared {
	int cdev_fd;			/* /dev/ublkcN, opened once */
	struct store *store;
	struct iod_geometry geo;
};

struct ioq_stats {
	unsigned long long served;	/* requests fetched and answered */
	unsigned long long reads, writes, flushes;	/* valid ones, by op */
	unsigned long long read_bytes, write_bytes;
	unsigned long long enters;	/* io_uring_enter calls on the ring */
	unsigned long long waits;	/* blocking waits on the store */
	unsigned long long bad_iod;	/* answered -EIO without trusting */
	unsigned long long io_errors;	/* store results < 0 */
	unsigned long long aborted;	/* tags the kernel gave back */
};

enum ioq_tag_state {
	TAG_KERNEL,		/* a FETCH or COMMIT_AND_FETCH is out (or prepared) */
	TAG_STORE,		/* queued in an async store */
	TAG_IDLE,		/* never fetched, being served, or given back */
};

struct ioq_group;

struct ioq {
	const struct ioq_shared *sh;
	unsigned int qid;
	unsigned int depth;
	const struct ublksrv_io_desc *iods;	/* the kernel's, read-only */
	size_t iods_len;
	char *bufs;			/* depth * geo.max_io bytes */
	size_t bufs_len;
	struct io_uring ring;
	bool ring_ready;

	struct ubmap_io_desc *descs;	/* per tag: what the store was given */
	struct ubmap_completion *reaped;	/* depth */
	unsigned char *state;		/* per tag: enum ioq_tag_state */
	unsigned int in_kernel;		/* tags in TAG_KERNEL */
	unsigned int inflight;		/* tags in TAG_STORE */
	bool failing;			/* after a fatal error: answer -EIO */

	struct ioq_stats st;
	int status;			/* 0, or the first fatal -errno */
	struct ioq_group *group;
	pthread_t thread;
};

/* Buffers for queue @qid of @sh; nothing is mapped or set up yet. */
int ioq_init(struct ioq *q, const struct ioq_shared *sh, unsigned int qid,
	     unsigned int depth);
void ioq_exit(struct ioq *q);

/* The 16-byte io command in a 64-byte @sqe; user_data is the tag. */
void ioq_prep_cmd(struct io_uring_sqe *sqe, int fd, __u32 op,
		  unsigned int qid, unsigned int tag, int result, __u64 addr);

/* The buffer given to the kernel for @tag. */
static inline __u64 ioq_buf(const struct ioq *q, unsigned int tag)
{
	return (__u64)(uintptr_t)(q->bufs + (size_t)tag * q->sh->geo.max_io);
}

struct ioq_group {
	struct ioq *queues;
	unsigned int nr;
	unsigned int created;
	pthread_t main;			/* kicked when a queue thread ends */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int reported;		/* queues done with their setup */
	int setup_err;			/* first setup error */
	atomic_uint exited;
	atomic_uint failed;		/* queues answering -EIO to all */
	atomic_int hard_stop;		/* leave now, tags or not */
};

/* Install the no-op handler for IOQ_KICK_SIGNAL (without SA_RESTART). */
int ioq_kick_setup(void);

/**
 * ioq_group_start() - one thread per queue; returns once every queue has
 * every tag fetching (0), or the first setup error.  Either way the threads
 * run until the kernel gives their tags back: send STOP_DEV, then join.
 * The caller has IOQ_KICK_SIGNAL blocked; threads unblock it for themselves.
 */
int ioq_group_start(struct ioq_group *g, struct ioq *queues, unsigned int nr);

/* Has a queue thread ended or given up serving? */
static inline bool ioq_group_any_failed(struct ioq_group *g)
{
	return atomic_load(&g->exited) || atomic_load(&g->failed);
}

/* Make every thread leave at once (STOP_DEV failed: nothing else will). */
void ioq_group_hard_stop(struct ioq_group *g);
/* Join every thread; the first thread error, or 0. */
int ioq_group_join(struct ioq_group *g);

#endif /* UBLKD_IOQ_H */
