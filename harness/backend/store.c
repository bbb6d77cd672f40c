// SPDX-License-Identifier: GPL-2.0
/* The table of stores: adding a store is adding a file and a line here. */
#include <stdio.h>
#include <string.h>

#include "store.h"

static const struct store_ops *const stores[] = {
	&store_null_ops,
	&store_ram_ops,
	&store_file_ops,
};

#define NR_STORES (sizeof(stores) / sizeof(stores[0]))

const struct store_ops *store_find(const char *name)
{
	for (size_t i = 0; i < NR_STORES; i++)
		if (!strcmp(stores[i]->name, name))
			return stores[i];
	return NULL;
}

void store_names(char *buf, size_t len)
{
	size_t used = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < NR_STORES && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s",
				 i ? ", " : "", stores[i]->name);
		if (n < 0)
			break;
		used += n;
	}
}

int store_check_name(const char *prog, const char *name, FILE *err)
{
	char names[128];

	if (store_find(name))
		return 0;
	store_names(names, sizeof(names));
	fprintf(err, "%s: unknown store '%s' (valid: %s)\n", prog, name, names);
	return -1;
}

int store_check_file(const char *prog, const char *name, const char *file,
		     const char *file_opt, const char *metavar, FILE *err)
{
	if (!strcmp(name, "file") && (!file || !*file)) {
		fprintf(err, "%s: --store file needs --%s %s\n", prog, file_opt,
			metavar);
		return -1;
	}
	if (strcmp(name, "file") && file) {
		fprintf(err, "%s: --%s only applies to --store file (store is '%s')\n",
			prog, file_opt, name);
		return -1;
	}
	return 0;
}

int store_open(struct store *s, const struct store_ops *ops,
	       const struct store_params *p)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->capacity = p->capacity;
	s->nr_queues = p->nr_queues;
	s->queue_depth = p->queue_depth;
	ret = ops->open(s, p);
	if (ret)
		s->ops = NULL;
	return ret;
}

void store_close(struct store *s)
{
	if (s->ops && s->ops->close)
		s->ops->close(s);
	s->ops = NULL;
	s->priv = NULL;
}
