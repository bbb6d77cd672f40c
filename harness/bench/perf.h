/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perf stat around fio, system-wide: the events we ask for and the CSV
 * (-x,) we read back.  An event the machine cannot count (no PMU under TCG:
 * "<not supported>"; never enabled: "<not counted>") is NAN here and null in
 * the record, never 0.
 */
#ifndef BENCH_PERF_H
#define BENCH_PERF_H

#include <limits.h>
#include <stdbool.h>

#include "proc.h"
#include "snapshot.h"

#include "util.h"

enum perf_ev {
	PE_TASK_CLOCK,		/* ms; with -a every CPU's wall time, idle too */
	PE_CONTEXT_SWITCHES,
	PE_PAGE_FAULTS,
	PE_CPU_MIGRATIONS,
	PE_CYCLES,
	PE_INSTRUCTIONS,
	PE_DTLB_LOAD_MISSES,
	PE_DTLB_STORE_MISSES,
	PE_ITLB_LOAD_MISSES,
	/* tlb:tlb_flush, one counter per enum tlb_flush_reason value. */
	PE_TLB_TASK_SWITCH,
	PE_TLB_REMOTE_SHOOTDOWN,
	PE_TLB_LOCAL_SHOOTDOWN,
	PE_TLB_LOCAL_MM_SHOOTDOWN,
	PE_TLB_REMOTE_SEND_IPI,
	PE_TLB_ALL,		/* unfiltered: the reasons must add up to it */
	PE_COUNT
};

struct perf_event_spec {
	const char *key;	/* name in the record */
	const char *event;	/* perf -e */
	const char *filter;	/* perf --filter, tracepoints only */
	bool tracepoint;
};

extern const struct perf_event_spec perf_events[PE_COUNT];

#define PERF_ALL_EVENTS		((1U << PE_COUNT) - 1)
#define PERF_TRACEPOINTS	(PERF_ALL_EVENTS & ~((1U << PE_TLB_TASK_SWITCH) - 1))

/* Does this kernel have the tlb:tlb_flush tracepoint (x86)? */
bool perf_tlb_tracepoint_available(void);

/*
 * "perf stat -x, -a -o CSV -D -1 --control fifo:CTL,ACK -e ...": counts
 * system-wide from the "enable" we send on CTL until SIGINT, then writes
 * the CSV.  Starting disabled lets it start while the previous cell's fio
 * job winds down, and count nothing of its own start-up.
 */
void perf_argv(const char *csv, unsigned int mask, const char *ctl,
	       const char *ack, struct strv *argv);

/* One perf stat process: one cell's counters. */
struct perf_run {
	struct child c;
	char ctl[PATH_MAX - 32], ack[PATH_MAX - 32];
	int ctl_fd, ack_fd;
};

/* Starts perf (disabled) with its control FIFOs in dir; log gets its stderr. */
int perf_start(struct perf_run *p, const char *csv, unsigned int mask,
	       const char *dir, const char *log, char *err);
/* Sends "enable" and waits for perf's ack: counting from now on. */
int perf_enable(struct perf_run *p, double timeout, char *err);
/* "disable": the counts stand still; perf_stop() later writes them out. */
int perf_disable(struct perf_run *p, double timeout, char *err);
/* SIGINT: perf writes the CSV and exits.  Safe on a perf never started. */
int perf_stop(struct perf_run *p, char *err);
/*
 * Lets a holder (perf_hold()) run on, alone, past this process: in a guest
 * about to power off, closing its events would flip the static keys again
 * (see perf_hold() in perf.c), which stalled a guest at the end of a run.
 */
void perf_leave(struct perf_run *p);

/**
 * perf_hold() - open the events of @mask and keep them, disabled, until
 * perf_stop(): see perf.c
 * @p: the holder
 * @dir: where its control FIFOs go
 * @log: perf's stderr
 * @err: why not, on -1
 */
int perf_hold(struct perf_run *p, unsigned int mask, const char *dir,
	      const char *log, char *err);

/*
 * Reads perf stat -x, output for the events in mask, in perf_events order,
 * into val[] (NAN where unavailable or not asked for).  -1 with a reason if
 * the lines do not match the events asked for.
 */
int perf_parse(const char *text, unsigned int mask, double val[PE_COUNT],
	       char *err);

/* val[] (NULL: nothing counted) as the record's "perf" counters. */
void perf_to_kv(const double *val, struct kv *out);

#endif /* BENCH_PERF_H */
