// SPDX-License-Identifier: GPL-2.0
/* fio's command line, and its JSON from real fio 3.33 runs (fixtures/fio). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench_tests.h"
#include "cells.h"
#include "fio.h"

static void parse(const char *name, struct fio_result *r)
{
	char path[128], err[ERR_LEN], *text;

	snprintf(path, sizeof(path), "fio/%s", name);
	text = fixture(path);
	if (fio_parse(text, r, err))
		fail_msg("%s: %s", name, err);
	free(text);
}

static void test_direct_randread(void **state)
{
	struct fio_result r;

	(void)state;
	parse("host-direct-randread-4k-psync.json", &r);
	assert_string_equal(r.version, "fio-3.33");
	assert_int_equal(r.error, 0);
	assert_int_equal(r.jobs, 1);
	assert_int_equal(r.dir[FIO_READ].ios, 504114);
	assert_int_equal(r.dir[FIO_READ].runtime_ms, 1001);
	assert_near(r.dir[FIO_READ].iops, 503610.38961, 1e-6);
	assert_near(r.dir[FIO_READ].bw_bytes, 2062788155, 0.5);
	assert_near(r.dir[FIO_READ].clat_mean_ns, 1778.451654, 1e-6);
	assert_near(r.dir[FIO_READ].clat_p50_ns, 1528, 0);
	assert_near(r.dir[FIO_READ].clat_p99_ns, 1576, 0);
	assert_near(r.dir[FIO_READ].clat_p999_ns, 43776, 0);
	/* No writes: no latency, not a latency of 0. */
	assert_int_equal(r.dir[FIO_WRITE].ios, 0);
	assert_true(isnan(r.dir[FIO_WRITE].clat_mean_ns));
	assert_true(isnan(r.dir[FIO_WRITE].clat_p99_ns));
	assert_int_equal(r.total_ios, 504114);
	assert_near(r.usr_cpu, 42.4, 1e-9);
	assert_near(r.sys_cpu, 49.8, 1e-9);
	assert_int_equal(r.job_runtime_ms, 1000);
}

static void test_buffered_write(void **state)
{
	struct fio_result r;

	(void)state;
	parse("host-buffered-write-64k-psync.json", &r);
	assert_int_equal(r.dir[FIO_READ].ios, 0);
	assert_int_equal(r.dir[FIO_WRITE].ios, 15755);
	assert_near(r.dir[FIO_WRITE].iops, 15019.065777, 1e-6);
	assert_near(r.dir[FIO_WRITE].clat_mean_ns, 57192.228055, 1e-6);
	assert_near(r.dir[FIO_WRITE].clat_p50_ns, 7648, 0);
	assert_near(r.dir[FIO_WRITE].clat_p999_ns, 1466368, 0);
	assert_true(isnan(r.dir[FIO_READ].clat_p50_ns));
	assert_near(r.iops, 15019.065777, 1e-6);
}

static void test_buffered_read_io_uring(void **state)
{
	struct fio_result r;

	(void)state;
	parse("host-buffered-read-1m-iouring.json", &r);
	assert_int_equal(r.total_ios, 2864);
	assert_near(r.bw_bytes, 2985210401, 0.5);
	assert_near(r.dir[FIO_READ].clat_p99_ns, 8355840, 0);
	assert_near(r.usr_cpu, 0, 0);
}

static void test_mixed(void **state)
{
	struct fio_result r;

	(void)state;
	parse("host-direct-randrw70-16k-libaio-j2.json", &r);
	/* numjobs=2 with group_reporting: one entry, summed by fio. */
	assert_int_equal(r.jobs, 1);
	assert_int_equal(r.dir[FIO_READ].ios, 26399);
	assert_int_equal(r.dir[FIO_WRITE].ios, 11297);
	assert_int_equal(r.total_ios, 26399 + 11297);
	assert_near(r.iops, 25094.106464 + 10738.593156, 1e-6);
	assert_near(r.dir[FIO_WRITE].clat_p99_ns, 880640, 0);
	assert_near(r.dir[FIO_READ].clat_p999_ns, 19267584, 0);
	assert_int_equal(r.job_runtime_ms, 2051);
}

static void test_separate_jobs(void **state)
{
	struct fio_result r;

	(void)state;
	parse("host-direct-randwrite-8k-j2-separate.json", &r);
	/* Without group_reporting we sum counts and rates ourselves. */
	assert_int_equal(r.jobs, 2);
	assert_int_equal(r.dir[FIO_WRITE].ios, 6579 + 6557);
	assert_near(r.dir[FIO_WRITE].iops, 6572.427572 + 6550.44955, 1e-6);
	assert_near(r.dir[FIO_WRITE].bw_bytes, 53841326.0 + 53661282.0, 0.5);
	assert_int_equal(r.dir[FIO_WRITE].runtime_ms, 1001);
	/* Latency cannot be summed: the first job's. */
	assert_near(r.dir[FIO_WRITE].clat_mean_ns, 151560.351269, 1e-6);
	assert_near(r.usr_cpu, 5 + 2.3, 1e-9);
}

static void test_guest_run(void **state)
{
	struct fio_result r;

	(void)state;
	parse("guest-mkspecial-4k-direct-randread.json", &r);
	assert_int_equal(r.total_ios, 6275);
	assert_near(r.iops, 3132.800799, 1e-6);
	assert_near(r.dir[FIO_READ].clat_p50_ns, 114176, 0);
	assert_near(r.dir[FIO_READ].clat_p99_ns, 6258688, 0);
	assert_near(r.dir[FIO_READ].clat_p999_ns, 12124160, 0);
	assert_int_equal(r.ctx, 6300);
	assert_int_equal(r.minf, 13);
}

static void test_job_error(void **state)
{
	struct fio_result r;

	(void)state;
	/* fio --direct=1 on /dev/null: EINVAL, and the JSON still parses. */
	parse("host-error-odirect-devnull.json", &r);
	assert_int_equal(r.error, 22);
	assert_int_equal(r.total_ios, 0);
}

static void test_bad_json(void **state)
{
	struct fio_result r;
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(fio_parse("", &r, err), -1);
	assert_int_equal(fio_parse("{\"jobs\": []}", &r, err), -1);
	assert_non_null(strstr(err, "no \"jobs\" array"));
	assert_int_equal(fio_parse("{\"jobs\": [", &r, err), -1);
	assert_non_null(strstr(err, "fio JSON:"));
	/* A note fio printed into --output before the JSON is skipped. */
	assert_int_equal(fio_parse("note: both iodepth >= 1 and synchronous I/O engine are selected\n"
				   "{\"jobs\": [{\"error\": 0, \"read\": {\"total_ios\": 7}}]}",
				   &r, err), 0);
	assert_int_equal(r.total_ios, 7);
}

static void test_group_by_name(void **state)
{
	char err[ERR_LEN], *text = fixture("fio/host-group-3jobs.json");
	struct fio_result r;

	(void)state;
	/* A job file of three stonewalled jobs: each its own entry. */
	assert_int_equal(fio_parse_job(text, "copy-4k-direct-randread", &r, err), 0);
	assert_int_equal(r.jobs, 1);
	assert_int_equal(r.total_ios, 12827);
	assert_near(r.iops, 12814.185814, 1e-6);
	/* numjobs=2 with group_reporting: one entry for both clones. */
	assert_int_equal(fio_parse_job(text, "copy-64k-buffered-randwrite", &r, err), 0);
	assert_int_equal(r.jobs, 1);
	assert_int_equal(r.dir[FIO_WRITE].ios, 163286);
	assert_int_equal(r.dir[FIO_WRITE].runtime_ms, 1059);
	assert_near(r.dir[FIO_WRITE].clat_p99_ns, 57088, 0);
	assert_int_equal(fio_parse_job(text, "copy-16k-direct-randrw", &r, err), 0);
	assert_int_equal(r.dir[FIO_READ].ios, 30478);
	assert_int_equal(r.dir[FIO_WRITE].ios, 13464);
	assert_int_equal(fio_parse_job(text, "no-such-job", &r, err), -1);
	assert_non_null(strstr(err, "no job 'no-such-job'"));
	/* No name: everything summed. */
	assert_int_equal(fio_parse(text, &r, err), 0);
	assert_int_equal(r.jobs, 3);
	assert_int_equal(r.total_ios, 12827 + 163286 + 30478 + 13464);
	free(text);
}

static void test_job_file(void **state)
{
	struct matrix m;
	struct cell *c;
	char err[ERR_LEN], *text;
	size_t n, len;
	FILE *f;

	(void)state;
	matrix_init(&m);
	assert_int_equal(matrix_load_text(&m, "t",
		"mode = copy\nbs = 64k\nio = both\nrw = randrw:70\nioengine = io_uring\n"
		"iodepth = 8\nnumjobs = 2\nruntime = 3\nramp = 1\n", err), 0);
	c = cells_expand(&m, &n);
	assert_int_equal(n, 2);
	f = open_memstream(&text, &len);
	fio_job_global(f, "/dev/ubmap0");
	fio_job_section(f, &c[0], "cell-a", "echo pre 0", "echo post 0");
	fio_job_section(f, &c[1], "cell-b", NULL, NULL);
	fio_job_warmup(f, &c[1], "warm-b", 500);
	fio_job_warmup(f, &c[1], "warm-c", 2000);
	fclose(f);
	assert_non_null(strstr(text, "[global]\nfilename=/dev/ubmap0\nstonewall\ngroup_reporting=1\ntime_based=1\nnorandommap=1\n"));
	assert_non_null(strstr(text,
		"\n[cell-a]\nrw=randrw\nrwmixread=70\nbs=65536\ndirect=1\nioengine=io_uring\n"
		"iodepth=8\nnumjobs=2\nruntime=3\nramp_time=1\n"
		"exec_prerun=echo pre 0\nexec_postrun=echo post 0\n"));
	/* Direct writes need no fsync; buffered ones do, inside the cell. */
	assert_non_null(strstr(text, "\n[cell-b]\nrw=randrw\nrwmixread=70\nbs=65536\ndirect=0\n"));
	assert_non_null(strstr(text, "ramp_time=1\nend_fsync=1\n"));
	assert_null(strstr(strstr(text, "[cell-b]"), "exec_prerun"));
	/* The warm-up: its own runtime, no ramp, no hooks. */
	assert_non_null(strstr(text, "\n[warm-b]\nrw=randrw\nrwmixread=70\nbs=65536\ndirect=0\n"
		"ioengine=io_uring\niodepth=8\nnumjobs=2\nruntime=500ms\nend_fsync=1\n"));
	assert_non_null(strstr(text, "\n[warm-c]\n"));
	assert_non_null(strstr(strstr(text, "[warm-c]"), "runtime=2\n"));
	assert_null(strstr(strstr(text, "[warm-b]"), "exec_"));
	assert_null(strstr(strstr(text, "[warm-b]"), "ramp_time"));
	free(text);
	free(c);
}

int run_fio_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direct_randread),
		cmocka_unit_test(test_buffered_write),
		cmocka_unit_test(test_buffered_read_io_uring),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_separate_jobs),
		cmocka_unit_test(test_guest_run),
		cmocka_unit_test(test_job_error),
		cmocka_unit_test(test_bad_json),
		cmocka_unit_test(test_group_by_name),
		cmocka_unit_test(test_job_file),
	};

	return cmocka_run_group_tests_name("fio", tests, NULL, NULL);
}
