/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running the gnuplot scripts in plots/: the C side writes the data and a
 * file of variable assignments; gnuplot runs that file, then the script.
 * No shell is involved, so titles need no quoting but gnuplot's own.
 */
#ifndef REPORT_GNUPLOT_H
#define REPORT_GNUPLOT_H

#include <stddef.h>

#include "strbuf.h"

/* name = 'value', quoted for gnuplot. */
void gp_str(struct strbuf *vars, const char *name, const char *value);
void gp_num(struct strbuf *vars, const char *name, double value);

/*
 * Where the scripts are: opt (--scripts) if set, else $UBMAP_PLOTS_DIR,
 * else plots/ beside harness/build/ where this binary lives, else the
 * path the build recorded.
 */
void gp_scripts_dir(const char *opt, char *buf, size_t len);

/*
 * Writes vars to vars_path and runs "gnuplot vars_path dir/script",
 * its messages appended to log_path.  -1 with a reason in err.
 */
int gp_run(const char *dir, const char *script, const char *vars_path,
	   const struct strbuf *vars, const char *log_path, char *err,
	   size_t errlen);

#endif /* REPORT_GNUPLOT_H */
