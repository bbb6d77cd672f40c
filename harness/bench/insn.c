// SPDX-License-Identifier: GPL-2.0
/* Windows of the instruction profile around the bench's cells. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insn.h"
#include "insn_groups.h"
#include "mark.h"

static const char *insn_dir(void)
{
	const char *d = getenv("UBMAP_INSN_DIR");

	return d && *d ? d : NULL;
}

bool insn_enabled(void)
{
	return insn_dir() != NULL;
}

/* Cell ids may hold any character; window names become file names. */
static void window_name(const char *id, unsigned int rep, char *buf, size_t len)
{
	snprintf(buf, len, "%.80s-r%u", id, rep);
	for (char *p = buf; *p; p++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-", *p))
			*p = '_';
	if (buf[0] == '.')
		buf[0] = '_';
}

int insn_cell_start(const char *id, unsigned int rep, char *err, size_t errlen)
{
	char name[96];

	window_name(id, rep, name, sizeof(name));
	return insn_window_start(insn_dir(), name, err, errlen);
}

int insn_cell_stop(char *err, size_t errlen)
{
	return insn_window_stop(insn_dir(), err, errlen);
}

static json_t *per(json_t *groups, json_t *total, double by)
{
	json_t *o = json_object(), *v;
	const char *k;

	if (!(by > 0))
		return json_null();
	json_object_foreach(groups, k, v)
		json_object_set_new(o, k, json_real(json_number_value(v) / by));
	json_object_set_new(o, "total", json_real(json_number_value(total) / by));
	return o;
}

json_t *insn_section(const char *id, unsigned int rep, double ios, double reqs,
		     char *err, size_t errlen)
{
	char name[96], path[4200];
	json_error_t jerr;
	json_t *w, *groups, *total, *s;

	window_name(id, rep, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/%s.json", insn_dir(), name);
	w = json_load_file(path, 0, &jerr);
	if (!w) {
		snprintf(err, errlen, "%s: %s", path, jerr.text);
		return NULL;
	}
	groups = json_object_get(w, "groups");
	total = json_object_get(w, "instructions");
	/* The window's groups must be the ones this build declares. */
	for (int g = 0; g < INSN_G_COUNT; g++) {
		if (!json_is_integer(json_object_get(groups, insn_group_name(g)))) {
			snprintf(err, errlen, "%s: no group '%s'", path, insn_group_name(g));
			json_decref(w);
			return NULL;
		}
	}
	if (!json_is_integer(total)) {
		snprintf(err, errlen, "%s: no instruction total", path);
		json_decref(w);
		return NULL;
	}
	s = json_pack("{s:s, s:O, s:O, s:O}", "window", name, "instructions", total,
		      "groups", groups, "vcpus", json_object_get(w, "vcpus"));
	json_object_set_new(s, "per_io", per(groups, total, isfinite(ios) ? ios : 0));
	json_object_set_new(s, "per_request", per(groups, total, isfinite(reqs) ? reqs : 0));
	json_decref(w);
	return s;
}
