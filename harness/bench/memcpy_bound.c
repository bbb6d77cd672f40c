// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"
#include "memcpy_bound.h"
#include "util.h"

/*
 * The same two buffers of one block each, over and over: cache-hot and one
 * TLB entry per page, the fastest a copy of bs bytes goes here, so no path
 * that copies each byte can beat it.  (A 64 MiB arena, cache-cold, measured
 * TCG's software TLB instead: 80 MiB/s at 4k, below null_blk's I/O.)
 *//* Long enough to outlast the timer's and TCG's first-translation noise. */
#define MEASURE_S	0.25

/*
 * The kernel copies a request's bytes with rep movsb (copy_user_enhanced_
 * fast_string, memcpy_erms) on every CPU this runs on; glibc picks vector
 * loops, which TCG emulates far more slowly.  The bound is the kernel's.
 */
static void copy_movsb(void *dst, const void *src, size_t n)
{
#if defined(__x86_64__)
	asm volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
#else
	memcpy(dst, src, n);
#endif
}

static double copy_rate(unsigned long bs, bool libc)
{
	unsigned long arena = bs, off = 0;
	unsigned long long bytes = 0;
	char *src, *dst;
	double t0, t;

	src = malloc(arena);
	dst = malloc(arena);
	if (!src || !dst)
		abort();
	/* Fault every page in first: the copy is timed, not the first touch. */
	memset(src, 0x5a, arena);
	memset(dst, 0, arena);
	t0 = now_mono();
	do {
		for (int i = 0; i < 64; i++) {
			if (off + bs > arena)
				off = 0;
			if (libc)
				memcpy(dst + off, src + off, bs);
			else
				copy_movsb(dst + off, src + off, bs);
			off += bs;
			bytes += bs;
		}
		t = now_mono();
	} while (t - t0 < MEASURE_S);
	/* Keep the copies: the compiler may not drop them. */
	if (dst[bs - 1] != 0x5a)
		abort();
	free(src);
	free(dst);
	return bytes / (t - t0);
}

double memcpy_bound(unsigned long bs)
{
	return copy_rate(bs, false);
}

double memcpy_libc(unsigned long bs)
{
	return copy_rate(bs, true);
}

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

json_t *memcpy_bound_json(const struct cell *cells, size_t n)
{
	unsigned long *bs = calloc(n ? n : 1, sizeof(*bs));
	size_t nbs = 0;
	json_t *a = json_array();

	if (!bs)
		abort();
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;

		while (k < nbs && bs[k] != cells[i].bs)
			k++;
		if (k == nbs)
			bs[nbs++] = cells[i].bs;
	}
	qsort(bs, nbs, sizeof(*bs), cmp_ul);
	for (size_t k = 0; k < nbs; k++) {
		double bw = memcpy_bound(bs[k]), libc = memcpy_libc(bs[k]);
		char text[32];

		format_size(bs[k], text, sizeof(text));
		json_array_append_new(a, json_pack("{s:I, s:s, s:o, s:o, s:o, s:s}",
						   "bs", (json_int_t)bs[k],
						   "bs_text", text,
						   "bytes_per_s", jnum(bw),
						   "iops", jnum(bw / bs[k]),
						   "libc_bytes_per_s", jnum(libc),
						   "how", "rep movsb, one block's buffers reused (cache-hot), one thread"));
	}
	free(bs);
	return a;
}
