// SPDX-License-Identifier: GPL-2.0
/* Loading the guest's kallsyms and finding the function an address is in. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insn_groups.h"
#include "symtab.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int module_index(struct symtab *st, const char *name)
{
	struct sym_module *m;

	for (size_t i = 0; i < st->nmodules; i++)
		if (!strcmp(st->modules[i].name, name))
			return (int)i;
	if (st->nmodules >= INT16_MAX || strlen(name) >= sizeof(m->name))
		return -1;
	m = realloc(st->modules, (st->nmodules + 1) * sizeof(*m));
	if (!m)
		return -1;
	st->modules = m;
	m = &st->modules[st->nmodules];
	memset(m, 0, sizeof(*m));
	strcpy(m->name, name);
	return (int)st->nmodules++;
}

static int pool_add(struct symtab *st, const char *s, uint32_t *off)
{
	size_t len = strlen(s) + 1;

	if (st->pool_len + len > st->pool_cap) {
		size_t cap = st->pool_cap ? st->pool_cap * 2 : 1 << 20;
		char *p;

		while (cap < st->pool_len + len)
			cap *= 2;
		p = realloc(st->pool, cap);
		if (!p)
			return -1;
		st->pool = p;
		st->pool_cap = cap;
	}
	if (st->pool_len > UINT32_MAX - len)
		return -1;
	memcpy(st->pool + st->pool_len, s, len);
	*off = (uint32_t)st->pool_len;
	st->pool_len += len;
	return 0;
}

static int by_addr(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* One kallsyms line: "ffffffff81000000 T _stext" or "... t name\t[mod]". */
static int load_line(struct symtab *st, char *line, size_t *cap)
{
	char type, name[256], mod[80] = "";
	unsigned long long addr;
	char *br;
	int n, mi = -1;

	n = sscanf(line, "%llx %c %255s %79s", &addr, &type, name, mod);
	if (n < 3)
		return -1;
	/* Text symbols only: T/t, and weak W/w ones. */
	if (type != 'T' && type != 't' && type != 'W' && type != 'w')
		return 0;
	if (!strcmp(name, "_stext"))
		st->stext = addr;
	else if (!strcmp(name, "_etext"))
		st->etext = addr;
	if (n == 4) {
		if (mod[0] != '[' || !(br = strchr(mod, ']')))
			return -1;
		*br = '\0';
		mi = module_index(st, mod + 1);
		if (mi < 0)
			return -1;
	}
	if (st->n == *cap) {
		size_t c = *cap ? *cap * 2 : 65536;
		struct sym *s = realloc(st->syms, c * sizeof(*s));

		if (!s)
			return -1;
		st->syms = s;
		*cap = c;
	}
	if (pool_add(st, name, &st->syms[st->n].name))
		return -1;
	st->syms[st->n].addr = addr;
	st->syms[st->n].module = (int16_t)mi;
	st->syms[st->n].group = (uint8_t)insn_group_of(name, mi < 0 ? NULL : mod + 1);
	st->n++;
	return 0;
}

static int load_ranges(struct symtab *st, const char *path, char *err, size_t errlen)
{
	char line[256], name[80];
	unsigned long long start, end;
	unsigned int lineno = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		if (errno == ENOENT)
			return 0;
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	}
	while (fgets(line, sizeof(line), f)) {
		int mi;

		lineno++;
		if (sscanf(line, "%79s %llx %llx", name, &start, &end) != 3 || end <= start) {
			fclose(f);
			return fail(err, errlen, "%s:%u: want 'MODULE START END' (hex, END > START)",
				    path, lineno);
		}
		mi = module_index(st, name);
		if (mi < 0) {
			fclose(f);
			return fail(err, errlen, "%s:%u: bad module name", path, lineno);
		}
		st->modules[mi].start = start;
		st->modules[mi].end = end;
	}
	if (ferror(f)) {
		fclose(f);
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	}
	fclose(f);
	return 0;
}

int symtab_load(struct symtab *st, const char *syms_path, const char *ranges_path,
		char *err, size_t errlen)
{
	char line[512];
	unsigned int lineno = 0;
	size_t cap = 0;
	FILE *f;

	memset(st, 0, sizeof(*st));
	if (!syms_path || !*syms_path)
		return fail(err, errlen, "no symbol file given");
	f = fopen(syms_path, "r");
	if (!f)
		return fail(err, errlen, "%s: %s", syms_path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (load_line(st, line, &cap)) {
			fclose(f);
			symtab_free(st);
			return fail(err, errlen, "%s:%u: not a kallsyms/System.map line (or out of memory)",
				    syms_path, lineno);
		}
	}
	if (ferror(f)) {
		fclose(f);
		symtab_free(st);
		return fail(err, errlen, "%s: read error", syms_path);
	}
	fclose(f);
	if (!st->n) {
		symtab_free(st);
		return fail(err, errlen, "%s: no text symbols", syms_path);
	}
	/* Restricted kallsyms (kptr_restrict, not root) reads as all zeroes. */
	if (!st->stext || !st->etext || st->etext <= st->stext) {
		symtab_free(st);
		return fail(err, errlen, "%s: no _stext/_etext with real addresses (kptr_restrict? not root?)",
			    syms_path);
	}
	if (ranges_path && load_ranges(st, ranges_path, err, errlen)) {
		symtab_free(st);
		return -1;
	}
	qsort(st->syms, st->n, sizeof(*st->syms), by_addr);
	return 0;
}

void symtab_free(struct symtab *st)
{
	free(st->syms);
	free(st->pool);
	free(st->modules);
	memset(st, 0, sizeof(*st));
}

size_t symtab_lookup(const struct symtab *st, uint64_t addr)
{
	size_t lo = 0, hi = st->n;
	const struct sym *s;

	if (addr < SYM_KERNEL_BASE)
		return SYM_USER(st);
	/* The last symbol at or below addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return SYM_UNKNOWN(st);
	s = &st->syms[lo - 1];
	if (s->module < 0) {
		/* Past _etext is no function of the image (a trampoline, BPF). */
		if (addr >= st->etext)
			return SYM_UNKNOWN(st);
	} else {
		const struct sym_module *m = &st->modules[s->module];

		if (m->end && (addr < m->start || addr >= m->end))
			return SYM_UNKNOWN(st);
	}
	return lo - 1;
}

const char *symtab_name(const struct symtab *st, size_t i)
{
	if (i < st->n)
		return st->pool + st->syms[i].name;
	return i == SYM_USER(st) ? "[user]" : "[unknown]";
}

const char *symtab_module(const struct symtab *st, size_t i)
{
	if (i < st->n && st->syms[i].module >= 0)
		return st->modules[st->syms[i].module].name;
	return NULL;
}

int symtab_group(const struct symtab *st, size_t i)
{
	if (i < st->n)
		return st->syms[i].group;
	return i == SYM_USER(st) ? INSN_G_USER : INSN_G_OTHER;
}
