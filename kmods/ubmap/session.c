// SPDX-License-Identifier: GPL-2.0
/*
 * A backend's attachment to a device, from open to the file's release or
 * to the death of the backend's mm, whichever comes first.  A backend that
 * forked keeps its file open in the child: the child must not keep the
 * dead parent's requests waiting, nor the device from a new backend.
 * ublk watches its daemon task for the same reason; the mm's own
 * notifier tells us exactly when the last thread of the backend is gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mmu_notifier.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "ubmap.h"

/*
 * Fails what @s still holds and lets another backend attach.  @mm, when
 * the backend's mm is dying with its window still mapped, is where the
 * slots are unmapped first; NULL when no window is left.  Idempotent.
 */
static void ubmap_session_detach(struct ubmap_session *s, struct mm_struct *mm)
{
	struct ubmap_dev *dev = s->dev;
	unsigned int i;

	if (READ_ONCE(dev->session) != s)
		return;
	/* Not under dev->lock: the close hook takes it under the mmap lock. */
	ubmap_fail_all(dev, s, mm);
	mutex_lock(&dev->lock);
	if (dev->session == s) {
		WRITE_ONCE(dev->session, NULL);
		dev->bounce = NULL;
		dev->ctrl = NULL;
		clear_bit(0, &dev->attached);
		pr_info("%s: backend detached%s\n", dev->name,
			mm ? " (its process is gone)" : "");
	}
	mutex_unlock(&dev->lock);
	for (i = 0; i < dev->nr_queues; i++)
		wake_up_all(&dev->queues[i].wait);
}

/* The backend's last thread is gone; its vmas are not unmapped yet. */
static void ubmap_session_mm_release(struct mmu_notifier *mn,
				     struct mm_struct *mm)
{
	ubmap_session_detach(container_of(mn, struct ubmap_session, mn), mm);
}

static const struct mmu_notifier_ops ubmap_session_mn_ops = {
	.release	= ubmap_session_mm_release,
};

static void ubmap_session_free(struct ubmap_session *s)
{
	vfree(s->bounce);
	vfree(s->ctrl);
	mmdrop(s->mm);
	kfree(s);
}

/**
 * ubmap_session_open() - attach the calling process to @dev as its backend
 * @dev: the device
 *
 * Returns the session, or ERR_PTR(-EBUSY) while another backend is
 * attached, -ENOMEM, or the notifier's error.
 */
struct ubmap_session *ubmap_session_open(struct ubmap_dev *dev)
{
	struct ubmap_session *s;
	unsigned int i;
	int ret;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->dev = dev;
	s->mm = current->mm;
	mmgrab(s->mm);
	/* Takes the mmap lock for writing: before dev->lock (the close hook
	 * takes dev->lock under the mmap lock).
	 */
	s->mn.ops = &ubmap_session_mn_ops;
	ret = mmu_notifier_register(&s->mn, s->mm);
	if (ret) {
		mmdrop(s->mm);
		kfree(s);
		return ERR_PTR(ret);
	}
	mutex_lock(&dev->lock);
	if (test_bit(0, &dev->attached)) {
		ret = -EBUSY;
		goto unlock;
	}
	/* Fresh, zeroed memory per backend: nothing of a previous one leaks. */
	s->bounce = vmalloc_user(ubmap_data_size(dev));
	s->ctrl = vmalloc_user(dev->ctrl_size);
	if (!s->bounce || !s->ctrl) {
		ret = -ENOMEM;
		goto unlock;
	}
	ubmap_fill_info(dev, s->ctrl);
	dev->bounce = s->bounce;
	dev->ctrl = s->ctrl;
	WRITE_ONCE(dev->session, s);
	set_bit(0, &dev->attached);
	for (i = 0; i < dev->nr_queues; i++) {
		spin_lock(&dev->queues[i].lock);
		dev->queues[i].attached = true;
		spin_unlock(&dev->queues[i].lock);
	}
	pr_info("%s: backend %d attached, mode %s\n", dev->name,
		task_tgid_nr(current), ubmap_mode_name(dev->mode));
	mutex_unlock(&dev->lock);
	return s;

unlock:
	mutex_unlock(&dev->lock);
	/* Calls ->release, a no-op for a session that never attached. */
	mmu_notifier_unregister(&s->mn, s->mm);
	ubmap_session_free(s);
	return ERR_PTR(ret);
}

/**
 * ubmap_session_release() - the session's file is released
 * @s: the session; no vma of it is left (each held the file)
 */
void ubmap_session_release(struct ubmap_session *s)
{
	ubmap_session_detach(s, NULL);
	mmu_notifier_unregister(&s->mn, s->mm);
	ubmap_session_free(s);
}
