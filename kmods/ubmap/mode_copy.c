// SPDX-License-Identifier: GPL-2.0
/*
 * copy mode (tcmu-style): the bounce area is mapped into the window once, at
 * mmap; every request's data is memcpy'd through its slot (see ring.c).
 */
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "ubmap.h"

static int ubmap_copy_mmap(struct vm_area_struct *vma, void *bounce)
{
	return remap_vmalloc_range(vma, bounce, 0);
}

const struct ubmap_mode_ops ubmap_mode_copy = {
	.vm_flags	= 0,	/* remap_vmalloc_range sets what it needs */
	.mmap		= ubmap_copy_mmap,
};
