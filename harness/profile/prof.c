// SPDX-License-Identifier: GPL-2.0
/* Windows of per-vCPU, per-function instruction counts, and their output. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "insn_groups.h"
#include "marker.h"
#include "prof.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int prof_init(struct prof *p, int argc, char **argv, unsigned int nvcpus,
	      char *err, size_t errlen)
{
	const char *dir = NULL;
	struct stat sb;

	memset(p, 0, sizeof(*p));
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "dir=", 4) && argv[i][4])
			dir = argv[i] + 4;
		else
			return fail(err, errlen, "unknown argument '%s' (want dir=PATH)", argv[i]);
	}
	if (!dir)
		return fail(err, errlen, "no dir=PATH: the directory the guest's marker helper shares");
	if (strlen(dir) + 2 * PROF_NAME_MAX >= sizeof(p->dir))
		return fail(err, errlen, "dir=%s: path too long", dir);
	if (stat(dir, &sb))
		return fail(err, errlen, "dir=%s: %s", dir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return fail(err, errlen, "dir=%s: not a directory", dir);
	if (access(dir, W_OK))
		return fail(err, errlen, "dir=%s: not writable: %s", dir, strerror(errno));
	if (!nvcpus || nvcpus > PROF_MAX_VCPUS)
		return fail(err, errlen, "%u vCPUs: this plugin counts 1 to %d", nvcpus,
			    PROF_MAX_VCPUS);
	strcpy(p->dir, dir);
	p->nvcpus = nvcpus;
	pthread_mutex_init(&p->marker_lock, NULL);
	return 0;
}

void prof_exit(struct prof *p)
{
	for (unsigned int i = 0; i < p->nvcpus; i++)
		free(p->vcpus[i].slots);
	symtab_free(&p->st);
}

static inline void vcpu_lock(struct prof_vcpu *v)
{
	while (__atomic_exchange_n(&v->lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&v->lock, __ATOMIC_RELAXED))
#if defined(__x86_64__) || defined(__i386__)
			__builtin_ia32_pause();
#else
			;
#endif
}

static inline void vcpu_unlock(struct prof_vcpu *v)
{
	__atomic_store_n(&v->lock, 0, __ATOMIC_RELEASE);
}

void prof_exec(struct prof *p, unsigned int vcpu, struct prof_tb *tb)
{
	struct prof_vcpu *v;
	uint64_t c;

	/* Outside a window: one load, no lock (a marker's flip is seen under it). */
	if (!p->active || vcpu >= p->nvcpus)
		return;
	v = &p->vcpus[vcpu];
	vcpu_lock(v);
	if (p->active) {
		c = __atomic_load_n(&tb->cached, __ATOMIC_RELAXED);
		if ((uint32_t)(c >> 32) != p->gen) {
			c = (uint64_t)p->gen << 32 | symtab_lookup(&p->st, tb->vaddr);
			__atomic_store_n(&tb->cached, c, __ATOMIC_RELAXED);
		}
		v->slots[(uint32_t)c] += tb->n_insns;
	}
	vcpu_unlock(v);
}

static void lock_all(struct prof *p)
{
	for (unsigned int i = 0; i < p->nvcpus; i++)
		vcpu_lock(&p->vcpus[i]);
}

static void unlock_all(struct prof *p)
{
	for (unsigned int i = p->nvcpus; i-- > 0;)
		vcpu_unlock(&p->vcpus[i]);
}

static void path_of(const struct prof *p, char *buf, size_t len, const char *file)
{
	snprintf(buf, len, "%s/%s", p->dir, file);
}

/* The status file: the guest helper's proof that the plugin saw its marker. */
static void write_status(const struct prof *p, const char *fmt, ...)
{
	char path[4200], tmp[4300];
	va_list ap;
	FILE *f;

	path_of(p, path, sizeof(path), PROF_STATUS);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	if (fclose(f) == 0)
		rename(tmp, path);
}

static int read_name(const struct prof *p, char *name, size_t len, char *err, size_t errlen)
{
	char path[4200];
	FILE *f;

	path_of(p, path, sizeof(path), PROF_WINDOW);
	f = fopen(path, "r");
	if (!f)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	if (!fgets(name, (int)len, f)) {
		fclose(f);
		return fail(err, errlen, "%s: empty", path);
	}
	fclose(f);
	name[strcspn(name, "\n")] = '\0';
	if (!insn_mark_name_ok(name))
		return fail(err, errlen, "%s: bad window name '%s'", path, name);
	return 0;
}

int prof_start(struct prof *p, char *err, size_t errlen)
{
	char name[PROF_NAME_MAX], syms[4200], ranges[4200];
	uint64_t *slots[PROF_MAX_VCPUS] = { 0 }, *old[PROF_MAX_VCPUS];
	struct symtab st, old_st;
	int ret = -1;

	pthread_mutex_lock(&p->marker_lock);
	if (read_name(p, name, sizeof(name), err, errlen))
		goto out;
	path_of(p, syms, sizeof(syms), PROF_SYMS);
	path_of(p, ranges, sizeof(ranges), PROF_RANGES);
	if (symtab_load(&st, syms, ranges, err, errlen))
		goto out;
	for (unsigned int i = 0; i < p->nvcpus; i++) {
		slots[i] = calloc(SYM_SLOTS(&st), sizeof(uint64_t));
		if (!slots[i]) {
			for (unsigned int j = 0; j < i; j++)
				free(slots[j]);
			fail(err, errlen, "out of memory for %zu counters", SYM_SLOTS(&st));
			symtab_free(&st);
			goto out;
		}
	}
	/* Everything at once, with no vCPU in prof_exec: the swap is atomic to them. */
	lock_all(p);
	old_st = p->st;
	p->st = st;
	for (unsigned int i = 0; i < p->nvcpus; i++) {
		old[i] = p->vcpus[i].slots;
		p->vcpus[i].slots = slots[i];
	}
	p->gen++;
	p->seq++;
	strcpy(p->name, name);
	p->active = 1;
	unlock_all(p);
	symtab_free(&old_st);
	for (unsigned int i = 0; i < p->nvcpus; i++)
		free(old[i]);
	ret = 0;
out:
	if (ret)
		write_status(p, "error: %s", err);
	else
		write_status(p, "started %s %" PRIu64, p->name, p->seq);
	pthread_mutex_unlock(&p->marker_lock);
	return ret;
}

struct fn_count {
	size_t slot;
	uint64_t insns;
};

static int by_count(const void *a, const void *b)
{
	const struct fn_count *x = a, *y = b;

	if (x->insns != y->insns)
		return x->insns < y->insns ? 1 : -1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* Symbol names are kallsyms': printable, no quotes; escape anyway. */
static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static int write_window(const struct prof *p, char *err, size_t errlen)
{
	size_t nslots = SYM_SLOTS(&p->st), nfn = 0;
	uint64_t groups[INSN_G_COUNT] = { 0 }, total = 0;
	char path[4200], tmp[4300];
	struct fn_count *fns;
	FILE *f;

	fns = calloc(nslots, sizeof(*fns));
	if (!fns)
		return fail(err, errlen, "out of memory");
	for (size_t s = 0; s < nslots; s++) {
		uint64_t n = 0;

		for (unsigned int i = 0; i < p->nvcpus; i++)
			n += p->vcpus[i].slots[s];
		if (!n)
			continue;
		groups[symtab_group(&p->st, s)] += n;
		fns[nfn].slot = s;
		fns[nfn++].insns = n;
	}
	qsort(fns, nfn, sizeof(*fns), by_count);
	for (int g = 0; g < INSN_G_COUNT; g++)
		if (insn_group_counted(g))
			total += groups[g];

	snprintf(path, sizeof(path), "%s/%s.json", p->dir, p->name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		free(fns);
		return fail(err, errlen, "%s: %s", tmp, strerror(errno));
	}
	fprintf(f, "{\"name\": ");
	put_str(f, p->name);
	fprintf(f, ", \"seq\": %" PRIu64 ", \"instructions\": %" PRIu64 ",\n \"groups\": {",
		p->seq, total);
	for (int g = 0; g < INSN_G_COUNT; g++)
		fprintf(f, "%s\"%s\": %" PRIu64, g ? ", " : "", insn_group_name(g), groups[g]);
	fprintf(f, "},\n \"vcpus\": [");
	for (unsigned int i = 0; i < p->nvcpus; i++) {
		uint64_t n = 0;

		for (size_t s = 0; s < nslots; s++)
			if (insn_group_counted(symtab_group(&p->st, s)))
				n += p->vcpus[i].slots[s];
		fprintf(f, "%s%" PRIu64, i ? ", " : "", n);
	}
	fprintf(f, "],\n \"functions\": [");
	for (size_t i = 0; i < nfn; i++) {
		const char *mod = symtab_module(&p->st, fns[i].slot);

		fprintf(f, "%s\n  {\"function\": ", i ? "," : "");
		put_str(f, symtab_name(&p->st, fns[i].slot));
		fprintf(f, ", \"module\": ");
		if (mod)
			put_str(f, mod);
		else
			fprintf(f, "null");
		fprintf(f, ", \"group\": \"%s\", \"insns\": %" PRIu64 "}",
			insn_group_name(symtab_group(&p->st, fns[i].slot)), fns[i].insns);
	}
	fprintf(f, "\n]}\n");
	free(fns);
	if (fclose(f) || rename(tmp, path)) {
		unlink(tmp);
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	}
	return 0;
}

int prof_stop(struct prof *p, char *err, size_t errlen)
{
	int ret;

	pthread_mutex_lock(&p->marker_lock);
	if (!p->active) {
		ret = fail(err, errlen, "stop marker with no window open");
		write_status(p, "error: %s", err);
		goto out;
	}
	/* After this no vCPU adds: the counts are ours to read unlocked. */
	lock_all(p);
	p->active = 0;
	unlock_all(p);
	ret = write_window(p, err, errlen);
	if (ret)
		write_status(p, "error: %s", err);
	else
		write_status(p, "stopped %s %" PRIu64, p->name, p->seq);
out:
	pthread_mutex_unlock(&p->marker_lock);
	return ret;
}
