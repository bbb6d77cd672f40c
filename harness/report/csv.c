// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

void csv_field(struct strbuf *out, const char *s, bool first)
{
	if (!first)
		sb_putc(out, ',');
	if (!strpbrk(s, ",\"\n")) {
		sb_puts(out, s);
		return;
	}
	sb_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			sb_putc(out, '"');
		if (*s != '\n')
			sb_putc(out, *s);
	}
	sb_putc(out, '"');
}

void csv_num(struct strbuf *out, double v)
{
	/* Empty, not 0, for what was not measured. */
	if (isnan(v))
		sb_putc(out, ',');
	else
		sb_printf(out, ",%.6g", v);
}

void csv_free(struct csv *c)
{
	for (size_t i = 0; i < c->n; i++) {
		for (size_t f = 0; f < c->nf[i]; f++)
			free(c->row[i][f]);
		free(c->row[i]);
	}
	free(c->row);
	free(c->nf);
	memset(c, 0, sizeof(*c));
}

static void csv_push(char ***out, size_t *nf, struct strbuf *f)
{
	*out = realloc(*out, (*nf + 1) * sizeof(char *));
	if (!*out)
		abort();
	(*out)[(*nf)++] = strdup(sb_str(f));
	sb_free(f);
}

/* RFC 4180 fields: "a ""quoted"" one", commas inside quotes. */
static void csv_parse_line(const char *p, char ***out, size_t *nf)
{
	struct strbuf f = STRBUF_INIT;
	bool quoted = false;

	*out = NULL;
	*nf = 0;
	for (;; p++) {
		if (quoted && *p) {
			if (*p != '"')
				sb_putc(&f, *p);
			else if (p[1] == '"')
				sb_putc(&f, *p++);
			else
				quoted = false;
		} else if (*p == '"') {
			quoted = true;
		} else if (*p == ',') {
			csv_push(out, nf, &f);
		} else if (!*p || *p == '\n' || *p == '\r') {
			csv_push(out, nf, &f);
			return;
		} else {
			sb_putc(&f, *p);
		}
	}
}

int csv_load(const char *path, struct csv *c)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;

	memset(c, 0, sizeof(*c));
	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		if (line[0] == '\n')
			continue;
		c->row = realloc(c->row, (c->n + 1) * sizeof(*c->row));
		c->nf = realloc(c->nf, (c->n + 1) * sizeof(*c->nf));
		if (!c->row || !c->nf)
			abort();
		csv_parse_line(line, &c->row[c->n], &c->nf[c->n]);
		c->n++;
	}
	free(line);
	fclose(f);
	return 0;
}

int csv_col(const struct csv *c, const char *name)
{
	for (size_t f = 0; c->n && f < c->nf[0]; f++)
		if (!strcmp(c->row[0][f], name))
			return f;
	return -1;
}

const char *csv_get(const struct csv *c, size_t row, int col)
{
	return col >= 0 && (size_t)col < c->nf[row] ? c->row[row][col] : "";
}

double csv_double(const struct csv *c, size_t row, int col)
{
	const char *s = csv_get(c, row, col);
	char *end;
	double v = strtod(s, &end);

	return *s && !*end ? v : NAN;
}
