// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "matrix.h"

const struct setting settings[SET_COUNT] = {
	[SET_REPEAT] = {
		.name = "repeat", .var = "REPEAT", .type = AXIS_UINT,
		.min = 1, .max = 100, .def = "1",
		.help = "runs of every cell (outermost loop)",
	},
	[SET_MAX_IO] = {
		.name = "max_io", .var = "MAX_IO", .type = AXIS_SIZE,
		.min = 1UL << 20, .max = 8UL << 20, .def = "1m",
		.help = "module max_io_kb: largest request, a power of 2",
	},
	[SET_QUEUE_DEPTH] = {
		.name = "queue_depth", .var = "QUEUE_DEPTH", .type = AXIS_UINT,
		.min = 2, .max = 1024, .def = "32",
		.help = "module queue_depth: tags per hardware queue",
	},
	[SET_PREFILL] = {
		.name = "prefill", .var = "PREFILL", .type = AXIS_UINT,
		.min = 0, .max = 1, .def = "1",
		.help = "1: write the device once per backend start (ram, file), unmeasured",
	},
	[SET_SEED] = {
		.name = "seed", .var = "SEED", .type = AXIS_UINT,
		.min = 0, .max = 0xffffffffUL, .def = "0",
		.help = "seed of the random order (0: a fresh one, printed and kept in run.json)",
	},
	[SET_ORDER] = {
		.name = "order", .var = "ORDER", .type = AXIS_ENUM,
		.values = (const char *const[]){ "random", "grouped", NULL },
		.def = "random",
		.help = "random: groups and the cells in each shuffled every repeat; grouped: matrix order",
	},
	[SET_WARMUP] = {
		.name = "warmup", .var = "WARMUP", .type = AXIS_UINT,
		.min = 0, .max = 600, .def = "2",
		.help = "seconds of unmeasured I/O per group before the first repeat (0: none)",
	},
};

static void errf(char *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void errf(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, ERR_LEN, fmt, ap);
	va_end(ap);
}

int setting_find(const char *name)
{
	for (int i = 0; i < SET_COUNT; i++)
		if (!strcmp(settings[i].name, name))
			return i;
	return -1;
}

static void names_join(const char *const *values, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; *values && used < len; values++)
		used += snprintf(buf + used, len - used, "%s%s",
				 used ? ", " : "", *values);
}

static int parse_number(enum axis_type type, const char *name,
			const char *text, unsigned long min, unsigned long max,
			unsigned long *v, char *err)
{
	char lo[32], hi[32];

	if (type == AXIS_SIZE) {
		if (parse_size(text, v)) {
			errf(err, "%s: '%s' is not a size (e.g. 4k, 1m)", name, text);
			return -1;
		}
		format_size(min, lo, sizeof(lo));
		format_size(max, hi, sizeof(hi));
	} else {
		if (parse_uint(text, v)) {
			errf(err, "%s: '%s' is not a whole number", name, text);
			return -1;
		}
		snprintf(lo, sizeof(lo), "%lu", min);
		snprintf(hi, sizeof(hi), "%lu", max);
	}
	if (*v < min || *v > max) {
		errf(err, "%s: %s is out of range %s..%s", name, text, lo, hi);
		return -1;
	}
	return 0;
}

static int parse_rw(const struct axis *ax, const char *text,
		    union axis_val *v, char *err)
{
	char name[32];
	const char *colon = strchr(text, ':');
	size_t n = colon ? (size_t)(colon - text) : strlen(text);
	unsigned long mix = 50;
	bool mixed;
	int i;

	snprintf(name, sizeof(name), "%.*s", (int)n, text);
	i = axis_value_index(ax, name);
	mixed = i >= 0 && rw_mixed(&(struct rw_spec){ .name = ax->values[i] });
	if (i < 0) {
		char valid[128];

		names_join(ax->values, valid, sizeof(valid));
		errf(err, "rw: unknown pattern '%s' (valid: %s)", name, valid);
		return -1;
	}
	if (colon && !mixed) {
		errf(err, "rw: '%s' is not mixed; only rw and randrw take :READ%%",
		     name);
		return -1;
	}
	if (colon && (parse_uint(colon + 1, &mix) || mix > 100)) {
		errf(err, "rw: read share '%s' is not a percentage 0..100",
		     colon + 1);
		return -1;
	}
	v->rw.name = ax->values[i];
	v->rw.mixread = mixed ? mix : 0;
	return 0;
}

static bool val_equal(const struct axis *ax, const union axis_val *a,
		      const union axis_val *b)
{
	switch (ax->type) {
	case AXIS_ENUM:
		return a->str == b->str;
	case AXIS_SIZE:
		return a->size == b->size;
	case AXIS_UINT:
		return a->uint == b->uint;
	case AXIS_RW:
		return a->rw.name == b->rw.name && a->rw.mixread == b->rw.mixread;
	}
	return false;
}

static int list_add(const struct axis *ax, struct axis_list *l,
		    const union axis_val *v, const char *text, char *err)
{
	for (unsigned int i = 0; i < l->n; i++)
		if (val_equal(ax, &l->v[i], v)) {
			errf(err, "%s: '%s' is listed twice", ax->name, text);
			return -1;
		}
	if (l->n == AXIS_MAX_VALUES) {
		errf(err, "%s: more than %d values", ax->name, AXIS_MAX_VALUES);
		return -1;
	}
	l->v[l->n++] = *v;
	return 0;
}

static int parse_one(const struct axis *ax, const char *text,
		     struct axis_list *l, char *err)
{
	union axis_val v;
	unsigned long num;
	char valid[160];
	int i;

	switch (ax->type) {
	case AXIS_ENUM:
		if (ax->all && !strcmp(text, ax->all)) {
			for (i = 0; ax->values[i]; i++) {
				v.str = ax->values[i];
				if (list_add(ax, l, &v, v.str, err))
					return -1;
			}
			return 0;
		}
		i = axis_value_index(ax, text);
		if (i < 0) {
			names_join(ax->values, valid, sizeof(valid));
			errf(err, "%s: unknown value '%s' (valid: %s%s%s)",
			     ax->name, text, valid, ax->all ? ", " : "",
			     ax->all ? ax->all : "");
			return -1;
		}
		v.str = ax->values[i];
		break;
	case AXIS_SIZE:
		if (parse_number(AXIS_SIZE, ax->name, text, ax->min, ax->max,
				 &num, err))
			return -1;
		/* O_DIRECT needs whole logical blocks. */
		if (num % 512) {
			errf(err, "%s: %s is not a multiple of 512", ax->name,
			     text);
			return -1;
		}
		v.size = num;
		break;
	case AXIS_UINT:
		if (parse_number(AXIS_UINT, ax->name, text, ax->min, ax->max,
				 &num, err))
			return -1;
		v.uint = num;
		break;
	case AXIS_RW:
		if (parse_rw(ax, text, &v, err))
			return -1;
		break;
	}
	return list_add(ax, l, &v, text, err);
}

/* "a, b ,c" into l; an empty item is an error, not skipped. */
static int parse_list(const struct axis *ax, const char *text,
		      struct axis_list *l, char *err)
{
	char *copy = strdup(text), *p = copy, *item;
	int ret = 0;

	if (!copy)
		abort();
	l->n = 0;
	do {
		item = p;
		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
		item = strtrim(item);
		if (!*item) {
			errf(err, "%s: empty value in '%s'", ax->name, text);
			ret = -1;
			break;
		}
		ret = parse_one(ax, item, l, err);
	} while (!ret && p);
	free(copy);
	return ret;
}

static int parse_setting(int id, const char *text, unsigned long *v, char *err)
{
	const struct setting *s = &settings[id];

	if (strchr(text, ',')) {
		errf(err, "%s: takes one value, not a list", s->name);
		return -1;
	}
	if (s->type == AXIS_ENUM) {
		char valid[128];

		for (*v = 0; s->values[*v]; (*v)++)
			if (!strcmp(s->values[*v], text))
				return 0;
		names_join(s->values, valid, sizeof(valid));
		errf(err, "%s: unknown value '%s' (valid: %s)", s->name, text, valid);
		return -1;
	}
	if (parse_number(s->type, s->name, text, s->min, s->max, v, err))
		return -1;
	/* The module insists on it, so say so before a guest boots. */
	if (id == SET_MAX_IO && (*v & (*v - 1))) {
		errf(err, "%s: %s is not a power of 2", s->name, text);
		return -1;
	}
	return 0;
}

void matrix_init(struct matrix *m)
{
	char err[ERR_LEN];

	memset(m, 0, sizeof(*m));
	/* The defaults are part of the table: a bad one is a bug here. */
	for (int i = 0; i < AX_COUNT; i++)
		if (parse_list(&axes[i], axes[i].def, &m->axis[i], err))
			abort();
	for (int i = 0; i < SET_COUNT; i++)
		if (parse_setting(i, settings[i].def, &m->set[i], err))
			abort();
}

const struct axis_list *matrix_axis(const struct matrix *m, unsigned int b,
				    int a)
{
	if (b < m->nblocks && m->block[b].axis[a].n)
		return &m->block[b].axis[a];
	return &m->axis[a];
}

unsigned int matrix_nblocks(const struct matrix *m)
{
	return m->nblocks ? m->nblocks : 1;
}

/* "[name]": a new block; [a-z0-9_.-], for it names cells' groups in messages. */
static int parse_block(struct matrix *m, char *line, unsigned int lineno,
		       char *err)
{
	size_t n = strlen(line);
	char *name;

	if (line[n - 1] != ']') {
		errf(err, "a block starts with '[name]'");
		return -1;
	}
	line[n - 1] = '\0';
	name = strtrim(line + 1);
	if (!*name || strlen(name) >= sizeof(m->block[0].name) ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_.-") != strlen(name)) {
		errf(err, "block name '%s': 1..%zu of [a-z0-9_.-]", name,
		     sizeof(m->block[0].name) - 1);
		return -1;
	}
	for (unsigned int i = 0; i < m->nblocks; i++)
		if (!strcmp(m->block[i].name, name)) {
			errf(err, "block [%s] again (first at line %u)", name,
			     m->block[i].line);
			return -1;
		}
	if (m->nblocks == MATRIX_MAX_BLOCKS) {
		errf(err, "more than %d blocks", MATRIX_MAX_BLOCKS);
		return -1;
	}
	snprintf(m->block[m->nblocks].name, sizeof(m->block[0].name), "%s", name);
	m->block[m->nblocks++].line = lineno;
	return 0;
}

/* One "key = values" line; err gets the reason without the location. */
static int parse_line(struct matrix *m, char *line, unsigned int lineno,
		      char *err)
{
	char *eq = strchr(line, '='), *key, *val;
	struct axis_list *target;
	int id;

	if (line[0] == '[')
		return parse_block(m, line, lineno, err);

	if (!eq) {
		errf(err, "expected 'key = value[, value...]'");
		return -1;
	}
	*eq = '\0';
	key = strtrim(line);
	val = strtrim(eq + 1);
	if (!*key) {
		errf(err, "missing key before '='");
		return -1;
	}
	if (!*val) {
		errf(err, "%s: no value after '='", key);
		return -1;
	}
	id = axis_find(key);
	if (id >= 0) {
		target = m->nblocks ? &m->block[m->nblocks - 1].axis[id] :
			 &m->axis[id];
		if (target->line) {
			errf(err, "%s: set again (first at line %u)", key,
			     target->line);
			return -1;
		}
		if (parse_list(&axes[id], val, target, err))
			return -1;
		target->line = lineno;
		return 0;
	}
	id = setting_find(key);
	if (id >= 0) {
		if (m->nblocks) {
			errf(err, "%s: settings are run-wide; set it before the first [block]",
			     key);
			return -1;
		}
		if (m->set_line[id]) {
			errf(err, "%s: set again (first at line %u)", key,
			     m->set_line[id]);
			return -1;
		}
		if (parse_setting(id, val, &m->set[id], err))
			return -1;
		m->set_line[id] = lineno;
		return 0;
	}
	{
		char valid[256];
		size_t used = 0;

		for (int i = 0; i < AX_COUNT; i++)
			used += snprintf(valid + used, sizeof(valid) - used,
					 "%s, ", axes[i].name);
		for (int i = 0; i < SET_COUNT && used < sizeof(valid); i++)
			used += snprintf(valid + used, sizeof(valid) - used,
					 "%s%s", settings[i].name,
					 i + 1 < SET_COUNT ? ", " : "");
		errf(err, "unknown key '%s' (valid: %s)", key, valid);
	}
	return -1;
}

int matrix_load_text(struct matrix *m, const char *name, const char *text,
		     char *err)
{
	char *copy = strdup(text), *p = copy, *line, reason[ERR_LEN];
	unsigned int lineno = 0;
	int ret = 0;

	if (!copy)
		abort();
	snprintf(m->path, sizeof(m->path), "%s", name);
	while (p && *p) {
		line = p;
		p = strchr(p, '\n');
		if (p)
			*p++ = '\0';
		lineno++;
		/* No axis value contains '#': a comment starts anywhere. */
		line[strcspn(line, "#")] = '\0';
		line = strtrim(line);
		if (!*line)
			continue;
		if (parse_line(m, line, lineno, reason)) {
			errf(err, "%s:%u: %s", name, lineno, reason);
			ret = -1;
			break;
		}
	}
	free(copy);
	return ret;
}

int matrix_load(struct matrix *m, const char *path, char *err)
{
	char *text = read_file(path, NULL);
	int ret;

	if (!text) {
		errf(err, "%s: cannot read: %m", path);
		return -1;
	}
	if (memchr(text, '\0', strlen(text) + 1) != text + strlen(text)) {
		free(text);
		errf(err, "%s: not a text file", path);
		return -1;
	}
	ret = matrix_load_text(m, path, text, err);
	free(text);
	return ret;
}

int matrix_override(struct matrix *m, const char *key, const char *text,
		    char *err)
{
	char reason[ERR_LEN];
	int id = axis_find(key);

	if (id >= 0) {
		struct axis_list l = { 0 };

		if (parse_list(&axes[id], text, &l, reason)) {
			errf(err, "--%s (%s=): %s", key, axes[id].var, reason);
			return -1;
		}
		m->axis[id] = l;	/* line 0: came from the command line */
		/* The command line narrows every block alike. */
		for (unsigned int b = 0; b < m->nblocks; b++)
			m->block[b].axis[id].n = 0;
		return 0;
	}
	id = setting_find(key);
	if (id >= 0) {
		if (parse_setting(id, text, &m->set[id], reason)) {
			errf(err, "--%s (%s=): %s", key, settings[id].var,
			     reason);
			return -1;
		}
		m->set_line[id] = 0;
		return 0;
	}
	errf(err, "unknown option '--%s'", key);
	return -1;
}

static int check_bs(const struct matrix *m, const struct axis_list *bs,
		    char *err)
{
	unsigned long max_io = m->set[SET_MAX_IO];

	for (unsigned int i = 0; i < bs->n; i++) {
		char b[32], mx[32];

		if (bs->v[i].size <= max_io)
			continue;
		format_size(bs->v[i].size, b, sizeof(b));
		format_size(max_io, mx, sizeof(mx));
		if (bs->line)
			errf(err, "%s:%u: bs: %s exceeds the device's max I/O %s (max_io)",
			     m->path, bs->line, b, mx);
		else
			errf(err, "--bs (BS=): %s exceeds the device's max I/O %s (max_io)",
			     b, mx);
		return -1;
	}
	return 0;
}

int matrix_check(const struct matrix *m, char *err)
{
	if (check_bs(m, &m->axis[AX_BS], err))
		return -1;
	for (unsigned int b = 0; b < m->nblocks; b++)
		if (check_bs(m, &m->block[b].axis[AX_BS], err))
			return -1;
	return 0;
}

void axis_list_format(const struct axis *ax, const struct axis_list *l,
		      char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < l->n && used < len; i++) {
		char one[48];

		axis_format(ax, &l->v[i], one, sizeof(one));
		used += snprintf(buf + used, len - used, "%s%s",
				 i ? ", " : "", one);
	}
}

void matrix_describe(FILE *f)
{
	char valid[160];

	fprintf(f, "Axes (a list each; the cells are every combination):\n");
	for (int i = 0; i < AX_COUNT; i++) {
		const struct axis *ax = &axes[i];

		if (ax->values) {
			names_join(ax->values, valid, sizeof(valid));
		} else if (ax->type == AXIS_SIZE) {
			char lo[32], hi[32];

			format_size(ax->min, lo, sizeof(lo));
			format_size(ax->max, hi, sizeof(hi));
			snprintf(valid, sizeof(valid), "%s..%s", lo, hi);
		} else {
			snprintf(valid, sizeof(valid), "%lu..%lu", ax->min, ax->max);
		}
		fprintf(f, "  %-11s %-12s %s\n  %-11s %-12s values: %s%s%s; default %s\n",
			ax->name, ax->var, ax->help, "", "", valid,
			ax->all ? " or " : "", ax->all ? ax->all : "", ax->def);
	}
	fprintf(f, "Settings (one value each):\n");
	for (int i = 0; i < SET_COUNT; i++) {
		const struct setting *s = &settings[i];

		valid[0] = '\0';
		if (s->values)
			names_join(s->values, valid, sizeof(valid));
		fprintf(f, "  %-11s %-12s %s%s%s; default %s\n", s->name, s->var,
			s->help, *valid ? "; values: " : "", valid, s->def);
	}
}

void setting_format(const struct matrix *m, int id, char *buf, size_t len)
{
	const struct setting *s = &settings[id];

	if (s->type == AXIS_SIZE)
		format_size(m->set[id], buf, len);
	else if (s->type == AXIS_ENUM)
		snprintf(buf, len, "%s", s->values[m->set[id]]);
	else
		snprintf(buf, len, "%lu", m->set[id]);
}

void matrix_vars(FILE *f)
{
	for (int i = 0; i < AX_COUNT; i++)
		fprintf(f, "%s %s\n", axes[i].var, axes[i].name);
	for (int i = 0; i < SET_COUNT; i++)
		fprintf(f, "%s %s\n", settings[i].var, settings[i].name);
}

void matrix_write(const struct matrix *m, FILE *f)
{
	char buf[512];

	fprintf(f, "# effective matrix (from %s and the command line)\n",
		m->path[0] ? m->path : "defaults");
	for (int i = 0; i < AX_COUNT; i++) {
		axis_list_format(&axes[i], &m->axis[i], buf, sizeof(buf));
		fprintf(f, "%-11s = %s\n", axes[i].name, buf);
	}
	for (int i = 0; i < SET_COUNT; i++) {
		setting_format(m, i, buf, sizeof(buf));
		fprintf(f, "%-11s = %s\n", settings[i].name, buf);
	}
	for (unsigned int b = 0; b < m->nblocks; b++) {
		fprintf(f, "[%s]\n", m->block[b].name);
		for (int i = 0; i < AX_COUNT; i++) {
			if (!m->block[b].axis[i].n)
				continue;
			axis_list_format(&axes[i], &m->block[b].axis[i], buf,
					 sizeof(buf));
			fprintf(f, "%-11s = %s\n", axes[i].name, buf);
		}
	}
}

static json_t *list_json(int a, const struct axis_list *l)
{
	json_t *j = json_array();
	char buf[64];

	for (unsigned int k = 0; k < l->n; k++) {
		axis_format(&axes[a], &l->v[k], buf, sizeof(buf));
		json_array_append_new(j, json_string(buf));
	}
	return j;
}

json_t *matrix_json(const struct matrix *m)
{
	json_t *o = json_object(), *ax = json_object(), *set = json_object();
	char buf[64];

	for (int i = 0; i < AX_COUNT; i++)
		json_object_set_new(ax, axes[i].name, list_json(i, &m->axis[i]));
	if (m->nblocks) {
		json_t *blocks = json_array();

		for (unsigned int b = 0; b < m->nblocks; b++) {
			json_t *one = json_object(), *bax = json_object();

			for (int i = 0; i < AX_COUNT; i++)
				if (m->block[b].axis[i].n)
					json_object_set_new(bax, axes[i].name,
							    list_json(i, &m->block[b].axis[i]));
			json_object_set_new(one, "name", json_string(m->block[b].name));
			json_object_set_new(one, "axes", bax);
			json_array_append_new(blocks, one);
		}
		json_object_set_new(o, "blocks", blocks);
	}
	for (int i = 0; i < SET_COUNT; i++) {
		setting_format(m, i, buf, sizeof(buf));
		json_object_set_new(set, settings[i].name, json_string(buf));
	}
	json_object_set_new(o, "axes", ax);
	json_object_set_new(o, "settings", set);
	return o;
}
