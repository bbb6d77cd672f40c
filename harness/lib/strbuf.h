/* SPDX-License-Identifier: GPL-2.0 */
/* A growable string: reports are built in memory, then written at once. */
#ifndef LIB_STRBUF_H
#define LIB_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *s;
	size_t len, cap;
};

#define STRBUF_INIT	{ NULL, 0, 0 }

void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
void sb_pad(struct strbuf *sb, char c, size_t n);
/* The string so far ("" when empty); stays owned by sb. */
const char *sb_str(const struct strbuf *sb);
void sb_free(struct strbuf *sb);

/*
 * text filled into lines of at most width columns; every line starts
 * with indent, the first with first (same length as indent) if not NULL.
 * Words longer than a line are not split.
 */
void sb_wrap(struct strbuf *sb, const char *text, const char *first,
	     const char *indent, size_t width);

/* Display columns of a UTF-8 string (µ, ±, × count one). */
size_t utf8_width(const char *s);

#endif /* LIB_STRBUF_H */
