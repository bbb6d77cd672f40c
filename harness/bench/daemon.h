/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device side of a run: load the module with the cell's queue count,
 * set the mode (only while no backend is attached), start and stop ubmapd.
 */
#ifndef BENCH_DAEMON_H
#define BENCH_DAEMON_H

#include <stdbool.h>

#include "proc.h"

struct ubmap_paths {
	const char *ko;		/* kmods/ubmap/ubmap.ko */
	/* More ubmap.ko parameters after the cell's (--ko-params), or NULL. */
	const char *ko_params;
	const char *ubmapd;	/* harness/build/ubmapd */
	const char *dev;	/* /dev/ubmap0: fio's target */
	const char *cdev;	/* /dev/ubmapc0: the backend's */
	const char *sysfs;	/* /sys/block/ubmap0/ubmap */
	const char *stats;	/* debugfs stats */
	const char *store_file;	/* backing file for store=file */
	/* The ublk target's (target_ublk.c): 6.1's driver and our server. */
	const char *ublk_ko;	/* kmods/ublk/ublk_drv.ko */
	const char *ublkd;	/* harness/build/ubmap-ublkd */
	/* The tcmu target's (target_tcmu.c): our backend. */
	const char *tcmud;	/* harness/build/ubmap-tcmud */
};

#define KO_PARAMS_MAX 96

extern const struct ubmap_paths ubmap_default_paths;

bool module_loaded(void);
/* Waits up to secs for a device node to appear; 0, or -1. */
int wait_node(const char *path, double secs);
/* finit_module(ko, params), then waits for both device nodes. */
int module_load(const struct ubmap_paths *p, const char *params, char *err);
/* Retries while a backend that just exited still holds the device. */
int module_unload(char *err);

int mode_set(const struct ubmap_paths *p, const char *mode, char *err);

/*
 * Writes the whole device once, chunk bytes at a time, O_DIRECT, with
 * writers threads.  A fresh store backs its memory on first touch (and a
 * write to a block read before replaces the zero page: a TLB flush); that
 * warm-up must not be measured.
 */
int device_prefill(const char *dev, unsigned long chunk,
		   unsigned int writers, char *err);
bool backend_attached(const struct ubmap_paths *p);

struct backend {
	struct child c;
	char ready[256];	/* ready file ubmapd creates */
	const char *store;	/* what it serves, while running */
};

/* Starts ubmapd and waits for its ready file (all queue threads up). */
int backend_start(struct backend *b, const struct ubmap_paths *p,
		  const char *store, const char *workdir, const char *log,
		  char *err);
/* SIGTERM, then its exit status must be 0. */
int backend_stop(struct backend *b, char *err);
bool backend_running(struct backend *b);

#endif /* BENCH_DAEMON_H */
