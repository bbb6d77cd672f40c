// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "serve.h"

int serve_init(struct serve *s, struct store *store, const struct scsi_geom *g,
	       int uio_fd, int stop_fd)
{
	struct tcmu_ring ring = s->ring;

	memset(s, 0, sizeof(*s));
	s->ring = ring;
	s->store = store;
	s->geo = *g;
	s->uio_fd = uio_fd;
	s->stop_fd = stop_fd;
	s->slots = calloc(SERVE_SLOTS, sizeof(*s->slots));
	if (!s->slots)
		return -ENOMEM;
	for (unsigned int i = 0; i < SERVE_TAGS; i++)
		s->free_tags[i] = SERVE_TAGS - 1 - i;
	s->nr_free = SERVE_TAGS;
	return 0;
}

void serve_exit(struct serve *s)
{
	free(s->slots);
	s->slots = NULL;
}

static struct serve_slot *slot_at(struct serve *s, unsigned int i)
{
	return &s->slots[(s->head + i) % SERVE_SLOTS];
}

/* Copy @n bytes of @src over the iovecs, zeroing whatever is left after. */
static void scatter(const struct ring_cmd *c, const __u8 *src, size_t n)
{
	for (unsigned int i = 0; i < c->iov_cnt; i++) {
		size_t k = c->iov[i].iov_len < n ? c->iov[i].iov_len : n;

		memcpy(c->iov[i].iov_base, src, k);
		memset((char *)c->iov[i].iov_base + k, 0, c->iov[i].iov_len - k);
		src += k;
		n -= k;
	}
}

/* One store request; the tag is held while the store has it. */
static void store_submit(struct serve *s, unsigned int slot_idx,
			 struct serve_slot *sl, __u8 op, __u64 off, void *buf,
			 size_t len)
{
	struct ubmap_io_desc d = { 0 };
	unsigned int tag = s->free_tags[--s->nr_free];
	int ret;

	d.op = op;
	d.flags = sl->r.fua && op == UBMAP_OP_WRITE ? UBMAP_DESC_F_FUA : 0;
	d.tag = tag;
	d.handle = tag;
	d.len = len;
	d.offset = off;
	ret = s->store->ops->queue_io(s->store, 0, &d, buf);
	if (ret == STORE_QUEUED) {
		s->tag_slot[tag] = slot_idx;
		sl->pending++;
		s->inflight++;
		return;
	}
	s->free_tags[s->nr_free++] = tag;
	if (ret < 0 && !sl->result)
		sl->result = ret;
}

/* Store requests a slot needs at its start. */
static unsigned int tags_needed(const struct serve_slot *sl)
{
	if (sl->c.kind != RING_CMD)
		return 0;
	if (sl->r.kind == SCSI_READ || sl->r.kind == SCSI_WRITE)
		return sl->c.iov_cnt;
	return sl->r.kind == SCSI_FLUSH;
}

static void start_slot(struct serve *s, unsigned int slot_idx,
		       struct serve_slot *sl)
{
	struct scsi_req *r = &sl->r;
	__u8 buf[SCSI_EMU_MAX];
	__u64 off;
	int n;

	sl->started = true;
	if (sl->c.kind != RING_CMD)
		return;
	switch (r->kind) {
	case SCSI_READ:
	case SCSI_WRITE:
		off = r->lba << s->geo.block_shift;
		for (unsigned int i = 0; i < sl->c.iov_cnt; i++) {
			store_submit(s, slot_idx, sl, r->kind == SCSI_READ ?
				     UBMAP_OP_READ : UBMAP_OP_WRITE, off,
				     sl->c.iov[i].iov_base, sl->c.iov[i].iov_len);
			off += sl->c.iov[i].iov_len;
		}
		break;
	case SCSI_FLUSH:
		store_submit(s, slot_idx, sl, UBMAP_OP_FLUSH, 0, NULL, 0);
		break;
	case SCSI_EMULATE:
		n = scsi_emulate(sl->c.cdb, &s->geo, buf, r);
		if (n >= 0)
			scatter(&sl->c, buf, n);
		break;
	default:		/* SCSI_NOP, SCSI_ERROR: only the answer */
		break;
	}
}

/* What the kernel gave us: a slot in ring order, parsed and checked. */
static void take_entry(struct serve *s, struct serve_slot *sl)
{
	sl->started = false;
	sl->pending = 0;
	sl->result = 0;
	memset(&sl->r, 0, sizeof(sl->r));
	if (sl->c.kind != RING_CMD)
		return;
	scsi_parse(sl->c.cdb, sl->c.cdb_max, &s->geo, &sl->r);
	if (sl->r.kind == SCSI_READ || sl->r.kind == SCSI_WRITE) {
		/* The data area must hold exactly what the CDB moves. */
		if (sl->c.data_len != (size_t)sl->r.nr_blocks << s->geo.block_shift)
			scsi_set_error(&sl->r, SENSE_ILLEGAL_REQUEST,
				       ASC_INVALID_FIELD_CDB, 0);
	}
}

static void reaped(struct serve *s, const struct ubmap_completion *c)
{
	unsigned int tag = c->tag;
	struct serve_slot *sl;

	if (tag >= SERVE_TAGS)
		return;		/* not ours; the store is broken: ignore */
	sl = &s->slots[s->tag_slot[tag]];
	if (c->result < 0 && !sl->result)
		sl->result = c->result;
	sl->pending--;
	s->inflight--;
	s->free_tags[s->nr_free++] = tag;
}

static void count(struct serve *s, const struct serve_slot *sl)
{
	struct serve_stats *st = &s->st;

	st->served++;
	switch (sl->r.kind) {
	case SCSI_READ:
		st->reads++;
		st->read_bytes += sl->c.data_len;
		break;
	case SCSI_WRITE:
		st->writes++;
		st->write_bytes += sl->c.data_len;
		break;
	case SCSI_FLUSH:
		st->flushes++;
		break;
	case SCSI_EMULATE:
		st->emulated++;
		break;
	default:
		break;
	}
}

/* Answer a finished command: GOOD, or CHECK CONDITION with its sense. */
static void answer(struct serve *s, struct serve_slot *sl)
{
	struct scsi_req *r = &sl->r;
	__u8 sense[SCSI_SENSE_LEN];

	if (sl->c.kind != RING_CMD) {
		s->st.skipped++;
		return;
	}
	if (sl->result) {
		s->st.io_errors++;
		if (r->kind == SCSI_READ)
			scsi_set_error(r, SENSE_MEDIUM_ERROR, ASC_READ_ERROR, 0);
		else if (r->kind == SCSI_WRITE)
			scsi_set_error(r, SENSE_MEDIUM_ERROR, ASC_WRITE_ERROR, 0);
		else
			scsi_set_error(r, SENSE_HARDWARE_ERROR, ASC_INTERNAL_TARGET, 0);
	} else {
		count(s, sl);
	}
	if (r->kind == SCSI_ERROR) {
		/* Say which: a disk's probe sends commands we do not serve. */
		if (s->st.checks++ < SERVE_CHECKS_LOG)
			ub_info("CHECK CONDITION for opcode 0x%02x: sense key %#x, asc %#x",
				r->opcode, r->key, r->asc);
		scsi_build_sense(sense, r->key, r->asc, r->ascq);
		ring_answer(&s->ring, sl->c.off, SCSI_CHECK_CONDITION, sense,
			    sizeof(sense));
		return;
	}
	ring_answer(&s->ring, sl->c.off, SCSI_GOOD, NULL, 0);
}

/* Answer the finished prefix of the FIFO, then move the tail once. */
static int retire(struct serve *s)
{
	unsigned int done = 0;
	__u32 tail = 0;

	while (s->count && s->unstarted) {
		struct serve_slot *sl = slot_at(s, 0);

		if (sl->pending)
			break;
		answer(s, sl);
		tail = sl->c.end;
		s->head = (s->head + 1) % SERVE_SLOTS;
		s->count--;
		s->unstarted--;
		done++;
	}
	if (!done)
		return 0;
	ring_set_tail(&s->ring, tail);
	if (s->uio_fd >= 0) {
		__u32 one = 1;

		/* tcmu's irqcontrol: the kernel collects the answers now. */
		if (write(s->uio_fd, &one, sizeof(one)) != sizeof(one))
			return -errno;
		s->st.notifies++;
	}
	return done;
}

int serve_round(struct serve *s, bool wait_store)
{
	int progress = 0, ret;

	while (s->count < SERVE_SLOTS) {
		struct serve_slot *sl = slot_at(s, s->count);

		ret = ring_next(&s->ring, &sl->c);
		if (ret < 0) {
			ub_err("malformed entry at ring offset %u: the ring is broken",
			       s->ring.next);
			return ret;
		}
		if (!ret)
			break;
		take_entry(s, sl);
		s->count++;
		progress++;
	}
	while (s->unstarted < s->count) {
		unsigned int idx = (s->head + s->unstarted) % SERVE_SLOTS;
		struct serve_slot *sl = &s->slots[idx];

		/* In ring order: a big command waits for tags, others behind it. */
		if (tags_needed(sl) > s->nr_free)
			break;
		start_slot(s, idx, sl);
		s->unstarted++;
	}
	if (s->inflight) {
		if (!s->store->ops->reap)
			return -EPROTO;
		ret = s->store->ops->reap(s->store, 0, s->reaped, SERVE_TAGS,
					  wait_store && !progress);
		if (ret == -EINTR)
			ret = 0;
		if (ret < 0)
			return ret;
		for (int i = 0; i < ret; i++)
			reaped(s, &s->reaped[i]);
		progress += ret;
	}
	ret = retire(s);
	if (ret < 0)
		return ret;
	return progress + ret;
}

/* Sleep until the kernel posts (UIO event) or we are told to stop. */
static int sleep_on_ring(struct serve *s, bool *stop)
{
	struct pollfd p[2] = {
		{ .fd = s->uio_fd, .events = POLLIN },
		{ .fd = s->stop_fd, .events = POLLIN },
	};
	__u32 events;

	s->st.sleeps++;
	if (poll(p, 2, -1) < 0)
		return errno == EINTR ? 0 : -errno;
	if (p[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
		ub_err("the UIO device went away");
		return -ENODEV;
	}
	/* Reading the event count re-arms poll for the next notification. */
	if ((p[0].revents & POLLIN) &&
	    read(s->uio_fd, &events, sizeof(events)) != sizeof(events))
		return -errno;
	if (p[1].revents & POLLIN)
		*stop = true;
	return 0;
}

int serve_run(struct serve *s)
{
	bool stop = false;
	int ret;

	for (;;) {
		ret = serve_round(s, true);
		if (ret < 0)
			return ret;
		if (ret || s->inflight)
			continue;
		if (stop)
			return 0;	/* nothing in flight, nothing new */
		ret = sleep_on_ring(s, &stop);
		if (ret < 0)
			return ret;
	}
}
