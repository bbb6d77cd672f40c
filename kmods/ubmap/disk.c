// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ubmapN: the blk-mq disk.  queue_rq only queues the request for the
 * backend (ring.c does the rest); with no backend attached it fails at once
 * rather than leaving the submitter waiting on a server that is not there.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/module.h>

#include "ubmap.h"

static int ubmap_major;

static blk_status_t ubmap_queue_rq(struct blk_mq_hw_ctx *hctx,
				   const struct blk_mq_queue_data *bd)
{
	struct ubmap_queue *q = hctx->driver_data;
	struct request *rq = bd->rq;
	struct ubmap_cmd *cmd = blk_mq_rq_to_pdu(rq);

	switch (req_op(rq)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
	case REQ_OP_FLUSH:
		break;
	default:
		return BLK_STS_NOTSUPP;
	}
	blk_mq_start_request(rq);

	spin_lock(&q->lock);
	if (!q->attached) {
		spin_unlock(&q->lock);
		atomic64_inc(&q->detached_errors);
		return BLK_STS_IOERR;
	}
	cmd->state = UBMAP_CMD_PENDING;
	list_add_tail(&cmd->node, &q->pending);
	spin_unlock(&q->lock);
	wake_up(&q->wait);
	return BLK_STS_OK;
}

/*
 * A request the backend holds may be mapped into its window; only the
 * backend's context can unmap it, so it is never ended from here.  Killing
 * the backend fails it (ring.c, ubmap_fail_all).
 */
static enum blk_eh_timer_return ubmap_timeout(struct request *rq)
{
	struct ubmap_queue *q = rq->mq_hctx->driver_data;

	pr_warn_ratelimited("%s: request tag %u on queue %u waits for the backend\n",
			    q->dev->name, rq->tag, q->index);
	return BLK_EH_RESET_TIMER;
}

static int ubmap_init_hctx(struct blk_mq_hw_ctx *hctx, void *data,
			   unsigned int index)
{
	struct ubmap_dev *dev = data;

	hctx->driver_data = &dev->queues[index];
	return 0;
}

static int ubmap_init_request(struct blk_mq_tag_set *set, struct request *rq,
			      unsigned int hctx_idx, unsigned int numa_node)
{
	struct ubmap_cmd *cmd = blk_mq_rq_to_pdu(rq);

	INIT_LIST_HEAD(&cmd->node);
	cmd->state = UBMAP_CMD_IDLE;
	return 0;
}

static const struct blk_mq_ops ubmap_mq_ops = {
	.queue_rq	= ubmap_queue_rq,
	.timeout	= ubmap_timeout,
	.init_hctx	= ubmap_init_hctx,
	.init_request	= ubmap_init_request,
};

static const struct block_device_operations ubmap_bdev_ops = {
	.owner		= THIS_MODULE,
};

int ubmap_disk_init(struct ubmap_dev *dev)
{
	struct blk_mq_tag_set *set = &dev->tag_set;
	struct gendisk *disk;
	int ret;

	set->ops = &ubmap_mq_ops;
	set->nr_hw_queues = dev->nr_queues;
	set->queue_depth = dev->queue_depth;
	set->numa_node = NUMA_NO_NODE;
	set->cmd_size = sizeof(struct ubmap_cmd) +
		(dev->slot_size >> PAGE_SHIFT) * sizeof(struct page *);
	set->flags = BLK_MQ_F_SHOULD_MERGE;
	set->driver_data = dev;
	ret = blk_mq_alloc_tag_set(set);
	if (ret)
		return ret;

	disk = blk_mq_alloc_disk(set, dev);
	if (IS_ERR(disk)) {
		ret = PTR_ERR(disk);
		goto free_tags;
	}
	disk->major = ubmap_major;
	disk->first_minor = dev->id;
	disk->minors = 1;
	disk->fops = &ubmap_bdev_ops;
	disk->private_data = dev;
	/* No partition scan: it would read a disk that has no server yet. */
	disk->flags |= GENHD_FL_NO_PART;
	strscpy(disk->disk_name, dev->name, sizeof(disk->disk_name));
	set_capacity(disk, dev->capacity >> SECTOR_SHIFT);

	blk_queue_logical_block_size(disk->queue, dev->lbs);
	blk_queue_physical_block_size(disk->queue, PAGE_SIZE);
	blk_queue_io_min(disk->queue, PAGE_SIZE);
	/* A whole max-size request fits one slot, one page per segment; and
	 * the default cap (BLK_DEF_MAX_SECTORS, 1280 KiB) must not make the
	 * largest request smaller than a slot.
	 */
	blk_queue_max_hw_sectors(disk->queue, dev->slot_size >> SECTOR_SHIFT);
	disk->queue->limits.max_sectors = dev->slot_size >> SECTOR_SHIFT;
	blk_queue_max_segments(disk->queue, dev->slot_size >> PAGE_SHIFT);
	blk_queue_max_segment_size(disk->queue, dev->slot_size);
	/* The backend's storage caches writes (the file store's page cache):
	 * without this the block layer drops PREFLUSH and FUA, and fsync()
	 * on the disk would report success for data still in that cache.
	 */
	blk_queue_write_cache(disk->queue, true, true);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, disk->queue);
	blk_queue_flag_clear(QUEUE_FLAG_ADD_RANDOM, disk->queue);

	ret = device_add_disk(NULL, disk, ubmap_disk_groups);
	if (ret)
		goto put_disk;
	dev->disk = disk;
	return 0;

put_disk:
	put_disk(disk);
free_tags:
	blk_mq_free_tag_set(set);
	return ret;
}

void ubmap_disk_exit(struct ubmap_dev *dev)
{
	del_gendisk(dev->disk);
	put_disk(dev->disk);
	blk_mq_free_tag_set(&dev->tag_set);
}

int ubmap_disk_register(void)
{
	ubmap_major = register_blkdev(0, "ubmap");
	return ubmap_major < 0 ? ubmap_major : 0;
}

void ubmap_disk_unregister(void)
{
	unregister_blkdev(ubmap_major, "ubmap");
}
