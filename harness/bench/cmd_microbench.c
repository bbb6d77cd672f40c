// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-bench microbench --out DIR [--mode M,...] [--pages LIST]
 * [--iterations K]: in the guest, for each mode, loads the module with
 * microbench=1, attaches as its backend and asks it to map and unmap each
 * batch size of each page kind K times (microbench.h).  Writes
 * DIR/microbench.jsonl (a row a measurement), DIR/meta.json (the machine,
 * PAT, the plan) and prints a table.  With the instruction profile
 * ($UBMAP_INSN_DIR), each measurement is a window of its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cmd.h"
#include "fsutil.h"
#include "insn.h"
#include "microbench.h"
#include "ring.h"
#include "sysinfo.h"

#define PAGE	4096UL

static double field(json_t *row, const char *a, const char *b, const char *c)
{
	json_t *v = json_object_get(row, a);

	if (b)
		v = json_object_get(v, b);
	if (c)
		v = json_object_get(v, c);
	return json_is_number(v) ? json_number_value(v) : -1;
}

static void print_row(json_t *row)
{
	const char *why = json_string_value(json_object_get(row, "refused"));

	printf("%-16s %-9s %5d ", json_string_value(json_object_get(row, "mode")),
	       json_string_value(json_object_get(row, "kind")),
	       (int)json_integer_value(json_object_get(row, "pages")));
	if (why) {
		printf(" refused (%s)\n", why);
		return;
	}
	printf("%10.0f %10.0f %8.2f", field(row, "map_ns_per_page", NULL, NULL),
	       field(row, "unmap_ns_per_page", NULL, NULL),
	       field(row, "map_calls_per_batch", NULL, NULL));
	if (json_object_get(row, "insn"))
		printf(" %9.0f %9.0f %9.0f %9.0f", field(row, "insn", "per_page", "map"),
		       field(row, "insn", "per_page", "unmap"),
		       field(row, "insn", "per_page", "tlb"),
		       field(row, "insn", "per_page", "copy"));
	printf("\n");
}

/* One ioctl, in a profile window of its own when profiled. */
static json_t *measure(struct ring *r, const char *mode, struct ubmap_microbench *mb,
		       char *err)
{
	char id[96];
	json_t *insn = NULL;
	int ret;

	snprintf(id, sizeof(id), "mb-%s-%s-%u", mode, mb_kind_name(mb->kind), mb->nr_pages);
	if (insn_enabled() && insn_cell_start(id, 0, err, ERR_LEN))
		return NULL;
	ret = ioctl(r->fd, UBMAP_IOC_MICROBENCH, mb);
	if (ret)
		ret = errno;
	if (insn_enabled() && insn_cell_stop(err, ERR_LEN))
		return NULL;
	if (ret) {
		snprintf(err, ERR_LEN, "%s: UBMAP_IOC_MICROBENCH: %s", id, strerror(ret));
		return NULL;
	}
	if (insn_enabled() && !mb->refused) {
		insn = insn_section(id, 0, mb->iterations,
				    (double)mb->iterations * mb->nr_pages, err, ERR_LEN);
		if (!insn)
			return NULL;
	}
	return mb_row(mode, mb, insn);
}

static int one_mode(struct bench_args *a, const char *mode, const struct mb_plan *p,
		    FILE *rows, char *err)
{
	unsigned int maxn = 0;
	struct ring r;
	char params[128];
	uint8_t *buf;
	int ret = 0;

	snprintf(params, sizeof(params), "microbench=1 mode=%s nr_queues=1 max_io_kb=%lu",
		 mode, a->o.m.set[SET_MAX_IO] >> 10);
	if (module_load(&a->o.paths, params, err))
		return -1;
	ret = ring_open(&r);
	if (ret) {
		snprintf(err, ERR_LEN, "attach to %s: %s", RING_CHAR_DEV, strerror(-ret));
		module_unload(err + strlen(err));
		return -1;
	}
	for (unsigned int i = 0; i < p->npages; i++)
		maxn = p->pages[i] > maxn ? p->pages[i] : maxn;
	/* The anon kind's pages, then user_copy's destination; touched once. */
	buf = mmap(NULL, 2 * maxn * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		snprintf(err, ERR_LEN, "mmap %lu bytes: %m", 2 * maxn * PAGE);
		ret = -1;
	} else {
		memset(buf, 0x5a, 2 * maxn * PAGE);
	}
	/*
	 * Unmeasured first: TCG translates each code path the first time it
	 * runs, and the first call of a mode took 100x its second.
	 */
	for (unsigned int k = 0; !ret && k < UBMAP_NR_MB_KINDS; k++) {
		struct ubmap_microbench warm = {
			.kind = k, .nr_pages = maxn, .iterations = 1, .user_buf = (uintptr_t)buf,
		};

		if (ioctl(r.fd, UBMAP_IOC_MICROBENCH, &warm)) {
			snprintf(err, ERR_LEN, "warm-up: UBMAP_IOC_MICROBENCH: %m");
			ret = -1;
		}
	}
	for (unsigned int k = 0; !ret && k < UBMAP_NR_MB_KINDS; k++) {
		for (unsigned int i = 0; !ret && i < p->npages; i++) {
			struct ubmap_microbench mb = {
				.kind = k, .nr_pages = p->pages[i],
				.iterations = p->iterations,
				/* The second half starts right after the first. */
				.user_buf = (uintptr_t)(buf + maxn * PAGE - p->pages[i] * PAGE),
			};
			json_t *row = measure(&r, mode, &mb, err);

			if (!row) {
				ret = -1;
				break;
			}
			print_row(row);
			json_dumpf(row, rows, JSON_COMPACT);
			fputc('\n', rows);
			json_decref(row);
		}
	}
	if (buf != MAP_FAILED)
		munmap(buf, 2 * maxn * PAGE);
	ring_close(&r);
	if (module_unload(ret ? err + strlen(err) : err))
		ret = -1;
	return ret;
}

int cmd_microbench(struct bench_args *a)
{
	const struct axis_list *modes;
	char err[2 * ERR_LEN] = "", path[4200];
	struct mb_plan p;
	json_t *meta;
	FILE *rows;
	int ret;

	a->matrix_optional = true;
	ret = bench_args_matrix(a);
	if (ret)
		return ret;
	if (!a->o.out) {
		fprintf(stderr, "ubmap-bench: microbench needs --out DIR\n");
		return 2;
	}
	if (mb_plan_parse(&p, a->mb_pages ? a->mb_pages : MB_DEFAULT_PAGES,
			  a->mb_iterations ? a->mb_iterations : "200",
			  a->o.m.set[SET_MAX_IO] / PAGE, err, sizeof(err))) {
		fprintf(stderr, "ubmap-bench: %s\n", err);
		return 2;
	}
	if (module_loaded()) {
		fprintf(stderr, "ubmap-bench: microbench: ubmap is loaded; rmmod it first\n");
		return 2;
	}
	if (make_dirs(a->o.out)) {
		fprintf(stderr, "ubmap-bench: %s: %m\n", a->o.out);
		return 1;
	}
	meta = json_pack("{s:o, s:i}", "machine", sysinfo_collect(), "iterations",
			 (int)p.iterations);
	json_object_set_new(meta, "profiled", json_boolean(insn_enabled()));
	snprintf(path, sizeof(path), "%s/meta.json", a->o.out);
	if (json_dump_file(meta, path, JSON_INDENT(2))) {
		fprintf(stderr, "ubmap-bench: %s: cannot write\n", path);
		json_decref(meta);
		return 1;
	}
	json_decref(meta);
	snprintf(path, sizeof(path), "%s/microbench.jsonl", a->o.out);
	rows = fopen(path, "w");
	if (!rows) {
		fprintf(stderr, "ubmap-bench: %s: %m\n", path);
		return 1;
	}
	printf("%-16s %-9s %5s %10s %10s %8s%s\n", "mode", "kind", "pages", "map ns/pg",
	       "unmap ns/pg", "calls", insn_enabled() ?
	       " insn/page: map     unmap       tlb      copy" : "");
	modes = &a->o.m.axis[AX_MODE];
	for (unsigned int m = 0; !ret && m < modes->n; m++)
		if (one_mode(a, modes->v[m].str, &p, rows, err))
			ret = 1;
	if (ret)
		fprintf(stderr, "ubmap-bench: microbench: %s\n", err);
	if (fclose(rows) && !ret) {
		fprintf(stderr, "ubmap-bench: %s: %m\n", path);
		ret = 1;
	}
	return ret;
}
