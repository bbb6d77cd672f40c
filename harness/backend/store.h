/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stores: where the device's bytes live.  One file per store, each exporting
 * one const struct store_ops; store_find() looks them up by name.
 */
#ifndef UBMAPD_STORE_H
#define UBMAPD_STORE_H

#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include <linux/ubmap.h>

struct store;

/* What a store is told at open; filled from struct ubmap_info. */
struct store_params {
	const char *path;		/* backing file (file store) */
	__u64 capacity;			/* bytes */
	unsigned int nr_queues;
	unsigned int queue_depth;
	unsigned int slot_size;		/* max bytes of one request */
	unsigned int logical_block_size;
};

/* queue_io() return value: the request was started, reap() finishes it. */
#define STORE_QUEUED	1

struct store_ops {
	const char *name;
	/**
	 * @open: set up @s for @p; per-queue state for all p->nr_queues.
	 * Returns 0 or a negative errno, with the reason already logged.
	 */
	int (*open)(struct store *s, const struct store_params *p);
	/** @close: undo open; no request is in flight. */
	void (*close)(struct store *s);
	/**
	 * @queue_io: serve one validated request of queue @qid.
	 * @d is the backend's own copy of the descriptor; @data is the
	 * request's bytes in the window (d->len of them).
	 * Returns 0 or -errno when done now (synchronous stores), or
	 * STORE_QUEUED when the result comes later from @reap.
	 * Called only from queue @qid's thread; must not allocate.
	 */
	int (*queue_io)(struct store *s, unsigned int qid,
			const struct ubmap_io_desc *d, void *data);
	/**
	 * @reap: start what queue_io queued, then collect finished requests
	 * into @out (at most @max, which is never less than what is in
	 * flight), each named by its descriptor's tag (the queue turns that
	 * into the handle).  With @wait, block until at least one is finished.
	 * Returns the number collected, or -EINTR when a signal interrupted
	 * the wait, or another -errno on a fatal error.
	 * NULL for stores that never return STORE_QUEUED.
	 */
	int (*reap)(struct store *s, unsigned int qid,
		    struct ubmap_completion *out, unsigned int max, int wait);
};

struct store {
	const struct store_ops *ops;
	__u64 capacity;
	unsigned int nr_queues;
	unsigned int queue_depth;
	void *priv;			/* the store's own state */
};

extern const struct store_ops store_null_ops;
extern const struct store_ops store_ram_ops;
extern const struct store_ops store_file_ops;

/* NULL if no store has that name. */
const struct store_ops *store_find(const char *name);
/* "null, ram, file" into @buf (truncated to @len). */
void store_names(char *buf, size_t len);
/*
 * The daemons' --store checks, worded for their command line: @name is a
 * store; --@file_opt @metavar is given with --store file, and only with it.
 * 0, or -1 with the message (starting with @prog) printed on @err.
 */
int store_check_name(const char *prog, const char *name, FILE *err);
int store_check_file(const char *prog, const char *name, const char *file,
		     const char *file_opt, const char *metavar, FILE *err);

/* Open store @ops into @s; on failure @s is left closed. */
int store_open(struct store *s, const struct store_ops *ops,
	       const struct store_params *p);
void store_close(struct store *s);

#endif /* UBMAPD_STORE_H */
