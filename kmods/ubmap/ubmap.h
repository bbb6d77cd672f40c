/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ubmap internals shared by the module's files.
 *
 * Life of a request: queue_rq puts it on its queue's pending list; the
 * backend's COMMIT_FETCH ioctl takes it off, makes its data visible in the
 * request's window slot (mode->map, or a copy through the bounce slot) and
 * hands out the tag; the next COMMIT_FETCH with that tag unmaps the slot,
 * copies READ data back if it was copied, and only then ends the request.
 */
#ifndef UBMAP_H
#define UBMAP_H

#include <linux/blk-mq.h>
#include <linux/miscdevice.h>
#include <linux/mm_types.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include <linux/ubmap.h>

/* Counter indices, generated from the ABI's list of stats keys. */
enum ubmap_stat {
#define UBMAP_STAT_ENUM(name) UBMAP_STAT_##name,
	UBMAP_STATS_KEYS(UBMAP_STAT_ENUM)
#undef UBMAP_STAT_ENUM
	UBMAP_NR_STATS
};

/**
 * struct ubmap_mode_ops - one way of showing request data to the backend
 * @vm_flags: flags the data window vma needs, set at mmap time
 * @mmap: optional; fill the window once at mmap (copy mode maps the bounce
 *	area here).  Called with the mmap lock held for writing.
 * @check_page: optional; why @page cannot be mapped, or UBMAP_FB_NONE
 * @map: map @nr pages at @addr in @vma; returns 0, or -errno with nothing
 *	left mapped.  @writable is false for a WRITE request's pages: the
 *	backend only reads them and must not change data being written.  Adds
 *	the calls it made into the mm to @calls.  NULL means the mode never
 *	maps per request (copy).
 * @user_copy: the backend moves the data itself with pread/pwrite on the
 *	char device (user_copy.c); nothing is mapped or bounced.
 * @unmap: remove [@addr, @addr + @len) from @vma and flush the TLB, so the
 *	pages are unreachable from the backend when it returns.  Returns how
 *	many pages it found written by the backend and made clean first
 *	(UBMAP_STAT_read_pages_cleaned), 0 for modes whose PTEs the mm never
 *	reads the dirty bit of.
 *
 * @map and @unmap run in the backend's context with its mmap lock held for
 * reading.  Mode <name> of UBMAP_MODES is the ops ubmap_mode_<name>.
 */
struct ubmap_mode_ops {
	unsigned long vm_flags;
	int (*mmap)(struct vm_area_struct *vma, void *bounce);
	enum ubmap_fallback (*check_page)(struct page *page);
	int (*map)(struct vm_area_struct *vma, unsigned long addr,
		   struct page **pages, unsigned int nr, bool writable,
		   u64 *calls);
	u64 (*unmap)(struct vm_area_struct *vma, unsigned long addr,
		     unsigned long len);
	bool user_copy;
};

#define UBMAP_MODE_DECLARE(n) extern const struct ubmap_mode_ops ubmap_mode_##n;
UBMAP_MODES(UBMAP_MODE_DECLARE)
#undef UBMAP_MODE_DECLARE

/* " copy vm_insert_pages ...": every mode's name, each after a space. */
#define UBMAP_MODE_SPACED(n)	" " #n
#define UBMAP_MODE_NAMES	UBMAP_MODES(UBMAP_MODE_SPACED)

const struct ubmap_mode_ops *ubmap_mode_find(const char *name);
const char *ubmap_mode_name(const struct ubmap_mode_ops *mode);
pgprot_t ubmap_mode_prot(struct vm_area_struct *vma, bool writable);

enum ubmap_cmd_state {
	UBMAP_CMD_IDLE,
	UBMAP_CMD_PENDING,	/* on the queue's pending list */
	UBMAP_CMD_FETCHED,	/* the backend owns it */
};

/* Per-request data (blk-mq pdu), followed by the page array. */
struct ubmap_cmd {
	struct list_head node;
	enum ubmap_cmd_state state;
	bool copied;		/* data goes through the bounce slot */
	unsigned long map_len;	/* bytes mapped in the slot, to unmap */
	struct page *pages[];
};

struct ubmap_queue {
	struct ubmap_dev *dev;
	unsigned int index;

	spinlock_t lock;		/* pending, attached */
	struct list_head pending;
	bool attached;
	wait_queue_head_t wait;

	struct mutex mutex;		/* fetched[], stats, buffers below */
	struct request **fetched;	/* by tag */
	u16 *gen;			/* by tag: generation of its handle */
	struct ubmap_completion *cbuf;
	u32 *tbuf;
	u64 stats[UBMAP_NR_STATS];
	atomic64_t detached_errors;	/* failed in queue_rq: no backend */
	/* inject_pct's measure of the request period (inject.c), q->mutex */
	u64 inject_last;		/* when the last fetch returned */
	u64 inject_paid;		/* what it was made to wait, ns */
	u64 inject_period;		/* recent ns per request, less waits */
	u32 inject_last_n;		/* requests it fetched */
	u32 inject_outliers;		/* periods in a row far above it */
};

/*
 * One backend's attachment: an open of the char device.  It ends when the
 * file is released or, earlier, when the backend's mm dies (all its threads
 * gone, while a forked child may still hold the file): then its requests
 * fail and another backend may attach; the old file only gets -ESHUTDOWN.
 */
struct ubmap_session {
	struct ubmap_dev *dev;
	struct mm_struct *mm;		/* the backend's, grabbed */
	struct mmu_notifier mn;		/* tells when @mm dies */
	void *bounce;			/* vmalloc_user, one slot per tag */
	void *ctrl;			/* vmalloc_user: header + descs */
	/*
	 * Where the backend mapped the ctrl area and the window, 0 if not.  A
	 * vma pointer would outlive the vma: munmap() runs the close hook
	 * under the read lock, so the vma is looked up on every use
	 * (ubmap_window_vma) and these are only hints.  Written under
	 * dev->lock.
	 */
	unsigned long window_start;
	unsigned long ctrl_start;
};

struct ubmap_dev {
	unsigned int id;
	char name[DISK_NAME_LEN];
	u64 capacity;			/* bytes */
	unsigned int nr_queues;
	unsigned int queue_depth;
	unsigned int slot_size;		/* = max I/O size */
	unsigned int lbs;

	struct mutex lock;		/* mode, strict, session, vmas */
	const struct ubmap_mode_ops *mode;
	bool strict;			/* fail instead of falling back */
	unsigned int inject_ns;		/* test only: delay per request */
	unsigned int inject_pct;	/* test only: % of the request period */
	unsigned long attached;		/* bit 0: a live session */
	struct ubmap_session *session;	/* the attached backend, or NULL */
	void *bounce;			/* session->bounce, for the ring */
	void *ctrl;			/* session->ctrl */
	size_t ctrl_size;

	struct ubmap_queue *queues;
	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;
	struct miscdevice misc;
	char misc_name[DISK_NAME_LEN + 2];
	struct dentry *debugfs;
};

static inline struct ubmap_io_desc *ubmap_desc(struct ubmap_dev *dev,
					       unsigned int q, unsigned int tag)
{
	struct ubmap_io_desc *descs = dev->ctrl + sizeof(struct ubmap_ctrl_header);

	return &descs[q * dev->queue_depth + tag];
}

static inline unsigned long ubmap_slot_off(struct ubmap_dev *dev,
					   unsigned int q, unsigned int tag)
{
	return ((unsigned long)q * dev->queue_depth + tag) * dev->slot_size;
}

static inline u64 ubmap_data_size(struct ubmap_dev *dev)
{
	return (u64)dev->nr_queues * dev->queue_depth * dev->slot_size;
}

/* inject.c: the test-only cost per request (inject_ns, inject_pct) */
#define UBMAP_MAX_INJECT_NS	1000000
u64 ubmap_inject_owed(struct ubmap_dev *dev, struct ubmap_queue *q, u32 n);
void ubmap_inject(u64 ns);

static inline void ubmap_count(struct ubmap_queue *q, enum ubmap_stat s, u64 n)
{
	q->stats[s] += n;
}

/* disk.c */
int ubmap_disk_register(void);
void ubmap_disk_unregister(void);
int ubmap_disk_init(struct ubmap_dev *dev);
void ubmap_disk_exit(struct ubmap_dev *dev);
extern const struct attribute_group *ubmap_disk_groups[];

/* chardev.c */
int ubmap_chardev_init(struct ubmap_dev *dev);
void ubmap_chardev_exit(struct ubmap_dev *dev);
void ubmap_fill_info(struct ubmap_dev *dev, struct ubmap_info *info);
struct vm_area_struct *ubmap_find_vma(struct ubmap_session *s,
				      struct mm_struct *mm, unsigned long start,
				      unsigned long len);
struct vm_area_struct *ubmap_window_vma(struct ubmap_dev *dev);
bool ubmap_ctrl_mapped(struct ubmap_dev *dev);

/* session.c */
struct ubmap_session *ubmap_session_open(struct ubmap_dev *dev);
void ubmap_session_release(struct ubmap_session *s);

/* ring.c */
long ubmap_commit_fetch(struct ubmap_dev *dev, struct ubmap_batch __user *ubatch);
void ubmap_fail_all(struct ubmap_dev *dev, struct ubmap_session *s,
		    struct mm_struct *mm);

/* microbench.c */
long ubmap_microbench(struct ubmap_dev *dev, struct ubmap_microbench __user *umb);

/* copy.c */
void ubmap_copy_rq(struct request *rq, void *buf, bool to_rq);

/* user_copy.c */
ssize_t ubmap_user_copy(struct ubmap_dev *dev, loff_t pos,
			struct iov_iter *iter, bool to_rq);

/* stats.c */
void ubmap_stats_init(struct ubmap_dev *dev, struct dentry *root);
void ubmap_stats_exit(struct ubmap_dev *dev);

#endif /* UBMAP_H */
