// SPDX-License-Identifier: GPL-2.0
/*
 * The test-only injected cost (module parameters inject_ns, inject_pct), so
 * the CI gate (scripts/bench-ab.sh) can be shown a regression of known size.
 *
 * inject_ns is a fixed wait per request.  Its share of a request's time moves
 * with the request's own cost (a 4k copy and a 4k mapping differ, and under
 * TCG both move with the host's load): 13 us cost 3..11 % across runs.
 * inject_pct waits that percentage of the queue's recent request period (the
 * time between two fetches, less what the previous fetch was made to wait),
 * so at QD1 the loss is the same share in every cell and at every host
 * speed: pct / (100 + pct) where a wait costs only its own time.  Under TCG
 * a spinning vCPU also slows the other one, and 7 % took 11 % off (README).
 */
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/sched.h>

#include "ubmap.h"

/* Periods this many times the average are an idle gap (between two fio
 * runs), not a request; this many in a row are a new regime.
 */
#define UBMAP_INJECT_OUTLIER	8

static u64 ubmap_inject_period(struct ubmap_queue *q, u64 now)
{
	u64 busy, sample;

	if (!q->inject_last_n)
		return q->inject_period;
	busy = now - q->inject_last;
	busy = busy > q->inject_paid ? busy - q->inject_paid : 0;
	sample = div_u64(busy, q->inject_last_n);
	if (!q->inject_period) {
		q->inject_period = sample;
	} else if (sample < UBMAP_INJECT_OUTLIER * q->inject_period) {
		/* An average over the last eight or so: steady, and quick
		 * to follow the next cell.
		 */
		q->inject_period = q->inject_period - div_u64(q->inject_period, 8) +
				   div_u64(sample, 8);
		q->inject_outliers = 0;
	} else if (++q->inject_outliers >= UBMAP_INJECT_OUTLIER) {
		q->inject_period = sample;
		q->inject_outliers = 0;
	}
	return q->inject_period;
}

/**
 * ubmap_inject_owed() - what @n requests just fetched must wait, in ns
 * @dev: the device
 * @q: their queue; the caller holds q->mutex
 * @n: how many
 */
u64 ubmap_inject_owed(struct ubmap_dev *dev, struct ubmap_queue *q, u32 n)
{
	u64 now, per;

	if (!n)
		return 0;
	if (dev->inject_ns)
		return (u64)dev->inject_ns * n;
	if (!dev->inject_pct)
		return 0;
	now = ktime_get_ns();
	per = div_u64(ubmap_inject_period(q, now) * dev->inject_pct, 100);
	per = min_t(u64, per, UBMAP_MAX_INJECT_NS);
	q->inject_last = now;
	q->inject_paid = per * n;
	q->inject_last_n = n;
	return q->inject_paid;
}

/**
 * ubmap_inject() - wait @ns, busy, with no lock held
 * @ns: from ubmap_inject_owed()
 *
 * In the backend's thread after the fetch, before the ioctl returns the
 * requests to it: the requests are the backend's and not yet served, so the
 * wait adds to each one's service time serially, in every mode (all of them
 * fetch here), like a real per-request cost of the data path.  After the
 * commit instead it would overlap the submitter's turnaround and even save
 * the backend a sleep and wake-up (measured: no slowdown at QD1); under a
 * lock it would stall queue_rq, the stats reader or the backend's page faults.
 */
void ubmap_inject(u64 ns)
{
	/* Against the clock, not ndelay(): under TCG ndelay(22000) cost 36-39 us a request. */
	u64 end = ktime_get_ns() + ns, slice;

	while (ns) {
		slice = ktime_get_ns() + min_t(u64, ns, 50 * NSEC_PER_USEC);
		while (ktime_get_ns() < slice)
			cpu_relax();
		ns = end > slice ? end - slice : 0;
		cond_resched();
	}
}
