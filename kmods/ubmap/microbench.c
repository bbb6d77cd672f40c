// SPDX-License-Identifier: GPL-2.0
/*
 * UBMAP_IOC_MICROBENCH (test-only): one mode's map and unmap of N pages of a
 * chosen kind, K times, without the block layer around it, so the cost per
 * page and per call can be told apart from the cost per request (uapi
 * ubmap.h says what each mode's halves are).  Off unless microbench=1.
 */
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ubmap.h"

static bool microbench;
module_param(microbench, bool, 0444);
MODULE_PARM_DESC(microbench, "Allow UBMAP_IOC_MICROBENCH (test-only; default off)");

struct ubmap_mb_pages {
	struct page **pages;
	unsigned int nr;
	enum ubmap_mb_kind kind;
	struct file *shmem;	/* pagecache: the pages' file */
	unsigned int held;	/* pages taken so far */
};

static void ubmap_mb_put(struct ubmap_mb_pages *p)
{
	if (p->kind == UBMAP_MB_anon) {
		unpin_user_pages(p->pages, p->held);
	} else {
		while (p->held)
			put_page(p->pages[--p->held]);
	}
	if (p->shmem)
		fput(p->shmem);
	kvfree(p->pages);
}

static int ubmap_mb_get(struct ubmap_mb_pages *p, unsigned long user_buf)
{
	struct page *page;
	int n;

	p->pages = kvcalloc(p->nr, sizeof(*p->pages), GFP_KERNEL);
	if (!p->pages)
		return -ENOMEM;
	switch (p->kind) {
	case UBMAP_MB_kernel:
		for (; p->held < p->nr; p->held++) {
			p->pages[p->held] = alloc_page(GFP_KERNEL | __GFP_ZERO);
			if (!p->pages[p->held])
				return -ENOMEM;
		}
		return 0;
	case UBMAP_MB_pagecache:
		p->shmem = shmem_file_setup("ubmap-microbench",
					    (loff_t)p->nr << PAGE_SHIFT, VM_NORESERVE);
		if (IS_ERR(p->shmem)) {
			n = PTR_ERR(p->shmem);
			p->shmem = NULL;
			return n;
		}
		for (; p->held < p->nr; p->held++) {
			page = shmem_read_mapping_page(p->shmem->f_mapping, p->held);
			if (IS_ERR(page))
				return PTR_ERR(page);
			p->pages[p->held] = page;
		}
		return 0;
	default:
		/* Long-term, as a backend holding them across calls would. */
		n = pin_user_pages_fast(user_buf, p->nr, FOLL_WRITE | FOLL_LONGTERM,
					p->pages);
		if (n > 0)
			p->held = n;
		return n == p->nr ? 0 : n < 0 ? n : -EFAULT;
	}
}

/* The copy mode's half: what a request's copy through its slot costs. */
static void ubmap_mb_copy(void *slot, struct ubmap_mb_pages *p)
{
	unsigned int i;

	for (i = 0; i < p->nr; i++) {
		void *src = kmap_local_page(p->pages[i]);

		memcpy(slot + i * PAGE_SIZE, src, PAGE_SIZE);
		kunmap_local(src);
	}
}

/* user_copy's half: the one copy, into the backend's buffer. */
static int ubmap_mb_user_copy(void __user *dst, struct ubmap_mb_pages *p)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < p->nr && !ret; i++) {
		void *src = kmap_local_page(p->pages[i]);

		if (copy_to_user(dst + i * PAGE_SIZE, src, PAGE_SIZE))
			ret = -EFAULT;
		kunmap_local(src);
	}
	return ret;
}

/*
 * Maps and unmaps K times at @addr in @win; under its mmap read lock, so a
 * long run holds off the process's own munmap: a kill ends it (-EINTR).
 */
static int ubmap_mb_map_loop(struct ubmap_dev *dev, struct vm_area_struct *win,
			     unsigned long addr, struct ubmap_mb_pages *p,
			     struct ubmap_microbench *mb)
{
	bool writable = !(mb->flags & UBMAP_MB_F_READONLY);
	unsigned int k;
	u64 t0, t1;
	int ret;

	for (k = 0; k < mb->iterations; k++) {
		t0 = ktime_get_ns();
		ret = dev->mode->map(win, addr, p->pages, p->nr, writable,
				     &mb->map_calls);
		t1 = ktime_get_ns();
		if (ret)
			return ret;
		dev->mode->unmap(win, addr, (unsigned long)p->nr << PAGE_SHIFT);
		mb->map_ns += t1 - t0;
		mb->unmap_ns += ktime_get_ns() - t1;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

static int ubmap_mb_run(struct ubmap_dev *dev, struct ubmap_mb_pages *p,
			struct ubmap_microbench *mb)
{
	const struct ubmap_mode_ops *mode = dev->mode;
	void __user *dst = u64_to_user_ptr(mb->user_buf) + (p->nr << PAGE_SHIFT);
	struct ubmap_queue *q = &dev->queues[0];
	struct vm_area_struct *win;
	unsigned int i, k;
	int ret = 0;
	u64 t0;

	for (i = 0; mode->check_page && i < p->nr && !mb->refused; i++)
		mb->refused = mode->check_page(p->pages[i]);
	if (mb->refused)
		return 0;
	if (mode->user_copy) {
		/* Faults on @dst take the mmap lock: not held here. */
		for (k = 0; k < mb->iterations && !ret; k++) {
			t0 = ktime_get_ns();
			ret = ubmap_mb_user_copy(dst, p);
			mb->map_ns += ktime_get_ns() - t0;
			if (!ret && fatal_signal_pending(current))
				ret = -EINTR;
			cond_resched();
		}
		return ret;
	}
	/* Queue 0's fetches and commits wait: its slot 0 is ours meanwhile. */
	mutex_lock(&q->mutex);
	if (q->fetched[0]) {
		ret = -EBUSY;
	} else if (!mode->map) {
		for (k = 0; k < mb->iterations && !ret; k++) {
			t0 = ktime_get_ns();
			ubmap_mb_copy(dev->bounce, p);
			mb->map_ns += ktime_get_ns() - t0;
			if (fatal_signal_pending(current))
				ret = -EINTR;
			cond_resched();
		}
	} else {
		mmap_read_lock(current->mm);
		win = ubmap_window_vma(dev);
		ret = win ? ubmap_mb_map_loop(dev, win, win->vm_start, p, mb) : -ENXIO;
		mmap_read_unlock(current->mm);
	}
	mutex_unlock(&q->mutex);
	return ret;
}

/**
 * ubmap_microbench() - the UBMAP_IOC_MICROBENCH ioctl
 * @dev: the device; the caller checked current->mm is the backend's
 * @umb: the user's struct ubmap_microbench
 */
long ubmap_microbench(struct ubmap_dev *dev, struct ubmap_microbench __user *umb)
{
	struct ubmap_mb_pages p = { 0 };
	struct ubmap_microbench mb;
	unsigned int i;
	int ret;

	if (!microbench)
		return -EPERM;
	if (copy_from_user(&mb, umb, sizeof(mb)))
		return -EFAULT;
	for (i = 0; i < ARRAY_SIZE(mb.reserved); i++)
		if (mb.reserved[i])
			return -EINVAL;
	if (mb.kind >= UBMAP_NR_MB_KINDS || !mb.nr_pages ||
	    mb.nr_pages > dev->slot_size >> PAGE_SHIFT || !mb.iterations ||
	    mb.iterations > UBMAP_MB_MAX_ITERATIONS ||
	    mb.flags & ~UBMAP_MB_F_READONLY || !PAGE_ALIGNED(mb.user_buf) ||
	    ((mb.kind == UBMAP_MB_anon || dev->mode->user_copy) && !mb.user_buf))
		return -EINVAL;
	mb.map_ns = 0;
	mb.unmap_ns = 0;
	mb.map_calls = 0;
	mb.refused = 0;
	p.nr = mb.nr_pages;
	p.kind = mb.kind;
	ret = ubmap_mb_get(&p, mb.user_buf);
	if (!ret)
		ret = ubmap_mb_run(dev, &p, &mb);
	ubmap_mb_put(&p);
	if (!ret && copy_to_user(umb, &mb, sizeof(mb)))
		ret = -EFAULT;
	return ret;
}
