// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>

#include "device.h"
#include "ucopy.h"

int ucopy_start(struct ubmapd_dev *dev, struct ucopy *uc,
		const struct ubmap_io_desc *d, void **data)
{
	int ret;

	/* Page aligned: the file store may do O_DIRECT from it. */
	if (!uc->buf && posix_memalign(&uc->buf, 4096, dev->info.slot_size))
		return -ENOMEM;
	uc->off = UBMAP_USER_COPY_OFF + d->window_off;
	uc->len = d->len;
	uc->pending_read = d->op == UBMAP_OP_READ;
	*data = uc->buf;
	if (d->op != UBMAP_OP_WRITE)
		return 0;
	ret = dev->user_copy(dev, uc->buf, d->len, uc->off, false);
	return ret;
}

int ucopy_finish(struct ubmapd_dev *dev, struct ucopy *uc, int result)
{
	bool read = uc->pending_read;

	uc->pending_read = false;
	if (!read || result)
		return result;
	return dev->user_copy(dev, uc->buf, uc->len, uc->off, true);
}

void ucopy_free(struct ucopy *uc)
{
	free(uc->buf);
	uc->buf = NULL;
}
