/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The microbenchmark's report (ubmap-bench microbench's DIR): per page
 * kind, a table of each mode's cost per page and per call at each batch
 * size, and a plot of the cost per page against the batch size, a line
 * per mode.
 */
#ifndef REPORT_MB_REPORT_H
#define REPORT_MB_REPORT_H

#include <stddef.h>

#include "strbuf.h"

/*
 * Reads DIR/meta.json and DIR/microbench.jsonl into @md (markdown): the
 * tables, and each half's cost fitted per call and per page; with
 * @against (a bench run's directory), those fits against that run's map and
 * unmap time per request.  With @scripts, also draws
 * DIR/plots/microbench-<kind>.{@formats}.  0, or -1 with @err set (a
 * missing or malformed file, a row without its fields, gnuplot's failure).
 */
int mb_report(const char *dir, const char *against, struct strbuf *md,
	      const char *scripts, const char *formats, char *err, size_t errlen);

#endif /* REPORT_MB_REPORT_H */
