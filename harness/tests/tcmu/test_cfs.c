// SPDX-License-Identifier: GPL-2.0
/* The configfs steps (tcmu/cfs.c) against a directory tree standing in for
 * configfs and sysfs: what is written where, and what is found. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfs.h"
#include "tests.h"

static char root[64];

static void sh(const char *fmt, const char *arg)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), fmt, arg, arg, arg, arg);
	assert_int_equal(system(cmd), 0);
}

static char *slurp(const char *dir, const char *file)
{
	static char buf[512];
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int setup(void **state)
{
	static char cfs[128], sys[128];

	(void)state;
	strcpy(root, "/tmp/tcmu-cfs-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	snprintf(cfs, sizeof(cfs), "%s/cfs", root);
	snprintf(sys, sizeof(sys), "%s/sys", root);
	cfs_root = cfs;
	sys_root = sys;
	sh("mkdir -p %s/cfs/core %s/cfs/loopback %s/sys/class/uio", root);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sh("rm -rf %s", root);
	return 0;
}

static void test_names(void **state)
{
	struct cfs_dev a, b, c;

	(void)state;
	assert_int_equal(cfs_dev_init(&a, "disk1"), 0);
	assert_int_equal(cfs_dev_init(&b, "disk1"), 0);
	assert_int_equal(cfs_dev_init(&c, "disk2"), 0);
	/* The same name gives the same WWN (--teardown finds it), another not. */
	assert_string_equal(a.wwn, b.wwn);
	assert_string_not_equal(a.wwn, c.wwn);
	assert_string_not_equal(a.wwn, a.iwwn);
	assert_int_equal(strlen(a.wwn), 4 + 16);
	assert_int_equal(strncmp(a.wwn, "naa.5001405", 11), 0);
	assert_string_equal(a.uio_name, "tcm-user/0/disk1/ubmap/disk1");
	assert_int_equal(cfs_dev_init(&a, "a/b"), -1);
	assert_int_equal(cfs_dev_init(&a, ""), -1);
}

static void test_backstore(void **state)
{
	struct cfs_dev d;
	char cmd[1024];

	(void)state;
	assert_int_equal(cfs_dev_init(&d, "bs"), 0);
	/* One that exists already is refused and left alone. */
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && touch %s/mine", d.core, d.core);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(cfs_backstore_create(&d, 64 << 20, 512, 1 << 20, 5), -1);
	snprintf(cmd, sizeof(cmd), "test -e %s/mine && rm -rf %s", d.core, d.core);
	assert_int_equal(system(cmd), 0);
	/*
	 * A plain directory has no attrib/ (configfs makes it with the
	 * backstore), so this stops after control: see what it wrote there.
	 */
	assert_int_equal(cfs_backstore_create(&d, 64 << 20, 512, 1 << 20, 5), -1);
	assert_string_equal(slurp(d.core, "control"),
			    "dev_size=67108864,dev_config=ubmap/bs,hw_block_size=512,hw_max_sectors=2048");
	assert_int_equal(access(strcat(strcpy(cmd, d.core), "/enable"), F_OK), -1);
}

static void test_find_uio(void **state)
{
	struct cfs_dev d;
	char dev[64], cmd[600];
	size_t size = 0;

	(void)state;
	assert_int_equal(cfs_dev_init(&d, "u1"), 0);
	assert_int_equal(cfs_find_uio(&d, dev, sizeof(dev), &size), -1);
	snprintf(cmd, sizeof(cmd),
		 "cd %s/sys/class/uio && mkdir -p uio0/maps/map0 uio3/maps/map0 && "
		 "echo tcm-user/0/other/ubmap/other > uio0/name && "
		 "echo %s > uio3/name && echo 0x48800000 > uio3/maps/map0/size",
		 root, d.uio_name);
	sh("%s", cmd);
	assert_int_equal(cfs_find_uio(&d, dev, sizeof(dev), &size), 0);
	assert_string_equal(dev, "/dev/uio3");
	assert_int_equal(size, 0x48800000);
}

static void test_loop_and_disk(void **state)
{
	struct cfs_dev d;
	char dev[64], cmd[800], link[600], target[600];
	ssize_t n;

	(void)state;
	assert_int_equal(cfs_dev_init(&d, "l1"), 0);
	assert_int_equal(cfs_loop_create(&d), 0);
	assert_string_equal(slurp(d.tpg, "nexus"), d.iwwn);
	snprintf(link, sizeof(link), "%s/lun/lun_0/ubmap", d.tpg);
	n = readlink(link, target, sizeof(target) - 1);
	assert_true(n > 0);
	target[n] = '\0';
	assert_string_equal(target, d.core);
	/* What tcm_loop's address attribute and the SCSI bus would show. */
	snprintf(cmd, sizeof(cmd), "echo 7:0:1 > %s/address && mkdir -p %s/sys/bus/scsi/devices/7:0:1:0/block/sdq",
		 d.tpg, root);
	sh("%s", cmd);
	/* /dev/sdq does not exist on the host: found, then not there. */
	assert_int_equal(cfs_find_disk(&d, dev, sizeof(dev), 40), -1);
	assert_string_equal(dev, "/dev/sdq");
}

int run_cfs_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_backstore),
		cmocka_unit_test(test_find_uio),
		cmocka_unit_test(test_loop_and_disk),
	};

	return cmocka_run_group_tests_name("tcmu cfs", tests, setup, teardown);
}
