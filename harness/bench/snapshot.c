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

void kv_delta(const struct kv *after, const struct kv *before, struct kv *out)
{
	*out = *after;
	for (unsigned int i = 0; i < out->n; i++) {
		double b = kv_get(before, out->key[i]);

		if (ubmap_stat_is_counter(out->key[i]))
			out->val[i] = isnan(b) ? NAN : out->val[i] - b;
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

void snapshot_take(struct snapshot *s, const char *stats_path)
{
	char *text;

	s->t = now_mono();
	text = read_file(stats_path, NULL);
	s->stats_ok = text && !kv_parse(text, &s->stats);
	free(text);
	text = read_file("/proc/interrupts", NULL);
	s->irq_ok = text && !interrupts_row_sum(text, "TLB", &s->tlb_irqs);
	free(text);
	text = read_file("/proc/stat", NULL);
	s->cpu_ok = text && !proc_stat_parse(text, &s->cpu);
	free(text);
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
