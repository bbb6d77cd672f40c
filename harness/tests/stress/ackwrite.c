// SPDX-License-Identifier: GPL-2.0
/*
 * Acknowledged writes, and their check after a backend died.
 *
 *   ackwrite write  DEV STATE OFF BLOCKS SEED direct|buffered [MAX]
 *   ackwrite verify DEV STATE OFF BLOCKS SEED
 *
 * write: writes 4 KiB blocks round-robin over BLOCKS blocks at byte OFF,
 * each durable before the next (O_DIRECT|O_DSYNC, or write + fdatasync),
 * and after each one records in STATE how many were acknowledged.  It
 * stops at the first error (the backend died: exit 0) or after MAX writes.
 * verify: every block whose last write was acknowledged must hold exactly
 * that write's pattern.  The block of the one write in flight at the
 * error is not checked: a failed write may be torn.  Prints
 * "checked N lost M"; exits 1 if M > 0, 2 on a usage or I/O error.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLK	4096

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Write number @k (block k % blocks, generation k / blocks) of @seed. */
static void fill(uint64_t *p, uint64_t seed, uint64_t k)
{
	for (unsigned int i = 0; i < BLK / 8; i++)
		p[i] = splitmix(seed ^ splitmix(k * (BLK / 8) + i));
}

static int usage(void)
{
	fprintf(stderr, "usage: ackwrite write|verify DEV STATE OFF BLOCKS SEED [direct|buffered [MAX]]\n");
	return 2;
}

static int num(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || !*s || *end) {
		fprintf(stderr, "ackwrite: '%s' is not a number\n", s);
		return -1;
	}
	return 0;
}

static int do_write(int fd, int state, uint64_t off, uint64_t blocks,
		    uint64_t seed, int direct, uint64_t max, uint64_t *buf)
{
	uint64_t k;

	for (k = 0; k < max; k++) {
		fill(buf, seed, k);
		if (pwrite(fd, buf, BLK, off + (k % blocks) * BLK) != BLK ||
		    (!direct && fdatasync(fd)))
			break;
		if (pwrite(state, &(uint64_t){ k + 1 }, 8, 0) != 8) {
			perror("ackwrite: state");
			return 2;
		}
	}
	printf("acked %" PRIu64 "%s%s\n", k, k < max ? ": " : "",
	       k < max ? strerror(errno) : "");
	return 0;
}

static int do_verify(int fd, int state, uint64_t off, uint64_t blocks,
		     uint64_t seed, uint64_t *buf)
{
	uint64_t acked = 0, lost = 0, checked = 0, b, want[BLK / 8];

	if (pread(state, &acked, 8, 0) < 0) {
		perror("ackwrite: state");
		return 2;
	}
	for (b = 0; b < blocks && b < acked; b++) {
		/* The last acknowledged write to block b. */
		uint64_t k = acked - 1 - (acked - 1 - b) % blocks;

		if (k % blocks == acked % blocks && acked >= blocks)
			continue;	/* the block of the write in flight */
		if (pread(fd, buf, BLK, off + b * BLK) != BLK) {
			perror("ackwrite: read back");
			return 2;
		}
		fill(want, seed, k);
		checked++;
		if (memcmp(buf, want, BLK)) {
			if (lost++ < 5)
				fprintf(stderr, "ackwrite: block %" PRIu64 " lost write %" PRIu64 "\n",
					b, k);
		}
	}
	printf("checked %" PRIu64 " lost %" PRIu64 "\n", checked, lost);
	return lost ? 1 : 0;
}

int main(int argc, char **argv)
{
	uint64_t off, blocks, seed, max = UINT64_MAX, *buf;
	int write, direct = 1, fd, state;

	if (argc < 7)
		return usage();
	write = !strcmp(argv[1], "write");
	if (!write && strcmp(argv[1], "verify"))
		return usage();
	if (num(argv[4], &off) || num(argv[5], &blocks) || num(argv[6], &seed) ||
	    (argc > 8 && num(argv[8], &max)) || !blocks || off % BLK)
		return usage();
	if (write && argc > 7) {
		if (strcmp(argv[7], "direct") && strcmp(argv[7], "buffered"))
			return usage();
		direct = !strcmp(argv[7], "direct");
	}
	if (posix_memalign((void **)&buf, BLK, BLK))
		return 2;
	fd = open(argv[2], (write ? O_WRONLY : O_RDONLY) |
		  (direct ? O_DIRECT : 0) | (write && direct ? O_DSYNC : 0));
	state = open(argv[3], write ? O_RDWR | O_CREAT | O_TRUNC : O_RDONLY, 0600);
	if (fd < 0 || state < 0) {
		perror("ackwrite: open");
		return 2;
	}
	if (write)
		return do_write(fd, state, off, blocks, seed, direct, max, buf);
	return do_verify(fd, state, off, blocks, seed, buf);
}
