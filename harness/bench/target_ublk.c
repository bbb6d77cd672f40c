// SPDX-License-Identifier: GPL-2.0
/*
 * ublk (6.1's, built from Debian's source into kmods/ublk/ublk_drv.ko) with
 * our server harness/build/ubmap-ublkd on the same stores as ubmapd.  The
 * server's contract: `ubmap-ublkd --store S [--path FILE] --size BYTES
 * --queues N --depth D --max-io BYTES --ready-file F` writes the device's
 * path (/dev/ublkbN) into F (atomically) once it serves it; SIGTERM stops
 * it and deletes the device.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "snapshot.h"
#include "target.h"
#include "util.h"

#define UBLK_CONTROL	"/dev/ublk-control"
#define READY_SECS	30

static int load_driver(const struct ubmap_paths *p, struct target_dev *d,
		       char *err)
{
	int fd, ret, e;

	if (target_module_loaded("ublk_drv"))
		return 0;	/* built in or loaded: either serves */
	fd = open(p->ublk_ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, ERR_LEN, "ublk_drv.ko not built (make module): %.150s", p->ublk_ko);
		return TARGET_UNAVAILABLE;
	}
	ret = syscall(SYS_finit_module, fd, "", 0);
	e = errno;
	close(fd);
	if (ret) {
		snprintf(err, ERR_LEN, "insmod %.150s: %s", p->ublk_ko, strerror(e));
		/* Built for another kernel: this one cannot have it. */
		return e == ENOEXEC || e == EINVAL ? TARGET_UNAVAILABLE : -1;
	}
	d->module_ours = true;
	if (wait_node(UBLK_CONTROL, 10)) {
		snprintf(err, ERR_LEN, "ublk_drv loaded but %s did not appear", UBLK_CONTROL);
		return -1;
	}
	return 0;
}

static int ublk_start(const struct target_env *e, const struct cell *c,
		      struct target_dev *d, char *err)
{
	char log[PATH_MAX];
	struct strv a = { 0 };
	int ret;

	/* The driver first: without it no server of ours could help. */
	ret = load_driver(e->paths, d, err);
	if (ret)
		return ret;
	if (access(e->paths->ublkd, X_OK)) {
		snprintf(err, ERR_LEN, "ubmap-ublkd not built: %.150s", e->paths->ublkd);
		return TARGET_UNAVAILABLE;
	}
	snprintf(d->be.ready, sizeof(d->be.ready), "%s/ublkd.ready", e->workdir);
	snprintf(log, sizeof(log), "%s/ublkd-%s-q%u.log", e->logdir, c->store,
		 c->queues);
	strv_add(&a, "%s", e->paths->ublkd);
	strv_add(&a, "--store=%s", c->store);
	if (!strcmp(c->store, "file"))
		strv_add(&a, "--path=%s", e->paths->store_file);
	strv_add(&a, "--size=%lu", TARGET_SIZE_MB << 20);
	strv_add(&a, "--queues=%u", c->queues);
	strv_add(&a, "--depth=%u", e->queue_depth);
	strv_add(&a, "--max-io=%lu", e->max_io);
	strv_add(&a, "--ready-file=%s", d->be.ready);
	strv_add(&a, "--quiet");
	klog_mark("ubmap-bench: ubmap-ublkd --store %s --queues %u", c->store,
		  c->queues);
	ret = target_serve(d, a.v, log, READY_SECS, SIGKILL, 5, err);
	strv_free(&a);
	if (ret)
		return -1;
	d->be.store = c->store;
	return 0;
}

static int ublk_stop(struct target_dev *d, char *err)
{
	int ret = backend_stop(&d->be, err);
	char e2[ERR_LEN];

	if (d->module_ours && target_rmmod("ublk_drv", e2) && !ret) {
		snprintf(err, ERR_LEN, "%s", e2);
		ret = -1;
	}
	d->module_ours = false;
	return ret;
}

const struct target_ops target_ublk = {
	.name = "ublk",
	.stores = (const char *const[]){ "null", "ram", "file", NULL },
	.start = ublk_start,
	.stop = ublk_stop,
};
