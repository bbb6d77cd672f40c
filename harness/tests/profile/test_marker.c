// SPDX-License-Identifier: GPL-2.0
/* Marker decoding: the helper's encoding is what the plugin recognises. */
#include "../testlib.h"

#include <string.h>

#include "marker.h"
#include "profile_tests.h"

/* The very bytes ubmap-insn-mark executes, assembled from the same macro. */
asm(".pushsection .rodata\n"
    "mark_start_bytes: " INSN_MARK_ASM(1) "\n"
    "mark_stop_bytes: " INSN_MARK_ASM(2) "\n"
    ".popsection");
extern const uint8_t mark_start_bytes[], mark_stop_bytes[];

static void helper_encoding_decodes(void **state)
{
	(void)state;
	assert_int_equal(insn_mark_decode(mark_start_bytes, INSN_MARK_LEN), INSN_MARK_START);
	assert_int_equal(insn_mark_decode(mark_stop_bytes, INSN_MARK_LEN), INSN_MARK_STOP);
}

static void other_instructions_are_not_markers(void **state)
{
	uint8_t b[INSN_MARK_LEN];

	(void)state;
	/* A real nopw 0x0(%rax,%rax,1) of the same length, as compilers pad with. */
	memcpy(b, "\x66\x0f\x1f\x84\x00\x00\x00\x00\x00", INSN_MARK_LEN);
	assert_int_equal(insn_mark_decode(b, INSN_MARK_LEN), INSN_MARK_NONE);
	/* The magic with an unknown operation. */
	memcpy(b, mark_start_bytes, INSN_MARK_LEN);
	b[5] = 3;
	assert_int_equal(insn_mark_decode(b, INSN_MARK_LEN), INSN_MARK_NONE);
	/* One magic byte off. */
	memcpy(b, mark_start_bytes, INSN_MARK_LEN);
	b[8] ^= 1;
	assert_int_equal(insn_mark_decode(b, INSN_MARK_LEN), INSN_MARK_NONE);
	/* Another opcode with the same tail. */
	memcpy(b, mark_start_bytes, INSN_MARK_LEN);
	b[2] = 0x1e;
	assert_int_equal(insn_mark_decode(b, INSN_MARK_LEN), INSN_MARK_NONE);
	/* The right bytes at the wrong length (another decoding of them). */
	assert_int_equal(insn_mark_decode(mark_start_bytes, INSN_MARK_LEN - 1), INSN_MARK_NONE);
	assert_int_equal(insn_mark_decode(mark_start_bytes, INSN_MARK_LEN + 1), INSN_MARK_NONE);
	assert_int_equal(insn_mark_decode(NULL, INSN_MARK_LEN), INSN_MARK_NONE);
}

static void window_names(void **state)
{
	char longname[INSN_MARK_NAME_MAX + 1];

	(void)state;
	assert_true(insn_mark_name_ok("cell-4k_randread.remap_pfn_range"));
	assert_false(insn_mark_name_ok(""));
	assert_false(insn_mark_name_ok(NULL));
	assert_false(insn_mark_name_ok(".hidden"));
	assert_false(insn_mark_name_ok("../escape"));
	assert_false(insn_mark_name_ok("a b"));
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_false(insn_mark_name_ok(longname));
	longname[INSN_MARK_NAME_MAX - 1] = '\0';
	assert_true(insn_mark_name_ok(longname));
}

int test_marker(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(helper_encoding_decodes),
		cmocka_unit_test(other_instructions_are_not_markers),
		cmocka_unit_test(window_names),
	};

	return cmocka_run_group_tests_name("marker", tests, NULL, NULL);
}
