// SPDX-License-Identifier: GPL-2.0
/*
 * Our own target: ubmap.ko with the cell's queues and mode, ubmapd serving
 * the cell's store.  Every group gets a freshly loaded module: this module
 * does not take a second backend once the first has gone (the ctrl mmap
 * stays -EBUSY), and a reload costs a fraction of a second anyway.
 */
#include <limits.h>
#include <stdio.h>

#include "snapshot.h"
#include "target.h"
#include "util.h"

static int ubmap_start(const struct target_env *e, const struct cell *c,
		       struct target_dev *d, char *err)
{
	const struct ubmap_paths *p = e->paths;
	char log[PATH_MAX], params[160 + KO_PARAMS_MAX + 2];

	if (module_loaded() && module_unload(err))
		return -1;
	snprintf(params, sizeof(params),
		 "nr_queues=%u queue_depth=%u max_io_kb=%lu capacity_mb=%lu mode=%s%s%s",
		 c->queues, e->queue_depth, e->max_io >> 10, TARGET_SIZE_MB,
		 c->mode, p->ko_params ? " " : "", p->ko_params ? p->ko_params : "");
	if (module_load(p, params, err))
		return -1;
	klog_mark("ubmap-bench: insmod ubmap %s", params);
	d->module_ours = true;
	/* The parameter sets it already; the sysfs write checks it took. */
	if (mode_set(p, c->mode, err))
		return -1;
	snprintf(log, sizeof(log), "%s/ubmapd-%s-%s-q%u.log", e->logdir,
		 c->mode, c->store, c->queues);
	if (backend_start(&d->be, p, c->store, e->workdir, log, err))
		return -1;
	snprintf(d->dev, sizeof(d->dev), "%s", p->dev);
	d->stats = p->stats;
	return 0;
}

static int ubmap_stop(struct target_dev *d, char *err)
{
	int ret = backend_stop(&d->be, err);
	char e2[ERR_LEN];

	/* The first error is the one to report; the module goes either way. */
	if (d->module_ours && module_unload(e2) && !ret) {
		snprintf(err, ERR_LEN, "%s", e2);
		ret = -1;
	}
	d->module_ours = false;
	return ret;
}

const struct target_ops target_ubmap = {
	.name = TARGET_UBMAP,
	.stores = (const char *const[]){ "null", "ram", "file", NULL },
	.start = ubmap_start,
	.stop = ubmap_stop,
};
