// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdalign.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "device.h"
#include "log.h"

/* desc.queue is 16 bits; the rest are sanity caps against garbage. */
#define MAX_QUEUES	65536u
#define MAX_DEPTH	65536u
#define MIN_LBS		512u
#define MAX_LBS		65536u

int dev_info_check(const struct ubmap_info *info, char *msg, size_t len)
{
	__u64 page = sysconf(_SC_PAGESIZE);
	__u64 nr_descs, desc_bytes, slots_bytes;
	__u32 lbs = info->logical_block_size;

#define BAD(err, ...) do { snprintf(msg, len, __VA_ARGS__); return err; } while (0)
	if (info->magic != UBMAP_MAGIC)
		BAD(-EPROTO, "not a ubmap device (magic 0x%08x, expected 0x%08x)",
		    info->magic, UBMAP_MAGIC);
	if (info->abi_version != UBMAP_ABI_VERSION)
		BAD(-EPROTO, "ABI version mismatch: the module speaks version %u, ubmapd was built for version %u; rebuild the older one",
		    info->abi_version, UBMAP_ABI_VERSION);
	if (!info->nr_queues || info->nr_queues > MAX_QUEUES)
		BAD(-EINVAL, "nr_queues %u out of range 1..%u",
		    info->nr_queues, MAX_QUEUES);
	if (!info->queue_depth || info->queue_depth > MAX_DEPTH)
		BAD(-EINVAL, "queue_depth %u out of range 1..%u",
		    info->queue_depth, MAX_DEPTH);
	if (lbs < MIN_LBS || lbs > MAX_LBS || (lbs & (lbs - 1)))
		BAD(-EINVAL, "logical_block_size %u is not a power of two in %u..%u",
		    lbs, MIN_LBS, MAX_LBS);
	if (!info->slot_size || info->slot_size % lbs)
		BAD(-EINVAL, "slot_size %u is not a multiple of the block size %u",
		    info->slot_size, lbs);
	if (!info->capacity || info->capacity % lbs)
		BAD(-EINVAL, "capacity %llu is not a non-zero multiple of the block size %u",
		    (unsigned long long)info->capacity, lbs);
	nr_descs = (__u64)info->nr_queues * info->queue_depth;
	desc_bytes = nr_descs * sizeof(struct ubmap_io_desc);
	if (info->desc_offset < sizeof(struct ubmap_ctrl_header) ||
	    info->desc_offset % alignof(struct ubmap_io_desc))
		BAD(-EINVAL, "desc_offset %llu overlaps the header or is misaligned",
		    (unsigned long long)info->desc_offset);
	if (info->ctrl_size < info->desc_offset ||
	    info->ctrl_size - info->desc_offset < desc_bytes)
		BAD(-EINVAL, "ctrl_size %llu too small for %llu descriptors at offset %llu",
		    (unsigned long long)info->ctrl_size,
		    (unsigned long long)nr_descs,
		    (unsigned long long)info->desc_offset);
	if (__builtin_mul_overflow(nr_descs, (__u64)info->slot_size, &slots_bytes) ||
	    info->data_size < slots_bytes)
		BAD(-EINVAL, "data_size %llu too small for %llu slots of %u bytes",
		    (unsigned long long)info->data_size,
		    (unsigned long long)nr_descs, info->slot_size);
	/* mmap offsets are page granular; the two areas must not overlap. */
	if (info->data_offset % page || info->data_offset < info->ctrl_size)
		BAD(-EINVAL, "data_offset %llu is not page aligned or overlaps ctrl (%llu bytes)",
		    (unsigned long long)info->data_offset,
		    (unsigned long long)info->ctrl_size);
	if (!memchr(info->mode, '\0', sizeof(info->mode)))
		BAD(-EINVAL, "mode name is not NUL-terminated");
#undef BAD
	return 0;
}

void dev_setup(struct ubmapd_dev *dev, const struct ubmap_info *info,
	       const void *ctrl, void *window)
{
	dev->info = *info;
	dev->ctrl = ctrl;
	dev->window = window;
	dev->descs = (const void *)((const char *)ctrl + info->desc_offset);
}

static int dev_ioctl_commit_fetch(struct ubmapd_dev *dev, struct ubmap_batch *b)
{
	return ioctl(dev->fd, UBMAP_IOC_COMMIT_FETCH, b) ? -errno : 0;
}

static int dev_rw_user_copy(struct ubmapd_dev *dev, void *buf, size_t len,
			    __u64 off, bool to_kernel)
{
	ssize_t n = to_kernel ? pwrite(dev->fd, buf, len, (off_t)off) :
				pread(dev->fd, buf, len, (off_t)off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/* One wording for a failed step, with a hint where the errno has one. */
static void dev_report(const char *path, const char *what, int err)
{
	const char *hint = "";

	switch (err) {
	case ENOENT:
	case ENXIO:
	case ENODEV:
		hint = " \u2014 is the ubmap module loaded?";
		break;
	case EBUSY:
		hint = " \u2014 another backend is attached";
		break;
	case EACCES:
	case EPERM:
		hint = " \u2014 not allowed (run as root?)";
		break;
	case ENOTTY:
		hint = " \u2014 not a ubmap device, or a module built from another ubmap.h";
		break;
	}
	ub_err("%s %s: %s%s", what, path, strerror(err), hint);
}

int dev_open(struct ubmapd_dev *dev, const char *path)
{
	struct ubmap_info info;
	const struct ubmap_ctrl_header *hdr;
	char msg[256];
	void *ctrl, *window;
	int ret;

	memset(dev, 0, sizeof(*dev));
	dev->fd = -1;
	dev->path = path;
	dev->fd = open(path, O_RDWR | O_CLOEXEC);
	if (dev->fd < 0) {
		ret = -errno;
		dev_report(path, "cannot open", -ret);
		return ret;
	}
	memset(&info, 0, sizeof(info));
	if (ioctl(dev->fd, UBMAP_IOC_GET_INFO, &info)) {
		ret = -errno;
		dev_report(path, "UBMAP_IOC_GET_INFO failed on", -ret);
		goto fail_close;
	}
	ret = dev_info_check(&info, msg, sizeof(msg));
	if (ret) {
		ub_err("%s: %s", path, msg);
		goto fail_close;
	}
	ctrl = mmap(NULL, info.ctrl_size, PROT_READ, MAP_SHARED, dev->fd, 0);
	if (ctrl == MAP_FAILED) {
		ret = -errno;
		dev_report(path, "cannot map the ctrl area of", -ret);
		goto fail_close;
	}
	window = mmap(NULL, info.data_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      dev->fd, info.data_offset);
	if (window == MAP_FAILED) {
		ret = -errno;
		dev_report(path, "cannot map the data window of", -ret);
		munmap(ctrl, info.ctrl_size);
		goto fail_close;
	}
	dev_setup(dev, &info, ctrl, window);
	dev->mapped = true;
	dev->commit_fetch = dev_ioctl_commit_fetch;
	dev->user_copy = dev_rw_user_copy;
	/* The header copy is only for inspection; a mismatch is suspicious. */
	hdr = ctrl;
	if (hdr->info.magic != UBMAP_MAGIC ||
	    hdr->info.abi_version != info.abi_version)
		ub_err("warning: %s: ctrl header does not match UBMAP_IOC_GET_INFO",
		       path);
	return 0;

fail_close:
	close(dev->fd);
	dev->fd = -1;
	return ret;
}

void dev_close(struct ubmapd_dev *dev)
{
	if (dev->mapped) {
		munmap(dev->window, dev->info.data_size);
		munmap((void *)dev->ctrl, dev->info.ctrl_size);
		dev->mapped = false;
	}
	if (dev->fd >= 0)
		close(dev->fd);
	dev->fd = -1;
}
