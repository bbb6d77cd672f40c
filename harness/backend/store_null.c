// SPDX-License-Identifier: GPL-2.0
/*
 * null store: touches no data and completes at once, so a run measures the
 * module's mapping cost and the ring, not a store.
 */
#include "store.h"

static int null_open(struct store *s, const struct store_params *p)
{
	(void)s;
	(void)p;
	return 0;
}

static int null_queue_io(struct store *s, unsigned int qid,
			 const struct ubmap_io_desc *d, void *data)
{
	(void)s;
	(void)qid;
	(void)d;
	(void)data;
	return 0;
}

const struct store_ops store_null_ops = {
	.name		= "null",
	.open		= null_open,
	.queue_io	= null_queue_io,
};
