// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-insn-mark: opens and closes a window of the instruction profile
 * (ubmap-insn.so) from inside the guest.
 *   ubmap-insn-mark start NAME    write the guest's symbols, then the start marker
 *   ubmap-insn-mark stop          the stop marker: the plugin writes DIR/NAME.json
 *   ubmap-insn-mark loop NAME N   a window around N rounds of a 2-instruction loop
 * DIR is $UBMAP_INSN_DIR (vm-run.sh --plugin sets it).  The plugin answers
 * each marker in DIR/status; no answer means no plugin, and is an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mark.h"

static void die(const char *fmt, const char *a)
{
	fprintf(stderr, "ubmap-insn-mark: ");
	fprintf(stderr, fmt, a);
	fputc('\n', stderr);
	exit(1);
}

/* Exactly 2 instructions a round (dec, jnz): the known count of the test. */
static void spin(unsigned long n)
{
	asm volatile("1: dec %0\n\tjnz 1b" : "+r"(n) : : "cc");
}

static void usage(void)
{
	fprintf(stderr, "usage: ubmap-insn-mark start NAME | stop | loop NAME ROUNDS\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *dir = getenv("UBMAP_INSN_DIR");
	char err[4608], *end;
	unsigned long n;

	if (argc < 2)
		usage();
	if (!dir || !*dir)
		die("UBMAP_INSN_DIR is unset: boot the guest with vm-run.sh --plugin%s", "");
	if (!strcmp(argv[1], "start") && argc == 3) {
		if (insn_window_start(dir, argv[2], err, sizeof(err)))
			die("%s", err);
	} else if (!strcmp(argv[1], "stop") && argc == 2) {
		if (insn_window_stop(dir, err, sizeof(err)))
			die("%s", err);
	} else if (!strcmp(argv[1], "loop") && argc == 4) {
		errno = 0;
		n = strtoul(argv[3], &end, 10);
		if (errno || *end || !n || argv[3][0] == '-')
			die("loop: ROUNDS '%s': want a positive whole number", argv[3]);
		if (insn_window_start(dir, argv[2], err, sizeof(err)))
			die("%s", err);
		spin(n);
		if (insn_window_stop(dir, err, sizeof(err)))
			die("%s", err);
	} else {
		usage();
	}
	return 0;
}
