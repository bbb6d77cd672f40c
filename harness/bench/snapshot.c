// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "snapshot.h"
#include <linux/ubmap.h>
#include "util.h"

static const char *const ubmap_counters[] = {
#define STAT_NAME(name) #name,
	UBMAP_STATS_KEYS(STAT_NAME)
#undef STAT_NAME
};

/* Known kernel WARNs, counted apart (see scripts/guest-tests.sh). */
static const char *const known_warns[] = { "__folio_mark_dirty" };

bool ubmap_stat_is_counter(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(ubmap_counters); i++)
		if (!strcmp(ubmap_counters[i], key))
			return true;
	return false;
}

int kv_parse(const char *text, struct kv *kv)
{
	const char *p = text;

	kv->n = 0;
	while (*p) {
		char key[KV_KEY_LEN];
		double v;
		int used;

		if (sscanf(p, "%31s %lf%n", key, &v, &used) == 2 && kv->n < KV_MAX) {
			snprintf(kv->key[kv->n], KV_KEY_LEN, "%s", key);
			kv->val[kv->n++] = v;
		}
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return kv->n ? 0 : -1;
}

double kv_get(const struct kv *kv, const char *key)
{
	for (unsigned int i = 0; i < kv->n; i++)
		if (!strcmp(kv->key[i], key))
			return kv->val[i];
	return NAN;
}

void kv_add(struct kv *kv, const char *key, double val)
{
	if (kv->n == KV_MAX)
		return;
	snprintf(kv->key[kv->n], KV_KEY_LEN, "%s", key);
	kv->val[kv->n++] = val;
}

void kv_delta(const struct kv *after, const struct kv *before, struct kv *out)
{
	out->n = 0;
	for (unsigned int i = 0; i < after->n; i++) {
		double b = kv_get(before, after->key[i]);
		double v = after->val[i];

		if (ubmap_stat_is_counter(after->key[i]))
			v = isnan(b) ? NAN : v - b;
		kv_add(out, after->key[i], v);
	}
}

int proc_stat_parse(const char *text, struct cpu_times *t)
{
	const char *p = strstr(text, "cpu ");

	memset(t, 0, sizeof(*t));
	/* The aggregate line comes first and is the only one with "cpu ". */
	if (!p || (p != text && p[-1] != '\n'))
		return -1;
	return sscanf(p, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
		      &t->t[0], &t->t[1], &t->t[2], &t->t[3], &t->t[4],
		      &t->t[5], &t->t[6], &t->t[7]) == CPU_NR_FIELDS ? 0 : -1;
}

double cpu_busy_us(const struct cpu_times *b, const struct cpu_times *a)
{
	long long busy = 0;
	long hz = sysconf(_SC_CLK_TCK);

	for (int i = 0; i < CPU_NR_FIELDS; i++)
		if (i != CPU_IDLE && i != CPU_IOWAIT)
			busy += (long long)(a->t[i] - b->t[i]);
	return busy * 1e6 / (hz > 0 ? hz : 100);
}

int interrupts_row_sum(const char *text, const char *label, double *sum)
{
	size_t n = strlen(label);
	const char *p = text;

	while (p && *p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, label, n) && p[n] == ':') {
			char *end;

			p += n + 1;
			*sum = 0;
			/* Per-CPU counts, then the description text. */
			for (;;) {
				unsigned long long v = strtoull(p, &end, 10);

				if (end == p)
					break;
				*sum += v;
				p = end;
			}
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static int read_text(const char *path, int (*parse)(const char *, void *),
		     void *out)
{
	char *text = read_file(path, NULL);
	int ret = text ? parse(text, out) : -1;

	free(text);
	return ret;
}

static int parse_kv(const char *text, void *kv)
{
	return kv_parse(text, kv);
}

static int module_read(const char *stats_path, struct kv *now)
{
	return read_text(stats_path, parse_kv, now);
}

static void module_delta(const struct kv *before, const struct kv *after,
			 struct kv *out)
{
	kv_delta(after, before, out);
}

static const char *const cpu_fields[CPU_NR_FIELDS] = {
	"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal",
};

static int parse_cpu(const char *text, void *kv)
{
	struct cpu_times t;

	if (proc_stat_parse(text, &t))
		return -1;
	((struct kv *)kv)->n = 0;
	for (int i = 0; i < CPU_NR_FIELDS; i++)
		kv_add(kv, cpu_fields[i], (double)t.t[i]);
	return 0;
}

static int cpu_read(const char *stats_path, struct kv *now)
{
	(void)stats_path;
	return read_text("/proc/stat", parse_cpu, now);
}

static void cpu_times_of(const struct kv *kv, struct cpu_times *t)
{
	for (int i = 0; i < CPU_NR_FIELDS; i++)
		t->t[i] = (unsigned long long)kv_get(kv, cpu_fields[i]);
}

static void cpu_delta(const struct kv *before, const struct kv *after,
		      struct kv *out)
{
	struct cpu_times b, a;

	cpu_times_of(before, &b);
	cpu_times_of(after, &a);
	kv_add(out, "cpu_busy_us", cpu_busy_us(&b, &a));
}

static int parse_tlb_row(const char *text, void *kv)
{
	double sum;

	if (interrupts_row_sum(text, "TLB", &sum))
		return -1;
	((struct kv *)kv)->n = 0;
	kv_add(kv, "tlb", sum);
	return 0;
}

static int irq_read(const char *stats_path, struct kv *now)
{
	(void)stats_path;
	return read_text("/proc/interrupts", parse_tlb_row, now);
}

static void irq_delta(const struct kv *before, const struct kv *after,
		      struct kv *out)
{
	kv_add(out, "tlb_shootdown_irqs", kv_get(after, "tlb") - kv_get(before, "tlb"));
}

static const char *const cpu_keys[] = { "cpu_busy_us", NULL };
static const char *const irq_keys[] = { "tlb_shootdown_irqs", NULL };

/* In the order their counters appear in the record. */
const struct counter_source sources[CS_COUNT] = {
	[CS_MODULE] = { "module stats", "module", module_read, module_delta, NULL },
	[CS_CPU] = { "/proc/stat", "system", cpu_read, cpu_delta, cpu_keys },
	[CS_IRQ] = { "/proc/interrupts", "system", irq_read, irq_delta, irq_keys },
};

void snapshot_take(struct snapshot *s, const char *stats_path)
{
	s->t = now_mono();
	for (int i = 0; i < CS_COUNT; i++)
		s->ok[i] = !sources[i].read(stats_path, &s->v[i]);
}

void sections_unavailable(struct sections *out)
{
	struct snapshot none = { 0 };

	snapshot_delta(&none, &none, out);
}

void snapshot_delta(const struct snapshot *b, const struct snapshot *a,
		    struct sections *out)
{
	out->system.n = out->module.n = 0;
	out->have_module = false;
	for (int i = 0; i < CS_COUNT; i++) {
		const struct counter_source *src = &sources[i];
		bool module = !strcmp(src->section, "module");
		struct kv *sec = module ? &out->module : &out->system;
		struct kv d = { 0 };

		if (b->ok[i] && a->ok[i]) {
			src->delta(&b->v[i], &a->v[i], &d);
			out->have_module |= module;
		} else {
			for (const char *const *k = src->keys; k && *k; k++)
				kv_add(&d, *k, NAN);
		}
		for (unsigned int k = 0; k < d.n; k++)
			kv_add(sec, d.key[k], d.val[k]);
	}
}

int klog_open(struct klog *k)
{
	k->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd < 0)
		return -1;
	/* Only what happens from now on is ours. */
	lseek(k->fd, 0, SEEK_END);
	return 0;
}

void klog_close(struct klog *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

void klog_mark(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (write(fd, buf, strlen(buf)) < 0) {
		/* A missing marker only makes the log harder to read. */
	}
	close(fd);
}

void klog_count(const char *msg, struct klog_counts *c)
{
	c->lines++;
	if (strstr(msg, "WARNING:")) {
		c->warn++;
		for (size_t i = 0; i < ARRAY_SIZE(known_warns); i++)
			if (strstr(msg, known_warns[i]))
				c->warn_known++;
	}
	if (strstr(msg, "BUG:"))
		c->bug++;
	if (strstr(msg, "Oops") || strstr(msg, "general protection"))
		c->oops++;
}

void klog_read(struct klog *k, FILE *save, struct klog_counts *c)
{
	char rec[8192];

	if (k->fd < 0)
		return;
	for (;;) {
		/* One record per read: "prio,seq,usec,flags;text\n[ KEY=v\n]". */
		ssize_t r = read(k->fd, rec, sizeof(rec) - 1);
		unsigned long long usec = 0;
		char *msg, *nl;

		if (r < 0 && errno == EPIPE)
			continue;	/* overwritten before we read it */
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		rec[r] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		*msg++ = '\0';
		nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		sscanf(rec, "%*u,%*u,%llu", &usec);
		if (save)
			fprintf(save, "[%5llu.%06llu] %s\n", usec / 1000000,
				usec % 1000000, msg);
		klog_count(msg, c);
	}
}
