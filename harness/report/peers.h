/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Targets side by side: every mode and peer of a section in one table,
 * IOPS and bandwidth with their ratios to null_blk (the floor) and brd (the
 * one-copy limit), the run's memcpy bound beside them, and the targets the
 * run could not set up with the reason.  Nothing for a run with only
 * ubmap's modes and no bound (every run made before targets).
 */
#ifndef REPORT_PEERS_H
#define REPORT_PEERS_H

#include <stdbool.h>

#include "dataset.h"
#include "strbuf.h"

bool peers_present(const struct dataset *d);
/* The section, as markdown (md) or 80-column text. */
void peers_render(const struct dataset *d, bool md, struct strbuf *out);

#endif /* REPORT_PEERS_H */
