// SPDX-License-Identifier: GPL-2.0
/* The targets' table and the steps they share: modules, nodes, limits. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "target.h"
#include "util.h"

/* The target axis's order (lib/cell.c); test_target.c checks they agree. */
const struct target_ops *const targets[] = {
	&target_ubmap, &target_null_blk, &target_brd, &target_ublk, &target_tcmu,
	NULL
};

const struct target_ops *target_find(const char *name)
{
	for (const struct target_ops *const *t = targets; *t; t++)
		if (!strcmp((*t)->name, name))
			return *t;
	return NULL;
}

bool target_serves(const struct target_ops *t, const char *store)
{
	for (const char *const *s = t->stores; *s; s++)
		if (!strcmp(*s, store))
			return true;
	return false;
}

bool target_module_loaded(const char *module)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s", module);
	return access(path, F_OK) == 0;
}

int target_modprobe(char *err, const char *module, const char *params)
{
	char cmd[256], line[160] = "";
	FILE *p;
	int status;

	/* modprobe splits the parameters itself; they are ours, not input. */
	snprintf(cmd, sizeof(cmd), "modprobe %s %s 2>&1", module, params);
	p = popen(cmd, "r");
	if (!p) {
		snprintf(err, ERR_LEN, "modprobe %s: %m", module);
		return -1;
	}
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	while (fgetc(p) != EOF)
		;
	status = pclose(p);
	if (status == 0)
		return 0;
	line[strcspn(line, "\n")] = '\0';
	/* "modprobe: FATAL: Module brd not found ...": ours names it already. */
	if (!strncmp(line, "modprobe: ", 10))
		memmove(line, line + 10, strlen(line + 10) + 1);
	if (status == -1 || (WIFEXITED(status) && WEXITSTATUS(status) == 127))
		snprintf(err, ERR_LEN, "no modprobe here (install kmod)");
	else
		snprintf(err, ERR_LEN, "modprobe %s: %s", module,
			 line[0] ? line : "failed");
	return -1;
}

int target_rmmod(const char *module, char *err)
{
	double end = now_mono() + 10;

	while (syscall(SYS_delete_module, module, O_NONBLOCK)) {
		if (errno == ENOENT)
			return 0;
		if ((errno != EBUSY && errno != EAGAIN) || now_mono() > end) {
			snprintf(err, ERR_LEN, "rmmod %s: %m", module);
			return -1;
		}
		usleep(50000);
	}
	return 0;
}

int target_serve(struct target_dev *d, char *const argv[], const char *log,
		 int ready_secs, int stop_sig, double stop_secs, char *err)
{
	double end;
	int status;

	unlink(d->be.ready);
	if (child_spawn(&d->be.c, argv, NULL, log, err))
		return -1;
	end = now_mono() + ready_secs;
	for (;;) {
		char *text = read_file(d->be.ready, NULL);

		if (text && *strtrim(text)) {
			snprintf(d->dev, sizeof(d->dev), "%s", strtrim(text));
			free(text);
			break;
		}
		free(text);
		if (child_exited(&d->be.c, &status)) {
			char how[32];

			describe_status(status, how, sizeof(how));
			d->be.c.pid = 0;
			snprintf(err, ERR_LEN, "%s exited (%s) before it was ready; see %.120s",
				 argv[0], how, log);
			return -1;
		}
		if (now_mono() > end) {
			child_stop(&d->be.c, stop_sig, stop_secs);
			d->be.c.pid = 0;
			snprintf(err, ERR_LEN, "%s not ready after %d s; see %.120s",
				 argv[0], ready_secs, log);
			return -1;
		}
		usleep(5000);
	}
	if (strncmp(d->dev, "/dev/", 5) || wait_node(d->dev, 10)) {
		snprintf(err, ERR_LEN, "%s named device '%.40s', which did not appear",
			 argv[0], d->dev);
		return -1;
	}
	return 0;
}

bool target_alive(struct target_dev *d)
{
	return !d->be.c.pid || backend_running(&d->be);
}
