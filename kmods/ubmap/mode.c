// SPDX-License-Identifier: GPL-2.0
/* The table of mapping modes: adding a mode is adding a file and a line here. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "ubmap.h"

static const struct ubmap_mode_ops *const ubmap_modes[] = {
	&ubmap_mode_copy,
	&ubmap_mode_insert_pages,
	&ubmap_mode_remap_pfn,
	&ubmap_mode_mkspecial,
};

/* Looks @name up, tolerating the newline a sysfs write brings. */
const struct ubmap_mode_ops *ubmap_mode_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ubmap_modes); i++)
		if (sysfs_streq(name, ubmap_modes[i]->name))
			return ubmap_modes[i];
	return NULL;
}

/*
 * The window's protection, without write for pages the backend only reads.
 * Not vma->vm_page_prot: write-notify (see chardev.c) made that read-only.
 */
pgprot_t ubmap_mode_prot(struct vm_area_struct *vma, bool writable)
{
	unsigned long flags = vma->vm_flags;

	return vm_get_page_prot(writable ? flags : flags & ~VM_WRITE);
}

int ubmap_mode_list(char *buf, size_t size)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(ubmap_modes); i++)
		n += scnprintf(buf + n, size - n, "%s%s", i ? " " : "",
			       ubmap_modes[i]->name);
	n += scnprintf(buf + n, size - n, "\n");
	return n;
}
