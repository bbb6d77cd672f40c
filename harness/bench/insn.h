/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instruction profile around each cell (make bench PROFILE=insn): when
 * the guest was booted with ubmap-insn.so ($UBMAP_INSN_DIR set), a window
 * opens last thing before the cell's I/O and closes first thing after, and
 * the record gets an "insn" section: the window's instructions by group
 * (harness/lib/insn_groups.c), in total, per I/O and per device request.
 */
#ifndef BENCH_INSN_H
#define BENCH_INSN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Whether this run is profiled: the guest has the plugin's directory. */
bool insn_enabled(void);

/* The window of cell @id, repeat @rep; 0, or -1 with @err set. */
int insn_cell_start(const char *id, unsigned int rep, char *err, size_t errlen);
int insn_cell_stop(char *err, size_t errlen);

/**
 * insn_section() - the record's "insn" section for a window
 * @id, @rep: the cell's, as given to insn_cell_start()
 * @ios: I/Os fio completed; @reqs: requests the device served (NAN: unknown)
 * Return: a new object, or NULL (with @err set) when the window's file is
 * missing or unreadable.
 */
json_t *insn_section(const char *id, unsigned int rep, double ios, double reqs,
		     char *err, size_t errlen);

#endif /* BENCH_INSN_H */
