// SPDX-License-Identifier: GPL-2.0
/* Copying a request's data to or from its bounce slot. */
#include <linux/blk-mq.h>
#include <linux/bvec.h>

#include "ubmap.h"

/**
 * ubmap_copy_rq() - copy between a request's pages and a linear buffer
 * @rq: the request
 * @buf: blk_rq_bytes(@rq) bytes
 * @to_rq: true for buffer to request (READ completion)
 */
void ubmap_copy_rq(struct request *rq, void *buf, bool to_rq)
{
	struct req_iterator iter;
	struct bio_vec bv;
	size_t off = 0;

	rq_for_each_segment(bv, rq, iter) {
		if (to_rq)
			memcpy_to_bvec(&bv, buf + off);
		else
			memcpy_from_bvec(buf + off, &bv);
		off += bv.bv_len;
	}
}
