// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hook.h"
#include "util.h"

int hook_open(struct hook *h, const char *dir, char *err)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->req, sizeof(h->req), "%s/hook.req", dir);
	snprintf(h->ack, sizeof(h->ack), "%s/hook.ack", dir);
	if ((mkfifo(h->req, 0600) && errno != EEXIST) ||
	    (mkfifo(h->ack, 0600) && errno != EEXIST)) {
		snprintf(err, ERR_LEN, "mkfifo in %s: %m", dir);
		return -1;
	}
	/* Read-write: the FIFO never reports EOF between two writers. */
	h->req_fd = open(h->req, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (h->req_fd < 0) {
		snprintf(err, ERR_LEN, "%.200s: %m", h->req);
		return -1;
	}
	/* Read-write too: a reply waits in the FIFO for its reader. */
	h->ack_fd = open(h->ack, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (h->ack_fd < 0) {
		snprintf(err, ERR_LEN, "%.200s: %m", h->ack);
		return -1;
	}
	return 0;
}

void hook_close(struct hook *h)
{
	if (h->req_fd > 0)
		close(h->req_fd);
	if (h->ack_fd > 0)
		close(h->ack_fd);
	h->req_fd = h->ack_fd = -1;
	unlink(h->req);
	unlink(h->ack);
}

void hook_command(const struct hook *h, enum hook_event ev, unsigned int k,
		  char *buf, size_t len)
{
	/* Shell builtins only: the hook costs one sh, no other exec. */
	snprintf(buf, len, "echo %s %u >%s && read -r ok <%s",
		 ev == HOOK_PRE ? "pre" : "post", k, h->req, h->ack);
}

/* One complete line from the buffer, if there is one. */
static enum hook_event take_line(struct hook *h, unsigned int *k)
{
	char *nl = memchr(h->buf, '\n', h->len), word[8];
	enum hook_event ev = HOOK_NONE;
	size_t n;

	if (!nl)
		return HOOK_NONE;
	*nl = '\0';
	if (sscanf(h->buf, "%7s %u", word, k) == 2)
		ev = !strcmp(word, "pre") ? HOOK_PRE :
		     !strcmp(word, "post") ? HOOK_POST : HOOK_NONE;
	n = nl + 1 - h->buf;
	memmove(h->buf, nl + 1, h->len - n);
	h->len -= n;
	return ev;
}

enum hook_event hook_wait(struct hook *h, int timeout_ms, unsigned int *k)
{
	struct pollfd p = { .fd = h->req_fd, .events = POLLIN };
	enum hook_event ev = take_line(h, k);
	ssize_t r;

	if (ev != HOOK_NONE)
		return ev;
	if (poll(&p, 1, timeout_ms) <= 0)
		return HOOK_NONE;	/* timeout, or a signal to look at */
	r = read(h->req_fd, h->buf + h->len, sizeof(h->buf) - 1 - h->len);
	if (r > 0)
		h->len += r;
	if (h->len == sizeof(h->buf) - 1 && !memchr(h->buf, '\n', h->len))
		h->len = 0;		/* garbage: drop it */
	return take_line(h, k);
}

int hook_reply(struct hook *h)
{
	/* Three bytes: atomic in a FIFO, and never more than its buffer holds. */
	return write(h->ack_fd, "ok\n", 3) == 3 ? 0 : -1;
}
