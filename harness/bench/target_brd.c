// SPDX-License-Identifier: GPL-2.0
/*
 * brd, the RAM disk: one memcpy per request between its pages and the
 * request's, the one-copy limit for the ram store.
 */
#include <stdio.h>
#include <stdlib.h>

#include "target.h"
#include "util.h"

#define BRD_DEV		"/dev/ram0"
#define BRD_LIMIT	"/sys/block/ram0/queue/max_sectors_kb"
#define BRD_HW_LIMIT	"/sys/block/ram0/queue/max_hw_sectors_kb"

static int brd_start(const struct target_env *e, const struct cell *c,
		     struct target_dev *d, char *err)
{
	char params[96], why[ERR_LEN], kb[32], *hw;
	unsigned long want = e->max_io >> 10, hw_kb = 0;

	(void)c;
	if (target_module_loaded("brd")) {
		snprintf(err, ERR_LEN, "brd is loaded already (not by us): rmmod it first");
		return -1;
	}
	/* rd_size is in KiB. */
	snprintf(params, sizeof(params), "rd_nr=1 rd_size=%lu max_part=0",
		 TARGET_SIZE_MB << 10);
	if (target_modprobe(why, "brd", params)) {
		snprintf(err, ERR_LEN, "%s", why);
		return TARGET_UNAVAILABLE;
	}
	d->module_ours = true;
	if (wait_node(BRD_DEV, 10)) {
		snprintf(err, ERR_LEN, "brd loaded but %s did not appear", BRD_DEV);
		return -1;
	}
	/* Requests as large as ours where its hardware limit allows. */
	hw = read_file(BRD_HW_LIMIT, NULL);
	if (hw && !parse_uint(strtrim(hw), &hw_kb) && hw_kb && hw_kb < want)
		want = hw_kb;
	free(hw);
	snprintf(kb, sizeof(kb), "%lu", want);
	if (write_file(BRD_LIMIT, kb)) {
		snprintf(err, ERR_LEN, "brd: %s = %s: %m", BRD_LIMIT, kb);
		return -1;
	}
	snprintf(d->dev, sizeof(d->dev), "%s", BRD_DEV);
	return 0;
}

static int brd_stop(struct target_dev *d, char *err)
{
	if (d->module_ours && target_rmmod("brd", err))
		return -1;
	d->module_ours = false;
	return 0;
}

const struct target_ops target_brd = {
	.name = "brd",
	.stores = (const char *const[]){ "ram", NULL },
	.start = brd_start,
	.stop = brd_stop,
};
