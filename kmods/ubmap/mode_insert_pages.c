// SPDX-License-Identifier: GPL-2.0
/*
 * vm_insert_pages mode: the request's pages become normal PTEs in the slot,
 * with a page reference and rmap each.  The kernel refuses anonymous, slab
 * and typed pages, so an O_DIRECT request from a user buffer cannot be
 * mapped this way and falls back to the copy.
 */
#include <linux/mm.h>

#include "ubmap.h"

static enum ubmap_fallback ubmap_insert_check_page(struct page *page)
{
	/* The same test as validate_page_before_insert(), asked first so a
	 * refusal is a counted fallback rather than a half-mapped slot.
	 */
	if (PageAnon(page))
		return UBMAP_FB_ANON_PAGE;
	if (PageSlab(page) || page_has_type(page))
		return UBMAP_FB_REFUSED_PAGE;
	return UBMAP_FB_NONE;
}

static void ubmap_insert_unmap(struct vm_area_struct *vma, unsigned long addr,
			       unsigned long len)
{
	/* zap_vma_ptes() ignores VM_MIXEDMAP vmas; zap_page_range() drops the
	 * references and rmap and flushes the TLB before returning.
	 */
	zap_page_range(vma, addr, len);
}

static int ubmap_insert_map(struct vm_area_struct *vma, unsigned long addr,
			    struct page **pages, unsigned int nr, bool writable,
			    u64 *calls)
{
	unsigned long left = nr;
	int ret;

	/* One call; it takes the PTE lock once per batch of 8 PTEs.  It has no
	 * protection argument: a WRITE request's pages are mapped writable too
	 * (vma->vm_page_prot), a property of this mode the report states.
	 */
	(*calls)++;
	ret = vm_insert_pages(vma, addr, pages, &left);
	if (ret)
		ubmap_insert_unmap(vma, addr, (unsigned long)nr * PAGE_SIZE);
	return ret;
}

const struct ubmap_mode_ops ubmap_mode_insert_pages = {
	.name		= "vm_insert_pages",
	/* Set at mmap: vm_insert_pages() would otherwise set it under a read
	 * lock and BUG()s on a VM_PFNMAP vma.
	 */
	.vm_flags	= VM_MIXEDMAP | VM_DONTEXPAND | VM_DONTDUMP,
	.check_page	= ubmap_insert_check_page,
	.map		= ubmap_insert_map,
	.unmap		= ubmap_insert_unmap,
};
