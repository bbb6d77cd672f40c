// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "jsonutil.h"

json_t *jnum(double v)
{
	if (isnan(v) || isinf(v))
		return json_null();
	/* Counts stay integers in the file. */
	if (v == floor(v) && fabs(v) < 9e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

double jget_num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

double jget_numz(json_t *o, const char *key)
{
	double v = jget_num(o, key);

	return isnan(v) ? 0 : v;
}

unsigned long long jget_count(json_t *o, const char *key)
{
	double v = jget_num(o, key);

	return isnan(v) || v < 0 ? 0 : (unsigned long long)v;
}

void jget_str(json_t *o, const char *key, char *buf, size_t len)
{
	const char *s = json_string_value(json_object_get(o, key));

	snprintf(buf, len, "%s", s ? s : "");
}

void jscalar_text(json_t *v, char *buf, size_t len)
{
	if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, len, "%g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, len, "%s", json_is_true(v) ? "true" : "false");
	else
		buf[0] = '\0';
}

json_t *json_path(json_t *root, const char *path)
{
	char key[64];

	while (root && *path) {
		size_t n = strcspn(path, ".");

		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		root = json_object_get(root, key);
		path += n;
		if (*path == '.')
			path++;
	}
	return root;
}

int json_write_file(const char *path, json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS |
				JSON_REAL_PRECISION(10));
	int ret;

	if (!text)
		return -1;
	ret = write_text(path, text);
	free(text);
	return ret;
}
