/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instruction profile's table (make bench PROFILE=insn): instructions
 * per device request by group (harness/lib/insn_groups.c), one row per
 * cell, the mean over its repeats, read from the records' "insn" sections.
 */
#ifndef REPORT_INSN_TABLE_H
#define REPORT_INSN_TABLE_H

#include <stddef.h>

#include "strbuf.h"

/* 0, or -1 with @err set (no results.jsonl, no record with an insn section). */
int insn_table(const char *run_dir, struct strbuf *out, char *err, size_t errlen);

#endif /* REPORT_INSN_TABLE_H */
