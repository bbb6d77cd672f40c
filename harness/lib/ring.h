/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal backend's view of /dev/ubmapc0, for the programs that are not
 * ubmapd (the stress programs, test_abi, ubmap-bench microbench): open,
 * map, one COMMIT_FETCH, the descriptor of a handle, a READ's data, a stats
 * counter, and an access probe that survives SIGBUS/SIGSEGV.
 */
#ifndef LIB_RING_H
#define LIB_RING_H

#include <stdint.h>

#include <linux/ubmap.h>

#define RING_CHAR_DEV	"/dev/ubmapc0"
#define RING_BLOCK_DEV	"/dev/ubmap0"
#define RING_STATS	"/sys/kernel/debug/ubmap/ubmap0/stats"

struct ring {
	int fd;
	struct ubmap_info info;
	void *ctrl;
	uint8_t *data;
};

/* Opens and maps the device; returns 0 or -errno (r->fd is -1 then). */
int ring_open(struct ring *r);
void ring_close(struct ring *r);
/* One UBMAP_IOC_COMMIT_FETCH; returns 0 or -errno, *out (if set) is the batch after. */
int ring_batch(struct ring *r, uint32_t queue, uint32_t flags,
	       const struct ubmap_completion *c, uint32_t nc, uint32_t *tags,
	       uint32_t max, struct ubmap_batch *out);
const struct ubmap_io_desc *ring_desc(const struct ring *r, uint32_t queue,
				      uint32_t handle);
/*
 * Fills a READ's data with @byte the mode's way: in its slot of @window,
 * or (user_copy) with a pwrite on @fd at its offset.  Returns 0 or -errno.
 * Shared with tests/guest/test_abi.c, as is ring_probe().
 */
int ring_fill(int fd, uint8_t *window, const struct ubmap_io_desc *d, uint8_t byte);
/* A counter of the stats file (or "inflight"); -1 if there is none. */
long long ring_stat(const char *key);
/* 0 if *p can be read (@write: and written), else the signal it raised. */
int ring_probe(volatile uint8_t *p, int write);

#endif /* LIB_RING_H */
