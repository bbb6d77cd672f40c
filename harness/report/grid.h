/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A grid of strings rendered as aligned plain text that fits a width
 * (columns that do not fit go to a further block, the key columns
 * repeated) or as a markdown table.  It knows nothing about metrics.
 */
#ifndef REPORT_GRID_H
#define REPORT_GRID_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

#define GRID_MAX_COLS	32

struct grid_col {
	bool left;		/* left-aligned (labels); numbers go right */
	unsigned int gap;	/* spaces before it in text */
	bool glued;		/* wraps with the column before it */
};

struct grid {
	size_t rows, cols;
	size_t key_cols;	/* leading columns every text block repeats */
	size_t header_rows;	/* the first row is the header (0 or 1) */
	/*
	 * Text: a header cell names its whole glued group, right-aligned
	 * over it, and the group widens to fit it.
	 */
	bool span_header;
	struct grid_col col[GRID_MAX_COLS];
	char **cell;		/* rows x cols, NULL reads as "" */
};

void grid_init(struct grid *g, size_t cols, size_t key_cols);
/*
 * compare's layout, mmtests': label | base | new (change) | verdict, with
 * a header row of @corner ("Amean"), "base" and "new" over new's change.
 */
void grid_init_base_new(struct grid *g, const char *corner);
void grid_free(struct grid *g);
/* Appends an empty row; returns its index. */
size_t grid_add_row(struct grid *g);
void grid_set(struct grid *g, size_t row, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
const char *grid_get(const struct grid *g, size_t row, size_t col);

/* Widest cell of a column, in display columns. */
size_t grid_col_width(const struct grid *g, size_t col);
/* The width one block with every column would take. */
size_t grid_text_width(const struct grid *g);

/*
 * Aligned text, each line at most width columns (unless a single column
 * group is wider by itself), with indent before every line.  Returns the
 * number of blocks it took.
 */
unsigned int grid_text(const struct grid *g, struct strbuf *out,
		       const char *indent, size_t width);
/* A markdown table; header_rows must be 1. */
void grid_markdown(const struct grid *g, struct strbuf *out);

#endif /* REPORT_GRID_H */
