// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsutil.h"
#include "gnuplot.h"

#ifndef PLOTS_DIR
#define PLOTS_DIR	"plots"
#endif

void gp_str(struct strbuf *vars, const char *name, const char *value)
{
	sb_printf(vars, "%s = '", name);
	/* In a single-quoted gnuplot string only ' needs escaping, as ''. */
	for (; *value; value++) {
		if (*value == '\'')
			sb_putc(vars, '\'');
		if (*value != '\n')
			sb_putc(vars, *value);
	}
	sb_puts(vars, "'\n");
}

void gp_num(struct strbuf *vars, const char *name, double value)
{
	if (isnan(value))
		sb_printf(vars, "%s = NaN\n", name);
	else
		sb_printf(vars, "%s = %.17g\n", name, value);
}

void gp_scripts_dir(const char *opt, char *buf, size_t len)
{
	const char *env = getenv("UBMAP_PLOTS_DIR");
	char exe[PATH_MAX], probe[PATH_MAX + 32];
	ssize_t n;

	if (opt && *opt) {
		snprintf(buf, len, "%s", opt);
		return;
	}
	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return;
	}
	/* <top>/harness/build/ubmap-report -> <top>/plots */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		for (int i = 0; i < 3; i++) {
			char *slash = strrchr(exe, '/');

			if (slash)
				*slash = '\0';
		}
		snprintf(probe, sizeof(probe), "%s/plots/bs_plot.gp", exe);
		if (!access(probe, R_OK)) {
			snprintf(buf, len, "%s/plots", exe);
			return;
		}
	}
	snprintf(buf, len, "%s", PLOTS_DIR);
}

int gp_run(const char *dir, const char *script, const char *vars_path,
	   const struct strbuf *vars, const char *log_path, char *err,
	   size_t errlen)
{
	char path[PATH_MAX + 64];
	int status, fd;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", dir, script);
	if (access(path, R_OK)) {
		snprintf(err, errlen, "%s: %s (set --scripts or UBMAP_PLOTS_DIR)",
			 path, strerror(errno));
		return -1;
	}
	if (write_text(vars_path, sb_str(vars))) {
		snprintf(err, errlen, "%s: %s", vars_path, strerror(errno));
		return -1;
	}
	fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", log_path, strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fd);
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		execlp("gnuplot", "gnuplot", vars_path, path, (char *)NULL);
		dprintf(fd, "cannot run gnuplot: %s\n", strerror(errno));
		_exit(127);
	}
	close(fd);
	if (waitpid(pid, &status, 0) < 0) {
		snprintf(err, errlen, "waitpid: %s", strerror(errno));
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(err, errlen, "gnuplot %s failed%s; see %s", script,
			 WIFEXITED(status) && WEXITSTATUS(status) == 127 ?
			 " (is gnuplot installed? make deps)" : "", log_path);
		return -1;
	}
	return 0;
}
