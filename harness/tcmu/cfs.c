// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cfs.h"
#include "log.h"

extern char **environ;

const char *cfs_root = "/sys/kernel/config/target";
const char *sys_root = "/sys";

#define HBA		"user_0"
#define LUN		"lun/lun_0"
#define PORT_LINK	"ubmap"

/* FNV-1a: the WWNs follow from the name, so --teardown finds them again. */
static __u64 name_hash(const char *s)
{
	__u64 h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

int cfs_dev_init(struct cfs_dev *d, const char *name)
{
	__u64 h = name_hash(name) & 0xffffffffffULL;
	int n = 0;

	memset(d, 0, sizeof(*d));
	if (!*name || strchr(name, '/') || strlen(name) >= sizeof(d->name))
		return -1;
	strcpy(d->name, name);
	/* NAA 5, the IEEE company id LIO uses (0x001405), our 36 bits. */
	snprintf(d->wwn, sizeof(d->wwn), "naa.5001405%09llx", (unsigned long long)(h >> 4));
	snprintf(d->iwwn, sizeof(d->iwwn), "naa.5001405%09llx",
		 (unsigned long long)((h >> 4) ^ 0x1));
	n |= snprintf(d->core, sizeof(d->core), "%s/core/" HBA "/%s", cfs_root,
		      name) >= (int)sizeof(d->core);
	n |= snprintf(d->tpg, sizeof(d->tpg), "%s/loopback/%s/tpgt_1", cfs_root,
		      d->wwn) >= (int)sizeof(d->tpg);
	n |= snprintf(d->uio_name, sizeof(d->uio_name), "tcm-user/0/%s/ubmap/%s",
		      name, name) >= (int)sizeof(d->uio_name);
	return n ? -1 : 0;
}

static int put(const char *dir, const char *file, const char *text)
{
	char path[512];
	int fd, ret = 0;
	size_t len = strlen(text);

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		ub_err("cannot write '%s' to %s: %s", text, path, strerror(errno));
		ret = -1;
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

static int mkdir_ok(const char *path)
{
	if (mkdir(path, 0755) && errno != EEXIST) {
		ub_err("cannot make %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* rmdir, where gone already is fine. */
static int rmdir_ok(const char *path)
{
	if (rmdir(path) && errno != ENOENT) {
		ub_err("cannot remove %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int cfs_load_modules(void)
{
	/*
	 * sd_mod too: without udev nothing loads the disk driver when
	 * tcm_loop adds the SCSI device, and no /dev/sdX would appear.
	 */
	char *argv[] = { "modprobe", "-a", "target_core_user", "tcm_loop", "sd_mod", NULL };
	char path[300];
	pid_t pid;
	int st;

	if (posix_spawnp(&pid, "modprobe", NULL, NULL, argv, environ)) {
		ub_err("cannot run modprobe: %s", strerror(errno));
		return -1;
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		ub_err("modprobe target_core_user tcm_loop sd_mod failed");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/loopback", cfs_root);
	/* The fabric's directory appears once configfs knows tcm_loop. */
	if (mkdir_ok(path) || access(path, F_OK)) {
		ub_err("%s missing: is configfs mounted on /sys/kernel/config?", path);
		return -1;
	}
	return 0;
}

int cfs_backstore_create(const struct cfs_dev *d, __u64 size,
			 unsigned int block_size, unsigned int max_io,
			 unsigned int cmd_timeout)
{
	char path[512], text[256];

	snprintf(path, sizeof(path), "%s/core/" HBA, cfs_root);
	if (mkdir_ok(path))
		return -1;
	if (!access(d->core, F_OK)) {
		ub_err("backstore %s exists already (ubmap-tcmud --teardown %s)",
		       d->core, d->name);
		return -1;
	}
	if (mkdir_ok(d->core))
		return -1;
	snprintf(text, sizeof(text),
		 "dev_size=%llu,dev_config=ubmap/%s,hw_block_size=%u,hw_max_sectors=%u",
		 (unsigned long long)size, d->name, block_size, max_io / block_size);
	snprintf(path, sizeof(path), "%u", cmd_timeout);
	if (put(d->core, "control", text) ||
	    put(d->core, "attrib/cmd_time_out", path) ||
	    put(d->core, "enable", "1")) {
		cfs_backstore_remove(d);
		return -1;
	}
	return 0;
}

/* Read a sysfs file's first line into @buf; 0 or -1. */
static int get(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int ret = -1;

	if (!f)
		return -1;
	if (fgets(buf, len, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		ret = 0;
	}
	fclose(f);
	return ret;
}

int cfs_find_uio(const struct cfs_dev *d, char *dev, size_t len, size_t *size)
{
	char dir[300], path[600], text[256];
	struct dirent *e;
	DIR *dp;
	int ret = -1;

	snprintf(dir, sizeof(dir), "%s/class/uio", sys_root);
	dp = opendir(dir);
	if (!dp) {
		ub_err("cannot read %s: %s (is uio loaded?)", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(dp))) {
		if (strncmp(e->d_name, "uio", 3))
			continue;
		snprintf(path, sizeof(path), "%s/%s/name", dir, e->d_name);
		if (get(path, text, sizeof(text)) || strcmp(text, d->uio_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s/maps/map0/size", dir, e->d_name);
		if (get(path, text, sizeof(text))) {
			ub_err("cannot read %s", path);
			break;
		}
		*size = strtoull(text, NULL, 0);
		snprintf(dev, len, "/dev/%s", e->d_name);
		ret = 0;
		break;
	}
	closedir(dp);
	if (ret && !e)
		ub_err("no UIO device named %s under %s", d->uio_name, dir);
	return ret;
}

int cfs_loop_create(const struct cfs_dev *d)
{
	char path[600], target[300];

	snprintf(path, sizeof(path), "%s/loopback/%s", cfs_root, d->wwn);
	if (mkdir_ok(path) || mkdir_ok(d->tpg))
		goto fail;
	if (put(d->tpg, "nexus", d->iwwn))
		goto fail;
	/* configfs made lun/ with the tpg (EEXIST); a plain directory has not. */
	snprintf(path, sizeof(path), "%s/lun", d->tpg);
	if (mkdir_ok(path))
		goto fail;
	snprintf(path, sizeof(path), "%s/" LUN, d->tpg);
	if (mkdir_ok(path))
		goto fail;
	/* The link is the export: tcm_loop adds the SCSI device here. */
	snprintf(path, sizeof(path), "%s/" LUN "/" PORT_LINK, d->tpg);
	snprintf(target, sizeof(target), "%s", d->core);
	if (symlink(target, path)) {
		ub_err("cannot link %s to %s: %s", path, target, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	cfs_loop_remove(d);
	return -1;
}

int cfs_find_disk(const struct cfs_dev *d, char *dev, size_t len, int ms)
{
	const struct timespec tick = { 0, 20 * 1000 * 1000 };
	char addr[64], path[400];

	if (get(strcat(strcpy(path, d->tpg), "/address"), addr, sizeof(addr))) {
		ub_err("cannot read %s", path);
		return -1;
	}
	/* "host:0:tpgt" names the SCSI target; our LUN is 0. */
	snprintf(path, sizeof(path), "%s/bus/scsi/devices/%s:0/block", sys_root, addr);
	for (int t = 0; t <= ms; t += 20) {
		DIR *dp = opendir(path);
		struct dirent *e;

		while (dp && (e = readdir(dp))) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(dev, len, "/dev/%s", e->d_name);
			closedir(dp);
			for (; t <= ms; t += 20) {
				if (!access(dev, F_OK))
					return 0;
				nanosleep(&tick, NULL);
			}
			ub_err("%s did not appear (is devtmpfs on /dev?)", dev);
			return -1;
		}
		if (dp)
			closedir(dp);
		nanosleep(&tick, NULL);
	}
	ub_err("no disk under %s after %d ms", path, ms);
	return -1;
}

int cfs_loop_remove(const struct cfs_dev *d)
{
	char path[600];
	int ret = 0;

	snprintf(path, sizeof(path), "%s/" LUN "/" PORT_LINK, d->tpg);
	/* Unlinking removes the SCSI device (sd flushes its cache through us). */
	if (unlink(path) && errno != ENOENT) {
		ub_err("cannot unlink %s: %s", path, strerror(errno));
		ret = -1;
	}
	snprintf(path, sizeof(path), "%s/" LUN, d->tpg);
	ret |= rmdir_ok(path);
	snprintf(path, sizeof(path), "%s/nexus", d->tpg);
	if (!access(path, F_OK)) {
		char now[64];

		if (!get(path, now, sizeof(now)) && strcmp(now, "") && put(d->tpg, "nexus", "NULL"))
			ret = -1;
	}
	ret |= rmdir_ok(d->tpg);
	snprintf(path, sizeof(path), "%s/loopback/%s", cfs_root, d->wwn);
	ret |= rmdir_ok(path);
	/*
	 * The fabric's own directory holds a reference on tcm_loop while it
	 * exists; another user's WWNs under it keep it (ENOTEMPTY, EBUSY).
	 */
	snprintf(path, sizeof(path), "%s/loopback", cfs_root);
	if (!ret && rmdir(path) && errno != ENOENT && errno != ENOTEMPTY && errno != EBUSY)
		ub_err("cannot remove %s: %s", path, strerror(errno));
	return ret ? -1 : 0;
}

int cfs_backstore_remove(const struct cfs_dev *d)
{
	char path[300];
	int ret = rmdir_ok(d->core);

	/* The HBA may serve others' backstores: leave it if it is not empty. */
	snprintf(path, sizeof(path), "%s/core/" HBA, cfs_root);
	if (rmdir(path) && errno != ENOENT && errno != ENOTEMPTY && errno != EBUSY)
		ub_err("cannot remove %s: %s", path, strerror(errno));
	return ret;
}
