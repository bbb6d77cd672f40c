// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's side of a window: the symbols the plugin attributes with
 * (kallsyms, module ranges), the window's name, the marker, and the check
 * of the plugin's answer in DIR/status.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mark.h"
#include "marker.h"
#include "prof.h"	/* the file names */

static const char *dir;
static char *errbuf;
static size_t errlen;
static jmp_buf failed;

/* The first failure ends the call: its message goes to the caller. */
static void die(const char *fmt, const char *a, const char *b)
{
	snprintf(errbuf, errlen, fmt, a, b);
	longjmp(failed, 1);
}

static void path(char *buf, size_t len, const char *file)
{
	snprintf(buf, len, "%s/%s", dir, file);
}

/* Write FILE in dir through a temporary, so the plugin never reads half of it. */
static FILE *open_tmp(const char *file, char *tmp, size_t len)
{
	FILE *f;

	snprintf(tmp, len, "%s/%s.tmp", dir, file);
	f = fopen(tmp, "w");
	if (!f)
		die("%s: %s", tmp, strerror(errno));
	return f;
}

static void commit_tmp(FILE *f, const char *tmp, const char *file)
{
	char p[4200];

	path(p, sizeof(p), file);
	if (fclose(f) || rename(tmp, p))
		die("%s: %s", p, strerror(errno));
}

/* The text symbols of /proc/kallsyms: real addresses, modules included. */
static void write_syms(void)
{
	char line[512], tmp[4200];
	FILE *in = fopen("/proc/kallsyms", "r"), *out;

	if (!in)
		die("/proc/kallsyms: %s%s", strerror(errno), "");
	out = open_tmp(PROF_SYMS, tmp, sizeof(tmp));
	while (fgets(line, sizeof(line), in)) {
		char *sp = strchr(line, ' ');

		if (sp && strchr("TtWw", sp[1]))
			fputs(line, out);
	}
	fclose(in);
	commit_tmp(out, tmp, PROF_SYMS);
}

static int read_hex(const char *file, unsigned long long *v, int base)
{
	FILE *f = fopen(file, "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, base == 16 ? "%llx" : "%llu", v) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

/* Each loaded module's core: from its .text to .text + coresize. */
static void write_ranges(void)
{
	char tmp[4200], p[1024];
	DIR *d = opendir("/sys/module");
	struct dirent *e;
	FILE *out;

	if (!d)
		die("/sys/module: %s%s", strerror(errno), "");
	out = open_tmp(PROF_RANGES, tmp, sizeof(tmp));
	while ((e = readdir(d))) {
		unsigned long long text, size;

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "/sys/module/%s/sections/.text", e->d_name);
		if (read_hex(p, &text, 16))
			continue;	/* built in, or no text */
		snprintf(p, sizeof(p), "/sys/module/%s/coresize", e->d_name);
		if (read_hex(p, &size, 10) || !text || !size)
			die("%s: unreadable (root? kptr_restrict?)%s", p, "");
		fprintf(out, "%s %llx %llx\n", e->d_name, text, text + size);
	}
	closedir(d);
	commit_tmp(out, tmp, PROF_RANGES);
}

/* Run marker OP and check the plugin's answer starts with WANT. */
static void mark(enum insn_mark_op op, const char *want)
{
	char p[4200], status[1024] = "";
	FILE *f;

	path(p, sizeof(p), PROF_STATUS);
	if (unlink(p) && errno != ENOENT)
		die("%s: %s", p, strerror(errno));
	if (op == INSN_MARK_START)
		asm volatile(INSN_MARK_ASM(1) ::: "memory");
	else
		asm volatile(INSN_MARK_ASM(2) ::: "memory");
	f = fopen(p, "r");
	if (!f)
		die("no answer from the plugin in %s (was the guest booted with vm-run.sh --plugin, under TCG?)%s",
		    p, "");
	if (!fgets(status, sizeof(status), f))
		status[0] = '\0';
	fclose(f);
	status[strcspn(status, "\n")] = '\0';
	if (strncmp(status, want, strlen(want)))
		die("the plugin says: %s%s", status, "");
}

static void start(const char *name)
{
	char tmp[4200], p[4200], want[PROF_NAME_MAX + 16];
	FILE *f;

	if (!insn_mark_name_ok(name))
		die("bad window name '%s': want [A-Za-z0-9._-], not starting with '.'%s", name, "");
	write_syms();
	write_ranges();
	snprintf(p, sizeof(p), "%s/%s.json", dir, name);
	if (unlink(p) && errno != ENOENT)
		die("%s: %s", p, strerror(errno));
	f = open_tmp(PROF_WINDOW, tmp, sizeof(tmp));
	fprintf(f, "%s\n", name);
	commit_tmp(f, tmp, PROF_WINDOW);
	snprintf(want, sizeof(want), "started %s ", name);
	mark(INSN_MARK_START, want);
}

int insn_window_start(const char *d, const char *name, char *err, size_t len)
{
	dir = d, errbuf = err, errlen = len;
	if (setjmp(failed))
		return -1;
	start(name);
	return 0;
}

int insn_window_stop(const char *d, char *err, size_t len)
{
	dir = d, errbuf = err, errlen = len;
	if (setjmp(failed))
		return -1;
	mark(INSN_MARK_STOP, "stopped ");
	return 0;
}
