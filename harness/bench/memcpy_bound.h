/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memcpy bound: how fast this CPU copies a request's worth of bytes,
 * measured in the same boot as the cells.  A mode that copies every byte
 * (copy, and ublk 6.1) cannot move data faster than one copy per request
 * allows; the report shows it beside them as their limit.
 */
#ifndef BENCH_MEMCPY_BOUND_H
#define BENCH_MEMCPY_BOUND_H

#include <jansson.h>
#include <stddef.h>

#include "cell.h"

/*
 * Bytes per second copying bs bytes between two hot buffers, the kernel's
 * way (rep movsb); and glibc's memcpy, for comparison.
 */
double memcpy_bound(unsigned long bs);
double memcpy_libc(unsigned long bs);

/*
 * run.json's "memcpy_bound": [{"bs", "bs_text", "bytes_per_s", "iops",
 * "libc_bytes_per_s", "how"}] for every block size among the cells,
 * ascending.
 */
json_t *memcpy_bound_json(const struct cell *cells, size_t n);

#endif /* BENCH_MEMCPY_BOUND_H */
