// SPDX-License-Identifier: GPL-2.0
/* Symbol loading, lookup and group attribution, on a small kallsyms. */
#include "../testlib.h"

#include <string.h>

#include "insn_groups.h"
#include "profile_tests.h"
#include "symtab.h"

static struct symtab st;
static char err[512];

static int load_fixture(void **state)
{
	(void)state;
	return symtab_load(&st, FIXTURES "/syms", FIXTURES "/ranges", err, sizeof(err));
}

static int free_fixture(void **state)
{
	(void)state;
	symtab_free(&st);
	return 0;
}

static const char *name_at(uint64_t addr)
{
	return symtab_name(&st, symtab_lookup(&st, addr));
}

static void lookup_kernel_functions(void **state)
{
	(void)state;
	assert_string_equal(name_at(0xffffffff9a001000), "remap_pfn_range");
	assert_string_equal(name_at(0xffffffff9a0011ff), "remap_pfn_range");
	assert_string_equal(name_at(0xffffffff9a001200), "remap_pte_range");
	assert_string_equal(name_at(0xffffffff9a002abc), "zap_pte_range.isra.0");
	assert_string_equal(name_at(0xffffffff9a007fff), "some_other_function");
	assert_null(symtab_module(&st, symtab_lookup(&st, 0xffffffff9a001000)));
}

static void lookup_outside_text(void **state)
{
	(void)state;
	/* User space is one slot, below the first symbol and past _etext nothing. */
	assert_int_equal(symtab_lookup(&st, 0x401000), SYM_USER(&st));
	assert_int_equal(symtab_lookup(&st, 0x7fffffffffffull), SYM_USER(&st));
	assert_int_equal(symtab_lookup(&st, 0xffffffff90000000), SYM_UNKNOWN(&st));
	assert_int_equal(symtab_lookup(&st, 0xffffffff9a008000), SYM_UNKNOWN(&st));
	/* Data symbols are not functions: some_data does not cover its address. */
	assert_int_equal(symtab_lookup(&st, 0xffffffff9b000010), SYM_UNKNOWN(&st));
	assert_string_equal(symtab_name(&st, SYM_USER(&st)), "[user]");
	assert_string_equal(symtab_name(&st, SYM_UNKNOWN(&st)), "[unknown]");
}

static void lookup_module_functions(void **state)
{
	size_t i;

	(void)state;
	i = symtab_lookup(&st, 0xffffffffc0100410);
	assert_string_equal(symtab_name(&st, i), "ubmap_ioctl");
	assert_string_equal(symtab_module(&st, i), "ubmap");
	/* The module's last function ends with its range, not at the next module. */
	assert_int_equal(symtab_lookup(&st, 0xffffffffc0101000), SYM_UNKNOWN(&st));
	assert_int_equal(symtab_lookup(&st, 0xffffffffc01fffff), SYM_UNKNOWN(&st));
	assert_string_equal(name_at(0xffffffffc0207fff), "null_queue_rq");
}

static int group_at(uint64_t addr)
{
	return symtab_group(&st, symtab_lookup(&st, addr));
}

static void groups_of_slots(void **state)
{
	(void)state;
	assert_int_equal(group_at(0xffffffff9a001000), INSN_G_MAP);
	assert_int_equal(group_at(0xffffffff9a001600), INSN_G_MAP);	/* lookup_memtype */
	assert_int_equal(group_at(0xffffffff9a002000), INSN_G_UNMAP);	/* a .isra.0 clone */
	assert_int_equal(group_at(0xffffffff9a003000), INSN_G_COPY);
	assert_int_equal(group_at(0xffffffff9a004000), INSN_G_IDLE);
	assert_int_equal(group_at(0xffffffff9a005000), INSN_G_BLOCK);
	assert_int_equal(group_at(0xffffffff9a006000), INSN_G_SCHED);
	assert_int_equal(group_at(0xffffffff9a006800), INSN_G_WAIT);
	assert_int_equal(group_at(0xffffffff9a006c00), INSN_G_PIN);
	assert_int_equal(group_at(0xffffffff9a007000), INSN_G_OTHER);
	assert_int_equal(group_at(0xffffffffc0100000), INSN_G_UBMAP);
	assert_int_equal(group_at(0xffffffffc0200000), INSN_G_OTHER);
	assert_int_equal(group_at(0x401000), INSN_G_USER);
	assert_int_equal(group_at(0xffffffff9a008000), INSN_G_OTHER);
}

static void group_rules(void **state)
{
	(void)state;
	/* The module rule wins over any name rule; other modules get name rules. */
	assert_int_equal(insn_group_of("memcpy", "ubmap"), INSN_G_UBMAP);
	assert_int_equal(insn_group_of("blk_mq_foo", "null_blk"), INSN_G_BLOCK);
	assert_int_equal(insn_group_of("vm_insert_pages", NULL), INSN_G_MAP);
	assert_int_equal(insn_group_of("apply_to_pte_range", NULL), INSN_G_MAP);
	assert_int_equal(insn_group_of("native_flush_tlb_one_user", NULL), INSN_G_TLB);
	assert_int_equal(insn_group_of("do_idle", NULL), INSN_G_IDLE);
	assert_int_equal(insn_group_of("entry_SYSCALL_64_after_hwframe", NULL), INSN_G_SYSCALL);
	/* Prefix rules need the prefix; exact rules the whole name. */
	assert_int_equal(insn_group_of("zap", NULL), INSN_G_OTHER);
	assert_int_equal(insn_group_of("remap_pfn_range_notrack", NULL), INSN_G_MAP);
	assert_int_equal(insn_group_of("insert_pages_extra", NULL), INSN_G_OTHER);
	assert_int_equal(insn_group_of(NULL, NULL), INSN_G_OTHER);
	/* A page copied whole is khugepaged's or migration's, not a request's. */
	assert_int_equal(insn_group_of("copy_page", NULL), INSN_G_OTHER);
	assert_int_equal(insn_group_of("copy_page_to_iter", NULL), INSN_G_COPY);
	/* Gated: the request path's work; not: what follows time and memory. */
	assert_true(insn_group_gated(INSN_G_MAP) && insn_group_gated(INSN_G_UBMAP));
	assert_false(insn_group_gated(INSN_G_SCHED) || insn_group_gated(INSN_G_BLOCK));
	assert_false(insn_group_gated(-1) || insn_group_gated(INSN_G_COUNT));
	/* The names both ways, for the report. */
	for (int g = 0; g < INSN_G_COUNT; g++)
		assert_int_equal(insn_group_by_name(insn_group_name(g)), g);
	assert_int_equal(insn_group_by_name("nosuch"), -1);
	assert_null(insn_group_name(INSN_G_COUNT));
}

static void load_errors(void **state)
{
	struct symtab bad;

	(void)state;
	assert_int_equal(symtab_load(&bad, FIXTURES "/nosuch", NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "nosuch: No such file"));
	assert_int_equal(symtab_load(&bad, NULL, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no symbol file"));
	assert_int_equal(symtab_load(&bad, FIXTURES "/syms-malformed", NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "syms-malformed:3: not a kallsyms"));
	assert_int_equal(symtab_load(&bad, FIXTURES "/syms-restricted", NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "kptr_restrict"));
	/* Debian's System.map: one line, no text symbols. */
	assert_int_equal(symtab_load(&bad, FIXTURES "/System.map-placeholder", NULL, err,
				     sizeof(err)), -1);
	assert_non_null(strstr(err, "no text symbols"));
	assert_int_equal(symtab_load(&bad, FIXTURES "/syms", FIXTURES "/ranges-malformed", err,
				     sizeof(err)), -1);
	assert_non_null(strstr(err, "ranges-malformed:1: want 'MODULE START END'"));
	/* Unreadable, not missing: a directory. */
	assert_int_equal(symtab_load(&bad, FIXTURES "/syms", FIXTURES, err, sizeof(err)), -1);
	/* No ranges file at all is fine: modules are bounded by symbols only. */
	assert_int_equal(symtab_load(&bad, FIXTURES "/syms", FIXTURES "/noranges", err,
				     sizeof(err)), 0);
	assert_string_equal(symtab_name(&bad, symtab_lookup(&bad, 0xffffffffc01fffff)),
			    "ubmap_ioctl");
	symtab_free(&bad);
}

int test_symtab(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookup_kernel_functions),
		cmocka_unit_test(lookup_outside_text),
		cmocka_unit_test(lookup_module_functions),
		cmocka_unit_test(groups_of_slots),
		cmocka_unit_test(group_rules),
		cmocka_unit_test(load_errors),
	};

	return cmocka_run_group_tests_name("symtab", tests, load_fixture, free_fixture);
}
