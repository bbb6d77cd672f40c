// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap: a blk-mq disk served by a userspace backend, with switchable ways
 * of showing the backend a request's pages (copy, vm_insert_pages,
 * remap_pfn_range, mkspecial).  Module parameters are the defaults each
 * device starts with.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/stringify.h>

#include "ubmap.h"

static unsigned int nr_devices = 1;
module_param(nr_devices, uint, 0444);
MODULE_PARM_DESC(nr_devices, "Number of ubmap devices (default 1)");

static unsigned long capacity_mb = 256;
module_param(capacity_mb, ulong, 0444);
MODULE_PARM_DESC(capacity_mb, "Device size in MiB (default 256)");

#define UBMAP_MAX_QUEUE_DEPTH	1024
static unsigned int queue_depth = 32;
module_param(queue_depth, uint, 0444);
MODULE_PARM_DESC(queue_depth, "Tags per hardware queue, 2..1024 (default 32)");

static unsigned int nr_queues = 2;
module_param(nr_queues, uint, 0444);
MODULE_PARM_DESC(nr_queues, "Hardware queues, one backend thread each (default 2)");

static unsigned int max_io_kb = 1024;
module_param(max_io_kb, uint, 0444);
MODULE_PARM_DESC(max_io_kb, "Largest request and window slot in KiB, power of 2, 1024..8192 (default 1024)");

static unsigned int logical_block_size = 512;
module_param(logical_block_size, uint, 0444);
MODULE_PARM_DESC(logical_block_size, "Logical block size in bytes (default 512)");

static char *mode = "copy";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "Initial mapping mode, one of:" UBMAP_MODE_NAMES);

static bool strict;
module_param(strict, bool, 0444);
MODULE_PARM_DESC(strict, "Fail requests a zero-copy mode cannot map instead of copying");

/*
 * Test only: a busy cost per request (inject.c), so the CI gate
 * (scripts/bench-ab.sh) can be shown a regression of known size.  Never set
 * them for a measurement.
 */
static unsigned int inject_ns;
module_param(inject_ns, uint, 0444);
MODULE_PARM_DESC(inject_ns, "Test only: busy-wait this many ns per request fetched, 0.."
		 __stringify(UBMAP_MAX_INJECT_NS) " (default 0, off)");
static unsigned int inject_pct;
module_param(inject_pct, uint, 0444);
MODULE_PARM_DESC(inject_pct, "Test only: busy-wait this percentage of the queue's recent request period per request fetched, 0..100 (default 0, off)");

/* The bounce area (one slot per tag) is vmalloc_user()ed per backend. */
#define UBMAP_MAX_WINDOW_KB	(1024 * 1024)

static struct ubmap_dev *ubmap_devs;
static struct dentry *ubmap_debugfs;

/* Bad parameters are refused with a reason rather than silently clamped. */
static int ubmap_check_params(void)
{
	const char *bad = NULL;

	if (!nr_devices || nr_devices > 16)
		bad = "nr_devices must be 1..16";
	else if (queue_depth < 2 || queue_depth > UBMAP_MAX_QUEUE_DEPTH)
		bad = "queue_depth must be 2.." __stringify(UBMAP_MAX_QUEUE_DEPTH);
	else if (!nr_queues || nr_queues > 64)
		bad = "nr_queues must be 1..64";
	else if (max_io_kb < 1024 || max_io_kb > 8192 || !is_power_of_2(max_io_kb))
		bad = "max_io_kb must be a power of 2 in 1024..8192";
	else if (logical_block_size < 512 || logical_block_size > PAGE_SIZE ||
		 !is_power_of_2(logical_block_size))
		bad = "logical_block_size must be a power of 2 in 512..4096";
	else if (!capacity_mb || capacity_mb > (1UL << 30))
		bad = "capacity_mb must be 1..2^30";
	else if ((u64)nr_queues * queue_depth * max_io_kb > UBMAP_MAX_WINDOW_KB)
		bad = "nr_queues x queue_depth x max_io_kb must be at most 1 GiB (the window is vmalloc'd at open)";
	else if (inject_ns > UBMAP_MAX_INJECT_NS)
		bad = "inject_ns must be 0.." __stringify(UBMAP_MAX_INJECT_NS) " (a test-only delay per request, at most 1 ms)";
	else if (inject_pct > 100)
		bad = "inject_pct must be 0..100 (a test-only delay, a percentage of the request period)";
	else if (inject_ns && inject_pct)
		bad = "inject_ns and inject_pct: set one of them, not both";
	else if (!ubmap_mode_find(mode))
		bad = "mode must be one of:" UBMAP_MODE_NAMES;
	if (bad) {
		pr_err("%s\n", bad);
		return -EINVAL;
	}
	return 0;
}

static void ubmap_queues_free(struct ubmap_dev *dev)
{
	unsigned int i;

	for (i = 0; dev->queues && i < dev->nr_queues; i++) {
		kvfree(dev->queues[i].fetched);
		kvfree(dev->queues[i].cbuf);
		kvfree(dev->queues[i].tbuf);
		kvfree(dev->queues[i].gen);
	}
	kfree(dev->queues);
}

static int ubmap_queues_alloc(struct ubmap_dev *dev)
{
	unsigned int i, qd = dev->queue_depth;

	dev->queues = kcalloc(dev->nr_queues, sizeof(*dev->queues), GFP_KERNEL);
	if (!dev->queues)
		return -ENOMEM;
	for (i = 0; i < dev->nr_queues; i++) {
		struct ubmap_queue *q = &dev->queues[i];

		q->dev = dev;
		q->index = i;
		spin_lock_init(&q->lock);
		INIT_LIST_HEAD(&q->pending);
		init_waitqueue_head(&q->wait);
		mutex_init(&q->mutex);
		atomic64_set(&q->detached_errors, 0);
		q->fetched = kvcalloc(qd, sizeof(*q->fetched), GFP_KERNEL);
		q->cbuf = kvcalloc(qd, sizeof(*q->cbuf), GFP_KERNEL);
		q->tbuf = kvcalloc(qd, sizeof(*q->tbuf), GFP_KERNEL);
		q->gen = kvcalloc(qd, sizeof(*q->gen), GFP_KERNEL);
		if (!q->fetched || !q->cbuf || !q->tbuf || !q->gen)
			return -ENOMEM;
	}
	return 0;
}

static int ubmap_dev_create(struct ubmap_dev *dev, unsigned int id)
{
	int ret;

	dev->id = id;
	snprintf(dev->name, sizeof(dev->name), "ubmap%u", id);
	dev->capacity = (u64)capacity_mb << 20;
	dev->nr_queues = nr_queues;
	dev->queue_depth = queue_depth;
	dev->slot_size = max_io_kb << 10;
	dev->lbs = logical_block_size;
	dev->mode = ubmap_mode_find(mode);
	dev->strict = strict;
	dev->inject_ns = inject_ns;
	dev->inject_pct = inject_pct;
	dev->ctrl_size = PAGE_ALIGN(sizeof(struct ubmap_ctrl_header) +
				    (size_t)nr_queues * queue_depth *
				    sizeof(struct ubmap_io_desc));
	mutex_init(&dev->lock);

	ret = ubmap_queues_alloc(dev);
	if (ret)
		goto free_queues;
	ret = ubmap_disk_init(dev);
	if (ret)
		goto free_queues;
	ret = ubmap_chardev_init(dev);
	if (ret)
		goto exit_disk;
	ubmap_stats_init(dev, ubmap_debugfs);
	pr_info("%s: %llu MiB, %u queues x %u tags, %u KiB slots, mode %s\n",
		dev->name, dev->capacity >> 20, dev->nr_queues,
		dev->queue_depth, dev->slot_size >> 10, ubmap_mode_name(dev->mode));
	if (dev->inject_ns || dev->inject_pct)
		pr_warn("%s: inject_ns=%u inject_pct=%u: every request pays a test-only delay\n",
			dev->name, dev->inject_ns, dev->inject_pct);
	return 0;

exit_disk:
	ubmap_disk_exit(dev);
free_queues:
	ubmap_queues_free(dev);
	return ret;
}

/* A backend holds a module reference through its open file: none is left. */
static void ubmap_dev_destroy(struct ubmap_dev *dev)
{
	ubmap_stats_exit(dev);
	ubmap_chardev_exit(dev);
	ubmap_disk_exit(dev);
	ubmap_queues_free(dev);
}

static int __init ubmap_init(void)
{
	unsigned int i;
	int ret;

	BUILD_BUG_ON(sizeof(struct ubmap_io_desc) != 32);
	BUILD_BUG_ON(sizeof(struct ubmap_completion) != 8);
	BUILD_BUG_ON(sizeof(struct ubmap_batch) != 72);
	BUILD_BUG_ON(sizeof(struct ubmap_info) % 8);
	/* A tag must fit its handle's tag bits. */
	BUILD_BUG_ON(UBMAP_MAX_QUEUE_DEPTH > 1U << UBMAP_HANDLE_TAG_BITS);

	ret = ubmap_check_params();
	if (ret)
		return ret;
	ubmap_devs = kcalloc(nr_devices, sizeof(*ubmap_devs), GFP_KERNEL);
	if (!ubmap_devs)
		return -ENOMEM;
	ret = ubmap_disk_register();
	if (ret)
		goto free_devs;
	ubmap_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	for (i = 0; i < nr_devices; i++) {
		ret = ubmap_dev_create(&ubmap_devs[i], i);
		if (ret)
			goto destroy;
	}
	return 0;

destroy:
	while (i--)
		ubmap_dev_destroy(&ubmap_devs[i]);
	debugfs_remove_recursive(ubmap_debugfs);
	ubmap_disk_unregister();
free_devs:
	kfree(ubmap_devs);
	return ret;
}

static void __exit ubmap_exit(void)
{
	unsigned int i;

	for (i = nr_devices; i--; )
		ubmap_dev_destroy(&ubmap_devs[i]);
	debugfs_remove_recursive(ubmap_debugfs);
	ubmap_disk_unregister();
	kfree(ubmap_devs);
}

module_init(ubmap_init);
module_exit(ubmap_exit);
MODULE_DESCRIPTION("Block device served from userspace, with switchable page mapping modes");
MODULE_LICENSE("GPL");
