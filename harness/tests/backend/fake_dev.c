// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_dev.h"

void fake_info(struct ubmap_info *info, unsigned int nr_queues,
	       unsigned int depth, unsigned int slot, __u64 capacity)
{
	__u64 page = sysconf(_SC_PAGESIZE);
	__u64 ctrl;

	memset(info, 0, sizeof(*info));
	info->magic = UBMAP_MAGIC;
	info->abi_version = UBMAP_ABI_VERSION;
	info->nr_queues = nr_queues;
	info->queue_depth = depth;
	info->slot_size = slot;
	info->logical_block_size = 512;
	info->capacity = capacity;
	info->desc_offset = 4096;
	ctrl = info->desc_offset +
	       (__u64)nr_queues * depth * sizeof(struct ubmap_io_desc);
	info->ctrl_size = (ctrl + page - 1) / page * page;
	info->data_offset = info->ctrl_size;
	info->data_size = (__u64)nr_queues * depth * slot;
	strcpy(info->mode, "fake");
}

static int fake_commit_fetch(struct ubmapd_dev *dev, struct ubmap_batch *b)
{
	struct fake_kernel *fk = (struct fake_kernel *)dev;
	const struct ubmap_info *info = &dev->info;
	struct ubmap_completion *c = (void *)(uintptr_t)b->completions;
	__u32 *tags = (void *)(uintptr_t)b->tags;
	struct ubmap_io_desc *descs = (void *)dev->descs;
	unsigned int depth = info->queue_depth, n = 0;

	fk->ioctls++;
	fk->last_max_fetch = b->max_fetch;
	if (b->queue != fk->qid || b->reserved[0] || b->reserved[1] ||
	    b->reserved[2] || b->reserved[3] ||
	    (b->flags & ~UBMAP_BATCH_NOWAIT))
		fk->bad_batch = true;

	if (b->nr_completions > fk->max_completions)
		fk->max_completions = b->nr_completions;
	for (unsigned int i = 0; i < b->nr_completions; i++) {
		__u32 tag = UBMAP_HANDLE_TAG(c[i].tag);
		struct fake_req *r;
		char *slot;

		if (tag < depth && UBMAP_HANDLE_GEN(c[i].tag) != fk->gen[tag])
			fk->stale++;
		if (tag >= depth || fk->tag_req[tag] < 0 ||
		    UBMAP_HANDLE_GEN(c[i].tag) != fk->gen[tag] ||
		    (fk->reject_second_completion && i == 1)) {
			fk->reject_second_completion = false;
			b->nr_completed = i;
			return -EINVAL;
		}
		r = &fk->reqs[fk->tag_req[tag]];
		slot = (char *)fk->window +
		       ((__u64)fk->qid * depth + tag) * info->slot_size;
		r->result = c[i].result;
		if (r->op == UBMAP_OP_READ && !r->result && r->data)
			memcpy(r->data, slot, r->len);
		fk->tag_req[tag] = -1;
		fk->outstanding--;
	}
	b->nr_completed = b->nr_completions;

	if (fk->stop_at && fk->ioctls == fk->stop_at)
		atomic_store(fk->stop, 1);
	if (fk->eintr_at && fk->ioctls == fk->eintr_at)
		return -EINTR;

	for (unsigned int tag = 0; tag < depth && n < b->max_fetch &&
	     fk->next < fk->nr_reqs; tag++) {
		struct fake_req *r = &fk->reqs[fk->next];
		struct ubmap_io_desc *d = &descs[fk->qid * depth + tag];
		__u64 slot = ((__u64)fk->qid * depth + tag) * info->slot_size;

		if (fk->tag_req[tag] >= 0)
			continue;
		memset(d, 0, sizeof(*d));
		d->op = r->op;
		d->queue = fk->qid;
		d->tag = tag;
		d->handle = UBMAP_HANDLE(tag, ++fk->gen[tag]);
		d->len = r->len;
		d->offset = r->offset;
		d->window_off = slot;
		switch (r->corrupt) {
		case FAKE_OK:
			break;
		case FAKE_BAD_OP:
			d->op = 7;
			break;
		case FAKE_BAD_WINDOW:
			d->window_off = slot + info->slot_size;
			break;
		case FAKE_WILD_WINDOW:
			d->window_off = 1ULL << 60;
			break;
		case FAKE_BEYOND_CAPACITY:
			d->offset = info->capacity;
			break;
		}
		if (r->op == UBMAP_OP_WRITE && r->data)
			memcpy((char *)fk->window + slot, r->data, r->len);
		r->fetched = true;
		fk->tag_req[tag] = fk->next++;
		fk->outstanding++;
		tags[n++] = d->handle;
	}
	if (fk->bogus_tag && n)
		tags[0] = depth;
	b->nr_fetched = n;
	if (n)
		return 0;
	if (fk->next == fk->nr_reqs && !fk->outstanding)
		return -ESHUTDOWN;	/* script done: the device goes away */
	if (!(b->flags & UBMAP_BATCH_NOWAIT)) {
		/*
		 * The real kernel would sleep for a new request while the
		 * backend sits on the ones it holds: a hang.
		 */
		fk->deadlock = true;
		return -ESHUTDOWN;
	}
	if (fk->nowait_eagain) {
		fk->eagains++;
		return -EAGAIN;
	}
	return 0;
}

void fake_kernel_init(struct fake_kernel *fk, const struct ubmap_info *info,
		      unsigned int qid)
{
	memset(fk, 0, sizeof(*fk));
	fk->ctrl = calloc(1, info->ctrl_size);
	fk->window = calloc(1, info->data_size);
	fk->tag_req = malloc(info->queue_depth * sizeof(*fk->tag_req));
	fk->gen = calloc(info->queue_depth, sizeof(*fk->gen));
	for (unsigned int i = 0; i < info->queue_depth; i++)
		fk->tag_req[i] = -1;
	fk->qid = qid;
	dev_setup(&fk->dev, info, fk->ctrl, fk->window);
	fk->dev.fd = -1;
	fk->dev.path = "fake";
	fk->dev.commit_fetch = fake_commit_fetch;
}

void fake_kernel_free(struct fake_kernel *fk)
{
	free(fk->ctrl);
	free(fk->window);
	free(fk->tag_req);
	free(fk->gen);
}
