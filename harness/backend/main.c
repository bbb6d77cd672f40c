// SPDX-License-Identifier: GPL-2.0
/*
 * ubmapd: the ubmap backend daemon.  Wires the pieces together: options,
 * device, store, one thread per queue, the ready file, and a clean stop on
 * SIGINT/SIGTERM.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "device.h"
#include "fsutil.h"
#include "log.h"
#include "queue.h"
#include "readyfile.h"
#include "stopsig.h"
#include "store.h"

/* The stop signals (lib/stopsig.c), then this daemon's kick. */
static int setup_signals(sigset_t *wait_mask)
{
	if (stop_signals_setup(wait_mask, QUEUE_KICK_SIGNAL))
		return -1;
	return queue_kick_setup() ? -1 : 0;
}

/*
 * Written under a temporary name and renamed, so a script that sees the
 * file can read all of it.  Lines are "key value", like the stats file.
 */
static int write_ready_file(const char *path, const struct ubmapd_dev *dev,
			    const char *store, unsigned int max_fetch)
{
	char text[4096];

	snprintf(text, sizeof(text),
		 "pid %d\ndev %s\nmode %s\nstore %s\nnr_queues %u\n"
		 "queue_depth %u\nslot_size %u\ncapacity %llu\nbatch %u\n",
		 (int)getpid(), dev->path, dev->info.mode, store,
		 dev->info.nr_queues, dev->info.queue_depth,
		 dev->info.slot_size, (unsigned long long)dev->info.capacity,
		 max_fetch);
	if (write_text(path, text)) {
		ub_err("cannot create ready file %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void print_stats(const struct queue *queues, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++) {
		const struct queue_stats *st = &queues[i].st;

		ub_info("queue %u: %llu requests in %llu ioctls (%.1f per fetch), %llu waits on the store, %llu I/O errors, %llu bad descriptors",
			i, st->fetched, st->ioctls,
			st->ioctls ? (double)st->fetched / st->ioctls : 0.0,
			st->waits, st->io_errors, st->bad_desc);
	}
}

int main(int argc, char **argv)
{
	struct ubmapd_args args;
	struct ubmapd_dev dev;
	struct store store;
	struct store_params sp;
	struct queue *queues = NULL;
	struct queue_group group;
	unsigned int nr = 0, max_fetch;
	sigset_t wait_mask;
	int ret, status = EXIT_FAILURE;
	bool threads = false;

	switch (args_parse(argc, argv, &args, stdout, stderr)) {
	case ARGS_OK:
		break;
	case ARGS_EXIT:
		return EXIT_SUCCESS;
	default:
		return UBMAPD_EXIT_USAGE;
	}
	log_quiet = args.quiet;
	if (setup_signals(&wait_mask)) {
		ub_err("cannot set up signals: %s", strerror(errno));
		return EXIT_FAILURE;
	}
	/* A stale ready file would tell a waiting script we are up. */
	if (ready_file_clear(args.ready_file)) {
		ub_err("cannot remove stale ready file %s: %s", args.ready_file,
		       strerror(errno));
		return EXIT_FAILURE;
	}

	if (dev_open(&dev, args.dev))
		return EXIT_FAILURE;
	max_fetch = args.batch;
	if (!max_fetch || max_fetch > dev.info.queue_depth) {
		if (max_fetch)
			ub_info("--batch %u is above the queue depth; using %u",
				max_fetch, dev.info.queue_depth);
		max_fetch = dev.info.queue_depth;
	}

	memset(&sp, 0, sizeof(sp));
	sp.path = args.file;
	sp.capacity = dev.info.capacity;
	sp.nr_queues = dev.info.nr_queues;
	sp.queue_depth = dev.info.queue_depth;
	sp.slot_size = dev.info.slot_size;
	sp.logical_block_size = dev.info.logical_block_size;
	ret = store_open(&store, store_find(args.store), &sp);
	if (ret) {
		ub_err("cannot open the %s store: %s", args.store, strerror(-ret));
		goto out_dev;
	}

	queues = calloc(dev.info.nr_queues, sizeof(*queues));
	if (!queues) {
		ub_err("out of memory");
		goto out_store;
	}
	for (nr = 0; nr < dev.info.nr_queues; nr++) {
		if (queue_init(&queues[nr], &dev, &store, nr, max_fetch,
			       &stop_requested)) {
			ub_err("out of memory");
			goto out_queues;
		}
	}

	ret = queue_group_start(&group, queues, nr, &stop_requested);
	threads = true;
	if (ret)
		goto out_threads;
	ub_info("serving %s: mode %s, %u queues x %u tags, slot %u bytes, capacity %llu bytes, store %s, batch %u",
		dev.path, dev.info.mode, dev.info.nr_queues,
		dev.info.queue_depth, dev.info.slot_size,
		(unsigned long long)dev.info.capacity, args.store, max_fetch);
	if (args.ready_file &&
	    write_ready_file(args.ready_file, &dev, args.store, max_fetch))
		goto out_threads;

	/* Sleep until told to stop or until a queue thread gave up. */
	while (!atomic_load(&stop_requested) && !queue_group_any_exited(&group))
		sigsuspend(&wait_mask);
	status = EXIT_SUCCESS;

out_threads:
	if (threads && queue_group_stop(&group))
		status = EXIT_FAILURE;
	ready_file_clear(args.ready_file);
	print_stats(queues, nr);
out_queues:
	for (unsigned int i = 0; i < nr; i++)
		queue_exit(&queues[i]);
	free(queues);
out_store:
	store_close(&store);
out_dev:
	dev_close(&dev);
	return status;
}
