/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Plots of a run: per section, every metric marked MP_PLOT and the IOPS
 * speed-up over copy against block size, as PNG, SVG and text (gnuplot's
 * dumb terminal), under RUN_DIR/plots/.  The data files the scripts read
 * are in RUN_DIR/plots/data/.
 */
#ifndef REPORT_PLOTS_H
#define REPORT_PLOTS_H

#include "dataset.h"
#include "strbuf.h"

/* "RUN_DIR/plots/direct-randread-iops" (no extension). */
void plot_base(char *buf, size_t len, const char *run_dir, const char *slug,
	       const char *plot);

/*
 * Writes the data files and runs gnuplot for every plot of the run.
 * formats: "png svg txt" or a subset.  -1 with a reason in err.
 */
int plots_write(const struct dataset *d, const char *scripts,
		const char *formats, char *err, size_t errlen);

/*
 * Markdown image links to the PNGs of a section that exist, each link
 * prefix + "plots/<file>.png" (prefix "" from inside the run directory).
 */
void plots_markdown(const struct dataset *d, int section, const char *prefix,
		    struct strbuf *out);

#endif /* REPORT_PLOTS_H */
