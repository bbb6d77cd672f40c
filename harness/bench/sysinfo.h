/* SPDX-License-Identifier: GPL-2.0 */
/* Where the numbers came from: kernel, CPU, memory, tools, virt tier. */
#ifndef BENCH_SYSINFO_H
#define BENCH_SYSINFO_H

#include <jansson.h>

/*
 * What this machine can tell about itself.  The host's own facts (git sha,
 * host kernel, QEMU version) are measured on the host and passed in with
 * --meta KEY=VALUE, which sets or overrides a key.
 */
json_t *sysinfo_collect(void);

/* "bare", "kvm", "tcg" or "vm" (some other hypervisor), and why it is that. */
const char *virt_tier(const char *cpuinfo, const char **reason);

#endif /* BENCH_SYSINFO_H */
