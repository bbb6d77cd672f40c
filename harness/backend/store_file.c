// SPDX-License-Identifier: GPL-2.0
/*
 * file store: a backing file (or block device) driven through io_uring,
 * one ring per queue thread so queues never share a submission path.
 * Reads and writes go straight between the file and the request's bytes in
 * the mapped window; the file is opened buffered (no O_DIRECT), as the
 * design's "store" axis asks.
 *
 * queue_io() only prepares an SQE; reap() submits everything prepared since
 * the last call in one io_uring_enter, so a fetched batch is one syscall.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <liburing.h>

#include "log.h"
#include "store.h"

/* -EAGAIN/-EINTR from a CQE are retried this many times, then reported. */
#define FILE_MAX_RETRIES	8

/* One in-flight request; lives in a per-queue array indexed by tag. */
struct file_io {
	void *buf;		/* request bytes in the window */
	__u64 off;		/* device offset == file offset */
	__u32 len;
	__u32 done;		/* bytes transferred so far (short I/O) */
	__u8 op;
	__u8 fua;		/* WRITE: durable before it completes */
	__u8 retries;
};

struct file_queue {
	struct io_uring ring;
	struct file_io *ios;
	int ring_ready;
	int fixed;		/* fd registered as fixed file 0 */
};

struct file_store {
	int fd;
	unsigned int nr_queues;
	struct file_queue *q;
};

static int file_size_check(int fd, const char *path, __u64 capacity)
{
	struct stat st;
	__u64 size;

	if (fstat(fd, &st))
		return -errno;
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, &size))
			return -errno;
		if (size < capacity) {
			ub_err("file store: %s holds %llu bytes, the device needs %llu",
			       path, (unsigned long long)size,
			       (unsigned long long)capacity);
			return -ENOSPC;
		}
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		ub_err("file store: %s is not a regular file or block device", path);
		return -EINVAL;
	}
	/* Extending makes a sparse file; reads of holes return zeros. */
	if ((__u64)st.st_size < capacity && ftruncate(fd, capacity)) {
		int err = errno;

		ub_err("file store: cannot extend %s to %llu bytes: %s", path,
		       (unsigned long long)capacity, strerror(err));
		return -err;
	}
	return 0;
}

static void file_close(struct store *s)
{
	struct file_store *fs = s->priv;

	if (!fs)
		return;
	for (unsigned int i = 0; fs->q && i < fs->nr_queues; i++) {
		if (fs->q[i].ring_ready)
			io_uring_queue_exit(&fs->q[i].ring);
		free(fs->q[i].ios);
	}
	free(fs->q);
	if (fs->fd >= 0)
		close(fs->fd);
	free(fs);
	s->priv = NULL;
}

static int file_queue_init(struct file_store *fs, struct file_queue *fq,
			   unsigned int depth)
{
	int ret;

	fq->ios = calloc(depth, sizeof(*fq->ios));
	if (!fq->ios)
		return -ENOMEM;
	/*
	 * At most depth requests are in flight and each holds one SQE until
	 * the next submit, so depth entries never run out; the CQ ring is
	 * twice that by default.
	 */
	ret = io_uring_queue_init(depth, &fq->ring, 0);
	if (ret < 0) {
		if (ret == -ENOSYS || ret == -EPERM)
			ub_err("file store: io_uring is not available here: %s",
			       strerror(-ret));
		else
			ub_err("file store: io_uring_queue_init: %s",
			       strerror(-ret));
		return ret;
	}
	fq->ring_ready = 1;
	/* A fixed file saves an fget/fput per I/O; optional. */
	fq->fixed = io_uring_register_files(&fq->ring, &fs->fd, 1) == 0;
	return 0;
}

static int file_open(struct store *s, const struct store_params *p)
{
	struct file_store *fs;
	int ret;

	if (!p->path || !p->queue_depth || !p->nr_queues)
		return -EINVAL;
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	s->priv = fs;
	fs->nr_queues = p->nr_queues;
	fs->fd = open(p->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fs->fd < 0) {
		ret = -errno;
		ub_err("file store: cannot open %s: %s", p->path, strerror(-ret));
		goto fail;
	}
	ret = file_size_check(fs->fd, p->path, p->capacity);
	if (ret)
		goto fail;
	fs->q = calloc(p->nr_queues, sizeof(*fs->q));
	if (!fs->q) {
		ret = -ENOMEM;
		goto fail;
	}
	for (unsigned int i = 0; i < p->nr_queues; i++) {
		ret = file_queue_init(fs, &fs->q[i], p->queue_depth);
		if (ret)
			goto fail;
	}
	return 0;
fail:
	file_close(s);
	return ret;
}

/* Queue an SQE for what is left of request @tag. */
static int file_prep(struct file_store *fs, struct file_queue *fq,
		     unsigned int tag)
{
	struct file_io *io = &fq->ios[tag];
	struct io_uring_sqe *sqe;
	int fd = fq->fixed ? 0 : fs->fd;

	sqe = io_uring_get_sqe(&fq->ring);
	if (!sqe) {
		/* Cannot happen with the sizing above; stay correct anyway. */
		io_uring_submit(&fq->ring);
		sqe = io_uring_get_sqe(&fq->ring);
		if (!sqe)
			return -EBUSY;
	}
	if (io->op == UBMAP_OP_FLUSH) {
		/* The disk's FLUSH: every completed WRITE reaches the file. */
		io_uring_prep_fsync(sqe, fd, IORING_FSYNC_DATASYNC);
	} else if (io->op == UBMAP_OP_READ) {
		io_uring_prep_read(sqe, fd, (char *)io->buf + io->done,
				   io->len - io->done, io->off + io->done);
	} else {
		io_uring_prep_write(sqe, fd, (char *)io->buf + io->done,
				    io->len - io->done, io->off + io->done);
		if (io->fua)
			sqe->rw_flags = RWF_DSYNC;
	}
	if (fq->fixed)
		sqe->flags |= IOSQE_FIXED_FILE;
	io_uring_sqe_set_data64(sqe, tag);
	return 0;
}

static int file_queue_io(struct store *s, unsigned int qid,
			 const struct ubmap_io_desc *d, void *data)
{
	struct file_store *fs = s->priv;
	struct file_queue *fq = &fs->q[qid];
	struct file_io *io = &fq->ios[d->tag];
	int ret;

	io->buf = data;
	io->off = d->offset;
	io->len = d->len;
	io->done = 0;
	io->op = d->op;
	io->fua = !!(d->flags & UBMAP_DESC_F_FUA);
	io->retries = 0;
	ret = file_prep(fs, fq, d->tag);
	return ret ? ret : STORE_QUEUED;
}

/*
 * Account one CQE.  Returns 1 and fills @c when the request is finished,
 * 0 when it was requeued for the rest of a short transfer or a retry.
 */
static int file_cqe(struct file_store *fs, struct file_queue *fq,
		    const struct io_uring_cqe *cqe, struct ubmap_completion *c)
{
	unsigned int tag = io_uring_cqe_get_data64(cqe);
	struct file_io *io = &fq->ios[tag];
	int res = cqe->res;

	if ((res == -EAGAIN || res == -EINTR) &&
	    io->retries++ < FILE_MAX_RETRIES)
		goto again;
	if (res < 0 || io->op == UBMAP_OP_FLUSH)
		goto done;
	if (res == 0) {
		/* EOF (file shrank under us) or no progress: never loop. */
		res = -EIO;
		goto done;
	}
	io->done += res;
	if (io->done < io->len)
		goto again;
	res = 0;
done:
	c->tag = tag;
	c->result = res;
	return 1;
again:
	if (file_prep(fs, fq, tag)) {
		c->tag = tag;
		c->result = -EIO;
		return 1;
	}
	return 0;
}

static int file_reap(struct store *s, unsigned int qid,
		     struct ubmap_completion *out, unsigned int max, int wait)
{
	struct file_store *fs = s->priv;
	struct file_queue *fq = &fs->q[qid];
	unsigned int n = 0;

	for (;;) {
		struct io_uring_cqe *cqe;
		unsigned int head, seen = 0;
		int ret;

		/* One syscall both submits the batch and (maybe) waits. */
		if (wait && n == 0)
			ret = io_uring_submit_and_wait(&fq->ring, 1);
		else
			ret = io_uring_submit(&fq->ring);
		if (ret == -EINTR && n == 0 && !io_uring_cq_ready(&fq->ring))
			return -EINTR;
		/* -EAGAIN/-EBUSY: the kernel is short of room; reap first. */
		if (ret < 0 && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY) {
			ub_err("file store: queue %u: io_uring submit: %s", qid,
			       strerror(-ret));
			return ret;
		}
		io_uring_for_each_cqe(&fq->ring, head, cqe) {
			if (n == max)
				break;
			seen++;
			n += file_cqe(fs, fq, cqe, &out[n]);
		}
		io_uring_cq_advance(&fq->ring, seen);
		if (n || !wait)
			break;
	}
	/* Requeued remainders go out now rather than on the next call. */
	if (io_uring_sq_ready(&fq->ring))
		io_uring_submit(&fq->ring);
	return n;
}

const struct store_ops store_file_ops = {
	.name		= "file",
	.open		= file_open,
	.close		= file_close,
	.queue_io	= file_queue_io,
	.reap		= file_reap,
};
