// SPDX-License-Identifier: GPL-2.0
/*
 * The backend's data path: COMMIT_FETCH ends the requests the backend
 * finished and hands it the next ones.  Both halves run in the backend's own
 * context, so the window's mm is current->mm and needs no foreign locking.
 */
#include <linux/blk-mq.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "ubmap.h"

static const enum ubmap_stat ubmap_fallback_stat[] = {
#define UBMAP_FB_STAT(name) [UBMAP_FB_##name] = UBMAP_STAT_fallback_##name,
	UBMAP_FALLBACKS(UBMAP_FB_STAT)
#undef UBMAP_FB_STAT
};

static inline struct ubmap_cmd *ubmap_rq_cmd(struct request *rq)
{
	return blk_mq_rq_to_pdu(rq);
}

/*
 * Collects the request's pages into cmd->pages if every segment is a whole
 * page: a partial page would show the backend bytes that are not the
 * request's.  Returns the page count, or 0 for "not mappable".
 */
static unsigned int ubmap_collect_pages(struct ubmap_dev *dev,
					struct request *rq,
					struct ubmap_cmd *cmd)
{
	unsigned int max = dev->slot_size >> PAGE_SHIFT, nr = 0;
	struct req_iterator iter;
	struct bio_vec bv;

	rq_for_each_segment(bv, rq, iter) {
		if (bv.bv_offset || bv.bv_len != PAGE_SIZE || nr == max)
			return 0;
		cmd->pages[nr++] = bv.bv_page;
	}
	return nr;
}

/* Maps the bounce slot's own pages, for a fallback in a zero-copy mode. */
static int ubmap_map_bounce(struct ubmap_dev *dev, struct ubmap_queue *q,
			    struct vm_area_struct *win, struct request *rq,
			    unsigned long slot)
{
	unsigned int i, nr = DIV_ROUND_UP(blk_rq_bytes(rq), PAGE_SIZE);
	struct ubmap_cmd *cmd = ubmap_rq_cmd(rq);
	u64 calls = 0;
	int ret;

	for (i = 0; i < nr; i++)
		cmd->pages[i] = vmalloc_to_page(dev->bounce + slot + i * PAGE_SIZE);
	ret = dev->mode->map(win, win->vm_start + slot, cmd->pages, nr,
			     rq_data_dir(rq) == READ, &calls);
	ubmap_count(q, UBMAP_STAT_map_calls, calls);
	if (ret)
		return ret;
	cmd->map_len = (unsigned long)nr * PAGE_SIZE;
	ubmap_count(q, UBMAP_STAT_bounce_pages_mapped, nr);
	return 0;
}

struct ubmap_desc_out {
	unsigned long slot;	/* in: the slot's offset in the window */
	u8 flags;		/* out: UBMAP_DESC_F_* */
};

/*
 * Makes a fetched request's data visible at its slot.  Returns 0, or a
 * negative errno for a request that must fail instead (strict mode, or the
 * bounce slot itself could not be mapped).
 */
static int ubmap_prepare(struct ubmap_dev *dev, struct ubmap_queue *q,
			 struct vm_area_struct *win, struct request *rq,
			 struct ubmap_desc_out *out)
{
	const struct ubmap_mode_ops *mode = dev->mode;
	struct ubmap_cmd *cmd = ubmap_rq_cmd(rq);
	unsigned long len = blk_rq_bytes(rq);
	enum ubmap_fallback why = UBMAP_FB_NONE;
	unsigned int i, nr;
	u64 t0, calls = 0;
	int ret;

	cmd->copied = false;
	cmd->map_len = 0;
	out->flags = 0;
	/* No data to show. */
	if (req_op(rq) == REQ_OP_FLUSH)
		return 0;
	if (mode->user_copy) {
		out->flags = UBMAP_DESC_F_USER_COPY;
		ubmap_count(q, UBMAP_STAT_requests_user_copied, 1);
		return 0;
	}
	if (!mode->map)
		goto copy;

	nr = ubmap_collect_pages(dev, rq, cmd);
	if (!nr)
		why = UBMAP_FB_unaligned;
	for (i = 0; mode->check_page && why == UBMAP_FB_NONE && i < nr; i++)
		why = mode->check_page(cmd->pages[i]);
	if (why == UBMAP_FB_NONE) {
		t0 = ktime_get_ns();
		ret = mode->map(win, win->vm_start + out->slot, cmd->pages, nr,
				rq_data_dir(rq) == READ, &calls);
		ubmap_count(q, UBMAP_STAT_map_ns, ktime_get_ns() - t0);
		ubmap_count(q, UBMAP_STAT_map_calls, calls);
		if (!ret) {
			cmd->map_len = len;
			out->flags = UBMAP_DESC_F_MAPPED;
			ubmap_count(q, UBMAP_STAT_requests_mapped, 1);
			ubmap_count(q, UBMAP_STAT_pages_mapped, nr);
			return 0;
		}
		why = UBMAP_FB_map_error;
	}
	ubmap_count(q, ubmap_fallback_stat[why], 1);
	if (dev->strict)
		return -EREMOTEIO;

copy:
	cmd->copied = true;
	out->flags = UBMAP_DESC_F_COPIED;
	ubmap_count(q, UBMAP_STAT_requests_copied, 1);
	if (rq_data_dir(rq) == WRITE) {
		t0 = ktime_get_ns();
		ubmap_copy_rq(rq, dev->bounce + out->slot, false);
		ubmap_count(q, UBMAP_STAT_copy_ns, ktime_get_ns() - t0);
		ubmap_count(q, UBMAP_STAT_copy_bytes, len);
	}
	if (!mode->map)
		return 0;
	t0 = ktime_get_ns();
	ret = ubmap_map_bounce(dev, q, win, rq, out->slot);
	ubmap_count(q, UBMAP_STAT_map_ns, ktime_get_ns() - t0);
	return ret;
}

/* Makes the slot of a fetched request empty again. */
static void ubmap_unmap_slot(struct ubmap_dev *dev, struct ubmap_queue *q,
			     struct vm_area_struct *win, struct request *rq)
{
	struct ubmap_cmd *cmd = ubmap_rq_cmd(rq);
	u64 t0, cleaned;

	/* No window: the backend unmapped it (or died), and the PTEs with it. */
	if (cmd->map_len && win) {
		t0 = ktime_get_ns();
		cleaned = dev->mode->unmap(win, win->vm_start +
					   ubmap_slot_off(dev, q->index, rq->tag),
					   cmd->map_len);
		ubmap_count(q, UBMAP_STAT_unmap_ns, ktime_get_ns() - t0);
		ubmap_count(q, UBMAP_STAT_read_pages_cleaned, cleaned);
		/* The slot's PTEs were present: the zap flushed the TLB. */
		ubmap_count(q, UBMAP_STAT_zap_calls, 1);
	}
	cmd->map_len = 0;
}

/* Unmaps, copies back and ends one request the backend is done with. */
static void ubmap_complete(struct ubmap_dev *dev, struct ubmap_queue *q,
			   struct vm_area_struct *win, struct request *rq,
			   int result)
{
	struct ubmap_cmd *cmd = ubmap_rq_cmd(rq);
	unsigned int tag = rq->tag;
	u64 t0;

	ubmap_unmap_slot(dev, q, win, rq);
	if (cmd->copied && rq_data_dir(rq) == READ && !result) {
		t0 = ktime_get_ns();
		ubmap_copy_rq(rq, dev->bounce + ubmap_slot_off(dev, q->index, tag),
			      true);
		ubmap_count(q, UBMAP_STAT_copy_ns, ktime_get_ns() - t0);
		ubmap_count(q, UBMAP_STAT_copy_bytes, blk_rq_bytes(rq));
	}
	q->fetched[tag] = NULL;
	cmd->state = UBMAP_CMD_IDLE;

	if (result) {
		ubmap_count(q, UBMAP_STAT_errors, 1);
	} else if (req_op(rq) == REQ_OP_FLUSH) {
		ubmap_count(q, UBMAP_STAT_flushes, 1);
	} else if (rq_data_dir(rq) == READ) {
		ubmap_count(q, UBMAP_STAT_reads, 1);
		ubmap_count(q, UBMAP_STAT_read_bytes, blk_rq_bytes(rq));
	} else {
		ubmap_count(q, UBMAP_STAT_writes, 1);
		ubmap_count(q, UBMAP_STAT_write_bytes, blk_rq_bytes(rq));
		ubmap_count(q, UBMAP_STAT_fua_writes, !!(rq->cmd_flags & REQ_FUA));
	}
	blk_mq_end_request(rq, result ? BLK_STS_IOERR : BLK_STS_OK);
}

static int ubmap_commit(struct ubmap_dev *dev, struct ubmap_queue *q,
			struct vm_area_struct *win, unsigned int nr, u32 *done)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		struct ubmap_completion *c = &q->cbuf[i];
		unsigned int tag = UBMAP_HANDLE_TAG(c->tag);
		struct request *rq;
		bool stale;

		stale = tag < dev->queue_depth && q->fetched[tag] &&
			UBMAP_HANDLE_GEN(c->tag) != q->gen[tag];
		if (tag >= dev->queue_depth || !q->fetched[tag] || stale ||
		    c->result > 0 || c->result < -MAX_ERRNO) {
			ubmap_count(q, UBMAP_STAT_stale_completions, stale);
			ubmap_count(q, UBMAP_STAT_protocol_errors, 1);
			*done = i;
			return -EINVAL;
		}
		rq = q->fetched[tag];
		if (c->result)
			ubmap_count(q, UBMAP_STAT_backend_errors, 1);
		ubmap_complete(dev, q, win, rq, c->result);
	}
	*done = nr;
	return 0;
}

static bool ubmap_has_pending(struct ubmap_queue *q)
{
	bool ret;

	spin_lock(&q->lock);
	ret = !list_empty(&q->pending);
	spin_unlock(&q->lock);
	return ret;
}

static u8 ubmap_desc_op(struct request *rq)
{
	switch (req_op(rq)) {
	case REQ_OP_FLUSH:
		return UBMAP_OP_FLUSH;
	case REQ_OP_WRITE:
		return UBMAP_OP_WRITE;
	default:
		return UBMAP_OP_READ;
	}
}

static unsigned int ubmap_fetch(struct ubmap_dev *dev, struct ubmap_queue *q,
				struct vm_area_struct *win, unsigned int max)
{
	unsigned int n = 0;

	while (n < max) {
		struct ubmap_desc_out out;
		struct ubmap_io_desc *desc;
		struct ubmap_cmd *cmd;
		struct request *rq;
		int ret;

		spin_lock(&q->lock);
		cmd = list_first_entry_or_null(&q->pending, struct ubmap_cmd,
					       node);
		if (cmd) {
			list_del_init(&cmd->node);
			cmd->state = UBMAP_CMD_FETCHED;
		}
		spin_unlock(&q->lock);
		if (!cmd)
			break;

		rq = blk_mq_rq_from_pdu(cmd);
		out.slot = ubmap_slot_off(dev, q->index, rq->tag);
		q->fetched[rq->tag] = rq;
		ret = ubmap_prepare(dev, q, win, rq, &out);
		if (ret) {
			ubmap_complete(dev, q, win, rq, ret);
			continue;
		}
		desc = ubmap_desc(dev, q->index, rq->tag);
		desc->op = ubmap_desc_op(rq);
		desc->flags = out.flags;
		if (rq->cmd_flags & REQ_FUA)
			desc->flags |= UBMAP_DESC_F_FUA;
		desc->queue = q->index;
		desc->tag = rq->tag;
		desc->handle = UBMAP_HANDLE(rq->tag, ++q->gen[rq->tag]);
		desc->len = blk_rq_bytes(rq);
		desc->offset = (u64)blk_rq_pos(rq) << SECTOR_SHIFT;
		desc->window_off = out.slot;
		q->tbuf[n++] = desc->handle;
		ubmap_count(q, UBMAP_STAT_fetched, 1);
	}
	return n;
}

/*
 * Gives fetched requests back to the pending list, in order, when their
 * tags could not reach the backend: it would never commit them.
 */
static void ubmap_unfetch(struct ubmap_dev *dev, struct ubmap_queue *q,
			  unsigned int n)
{
	struct vm_area_struct *win;

	mmap_read_lock(current->mm);
	win = ubmap_window_vma(dev);
	while (n--) {
		struct request *rq = q->fetched[UBMAP_HANDLE_TAG(q->tbuf[n])];
		struct ubmap_cmd *cmd = ubmap_rq_cmd(rq);

		ubmap_unmap_slot(dev, q, win, rq);
		q->fetched[rq->tag] = NULL;
		q->stats[UBMAP_STAT_fetched]--;
		spin_lock(&q->lock);
		cmd->state = UBMAP_CMD_PENDING;
		list_add(&cmd->node, &q->pending);
		spin_unlock(&q->lock);
	}
	mmap_read_unlock(current->mm);
}

/**
 * ubmap_commit_fetch() - the UBMAP_IOC_COMMIT_FETCH ioctl
 * @dev: the device; the caller checked current->mm is the backend's
 * @ubatch: the user's struct ubmap_batch
 */
long ubmap_commit_fetch(struct ubmap_dev *dev, struct ubmap_batch __user *ubatch)
{
	struct vm_area_struct *win;
	struct ubmap_batch b;
	struct ubmap_queue *q;
	unsigned int max, i;
	u32 done = 0;
	u64 owed = 0;
	long ret = 0;

	if (copy_from_user(&b, ubatch, sizeof(b)))
		return -EFAULT;
	b.nr_fetched = 0;
	if (b.queue >= dev->nr_queues || b.flags & ~UBMAP_BATCH_NOWAIT ||
	    b.nr_completions > dev->queue_depth)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(b.reserved); i++)
		if (b.reserved[i])
			return -EINVAL;
	q = &dev->queues[b.queue];
	max = min(b.max_fetch, dev->queue_depth);

	/* Faults on user memory take the mmap lock: copy in before taking it. */
	mutex_lock(&q->mutex);
	ubmap_count(q, UBMAP_STAT_fetch_calls, 1);
	if (b.nr_completions &&
	    copy_from_user(q->cbuf, u64_to_user_ptr(b.completions),
			   b.nr_completions * sizeof(*q->cbuf))) {
		ret = -EFAULT;
		goto unlock;
	}
	mmap_read_lock(current->mm);
	win = ubmap_window_vma(dev);
	if (!win || !ubmap_ctrl_mapped(dev)) {
		mmap_read_unlock(current->mm);
		ret = -ENXIO;
		goto unlock;
	}
	ret = ubmap_commit(dev, q, win, b.nr_completions, &done);
	mmap_read_unlock(current->mm);
	if (ret || !max)
		goto unlock;
	mutex_unlock(&q->mutex);

	if (!(b.flags & UBMAP_BATCH_NOWAIT)) {
		/* Not -ERESTARTSYS: the completions are consumed already, and a
		 * backend stopping its threads with a signal must see -EINTR.
		 */
		if (wait_event_interruptible(q->wait, ubmap_has_pending(q))) {
			ret = -EINTR;
			goto out;
		}
	}

	mutex_lock(&q->mutex);
	mmap_read_lock(current->mm);
	win = ubmap_window_vma(dev);
	if (win && ubmap_ctrl_mapped(dev))
		b.nr_fetched = ubmap_fetch(dev, q, win, max);
	else
		ret = -ENXIO;
	mmap_read_unlock(current->mm);
	if (b.nr_fetched &&
	    copy_to_user(u64_to_user_ptr(b.tags), q->tbuf,
			 b.nr_fetched * sizeof(*q->tbuf))) {
		ubmap_unfetch(dev, q, b.nr_fetched);
		ret = -EFAULT;
	} else {
		owed = ubmap_inject_owed(dev, q, b.nr_fetched);
		if (owed) {
			ubmap_count(q, UBMAP_STAT_injected, b.nr_fetched);
			ubmap_count(q, UBMAP_STAT_injected_ns, owed);
		}
	}
unlock:
	mutex_unlock(&q->mutex);
	ubmap_inject(owed);
out:
	/* Reported on every return, so a retry never commits a tag twice. */
	if (put_user(done, &ubatch->nr_completed) && !ret)
		ret = -EFAULT;
	if (put_user(ret ? 0 : b.nr_fetched, &ubatch->nr_fetched) && !ret)
		ret = -EFAULT;
	return ret;
}

/**
 * ubmap_fail_all() - fail every request a detaching backend holds or has
 *	not fetched yet
 * @dev: the device
 * @s: the session detaching
 * @mm: its mm, dying with the window still mapped: the slots are unmapped
 *	there first.  NULL when no window is left (at release every vma is
 *	gone: each held a reference on the file).
 */
void ubmap_fail_all(struct ubmap_dev *dev, struct ubmap_session *s,
		    struct mm_struct *mm)
{
	unsigned int i, tag;

	for (i = 0; i < dev->nr_queues; i++) {
		struct ubmap_queue *q = &dev->queues[i];
		struct vm_area_struct *win = NULL;
		struct ubmap_cmd *cmd, *next;
		LIST_HEAD(list);

		spin_lock(&q->lock);
		q->attached = false;
		list_splice_init(&q->pending, &list);
		spin_unlock(&q->lock);

		mutex_lock(&q->mutex);
		list_for_each_entry_safe(cmd, next, &list, node) {
			list_del_init(&cmd->node);
			cmd->state = UBMAP_CMD_IDLE;
			ubmap_count(q, UBMAP_STAT_errors, 1);
			blk_mq_end_request(blk_mq_rq_from_pdu(cmd), BLK_STS_IOERR);
		}
		if (mm) {
			mmap_read_lock(mm);
			win = ubmap_find_vma(s, mm, READ_ONCE(s->window_start),
					     ubmap_data_size(dev));
		}
		for (tag = 0; tag < dev->queue_depth; tag++) {
			struct request *rq = q->fetched[tag];

			if (!rq)
				continue;
			ubmap_complete(dev, q, win, rq, -EIO);
		}
		if (mm)
			mmap_read_unlock(mm);
		mutex_unlock(&q->mutex);
	}
}
