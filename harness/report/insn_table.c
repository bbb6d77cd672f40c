// SPDX-License-Identifier: GPL-2.0
/* Instructions per request by group, from a profiled run's records. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insn_groups.h"
#include "insn_table.h"

#define MAX_ROWS	512

struct insn_row {
	char cell_id[160], label[160];
	unsigned int n;
	double sum[INSN_G_COUNT + 1];	/* the groups, then the total */
};

static void label_of(json_t *cell, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s %s %s",
		 json_string_value(json_object_get(cell, "mode")) ?: "?",
		 json_string_value(json_object_get(cell, "bs_text")) ?: "?",
		 json_string_value(json_object_get(cell, "io")) ?: "?",
		 json_string_value(json_object_get(cell, "rw")) ?: "?");
}

static struct insn_row *row_of(struct insn_row *rows, size_t *n, json_t *rec)
{
	const char *id = json_string_value(json_object_get(rec, "cell_id"));

	if (!id)
		return NULL;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(rows[i].cell_id, id))
			return &rows[i];
	if (*n == MAX_ROWS)
		return NULL;
	memset(&rows[*n], 0, sizeof(rows[*n]));
	snprintf(rows[*n].cell_id, sizeof(rows[*n].cell_id), "%s", id);
	label_of(json_object_get(rec, "cell"), rows[*n].label, sizeof(rows[*n].label));
	return &rows[(*n)++];
}

static void render(const struct insn_row *rows, size_t n, struct strbuf *out)
{
	sb_puts(out, "Instructions per device request by group (mean over repeats; "
		     "idle and wait are not in the total)\n\n");
	sb_printf(out, "%-36s %3s %10s", "cell", "n", "total");
	for (int g = 0; g < INSN_G_COUNT; g++)
		sb_printf(out, " %9s", insn_group_name(g));
	sb_putc(out, '\n');
	for (size_t i = 0; i < n; i++) {
		sb_printf(out, "%-36s %3u %10.0f", rows[i].label, rows[i].n,
			  rows[i].sum[INSN_G_COUNT] / rows[i].n);
		for (int g = 0; g < INSN_G_COUNT; g++)
			sb_printf(out, " %9.0f", rows[i].sum[g] / rows[i].n);
		sb_putc(out, '\n');
	}
}

int insn_table(const char *run_dir, struct strbuf *out, char *err, size_t errlen)
{
	struct insn_row *rows = calloc(MAX_ROWS, sizeof(*rows));
	char path[4200], *line = NULL;
	size_t cap = 0, n = 0;
	FILE *f;

	if (!rows) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/results.jsonl", run_dir);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(rows);
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		json_t *rec = json_loads(line, 0, NULL), *per;
		struct insn_row *r;

		per = json_object_get(json_object_get(rec, "insn"), "per_request");
		if (json_is_object(per) && (r = row_of(rows, &n, rec))) {
			r->n++;
			for (int g = 0; g < INSN_G_COUNT; g++)
				r->sum[g] += json_number_value(json_object_get(per, insn_group_name(g)));
			r->sum[INSN_G_COUNT] += json_number_value(json_object_get(per, "total"));
		}
		json_decref(rec);
	}
	free(line);
	fclose(f);
	if (!n) {
		snprintf(err, errlen, "%s: no record has an insn section (make bench PROFILE=insn)",
			 path);
		free(rows);
		return -1;
	}
	render(rows, n, out);
	free(rows);
	return 0;
}
