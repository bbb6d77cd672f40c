// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ubmapcN: the backend's door.  One backend at a time; it maps the
 * ctrl area (header + descriptors) and the data window, then drives the
 * ring with UBMAP_IOC_COMMIT_FETCH (ring.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "ubmap.h"

#define UBMAP_FEATURES	(UBMAP_F_ZERO_COPY | UBMAP_F_FALLBACK_COPY | UBMAP_F_POLL | \
			 UBMAP_F_FLUSH | UBMAP_F_USER_COPY)

/* At open, before the file has its session: misc_open() set the device. */
static struct ubmap_dev *ubmap_misc_dev(struct file *file)
{
	return container_of(file->private_data, struct ubmap_dev, misc);
}

void ubmap_fill_info(struct ubmap_dev *dev, struct ubmap_info *info)
{
	memset(info, 0, sizeof(*info));
	info->magic = UBMAP_MAGIC;
	info->abi_version = UBMAP_ABI_VERSION;
	info->features = UBMAP_FEATURES;
	info->nr_queues = dev->nr_queues;
	info->queue_depth = dev->queue_depth;
	info->slot_size = dev->slot_size;
	info->logical_block_size = dev->lbs;
	info->capacity = dev->capacity;
	info->ctrl_size = dev->ctrl_size;
	info->desc_offset = sizeof(struct ubmap_ctrl_header);
	info->data_offset = dev->ctrl_size;
	info->data_size = ubmap_data_size(dev);
	strscpy(info->mode, ubmap_mode_name(dev->mode), sizeof(info->mode));
}

static int ubmap_open(struct inode *inode, struct file *file)
{
	struct ubmap_session *s;

	if (!current->mm)
		return -EINVAL;
	s = ubmap_session_open(ubmap_misc_dev(file));
	if (IS_ERR(s))
		return PTR_ERR(s);
	file->private_data = s;
	return 0;
}

/* The last reference is gone: no vma and no ioctl is left. */
static int ubmap_release(struct inode *inode, struct file *file)
{
	ubmap_session_release(file->private_data);
	return 0;
}

static const struct vm_operations_struct ubmap_vm_ops, ubmap_wp_vm_ops;

/**
 * ubmap_find_vma() - @s's vma at @start of @len bytes in @mm, or NULL
 * @s: the session
 * @mm: the backend's mm, its mmap lock held
 * @start: where @s mapped it (0: not mapped)
 * @len: its length
 */
struct vm_area_struct *ubmap_find_vma(struct ubmap_session *s,
				      struct mm_struct *mm, unsigned long start,
				      unsigned long len)
{
	struct vm_area_struct *vma;

	mmap_assert_locked(mm);
	if (!start)
		return NULL;
	vma = vma_lookup(mm, start);
	if (!vma || vma->vm_start != start || vma->vm_end - start != len ||
	    vma->vm_private_data != s ||
	    (vma->vm_ops != &ubmap_vm_ops && vma->vm_ops != &ubmap_wp_vm_ops))
		return NULL;
	return vma;
}

/**
 * ubmap_window_vma() - the attached backend's data window, looked up now
 * @dev: the device; current->mm is the backend's, its mmap lock held
 *
 * A window being unmapped is already out of the vma tree when munmap()
 * drops to the read lock and runs the close hook, so it is never found
 * here once it is on its way out.
 */
struct vm_area_struct *ubmap_window_vma(struct ubmap_dev *dev)
{
	struct ubmap_session *s = READ_ONCE(dev->session);

	return s ? ubmap_find_vma(s, current->mm, READ_ONCE(s->window_start),
				  ubmap_data_size(dev)) : NULL;
}

/* Whether the ctrl area is mapped, under the backend's mmap lock. */
bool ubmap_ctrl_mapped(struct ubmap_dev *dev)
{
	struct ubmap_session *s = READ_ONCE(dev->session);

	return s && ubmap_find_vma(s, current->mm, READ_ONCE(s->ctrl_start),
				   dev->ctrl_size);
}

/* Under the mmap lock, for reading or writing (munmap downgrades first). */
static void ubmap_vm_close(struct vm_area_struct *vma)
{
	struct ubmap_session *s = vma->vm_private_data;

	/* Other vmas come and go here too: a refused mremap's copy. */
	mutex_lock(&s->dev->lock);
	if (vma->vm_start == s->window_start)
		WRITE_ONCE(s->window_start, 0);
	else if (vma->vm_start == s->ctrl_start)
		WRITE_ONCE(s->ctrl_start, 0);
	mutex_unlock(&s->dev->lock);
}

/* Slots are addressed by offset from vm_start: no splitting, no moving. */
static int ubmap_vm_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	return -EINVAL;
}

static int ubmap_vm_mremap(struct vm_area_struct *vma)
{
	return -EINVAL;
}

/*
 * A write to a read-only PTE in a zero-copy window (a WRITE request's
 * pages) would otherwise be made writable by do_wp_page() in a shared
 * writable vma.  Having these ops also makes vm_page_prot read-only
 * (write-notify): vm_insert_pages() then maps read-only and the mode makes
 * a READ's PTEs writable; the raw-PFN modes pass their protection
 * explicitly (ubmap_mode_prot).
 */
static vm_fault_t ubmap_vm_deny_write(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

/* The copy mode's bounce area: written by both sides, no write faults. */
static const struct vm_operations_struct ubmap_vm_ops = {
	.close		= ubmap_vm_close,
	.may_split	= ubmap_vm_may_split,
	.mremap		= ubmap_vm_mremap,
};

static const struct vm_operations_struct ubmap_wp_vm_ops = {
	.close		= ubmap_vm_close,
	.page_mkwrite	= ubmap_vm_deny_write,
	.pfn_mkwrite	= ubmap_vm_deny_write,
	.may_split	= ubmap_vm_may_split,
	.mremap		= ubmap_vm_mremap,
};

static int ubmap_mmap_window(struct ubmap_session *s, struct vm_area_struct *vma)
{
	struct ubmap_dev *dev = s->dev;
	int ret;

	if (s->window_start)
		return -EBUSY;
	vma->vm_flags |= dev->mode->vm_flags;
	if (dev->mode->mmap) {
		ret = dev->mode->mmap(vma, s->bounce);
		if (ret)
			return ret;
	}
	WRITE_ONCE(s->window_start, vma->vm_start);
	return 0;
}

static int ubmap_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ubmap_session *s = file->private_data;
	struct ubmap_dev *dev = s->dev;
	unsigned long len = vma->vm_end - vma->vm_start;
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	int ret;

	/* Private or foreign mappings would break the slot invariants. */
	if (!(vma->vm_flags & VM_SHARED) || vma->vm_mm != s->mm)
		return -EINVAL;
	/*
	 * Out of forks (VM_IO: MADV_DOFORK refuses it; a child would keep
	 * PTEs on the request's pages after the commit) and core dumps, and
	 * fixed in size.
	 */
	vma->vm_flags |= VM_IO | VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_private_data = s;
	mutex_lock(&dev->lock);
	if (dev->session != s) {
		ret = -ESHUTDOWN;
	} else if (off == 0 && len == dev->ctrl_size) {
		if (vma->vm_flags & VM_WRITE) {
			ret = -EPERM;
		} else if (s->ctrl_start) {
			ret = -EBUSY;
		} else {
			vma->vm_flags &= ~VM_MAYWRITE;
			ret = remap_vmalloc_range(vma, s->ctrl, 0);
			if (!ret)
				WRITE_ONCE(s->ctrl_start, vma->vm_start);
		}
	} else if (off == dev->ctrl_size && len == ubmap_data_size(dev)) {
		ret = ubmap_mmap_window(s, vma);
	} else {
		ret = -EINVAL;
	}
	/* Before vma_set_page_prot() reads them, after f_op->mmap returns. */
	if (!ret)
		vma->vm_ops = dev->mode->map ? &ubmap_wp_vm_ops : &ubmap_vm_ops;
	mutex_unlock(&dev->lock);
	return ret;
}

static long ubmap_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ubmap_session *s = file->private_data;
	struct ubmap_dev *dev = s->dev;
	struct ubmap_info info;

	/* Detached: the backend's process died (this is a child's file). */
	if (READ_ONCE(dev->session) != s)
		return -ESHUTDOWN;
	if (current->mm != s->mm)
		return -EPERM;
	switch (cmd) {
	case UBMAP_IOC_GET_INFO:
		ubmap_fill_info(dev, &info);
		return copy_to_user((void __user *)arg, &info, sizeof(info)) ?
			-EFAULT : 0;
	case UBMAP_IOC_COMMIT_FETCH:
		return ubmap_commit_fetch(dev, (struct ubmap_batch __user *)arg);
	case UBMAP_IOC_MICROBENCH:
		return ubmap_microbench(dev, (struct ubmap_microbench __user *)arg);
	}
	return -ENOTTY;
}

/* The user_copy mode's data path: only the attached backend's process. */
static ssize_t ubmap_rw_iter(struct kiocb *iocb, struct iov_iter *iter,
			     bool to_rq)
{
	struct ubmap_session *s = iocb->ki_filp->private_data;
	struct ubmap_dev *dev = s->dev;
	ssize_t ret;

	if (READ_ONCE(dev->session) != s)
		return -ESHUTDOWN;
	if (current->mm != s->mm)
		return -EPERM;
	ret = ubmap_user_copy(dev, iocb->ki_pos, iter, to_rq);
	if (ret > 0)
		iocb->ki_pos += ret;
	return ret;
}

static ssize_t ubmap_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	return ubmap_rw_iter(iocb, to, false);
}

static ssize_t ubmap_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	return ubmap_rw_iter(iocb, from, true);
}

static __poll_t ubmap_poll(struct file *file, poll_table *wait)
{
	struct ubmap_session *s = file->private_data;
	struct ubmap_dev *dev = s->dev;
	__poll_t mask = 0;
	unsigned int i;

	if (READ_ONCE(dev->session) != s)
		return EPOLLHUP | EPOLLERR;
	for (i = 0; i < dev->nr_queues; i++) {
		struct ubmap_queue *q = &dev->queues[i];

		poll_wait(file, &q->wait, wait);
		spin_lock(&q->lock);
		if (!list_empty(&q->pending))
			mask |= EPOLLIN | EPOLLRDNORM;
		spin_unlock(&q->lock);
	}
	return mask;
}

static const struct file_operations ubmap_chardev_fops = {
	.owner		= THIS_MODULE,
	.open		= ubmap_open,
	.release	= ubmap_release,
	.mmap		= ubmap_mmap,
	.read_iter	= ubmap_read_iter,
	.write_iter	= ubmap_write_iter,
	.unlocked_ioctl	= ubmap_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.poll		= ubmap_poll,
	.llseek		= noop_llseek,
};

int ubmap_chardev_init(struct ubmap_dev *dev)
{
	snprintf(dev->misc_name, sizeof(dev->misc_name), "ubmapc%u", dev->id);
	dev->misc.minor = MISC_DYNAMIC_MINOR;
	dev->misc.name = dev->misc_name;
	dev->misc.fops = &ubmap_chardev_fops;
	dev->misc.mode = 0600;
	return misc_register(&dev->misc);
}

void ubmap_chardev_exit(struct ubmap_dev *dev)
{
	misc_deregister(&dev->misc);
}
