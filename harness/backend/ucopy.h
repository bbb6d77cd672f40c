/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user_copy mode, backend side: a request's data is not in the window
 * but in a buffer of our own, filled from the device (pread) before a
 * WRITE reaches the store, and written to it (pwrite) after a READ's store
 * I/O finished, before the completion is handed back.
 */
#ifndef UBMAPD_UCOPY_H
#define UBMAPD_UCOPY_H

#include <stdbool.h>

#include <linux/ubmap.h>

struct ubmapd_dev;

/* One tag's buffer and the request it holds. */
struct ucopy {
	void *buf;		/* slot_size bytes, page aligned, made on first use */
	__u64 off;		/* device offset of the request's data */
	__u32 len;
	bool pending_read;	/* to write to the device when the store is done */
};

/**
 * ucopy_start() - get @d's data into @uc's buffer (WRITE) or ready it (READ)
 * @data: gets the buffer the store is to use
 * Returns 0 or -errno (the request then fails with it).
 */
int ucopy_start(struct ubmapd_dev *dev, struct ucopy *uc,
		const struct ubmap_io_desc *d, void **data);

/* The store finished @uc's request with @result: a READ goes to the device. */
int ucopy_finish(struct ubmapd_dev *dev, struct ucopy *uc, int result);

void ucopy_free(struct ucopy *uc);

#endif /* UBMAPD_UCOPY_H */
