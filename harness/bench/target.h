/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who serves the block device fio runs against, behind one ops table: our
 * module with ubmapd (target_ubmap.c) or a peer (target_null_blk.c,
 * target_brd.c, target_ublk.c, target_tcmu.c).  The names are the target axis's values
 * (lib/cell.c); a new target is a name there and one target_<name>.c here.
 */
#ifndef BENCH_TARGET_H
#define BENCH_TARGET_H

#include <stdbool.h>

#include "cell.h"
#include "daemon.h"

/* Every target's device has this size, so a cell means the same on each. */
#define TARGET_SIZE_MB	256UL

/* target_ops.start(): this kernel or build lacks the target. */
#define TARGET_UNAVAILABLE	1

/* What the bench gives every target. */
struct target_env {
	const struct ubmap_paths *paths;	/* our programs and module */
	const char *workdir;		/* scratch: ready files */
	const char *logdir;		/* servers' logs */
	unsigned int queue_depth;	/* tags per hardware queue */
	unsigned long max_io;		/* largest request, bytes */
};

/* A target while it serves: what fio and the snapshots need. */
struct target_dev {
	char dev[64];			/* fio's filename */
	const char *stats;		/* ubmap's stats file; NULL: none */
	struct backend be;		/* the serving process, if any */
	bool module_ours;		/* stop() unloads it */
};

struct target_ops {
	const char *name;
	/* Stores it has an equivalent of (cells with another are dropped). */
	const char *const *stores;
	/**
	 * start() - set up the device for cell c's group (queues, store, mode)
	 * Return: 0 serving (d filled in); TARGET_UNAVAILABLE with the reason
	 * in err when this kernel or build lacks it; -1 with err on failure.
	 */
	int (*start)(const struct target_env *e, const struct cell *c,
		     struct target_dev *d, char *err);
	/** stop() - tear it down; the device is gone when it returns 0. */
	int (*stop)(struct target_dev *d, char *err);
};

extern const struct target_ops target_ubmap, target_null_blk, target_brd,
	target_ublk, target_tcmu;

/* By name (a target axis value), or NULL. */
const struct target_ops *target_find(const char *name);
bool target_serves(const struct target_ops *t, const char *store);
/* Every target, NULL-terminated, in the axis's order. */
extern const struct target_ops *const targets[];

/* Helpers the targets share (target.c). */

/* Runs modprobe ARGS...; on failure err has its first line of output. */
int target_modprobe(char *err, const char *module, const char *params);
/* Removes a module, retrying while a device just closed still holds it. */
int target_rmmod(const char *module, char *err);
bool target_module_loaded(const char *module);
/**
 * target_serve() - start a peer's server, wait for its ready file to name
 * the disk (d->be.ready, which it removes first)
 * @argv: the server's command line; argv[0] names it in errors
 * @log: where its output goes
 * @ready_secs: how long it may take
 * @stop_sig: when it takes longer, sent first (SIGKILL @stop_secs later)
 * Return: 0 with d->dev the disk's node, or -1 with err.
 */
int target_serve(struct target_dev *d, char *const argv[], const char *log,
		 int ready_secs, int stop_sig, double stop_secs, char *err);
/* Alive? (A server that exited makes the bench restart the group.) */
bool target_alive(struct target_dev *d);

#endif /* BENCH_TARGET_H */
