/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command loop of ubmap-tcmud: read new entries from the ring, serve
 * each through the store (one store request per data iovec, so the data
 * never moves twice), answer in ring order, move cmd_tail and tell the
 * kernel with one write() to the UIO device per batch.  It sleeps in poll()
 * on the UIO device (the kernel's notification) and a stop eventfd.
 */
#ifndef TCMUD_SERVE_H
#define TCMUD_SERVE_H

#include <stdbool.h>
#include <linux/ubmap.h>

#include "ring.h"
#include "scsi.h"
#include "store.h"

/* Entries held at once: tcm_loop/tcmu queue at most 128 commands. */
#define SERVE_SLOTS	256
/* CHECK CONDITIONs logged (with the opcode) before we only count them. */
#define SERVE_CHECKS_LOG	8
/* Store requests in flight; at least one command's worth of iovecs. */
#define SERVE_TAGS	RING_MAX_IOV

struct serve_stats {
	unsigned long long served;	/* commands answered */
	unsigned long long reads, writes, flushes, emulated;
	unsigned long long read_bytes, write_bytes;
	unsigned long long checks;	/* answered CHECK CONDITION */
	unsigned long long io_errors;	/* store results < 0 */
	unsigned long long skipped;	/* PAD and TMR entries */
	unsigned long long notifies;	/* write()s to the UIO device */
	unsigned long long sleeps;	/* poll()s that slept */
};

struct serve_slot {
	struct ring_cmd c;
	struct scsi_req r;
	bool started;
	unsigned int pending;		/* store requests not yet reaped */
	int result;			/* first store error, or 0 */
};

struct serve {
	struct tcmu_ring ring;
	int uio_fd;			/* -1: no kernel to tell (tests) */
	int stop_fd;			/* eventfd; -1: none */
	struct store *store;
	struct scsi_geom geo;

	struct serve_slot *slots;	/* SERVE_SLOTS, a FIFO in ring order */
	unsigned int head, count, unstarted;	/* unstarted: index from head */
	unsigned int tag_slot[SERVE_TAGS];
	unsigned int free_tags[SERVE_TAGS], nr_free;
	struct ubmap_completion reaped[SERVE_TAGS];
	unsigned int inflight;

	struct serve_stats st;
};

/* The ring must already be attached; the store open.  0 or -ENOMEM. */
int serve_init(struct serve *s, struct store *store, const struct scsi_geom *g,
	       int uio_fd, int stop_fd);
void serve_exit(struct serve *s);

/**
 * serve_round() - one pass: read what the kernel added, start what tags
 * allow, reap (blocking in the store if @wait_store and something is in
 * flight), answer and publish.  Returns how many entries it read or
 * finished (0: idle), or a negative errno (-EPROTO: bad ring).
 */
int serve_round(struct serve *s, bool wait_store);

/**
 * serve_run() - serve until the stop eventfd fires, then finish what is in
 * flight.  0, or the fatal -errno that ended it.
 */
int serve_run(struct serve *s);

#endif /* TCMUD_SERVE_H */
