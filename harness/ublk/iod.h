/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ublk's I/O descriptors, checked and turned into the stores' own request
 * (struct ubmap_io_desc), and the result the kernel wants back for it.
 * The descriptor page is the kernel's, but a bad descriptor must not make
 * the server touch memory outside the tag's buffer or the store.
 */
#ifndef UBLKD_IOD_H
#define UBLKD_IOD_H

#include <stddef.h>
#include <linux/types.h>
#include <linux/ublk_cmd.h>
#include <linux/ubmap.h>

/* What a descriptor is checked against. */
struct iod_geometry {
	__u64 dev_sectors;
	unsigned int max_io;		/* bytes: one tag's buffer */
	unsigned int queue_depth;
};

enum iod_check {
	IOD_OK = 0,
	IOD_BAD_OP,		/* not READ, WRITE or FLUSH */
	IOD_BAD_LEN,		/* no sectors, or more than a buffer holds */
	IOD_BAD_RANGE,		/* past the end of the device */
	IOD_BAD_ADDR,		/* not the buffer we gave for the tag */
};

/**
 * iod_to_desc() - check ublk descriptor @iod of (@qid, @tag), fill @d
 * @buf: the buffer address given for this tag in FETCH/COMMIT_AND_FETCH
 *
 * @iod is the server's own copy (the kernel may rewrite the shared page).
 * A FLUSH has no data: its sectors and address are not looked at.
 */
enum iod_check iod_to_desc(const struct iod_geometry *g,
			   const struct ublksrv_io_desc *iod, __u64 buf,
			   unsigned int qid, unsigned int tag,
			   struct ubmap_io_desc *d);

const char *iod_check_str(enum iod_check c);

/*
 * The COMMIT_AND_FETCH result for store result @err (0 or -errno) of @d:
 * a READ or WRITE is done when the kernel is told all its bytes were (a
 * READ answered 0 would be failed as -EIO), a FLUSH with 0.
 */
int iod_result(const struct ubmap_io_desc *d, int err);

/*
 * Where queue @qid's descriptor array is in /dev/ublkcN (mmap offset) and
 * how long its mapping must be: the 6.1 driver spaces the queues for the
 * largest depth and refuses any other length.
 */
__u64 iod_area_offset(unsigned int qid, unsigned long page_size);
size_t iod_area_len(unsigned int depth, unsigned long page_size);

#endif /* UBLKD_IOD_H */
