/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ubmap control device as the backend sees it: the info, the read-only
 * ctrl area with the descriptor array, the data window, and the one ioctl
 * the queue threads use.
 */
#ifndef UBMAPD_DEVICE_H
#define UBMAPD_DEVICE_H

#include <stdbool.h>
#include <stddef.h>

#include <linux/ubmap.h>

struct ubmapd_dev {
	int fd;				/* -1 for a fake device */
	const char *path;
	struct ubmap_info info;
	const void *ctrl;		/* info.ctrl_size bytes, read-only */
	void *window;			/* info.data_size bytes */
	const struct ubmap_io_desc *descs;	/* inside ctrl */
	bool mapped;			/* ctrl/window are our mmaps */
	/*
	 * UBMAP_IOC_COMMIT_FETCH: 0 or -errno.  A pointer so tests can put
	 * a fake kernel behind the queue loop.
	 */
	int (*commit_fetch)(struct ubmapd_dev *dev, struct ubmap_batch *b);
	/*
	 * user_copy mode: move @len bytes between @buf and the request at
	 * device offset @off (UBMAP_USER_COPY_OFF + ...), into the request
	 * with @to_kernel.  0 or -errno (a short copy is -EIO).
	 */
	int (*user_copy)(struct ubmapd_dev *dev, void *buf, size_t len,
			 __u64 off, bool to_kernel);
};

/**
 * dev_open() - open @path, check its info, map ctrl and window
 *
 * Returns 0 or a negative errno; the reason has been logged in words a
 * user can act on (module not loaded, another backend attached, ABI
 * version mismatch, ...).
 */
int dev_open(struct ubmapd_dev *dev, const char *path);
void dev_close(struct ubmapd_dev *dev);

/**
 * dev_info_check() - is @info something this backend can serve?
 * @msg: gets the reason on failure
 *
 * Returns 0, -EPROTO for a magic/version mismatch, -EINVAL for a geometry
 * that does not add up (sizes, alignments, overlaps).
 */
int dev_info_check(const struct ubmap_info *info, char *msg, size_t len);

/* Point @dev at ctrl/window buffers (mmaps, or a test's own memory). */
void dev_setup(struct ubmapd_dev *dev, const struct ubmap_info *info,
	       const void *ctrl, void *window);

static inline unsigned int dev_nr_descs(const struct ubmapd_dev *dev)
{
	return dev->info.nr_queues * dev->info.queue_depth;
}

/* The kernel's descriptor for (@queue, @tag); @tag < queue_depth. */
static inline const struct ubmap_io_desc *
dev_desc(const struct ubmapd_dev *dev, unsigned int queue, unsigned int tag)
{
	return &dev->descs[(size_t)queue * dev->info.queue_depth + tag];
}

/* Where a validated descriptor's data is. */
static inline void *dev_data(const struct ubmapd_dev *dev,
			     const struct ubmap_io_desc *d)
{
	return (char *)dev->window + d->window_off;
}

#endif /* UBMAPD_DEVICE_H */
