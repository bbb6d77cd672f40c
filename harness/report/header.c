// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "header.h"

struct tier_text {
	const char *tier;
	const char *text;
};

static const struct tier_text tiers[] = {
	{ "tcg",
	  "Tier: TCG. QEMU emulated the CPU in software (no KVM). There is no "
	  "PMU, so cycles, instructions and dTLB/iTLB misses are unavailable. "
	  "Time is emulated: IOPS, bandwidth, latency and CPU time per I/O "
	  "measure how fast QEMU runs each path, not how fast hardware would, "
	  "and a TLB flush or an IPI costs emulator time, not hardware time. "
	  "Compare modes within this run with care; do not quote the absolute "
	  "figures. The counts are real kernel events and carry over to "
	  "hardware: map calls, pages mapped, TLB flushes, shootdown IPIs, "
	  "fallbacks and bytes copied per I/O. Read those first." },
	{ "kvm",
	  "Tier: KVM guest. Time is real but virtualised: a TLB shootdown IPI "
	  "exits to the hypervisor and costs more than on bare metal, and PMU "
	  "events exist only if the host exposed them (n/a where it did not). "
	  "Read the times first and the counts to explain them." },
	{ "bare",
	  "Tier: bare metal. Times and counts are both first-hand; read the "
	  "times first and the counts to explain them." },
	{ "vm",
	  "Tier: a guest of an unknown hypervisor. Times include its overheads "
	  "(IPIs and page-table updates may exit to it); counts are real." },
};

const char *tier_statement(const char *tier)
{
	for (size_t i = 0; i < sizeof(tiers) / sizeof(tiers[0]); i++)
		if (!strcmp(tiers[i].tier, tier))
			return tiers[i].text;
	return "Tier: unknown (the records do not say). Treat times with care; "
	       "counts are real kernel events.";
}

bool tier_leads_with_counts(const char *tier)
{
	return !strcmp(tier, "tcg");
}

/* Keys the header prints with a label; the others go under "other". */
static const char *const shown[] = {
	"run_id", "kernel", "tier", "tier_reason", "pat", "cpu_model", "vcpus", "mem_mb",
	"fio_version", "perf_version", "qemu_version", "git_sha", "git_dirty",
	"host_kernel", "host_cpu", "host_vcpus",
};

static bool is_shown(const char *key)
{
	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		if (!strcmp(shown[i], key))
			return true;
	return false;
}

void matrix_axes(const struct run *r, struct strbuf *out)
{
	const char *p = r->matrix_text;

	/* "name = a, b" lines become "name=a,b": one line for the header. */
	while (p && *p) {
		size_t n = strcspn(p, "\n");
		char line[256], *eq, *s;

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		p += n + (p[n] == '\n');
		s = strchr(line, '#');
		if (s)
			*s = '\0';
		eq = strchr(line, '=');
		/* A block's "[name]" heads the axes it sets. */
		if (!eq && line[0] != '[')
			continue;
		if (out->len)
			sb_putc(out, ' ');
		for (s = line; *s; s++)
			if (*s != ' ' && *s != '\t')
				sb_putc(out, *s);
	}
}

struct field {
	const char *label;
	struct strbuf val;
};

#define NFIELDS	13

static size_t fields(const struct run *r, struct field *f)
{
	const char *dirty = run_meta(r, "git_dirty");
	size_t n = 0;
	struct strbuf *v;

#define FIELD(l)	(f[n].label = (l), f[n].val = (struct strbuf)STRBUF_INIT, \
			 v = &f[n++].val)
	FIELD("run");
	/* Every number below comes from this directory: name it. */
	sb_printf(v, "%s (%s), %s", r->id, r->status[0] ? r->status : "status unknown",
		  r->dir);
	FIELD("records");
	sb_printf(v, "%zu", r->nrecs);
	if (r->runs_planned)
		sb_printf(v, " of %u planned", r->runs_planned);
	sb_printf(v, ", %zu failed", r->nfailed);
	if (r->bad_lines)
		sb_printf(v, ", %u unreadable lines skipped", r->bad_lines);
	FIELD("started");
	sb_puts(v, r->started[0] ? r->started : "unknown");
	FIELD("virt tier");
	sb_puts(v, run_meta(r, "tier")[0] ? run_meta(r, "tier") : "unknown");
	/* Why this tier: a KVM that exists but cannot run a guest looks like TCG. */
	if (run_meta(r, "tier_reason")[0])
		sb_printf(v, " (%s)", run_meta(r, "tier_reason"));
	FIELD("kernel");
	sb_printf(v, "%s (where fio ran)", run_meta(r, "kernel"));
	/* remap_pfn_range's memtype lookups happen only with PAT on. */
	if (run_meta(r, "pat")[0])
		sb_printf(v, ", PAT %s", run_meta(r, "pat"));
	if (run_meta(r, "host_kernel")[0])
		sb_printf(v, "; host %s", run_meta(r, "host_kernel"));
	FIELD("CPU");
	sb_printf(v, "%s, %s vCPUs, %s MB", run_meta(r, "cpu_model"),
		  run_meta(r, "vcpus"), run_meta(r, "mem_mb"));
	if (run_meta(r, "host_cpu")[0])
		sb_printf(v, "; host %s, %s CPUs", run_meta(r, "host_cpu"),
			  run_meta(r, "host_vcpus"));
	FIELD("tools");
	sb_printf(v, "%s; %s", run_meta(r, "fio_version"), run_meta(r, "perf_version"));
	if (run_meta(r, "qemu_version")[0])
		sb_printf(v, "; %s", run_meta(r, "qemu_version"));
	FIELD("git");
	sb_puts(v, run_meta(r, "git_sha")[0] ? run_meta(r, "git_sha") : "unknown");
	if (!strcmp(dirty, "true"))
		sb_puts(v, " (dirty tree)");
	FIELD("matrix");
	sb_puts(v, r->matrix[0] ? r->matrix : "unknown");
	FIELD("axes");
	matrix_axes(r, v);
	/* The matrix says seed 0 when the bench picked one: give the one used. */
	if (r->order[0]) {
		FIELD("order");
		sb_printf(v, "%s", r->order);
		if (!strcmp(r->order, "random"))
			sb_printf(v, ", seed %llu (make bench SEED=%llu repeats it)",
				  r->seed, r->seed);
	}
	FIELD("harness");
	if (!isnan(r->wall_s))
		sb_printf(v, "%.0f s wall, %.0f%% of it inside fio", r->wall_s,
			  100 * r->fio_ratio);
	else
		sb_puts(v, "unknown");
	FIELD("other");
	for (unsigned int i = 0; i < r->nmeta; i++)
		if (!is_shown(r->meta[i].key))
			sb_printf(v, "%s%s=%s", v->len ? " " : "", r->meta[i].key,
				  r->meta[i].val);
#undef FIELD
	return n;
}

void header_text(const struct run *r, struct strbuf *out, size_t width)
{
	struct field f[NFIELDS];
	size_t n = fields(r, f);

	for (size_t i = 0; i < n; i++) {
		char first[32];

		if (f[i].val.len) {
			snprintf(first, sizeof(first), "  %-10s ", f[i].label);
			sb_wrap(out, sb_str(&f[i].val), first, "             ", width);
		}
		sb_free(&f[i].val);
	}
}

void header_markdown(const struct run *r, struct strbuf *out)
{
	struct field f[NFIELDS];
	size_t n = fields(r, f);

	for (size_t i = 0; i < n; i++) {
		if (f[i].val.len)
			sb_printf(out, "- **%s**: %s\n", f[i].label, sb_str(&f[i].val));
		sb_free(&f[i].val);
	}
}
