// SPDX-License-Identifier: GPL-2.0
/*
 * tcmu: target_core_user behind tcm_loop (a SCSI disk, /dev/sdX) with our
 * backend harness/build/ubmap-tcmud on the same stores as ubmapd.  The
 * backend's contract: `ubmap-tcmud --store S [--path FILE] --size BYTES
 * --ready-file F` sets up configfs itself, writes the disk's path into F
 * (atomically) once it serves it; SIGTERM removes the disk and backstore.
 * tcmu has one command ring per device, so the queues axis does not apply:
 * every queues value gets the same single-ring server.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "snapshot.h"
#include "target.h"
#include "util.h"

#define READY_SECS	60

/* Ours to unload on stop: the modules we found not loaded. */
static bool loaded_core, loaded_loop;

static int load_modules(char *err)
{
	bool core = target_module_loaded("target_core_user");
	bool loop = target_module_loaded("tcm_loop");

	/* A kernel without them cannot have this target at all. */
	if (!core && target_modprobe(err, "target_core_user", ""))
		return TARGET_UNAVAILABLE;
	loaded_core |= !core;
	if (!loop && target_modprobe(err, "tcm_loop", ""))
		return TARGET_UNAVAILABLE;
	loaded_loop |= !loop;
	/* The disk driver: no udev loads it for the new SCSI device.  Shared, so never unloaded. */
	if (!target_module_loaded("sd_mod") && target_modprobe(err, "sd_mod", ""))
		return TARGET_UNAVAILABLE;
	return 0;
}

static int tcmu_start(const struct target_env *e, const struct cell *c,
		      struct target_dev *d, char *err)
{
	char log[PATH_MAX];
	struct strv a = { 0 };
	int ret;

	ret = load_modules(err);
	if (ret)
		return ret;
	if (access(e->paths->tcmud, X_OK)) {
		snprintf(err, ERR_LEN, "ubmap-tcmud not built: %.150s", e->paths->tcmud);
		return TARGET_UNAVAILABLE;
	}
	snprintf(d->be.ready, sizeof(d->be.ready), "%s/tcmud.ready", e->workdir);
	snprintf(log, sizeof(log), "%s/tcmud-%s.log", e->logdir, c->store);
	strv_add(&a, "%s", e->paths->tcmud);
	strv_add(&a, "--store=%s", c->store);
	if (!strcmp(c->store, "file"))
		strv_add(&a, "--path=%s", e->paths->store_file);
	strv_add(&a, "--size=%lu", TARGET_SIZE_MB << 20);
	strv_add(&a, "--ready-file=%s", d->be.ready);
	strv_add(&a, "--quiet");
	klog_mark("ubmap-bench: ubmap-tcmud --store %s", c->store);
	/* SIGTERM when it is late: it removes what configfs objects it made. */
	ret = target_serve(d, a.v, log, READY_SECS, SIGTERM, 30, err);
	strv_free(&a);
	if (ret)
		return -1;
	d->be.store = c->store;
	return 0;
}

static int tcmu_stop(struct target_dev *d, char *err)
{
	int ret = backend_stop(&d->be, err);
	char e2[ERR_LEN];

	/* tcm_loop holds target_core_mod, not target_core_user: either order. */
	if (loaded_loop && target_rmmod("tcm_loop", e2) && !ret) {
		snprintf(err, ERR_LEN, "%s", e2);
		ret = -1;
	}
	if (loaded_core && target_rmmod("target_core_user", e2) && !ret) {
		snprintf(err, ERR_LEN, "%s", e2);
		ret = -1;
	}
	loaded_loop = loaded_core = false;
	return ret;
}

const struct target_ops target_tcmu = {
	.name = "tcmu",
	.stores = (const char *const[]){ "null", "ram", "file", NULL },
	.start = tcmu_start,
	.stop = tcmu_stop,
};
