// SPDX-License-Identifier: GPL-2.0
/* The microbench's plan and rows (microbench.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "microbench.h"

static const char *const kinds[] = {
#define MB_KIND_NAME(n) #n,
	UBMAP_MB_KINDS(MB_KIND_NAME)
#undef MB_KIND_NAME
};

/* By enum ubmap_fallback (ubmap_microbench.refused). */
static const char *const fallbacks[] = {
#define MB_FB_NAME(n) [UBMAP_FB_##n] = #n,
	UBMAP_FALLBACKS(MB_FB_NAME)
#undef MB_FB_NAME
};

const char *mb_kind_name(unsigned int kind)
{
	return kind < sizeof(kinds) / sizeof(kinds[0]) ? kinds[kind] : NULL;
}

const char *mb_refused_name(unsigned int refused)
{
	return refused < sizeof(fallbacks) / sizeof(fallbacks[0]) ? fallbacks[refused] : NULL;
}

static int number(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno || end == s || *end || *s == '-' ? -1 : 0;
}

int mb_plan_parse(struct mb_plan *p, const char *pages, const char *iterations,
		  unsigned int max_pages, char *err, size_t errlen)
{
	char *list = strdup(pages), *save = NULL, *tok;
	unsigned long v;
	int ret = 0;

	memset(p, 0, sizeof(*p));
	if (!list)
		abort();
	for (tok = strtok_r(list, ",", &save); tok && !ret; tok = strtok_r(NULL, ",", &save)) {
		if (number(tok, &v) || !v || v > max_pages) {
			snprintf(err, errlen, "--pages: '%s': want 1 to %u (a slot)", tok, max_pages);
			ret = -1;
		} else if (p->npages == MB_MAX_SIZES) {
			snprintf(err, errlen, "--pages: more than %d sizes", MB_MAX_SIZES);
			ret = -1;
		} else {
			p->pages[p->npages++] = v;
		}
	}
	free(list);
	if (!ret && !p->npages) {
		snprintf(err, errlen, "--pages: '%s': no sizes", pages);
		ret = -1;
	}
	if (!ret && (number(iterations, &v) || !v || v > UBMAP_MB_MAX_ITERATIONS)) {
		snprintf(err, errlen, "--iterations: '%s': want 1 to %d", iterations,
			 UBMAP_MB_MAX_ITERATIONS);
		ret = -1;
	}
	if (!ret)
		p->iterations = v;
	return ret;
}

json_t *mb_row(const char *mode, const struct ubmap_microbench *mb, json_t *insn)
{
	double k = mb->iterations, kn = k * mb->nr_pages;
	const char *why = mb_refused_name(mb->refused);
	json_t *r = json_pack("{s:s, s:s, s:i, s:i, s:b}", "mode", mode,
			      "kind", mb_kind_name(mb->kind), "pages", (int)mb->nr_pages,
			      "iterations", (int)mb->iterations,
			      "readonly", !!(mb->flags & UBMAP_MB_F_READONLY));

	json_object_set_new(r, "refused", why ? json_string(why) : json_null());
	if (why) {
		json_decref(insn);
		return r;
	}
	json_object_set_new(r, "map_ns_per_call", json_real(mb->map_ns / k));
	json_object_set_new(r, "unmap_ns_per_call", json_real(mb->unmap_ns / k));
	json_object_set_new(r, "map_ns_per_page", json_real(mb->map_ns / kn));
	json_object_set_new(r, "unmap_ns_per_page", json_real(mb->unmap_ns / kn));
	json_object_set_new(r, "map_calls_per_batch", json_real(mb->map_calls / k));
	if (insn) {
		/* insn_section()'s "per I/O" is per call here, "per request" per page. */
		json_object_set(insn, "per_call", json_object_get(insn, "per_io"));
		json_object_set(insn, "per_page", json_object_get(insn, "per_request"));
		json_object_del(insn, "per_io");
		json_object_del(insn, "per_request");
		json_object_set_new(r, "insn", insn);
	}
	return r;
}
