// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

static int module_read(const struct probe *p, struct kv *now)
{
	/* A peer has no module counters: the record's module is null. */
	if (!p->stats)
		return -1;
	return read_text(p->stats, parse_kv, now);
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

static int cpu_read(const struct probe *p, struct kv *now)
{
	(void)p;
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

static int irq_read(const struct probe *p, struct kv *now)
{
	(void)p;
	return read_text("/proc/interrupts", parse_tlb_row, now);
}

static void irq_delta(const struct kv *before, const struct kv *after,
		      struct kv *out)
{
	kv_add(out, "tlb_shootdown_irqs", kv_get(after, "tlb") - kv_get(before, "tlb"));
}

/*
 * Writes back the device's dirty page-cache pages and waits: the device
 * writes a cell caused (buffered writes; READ pages vm_insert_pages let the
 * backend dirty) reach the module's counters before they are read, not in
 * some later cell.  sync_file_range(), not fsync(): no cache FLUSH request,
 * and nothing at all to do after O_DIRECT I/O.
 */
static int writeback_read(const struct probe *p, struct kv *now)
{
	unsigned int flags = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
			     SYNC_FILE_RANGE_WAIT_AFTER;
	double t;
	int fd, ret;

	now->n = 0;
	fd = p->dev ? open(p->dev, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0)
		return -1;
	t = now_mono();
	ret = sync_file_range(fd, 0, 0, flags);
	kv_add(now, "writeback_us", (now_mono() - t) * 1e6);
	close(fd);
	return ret ? -1 : 0;
}

/* What the closing write-back took; the opening one is nobody's. */
static void writeback_delta(const struct kv *before, const struct kv *after,
			    struct kv *out)
{
	(void)before;
	kv_add(out, "writeback_us", kv_get(after, "writeback_us"));
}

int pid_stat_parse(const char *text, struct pid_stat *st)
{
	/* "pid (comm) state ppid ...": comm may hold spaces and ')'. */
	const char *open = strchr(text, '('), *close = strrchr(text, ')');
	size_t n;

	memset(st, 0, sizeof(*st));
	if (!open || !close || close < open)
		return -1;
	n = (size_t)(close - open - 1);
	snprintf(st->comm, sizeof(st->comm), "%.*s", (int)n, open + 1);
	/* Fields 3..17: state ppid pgrp session tty tpgid flags minflt
	 * cminflt majflt cmajflt utime stime cutime cstime.
	 */
	return sscanf(close + 1, " %*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
		      "%llu %llu %llu %llu", &st->ppid, &st->utime, &st->stime,
		      &st->cutime, &st->cstime) == 5 ? 0 : -1;
}

static int pid_stat_read(const char *proc, long pid, struct pid_stat *st)
{
	char path[PATH_MAX], *text;
	int ret;

	snprintf(path, sizeof(path), "%s/%ld/stat", proc, pid);
	text = read_file(path, NULL);
	ret = text ? pid_stat_parse(text, st) : -1;
	free(text);
	return ret;
}

/*
 * fio's CPU ticks: its main process, its job processes (its children
 * called "fio"; the hook shells they run are not fio's work), and the
 * job processes it has reaped (a clone that ended before the cell's last
 * one, with that clone's reaped hook shells).  stonewall lets no earlier
 * cell's job be reaped inside a cell.  NAN if fio is not there.
 */
static double fio_ticks(const char *proc, int pid)
{
	struct pid_stat st;
	char path[PATH_MAX], *kids, *p, *end;
	double sum;

	if (pid <= 0 || pid_stat_read(proc, pid, &st))
		return NAN;
	sum = (double)(st.utime + st.stime + st.cutime + st.cstime);
	snprintf(path, sizeof(path), "%s/%d/task/%d/children", proc, pid, pid);
	kids = read_file(path, NULL);
	for (p = kids; p && *p; p = end) {
		long kid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (!pid_stat_read(proc, kid, &st) && !strcmp(st.comm, "fio"))
			sum += (double)(st.utime + st.stime);
	}
	free(kids);
	return sum;
}

/* ubmapd's: every queue thread of it, the exited ones too.  NAN if gone. */
static double backend_ticks(const char *proc, int pid)
{
	struct pid_stat st;

	if (pid <= 0 || pid_stat_read(proc, pid, &st))
		return NAN;
	return (double)(st.utime + st.stime);
}

/* CPUs /proc/stat lists ("cpuN" lines): the online ones. */
static unsigned int cpu_lines(const char *text)
{
	unsigned int n = 0;

	for (const char *p = text; (p = strstr(p, "\ncpu")); p++)
		n += p[4] >= '0' && p[4] <= '9';
	return n;
}

static int tasks_read(const struct probe *p, struct kv *now)
{
	const char *proc = p->proc ? p->proc : "/proc";
	char path[PATH_MAX], *text;
	struct cpu_times t;
	unsigned int cpus = 0;
	int ret;

	snprintf(path, sizeof(path), "%s/stat", proc);
	text = read_file(path, NULL);
	now->n = 0;
	kv_add(now, "t_us", now_mono() * 1e6);
	ret = text ? proc_stat_parse(text, &t) : -1;
	if (!ret)
		cpus = cpu_lines(text);
	free(text);
	if (ret || !cpus)
		return -1;
	kv_add(now, "cpus", cpus);
	kv_add(now, "idle", (double)(t.t[CPU_IDLE] + t.t[CPU_IOWAIT]));
	kv_add(now, "steal", (double)t.t[CPU_STEAL]);
	kv_add(now, "fio", fio_ticks(proc, p->fio));
	kv_add(now, "backend", backend_ticks(proc, p->backend));
	return 0;
}

/*
 * CPU time split: CPUs x wall time = fio + backend + other + idle + steal;
 * other is kernel threads, perf, ubmap-bench, hook shells, and interrupts
 * that hit no fio or ubmapd thread.  Busy is what idle leaves, not /proc/
 * stat's user + system: those are sampled at the tick, which misses the
 * short bursts between idle periods (nohz) and so undercounts a cell of
 * many small I/Os by up to half, while idle time and a process's run time
 * are measured.
 */
static void tasks_delta(const struct kv *before, const struct kv *after,
			struct kv *out)
{
	long hz = sysconf(_SC_CLK_TCK);
	double tick = 1e6 / (hz > 0 ? hz : 100), d[4], busy;
	static const char *const k[] = { "idle", "steal", "fio", "backend" };

	for (int i = 0; i < 4; i++)
		d[i] = (kv_get(after, k[i]) - kv_get(before, k[i])) * tick;
	busy = (kv_get(after, "t_us") - kv_get(before, "t_us")) *
	       kv_get(after, "cpus") - d[0] - d[1];
	kv_add(out, "cpu_fio_us", d[2]);
	kv_add(out, "cpu_backend_us", d[3]);
	kv_add(out, "cpu_other_us", busy - d[2] - d[3]);
	kv_add(out, "cpu_idle_us", d[0]);
	kv_add(out, "cpu_steal_us", d[1]);
}

static const char *const writeback_keys[] = { "writeback_us", NULL };
static const char *const cpu_keys[] = { "cpu_busy_us", NULL };
static const char *const irq_keys[] = { "tlb_shootdown_irqs", NULL };
static const char *const tasks_keys[] = {
	"cpu_fio_us", "cpu_backend_us", "cpu_other_us", "cpu_idle_us",
	"cpu_steal_us", NULL
};

/* In the order they are read and their counters appear in the record. */
const struct counter_source sources[CS_COUNT] = {
	[CS_WRITEBACK] = { "device write-back", "system", writeback_read,
			   writeback_delta, writeback_keys },
	[CS_MODULE] = { "module stats", "module", module_read, module_delta, NULL },
	[CS_CPU] = { "/proc/stat", "system", cpu_read, cpu_delta, cpu_keys },
	[CS_IRQ] = { "/proc/interrupts", "system", irq_read, irq_delta, irq_keys },
	[CS_TASKS] = { "/proc/<pid>/stat", "system", tasks_read, tasks_delta,
		       tasks_keys },
};

void snapshot_take(struct snapshot *s, const struct probe *p)
{
	s->t = now_mono();
	for (int i = 0; i < CS_COUNT; i++)
		s->ok[i] = !sources[i].read(p, &s->v[i]);
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
