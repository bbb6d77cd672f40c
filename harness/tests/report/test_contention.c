// SPDX-License-Identifier: GPL-2.0
/*
 * Host contention: the samples' parser, the join of samples to a window,
 * the thresholds, and a run whose contended records keep their counts but
 * lose their times in the report.
 */
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "contention.h"
#include "dataset.h"
#include "records.h"
#include "report_tests.h"

#define HEADER	"epoch_s,vcpus,run_ns,wait_ns,load1,runnable,other_qemu,steal_ticks\n"

static void test_parse(void **state)
{
	struct host_samples hs;

	(void)state;
	host_samples_parse(HEADER
			   "100.5,2,1000,10,0.5,2,0,7\n"
			   "101.5,2,2000,20,0.5,3,1,7\n"
			   "101.0,2,9999,99,0.5,3,1,7\n"	/* back in time */
			   "102.5,2,30", &hs);			/* cut short */
	assert_int_equal(hs.n, 2);
	assert_true(hs.s[0].t == 100.5);
	assert_int_equal(hs.s[1].vcpus, 2);
	assert_true(hs.s[1].wait_ns == 20);
	assert_int_equal(hs.s[1].runnable, 3);
	assert_int_equal(hs.s[1].other_qemu, 1);
	host_samples_free(&hs);
	host_samples_parse(NULL, &hs);
	assert_int_equal(hs.n, 0);
}

/* One sample a second from t=100; the vCPUs wait 5% of the time but 50% in [104, 106]. */
static void samples(struct host_samples *hs, unsigned int other_at)
{
	double run = 0, wait = 0;

	hs->n = 12;
	hs->s = calloc(hs->n, sizeof(*hs->s));
	for (size_t i = 0; i < hs->n; i++) {
		bool busy = i > 4 && i <= 6;

		if (i) {
			run += busy ? 0.5e9 : 0.95e9;
			wait += busy ? 0.5e9 : 0.05e9;
		}
		hs->s[i] = (struct host_sample){ .t = 100 + i, .vcpus = 2, .run_ns = run,
			.wait_ns = wait, .runnable = busy ? 4 : 2, .other_qemu = i == other_at };
	}
}

static void test_window(void **state)
{
	struct host_samples hs;
	struct contention c = { .calib_ratio = NAN };

	(void)state;
	samples(&hs, 99);
	/* Quiet: [101.2, 103.9] is bracketed by the samples at 101 and 104. */
	contention_window(&hs, 101.2, 103.9, &c);
	assert_true(c.sampled);
	assert_float_equal(c.wait_share, 0.05, 1e-9);
	assert_int_equal(c.runnable, 2);
	contention_judge(&c);
	assert_int_equal(c.why, 0);
	/* Busy: [104, 106] exactly; the samples on its edges bracket it. */
	contention_window(&hs, 104, 106, &c);
	assert_float_equal(c.wait_share, 0.5, 1e-9);
	assert_int_equal(c.runnable, 4);
	contention_judge(&c);
	assert_int_equal(c.why, CT_WAIT);
	/* Half busy, half quiet: (1 + 0.1) / 4 s. */
	contention_window(&hs, 103.5, 106.5, &c);
	assert_float_equal(c.wait_share, 1.1 / 4, 1e-9);
	/* Outside the samples, or no window at all: not sampled, not judged. */
	contention_window(&hs, 99.5, 102, &c);
	assert_false(c.sampled);
	assert_true(isnan(c.wait_share));
	contention_window(&hs, 110.5, 111.5, &c);
	assert_false(c.sampled);
	contention_window(&hs, NAN, 105, &c);
	assert_false(c.sampled);
	contention_judge(&c);
	assert_int_equal(c.why, 0);
	host_samples_free(&hs);
	/* Another QEMU seen at 103: a window bracketed by 103 sees it, the next does not. */
	samples(&hs, 3);
	contention_window(&hs, 102.5, 103.5, &c);
	assert_int_equal(c.other_qemu, 1);
	contention_judge(&c);
	assert_int_equal(c.why, CT_OTHER_QEMU);
	contention_window(&hs, 104, 105, &c);
	assert_int_equal(c.other_qemu, 0);
	host_samples_free(&hs);
}

static void test_thresholds(void **state)
{
	struct contention c = { .sampled = true, .calib_ratio = CONT_CALIB_RATIO_MAX,
				.host_steal = NAN };
	char buf[256];

	(void)state;
	c.wait_share = CONT_WAIT_SHARE_MAX;
	contention_judge(&c);
	assert_int_equal(c.why, 0);
	c.wait_share += 0.01;
	c.calib_ratio += 0.01;
	contention_judge(&c);
	assert_int_equal(c.why, CT_WAIT | CT_CALIB);
	c.runnable = 5;
	contention_describe(&c, buf, sizeof(buf));
	assert_string_equal(buf, "vCPU run-queue wait 26% (over limit), up to 5 runnable host tasks, "
			    "calibration 1.51x the fastest (over limit)");
	/* The hypervisor below the host took more than the limit. */
	c = (struct contention){ .sampled = true, .wait_share = 0.05, .calib_ratio = NAN,
				 .host_steal = CONT_HOST_STEAL_MAX };
	contention_judge(&c);
	assert_int_equal(c.why, 0);
	c.host_steal += 0.01;
	contention_judge(&c);
	assert_int_equal(c.why, CT_STEAL);
	contention_describe(&c, buf, sizeof(buf));
	assert_string_equal(buf, "vCPU run-queue wait 5%, up to 0 runnable host tasks, "
			    "host steal 0.11 CPU (over limit)");
	/* Unsampled and uncalibrated: nothing to flag. */
	c = (struct contention){ .wait_share = NAN, .calib_ratio = NAN, .other_qemu = 1,
				 .host_steal = NAN };
	contention_judge(&c);
	assert_int_equal(c.why, 0);
}

/* The host's steal over a window: ticks of 1/100 s a second, NAN without the column. */
static void test_host_steal(void **state)
{
	struct host_samples hs;
	struct contention c;

	(void)state;
	host_samples_parse(HEADER
			   "100,2,0,0,0.5,2,0,1000\n"
			   "101,2,1e9,0,0.5,2,0,1005\n"
			   "102,2,2e9,0,0.5,2,0,1005\n"
			   "103,2,3e9,0,0.5,2,0,1045\n", &hs);
	contention_window(&hs, 100, 102, &c);
	assert_float_equal(c.host_steal, 0.025, 1e-9);
	contention_judge(&c);
	assert_int_equal(c.why, 0);
	contention_window(&hs, 102, 103, &c);
	assert_float_equal(c.host_steal, 0.40, 1e-9);
	contention_judge(&c);
	assert_int_equal(c.why, CT_STEAL);
	host_samples_free(&hs);
	/* Samples from before the column: never flagged for it. */
	host_samples_parse("epoch_s,vcpus,run_ns,wait_ns,load1,runnable,other_qemu\n"
			   "100,2,0,0,0.5,2,0\n101,2,1e9,0,0.5,2,0\n", &hs);
	assert_int_equal(hs.n, 2);
	contention_window(&hs, 100, 101, &c);
	assert_true(isnan(c.host_steal));
	contention_judge(&c);
	assert_int_equal(c.why, 0);
	host_samples_free(&hs);
}

/*
 * The fixture's records 5 s apart from T0, 3.2 s each; record SLOW's
 * calibration loop ran 1.8x the others', and the host samples show the
 * vCPUs waiting half the time through record BUSY.
 */
#define T0	1800000000.0
#define SLOW	3
#define BUSY	20

static bool timed(json_t *rec, void *arg)
{
	int *i = arg, k = (*i)++;

	json_object_set_new(rec, "start_epoch_ms", json_integer((json_int_t)(T0 + 5.0 * k) * 1000));
	json_object_set_new(rec, "wall_s", json_real(3.2));
	json_object_set_new(rec, "calib", json_pack("{s:i, s:f, s:f}", "loops", 1 << 19,
						    "before_ns", k == SLOW ? 9e6 : 5e6,
						    "after_ns", 5.1e6));
	return true;
}

static void write_samples(const char *dir, double offset)
{
	char path[PATH_MAX];
	double run = 0, wait = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/raw", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/raw/host-samples.csv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(HEADER, f);
	for (int s = -2; s < 54 * 5 + 5; s++) {
		/* Host time: the guest's plus the offset. */
		bool busy = s > BUSY * 5 && s <= BUSY * 5 + 4;

		run += busy ? 0.5e9 : 0.95e9;
		wait += busy ? 0.5e9 : 0.05e9;
		fprintf(f, "%.3f,2,%.0f,%.0f,0.50,%d,0,3\n", T0 + offset + s, run, wait,
			busy ? 4 : 2);
	}
	fclose(f);
	/* The guest wrote T0 - 10; the host stamped it offset later. */
	snprintf(path, sizeof(path), "%s/raw/guest-clock", dir);
	f = fopen(path, "w");
	fprintf(f, "%.6f\n", T0 - 10);
	fclose(f);
	assert_int_equal(utimensat(AT_FDCWD, path, (struct timespec[]){
		{ .tv_sec = (time_t)(T0 - 10 + offset), .tv_nsec = 400000000 },
		{ .tv_sec = (time_t)(T0 - 10 + offset), .tv_nsec = 400000000 } }, 0), 0);
}

/* Runs of spaces and newlines as one space: wrapped lines read as one. */
static void flatten(char *s)
{
	char *o = s;
	bool space = false;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\n') {
			space = true;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = false;
		*o++ = *s;
	}
	*o = '\0';
}

static void test_run(void **state)
{
	char *dir = scratch_dir(), err[256], path[PATH_MAX], busy[256], *txt;
	int k = 0, iops = metric_find("iops"), pages = metric_find("pages_per_io");
	const struct cellstat *c;
	struct dataset d;
	struct run r;

	(void)state;
	run_derive(fixture_path("run"), dir, timed, &k, NULL);
	/* 0.4 s: the offset host - guest the RTC's whole seconds leave. */
	write_samples(dir, 0.4);
	assert_int_equal(run_load(&r, dir, err, sizeof(err)), 0);
	assert_float_equal(r.guest_clock_offset, 0.4, 1e-6);
	dataset_build(&d, &r);
	assert_true(d.cont.have_samples);
	assert_true(d.cont.offset_measured);
	assert_int_equal(d.cont.sampled, 54);
	assert_float_equal(d.cont.calib_floor, 5e6, 1);
	assert_int_equal(d.cont.rec[SLOW].why, CT_CALIB);
	assert_int_equal(d.cont.rec[BUSY].why, CT_WAIT);
	/* Its neighbours are 1.8 s away: the samples of the stall miss them. */
	assert_int_equal(d.cont.rec[BUSY - 1].why, 0);
	assert_int_equal(d.cont.rec[BUSY + 1].why, 0);
	assert_int_equal(d.cont.flagged, 2);
	assert_float_equal(d.cont.wait_share_max, 2.05 / 5, 1e-9);
	assert_float_equal(d.cont.calib_ratio_max, 9 / 5.0, 1e-9);
	/* Record BUSY: its IOPS is out, its counts in. */
	snprintf(busy, sizeof(busy), "%s rep %u:", r.recs[BUSY].cell_id, r.recs[BUSY].repeat);
	c = NULL;
	for (size_t i = 0; i < d.ncells; i++)
		if (!strcmp(d.cells[i].cell_id, r.recs[BUSY].cell_id))
			c = &d.cells[i];
	assert_non_null(c);
	assert_int_equal(c->ok, 3);
	assert_int_equal(c->contended, 1);
	assert_int_equal(c->m[iops].n, 2);
	assert_true(isnan(c->m[iops].v[r.recs[BUSY].repeat - 1]));
	assert_int_equal(c->m[pages].n, 3);
	dataset_free(&d);
	run_free(&r);

	/* The report counts them in its method text and lists them. */
	assert_int_equal(run_cmd(cmd_report, NULL, "report", dir, NULL), 0);
	snprintf(path, sizeof(path), "%s/report.txt", dir);
	txt = read_file(path, NULL);
	assert_non_null(txt);
	assert_fits(txt, 80);
	flatten(txt);
	assert_non_null(strstr(txt, "Host contention: 2 of 53 good runs flagged"));
	assert_non_null(strstr(txt, "Contended runs (times left out, counts kept)"));
	assert_non_null(strstr(txt, "Highest vCPU run-queue wait of a run: 41%."));
	assert_non_null(strstr(txt, "fastest 5.00 ms, the slowest run's 1.80x it."));
	assert_non_null(strstr(txt, busy));
	assert_non_null(strstr(txt, "vCPU run-queue wait 41% (over limit)"));
	assert_non_null(strstr(txt, "calibration 1.80x the fastest (over limit)"));
	free(txt);
	rm_rf(dir);
	free(dir);
}

/* The fixture as it is: no samples, no calibration, nothing flagged. */
static void test_run_without(void **state)
{
	struct dataset d;
	struct run r;
	char err[256];

	(void)state;
	assert_int_equal(run_load(&r, fixture_path("run"), err, sizeof(err)), 0);
	assert_true(isnan(r.guest_clock_offset));
	dataset_build(&d, &r);
	assert_false(d.cont.have_samples);
	assert_false(d.cont.offset_measured);
	assert_true(isnan(d.cont.calib_floor));
	assert_int_equal(d.cont.flagged, 0);
	dataset_free(&d);
	run_free(&r);
}

int run_contention_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_host_steal),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_run_without),
	};

	return cmocka_run_group_tests_name("contention", tests, NULL, NULL);
}
