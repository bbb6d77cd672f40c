/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Descriptor validation.  The descriptor ring is written by the kernel, but
 * a bad descriptor must not make the backend read or write outside the
 * window or the store: every fetched one is checked before use.
 */
#ifndef UBMAPD_DESC_H
#define UBMAPD_DESC_H

#include <linux/ubmap.h>

enum desc_check {
	DESC_OK = 0,
	DESC_BAD_OP,		/* op is neither READ nor WRITE */
	DESC_BAD_ID,		/* queue/tag/handle fields are not where it sits */
	DESC_BAD_LEN,		/* len is 0 or larger than a slot */
	DESC_UNALIGNED,		/* offset/len not logical-block aligned */
	DESC_BAD_RANGE,		/* offset + len beyond capacity */
	DESC_BAD_WINDOW,	/* data not inside its slot of the window */
};

/**
 * desc_validate() - may descriptor @d, fetched as (@queue, @handle), be used?
 * @info: the device geometry (already checked by dev_info_check())
 *
 * The data must lie inside the tag's own slot of the window, which is
 * also inside info->data_size.
 */
enum desc_check desc_validate(const struct ubmap_info *info,
			      const struct ubmap_io_desc *d,
			      unsigned int queue, __u32 handle);

const char *desc_check_str(enum desc_check c);

#endif /* UBMAPD_DESC_H */
