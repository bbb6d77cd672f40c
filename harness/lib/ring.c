// SPDX-License-Identifier: GPL-2.0
/* A minimal backend (ring.h). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ring.h"

int ring_open(struct ring *r)
{
	int err;

	memset(r, 0, sizeof(*r));
	r->fd = open(RING_CHAR_DEV, O_RDWR);
	if (r->fd < 0)
		return -errno;
	if (ioctl(r->fd, UBMAP_IOC_GET_INFO, &r->info))
		goto fail;
	/* Handles, not tags, since ABI 2: an older module would mislead. */
	if (r->info.abi_version != UBMAP_ABI_VERSION) {
		errno = EPROTO;
		goto fail;
	}
	r->ctrl = mmap(NULL, r->info.ctrl_size, PROT_READ, MAP_SHARED, r->fd, 0);
	if (r->ctrl == MAP_FAILED)
		goto fail;
	r->data = mmap(NULL, r->info.data_size, PROT_READ | PROT_WRITE,
		       MAP_SHARED, r->fd, r->info.data_offset);
	if (r->data == MAP_FAILED) {
		r->data = NULL;
		goto fail;
	}
	return 0;
fail:
	err = -errno;
	ring_close(r);
	return err;
}

void ring_close(struct ring *r)
{
	if (r->ctrl && r->ctrl != MAP_FAILED)
		munmap(r->ctrl, r->info.ctrl_size);
	if (r->data)
		munmap(r->data, r->info.data_size);
	if (r->fd >= 0)
		close(r->fd);
	r->ctrl = NULL;
	r->data = NULL;
	r->fd = -1;
}

int ring_batch(struct ring *r, uint32_t queue, uint32_t flags,
	       const struct ubmap_completion *c, uint32_t nc, uint32_t *tags,
	       uint32_t max, struct ubmap_batch *out)
{
	struct ubmap_batch b = {
		.queue = queue, .flags = flags,
		.completions = (uintptr_t)c, .nr_completions = nc,
		.tags = (uintptr_t)tags, .max_fetch = max,
	};
	int ret = ioctl(r->fd, UBMAP_IOC_COMMIT_FETCH, &b);

	if (out)
		*out = b;
	return ret ? -errno : 0;
}

const struct ubmap_io_desc *ring_desc(const struct ring *r, uint32_t queue,
				      uint32_t handle)
{
	const struct ubmap_io_desc *d = (const void *)((const char *)r->ctrl +
						       r->info.desc_offset);

	return &d[queue * r->info.queue_depth + UBMAP_HANDLE_TAG(handle)];
}

int ring_fill(int fd, uint8_t *window, const struct ubmap_io_desc *d, uint8_t byte)
{
	uint8_t *buf;
	ssize_t n;
	int err;

	if (!(d->flags & UBMAP_DESC_F_USER_COPY)) {
		memset(window + d->window_off, byte, d->len);
		return 0;
	}
	buf = malloc(d->len);
	if (!buf)
		return -ENOMEM;
	memset(buf, byte, d->len);
	n = pwrite(fd, buf, d->len, UBMAP_USER_COPY_OFF + d->window_off);
	err = n == (ssize_t)d->len ? 0 : n < 0 ? -errno : -EIO;
	free(buf);
	return err;
}

long long ring_stat(const char *key)
{
	unsigned long long v;
	long long found = -1;
	char k[64];
	FILE *f = fopen(RING_STATS, "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %llu", k, &v) == 2)
		if (!strcmp(k, key)) {
			found = (long long)v;
			break;
		}
	fclose(f);
	return found;
}

static __thread sigjmp_buf probe_jmp;

static void probe_handler(int sig)
{
	siglongjmp(probe_jmp, sig);
}

int ring_probe(volatile uint8_t *p, int write)
{
	struct sigaction sa = { .sa_handler = probe_handler }, obus, osegv;
	int sig;

	sigaction(SIGBUS, &sa, &obus);
	sigaction(SIGSEGV, &sa, &osegv);
	sig = sigsetjmp(probe_jmp, 1);
	if (!sig && write)
		*p = *p;
	else if (!sig)
		(void)*p;
	sigaction(SIGBUS, &obus, NULL);
	sigaction(SIGSEGV, &osegv, NULL);
	return sig;
}
