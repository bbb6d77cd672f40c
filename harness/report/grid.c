// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"

void grid_init(struct grid *g, size_t cols, size_t key_cols)
{
	memset(g, 0, sizeof(*g));
	if (cols > GRID_MAX_COLS)
		abort();
	g->cols = cols;
	g->key_cols = key_cols;
	for (size_t c = 0; c < cols; c++)
		g->col[c].gap = c ? 2 : 0;
}

void grid_init_base_new(struct grid *g, const char *corner)
{
	grid_init(g, 5, 1);
	g->header_rows = 1;
	g->span_header = true;
	g->col[0].left = true;
	g->col[3].glued = true;
	g->col[3].gap = 1;
	g->col[4].left = true;
	grid_add_row(g);
	grid_set(g, 0, 0, "%s", corner);
	grid_set(g, 0, 1, "base");
	grid_set(g, 0, 2, "new");
}

void grid_free(struct grid *g)
{
	for (size_t i = 0; i < g->rows * g->cols; i++)
		free(g->cell[i]);
	free(g->cell);
	g->cell = NULL;
	g->rows = 0;
}

size_t grid_add_row(struct grid *g)
{
	g->cell = realloc(g->cell, (g->rows + 1) * g->cols * sizeof(*g->cell));
	if (!g->cell)
		abort();
	memset(&g->cell[g->rows * g->cols], 0, g->cols * sizeof(*g->cell));
	return g->rows++;
}

void grid_set(struct grid *g, size_t row, size_t col, const char *fmt, ...)
{
	char **cell = &g->cell[row * g->cols + col];
	va_list ap;

	free(*cell);
	va_start(ap, fmt);
	if (vasprintf(cell, fmt, ap) < 0)
		abort();
	va_end(ap);
}

const char *grid_get(const struct grid *g, size_t row, size_t col)
{
	const char *s = g->cell[row * g->cols + col];

	return s ? s : "";
}

size_t grid_col_width(const struct grid *g, size_t col)
{
	size_t w = 0;

	for (size_t r = g->span_header ? g->header_rows : 0; r < g->rows; r++) {
		size_t n = utf8_width(grid_get(g, r, col));

		if (n > w)
			w = n;
	}
	return w;
}

static size_t span_width(const struct grid *g, const size_t *w, size_t from,
			 size_t to, bool first)
{
	size_t sum = 0;

	for (size_t c = from; c < to; c++)
		sum += w[c] + (first && c == from ? 0 : g->col[c].gap);
	return sum;
}

/* Where the glued group starting at c ends (exclusive). */
static size_t group_end(const struct grid *g, size_t c)
{
	for (c++; c < g->cols && g->col[c].glued; c++)
		;
	return c;
}

/* Every column's width; a spanning header widens its group's first. */
static void widths(const struct grid *g, size_t *w)
{
	for (size_t c = 0; c < g->cols; c++)
		w[c] = grid_col_width(g, c);
	if (!g->span_header || !g->header_rows)
		return;
	for (size_t c = 0; c < g->cols; c = group_end(g, c)) {
		size_t end = group_end(g, c);
		size_t have = span_width(g, w, c, end, true);
		size_t need = utf8_width(grid_get(g, 0, c));

		if (need > have)
			w[c] += need - have;
	}
}

size_t grid_text_width(const struct grid *g)
{
	size_t w[GRID_MAX_COLS];

	widths(g, w);
	return span_width(g, w, 0, g->cols, true);
}

static void put_cell(struct strbuf *out, const struct grid *g, size_t r,
		     size_t c, size_t width, bool first)
{
	const char *s = grid_get(g, r, c);
	size_t pad = width - utf8_width(s);

	if (!first)
		sb_pad(out, ' ', g->col[c].gap);
	if (!g->col[c].left)
		sb_pad(out, ' ', pad);
	sb_puts(out, s);
	if (g->col[c].left)
		sb_pad(out, ' ', pad);
}

/* A header cell over its whole group: right-aligned, or left for labels. */
static void put_span(struct strbuf *out, const struct grid *g,
		     const size_t *w, size_t c, bool first)
{
	size_t end = group_end(g, c);
	size_t span = span_width(g, w, c, end, true);
	const char *s = grid_get(g, 0, c);
	size_t pad = span - utf8_width(s);

	if (!first)
		sb_pad(out, ' ', g->col[c].gap);
	if (!g->col[c].left)
		sb_pad(out, ' ', pad);
	sb_puts(out, s);
	if (g->col[c].left)
		sb_pad(out, ' ', pad);
}

static void put_range(struct strbuf *out, const struct grid *g,
		      const size_t *w, size_t r, size_t from, size_t to)
{
	bool span = g->span_header && r < g->header_rows;

	for (size_t c = from; c < to; c = span ? group_end(g, c) : c + 1) {
		if (span)
			put_span(out, g, w, c, c == 0);
		else
			put_cell(out, g, r, c, w[c], c == 0);
	}
}

static void put_row(struct strbuf *out, const struct grid *g,
		    const size_t *w, size_t r, size_t from, size_t to)
{
	put_range(out, g, w, r, 0, g->key_cols);
	put_range(out, g, w, r, from, to);
}

static void put_block(struct strbuf *out, const struct grid *g,
		      const size_t *w, size_t from, size_t to,
		      const char *indent)
{
	for (size_t r = 0; r < g->rows; r++) {
		size_t start = out->len;

		sb_puts(out, indent);
		put_row(out, g, w, r, from, to);
		/* No trailing blanks: mail clients and diffs dislike them. */
		while (out->len > start && out->s[out->len - 1] == ' ')
			out->s[--out->len] = '\0';
		sb_putc(out, '\n');
	}
}

unsigned int grid_text(const struct grid *g, struct strbuf *out,
		       const char *indent, size_t width)
{
	size_t w[GRID_MAX_COLS], key, c;
	size_t avail = width - utf8_width(indent);
	unsigned int blocks = 0;

	widths(g, w);
	key = span_width(g, w, 0, g->key_cols, true);
	c = g->key_cols;
	if (c == g->cols) {
		put_block(out, g, w, c, c, indent);
		return 1;
	}
	while (c < g->cols) {
		size_t end = group_end(g, c), used = key;

		used += span_width(g, w, c, end, c == 0);
		/* Take whole groups while they fit; always at least one. */
		while (end < g->cols) {
			size_t next = group_end(g, end);
			size_t more = span_width(g, w, end, next, false);

			if (used + more > avail)
				break;
			used += more;
			end = next;
		}
		if (blocks)
			sb_putc(out, '\n');
		put_block(out, g, w, c, end, indent);
		blocks++;
		c = end;
	}
	return blocks;
}

static void md_cell(struct strbuf *out, const char *s)
{
	sb_puts(out, " ");
	for (; *s; s++) {
		/* A literal pipe would end the cell. */
		if (*s == '|')
			sb_putc(out, '\\');
		sb_putc(out, *s);
	}
	sb_puts(out, " |");
}

void grid_markdown(const struct grid *g, struct strbuf *out)
{
	for (size_t r = 0; r < g->rows; r++) {
		sb_putc(out, '|');
		for (size_t c = 0; c < g->cols; c++)
			md_cell(out, grid_get(g, r, c));
		sb_putc(out, '\n');
		if (r + 1 == g->header_rows) {
			sb_putc(out, '|');
			for (size_t c = 0; c < g->cols; c++)
				sb_puts(out, g->col[c].left ? " --- |" : " ---: |");
			sb_putc(out, '\n');
		}
	}
}
