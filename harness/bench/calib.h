/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fixed-work calibration loop, timed before and after every cell: under
 * TCG its time follows how much host CPU QEMU got, so a cell whose loop
 * ran much slower than the run's median was slowed down from outside
 * (ubmap-report's contention.c judges it).
 */
#ifndef BENCH_CALIB_H
#define BENCH_CALIB_H

/* Iterations of the loop: about 1 ms on a 2020s host core, a few under TCG. */
#define CALIB_LOOPS	(1U << 19)

/* Nanoseconds (CLOCK_MONOTONIC) the loop took, now. */
double calib_ns(void);

#endif /* BENCH_CALIB_H */
