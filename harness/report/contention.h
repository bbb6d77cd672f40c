/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Was a record slowed down from outside the guest?  The host's samples
 * (raw/host-samples.csv, scripts/host-sample.sh) joined to each record by
 * time, and the guest's calibration loop (bench/calib.c) against the run's
 * fastest.  A contended record keeps its counts; its times are left out of
 * every timing statistic (dataset.c).
 */
#ifndef REPORT_CONTENTION_H
#define REPORT_CONTENTION_H

#include <stdbool.h>
#include <stddef.h>

struct run;

/*
 * The thresholds, in one place.
 *
 * CONT_WAIT_SHARE_MAX: of the time QEMU's vCPU threads wanted a host CPU,
 * the share they waited on a run queue for it.  Under TCG that is the
 * guest's steal: the guest's clock runs on while it waits, so its times
 * stretch by 1 / (1 - share).  A quiet ci run on this 2-core host
 * (20261202-060131) showed 3-10% per cell, 21.5% in one cell a host blip
 * hit (QEMU's own I/O threads share the cores with the two vCPUs); one
 * busy host process per core puts it near 50%.
 */
#define CONT_WAIT_SHARE_MAX	0.25
/*
 * CONT_CALIB_RATIO_MAX: the slower of a record's two calibration loops
 * over the run's fastest.  Fixed work has a floor, and the fastest loop
 * is it unless the whole run was contended (the wait share sees that);
 * a median moves with a run contended for most of its length (the
 * loaded run 20261202-061734: median 2.1x the floor).  Quiet, 2^19
 * rounds varied by up to 1.32x their floor (20261202-060131, guest timer
 * interrupts); 1.5 is a slow-down no quiet run showed.  A few-ms loop
 * can slip between the host's time slices even on a loaded host (13 of
 * the loaded run's 15 contended records had a loop over the limit):
 * this catches stalls, the wait share catches sharing.
 */
#define CONT_CALIB_RATIO_MAX	1.5
/*
 * CONT_HOST_STEAL_MAX: CPUs' worth of time the hypervisor below this
 * machine took from it over a record's window (/proc/stat steal, sampled
 * by host-sample.sh), which no sample of QEMU's threads sees: they do not
 * wait, the whole machine runs slower.  In the A/B gate's runs
 * ab-20261202-164821 and -165141 (24 records a cell, steal 0..0.54 CPU)
 * it explained the IOPS: r = -0.96 (copy), -0.94 (mkspecial); the IOPS
 * CoeffVar was 34 % and 26 % over all records, 8 % over those under 0.1
 * CPU, 4..8 % under 0.05.
 */
#define CONT_HOST_STEAL_MAX	0.10
/* /proc/stat counts in USER_HZ, 100 on every Linux ABI. */
#define CONT_USER_HZ		100.0
/* Any other QEMU process seen in a record's window flags it: a second
 * guest on these cores swings faster than one sample a second shows. */
#define CONT_OTHER_QEMU_MAX	0
/*
 * The join.  The guest sets its clock from the RTC, whole seconds, and
 * TCG's clock then follows the host's: host - guest is constant, in
 * [0, 1) s.  raw/guest-clock measures it to within a 9p write; without it
 * (or when it is implausible, e.g. the directory was copied) windows are
 * widened by CONT_CLOCK_TOL_S each way.  Samples bracket each window, so
 * a window also takes in up to one sample interval either side.
 */
#define CONT_CLOCK_TOL_S	1.0
#define CONT_CLOCK_MEASURED_TOL_S 0.05
#define CONT_CLOCK_OFFSET_MAX_S	5.0

/* Why a record is contended: a bit each. */
enum {
	CT_WAIT = 1U << 0,
	CT_OTHER_QEMU = 1U << 1,
	CT_CALIB = 1U << 2,
	CT_STEAL = 1U << 3,
};

/* One line of raw/host-samples.csv; counters are cumulative. */
struct host_sample {
	double t;		/* host epoch, s */
	unsigned int vcpus;	/* vCPU threads counted; 0: all threads */
	double run_ns, wait_ns;
	double load1;
	unsigned int runnable, other_qemu;
	double steal_ticks;	/* the host's own steal; NAN if not sampled */
};

struct host_samples {
	struct host_sample *s;	/* by time */
	size_t n;
};

/* Parses the CSV text (header, then lines); bad lines are skipped. */
void host_samples_parse(const char *text, struct host_samples *hs);
void host_samples_free(struct host_samples *hs);

struct contention {
	bool sampled;		/* host samples bracket the window */
	double wait_share;	/* NAN if not sampled */
	double host_steal;	/* CPUs' worth, NAN if not sampled */
	unsigned int other_qemu;	/* the most seen at once */
	unsigned int runnable;	/* the most runnable host tasks seen */
	double calib_ratio;	/* NAN without calibration */
	unsigned int why;	/* CT_*; 0: not contended */
};

/*
 * The samples over host time [t0, t1] into c (sampled, wait_share,
 * other_qemu, runnable): the last sample at or before t0 to the first at
 * or after t1.
 */
void contention_window(const struct host_samples *hs, double t0, double t1,
		       struct contention *c);
/* c->why from the measures and the thresholds above. */
void contention_judge(struct contention *c);
/* "vCPU run-queue wait 43%, another QEMU, calibration 2.1x the fastest". */
void contention_describe(const struct contention *c, char *buf, size_t len);

/* A run's verdicts, one per record (r->recs). */
struct run_contention {
	struct contention *rec;
	size_t n, flagged;
	size_t sampled;		/* records the host samples cover */
	bool have_samples;	/* raw/host-samples.csv with lines */
	double offset, tol;	/* host - guest clock used, and the slack */
	bool offset_measured;
	double calib_floor;	/* the fastest loop, ns; NAN without any */
	/* The highest of each measure over good records, flagged or not. */
	double wait_share_max, calib_ratio_max;
};

void run_contention_build(const struct run *r, struct run_contention *rc);
void run_contention_free(struct run_contention *rc);

#endif /* REPORT_CONTENTION_H */
