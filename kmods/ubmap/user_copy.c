// SPDX-License-Identifier: GPL-2.0
/*
 * pread/pwrite on the char device in the user_copy mode: the file offset
 * names a fetched request's slot (UBMAP_USER_COPY_OFF + window_off) plus a
 * byte offset into the request.  Only the backend holding the request may
 * copy, only in the request's direction, and only inside it.
 */
#include <linux/blk-mq.h>
#include <linux/bvec.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/uio.h>

#include "ubmap.h"

/* Copies between @iter and @rq's data from byte @pos on; returns bytes. */
static size_t ubmap_copy_rq_iter(struct request *rq, size_t pos,
				 struct iov_iter *iter, bool to_rq)
{
	struct req_iterator ri;
	struct bio_vec bv;
	size_t done = 0;

	rq_for_each_segment(bv, rq, ri) {
		size_t n, got;

		if (pos >= bv.bv_len) {
			pos -= bv.bv_len;
			continue;
		}
		n = min_t(size_t, bv.bv_len - pos, iov_iter_count(iter));
		if (!n)
			break;
		got = to_rq ? copy_page_from_iter(bv.bv_page, bv.bv_offset + pos,
						  n, iter) :
			      copy_page_to_iter(bv.bv_page, bv.bv_offset + pos,
						n, iter);
		done += got;
		if (got < n)
			break;	/* a fault in the backend's buffer */
		pos = 0;
	}
	return done;
}

/**
 * ubmap_user_copy() - the char device's read_iter/write_iter
 * @dev: the device; the caller checked the session is current's
 * @pos: the file offset
 * @iter: the backend's buffer
 * @to_rq: write(): into a READ request's pages
 *
 * Returns the bytes copied, or -EINVAL for an offset that is no fetched
 * request of this direction, or a range outside it; -EOPNOTSUPP in
 * another mode; -EFAULT when nothing could be copied.
 */
ssize_t ubmap_user_copy(struct ubmap_dev *dev, loff_t pos,
			struct iov_iter *iter, bool to_rq)
{
	size_t len = iov_iter_count(iter), in_rq, bytes, done;
	unsigned int slot, tag;
	struct ubmap_queue *q;
	struct request *rq;
	ssize_t ret;
	u64 off, t0;

	if (!dev->mode->user_copy)
		return -EOPNOTSUPP;
	if (pos < UBMAP_USER_COPY_OFF || !len)
		return len ? -EINVAL : 0;
	off = pos - UBMAP_USER_COPY_OFF;
	if (off >= ubmap_data_size(dev))
		return -EINVAL;
	slot = div_u64(off, dev->slot_size);
	in_rq = off - (u64)slot * dev->slot_size;
	q = &dev->queues[slot / dev->queue_depth];
	tag = slot % dev->queue_depth;

	/* The request cannot be committed (and end) while it is copied. */
	mutex_lock(&q->mutex);
	rq = q->fetched[tag];
	bytes = rq ? blk_rq_bytes(rq) : 0;
	if (!rq || req_op(rq) == REQ_OP_FLUSH ||
	    (rq_data_dir(rq) == READ) != to_rq ||
	    in_rq >= bytes || len > bytes - in_rq) {
		ubmap_count(q, UBMAP_STAT_protocol_errors, 1);
		ret = -EINVAL;
		goto unlock;
	}
	t0 = ktime_get_ns();
	done = ubmap_copy_rq_iter(rq, in_rq, iter, to_rq);
	ubmap_count(q, UBMAP_STAT_copy_ns, ktime_get_ns() - t0);
	ubmap_count(q, UBMAP_STAT_copy_bytes, done);
	ubmap_count(q, UBMAP_STAT_user_copy_calls, 1);
	ret = done ? done : -EFAULT;
unlock:
	mutex_unlock(&q->mutex);
	return ret;
}
