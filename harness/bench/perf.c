// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "perf.h"

/* Reasons from enum tlb_flush_reason (include/linux/mm_types.h). */
const struct perf_event_spec perf_events[PE_COUNT] = {
	[PE_TASK_CLOCK]		= { "task_clock_ms", "task-clock" },
	[PE_CONTEXT_SWITCHES]	= { "context_switches", "context-switches" },
	[PE_PAGE_FAULTS]	= { "page_faults", "page-faults" },
	[PE_CPU_MIGRATIONS]	= { "cpu_migrations", "cpu-migrations" },
	[PE_CYCLES]		= { "cycles", "cycles" },
	[PE_INSTRUCTIONS]	= { "instructions", "instructions" },
	[PE_DTLB_LOAD_MISSES]	= { "dtlb_load_misses", "dTLB-load-misses" },
	[PE_DTLB_STORE_MISSES]	= { "dtlb_store_misses", "dTLB-store-misses" },
	[PE_ITLB_LOAD_MISSES]	= { "itlb_load_misses", "iTLB-load-misses" },
	[PE_TLB_TASK_SWITCH]	= { "tlb_flush_task_switch", "tlb:tlb_flush",
				    "reason == 0", true },
	[PE_TLB_REMOTE_SHOOTDOWN] = { "tlb_flush_remote_shootdown", "tlb:tlb_flush",
				    "reason == 1", true },
	[PE_TLB_LOCAL_SHOOTDOWN] = { "tlb_flush_local_shootdown", "tlb:tlb_flush",
				    "reason == 2", true },
	[PE_TLB_LOCAL_MM_SHOOTDOWN] = { "tlb_flush_local_mm_shootdown", "tlb:tlb_flush",
				    "reason == 3", true },
	[PE_TLB_REMOTE_SEND_IPI] = { "tlb_flush_remote_send_ipi", "tlb:tlb_flush",
				    "reason == 4", true },
	[PE_TLB_ALL]		= { "tlb_flush_all", "tlb:tlb_flush", NULL, true },
};

bool perf_tlb_tracepoint_available(void)
{
	return access("/sys/kernel/tracing/events/tlb/tlb_flush", F_OK) == 0 ||
	       access("/sys/kernel/debug/tracing/events/tlb/tlb_flush", F_OK) == 0;
}

void perf_argv(const char *csv, unsigned int mask, const char *ctl,
	       const char *ack, struct strv *a)
{
	strv_add(a, "perf");
	strv_add(a, "stat");
	strv_add(a, "-x,");
	strv_add(a, "-a");
	strv_add(a, "-o");
	strv_add(a, "%s", csv);
	strv_add(a, "-D");
	strv_add(a, "-1");
	strv_add(a, "--control");
	strv_add(a, "fifo:%s,%s", ctl, ack);
	/* One -e per event: --filter applies to the event just before it. */
	for (int i = 0; i < PE_COUNT; i++) {
		if (!(mask & (1U << i)))
			continue;
		strv_add(a, "-e");
		strv_add(a, "%s", perf_events[i].event);
		if (perf_events[i].filter) {
			strv_add(a, "--filter");
			strv_add(a, "%s", perf_events[i].filter);
		}
	}
}

int perf_start(struct perf_run *p, const char *csv, unsigned int mask,
	       const char *dir, const char *log, char *err)
{
	static unsigned int seq;
	struct strv a = { 0 };
	int ret;

	memset(p, 0, sizeof(*p));
	p->ctl_fd = p->ack_fd = -1;
	/* Fresh FIFOs per perf: nothing left over from the last one. */
	seq++;
	snprintf(p->ctl, sizeof(p->ctl), "%s/perf-%u.ctl", dir, seq);
	snprintf(p->ack, sizeof(p->ack), "%s/perf-%u.ack", dir, seq);
	if (mkfifo(p->ctl, 0600) || mkfifo(p->ack, 0600)) {
		snprintf(err, ERR_LEN, "mkfifo in %s: %m", dir);
		return -1;
	}
	/* Read-write ends never block in open, whoever comes first. */
	p->ctl_fd = open(p->ctl, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	p->ack_fd = open(p->ack, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (p->ctl_fd < 0 || p->ack_fd < 0) {
		snprintf(err, ERR_LEN, "perf control FIFOs: %m");
		return -1;
	}
	perf_argv(csv, mask, p->ctl, p->ack, &a);
	ret = child_spawn(&p->c, a.v, NULL, log, err);
	strv_free(&a);
	return ret;
}

/*
 * Opening the first perf event of a kind, and closing the last, flips
 * static keys (the tracepoint's, the software events', perf_sched_events),
 * and the kernel rewrites its text at every site through int3 breakpoints.
 * Under TCG with two vCPUs that stalled the guest three times in about 40
 * runs, each time as a cell's perf started or stopped: one vCPU looping
 * through int3 in switch_mm_irqs_off (a tlb_flush site), the other spinning
 * on a lock with interrupts off (vm-run's stall dump).  A perf that opens
 * the same events and never enables them keeps every key on for as long as
 * it runs: the cells' perfs then patch nothing.  Disabled, its events count
 * nothing and cost a list check where they fire; each cell's own perf turns
 * the same keys on while it measures anyway.
 */
int perf_hold(struct perf_run *p, unsigned int mask, const char *dir,
	      const char *log, char *err)
{
	return perf_start(p, "/dev/null", mask, dir, log, err);
}

/* Sends a control command and waits for perf's "ack". */
static int perf_ctl(struct perf_run *p, const char *cmd, double timeout,
		    char *err)
{
	double end = now_mono() + timeout;
	size_t len = strlen(cmd);
	char buf[16];
	int status;

	if (write(p->ctl_fd, cmd, len) != (ssize_t)len) {
		snprintf(err, ERR_LEN, "perf control: %m");
		return -1;
	}
	for (;;) {
		struct pollfd pf = { .fd = p->ack_fd, .events = POLLIN };

		if (poll(&pf, 1, 20) > 0 && read(p->ack_fd, buf, sizeof(buf)) > 0)
			return 0;
		if (child_exited(&p->c, &status)) {
			snprintf(err, ERR_LEN, "perf stat exited early (see its log)");
			return -1;
		}
		if (now_mono() > end) {
			snprintf(err, ERR_LEN, "perf stat did not answer '%.*s' in %.0f s",
				 (int)len - 1, cmd, timeout);
			return -1;
		}
	}
}

int perf_enable(struct perf_run *p, double timeout, char *err)
{
	return perf_ctl(p, "enable\n", timeout, err);
}

int perf_disable(struct perf_run *p, double timeout, char *err)
{
	return perf_ctl(p, "disable\n", timeout, err);
}

int perf_stop(struct perf_run *p, char *err)
{
	int status = 0, ret = 0;

	if (p->c.pid) {
		status = child_stop(&p->c, SIGINT, 10);
		/* perf re-raises the SIGINT once it has written its counts. */
		if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0) &&
		    !(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT)) {
			char how[32];

			describe_status(status, how, sizeof(how));
			snprintf(err, ERR_LEN, "perf stat ended with %s", how);
			ret = -1;
		}
	}
	if (p->ctl_fd >= 0)
		close(p->ctl_fd);
	if (p->ack_fd >= 0)
		close(p->ack_fd);
	p->ctl_fd = p->ack_fd = -1;
	if (p->ctl[0]) {
		unlink(p->ctl);
		unlink(p->ack);
	}
	return ret;
}

void perf_leave(struct perf_run *p)
{
	/* perf stops reading a control FIFO that hangs up; it runs on. */
	if (p->ctl_fd >= 0)
		close(p->ctl_fd);
	if (p->ack_fd >= 0)
		close(p->ack_fd);
	p->ctl_fd = p->ack_fd = -1;
	if (p->c.pidfd >= 0)
		close(p->c.pidfd);
	p->c.pidfd = -1;
	p->c.pid = 0;
}

/*
 * perf names an event as asked ("cycles") or, on hybrid CPUs, once per PMU
 * ("cpu_core/cycles/", "cpu_atom/cycles/").
 */
static bool event_matches(const char *name, const char *event)
{
	const char *slash = strchr(name, '/');
	size_t n = strlen(event);

	if (!strcmp(name, event))
		return true;
	return slash && !strncmp(slash + 1, event, n) && slash[n + 1] == '/';
}

/* Splits a CSV line into at most max fields, in place; returns the count. */
static int split_csv(char *line, char **f, int max)
{
	int n = 0;

	while (n < max) {
		f[n++] = line;
		line = strchr(line, ',');
		if (!line)
			break;
		*line++ = '\0';
	}
	return n;
}

int perf_parse(const char *text, unsigned int mask, double val[PE_COUNT],
	       char *err)
{
	char *copy = strdup(text), *p = copy, *line, *f[8];
	int order[PE_COUNT], n_order = 0, next = 0;
	int want, prev = -1, lineno = 0, ret = 0;

	if (!copy)
		abort();
	for (int i = 0; i < PE_COUNT; i++)
		val[i] = NAN;
	/* The events in the order we asked for them. */
	for (int i = 0; i < PE_COUNT; i++)
		if (mask & (1U << i))
			order[n_order++] = i;
	while (p && *p) {
		double v;
		char *end;
		int nf;

		line = p;
		p = strchr(p, '\n');
		if (p)
			*p++ = '\0';
		lineno++;
		if (!*line || *line == '#')
			continue;
		nf = split_csv(line, f, 8);
		if (nf < 3) {
			snprintf(err, ERR_LEN, "perf CSV line %d: %d fields, want >= 3",
				 lineno, nf);
			ret = -1;
			break;
		}
		want = next < n_order ? order[next] : -1;
		if (want >= 0 && event_matches(f[2], perf_events[want].event)) {
			next++;
			prev = want;
		} else if (prev >= 0 && !perf_events[prev].tracepoint &&
			   event_matches(f[2], perf_events[prev].event)) {
			want = prev;	/* a second PMU's line for it */
		} else {
			snprintf(err, ERR_LEN, "perf CSV line %d: event '%s', expected '%s'",
				 lineno, f[2], want >= 0 ? perf_events[want].event : "none");
			ret = -1;
			break;
		}
		/* "<not supported>", "<not counted>": unavailable, not 0. */
		if (f[0][0] == '<')
			continue;
		v = strtod(f[0], &end);
		if (end == f[0] || *end) {
			snprintf(err, ERR_LEN, "perf CSV line %d: bad count '%s'",
				 lineno, f[0]);
			ret = -1;
			break;
		}
		val[want] = isnan(val[want]) ? v : val[want] + v;
	}
	if (!ret && next < n_order) {
		snprintf(err, ERR_LEN, "perf CSV: no line for '%s'",
			 perf_events[order[next]].event);
		ret = -1;
	}
	free(copy);
	return ret;
}

void perf_to_kv(const double *val, struct kv *out)
{
	out->n = 0;
	for (int i = 0; i < PE_COUNT; i++)
		kv_add(out, perf_events[i].key, val ? val[i] : NAN);
}
