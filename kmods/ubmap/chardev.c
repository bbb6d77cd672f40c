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

#define UBMAP_FEATURES	(UBMAP_F_ZERO_COPY | UBMAP_F_FALLBACK_COPY | UBMAP_F_POLL)

static struct ubmap_dev *ubmap_file_dev(struct file *file)
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
	strscpy(info->mode, dev->mode->name, sizeof(info->mode));
}

static int ubmap_open(struct inode *inode, struct file *file)
{
	struct ubmap_dev *dev = ubmap_file_dev(file);
	unsigned int i;
	int ret = 0;

	if (!current->mm)
		return -EINVAL;
	mutex_lock(&dev->lock);
	if (test_bit(0, &dev->attached)) {
		ret = -EBUSY;
		goto out;
	}
	/* Fresh, zeroed memory per backend: nothing of a previous one leaks. */
	dev->bounce = vmalloc_user(ubmap_data_size(dev));
	dev->ctrl = vmalloc_user(dev->ctrl_size);
	if (!dev->bounce || !dev->ctrl) {
		vfree(dev->bounce);
		vfree(dev->ctrl);
		dev->bounce = NULL;
		dev->ctrl = NULL;
		ret = -ENOMEM;
		goto out;
	}
	ubmap_fill_info(dev, dev->ctrl);
	dev->mm = current->mm;
	mmgrab(dev->mm);
	set_bit(0, &dev->attached);
	for (i = 0; i < dev->nr_queues; i++) {
		spin_lock(&dev->queues[i].lock);
		dev->queues[i].attached = true;
		spin_unlock(&dev->queues[i].lock);
	}
	pr_info("%s: backend %d attached, mode %s\n", dev->name,
		task_tgid_nr(current), dev->mode->name);
out:
	mutex_unlock(&dev->lock);
	return ret;
}

/* The last reference is gone: no vma and no ioctl is left. */
static int ubmap_release(struct inode *inode, struct file *file)
{
	struct ubmap_dev *dev = ubmap_file_dev(file);

	ubmap_fail_all(dev);
	mutex_lock(&dev->lock);
	vfree(dev->bounce);
	vfree(dev->ctrl);
	dev->bounce = NULL;
	dev->ctrl = NULL;
	mmdrop(dev->mm);
	dev->mm = NULL;
	clear_bit(0, &dev->attached);
	mutex_unlock(&dev->lock);
	pr_info("%s: backend detached\n", dev->name);
	return 0;
}

/* Runs under the mmap lock held for writing, as ring.c's readers expect. */
static void ubmap_vm_close(struct vm_area_struct *vma)
{
	struct ubmap_dev *dev = vma->vm_private_data;

	/* Other vmas come and go here too: a refused mremap's copy. */
	if (vma == dev->window)
		dev->window = NULL;
	else if (vma == dev->ctrl_vma)
		dev->ctrl_vma = NULL;
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
 * A write to a read-only raw-PFN PTE (a WRITE request's pages) would
 * otherwise be made writable by do_wp_page() in a shared writable vma.
 * Having this op makes vm_page_prot read-only (write-notify), so the raw
 * PFN modes pass their protection explicitly (ubmap_mode_prot); the modes
 * that map struct pages keep ubmap_vm_ops and take no write faults.
 */
static vm_fault_t ubmap_vm_pfn_mkwrite(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct ubmap_vm_ops = {
	.close		= ubmap_vm_close,
	.may_split	= ubmap_vm_may_split,
	.mremap		= ubmap_vm_mremap,
};

static const struct vm_operations_struct ubmap_pfn_vm_ops = {
	.close		= ubmap_vm_close,
	.pfn_mkwrite	= ubmap_vm_pfn_mkwrite,
	.may_split	= ubmap_vm_may_split,
	.mremap		= ubmap_vm_mremap,
};

static int ubmap_mmap_window(struct ubmap_dev *dev, struct vm_area_struct *vma)
{
	int ret;

	if (dev->window)
		return -EBUSY;
	vma->vm_flags |= dev->mode->vm_flags;
	if (dev->mode->mmap) {
		ret = dev->mode->mmap(vma, dev->bounce);
		if (ret)
			return ret;
	}
	dev->window = vma;
	return 0;
}

static int ubmap_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ubmap_dev *dev = ubmap_file_dev(file);
	unsigned long len = vma->vm_end - vma->vm_start;
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	int ret;

	/* Private or foreign mappings would break the slot invariants. */
	if (!(vma->vm_flags & VM_SHARED) || vma->vm_mm != dev->mm)
		return -EINVAL;
	/* Keep the window out of forks and core dumps, and fixed in size. */
	vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_private_data = dev;
	mutex_lock(&dev->lock);
	if (off == 0 && len == dev->ctrl_size) {
		if (vma->vm_flags & VM_WRITE) {
			ret = -EPERM;
		} else if (dev->ctrl_vma) {
			ret = -EBUSY;
		} else {
			vma->vm_flags &= ~VM_MAYWRITE;
			ret = remap_vmalloc_range(vma, dev->ctrl, 0);
			if (!ret)
				dev->ctrl_vma = vma;
		}
	} else if (off == dev->ctrl_size && len == ubmap_data_size(dev)) {
		ret = ubmap_mmap_window(dev, vma);
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&dev->lock);
	if (!ret)
		vma->vm_ops = vma->vm_flags & VM_PFNMAP ? &ubmap_pfn_vm_ops :
							  &ubmap_vm_ops;
	return ret;
}

static long ubmap_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ubmap_dev *dev = ubmap_file_dev(file);
	struct ubmap_info info;

	if (current->mm != dev->mm)
		return -EPERM;
	switch (cmd) {
	case UBMAP_IOC_GET_INFO:
		ubmap_fill_info(dev, &info);
		return copy_to_user((void __user *)arg, &info, sizeof(info)) ?
			-EFAULT : 0;
	case UBMAP_IOC_COMMIT_FETCH:
		return ubmap_commit_fetch(dev, (struct ubmap_batch __user *)arg);
	}
	return -ENOTTY;
}

static __poll_t ubmap_poll(struct file *file, poll_table *wait)
{
	struct ubmap_dev *dev = ubmap_file_dev(file);
	__poll_t mask = 0;
	unsigned int i;

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
