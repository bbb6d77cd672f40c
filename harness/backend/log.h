/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tiny logger: every message is one fprintf, so lines from queue threads do
 * not interleave (stdio locks the stream per call).
 */
#ifndef UBMAPD_LOG_H
#define UBMAPD_LOG_H

#include <stdbool.h>
#include <stdio.h>

/* Set once by main before any thread starts; read-only afterwards. */
extern bool log_quiet;
/* Names the program in every line; set once by main. */
extern const char *log_prefix;
/* NULL means stderr; tests point it at a memstream to check messages. */
extern FILE *log_stream;

void log_msg(bool always, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Errors and warnings are printed even with --quiet. */
#define ub_err(...)	log_msg(true, __VA_ARGS__)
#define ub_info(...)	log_msg(false, __VA_ARGS__)

#endif /* UBMAPD_LOG_H */
