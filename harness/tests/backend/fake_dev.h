/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-in for the kernel side: a valid ubmap_info, ctrl and window in
 * plain memory, and a COMMIT_FETCH that hands out a scripted list of
 * requests and checks the backend keeps the protocol.
 */
#ifndef UBMAPD_FAKE_DEV_H
#define UBMAPD_FAKE_DEV_H

#include <stdatomic.h>
#include <stdbool.h>

#include "device.h"

/* Ways to spoil a handed-out descriptor. */
enum fake_corrupt {
	FAKE_OK = 0,
	FAKE_BAD_OP,
	FAKE_BAD_WINDOW,	/* window_off in another tag's slot */
	FAKE_WILD_WINDOW,	/* window_off far outside the window */
	FAKE_BEYOND_CAPACITY,
};

struct fake_req {
	__u8 op;
	__u64 offset;
	__u32 len;
	enum fake_corrupt corrupt;
	void *data;		/* WRITE: copied in; READ: copied out */
	int result;		/* set at commit; FAKE_PENDING before */
	bool fetched;
};

#define FAKE_PENDING	1

struct fake_kernel {
	struct ubmapd_dev dev;		/* first: commit_fetch gets &dev */
	void *ctrl;
	void *window;
	unsigned int qid;		/* the one queue being driven */

	struct fake_req *reqs;
	unsigned int nr_reqs;
	unsigned int next;		/* next request to hand out */
	int *tag_req;			/* -1 free, else request index */
	__u16 *gen;			/* by tag, as the kernel's handles */
	unsigned int outstanding;

	/* knobs */
	unsigned int eintr_at;		/* return -EINTR after commit on this call */
	unsigned int stop_at;		/* set *stop on this call */
	atomic_int *stop;
	bool bogus_tag;			/* hand out tag == depth */
	bool reject_second_completion;	/* once: -EINVAL, nr_completed 1 */
	bool nowait_eagain;		/* empty NOWAIT fetch: -EAGAIN */

	/* observations */
	unsigned int ioctls;
	unsigned int max_completions;	/* most committed in one call */
	unsigned int last_max_fetch;
	unsigned int eagains;		/* -EAGAIN returned */
	bool deadlock;			/* blocking fetch while holding tags */
	bool bad_batch;			/* reserved/queue fields wrong */
	unsigned int stale;		/* completions with an old handle */
};

/* A valid info: @nr_queues x @depth tags, @slot-byte slots, @capacity. */
void fake_info(struct ubmap_info *info, unsigned int nr_queues,
	       unsigned int depth, unsigned int slot, __u64 capacity);

/* Allocate ctrl/window for @info and wire dev.commit_fetch. */
void fake_kernel_init(struct fake_kernel *fk, const struct ubmap_info *info,
		      unsigned int qid);
void fake_kernel_free(struct fake_kernel *fk);

#endif /* UBMAPD_FAKE_DEV_H */
