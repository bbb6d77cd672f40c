// SPDX-License-Identifier: GPL-2.0
#include "desc.h"

enum desc_check desc_validate(const struct ubmap_info *info,
			      const struct ubmap_io_desc *d,
			      unsigned int queue, __u32 handle)
{
	__u64 slot, slot_end, lbs = info->logical_block_size;
	unsigned int tag = UBMAP_HANDLE_TAG(handle);

	if (d->op != UBMAP_OP_READ && d->op != UBMAP_OP_WRITE &&
	    d->op != UBMAP_OP_FLUSH)
		return DESC_BAD_OP;
	if (d->queue != queue || d->tag != tag || d->handle != handle)
		return DESC_BAD_ID;
	/* A FLUSH carries no data: no range, no window. */
	if (d->op == UBMAP_OP_FLUSH)
		return d->len ? DESC_BAD_LEN : DESC_OK;
	if (!d->len || d->len > info->slot_size)
		return DESC_BAD_LEN;
	if (d->offset % lbs || d->len % lbs)
		return DESC_UNALIGNED;
	/* Written so that no sum can wrap. */
	if (d->offset > info->capacity || d->len > info->capacity - d->offset)
		return DESC_BAD_RANGE;
	slot = ((__u64)queue * info->queue_depth + tag) * info->slot_size;
	slot_end = slot + info->slot_size;
	if (d->window_off < slot || d->window_off > slot_end ||
	    d->len > slot_end - d->window_off || slot_end > info->data_size)
		return DESC_BAD_WINDOW;
	return DESC_OK;
}

const char *desc_check_str(enum desc_check c)
{
	switch (c) {
	case DESC_OK:		return "ok";
	case DESC_BAD_OP:	return "unknown op";
	case DESC_BAD_ID:	return "queue/tag/handle fields do not match its place";
	case DESC_BAD_LEN:	return "length zero or larger than a slot";
	case DESC_UNALIGNED:	return "offset or length not block aligned";
	case DESC_BAD_RANGE:	return "beyond device capacity";
	case DESC_BAD_WINDOW:	return "data outside its window slot";
	}
	return "?";
}
