/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tcmu shared area in memory, filled the way 6.1's target_core_user.c
 * fills it (queue_cmd_ring: pad to the ring's end when an entry does not
 * fit, CDB after the iovecs in the same entry, iov_base as offsets).
 */
#ifndef TCMUD_FAKE_RING_H
#define TCMUD_FAKE_RING_H

#include <stddef.h>
#include "ring.h"	/* linux/target_core_user.h, safely */

struct fake_ring {
	char *area;
	size_t size;
	__u32 cmdr_off, cmdr_size, data_off;
	size_t data_next;		/* next free byte of the data area */
};

void fake_ring_init(struct fake_ring *f, __u32 cmdr_size, size_t data_size);
void fake_ring_free(struct fake_ring *f);
struct tcmu_mailbox *fake_mb(struct fake_ring *f);

/* Append a command; one iovec per entry of @lens, each in fresh data
 * space.  Returns the entry's ring offset. */
__u32 fake_ring_cmd(struct fake_ring *f, __u16 id, const __u8 *cdb,
		    size_t cdb_len, const size_t *lens, unsigned int nr);
/* Append a TMR entry (no answer expected). */
__u32 fake_ring_tmr(struct fake_ring *f);
/* The entry at ring offset @off. */
struct tcmu_cmd_entry *fake_entry(struct fake_ring *f, __u32 off);
/* iovec @i of the entry at @off, as a pointer (before it is answered). */
void *fake_iov(struct fake_ring *f, __u32 off, unsigned int i);

#endif /* TCMUD_FAKE_RING_H */
