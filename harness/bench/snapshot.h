/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counters read before and after each cell: the module's stats file,
 * /proc/interrupts (TLB shootdown IPIs), /proc/stat (busy CPU time), fio's
 * and ubmapd's CPU time (/proc/<pid>/stat), and the kernel log since the
 * cell started.  Parsers take text (or a /proc tree) so the tests can feed
 * them fixtures.
 */
#ifndef BENCH_SNAPSHOT_H
#define BENCH_SNAPSHOT_H

#include <stdbool.h>
#include <stdio.h>

#define KV_MAX		64
#define KV_KEY_LEN	32

/* "key value" lines, in file order. */
struct kv {
	unsigned int n;
	char key[KV_MAX][KV_KEY_LEN];
	double val[KV_MAX];
};

int kv_parse(const char *text, struct kv *kv);
/* Appends key (truncated to KV_KEY_LEN) = val; dropped when full. */
void kv_add(struct kv *kv, const char *key, double val);
/* NAN when the key is absent. */
double kv_get(const struct kv *kv, const char *key);
/*
 * after - before for the module's counters (UBMAP_STATS_KEYS); anything
 * else (a gauge such as inflight) keeps its value after.
 */
void kv_delta(const struct kv *after, const struct kv *before, struct kv *out);
bool ubmap_stat_is_counter(const char *key);

/* The "cpu" line of /proc/stat, in USER_HZ ticks. */
enum cpu_field {
	CPU_USER, CPU_NICE, CPU_SYSTEM, CPU_IDLE, CPU_IOWAIT, CPU_IRQ,
	CPU_SOFTIRQ, CPU_STEAL, CPU_NR_FIELDS
};
struct cpu_times {
	unsigned long long t[CPU_NR_FIELDS];
};

int proc_stat_parse(const char *text, struct cpu_times *t);
/* Microseconds some CPU was not idle (nor waiting on I/O) in between. */
double cpu_busy_us(const struct cpu_times *before, const struct cpu_times *after);

/* Sum over CPUs of the /proc/interrupts row labelled label ("TLB"). */
int interrupts_row_sum(const char *text, const char *label, double *sum);

/* One process's CPU time from its /proc/<pid>/stat, in USER_HZ ticks. */
struct pid_stat {
	char comm[32];
	int ppid;
	/* Every thread's, the exited ones' too; c*: its reaped children's. */
	unsigned long long utime, stime, cutime, cstime;
};

int pid_stat_parse(const char *text, struct pid_stat *st);

/* What a snapshot reads: the device's files and the processes serving it. */
struct probe {
	const char *stats;		/* the module's stats file; NULL: none */
	const char *dev;		/* the block device, written back first */
	int fio, backend;		/* fio's and ubmapd's pids; 0: none */
	const char *proc;		/* NULL: /proc; the tests give a fixture tree */
};

/*
 * The counter sources read before and after every cell, behind one shape
 * (sources[] in snapshot.c): each reads its counters into a kv, and turns
 * a before/after pair into the counters of one record section.  Read in
 * this order: the write-back first, so the pages a cell dirtied reach the
 * device before the module's counters are read.
 */
enum counter_src { CS_WRITEBACK, CS_MODULE, CS_CPU, CS_IRQ, CS_TASKS, CS_COUNT };

struct counter_source {
	const char *name;		/* for messages */
	const char *section;		/* the record's object: "module", "system" */
	/* Reads the counters now; -1 if they cannot be read. */
	int (*read)(const struct probe *p, struct kv *now);
	/* The section's counters for after - before, into an empty out. */
	void (*delta)(const struct kv *before, const struct kv *after,
		      struct kv *out);
	/* What delta() fills, NAN when unreadable; NULL: no fixed keys. */
	const char *const *keys;
};

extern const struct counter_source sources[CS_COUNT];

struct snapshot {
	double t;			/* now_mono() */
	bool ok[CS_COUNT];
	struct kv v[CS_COUNT];
};

void snapshot_take(struct snapshot *s, const struct probe *p);

/*
 * The record sections between two snapshots: "system" (always, NAN where
 * unreadable) and "module" (false if the stats file was unreadable).
 */
struct sections {
	struct kv system, module;
	bool have_module;
};

void snapshot_delta(const struct snapshot *before, const struct snapshot *after,
		    struct sections *out);
/* The sections of a cell that never ran: every fixed key NAN, no module. */
void sections_unavailable(struct sections *out);

/* The kernel log, read through /dev/kmsg from where we started. */
struct klog {
	int fd;				/* -1: unavailable (not root) */
};

struct klog_counts {
	unsigned int lines;
	unsigned int warn;		/* "WARNING:" */
	unsigned int warn_known;	/* of which known and reported upstream */
	unsigned int bug;		/* "BUG:" */
	unsigned int oops;		/* "Oops", "general protection" */
};

int klog_open(struct klog *k);
void klog_close(struct klog *k);
/* Writes a marker line into the kernel log (best effort). */
void klog_mark(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reads what is new; appends it to save (may be NULL) and counts it. */
void klog_read(struct klog *k, FILE *save, struct klog_counts *c);
/* Counts one message; for the tests. */
void klog_count(const char *msg, struct klog_counts *c);

#endif /* BENCH_SNAPSHOT_H */
