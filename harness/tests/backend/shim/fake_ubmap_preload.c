// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD stand-in for the ubmap module, so cli_test.sh can run the real
 * ubmapd binary (options, device checks, threads, signals, ready file) on a
 * host without the module.  Opening $FAKE_UBMAP_DEV (default
 * /fake/ubmapc0) yields a memfd laid out like the device; mmap then works
 * unchanged.  The ioctls answer from a fixed geometry:
 *   GET_INFO      2 queues x 4 tags, 64 KiB slots, 64 MiB
 *   COMMIT_FETCH  no requests ever; a blocking fetch sleeps until a signal
 *                 (EINTR), or until FAKE_UBMAP_SHUTDOWN_MS passed since
 *                 open (ESHUTDOWN: the device goes away).
 * Knobs: FAKE_UBMAP_BUSY=1 (open fails EBUSY), FAKE_UBMAP_VERSION=N,
 * FAKE_UBMAP_MAGIC=N.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <linux/ubmap.h>

static int fake_fd = -1;
static struct ubmap_info fake;
static struct timespec opened;

static unsigned long env_ul(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

static int fake_open(void)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd;

	if (env_ul("FAKE_UBMAP_BUSY", 0)) {
		errno = EBUSY;
		return -1;
	}
	memset(&fake, 0, sizeof(fake));
	fake.magic = env_ul("FAKE_UBMAP_MAGIC", UBMAP_MAGIC);
	fake.abi_version = env_ul("FAKE_UBMAP_VERSION", UBMAP_ABI_VERSION);
	fake.nr_queues = 2;
	fake.queue_depth = 4;
	fake.slot_size = 64 * 1024;
	fake.logical_block_size = 512;
	fake.capacity = 64ULL << 20;
	fake.desc_offset = 4096;
	fake.ctrl_size = (fake.desc_offset + 8 * sizeof(struct ubmap_io_desc) +
			  page - 1) / page * page;
	fake.data_offset = fake.ctrl_size;
	fake.data_size = 8ULL * fake.slot_size;
	strcpy(fake.mode, "preload-fake");

	fd = memfd_create("fake-ubmap", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, fake.data_offset + fake.data_size) ||
	    pwrite(fd, &fake, sizeof(fake), 0) != sizeof(fake)) {
		close(fd);
		errno = EIO;
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &opened);
	fake_fd = fd;
	return fd;
}

static int is_fake_path(const char *path)
{
	const char *dev = getenv("FAKE_UBMAP_DEV");

	return !strcmp(path, dev && *dev ? dev : "/fake/ubmapc0");
}

int open(const char *path, int flags, ...)
{
	static int (*real_open)(const char *, int, ...);
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (is_fake_path(path))
		return fake_open();
	if (!real_open)
		real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...)
	__attribute__((alias("open")));

static long ms_since_open(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - opened.tv_sec) * 1000 +
	       (now.tv_nsec - opened.tv_nsec) / 1000000;
}

static int fake_commit_fetch(struct ubmap_batch *b)
{
	long shutdown_ms = env_ul("FAKE_UBMAP_SHUTDOWN_MS", 0), left = -1;

	if (b->queue >= fake.nr_queues || b->reserved[0] || b->reserved[1] ||
	    b->reserved[2] || b->reserved[3] || b->nr_completions) {
		errno = EINVAL;	/* nothing was handed out to complete */
		return -1;
	}
	b->nr_completed = 0;
	b->nr_fetched = 0;
	if (shutdown_ms) {
		left = shutdown_ms - ms_since_open();
		if (left <= 0) {
			errno = ESHUTDOWN;
			return -1;
		}
	}
	if (b->flags & UBMAP_BATCH_NOWAIT)
		return 0;
	/* Sleep like the module would; a signal interrupts it. */
	if (poll(NULL, 0, left) < 0)
		return -1;
	errno = ESHUTDOWN;
	return -1;
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real_ioctl)(int, unsigned long, ...);
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd == fake_fd && fd >= 0) {
		switch (req) {
		case UBMAP_IOC_GET_INFO:
			memcpy(arg, &fake, sizeof(fake));
			return 0;
		case UBMAP_IOC_COMMIT_FETCH:
			return fake_commit_fetch(arg);
		default:
			errno = ENOTTY;
			return -1;
		}
	}
	if (!real_ioctl)
		real_ioctl = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	return real_ioctl(fd, req, arg);
}

int close(int fd)
{
	static int (*real_close)(int);

	if (fd == fake_fd)
		fake_fd = -1;
	if (!real_close)
		real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
	return real_close(fd);
}
