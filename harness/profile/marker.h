/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The window markers: a 9-byte x86 no-op, nopw DISP32(%rax,%rax,1), whose
 * displacement spells "UBM" and an operation.  It does nothing on a CPU
 * (or under KVM, or under TCG without the plugin); ubmap-insn recognises it
 * when it translates a user-space block, so a marker costs nothing until it
 * runs.  The window's name and the guest's symbols travel through files in
 * the plugin's directory (see insn-mark.c), not through the instruction.
 */
#ifndef PROFILE_MARKER_H
#define PROFILE_MARKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum insn_mark_op {
	INSN_MARK_NONE = 0,
	INSN_MARK_START = 1,
	INSN_MARK_STOP = 2,
};

#define INSN_MARK_LEN	9
/* 66 0f 1f 84 00: nopw with a SIB byte and a 32-bit displacement. */
#define INSN_MARK_PREFIX	"\x66\x0f\x1f\x84\x00"
#define INSN_MARK_PREFIX_LEN	5
/* The displacement's upper three bytes, little-endian after the op. */
#define INSN_MARK_MAGIC	0x55424d00u

/* The asm text of marker OP, for the guest helper. */
#define INSN_MARK_ASM(op) \
	".byte 0x66,0x0f,0x1f,0x84,0x00," #op ",0x4d,0x42,0x55"

/**
 * insn_mark_decode() - which marker, if any, an instruction is
 * @bytes: the instruction's bytes
 * @len: their number
 *
 * Return: INSN_MARK_START or INSN_MARK_STOP, INSN_MARK_NONE for any other
 * instruction (including a nopw with the magic and an unknown op).
 */
enum insn_mark_op insn_mark_decode(const uint8_t *bytes, size_t len);

/* Window names become file names: [A-Za-z0-9._-], not starting with '.'. */
#define INSN_MARK_NAME_MAX	96
bool insn_mark_name_ok(const char *name);

#endif /* PROFILE_MARKER_H */
