/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fixed-work calibration loop, timed before and after every cell: under
 * TCG its time follows how much host CPU QEMU got, so a cell whose loop
 * ran much slower than the run's median was slowed down from outside
 * (ubmap-report's contention.c judges it).
 */
#ifndef BENCH_CALIB_H
#define BENCH_CALIB_H

/*
 * Iterations of the loop: about 4 ms, natively and under TCG alike (TCG
 * translates a loop of register ALU ops once and then runs it about as
 * fast as the host: 2^19 took 0.87-1.15 ms in a quiet TCG run).
 */
#define CALIB_LOOPS	(1U << 21)

/* Nanoseconds (CLOCK_MONOTONIC) the loop took, now. */
double calib_ns(void);

#endif /* BENCH_CALIB_H */
