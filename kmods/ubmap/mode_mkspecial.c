// SPDX-License-Identifier: GPL-2.0
/*
 * mkspecial mode: what the proposed vm_insert_pages_mkspecial() would do,
 * built from exported pieces.  apply_to_page_range() walks the slot taking
 * each page-table page's PTE lock once, and we write special PTEs: no
 * refcount, no mapcount, vm_normal_page() sees nothing.  Because nothing
 * holds the pages, ring.c unmaps (zap + TLB flush) before the request ends.
 */
#include <linux/mm.h>

#include "ubmap.h"

struct ubmap_mkspecial_ctx {
	struct mm_struct *mm;
	struct page **pages;
	pgprot_t prot;
	unsigned int next;
};

static int ubmap_mkspecial_pte(pte_t *pte, unsigned long addr, void *data)
{
	struct ubmap_mkspecial_ctx *ctx = data;

	/* The slot must be empty: ring.c unmaps before it maps again. */
	if (!pte_none(*pte))
		return -EBUSY;
	set_pte_at(ctx->mm, addr, pte,
		   pte_mkspecial(mk_pte(ctx->pages[ctx->next++], ctx->prot)));
	return 0;
}

static u64 ubmap_mkspecial_unmap(struct vm_area_struct *vma,
				 unsigned long addr, unsigned long len)
{
	/* Special PTEs: the zap never reads their dirty bit. */
	zap_vma_ptes(vma, addr, len);
	return 0;
}

static int ubmap_mkspecial_map(struct vm_area_struct *vma, unsigned long addr,
			       struct page **pages, unsigned int nr, bool writable,
			       u64 *calls)
{
	struct ubmap_mkspecial_ctx ctx = {
		.mm = vma->vm_mm,
		.pages = pages,
		.prot = ubmap_mode_prot(vma, writable),
	};
	unsigned long len = (unsigned long)nr * PAGE_SIZE;
	int ret;

	(*calls)++;
	ret = apply_to_page_range(vma->vm_mm, addr, len, ubmap_mkspecial_pte,
				  &ctx);
	if (ret)
		ubmap_mkspecial_unmap(vma, addr, len);
	return ret;
}

const struct ubmap_mode_ops ubmap_mode_mkspecial = {
	/* VM_PFNMAP: core mm treats the PTEs as raw frames, never as pages it
	 * may reference, and zap_vma_ptes() accepts the vma.
	 */
	.vm_flags	= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP,
	.map		= ubmap_mkspecial_map,
	.unmap		= ubmap_mkspecial_unmap,
};
