/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest kernel's text symbols, as the plugin attributes addresses to
 * functions.  Debian's System.map is a placeholder (the real one is in the
 * -dbg package) and its vmlinux is stripped, so the symbols come from the
 * guest's own /proc/kallsyms (same "ADDR TYPE NAME [MODULE]" format as a
 * System.map, but with KASLR applied and the loaded modules' symbols),
 * written by ubmap-insn-mark before each window.  A module's text range is
 * [/sys/module/M/sections/.text, + coresize): its core allocation.
 */
#ifndef PROFILE_SYMTAB_H
#define PROFILE_SYMTAB_H

#include <stddef.h>
#include <stdint.h>

struct sym {
	uint64_t addr;
	uint32_t name;		/* offset into the name pool */
	int16_t module;		/* index into modules[], -1 for the kernel image */
	uint8_t group;		/* enum insn_group */
};

struct sym_module {
	char name[64];
	uint64_t start, end;	/* [start, end); end 0: no range given */
};

struct symtab {
	struct sym *syms;	/* sorted by address */
	size_t n;
	char *pool;
	size_t pool_len, pool_cap;
	struct sym_module *modules;
	size_t nmodules;
	uint64_t stext, etext;	/* the kernel image's text */
};

/* Symbol indexes beyond the table, for what no symbol covers. */
#define SYM_USER(st)	((st)->n)
#define SYM_UNKNOWN(st)	((st)->n + 1)
#define SYM_SLOTS(st)	((st)->n + 2)

/* Kernel addresses are the upper half on x86_64. */
#define SYM_KERNEL_BASE	0x8000000000000000ull

/**
 * symtab_load() - read the guest's symbols
 * @st: filled in; free with symtab_free()
 * @syms_path: kallsyms lines (kernel image and modules; text symbols used)
 * @ranges_path: "MODULE START END" lines (hex), one per loaded module; NULL
 *	or a missing file: module symbols are bounded by the next symbol only
 * @err: a message on failure
 * @errlen: its size
 *
 * Return: 0, or -1 with @err saying which file and what is wrong (missing,
 * unreadable, no text symbols, no _stext/_etext, a malformed line).
 */
int symtab_load(struct symtab *st, const char *syms_path, const char *ranges_path,
		char *err, size_t errlen);
void symtab_free(struct symtab *st);

/* The slot an executed address is counted in: a symbol, SYM_USER or SYM_UNKNOWN. */
size_t symtab_lookup(const struct symtab *st, uint64_t addr);

/* Name and module (NULL: kernel) of slot I; "[user]" and "[unknown]" for the extra slots. */
const char *symtab_name(const struct symtab *st, size_t i);
const char *symtab_module(const struct symtab *st, size_t i);
/* The insn_group of slot I. */
int symtab_group(const struct symtab *st, size_t i);

#endif /* PROFILE_SYMTAB_H */
