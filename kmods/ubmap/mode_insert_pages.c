// SPDX-License-Identifier: GPL-2.0
/*
 * vm_insert_pages mode: the request's pages become normal PTEs in the slot,
 * with a page reference and rmap each.  The kernel refuses anonymous, slab
 * and typed pages, so an O_DIRECT request from a user buffer cannot be
 * mapped this way and falls back to the copy.
 *
 * vm_insert_pages() has no protection argument: it uses vm_page_prot,
 * which write-notify (chardev.c) made read-only for this window.  So every
 * slot starts read-only, and only a READ request's PTEs are then made
 * writable; a WRITE request's data is the backend's to read, never to
 * change.
 */
#include <linux/hugetlb.h>
#include <linux/mm.h>

#include "ubmap.h"

static enum ubmap_fallback ubmap_insert_check_page(struct page *page)
{
	/* The same test as validate_page_before_insert(), asked first so a
	 * refusal is a counted fallback rather than a half-mapped slot.
	 */
	if (PageAnon(page))
		return UBMAP_FB_anon_page;
	if (PageSlab(page) || page_has_type(page))
		return UBMAP_FB_refused_page;
	/* vm_insert_pages() takes these, but the zap never gives the zero
	 * page's reference back (vm_normal_page() does not see it), and a
	 * zeroout WRITE is built from it: refuse the zero page and its kind.
	 */
	if (PageReserved(page) || is_zero_pfn(page_to_pfn(page)))
		return UBMAP_FB_reserved_page;
	/* A hugetlb tail page inserted as a small page unbalances its rmap:
	 * page_add_file_rmap() counts the subpage, the zap the compound.
	 */
	if (PageHuge(page))
		return UBMAP_FB_hugetlb_page;
	return UBMAP_FB_NONE;
}

static int ubmap_insert_mkwrite_pte(pte_t *pte, unsigned long addr, void *data)
{
	struct mm_struct *mm = data;

	/* More rights than the TLB may cache: no flush needed. */
	set_pte_at(mm, addr, pte, pte_mkwrite(*pte));
	return 0;
}

struct ubmap_insert_clean {
	struct mm_struct *mm;
	u64 cleaned;
};

static int ubmap_insert_clean_pte(pte_t *pte, unsigned long addr, void *data)
{
	struct ubmap_insert_clean *c = data;
	pte_t old;

	if (!pte_dirty(*pte))
		return 0;
	old = ptep_get_and_clear(c->mm, addr, pte);
	set_pte_at(c->mm, addr, pte, pte_mkclean(old));
	c->cleaned++;
	return 0;
}

static u64 ubmap_insert_unmap(struct vm_area_struct *vma, unsigned long addr,
			      unsigned long len)
{
	struct ubmap_insert_clean c = { .mm = vma->vm_mm };

	/* The backend filling a READ's page is a device writing it, not a
	 * store the mm must write back: zapping a dirty PTE would dirty the
	 * page-cache folio (a failed READ then overwrites good data at
	 * write-back, and __folio_mark_dirty() warns on the not-uptodate
	 * folio).  Clean first; the data stays, the block layer decides.
	 */
	apply_to_existing_page_range(vma->vm_mm, addr, len,
				     ubmap_insert_clean_pte, &c);
	/* zap_vma_ptes() ignores VM_MIXEDMAP vmas; zap_page_range() drops the
	 * references and rmap and flushes the TLB before returning.
	 */
	zap_page_range(vma, addr, len);
	return c.cleaned;
}

static int ubmap_insert_map(struct vm_area_struct *vma, unsigned long addr,
			    struct page **pages, unsigned int nr, bool writable,
			    u64 *calls)
{
	unsigned long left = nr, len = (unsigned long)nr * PAGE_SIZE;
	int ret;

	/* One call; it takes the PTE lock once per batch of 8 PTEs. */
	(*calls)++;
	ret = vm_insert_pages(vma, addr, pages, &left);
	/* A READ's slot is written by the backend: one more walk, no call
	 * into the mapping code (not counted in map_calls, timed in map_ns).
	 */
	if (!ret && writable)
		ret = apply_to_existing_page_range(vma->vm_mm, addr, len,
						   ubmap_insert_mkwrite_pte,
						   vma->vm_mm);
	if (ret)
		ubmap_insert_unmap(vma, addr, len);
	return ret;
}

const struct ubmap_mode_ops ubmap_mode_vm_insert_pages = {
	/* Set at mmap: vm_insert_pages() would otherwise set it under a read
	 * lock and BUG()s on a VM_PFNMAP vma.
	 */
	.vm_flags	= VM_MIXEDMAP | VM_DONTEXPAND | VM_DONTDUMP,
	.check_page	= ubmap_insert_check_page,
	.map		= ubmap_insert_map,
	.unmap		= ubmap_insert_unmap,
};
