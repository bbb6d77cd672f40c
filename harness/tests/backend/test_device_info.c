// SPDX-License-Identifier: GPL-2.0
/* dev_info_check() and the descriptor/data accessors, on a fake info. */
#include <errno.h>
#include <string.h>

#include "fake_dev.h"
#include "tests.h"

static struct ubmap_info good;

static int setup(void **state)
{
	(void)state;
	fake_info(&good, 2, 8, 256 * 1024, 1ULL << 30);
	return 0;
}

static void expect(const struct ubmap_info *info, int err, const char *want)
{
	char msg[256] = "";
	int ret = dev_info_check(info, msg, sizeof(msg));

	if (ret != err || (want && !strstr(msg, want)))
		fail_msg("got %d '%s', wanted %d '%s'", ret, msg, err,
			 want ? want : "");
}

static void test_good_info(void **state)
{
	(void)state;
	expect(&good, 0, NULL);
}

static void test_magic(void **state)
{
	struct ubmap_info i = good;

	(void)state;
	i.magic = 0x12345678;
	expect(&i, -EPROTO, "not a ubmap device (magic 0x12345678, expected 0x50414d42)");
}

static void test_version(void **state)
{
	struct ubmap_info i = good;
	char want[128];

	(void)state;
	i.abi_version = UBMAP_ABI_VERSION + 1;
	snprintf(want, sizeof(want),
		 "module speaks version %u, ubmapd was built for version %u",
		 UBMAP_ABI_VERSION + 1, UBMAP_ABI_VERSION);
	expect(&i, -EPROTO, want);
}

static void test_geometry(void **state)
{
	struct ubmap_info i;

	(void)state;
	i = good; i.nr_queues = 0;
	expect(&i, -EINVAL, "nr_queues");
	i = good; i.nr_queues = 70000;
	expect(&i, -EINVAL, "nr_queues");
	i = good; i.queue_depth = 0;
	expect(&i, -EINVAL, "queue_depth");
	i = good; i.logical_block_size = 1000;
	expect(&i, -EINVAL, "logical_block_size");
	i = good; i.logical_block_size = 256;
	expect(&i, -EINVAL, "logical_block_size");
	i = good; i.slot_size = 0;
	expect(&i, -EINVAL, "slot_size");
	i = good; i.slot_size = 4096 + 512 + 1;
	expect(&i, -EINVAL, "slot_size");
	i = good; i.capacity = 0;
	expect(&i, -EINVAL, "capacity");
	i = good; i.capacity += 100;
	expect(&i, -EINVAL, "capacity");
}

static void test_areas(void **state)
{
	struct ubmap_info i;

	(void)state;
	i = good; i.desc_offset = 8;	/* inside the header */
	expect(&i, -EINVAL, "desc_offset");
	i = good; i.desc_offset += 4;	/* misaligned */
	expect(&i, -EINVAL, "desc_offset");
	i = good; i.ctrl_size = i.desc_offset + 32;
	expect(&i, -EINVAL, "ctrl_size");
	i = good; i.ctrl_size = 16;
	expect(&i, -EINVAL, "ctrl_size");
	i = good; i.data_size -= 1;
	expect(&i, -EINVAL, "data_size");
	/* 2^32 slots of 2 GiB: the sum needs all 64 bits, no wrap */
	i = good; i.slot_size = 0x80000000u; i.data_size = (1ULL << 63) - 1;
	i.nr_queues = 65536; i.queue_depth = 65536;
	i.ctrl_size = 1ULL << 40; i.data_offset = 1ULL << 41;
	expect(&i, -EINVAL, "data_size");
	i.data_size = 1ULL << 63;
	expect(&i, 0, NULL);
	i = good; i.data_offset += 512;
	expect(&i, -EINVAL, "data_offset");
	i = good; i.data_offset = 0;	/* on top of ctrl */
	expect(&i, -EINVAL, "data_offset");
}

static void test_mode_string(void **state)
{
	struct ubmap_info i = good;

	(void)state;
	memset(i.mode, 'x', sizeof(i.mode));
	expect(&i, -EINVAL, "NUL-terminated");
}

static void test_accessors(void **state)
{
	struct fake_kernel fk;
	struct ubmap_io_desc *descs;
	const struct ubmap_io_desc *d;

	(void)state;
	fake_kernel_init(&fk, &good, 1);
	descs = (struct ubmap_io_desc *)((char *)fk.ctrl + good.desc_offset);
	assert_int_equal(dev_nr_descs(&fk.dev), 16);
	/* Descriptor (1, 5) is number 1 * depth + 5 of the array. */
	descs[8 + 5].tag = 5;
	descs[8 + 5].queue = 1;
	descs[8 + 5].window_off = 13ULL * good.slot_size + 512;
	d = dev_desc(&fk.dev, 1, 5);
	assert_ptr_equal(d, &descs[13]);
	assert_ptr_equal(dev_data(&fk.dev, d),
			 (char *)fk.window + 13 * good.slot_size + 512);
	fake_kernel_free(&fk);
}

/* The ABI's layout assumptions we rely on, checked where we compile. */
static void test_abi_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct ubmap_io_desc), 32);
	assert_int_equal(sizeof(struct ubmap_completion), 8);
	assert_int_equal(sizeof(struct ubmap_batch) % 8, 0);
	assert_int_equal(sizeof(struct ubmap_info) % 8, 0);
}

int run_device_info_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_info),
		cmocka_unit_test(test_magic),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_areas),
		cmocka_unit_test(test_mode_string),
		cmocka_unit_test(test_accessors),
		cmocka_unit_test(test_abi_layout),
	};

	return cmocka_run_group_tests_name("device_info", tests, setup, NULL);
}
