// SPDX-License-Identifier: GPL-2.0
/*
 * The table of mapping modes, generated from UBMAP_MODES: adding a mode is
 * adding its name there and a mode_*.c defining ubmap_mode_<name>.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "ubmap.h"

static const struct {
	const char *name;
	const struct ubmap_mode_ops *ops;
} ubmap_modes[] = {
#define UBMAP_MODE_ENTRY(n) { #n, &ubmap_mode_##n },
	UBMAP_MODES(UBMAP_MODE_ENTRY)
#undef UBMAP_MODE_ENTRY
};

/* Looks @name up, tolerating the newline a sysfs write brings. */
const struct ubmap_mode_ops *ubmap_mode_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ubmap_modes); i++)
		if (sysfs_streq(name, ubmap_modes[i].name))
			return ubmap_modes[i].ops;
	return NULL;
}

const char *ubmap_mode_name(const struct ubmap_mode_ops *mode)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ubmap_modes); i++)
		if (ubmap_modes[i].ops == mode)
			return ubmap_modes[i].name;
	return "?";
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
