// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-tcmud: a tcmu backend (target_core_user behind tcm_loop) on the
 * same stores as ubmapd, so tcmu and ubmap differ only in the kernel path.
 * Life of a disk: modprobe, the user backstore enabled (its UIO device
 * appears), mmap of the ring, the serving thread, then the tcm_loop LUN
 * (the disk probes through us), the ready file.  On SIGINT/SIGTERM: the LUN
 * goes first (while we still serve its last SYNCHRONIZE CACHE), then the
 * thread, the ring, the backstore.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cfs.h"
#include "log.h"
#include "options.h"
#include "readyfile.h"
#include "serve.h"
#include "stopsig.h"
#include "store.h"

#define KICK_SIGNAL	SIGUSR1
#define NODE_WAIT_MS	5000
#define DISK_WAIT_MS	30000

struct server {
	struct tcmud_opts o;
	struct cfs_dev cd;
	bool backstore, loop;
	struct store store;
	bool store_open;
	int uio_fd, stop_fd;
	void *map;
	size_t map_size;
	struct serve sv;
	bool sv_init;
	pthread_t main, thread;
	bool thread_started;
	atomic_int thread_done;
	int thread_ret;
	char uio[64], disk[64];
};

static void on_kick(int sig)
{
	(void)sig;
}

static void *serve_thread(void *arg)
{
	struct server *s = arg;

	s->thread_ret = serve_run(&s->sv);
	atomic_store(&s->thread_done, 1);
	pthread_kill(s->main, KICK_SIGNAL);
	return NULL;
}

static int open_node(const char *path)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };

	for (int ms = 0; ms < NODE_WAIT_MS; ms += 10) {
		int fd = open(path, O_RDWR | O_CLOEXEC);

		if (fd >= 0 || errno != ENOENT)
			return fd;
		nanosleep(&tick, NULL);
	}
	errno = ENOENT;
	return -1;
}

static int server_start(struct server *s)
{
	const struct tcmud_opts *o = &s->o;
	struct store_params sp = { 0 };
	struct scsi_geom g = { o->size >> TCMUD_BLOCK_SHIFT, TCMUD_BLOCK_SHIFT };
	int ret;

	if (cfs_load_modules())
		return -1;
	if (cfs_backstore_create(&s->cd, o->size, 1U << TCMUD_BLOCK_SHIFT,
				 TCMUD_MAX_IO, o->cmd_timeout))
		return -1;
	s->backstore = true;
	if (cfs_find_uio(&s->cd, s->uio, sizeof(s->uio), &s->map_size))
		return -1;
	s->uio_fd = open_node(s->uio);
	if (s->uio_fd < 0) {
		ub_err("cannot open %s: %s%s", s->uio, strerror(errno),
		       errno == EBUSY ? " (another backend has it)" : "");
		return -1;
	}
	s->map = mmap(NULL, s->map_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      s->uio_fd, 0);
	if (s->map == MAP_FAILED) {
		s->map = NULL;
		ub_err("cannot map %zu bytes of %s: %s", s->map_size, s->uio,
		       strerror(errno));
		return -1;
	}
	if (ring_attach(&s->sv.ring, s->map, s->map_size)) {
		ub_err("%s: not a tcmu mailbox of version %d", s->uio,
		       TCMU_MAILBOX_VERSION);
		return -1;
	}

	sp.path = o->path;
	sp.capacity = o->size;
	sp.nr_queues = 1;
	sp.queue_depth = SERVE_TAGS;
	sp.slot_size = TCMUD_MAX_IO;
	sp.logical_block_size = 1U << TCMUD_BLOCK_SHIFT;
	ret = store_open(&s->store, store_find(o->store), &sp);
	if (ret) {
		ub_err("cannot open the %s store: %s", o->store, strerror(-ret));
		return -1;
	}
	s->store_open = true;
	s->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (s->stop_fd < 0 || serve_init(&s->sv, &s->store, &g, s->uio_fd, s->stop_fd)) {
		ub_err("cannot set up the ring loop: %s", strerror(errno));
		return -1;
	}
	s->sv_init = true;
	s->main = pthread_self();
	if (pthread_create(&s->thread, NULL, serve_thread, s)) {
		ub_err("cannot start the serving thread");
		return -1;
	}
	s->thread_started = true;

	if (cfs_loop_create(&s->cd))
		return -1;
	s->loop = true;
	return cfs_find_disk(&s->cd, s->disk, sizeof(s->disk), DISK_WAIT_MS);
}

static void print_stats(const struct serve_stats *st)
{
	ub_info("ring: %llu commands (%llu reads, %llu writes, %llu flushes, %llu emulated; %llu bytes read, %llu bytes written), %llu check conditions, %llu I/O errors, %llu pad/tmr entries, %llu notifies (%.1f commands per notify), %llu sleeps",
		st->served + st->checks, st->reads, st->writes, st->flushes,
		st->emulated, st->read_bytes, st->write_bytes, st->checks,
		st->io_errors, st->skipped, st->notifies,
		st->notifies ? (double)(st->served + st->checks) / st->notifies : 0.0,
		st->sleeps);
}

static int server_stop(struct server *s)
{
	__u64 one = 1;
	int ret = 0;

	/* The LUN first: removing the disk still needs us to serve. */
	if (s->loop && cfs_loop_remove(&s->cd))
		ret = -1;
	if (s->thread_started) {
		if (write(s->stop_fd, &one, sizeof(one)) != sizeof(one))
			ret = -1;
		pthread_join(s->thread, NULL);
		if (s->thread_ret) {
			ub_err("the ring loop failed: %s", strerror(-s->thread_ret));
			ret = -1;
		}
		print_stats(&s->sv.st);
	}
	if (s->sv_init)
		serve_exit(&s->sv);
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	if (s->map)
		munmap(s->map, s->map_size);
	if (s->uio_fd >= 0)
		close(s->uio_fd);
	if (s->backstore && cfs_backstore_remove(&s->cd))
		ret = -1;
	if (s->store_open)
		store_close(&s->store);
	return ret;
}

static int teardown(const struct cfs_dev *cd)
{
	int ret = cfs_loop_remove(cd);

	ret |= cfs_backstore_remove(cd);
	if (!ret)
		ub_info("nothing is left of backstore %s or its tcm_loop LUN", cd->name);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	static struct server s;
	struct sigaction sa = { .sa_handler = on_kick };
	sigset_t wait_mask;
	int status = EXIT_FAILURE;

	log_prefix = "ubmap-tcmud";
	switch (tcmud_opts_parse(argc, argv, &s.o, stdout, stderr)) {
	case TOPTS_OK:
		break;
	case TOPTS_EXIT:
		return EXIT_SUCCESS;
	default:
		return TCMUD_EXIT_USAGE;
	}
	log_quiet = s.o.quiet;
	if (cfs_dev_init(&s.cd, s.o.name)) {
		ub_err("backstore name '%s' does not fit", s.o.name);
		return TCMUD_EXIT_USAGE;
	}
	if (s.o.teardown)
		return teardown(&s.cd);
	sigemptyset(&sa.sa_mask);
	if (stop_signals_setup(&wait_mask, KICK_SIGNAL) ||
	    sigaction(KICK_SIGNAL, &sa, NULL)) {
		ub_err("cannot set up signals: %s", strerror(errno));
		return EXIT_FAILURE;
	}
	if (ready_file_clear(s.o.ready_file)) {
		ub_err("cannot remove stale ready file %s: %s", s.o.ready_file,
		       strerror(errno));
		return EXIT_FAILURE;
	}
	s.uio_fd = s.stop_fd = -1;

	if (server_start(&s))
		goto out;
	ub_info("serving %s (tcmu %s, backstore %s, %s): size %llu bytes, store %s",
		s.disk, s.uio, s.cd.name, s.cd.wwn, (unsigned long long)s.o.size,
		s.o.store);
	if (ready_file_write_disk(s.o.ready_file, s.disk)) {
		ub_err("cannot write ready file %s: %s", s.o.ready_file,
		       strerror(errno));
		goto out;
	}
	while (!atomic_load(&stop_requested) && !atomic_load(&s.thread_done))
		sigsuspend(&wait_mask);
	status = atomic_load(&s.thread_done) ? EXIT_FAILURE : EXIT_SUCCESS;
	if (status)
		ub_err("the ring loop ended by itself; removing the disk");
out:
	if (server_stop(&s))
		status = EXIT_FAILURE;
	ready_file_clear(s.o.ready_file);
	return status;
}
