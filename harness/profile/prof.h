/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counting core of ubmap-insn, apart from QEMU so the host tests can
 * drive it with a synthetic trace.  Every translated block gets a struct
 * prof_tb; each execution of it adds its instruction count to the slot of
 * the function it starts in, in the executing vCPU's own array.
 *
 * Why per-vCPU arrays behind a callback and not inline adds: QEMU 7.2 has
 * no per-vCPU scoreboards, and its inline adds all hit one address, which
 * MTTCG vCPU threads update without atomics (lost updates).  Each vCPU's
 * array is written only by its own thread, under its own lock, which is
 * uncontended except at a marker: the marker takes every vCPU's lock, so
 * a window's counts are exact - no add is lost or lands after the stop.
 * The lock is a spinlock of one exchange and one plain store, alone on its
 * cache line: with glibc's mutexes, locking and unlocking was 22 % of a
 * profiled guest's host time (perf, 2026-12-08).
 */
#ifndef PROFILE_PROF_H
#define PROFILE_PROF_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "marker.h"
#include "symtab.h"

#define PROF_MAX_VCPUS	64
#define PROF_NAME_MAX	INSN_MARK_NAME_MAX

/* What the plugin knows about one translated block. */
struct prof_tb {
	uint64_t vaddr;
	uint32_t n_insns;
	/* (generation << 32 | slot), resolved lazily once per symbol table. */
	uint64_t cached;
};

struct prof_vcpu {
	int lock;		/* 1: held, by the vCPU's thread or a marker */
	uint64_t *slots;	/* per symtab slot; NULL until the first window */
	uint64_t total;
} __attribute__((aligned(64)));	/* one cache line each: no false sharing */

struct prof {
	char dir[4096];		/* where the guest and the plugin exchange files */
	volatile int active;	/* read unlocked as a hint, decided under the vCPU lock */
	uint32_t gen;		/* the symbol table's generation */
	uint64_t seq;		/* windows started */
	char name[PROF_NAME_MAX];
	struct symtab st;
	unsigned int nvcpus;	/* highest vCPU index seen + 1 */
	struct prof_vcpu vcpus[PROF_MAX_VCPUS];
	pthread_mutex_t marker_lock;
};

/* File names inside dir. */
#define PROF_SYMS	"syms"		/* the guest's kallsyms text symbols */
#define PROF_RANGES	"ranges"	/* module text ranges */
#define PROF_WINDOW	"window"	/* the next window's name */
#define PROF_STATUS	"status"	/* the plugin's answer to the last marker */

/**
 * prof_init() - set up an idle profiler from the plugin's arguments
 * @argc, @argv: "dir=PATH" (required: an existing writable directory)
 * @nvcpus: how many vCPUs the guest has (at most PROF_MAX_VCPUS)
 * Return: 0, or -1 with @err set (unknown or missing argument, no such
 * directory, not writable, too many vCPUs).
 */
int prof_init(struct prof *p, int argc, char **argv, unsigned int nvcpus,
	      char *err, size_t errlen);
void prof_exit(struct prof *p);

/* A block executed on vCPU @vcpu: the hot path. */
void prof_exec(struct prof *p, unsigned int vcpu, struct prof_tb *tb);

/**
 * prof_start() - the start marker: read the window's name and the guest's
 * symbols, zero every vCPU's counts, count from now on
 * Return: 0, or -1 with @err set; the status file says the same either way.
 */
int prof_start(struct prof *p, char *err, size_t errlen);

/**
 * prof_stop() - the stop marker: stop counting, write <dir>/<name>.json
 * Return: 0, or -1 with @err set (no window open, cannot write).
 */
int prof_stop(struct prof *p, char *err, size_t errlen);

#endif /* PROFILE_PROF_H */
