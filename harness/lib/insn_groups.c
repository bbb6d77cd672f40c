// SPDX-License-Identifier: GPL-2.0
/*
 * Which guest kernel function belongs to which instruction-profile group:
 * one table of rules, first match wins.  Names are Linux 6.1's (x86_64);
 * a pattern ending in '*' matches by prefix.  The map rules name the
 * callees of each mode's mapping call, so a group is what the mode paid.
 */
#include <stddef.h>
#include <string.h>

#include "insn_groups.h"

struct insn_rule {
	const char *module;	/* NULL: any; "": the kernel image only */
	const char *pattern;
	enum insn_group group;
};

static const char *const group_names[] = {
#define INSN_GROUP_NAME(id, name, gated, what) name,
	INSN_GROUPS(INSN_GROUP_NAME)
#undef INSN_GROUP_NAME
};

static const char *const group_whats[] = {
#define INSN_GROUP_WHAT(id, name, gated, what) what,
	INSN_GROUPS(INSN_GROUP_WHAT)
#undef INSN_GROUP_WHAT
};

static const bool group_gated[] = {
#define INSN_GROUP_GATED(id, name, gated, what) gated,
	INSN_GROUPS(INSN_GROUP_GATED)
#undef INSN_GROUP_GATED
};

static const struct insn_rule insn_group_rules[] = {
	/* The module's own code, whatever its name. */
	{ "ubmap", "*", INSN_G_UBMAP },
	/* Idle first: do_idle must not fall into sched. */
	{ NULL, "do_idle", INSN_G_IDLE },
	{ NULL, "default_idle*", INSN_G_IDLE },
	{ NULL, "arch_cpu_idle*", INSN_G_IDLE },
	{ NULL, "native_safe_halt", INSN_G_IDLE },
	{ NULL, "cpu_idle_poll*", INSN_G_IDLE },
	{ NULL, "cpuidle_*", INSN_G_IDLE },
	{ NULL, "mwait_idle*", INSN_G_IDLE },
	{ NULL, "acpi_idle_*", INSN_G_IDLE },
	{ NULL, "cpu_startup_entry", INSN_G_IDLE },
	{ NULL, "tick_nohz_idle_*", INSN_G_IDLE },
	{ NULL, "play_idle*", INSN_G_IDLE },
	/*
	 * Spin-waits: their count is how long another vCPU held the lock,
	 * which under TCG follows the host, not the work.
	 */
	{ NULL, "native_queued_spin_lock_slowpath", INSN_G_WAIT },
	{ NULL, "__pv_queued_spin_lock_slowpath", INSN_G_WAIT },
	{ NULL, "queued_read_lock_slowpath", INSN_G_WAIT },
	{ NULL, "queued_write_lock_slowpath", INSN_G_WAIT },
	{ NULL, "osq_lock", INSN_G_WAIT },
	{ NULL, "mutex_spin_on_owner", INSN_G_WAIT },
	{ NULL, "rwsem_spin_on_owner", INSN_G_WAIT },
	/* vm_insert_pages and its callees. */
	{ NULL, "vm_insert_page*", INSN_G_MAP },
	{ NULL, "insert_pages", INSN_G_MAP },
	{ NULL, "insert_page", INSN_G_MAP },
	{ NULL, "insert_page_into_pte_locked", INSN_G_MAP },
	{ NULL, "insert_page_in_batch_locked", INSN_G_MAP },
	{ NULL, "validate_page_before_insert", INSN_G_MAP },
	{ NULL, "vm_map_pages*", INSN_G_MAP },
	/*
	 * Not page_add_file_rmap/page_remove_rmap: every page fault and exit
	 * runs them, so a window around any process start would put map work
	 * into the copy mode.  vm_insert_pages' rmap is counted in "other".
	 */
	/* remap_pfn_range, its page-table walk and its PAT bookkeeping. */
	{ NULL, "remap_pfn_range*", INSN_G_MAP },
	{ NULL, "remap_p4d_range", INSN_G_MAP },
	{ NULL, "remap_pud_range", INSN_G_MAP },
	{ NULL, "remap_pmd_range", INSN_G_MAP },
	{ NULL, "remap_pte_range", INSN_G_MAP },
	{ NULL, "track_pfn_remap", INSN_G_MAP },
	{ NULL, "track_pfn_insert", INSN_G_MAP },
	{ NULL, "lookup_memtype", INSN_G_MAP },
	{ NULL, "memtype_*", INSN_G_MAP },
	{ NULL, "reserve_pfn_range", INSN_G_MAP },
	{ NULL, "pat_pagerange_is_ram", INSN_G_MAP },
	{ NULL, "pat_enabled", INSN_G_MAP },
	{ NULL, "pfn_range_is_mapped", INSN_G_MAP },
	{ NULL, "walk_system_ram_range", INSN_G_MAP },
	{ NULL, "pagerange_is_ram_callback", INSN_G_MAP },
	{ NULL, "__walk_iomem_res_desc", INSN_G_MAP },
	{ NULL, "find_next_iomem_res", INSN_G_MAP },
	/* mkspecial: apply_to_page_range's walk. */
	{ NULL, "apply_to_page_range", INSN_G_MAP },
	{ NULL, "__apply_to_page_range", INSN_G_MAP },
	{ NULL, "apply_to_p4d_range", INSN_G_MAP },
	{ NULL, "apply_to_pud_range", INSN_G_MAP },
	{ NULL, "apply_to_pmd_range", INSN_G_MAP },
	{ NULL, "apply_to_pte_range", INSN_G_MAP },
	/* Unmapping. */
	{ NULL, "zap_*", INSN_G_UNMAP },
	{ NULL, "unmap_page_range", INSN_G_UNMAP },
	{ NULL, "unmap_single_vma", INSN_G_UNMAP },
	{ NULL, "untrack_pfn", INSN_G_UNMAP },
	/* TLB flushes. */
	{ NULL, "flush_tlb_*", INSN_G_TLB },
	{ NULL, "native_flush_tlb_*", INSN_G_TLB },
	{ NULL, "__flush_tlb_*", INSN_G_TLB },
	{ NULL, "flush_tlb_func*", INSN_G_TLB },
	{ NULL, "tlb_finish_mmu", INSN_G_TLB },
	{ NULL, "tlb_flush_mmu*", INSN_G_TLB },
	{ NULL, "tlb_gather_mmu*", INSN_G_TLB },
	{ NULL, "native_flush_tlb_multi", INSN_G_TLB },
	{ NULL, "invalidate_user_asid", INSN_G_TLB },
	/* Copies. */
	{ NULL, "memcpy*", INSN_G_COPY },
	{ NULL, "__memcpy*", INSN_G_COPY },
	{ NULL, "memmove", INSN_G_COPY },
	{ NULL, "__memmove", INSN_G_COPY },
	{ NULL, "copy_user_*", INSN_G_COPY },
	{ NULL, "_copy_to_user", INSN_G_COPY },
	{ NULL, "_copy_from_user", INSN_G_COPY },
	{ NULL, "__copy_user_*", INSN_G_COPY },
	{ NULL, "_copy_to_iter", INSN_G_COPY },
	{ NULL, "_copy_from_iter", INSN_G_COPY },
	{ NULL, "copy_page_to_iter", INSN_G_COPY },
	{ NULL, "copy_page_from_iter*", INSN_G_COPY },
	{ NULL, "copyout", INSN_G_COPY },
	{ NULL, "copyin", INSN_G_COPY },
	{ NULL, "rep_movs_alternative", INSN_G_COPY },
	/* Zeroing. */
	{ NULL, "clear_page*", INSN_G_ZERO },
	{ NULL, "memset*", INSN_G_ZERO },
	{ NULL, "__memset*", INSN_G_ZERO },
	{ NULL, "clear_user*", INSN_G_ZERO },
	{ NULL, "kernel_init_pages", INSN_G_ZERO },
	/* Direct I/O pinning the user buffer (bio_iov_iter_get_pages). */
	{ NULL, "internal_get_user_pages_fast", INSN_G_PIN },
	{ NULL, "get_user_pages*", INSN_G_PIN },
	{ NULL, "pin_user_pages*", INSN_G_PIN },
	{ NULL, "unpin_user_page*", INSN_G_PIN },
	{ NULL, "try_grab_folio", INSN_G_PIN },
	{ NULL, "try_grab_page", INSN_G_PIN },
	{ NULL, "gup_*", INSN_G_PIN },
	{ NULL, "__gup_*", INSN_G_PIN },
	{ NULL, "lockless_pages_from_mm", INSN_G_PIN },
	/* The block layer. */
	{ NULL, "blk_*", INSN_G_BLOCK },
	{ NULL, "__blk_*", INSN_G_BLOCK },
	{ NULL, "blkdev_*", INSN_G_BLOCK },
	{ NULL, "__blkdev_*", INSN_G_BLOCK },
	{ NULL, "bio_*", INSN_G_BLOCK },
	{ NULL, "__bio_*", INSN_G_BLOCK },
	{ NULL, "bvec_*", INSN_G_BLOCK },
	{ NULL, "submit_bio*", INSN_G_BLOCK },
	{ NULL, "bdev_*", INSN_G_BLOCK },
	{ NULL, "disk_*", INSN_G_BLOCK },
	{ NULL, "elv_*", INSN_G_BLOCK },
	{ NULL, "dd_*", INSN_G_BLOCK },
	{ NULL, "sbitmap_*", INSN_G_BLOCK },
	{ NULL, "__sbitmap_*", INSN_G_BLOCK },
	{ NULL, "sbq_*", INSN_G_BLOCK },
	{ NULL, "iomap_dio_*", INSN_G_BLOCK },
	{ NULL, "__iomap_dio_*", INSN_G_BLOCK },
	{ NULL, "dio_*", INSN_G_BLOCK },
	{ NULL, "part_*", INSN_G_BLOCK },
	{ NULL, "update_io_ticks", INSN_G_BLOCK },
	{ NULL, "aio_*", INSN_G_BLOCK },
	/* System call, exception and interrupt entry and exit. */
	{ NULL, "entry_SYSCALL_64*", INSN_G_SYSCALL },
	{ NULL, "do_syscall_64", INSN_G_SYSCALL },
	{ NULL, "syscall_enter_from_user_mode*", INSN_G_SYSCALL },
	{ NULL, "syscall_exit_to_user_mode*", INSN_G_SYSCALL },
	{ NULL, "syscall_exit_work", INSN_G_SYSCALL },
	{ NULL, "exit_to_user_mode*", INSN_G_SYSCALL },
	{ NULL, "__x64_sys_*", INSN_G_SYSCALL },
	{ NULL, "swapgs_restore_regs_and_return_to_usermode", INSN_G_SYSCALL },
	{ NULL, "error_entry", INSN_G_SYSCALL },
	{ NULL, "error_return", INSN_G_SYSCALL },
	{ NULL, "asm_*", INSN_G_SYSCALL },
	{ NULL, "irqentry_*", INSN_G_SYSCALL },
	{ NULL, "native_iret", INSN_G_SYSCALL },
	{ NULL, "restore_regs_and_return_to_kernel", INSN_G_SYSCALL },
	{ NULL, "__x86_return_thunk", INSN_G_SYSCALL },
	{ NULL, "fpregs_restore_userregs", INSN_G_SYSCALL },
	{ NULL, "switch_fpu_return", INSN_G_SYSCALL },
	/* The scheduler. */
	{ NULL, "schedule*", INSN_G_SCHED },
	{ NULL, "__schedule", INSN_G_SCHED },
	{ NULL, "__switch_to*", INSN_G_SCHED },
	{ NULL, "switch_mm*", INSN_G_SCHED },
	{ NULL, "context_switch", INSN_G_SCHED },
	{ NULL, "finish_task_switch*", INSN_G_SCHED },
	{ NULL, "pick_next_*", INSN_G_SCHED },
	{ NULL, "put_prev_*", INSN_G_SCHED },
	{ NULL, "set_next_*", INSN_G_SCHED },
	{ NULL, "enqueue_*", INSN_G_SCHED },
	{ NULL, "dequeue_*", INSN_G_SCHED },
	{ NULL, "try_to_wake_up", INSN_G_SCHED },
	{ NULL, "ttwu_*", INSN_G_SCHED },
	{ NULL, "wake_up_*", INSN_G_SCHED },
	{ NULL, "__wake_up*", INSN_G_SCHED },
	{ NULL, "select_task_rq*", INSN_G_SCHED },
	{ NULL, "check_preempt_*", INSN_G_SCHED },
	{ NULL, "resched_*", INSN_G_SCHED },
	{ NULL, "update_curr*", INSN_G_SCHED },
	{ NULL, "update_load_avg", INSN_G_SCHED },
	{ NULL, "__update_load_avg*", INSN_G_SCHED },
	{ NULL, "update_cfs_*", INSN_G_SCHED },
	{ NULL, "update_rq_clock*", INSN_G_SCHED },
	{ NULL, "reweight_*", INSN_G_SCHED },
	{ NULL, "sched_*", INSN_G_SCHED },
	{ NULL, "__sched_*", INSN_G_SCHED },
	{ NULL, "psi_*", INSN_G_SCHED },
	{ NULL, "newidle_balance", INSN_G_SCHED },
	{ NULL, "load_balance", INSN_G_SCHED },
	{ NULL, "raw_spin_rq_lock*", INSN_G_SCHED },
	{ NULL, "prepare_task_switch", INSN_G_SCHED },
	{ NULL, "cpuacct_charge", INSN_G_SCHED },
};

const char *insn_group_name(enum insn_group g)
{
	return (unsigned int)g < INSN_G_COUNT ? group_names[g] : NULL;
}

const char *insn_group_what(enum insn_group g)
{
	return (unsigned int)g < INSN_G_COUNT ? group_whats[g] : NULL;
}

bool insn_group_gated(int g)
{
	return g >= 0 && g < INSN_G_COUNT && group_gated[g];
}

int insn_group_by_name(const char *name)
{
	for (int g = 0; g < INSN_G_COUNT; g++)
		if (name && !strcmp(name, group_names[g]))
			return g;
	return -1;
}

/* PATTERN against the first LEN bytes of a symbol. */
static int pattern_matches(const char *pattern, const char *func, size_t len)
{
	size_t plen = strlen(pattern);

	if (plen && pattern[plen - 1] == '*')
		return len >= plen - 1 && !strncmp(func, pattern, plen - 1);
	return len == plen && !strncmp(func, pattern, len);
}

enum insn_group insn_group_of(const char *func, const char *module)
{
	size_t len;

	if (!func)
		return INSN_G_OTHER;
	/* "zap_pte_range.isra.0" is zap_pte_range to the rules. */
	len = strcspn(func, ".");
	for (size_t i = 0; i < sizeof(insn_group_rules) / sizeof(insn_group_rules[0]); i++) {
		const struct insn_rule *r = &insn_group_rules[i];

		if (r->module && strcmp(r->module, module ? module : ""))
			continue;
		if (pattern_matches(r->pattern, func, len))
			return r->group;
	}
	return INSN_G_OTHER;
}
