// SPDX-License-Identifier: GPL-2.0
/*
 * remap_pfn_range mode: the request's page frames are remapped into the
 * slot, one remap_pfn_range() call per physically contiguous run.  The PTEs
 * are special (no refcount, no rmap); with PAT each call looks the memory
 * type up for every page of a range smaller than the vma.
 */
#include <linux/mm.h>

#include "ubmap.h"

static u64 ubmap_remap_unmap(struct vm_area_struct *vma, unsigned long addr,
			      unsigned long len)
{
	/* Special PTEs: the zap never reads their dirty bit. */
	zap_vma_ptes(vma, addr, len);
	return 0;
}

static int ubmap_remap_map(struct vm_area_struct *vma, unsigned long addr,
			   struct page **pages, unsigned int nr, bool writable,
			   u64 *calls)
{
	pgprot_t prot = ubmap_mode_prot(vma, writable);
	unsigned int i = 0;
	int ret;

	while (i < nr) {
		unsigned long pfn = page_to_pfn(pages[i]);
		unsigned int run = 1;

		while (i + run < nr && page_to_pfn(pages[i + run]) == pfn + run)
			run++;
		(*calls)++;
		ret = remap_pfn_range(vma, addr + (unsigned long)i * PAGE_SIZE,
				      pfn, (unsigned long)run * PAGE_SIZE,
				      prot);
		if (ret) {
			/* remap_pfn_range() cleaned its own range; undo ours. */
			if (i)
				zap_vma_ptes(vma, addr, (unsigned long)i * PAGE_SIZE);
			return ret;
		}
		i += run;
	}
	return 0;
}

const struct ubmap_mode_ops ubmap_mode_remap_pfn_range = {
	.vm_flags	= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP,
	.map		= ubmap_remap_map,
	.unmap		= ubmap_remap_unmap,
};
