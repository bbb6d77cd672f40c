// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <time.h>

#include "calib.h"

double calib_ns(void)
{
	/* xorshift64: a chain of dependent integer ops nothing can fold. */
	uint64_t x = 88172645463325252ULL;
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (unsigned int i = 0; i < CALIB_LOOPS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		__asm__ volatile("" : "+r"(x));
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
}
