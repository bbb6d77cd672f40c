// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static void grow(struct strbuf *sb, size_t more)
{
	if (sb->len + more + 1 <= sb->cap)
		return;
	sb->cap = (sb->len + more + 1) * 2;
	sb->s = realloc(sb->s, sb->cap);
	if (!sb->s)
		abort();
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	grow(sb, n);
	va_start(ap, fmt);
	vsnprintf(sb->s + sb->len, n + 1, fmt, ap);
	va_end(ap);
	sb->len += n;
}

void sb_puts(struct strbuf *sb, const char *s)
{
	size_t n = strlen(s);

	grow(sb, n);
	memcpy(sb->s + sb->len, s, n + 1);
	sb->len += n;
}

void sb_putc(struct strbuf *sb, char c)
{
	grow(sb, 1);
	sb->s[sb->len++] = c;
	sb->s[sb->len] = '\0';
}

void sb_pad(struct strbuf *sb, char c, size_t n)
{
	grow(sb, n);
	memset(sb->s + sb->len, c, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

const char *sb_str(const struct strbuf *sb)
{
	return sb->s ? sb->s : "";
}

void sb_free(struct strbuf *sb)
{
	free(sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
}

size_t utf8_width(const char *s)
{
	size_t w = 0;

	/* Count every byte that does not continue a sequence. */
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

void sb_wrap(struct strbuf *sb, const char *text, const char *first,
	     const char *indent, size_t width)
{
	const char *p = text;
	size_t col = 0;
	int line_words = 0;

	sb_puts(sb, first ? first : indent);
	col = utf8_width(first ? first : indent);
	while (*p) {
		size_t n, w;
		char word[512];

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		n = strcspn(p, " ");
		snprintf(word, sizeof(word), "%.*s", (int)n, p);
		w = utf8_width(word);
		if (line_words && col + 1 + w > width) {
			sb_putc(sb, '\n');
			sb_puts(sb, indent);
			col = utf8_width(indent);
			line_words = 0;
		}
		if (line_words) {
			sb_putc(sb, ' ');
			col++;
		}
		sb_puts(sb, word);
		col += w;
		line_words++;
		p += n;
	}
	sb_putc(sb, '\n');
}
