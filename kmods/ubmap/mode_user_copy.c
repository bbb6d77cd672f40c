// SPDX-License-Identifier: GPL-2.0
/*
 * user_copy mode (ublk's UBLK_F_USER_COPY, 6.5): nothing is mapped and
 * nothing is bounced.  The backend pread()s a WRITE's data and pwrite()s a
 * READ's through the char device, and the module copies straight between
 * its buffer and the request's pages (user_copy.c): one copy, in the
 * backend's own syscall, no TLB work.  The window stays empty.
 */
#include "ubmap.h"

const struct ubmap_mode_ops ubmap_mode_user_copy = {
	.vm_flags	= 0,
	.user_copy	= true,
};
