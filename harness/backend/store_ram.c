// SPDX-License-Identifier: GPL-2.0
/*
 * ram store: the device image in anonymous memory.  Pages are only backed
 * once written (MAP_NORESERVE), so a large capacity costs nothing up front
 * and unwritten blocks read as zeros.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "log.h"
#include "store.h"

static int ram_open(struct store *s, const struct store_params *p)
{
	void *img;

	if (!p->capacity || p->capacity > SIZE_MAX)
		return -EINVAL;
	img = mmap(NULL, p->capacity, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (img == MAP_FAILED) {
		int err = errno;

		ub_err("ram store: cannot map %llu bytes: %s",
		       (unsigned long long)p->capacity, strerror(err));
		return -err;
	}
	s->priv = img;
	return 0;
}

static void ram_close(struct store *s)
{
	munmap(s->priv, s->capacity);
}

static int ram_queue_io(struct store *s, unsigned int qid,
			const struct ubmap_io_desc *d, void *data)
{
	char *img = s->priv;

	(void)qid;
	/* Bounds were checked by desc_validate() before we got here; memory
	 * has no cache to flush.
	 */
	if (d->op == UBMAP_OP_FLUSH)
		return 0;
	if (d->op == UBMAP_OP_READ)
		memcpy(data, img + d->offset, d->len);
	else
		memcpy(img + d->offset, data, d->len);
	return 0;
}

const struct store_ops store_ram_ops = {
	.name		= "ram",
	.open		= ram_open,
	.close		= ram_close,
	.queue_io	= ram_queue_io,
};
