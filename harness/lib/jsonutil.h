/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jansson helpers the writers and readers of records share.  The rule both
 * sides keep: "unavailable" is null in the file and NAN in memory, never 0.
 */
#ifndef LIB_JSONUTIL_H
#define LIB_JSONUTIL_H

#include <jansson.h>
#include <stddef.h>

/* NAN (and inf) becomes null; integral values stay integers in the file. */
json_t *jnum(double v);

/* A number member; NAN when absent, null or not a number. */
double jget_num(json_t *o, const char *key);
/* The same, 0 where absent (for sums). */
double jget_numz(json_t *o, const char *key);
/* A non-negative count; 0 when absent or negative. */
unsigned long long jget_count(json_t *o, const char *key);
/* A string member copied into buf; "" when absent. */
void jget_str(json_t *o, const char *key, char *buf, size_t len);
/* Any scalar as text ("" for null, objects, arrays). */
void jscalar_text(json_t *v, char *buf, size_t len);

/* "a.b.c" in nested objects; NULL if absent. */
json_t *json_path(json_t *root, const char *path);

/* Writes path atomically (temporary file + rename), indented, keys sorted. */
int json_write_file(const char *path, json_t *j);

#endif /* LIB_JSONUTIL_H */
