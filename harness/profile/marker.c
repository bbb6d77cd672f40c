// SPDX-License-Identifier: GPL-2.0
/* Recognising a window marker among the instructions of a block. */
#include <string.h>

#include "marker.h"

enum insn_mark_op insn_mark_decode(const uint8_t *bytes, size_t len)
{
	uint32_t disp;

	if (!bytes || len != INSN_MARK_LEN ||
	    memcmp(bytes, INSN_MARK_PREFIX, INSN_MARK_PREFIX_LEN))
		return INSN_MARK_NONE;
	disp = (uint32_t)bytes[5] | (uint32_t)bytes[6] << 8 |
	       (uint32_t)bytes[7] << 16 | (uint32_t)bytes[8] << 24;
	if ((disp & 0xffffff00u) != INSN_MARK_MAGIC)
		return INSN_MARK_NONE;
	switch (disp & 0xff) {
	case INSN_MARK_START:
		return INSN_MARK_START;
	case INSN_MARK_STOP:
		return INSN_MARK_STOP;
	default:
		return INSN_MARK_NONE;
	}
}

bool insn_mark_name_ok(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	if (!len || len >= INSN_MARK_NAME_MAX || name[0] == '.')
		return false;
	return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789._-") == len;
}
