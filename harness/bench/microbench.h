/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ubmap-bench microbench: each mode's map and unmap of N pages of each kind,
 * without a request around them (the module's UBMAP_IOC_MICROBENCH), so the
 * cost per call and per page can be told apart; with the instruction
 * profile, the instructions of each by group.
 */
#ifndef BENCH_MICROBENCH_H
#define BENCH_MICROBENCH_H

#include <jansson.h>
#include <stdint.h>

#include <linux/ubmap.h>

/* The batch sizes the issue asks for: 1 page to a 1 MiB request. */
#define MB_DEFAULT_PAGES	"1,8,32,128,256"
#define MB_DEFAULT_ITERATIONS	200
#define MB_MAX_SIZES		16

struct mb_plan {
	unsigned int pages[MB_MAX_SIZES];
	unsigned int npages;
	unsigned int iterations;
};

/*
 * "1,8,32" and "200" into @p; 0, or -1 with @err saying what is wrong (a
 * size of 0 or above @max_pages, too many, not a number, 0 iterations or
 * more than the module takes).
 */
int mb_plan_parse(struct mb_plan *p, const char *pages, const char *iterations,
		  unsigned int max_pages, char *err, size_t errlen);

/* The kind's name (UBMAP_MB_KINDS), NULL out of range. */
const char *mb_kind_name(unsigned int kind);
/* The fallback reason's name for ubmap_microbench.refused, NULL for none. */
const char *mb_refused_name(unsigned int refused);

/*
 * One result as a row: mode, kind, pages, iterations, ns per call and per
 * page of each half, map calls per batch, the reason it was refused (or
 * null).  @insn: the window's section (insn_section()) or NULL; taken.
 */
json_t *mb_row(const char *mode, const struct ubmap_microbench *mb, json_t *insn);

#endif /* BENCH_MICROBENCH_H */
