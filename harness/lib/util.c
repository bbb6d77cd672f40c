// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

void strv_add(struct strv *s, const char *fmt, ...)
{
	va_list ap;
	char *str;

	va_start(ap, fmt);
	if (vasprintf(&str, fmt, ap) < 0)
		abort();
	va_end(ap);
	/* +2: the new entry and the terminating NULL. */
	if (s->n + 2 > s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			abort();
	}
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
}

void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Quote only what a shell would split or expand, so the line stays readable. */
static bool needs_quote(const char *a)
{
	if (!*a)
		return true;
	for (; *a; a++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789-_=./:,+%@", *a))
			return true;
	return false;
}

char *strv_join(const struct strv *s)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	for (size_t i = 0; i < s->n; i++) {
		const char *a = s->v[i];

		if (i)
			fputc(' ', f);
		if (!needs_quote(a)) {
			fputs(a, f);
			continue;
		}
		fputc('\'', f);
		for (; *a; a++)
			if (*a == '\'')
				fputs("'\\''", f);
			else
				fputc(*a, f);
		fputc('\'', f);
	}
	fclose(f);
	return buf;
}

char *strtrim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

int parse_uint(const char *s, unsigned long *v)
{
	char *end;

	/* strtoul takes "-1" and leading blanks; a count does not. */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno || *end ? -1 : 0;
}

int parse_size(const char *s, unsigned long *bytes)
{
	unsigned long n, mult = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		mult = 1UL << 10;
		end++;
		break;
	case 'm': case 'M':
		mult = 1UL << 20;
		end++;
		break;
	case 'g': case 'G':
		mult = 1UL << 30;
		end++;
		break;
	default:
		return -1;
	}
	if (*end || n > ULONG_MAX / mult)
		return -1;
	*bytes = n * mult;
	return 0;
}

void format_size(unsigned long bytes, char *buf, size_t len)
{
	static const char units[] = "gmk";

	for (int i = 0; i < 3; i++) {
		unsigned long m = 1UL << (10 * (3 - i));

		if (bytes && bytes % m == 0) {
			snprintf(buf, len, "%lu%c", bytes / m, units[i]);
			return;
		}
	}
	snprintf(buf, len, "%lu", bytes);
}

char *read_file(const char *path, size_t *lenp)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (!buf)
		abort();
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	/* /proc and debugfs report size 0: read until EOF, not st_size. */
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += r;
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(text);
	ssize_t r;
	int saved;

	if (fd < 0)
		return -1;
	r = write(fd, text, len);
	saved = errno;
	close(fd);
	errno = saved;
	if (r >= 0 && (size_t)r != len)
		errno = EIO;
	return r == (ssize_t)len ? 0 : -1;
}

static double ts_sec(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

double now_mono(void)
{
	return ts_sec(CLOCK_MONOTONIC);
}

double now_real(void)
{
	return ts_sec(CLOCK_REALTIME);
}

void format_time(double epoch, char *buf, size_t len)
{
	time_t t = (time_t)epoch;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void format_duration(double secs, char *buf, size_t len)
{
	long s = secs < 0 ? 0 : (long)(secs + 0.5);

	if (s < 60)
		snprintf(buf, len, "%lds", s);
	else if (s < 3600)
		snprintf(buf, len, "%ldm", (s + 30) / 60);
	else
		snprintf(buf, len, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
}

void trace(const char *fmt, ...)
{
	static int on = -1;
	va_list ap;

	if (on < 0)
		on = getenv("UBMAP_BENCH_TRACE") != NULL;
	if (!on)
		return;
	fprintf(stderr, "\ntrace %.3f ", now_mono());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool in_path(const char *name)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	if (strchr(name, '/'))
		return access(name, X_OK) == 0;
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		if (snprintf(buf, sizeof(buf), "%.*s/%s", (int)n,
			     n ? path : ".", name) < (int)sizeof(buf) &&
		    access(buf, X_OK) == 0)
			return true;
		path += n;
		if (*path)
			path++;
	}
	return false;
}
