// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fake_ring.h"
#include "testlib.h"

void fake_ring_init(struct fake_ring *f, __u32 cmdr_size, size_t data_size)
{
	struct tcmu_mailbox *mb;

	memset(f, 0, sizeof(*f));
	f->cmdr_off = sizeof(struct tcmu_mailbox);
	f->cmdr_size = cmdr_size;
	f->data_off = f->cmdr_off + cmdr_size;
	f->size = f->data_off + data_size;
	f->area = aligned_alloc(4096, (f->size + 4095) & ~(size_t)4095);
	assert_non_null(f->area);
	memset(f->area, 0, f->size);
	mb = fake_mb(f);
	mb->version = TCMU_MAILBOX_VERSION;
	mb->cmdr_off = f->cmdr_off;
	mb->cmdr_size = cmdr_size;
	f->data_next = f->data_off;
}

void fake_ring_free(struct fake_ring *f)
{
	free(f->area);
}

struct tcmu_mailbox *fake_mb(struct fake_ring *f)
{
	return (struct tcmu_mailbox *)f->area;
}

struct tcmu_cmd_entry *fake_entry(struct fake_ring *f, __u32 off)
{
	return (struct tcmu_cmd_entry *)(f->area + f->cmdr_off + off);
}

void *fake_iov(struct fake_ring *f, __u32 off, unsigned int i)
{
	return f->area + (uintptr_t)fake_entry(f, off)->req.iov[i].iov_base;
}

/* The header's length and opcode (the UAPI helpers take a packed member's address). */
static void set_len_op(struct tcmu_cmd_entry_hdr *h, enum tcmu_opcode op, __u32 len)
{
	h->len_op = (len & ~(__u32)TCMU_OP_MASK) | op;
}

/* Room for @len bytes at the head, padding to the ring's end if needed. */
static __u32 reserve(struct fake_ring *f, __u32 len)
{
	struct tcmu_mailbox *mb = fake_mb(f);
	__u32 head = mb->cmd_head;

	if (f->cmdr_size - head < len) {
		struct tcmu_cmd_entry_hdr *pad = (void *)(f->area + f->cmdr_off + head);

		memset(pad, 0, sizeof(*pad));
		set_len_op(pad, TCMU_OP_PAD, f->cmdr_size - head);
		head = 0;
	}
	memset(f->area + f->cmdr_off + head, 0, len);
	return head;
}

static void publish(struct fake_ring *f, __u32 head, __u32 len)
{
	fake_mb(f)->cmd_head = (head + len) % f->cmdr_size;
}

__u32 fake_ring_cmd(struct fake_ring *f, __u16 id, const __u8 *cdb,
		    size_t cdb_len, const size_t *lens, unsigned int nr)
{
	size_t base = offsetof(struct tcmu_cmd_entry, req.iov) + nr * sizeof(struct iovec);
	__u32 len, head;
	struct tcmu_cmd_entry *e;

	if (base < sizeof(struct tcmu_cmd_entry))
		base = sizeof(struct tcmu_cmd_entry);
	len = (base + cdb_len + TCMU_OP_ALIGN_SIZE - 1) & ~(TCMU_OP_ALIGN_SIZE - 1);
	head = reserve(f, len);
	e = fake_entry(f, head);
	set_len_op(&e->hdr, TCMU_OP_CMD, len);
	e->hdr.cmd_id = id;
	e->req.iov_cnt = nr;
	for (unsigned int i = 0; i < nr; i++) {
		assert_true(f->data_next + lens[i] <= f->size);
		e->req.iov[i].iov_base = (void *)(uintptr_t)f->data_next;
		e->req.iov[i].iov_len = lens[i];
		f->data_next += lens[i];
	}
	e->req.cdb_off = f->cmdr_off + head + base;
	memcpy(f->area + e->req.cdb_off, cdb, cdb_len);
	publish(f, head, len);
	return head;
}

__u32 fake_ring_tmr(struct fake_ring *f)
{
	__u32 len = (sizeof(struct tcmu_tmr_entry) + 2 + 7) & ~7U;
	__u32 head = reserve(f, len);
	struct tcmu_tmr_entry *t = (void *)fake_entry(f, head);

	set_len_op(&t->hdr, TCMU_OP_TMR, len);
	t->tmr_type = TCMU_TMR_ABORT_TASK;
	t->cmd_cnt = 1;
	publish(f, head, len);
	return head;
}
