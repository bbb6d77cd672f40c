/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The groups that guest kernel functions are counted in by the instruction
 * profile (harness/profile/ubmap-insn.so), declared once: the plugin groups
 * its counts with them and the report reads the same names.
 */
#ifndef LIB_INSN_GROUPS_H
#define LIB_INSN_GROUPS_H

/* X(id, name, what): the groups, in the order reports show them. */
#define INSN_GROUPS(X)							\
	X(MAP, "map", "mapping a request's pages: vm_insert_pages, remap_pfn_range, PAT lookups, apply_to_page_range") \
	X(UNMAP, "unmap", "zapping them again: zap_*, unmap_page_range") \
	X(TLB, "tlb", "TLB flushes: flush_tlb_*, native_flush_tlb_*, shootdowns") \
	X(COPY, "copy", "copying data: memcpy, copy_*_user, copy_page, rep-movs helpers") \
	X(ZERO, "zero", "zeroing pages: clear_page_*, memset") \
	X(BLOCK, "block", "the block layer: bio, blk-mq, direct I/O, sbitmap, schedulers") \
	X(PIN, "pin", "pinning user pages for direct I/O: get_user_pages_fast and its walk") \
	X(UBMAP, "ubmap", "the ubmap module: ring, ioctl, its modes' own code") \
	X(SYSCALL, "syscall", "system call entry and exit, exception and interrupt entry") \
	X(SCHED, "sched", "the scheduler and context switches, wake-ups") \
	X(IDLE, "idle", "the idle loop: counted but left out of every total") \
	X(WAIT, "wait", "spinning on a lock another vCPU holds: time, not work; left out of every total") \
	X(OTHER, "other", "every other kernel function, and addresses no symbol covers") \
	X(USER, "user", "user space (fio, ubmapd, everything below the kernel half)")

enum insn_group {
#define INSN_GROUP_ENUM(id, name, what) INSN_G_##id,
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
