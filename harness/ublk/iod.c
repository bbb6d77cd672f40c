// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "iod.h"
#include "options.h"

enum iod_check iod_to_desc(const struct iod_geometry *g,
			   const struct ublksrv_io_desc *iod, __u64 buf,
			   unsigned int qid, unsigned int tag,
			   struct ubmap_io_desc *d)
{
	__u64 max_sectors = g->max_io >> UBLKD_SECTOR_SHIFT;

	memset(d, 0, sizeof(*d));
	d->queue = qid;
	d->tag = tag;
	switch (ublksrv_get_op(iod)) {
	case UBLK_IO_OP_READ:
		d->op = UBMAP_OP_READ;
		break;
	case UBLK_IO_OP_WRITE:
		d->op = UBMAP_OP_WRITE;
		break;
	case UBLK_IO_OP_FLUSH:
		d->op = UBMAP_OP_FLUSH;
		return IOD_OK;
	default:
		/* DISCARD and WRITE_ZEROES: we never advertise them. */
		return IOD_BAD_OP;
	}
	/* The UBLK_IO_F_* values are bits of op_flags itself. */
	if (iod->op_flags & UBLK_IO_F_FUA)
		d->flags |= UBMAP_DESC_F_FUA;
	if (!iod->nr_sectors || iod->nr_sectors > max_sectors)
		return IOD_BAD_LEN;
	/* Written so that no sum can wrap. */
	if (iod->start_sector > g->dev_sectors ||
	    iod->nr_sectors > g->dev_sectors - iod->start_sector)
		return IOD_BAD_RANGE;
	if (iod->addr != buf)
		return IOD_BAD_ADDR;
	d->len = iod->nr_sectors << UBLKD_SECTOR_SHIFT;
	d->offset = iod->start_sector << UBLKD_SECTOR_SHIFT;
	return IOD_OK;
}

const char *iod_check_str(enum iod_check c)
{
	switch (c) {
	case IOD_OK:		return "ok";
	case IOD_BAD_OP:	return "unsupported op";
	case IOD_BAD_LEN:	return "no sectors, or more than --max-io";
	case IOD_BAD_RANGE:	return "beyond the device size";
	case IOD_BAD_ADDR:	return "not the tag's buffer";
	}
	return "?";
}

int iod_result(const struct ubmap_io_desc *d, int err)
{
	if (err)
		return err > 0 ? -EIO : err;
	return d->op == UBMAP_OP_FLUSH ? 0 : (int)d->len;
}

static __u64 round_up_to(__u64 n, unsigned long m)
{
	return (n + m - 1) / m * m;
}

__u64 iod_area_offset(unsigned int qid, unsigned long page_size)
{
	return UBLKSRV_CMD_BUF_OFFSET + (__u64)qid *
		round_up_to(UBLK_MAX_QUEUE_DEPTH * sizeof(struct ublksrv_io_desc),
			    page_size);
}

size_t iod_area_len(unsigned int depth, unsigned long page_size)
{
	return round_up_to((__u64)depth * sizeof(struct ublksrv_io_desc),
			   page_size);
}
