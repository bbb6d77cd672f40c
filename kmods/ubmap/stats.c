// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs ubmap/<disk>/stats: the per-device counters as "key value" lines,
 * summed over the queues, keys in the order of UBMAP_STATS_KEYS.  Writing
 * anything resets them.  Counters are per queue and updated under the
 * queue's mutex, so the hot path never shares a cache line across queues.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "ubmap.h"

static const char *const ubmap_stat_names[] = {
#define UBMAP_STAT_NAME(name) #name,
	UBMAP_STATS_KEYS(UBMAP_STAT_NAME)
#undef UBMAP_STAT_NAME
};

static int ubmap_stats_show(struct seq_file *m, void *unused)
{
	struct ubmap_dev *dev = m->private;
	u64 sum[UBMAP_NR_STATS] = { 0 };
	u64 inflight = 0;
	unsigned int i, s, tag;

	for (i = 0; i < dev->nr_queues; i++) {
		struct ubmap_queue *q = &dev->queues[i];
		struct ubmap_cmd *cmd;

		mutex_lock(&q->mutex);
		for (s = 0; s < UBMAP_NR_STATS; s++)
			sum[s] += q->stats[s];
		for (tag = 0; tag < dev->queue_depth; tag++)
			inflight += !!q->fetched[tag];
		mutex_unlock(&q->mutex);
		sum[UBMAP_STAT_errors] += atomic64_read(&q->detached_errors);
		spin_lock(&q->lock);
		list_for_each_entry(cmd, &q->pending, node)
			inflight++;
		spin_unlock(&q->lock);
	}
	for (s = 0; s < UBMAP_NR_STATS; s++)
		seq_printf(m, "%s %llu\n", ubmap_stat_names[s], sum[s]);
	/* A gauge, not a counter: requests queued or held by the backend. */
	seq_printf(m, "inflight %llu\n", inflight);
	return 0;
}

static int ubmap_stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, ubmap_stats_show, inode->i_private);
}

static ssize_t ubmap_stats_write(struct file *file, const char __user *buf,
				 size_t count, loff_t *ppos)
{
	struct ubmap_dev *dev = file_inode(file)->i_private;
	unsigned int i;

	for (i = 0; i < dev->nr_queues; i++) {
		struct ubmap_queue *q = &dev->queues[i];

		mutex_lock(&q->mutex);
		memset(q->stats, 0, sizeof(q->stats));
		atomic64_set(&q->detached_errors, 0);
		mutex_unlock(&q->mutex);
	}
	return count;
}

static const struct file_operations ubmap_stats_fops = {
	.owner		= THIS_MODULE,
	.open		= ubmap_stats_open,
	.read		= seq_read,
	.write		= ubmap_stats_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

void ubmap_stats_init(struct ubmap_dev *dev, struct dentry *root)
{
	BUILD_BUG_ON(ARRAY_SIZE(ubmap_stat_names) != UBMAP_NR_STATS);
	dev->debugfs = debugfs_create_dir(dev->name, root);
	debugfs_create_file("stats", 0600, dev->debugfs, dev, &ubmap_stats_fops);
}

void ubmap_stats_exit(struct ubmap_dev *dev)
{
	debugfs_remove_recursive(dev->debugfs);
}
