/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tcmu shared area (linux/target_core_user.h): the mailbox at offset 0,
 * the command ring at mb->cmdr_off for mb->cmdr_size bytes, the data area
 * after it.  The kernel appends entries and moves cmd_head; we answer an
 * entry in place (rsp overlays req) and move cmd_tail past it.  The kernel
 * collects answers in ring order up to cmd_tail, so cmd_tail only ever
 * passes entries that are answered (PAD and TMR entries need no answer).
 * Everything the kernel wrote is checked against the area's bounds before
 * we follow it: a bad entry is an error, never a wild pointer.
 */
#ifndef TCMUD_RING_H
#define TCMUD_RING_H

#include <stddef.h>
#include <sys/uio.h>
/*
 * The UAPI header pulls in <linux/uio.h>, whose struct iovec clashes with
 * glibc's (same layout): include this header, never it directly.
 */
#ifndef __LINUX_UIO_H
#define __LINUX_UIO_H
#endif
#include <linux/target_core_user.h>

/* Most data iovecs one command may have: 1 MiB in separate 4 KiB pages. */
#define RING_MAX_IOV	256

struct tcmu_ring {
	char *base;			/* the mmap'ed area */
	size_t size;
	struct tcmu_mailbox *mb;
	char *cmdr;
	__u32 cmdr_size;
	__u32 data_off;			/* start of the data area */
	__u32 next;			/* ring offset of the next unread entry */
};

enum ring_kind {
	RING_CMD,			/* a SCSI command to answer */
	RING_SKIP,			/* PAD or TMR: nothing to answer */
};

/* One entry as read from the ring, every pointer checked. */
struct ring_cmd {
	enum ring_kind kind;
	__u32 off;			/* ring offset of the entry */
	__u32 end;			/* ring offset just past it */
	__u16 cmd_id;
	const __u8 *cdb;
	size_t cdb_max;			/* bytes readable at cdb */
	unsigned int iov_cnt;
	struct iovec iov[RING_MAX_IOV];	/* pointers into the data area */
	size_t data_len;		/* sum of iov lengths */
};

/**
 * ring_attach() - take the area at @base (@size bytes) as a tcmu ring
 * Checks the mailbox (version, ring inside the area, 8-byte aligned) and
 * starts reading at the kernel's cmd_tail.  0, or -EPROTO.
 */
int ring_attach(struct tcmu_ring *r, void *base, size_t size);

/**
 * ring_next() - read the entry at r->next into @c and step past it
 * Returns 1 (one read), 0 (nothing new: r->next is the kernel's head) or
 * -EPROTO (a malformed entry; r->next unchanged).
 */
int ring_next(struct tcmu_ring *r, struct ring_cmd *c);

/* Answer the command entry at ring offset @off (do it after the data moved). */
void ring_answer(struct tcmu_ring *r, __u32 off, __u8 status,
		 const __u8 *sense, size_t sense_len);

/* Publish that every entry before ring offset @off is answered. */
void ring_set_tail(struct tcmu_ring *r, __u32 off);

#endif /* TCMUD_RING_H */
