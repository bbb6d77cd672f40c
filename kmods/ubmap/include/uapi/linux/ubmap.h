/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ubmap ABI: shared by the kernel module and the userspace backend.
 *
 * A backend opens /dev/ubmapcN (one backend at a time), reads struct
 * ubmap_info with UBMAP_IOC_GET_INFO, checks abi_version, then mmap()s two
 * areas of the char device, MAP_SHARED:
 *
 *   offset 0, length info.ctrl_size:
 *       struct ubmap_ctrl_header, then at info.desc_offset an array of
 *       nr_queues * queue_depth struct ubmap_io_desc, indexed by
 *       queue * queue_depth + tag.  Written by the kernel, read-only here.
 *   offset info.data_offset, length info.data_size:
 *       the data window: one slot of info.slot_size bytes per descriptor,
 *       slot n at n * slot_size.  A fetched request's data is at
 *       desc.window_off for desc.len bytes, and only there.
 *
 * Then one thread per queue loops on UBMAP_IOC_COMMIT_FETCH: it hands back
 * the results of the requests it finished and receives the tags of the next
 * ones (blocking until at least one is ready unless UBMAP_BATCH_NOWAIT).
 * After a tag is committed its data is no longer in the window.
 */
#ifndef _UAPI_LINUX_UBMAP_H
#define _UAPI_LINUX_UBMAP_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define UBMAP_MAGIC		0x50414d42u	/* "BMAP" little-endian */
#define UBMAP_ABI_VERSION	2

/*
 * A fetched request is named by a handle: its tag in the low bits and,
 * above them, a generation the kernel advances every time it hands the tag
 * out.  Index descriptors and slots by UBMAP_HANDLE_TAG(); commit the
 * handle exactly as fetched.  A completion for an earlier use of the tag is
 * then refused (-EINVAL, counted in stale_completions) instead of ending
 * the tag's next request with someone else's result.
 */
#define UBMAP_HANDLE_TAG_BITS	16
#define UBMAP_HANDLE_TAG(h)	((h) & ((1U << UBMAP_HANDLE_TAG_BITS) - 1))
#define UBMAP_HANDLE_GEN(h)	((h) >> UBMAP_HANDLE_TAG_BITS)
#define UBMAP_HANDLE(tag, gen)	(((__u32)(gen) << UBMAP_HANDLE_TAG_BITS) | (tag))

/* Feature bits reported in ubmap_info.features. */
/* The data window is mapped per request (zero-copy modes) or once (copy). */
#define UBMAP_F_ZERO_COPY	(1ULL << 0)
/* Unaligned or refused requests fall back to a copy through the slot. */
#define UBMAP_F_FALLBACK_COPY	(1ULL << 1)
/* poll() on the char device reports EPOLLIN when requests are pending. */
#define UBMAP_F_POLL		(1ULL << 2)
/*
 * The disk has a volatile write cache: UBMAP_OP_FLUSH asks the backend to
 * make every completed WRITE durable, UBMAP_DESC_F_FUA one WRITE before it
 * completes.  fsync() on the disk reaches the backend's storage.
 */
#define UBMAP_F_FLUSH		(1ULL << 3)
/* The user_copy mode: data moves by pread/pwrite (UBMAP_DESC_F_USER_COPY). */
#define UBMAP_F_USER_COPY	(1ULL << 4)

#define UBMAP_MODE_NAME_LEN	32

/*
 * The mapping modes, by the name the sysfs "mode" attribute, the "mode"
 * module parameter and ubmap_info.mode use; in this order in the "modes"
 * attribute.  Each is implemented by one kmods/ubmap/mode_*.c.
 */
#define UBMAP_MODES(X)							\
	X(copy)			/* a bounce area mapped once, memcpy */	\
	X(vm_insert_pages)	/* request pages, refcounted PTEs */	\
	X(remap_pfn_range)	/* request PFNs, one call per run */	\
	X(mkspecial)		/* special PTEs, no refcount */	\
	X(user_copy)		/* pread/pwrite, one copy, no mapping */

/*
 * Why a request in a zero-copy mode went through the copy instead: each
 * is a stats key "fallback_<reason>".
 */
#define UBMAP_FALLBACKS(X)	UBMAP_FALLBACKS_PREFIXED(X, )
/* The same, each name after @p (may be empty). */
#define UBMAP_FALLBACKS_PREFIXED(X, p)					\
	X(p##unaligned)		/* segment not page aligned */		\
	X(p##anon_page)		/* vm_insert_pages refuses anon */	\
	X(p##refused_page)	/* slab or typed page */		\
	X(p##map_error)		/* mapping call failed */		\
	X(p##reserved_page)	/* the zero page, reserved pages */	\
	X(p##hugetlb_page)	/* hugetlb pages (vm_insert_pages) */

/* The reasons as numbers (ubmap_microbench.refused), 0 for none. */
enum ubmap_fallback {
	UBMAP_FB_NONE = 0,
#define UBMAP_FB_ENUM(name) UBMAP_FB_##name,
	UBMAP_FALLBACKS(UBMAP_FB_ENUM)
#undef UBMAP_FB_ENUM
};

struct ubmap_info {
	__u32 magic;
	__u32 abi_version;
	__u64 features;
	__u32 nr_queues;
	__u32 queue_depth;		/* tags per queue */
	__u32 slot_size;		/* bytes; also the max I/O size */
	__u32 logical_block_size;
	__u64 capacity;			/* bytes */
	__u64 ctrl_size;		/* mmap length at offset 0 */
	__u64 desc_offset;		/* descriptor array within ctrl */
	__u64 data_offset;		/* mmap offset of the data window */
	__u64 data_size;		/* mmap length of the data window */
	char mode[UBMAP_MODE_NAME_LEN];	/* mapping mode, NUL-terminated */
	__u64 reserved[8];
};

/* The first bytes of the ctrl area: a copy of the info, for inspection. */
struct ubmap_ctrl_header {
	struct ubmap_info info;
};

enum ubmap_op {
	UBMAP_OP_READ	= 0,	/* backend fills the window */
	UBMAP_OP_WRITE	= 1,	/* backend reads the window */
	UBMAP_OP_FLUSH	= 2,	/* no data: make completed WRITEs durable */
};

/* ubmap_io_desc.flags */
#define UBMAP_DESC_F_MAPPED	(1U << 0)	/* request pages are in the slot */
#define UBMAP_DESC_F_COPIED	(1U << 1)	/* data copied through the slot */
#define UBMAP_DESC_F_FUA	(1U << 2)	/* WRITE: durable before completing */
/*
 * The data is not in the window (user_copy mode): the backend pread()s a
 * WRITE's data from, and pwrite()s a READ's data to, the char device at
 * UBMAP_USER_COPY_OFF + window_off (+ a byte offset into the request),
 * while it holds the request.  The module copies straight between the
 * request's pages and the backend's buffer.  Only that direction is
 * allowed: a READ's pages are never shown before the backend filled them.
 */
#define UBMAP_DESC_F_USER_COPY	(1U << 3)
#define UBMAP_USER_COPY_OFF	(1ULL << 48)

struct ubmap_io_desc {
	__u8  op;		/* enum ubmap_op */
	__u8  flags;		/* UBMAP_DESC_F_* */
	__u16 queue;
	__u32 tag;
	__u32 len;		/* bytes */
	__u32 handle;		/* as fetched: what the completion names */
	__u64 offset;		/* byte offset on the device */
	__u64 window_off;	/* byte offset of the data in the window */
};

struct ubmap_completion {
	__u32 tag;		/* the handle as fetched (UBMAP_HANDLE) */
	__s32 result;		/* 0, or a negative errno: the I/O fails */
};

/* ubmap_batch.flags */
#define UBMAP_BATCH_NOWAIT	(1U << 0)	/* do not block in the fetch */

struct ubmap_batch {
	__u32 queue;
	__u32 flags;		/* UBMAP_BATCH_* */
	__u64 completions;	/* in: user pointer, struct ubmap_completion[] */
	__u32 nr_completions;	/* in */
	__u32 nr_completed;	/* out: completions consumed */
	__u64 tags;		/* in: user pointer, __u32[max_fetch]: the
				 * handles of the fetched requests */
	__u32 max_fetch;	/* in */
	__u32 nr_fetched;	/* out */
	__u64 reserved[4];	/* must be zero */
};

#define UBMAP_IOC_MAGIC		0xb7
#define UBMAP_IOC_GET_INFO	_IOR(UBMAP_IOC_MAGIC, 0, struct ubmap_info)
/*
 * Commit then fetch.  Completions are consumed in order; the first bad one
 * (unknown tag, tag not fetched, already completed, a stale generation)
 * stops the batch with
 * -EINVAL and nr_completed says how far it got (it is set on every
 * return).  max_fetch 0 commits only and never blocks; a NOWAIT fetch with
 * nothing pending returns 0 with nr_fetched 0.  Returns 0 on success,
 * -EINTR on a signal (completions already consumed), -ENXIO when the ctrl
 * area or the window is not mapped, -EPERM from a process other than the
 * one that opened the device.
 */
#define UBMAP_IOC_COMMIT_FETCH	_IOWR(UBMAP_IOC_MAGIC, 1, struct ubmap_batch)

/*
 * Test-only, with the module parameter microbench=1 (-EPERM otherwise): the
 * cost of the current mode's way of showing pages, without a request.  The
 * module takes @nr_pages pages of @kind, then @iterations times maps them at
 * the slot of queue 0, tag 0 and unmaps them again (a mapping mode: its map
 * and unmap, TLB flush included; copy: a memcpy into the slot; user_copy: a
 * copy_to_user into the second half of @user_buf), and returns the time
 * spent in each half.  @user_buf is 2 * @nr_pages pages of the caller's
 * memory: the anon kind pins the first half, user_copy writes the second.
 * -EBUSY while queue 0 has tag 0 fetched, -ENXIO without the window (a
 * mapping mode), -EINVAL for a bad kind, size or count.  @refused says why
 * the mode would not map pages of that kind (what a request with them
 * would fall back for); then nothing was timed.
 */
#define UBMAP_MB_KINDS(X)						\
	X(kernel)		/* alloc_page(GFP_KERNEL) */		\
	X(pagecache)		/* shmem page-cache pages */		\
	X(anon)			/* the caller's pinned anonymous pages */

enum ubmap_mb_kind {
#define UBMAP_MB_ENUM(n) UBMAP_MB_##n,
	UBMAP_MB_KINDS(UBMAP_MB_ENUM)
#undef UBMAP_MB_ENUM
	UBMAP_NR_MB_KINDS
};

/* ubmap_microbench.flags: map as a WRITE request's pages (read-only). */
#define UBMAP_MB_F_READONLY	(1U << 0)
#define UBMAP_MB_MAX_ITERATIONS	100000

struct ubmap_microbench {
	__u32 kind;		/* in: UBMAP_MB_* */
	__u32 nr_pages;		/* in: 1 .. slot_size / page size */
	__u32 iterations;	/* in: 1 .. UBMAP_MB_MAX_ITERATIONS */
	__u32 flags;		/* in: UBMAP_MB_F_* */
	__u64 user_buf;		/* in: 2 * nr_pages pages, page aligned */
	__u64 map_ns;		/* out: over all iterations */
	__u64 unmap_ns;		/* out */
	__u64 map_calls;	/* out: calls into the mm to map, in total */
	__u32 refused;		/* out: UBMAP_FB_NONE, or why (enum ubmap_fallback) */
	__u32 reserved[5];	/* must be zero */
};

#define UBMAP_IOC_MICROBENCH	_IOWR(UBMAP_IOC_MAGIC, 2, struct ubmap_microbench)

/*
 * Keys of the stats file (debugfs ubmap/<disk>/stats), one "key value" per
 * line in this order.  Writing anything to the file resets the counters.
 */
#define UBMAP_STATS_KEYS(X)						\
	X(reads)		/* read requests completed */		\
	X(writes)		/* write requests completed */		\
	X(read_bytes)							\
	X(write_bytes)							\
	X(errors)		/* requests ended with an error */	\
	X(backend_errors)	/* backend returned result < 0 */	\
	X(protocol_errors)	/* bad tags, bad batches */		\
	X(stale_completions)	/* handles of an earlier fetch of their	\
				 * tag: refused (protocol errors too) */ \
	X(requests_mapped)	/* request pages mapped (zero-copy) */	\
	X(requests_copied)	/* data went through the slot copy */	\
	X(pages_mapped)		/* request pages put in the window */	\
	X(map_calls)		/* calls into the mm to map, bounce too */ \
	X(bounce_pages_mapped)	/* slot pages mapped for a fallback */	\
	X(copy_bytes)		/* bytes memcpy'd either way */		\
	X(map_ns)							\
	X(unmap_ns)							\
	X(copy_ns)							\
	UBMAP_FALLBACKS_PREFIXED(X, fallback_)				\
	X(fetch_calls)		/* UBMAP_IOC_COMMIT_FETCH calls */	\
	X(fetched)		/* requests handed to the backend */	\
	X(read_pages_cleaned)	/* READ pages the backend wrote: made	\
				 * clean before the unmap, so no	\
				 * write-back (vm_insert_pages) */	\
	X(flushes)		/* FLUSH requests completed */		\
	X(fua_writes)		/* WRITEs completed with FUA */		\
	X(zap_calls)		/* slot unmaps (zero-copy modes, their	\
				 * bounce fallbacks too): one zap and	\
				 * one TLB flush each */		\
	X(requests_user_copied)	/* requests served by pread/pwrite */	\
	X(user_copy_calls)	/* pread/pwrite calls on the device */	\
	X(injected)		/* requests that paid the test-only	\
				 * inject_ns or inject_pct delay */	\
	X(injected_ns)		/* the ns they waited in all */

#endif /* _UAPI_LINUX_UBMAP_H */
