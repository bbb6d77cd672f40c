/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The groups that guest kernel functions are counted in by the instruction
 * profile (harness/profile/ubmap-insn.so), declared once: the plugin groups
 * its counts with them and the report reads the same names.
 */
#ifndef LIB_INSN_GROUPS_H
#define LIB_INSN_GROUPS_H

#include <stdbool.h>

/*
 * X(id, name, gated, what): the groups, in the order reports show them.
 * gated: compare holds the group to its tolerance.  Only the request
 * path's own work is: a two-run A/A of PROFILE=insn (README, PROFILE)
 * moved the others by 1-150 % a request, as they follow time and memory
 * (timer ticks, wake-ups, THP faults and khugepaged's zeroing), not the
 * request.
 */
#define INSN_GROUPS(X)							\
	X(MAP, "map", 1, "mapping a request's pages: vm_insert_pages, remap_pfn_range, PAT lookups, apply_to_page_range") \
	X(UNMAP, "unmap", 1, "zapping them again: zap_*, unmap_page_range") \
	X(TLB, "tlb", 1, "TLB flushes: flush_tlb_*, native_flush_tlb_*, shootdowns") \
	X(COPY, "copy", 1, "copying data: memcpy, copy_*_user, rep-movs helpers, iov_iter copies") \
	X(ZERO, "zero", 0, "zeroing pages: clear_page_*, memset") \
	X(BLOCK, "block", 0, "the block layer: bio, blk-mq, direct I/O, sbitmap, schedulers") \
	X(PIN, "pin", 1, "pinning user pages for direct I/O: get_user_pages_fast and its walk") \
	X(UBMAP, "ubmap", 1, "the ubmap module: ring, ioctl, its modes' own code") \
	X(SYSCALL, "syscall", 0, "system call entry and exit, exception and interrupt entry") \
	X(SCHED, "sched", 0, "the scheduler and context switches, wake-ups") \
	X(IDLE, "idle", 0, "the idle loop: counted but left out of every total") \
	X(WAIT, "wait", 0, "spinning on a lock another vCPU holds: time, not work; left out of every total") \
	X(OTHER, "other", 0, "every other kernel function (copy_page: khugepaged, migration), and addresses no symbol covers") \
	X(USER, "user", 0, "user space (fio, ubmapd, everything below the kernel half)")

enum insn_group {
#define INSN_GROUP_ENUM(id, name, gated, what) INSN_G_##id,
	INSN_GROUPS(INSN_GROUP_ENUM)
#undef INSN_GROUP_ENUM
	INSN_G_COUNT
};

/* The group's name ("map"), NULL for an id out of range. */
const char *insn_group_name(enum insn_group g);
/* What the group holds, for reports. */
const char *insn_group_what(enum insn_group g);
/* Whether a group is in totals: idle and spin-waits are time, not work. */
static inline int insn_group_counted(int g)
{
	return g != INSN_G_IDLE && g != INSN_G_WAIT;
}

/* The group's gated flag (above); schema.h's insn_gated() adds the mode's rule. */
bool insn_group_gated(int g);

/* The id of a group name; -1 if there is none. */
int insn_group_by_name(const char *name);

/**
 * insn_group_of() - the group a guest kernel function is counted in
 * @func: its symbol (compiler suffixes such as ".isra.0" are ignored)
 * @module: the module it belongs to, NULL for the kernel image
 *
 * Return: the first rule of insn_group_rules[] that matches, else
 * INSN_G_OTHER.  Never INSN_G_USER: user space has no symbols here.
 */
enum insn_group insn_group_of(const char *func, const char *module);

#endif /* LIB_INSN_GROUPS_H */
