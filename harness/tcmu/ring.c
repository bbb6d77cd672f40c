// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ring.h"

int ring_attach(struct tcmu_ring *r, void *base, size_t size)
{
	struct tcmu_mailbox *mb = base;
	__u64 end;

	memset(r, 0, sizeof(*r));
	if (size < sizeof(*mb) || mb->version != TCMU_MAILBOX_VERSION)
		return -EPROTO;
	end = (__u64)mb->cmdr_off + mb->cmdr_size;
	if (mb->cmdr_off < sizeof(*mb) || end > size || !mb->cmdr_size ||
	    mb->cmdr_size % TCMU_OP_ALIGN_SIZE || mb->cmdr_off % TCMU_OP_ALIGN_SIZE)
		return -EPROTO;
	if (mb->cmd_tail >= mb->cmdr_size || mb->cmd_tail % TCMU_OP_ALIGN_SIZE)
		return -EPROTO;
	r->base = base;
	r->size = size;
	r->mb = mb;
	r->cmdr = r->base + mb->cmdr_off;
	r->cmdr_size = mb->cmdr_size;
	r->data_off = end;
	r->next = mb->cmd_tail;
	return 0;
}

/* [off, off + len) inside the data area? */
static int in_data(const struct tcmu_ring *r, __u64 off, __u64 len)
{
	return off >= r->data_off && off <= r->size && len <= r->size - off;
}

static int read_cmd(const struct tcmu_ring *r, const struct tcmu_cmd_entry *e,
		    __u32 len, struct ring_cmd *c)
{
	__u32 cnt = e->req.iov_cnt;
	__u64 cdb_off = e->req.cdb_off;

	/* Bidirectional and protection data: no command of ours has them. */
	if (e->req.iov_bidi_cnt || e->req.iov_dif_cnt || cnt > RING_MAX_IOV)
		return -EPROTO;
	if (offsetof(struct tcmu_cmd_entry, req.iov) + (__u64)cnt * sizeof(struct iovec) > len)
		return -EPROTO;
	/* The CDB sits in the ring after the iovecs (6.1: in the same entry). */
	if (cdb_off < (__u64)(r->cmdr - r->base) || cdb_off >= r->data_off)
		return -EPROTO;
	c->cdb = (const __u8 *)r->base + cdb_off;
	c->cdb_max = r->data_off - cdb_off;
	c->cmd_id = e->hdr.cmd_id;
	c->iov_cnt = cnt;
	c->data_len = 0;
	for (__u32 i = 0; i < cnt; i++) {
		/* iov_base is an offset from the start of the area. */
		__u64 off = (__u64)(uintptr_t)e->req.iov[i].iov_base;
		__u64 n = e->req.iov[i].iov_len;

		if (!in_data(r, off, n))
			return -EPROTO;
		c->iov[i].iov_base = r->base + off;
		c->iov[i].iov_len = n;
		c->data_len += n;
	}
	return 0;
}

int ring_next(struct tcmu_ring *r, struct ring_cmd *c)
{
	__u32 head = __atomic_load_n(&r->mb->cmd_head, __ATOMIC_ACQUIRE);
	const struct tcmu_cmd_entry *e;
	__u32 len, op;

	if (r->next == head)
		return 0;
	if (head >= r->cmdr_size || r->cmdr_size - r->next < sizeof(e->hdr))
		return -EPROTO;
	e = (const struct tcmu_cmd_entry *)(r->cmdr + r->next);
	len = tcmu_hdr_get_len(e->hdr.len_op);
	op = tcmu_hdr_get_op(e->hdr.len_op);
	/* An entry never wraps: the kernel pads to the end of the ring. */
	if (!len || len % TCMU_OP_ALIGN_SIZE || len > r->cmdr_size - r->next)
		return -EPROTO;
	c->off = r->next;
	c->end = (r->next + len) % r->cmdr_size;
	switch (op) {
	case TCMU_OP_PAD:
	case TCMU_OP_TMR:
		c->kind = RING_SKIP;
		break;
	case TCMU_OP_CMD:
		if (len < sizeof(*e) || read_cmd(r, e, len, c))
			return -EPROTO;
		c->kind = RING_CMD;
		break;
	default:
		return -EPROTO;
	}
	r->next = c->end;
	return 1;
}

void ring_answer(struct tcmu_ring *r, __u32 off, __u8 status,
		 const __u8 *sense, size_t sense_len)
{
	struct tcmu_cmd_entry *e = (struct tcmu_cmd_entry *)(r->cmdr + off);

	/* rsp overlays req: the caller has read all it needs of the request. */
	e->rsp.scsi_status = status;
	e->rsp.read_len = 0;
	e->hdr.uflags = 0;
	if (sense_len > sizeof(e->rsp.sense_buffer))
		sense_len = sizeof(e->rsp.sense_buffer);
	memset(e->rsp.sense_buffer, 0, sizeof(e->rsp.sense_buffer));
	if (sense_len)
		memcpy(e->rsp.sense_buffer, sense, sense_len);
}

void ring_set_tail(struct tcmu_ring *r, __u32 off)
{
	/* The answers (and READ data) must be visible before the tail moves. */
	__atomic_store_n(&r->mb->cmd_tail, off, __ATOMIC_RELEASE);
}
