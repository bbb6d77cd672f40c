// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-ublkd: a ublk server (Linux 6.1's ublk_drv, legacy opcodes) on the
 * same stores as ubmapd, so ublk and ubmap differ only in the kernel path.
 * Life of a device: ADD_DEV, SET_PARAMS, every queue thread fetching,
 * START_DEV, the ready file; on SIGINT/SIGTERM STOP_DEV (the kernel gives
 * every tag back), join, DEL_DEV.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctrl.h"
#include "ioq.h"
#include "log.h"
#include "options.h"
#include "readyfile.h"
#include "stopsig.h"
#include "store.h"

/* devtmpfs makes the nodes a moment after the kernel adds the devices. */
#define NODE_WAIT_MS	5000

/* The stop signals (lib/stopsig.c), then this daemon's kick. */
static int setup_signals(sigset_t *wait_mask)
{
	if (stop_signals_setup(wait_mask, IOQ_KICK_SIGNAL))
		return -1;
	return ioq_kick_setup();
}

static int wait_for_node(const char *path)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };

	for (int ms = 0; ms < NODE_WAIT_MS; ms += 10) {
		if (!access(path, F_OK))
			return 0;
		nanosleep(&tick, NULL);
	}
	ub_err("%s did not appear within %d ms (is devtmpfs mounted on /dev?)",
	       path, NODE_WAIT_MS);
	return -1;
}

static int ctrl_do(struct ctrl *ctl, __u32 op, const struct ublksrv_ctrl_cmd *c)
{
	int ret = ctrl_run(ctl, op, c);

	if (ret < 0)
		ub_err("%s of device %d: %s%s", ctrl_op_name(op), (int)c->dev_id,
		       strerror(-ret), ret == -EPERM ? " (needs CAP_SYS_ADMIN)" : "");
	return ret;
}

static int delete_device(int id)
{
	struct ublksrv_ctrl_cmd c;
	struct ctrl ctl;
	int ret;

	if (ctrl_open(&ctl))
		return EXIT_FAILURE;
	ctrl_build_simple(id, 0, &c);
	ret = ctrl_do(&ctl, UBLK_CMD_DEL_DEV, &c);
	ctrl_close(&ctl);
	if (!ret)
		ub_info("deleted ublk device %d", id);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* ADD_DEV, and the kernel must have taken our geometry as it is. */
static int add_device(struct ctrl *ctl, const struct ublkd_opts *o,
		      struct ublksrv_ctrl_dev_info *info)
{
	struct ublksrv_ctrl_cmd c;
	int ret;

	ctrl_build_add(o, info, &c);
	ret = ctrl_do(ctl, UBLK_CMD_ADD_DEV, &c);
	if (ret < 0)
		return ret;
	if (info->nr_hw_queues != o->queues) {
		ub_err("the kernel gives device %u %u queues, not %u (at most one per CPU)",
		       info->dev_id, info->nr_hw_queues, o->queues);
		return -EINVAL;
	}
	if (info->queue_depth != o->depth || info->max_io_buf_bytes != o->max_io) {
		ub_err("the kernel changed device %u's depth to %u and max I/O to %u bytes",
		       info->dev_id, info->queue_depth, info->max_io_buf_bytes);
		return -EINVAL;
	}
	return 0;
}

static void print_stats(const struct ioq *queues, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++) {
		const struct ioq_stats *st = &queues[i].st;

		ub_info("queue %u: %llu requests (%llu reads, %llu writes, %llu flushes; %llu bytes read, %llu bytes written) in %llu io_uring_enter (%.1f per enter), %llu waits on the store, %llu I/O errors, %llu bad descriptors, %llu tags given back",
			i, st->served, st->reads, st->writes, st->flushes,
			st->read_bytes, st->write_bytes, st->enters,
			st->enters ? (double)st->served / st->enters : 0.0,
			st->waits, st->io_errors, st->bad_iod, st->aborted);
	}
}

struct server {
	struct ublkd_opts o;
	struct ctrl ctl;
	struct ublksrv_ctrl_dev_info info;
	bool added;
	struct store store;
	bool store_open;
	struct ioq_shared sh;
	struct ioq *queues;
	unsigned int nr_init;
	struct ioq_group group;
	bool threads;
	char cdev[64], bdev[64];
};

/* Everything up to a started disk; 0, or -1 with the reason logged. */
static int server_start(struct server *s)
{
	const struct ublkd_opts *o = &s->o;
	struct ublksrv_ctrl_cmd c;
	struct ublk_params params;
	struct store_params sp;
	int ret;

	if (ctrl_open(&s->ctl))
		return -1;
	if (add_device(&s->ctl, o, &s->info)) {
		s->added = s->info.dev_id != (__u32)-1;
		return -1;
	}
	s->added = true;
	ctrl_build_params(o, &params, s->info.dev_id, &c);
	if (ctrl_do(&s->ctl, UBLK_CMD_SET_PARAMS, &c))
		return -1;

	memset(&sp, 0, sizeof(sp));
	sp.path = o->path;
	sp.capacity = o->size;
	sp.nr_queues = o->queues;
	sp.queue_depth = o->depth;
	sp.slot_size = o->max_io;
	sp.logical_block_size = 1U << UBLKD_SECTOR_SHIFT;
	ret = store_open(&s->store, store_find(o->store), &sp);
	if (ret) {
		ub_err("cannot open the %s store: %s", o->store, strerror(-ret));
		return -1;
	}
	s->store_open = true;

	snprintf(s->cdev, sizeof(s->cdev), "/dev/ublkc%u", s->info.dev_id);
	snprintf(s->bdev, sizeof(s->bdev), "/dev/ublkb%u", s->info.dev_id);
	if (wait_for_node(s->cdev))
		return -1;
	s->sh.cdev_fd = open(s->cdev, O_RDWR | O_CLOEXEC);
	if (s->sh.cdev_fd < 0) {
		ub_err("cannot open %s: %s", s->cdev, strerror(errno));
		return -1;
	}
	s->sh.store = &s->store;
	s->sh.geo.dev_sectors = o->size >> UBLKD_SECTOR_SHIFT;
	s->sh.geo.max_io = o->max_io;
	s->sh.geo.queue_depth = o->depth;

	s->queues = calloc(o->queues, sizeof(*s->queues));
	if (!s->queues) {
		ub_err("out of memory");
		return -1;
	}
	for (; s->nr_init < o->queues; s->nr_init++) {
		if (ioq_init(&s->queues[s->nr_init], &s->sh, s->nr_init, o->depth)) {
			ub_err("out of memory");
			return -1;
		}
	}
	s->threads = true;
	if (ioq_group_start(&s->group, s->queues, s->nr_init))
		return -1;

	/* Every tag is fetching, so this does not wait for the queues. */
	ctrl_build_simple(s->info.dev_id, getpid(), &c);
	if (ctrl_do(&s->ctl, UBLK_CMD_START_DEV, &c))
		return -1;
	return wait_for_node(s->bdev);
}

/* Undo server_start, whatever it got to; 0 if every step worked. */
static int server_stop(struct server *s)
{
	struct ublksrv_ctrl_cmd c;
	int ret = 0;

	if (s->threads) {
		/* STOP_DEV ends the disk and gives back every tag it holds. */
		ctrl_build_simple(s->info.dev_id, 0, &c);
		if (ctrl_do(&s->ctl, UBLK_CMD_STOP_DEV, &c)) {
			/*
			 * Threads with commands out cannot finish exiting;
			 * the driver's monitor fails them once we are gone.
			 */
			ioq_group_hard_stop(&s->group);
			ub_err("leaving device %u to the driver: delete it with ubmap-ublkd --delete %u",
			       s->info.dev_id, s->info.dev_id);
			return -1;
		}
		if (ioq_group_join(&s->group))
			ret = -1;
		print_stats(s->queues, s->nr_init);
	}
	for (unsigned int i = 0; i < s->nr_init; i++)
		ioq_exit(&s->queues[i]);
	free(s->queues);
	/* DEL_DEV waits until nothing holds the char device. */
	if (s->sh.cdev_fd >= 0)
		close(s->sh.cdev_fd);
	if (s->added) {
		ctrl_build_simple(s->info.dev_id, 0, &c);
		if (ctrl_do(&s->ctl, UBLK_CMD_DEL_DEV, &c))
			ret = -1;
	}
	if (s->store_open)
		store_close(&s->store);
	ctrl_close(&s->ctl);
	return ret;
}

int main(int argc, char **argv)
{
	static struct server s;
	sigset_t wait_mask;
	int status = EXIT_FAILURE;

	log_prefix = "ubmap-ublkd";
	switch (opts_parse(argc, argv, &s.o, stdout, stderr)) {
	case OPTS_OK:
		break;
	case OPTS_EXIT:
		return EXIT_SUCCESS;
	default:
		return UBLKD_EXIT_USAGE;
	}
	log_quiet = s.o.quiet;
	if (s.o.delete_id >= 0)
		return delete_device(s.o.delete_id);
	if (setup_signals(&wait_mask)) {
		ub_err("cannot set up signals: %s", strerror(errno));
		return EXIT_FAILURE;
	}
	/* A stale ready file would tell a waiting script we are up. */
	if (ready_file_clear(s.o.ready_file)) {
		ub_err("cannot remove stale ready file %s: %s", s.o.ready_file,
		       strerror(errno));
		return EXIT_FAILURE;
	}
	s.sh.cdev_fd = -1;
	s.ctl.fd = -1;
	s.info.dev_id = (__u32)-1;

	if (server_start(&s))
		goto out;
	ub_info("serving %s: %u queues x %u tags, max I/O %u bytes, size %llu bytes, store %s",
		s.bdev, s.o.queues, s.o.depth, s.o.max_io,
		(unsigned long long)s.o.size, s.o.store);
	if (ready_file_write_disk(s.o.ready_file, s.bdev)) {
		ub_err("cannot write ready file %s: %s", s.o.ready_file,
		       strerror(errno));
		goto out;
	}
	/* Sleep until told to stop or until a queue thread gave up. */
	while (!atomic_load(&stop_requested) && !ioq_group_any_failed(&s.group))
		sigsuspend(&wait_mask);
	status = ioq_group_any_failed(&s.group) ? EXIT_FAILURE : EXIT_SUCCESS;
	if (status)
		ub_err("a queue failed; stopping the device");
out:
	if (server_stop(&s))
		status = EXIT_FAILURE;
	ready_file_clear(s.o.ready_file);
	return status;
}
