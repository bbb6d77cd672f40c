// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "proc.h"
#include "sysinfo.h"
#include "util.h"

/* The value after "key<tabs>: " on the first line starting with key. */
static void field(const char *text, const char *key, char *buf, size_t len)
{
	const char *p = text;
	size_t n = strlen(key);

	buf[0] = '\0';
	while (p && *p) {
		if (!strncmp(p, key, n) && (p[n] == ' ' || p[n] == '\t' || p[n] == ':')) {
			const char *v = strchr(p, ':');

			if (!v)
				return;
			v++;
			while (*v == ' ')
				v++;
			snprintf(buf, len, "%.*s", (int)strcspn(v, "\n"), v);
			return;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

const char *virt_tier(const char *cpuinfo, const char **reason)
{
	const char *env = getenv("UBMAP_VM_TIER");
	char model[128], flags[4096], *cs;
	bool kvm;

	/* vm-run.sh knows which accelerator it chose (scripts/vm-tier.sh) and why. */
	if (env && *env) {
		*reason = getenv("UBMAP_VM_TIER_REASON");
		if (!*reason || !**reason)
			*reason = "set by UBMAP_VM_TIER";
		return env;
	}
	*reason = "not started by vm-run: told by /proc/cpuinfo";
	field(cpuinfo, "model name", model, sizeof(model));
	if (strstr(model, "QEMU TCG"))
		return "tcg";
	field(cpuinfo, "flags", flags, sizeof(flags));
	if (!strstr(flags, " hypervisor"))
		return "bare";
	cs = read_file("/sys/devices/system/clocksource/clocksource0/available_clocksource",
		       NULL);
	kvm = cs && strstr(cs, "kvm-clock");
	free(cs);
	return kvm ? "kvm" : "vm";
}

/*
 * Whether x86 PAT is on: remap_pfn_range pays a memtype lookup per page
 * only then.  Its debugfs list exists exactly when pat_enabled().
 */
static const char *pat_state(void)
{
	char *cmdline;
	bool nopat;

	if (!access("/sys/kernel/debug/x86", F_OK))
		return access("/sys/kernel/debug/x86/pat_memtype_list", F_OK) ? "off" : "on";
	cmdline = read_file("/proc/cmdline", NULL);
	nopat = cmdline && strstr(cmdline, "nopat");
	free(cmdline);
	return nopat ? "off" : NULL;	/* no debugfs: cannot tell */
}

static void add_str(json_t *o, const char *key, const char *v)
{
	json_object_set_new(o, key, v && *v ? json_string(v) : json_null());
}

static void tool_version(json_t *o, const char *key, const char *tool,
			 const char *arg)
{
	char *const argv[] = { (char *)tool, (char *)arg, NULL };
	char buf[128];

	run_capture_line(argv, buf, sizeof(buf));
	add_str(o, key, buf);
}

json_t *sysinfo_collect(void)
{
	json_t *o = json_object();
	char *cpuinfo = read_file("/proc/cpuinfo", NULL);
	char *meminfo = read_file("/proc/meminfo", NULL);
	const char *why;
	char buf[256];
	struct utsname u;

	uname(&u);
	add_str(o, "kernel", u.release);
	add_str(o, "hostname", u.nodename);
	add_str(o, "arch", u.machine);
	field(cpuinfo ? cpuinfo : "", "model name", buf, sizeof(buf));
	add_str(o, "cpu_model", buf);
	json_object_set_new(o, "vcpus", json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
	field(meminfo ? meminfo : "", "MemTotal", buf, sizeof(buf));
	json_object_set_new(o, "mem_mb", json_integer(strtoull(buf, NULL, 10) / 1024));
	add_str(o, "tier", virt_tier(cpuinfo ? cpuinfo : "", &why));
	add_str(o, "tier_reason", why);
	add_str(o, "pat", pat_state());
	tool_version(o, "fio_version", "fio", "--version");
	tool_version(o, "perf_version", "perf", "--version");
	free(cpuinfo);
	free(meminfo);
	return o;
}
