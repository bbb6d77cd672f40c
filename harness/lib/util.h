/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers every part of ubmap-bench uses: strings, sizes, files, time. */
#ifndef LIB_UTIL_H
#define LIB_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Error text travels in a caller's buffer of this size, never via stderr. */
#define ERR_LEN		256

/* A growable, NULL-terminated argv. */
struct strv {
	char **v;
	size_t n, cap;
};

void strv_add(struct strv *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strv_free(struct strv *s);
/* One shell-quoted line, for logs and records; caller frees. */
char *strv_join(const struct strv *s);

/* Leading and trailing blanks removed in place; returns s. */
char *strtrim(char *s);

/*
 * "4k", "64K", "1m", "512": bytes, binary units (fio's meaning of k and m).
 * Returns 0, or -1 for anything else (no sign, no fraction, no overflow).
 */
int parse_size(const char *s, unsigned long *bytes);
/* The shortest exact form: 4096 -> "4k", 1048576 -> "1m", 1536 -> "1536". */
void format_size(unsigned long bytes, char *buf, size_t len);
int parse_uint(const char *s, unsigned long *v);

/* Whole file, NUL-terminated, malloc'd; works on /proc and debugfs files. */
char *read_file(const char *path, size_t *len);
int write_file(const char *path, const char *text);

double now_mono(void);		/* seconds, CLOCK_MONOTONIC */
double now_real(void);		/* seconds since the epoch */
/* ISO 8601 UTC with seconds: 2024-05-01T12:34:56Z. */
void format_time(double epoch, char *buf, size_t len);
/* "45s", "6m", "1h20m": short, for progress lines. */
void format_duration(double secs, char *buf, size_t len);

/*
 * With UBMAP_BENCH_TRACE set, one timestamped line on stderr: where the
 * harness spends its time, for tuning it.
 */
void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Is there an executable NAME in $PATH? */
bool in_path(const char *name);

#endif /* LIB_UTIL_H */
