// SPDX-License-Identifier: GPL-2.0
/*
 * null_blk, configured through configfs (the module parameters give only
 * whole GB): memory_backed=0 for the null store, the floor any userspace
 * target is measured against; memory_backed=1 beside the ram store.  Its
 * defaults otherwise (blk-mq, softirq completion), as a user meets it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target.h"
#include "util.h"

/* In 6.1 the configfs directory's name is the disk's name. */
#define NULLB_DIR	"/sys/kernel/config/nullb/nullb0"
#define NULLB_DEV	"/dev/nullb0"

static int attr(const char *name, const char *fmt, unsigned long v, char *err)
{
	char path[128], val[32];

	snprintf(path, sizeof(path), "%s/%s", NULLB_DIR, name);
	snprintf(val, sizeof(val), fmt, v);
	if (write_file(path, val)) {
		snprintf(err, ERR_LEN, "null_blk: %s = %s: %m", name, val);
		return -1;
	}
	return 0;
}

static int null_blk_start(const struct target_env *e, const struct cell *c,
			  struct target_dev *d, char *err)
{
	char why[ERR_LEN];

	if (target_module_loaded("null_blk")) {
		snprintf(err, ERR_LEN, "null_blk is loaded already (not by us): rmmod it first");
		return -1;
	}
	/* nr_devices=0: only the device configured below. */
	if (target_modprobe(why, "null_blk", "nr_devices=0")) {
		snprintf(err, ERR_LEN, "%s", why);
		return TARGET_UNAVAILABLE;
	}
	d->module_ours = true;
	if (access("/sys/kernel/config/nullb", F_OK)) {
		snprintf(err, ERR_LEN, "null_blk: no /sys/kernel/config/nullb (configfs not mounted?)");
		return -1;
	}
	if (mkdir(NULLB_DIR, 0755)) {
		snprintf(err, ERR_LEN, "mkdir %s: %m", NULLB_DIR);
		return -1;
	}
	if (attr("size", "%lu", TARGET_SIZE_MB, err) ||
	    attr("blocksize", "%lu", 512, err) ||
	    attr("submit_queues", "%lu", c->queues, err) ||
	    attr("hw_queue_depth", "%lu", e->queue_depth, err) ||
	    attr("max_sectors", "%lu", e->max_io >> 9, err) ||
	    attr("memory_backed", "%lu", !strcmp(c->store, "ram"), err) ||
	    attr("power", "%lu", 1, err))
		return -1;
	if (wait_node(NULLB_DEV, 10)) {
		snprintf(err, ERR_LEN, "null_blk powered on but %s did not appear", NULLB_DEV);
		return -1;
	}
	snprintf(d->dev, sizeof(d->dev), "%s", NULLB_DEV);
	return 0;
}

static int null_blk_stop(struct target_dev *d, char *err)
{
	if (!access(NULLB_DIR, F_OK)) {
		attr("power", "%lu", 0, err);
		if (rmdir(NULLB_DIR)) {
			snprintf(err, ERR_LEN, "rmdir %s: %m", NULLB_DIR);
			return -1;
		}
	}
	if (d->module_ours && target_rmmod("null_blk", err))
		return -1;
	d->module_ours = false;
	return 0;
}

const struct target_ops target_null_blk = {
	.name = "null_blk",
	.stores = (const char *const[]){ "null", "ram", NULL },
	.start = null_blk_start,
	.stop = null_blk_stop,
};
