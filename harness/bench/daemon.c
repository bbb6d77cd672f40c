// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "util.h"

const struct ubmap_paths ubmap_default_paths = {
	.ko		= "kmods/ubmap/ubmap.ko",
	.ubmapd		= "harness/build/ubmapd",
	.dev		= "/dev/ubmap0",
	.cdev		= "/dev/ubmapc0",
	.sysfs		= "/sys/block/ubmap0/ubmap",
	.stats		= "/sys/kernel/debug/ubmap/ubmap0/stats",
	.store_file	= "/tmp/ubmap-bench-store.img",
	.ublk_ko	= "kmods/ublk/ublk_drv.ko",
	.ublkd		= "harness/build/ubmap-ublkd",
	.tcmud		= "harness/build/ubmap-tcmud",
};

bool module_loaded(void)
{
	return access("/sys/module/ubmap", F_OK) == 0;
}

int wait_node(const char *path, double secs)
{
	double end = now_mono() + secs;

	/* devtmpfs creates nodes asynchronously. */
	while (access(path, F_OK)) {
		if (now_mono() > end)
			return -1;
		usleep(10000);
	}
	return 0;
}

int module_load(const struct ubmap_paths *p, const char *params, char *err)
{
	int fd = open(p->ko, O_RDONLY | O_CLOEXEC), ret, e;

	if (fd < 0) {
		snprintf(err, ERR_LEN, "%s: %m (build it: make -C kmods/ubmap)", p->ko);
		return -1;
	}
	ret = syscall(SYS_finit_module, fd, params, 0);
	e = errno;
	close(fd);
	if (ret) {
		const char *hint = "";

		if (e == EPERM)
			hint = " (this kernel does not let us load modules: run in the VM, VM=1)";
		else if (e == ENOEXEC || e == EINVAL)
			hint = " (built for another kernel, or a bad parameter: see dmesg)";
		else if (e == EEXIST)
			hint = " (already loaded)";
		snprintf(err, ERR_LEN, "insmod %s %s: %s%s", p->ko, params,
			 strerror(e), hint);
		return -1;
	}
	if (wait_node(p->dev, 10) || wait_node(p->cdev, 10) ||
	    wait_node(p->stats, 10)) {
		snprintf(err, ERR_LEN, "module loaded but %s, %s or %s did not appear",
			 p->dev, p->cdev, p->stats);
		return -1;
	}
	return 0;
}

int module_unload(char *err)
{
	double end = now_mono() + 10;

	while (syscall(SYS_delete_module, "ubmap", O_NONBLOCK)) {
		if (errno == ENOENT)
			return 0;
		if ((errno != EBUSY && errno != EAGAIN) || now_mono() > end) {
			snprintf(err, ERR_LEN, "rmmod ubmap: %m");
			return -1;
		}
		usleep(50000);
	}
	return 0;
}

static void sysfs_path(const struct ubmap_paths *p, const char *attr,
		       char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", p->sysfs, attr);
}

bool backend_attached(const struct ubmap_paths *p)
{
	char path[512], *v;
	bool attached;

	sysfs_path(p, "attached", path, sizeof(path));
	v = read_file(path, NULL);
	attached = v && v[0] == '1';
	free(v);
	return attached;
}

int mode_set(const struct ubmap_paths *p, const char *mode, char *err)
{
	char path[512];

	sysfs_path(p, "mode", path, sizeof(path));
	if (write_file(path, mode)) {
		snprintf(err, ERR_LEN, "set mode %s: %m%s", mode,
			 errno == EBUSY ? " (a backend is still attached)" : "");
		return -1;
	}
	return 0;
}

struct prefill_part {
	int fd;
	unsigned long long from, to;
	unsigned long chunk;
	int err;			/* errno, 0 if all written */
};

static void *prefill_part(void *arg)
{
	struct prefill_part *p = arg;
	void *buf;

	if (posix_memalign(&buf, 4096, p->chunk)) {
		p->err = ENOMEM;
		return NULL;
	}
	/* Not zeros: nothing may tell these pages from never-written ones. */
	memset(buf, 0xa5, p->chunk);
	for (unsigned long long off = p->from; off < p->to && !p->err; off += p->chunk) {
		size_t n = p->to - off < p->chunk ? p->to - off : p->chunk;

		if (pwrite(p->fd, buf, n, off) != (ssize_t)n)
			p->err = errno ? errno : EIO;
	}
	free(buf);
	return NULL;
}

int device_prefill(const char *dev, unsigned long chunk,
		   unsigned int writers, char *err)
{
	struct prefill_part part[16];
	pthread_t tid[16];
	unsigned long long size = 0, per;
	int fd = open(dev, O_WRONLY | O_DIRECT | O_CLOEXEC), ret = 0;
	unsigned int i, started = 0;

	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size)) {
		snprintf(err, ERR_LEN, "prefill: %s: %m", dev);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* One writer per backend queue keeps every queue thread busy. */
	writers = writers < 1 ? 1 : writers > 16 ? 16 : writers;
	per = (size / writers + chunk - 1) / chunk * chunk;
	for (i = 0; i < writers; i++) {
		part[i] = (struct prefill_part){
			.fd = fd, .chunk = chunk, .from = i * per,
			.to = (i + 1) * per < size ? (i + 1) * per : size,
		};
		if (pthread_create(&tid[i], NULL, prefill_part, &part[i]))
			break;
		started++;
	}
	for (i = 0; i < started; i++) {
		pthread_join(tid[i], NULL);
		if (part[i].err && !ret) {
			snprintf(err, ERR_LEN, "prefill: write %s: %s", dev,
				 strerror(part[i].err));
			ret = -1;
		}
	}
	if (started < writers && !ret) {
		snprintf(err, ERR_LEN, "prefill: cannot start a writer thread");
		ret = -1;
	}
	close(fd);
	return ret;
}

int backend_start(struct backend *b, const struct ubmap_paths *p,
		  const char *store, const char *workdir, const char *log,
		  char *err)
{
	struct strv a = { 0 };
	double end;
	int status, ret;

	snprintf(b->ready, sizeof(b->ready), "%s/ubmapd.ready", workdir);
	unlink(b->ready);
	strv_add(&a, "%s", p->ubmapd);
	strv_add(&a, "--dev=%s", p->cdev);
	strv_add(&a, "--store=%s", store);
	if (!strcmp(store, "file"))
		strv_add(&a, "--file=%s", p->store_file);
	strv_add(&a, "--ready-file=%s", b->ready);
	strv_add(&a, "--quiet");
	ret = child_spawn(&b->c, a.v, NULL, log, err);
	strv_free(&a);
	if (ret)
		return -1;
	end = now_mono() + 30;
	while (access(b->ready, F_OK)) {
		char how[32];

		if (child_exited(&b->c, &status)) {
			describe_status(status, how, sizeof(how));
			snprintf(err, ERR_LEN, "ubmapd --store %s exited (%s) before it was ready; see %s",
				 store, how, log);
			return -1;
		}
		if (now_mono() > end) {
			child_stop(&b->c, SIGKILL, 5);
			snprintf(err, ERR_LEN, "ubmapd --store %s not ready after 30 s; see %s",
				 store, log);
			return -1;
		}
		usleep(5000);
	}
	b->store = store;
	return 0;
}

bool backend_running(struct backend *b)
{
	int status;

	return b->c.pid && !child_exited(&b->c, &status);
}

int backend_stop(struct backend *b, char *err)
{
	int status;
	char how[32];

	if (!b->c.pid)
		return 0;
	status = child_stop(&b->c, SIGTERM, 10);
	b->store = NULL;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	describe_status(status, how, sizeof(how));
	snprintf(err, ERR_LEN, "ubmapd did not stop cleanly (%s)", how);
	return -1;
}
