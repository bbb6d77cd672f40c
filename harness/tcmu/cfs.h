/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configfs side: a tcmu ("user") backstore, a tcm_loop SCSI host with
 * one LUN linked to it, and the /dev/sdX that appears; then the same in
 * reverse.  The steps (README "The tcmu peer"):
 *   core/user_0/NAME: control "dev_size=..,dev_config=ubmap/NAME,
 *       hw_block_size=512,hw_max_sectors=..", attrib/cmd_time_out, enable 1
 *       (the UIO device "tcm-user/0/NAME/ubmap/NAME" appears)
 *   loopback/naa.T/tpgt_1, its nexus "naa.I", lun/lun_0 with a symlink to
 *       the backstore (scsi_add_device: the disk probes through us)
 * Every path hangs off cfs_root and sys_root so the tests can use a tmpdir.
 */
#ifndef TCMUD_CFS_H
#define TCMUD_CFS_H

#include <stddef.h>
#include <linux/types.h>

extern const char *cfs_root;	/* "/sys/kernel/config/target" */
extern const char *sys_root;	/* "/sys" */

struct cfs_dev {
	char name[64];		/* the backstore's name */
	char core[256];		/* cfs_root/core/user_0/NAME */
	char wwn[32];		/* naa.<16 hex>: target port, from the name */
	char iwwn[32];		/* the initiator port's */
	char tpg[256];		/* cfs_root/loopback/WWN/tpgt_1 */
	char uio_name[160];	/* what /sys/class/uio/uioN/name says */
};

/* Fill @d's names and paths for backstore @name; -1 if it does not fit. */
int cfs_dev_init(struct cfs_dev *d, const char *name);

/* modprobe target_core_user tcm_loop sd_mod; 0 or -1 (logged). */
int cfs_load_modules(void);

/**
 * cfs_backstore_create() - the user backstore, enabled; 0 or -1 (logged,
 * and whatever was made is removed again).
 */
int cfs_backstore_create(const struct cfs_dev *d, __u64 size,
			 unsigned int block_size, unsigned int max_io,
			 unsigned int cmd_timeout);

/* /dev/uioN of the backstore into @dev and its map 0's size; 0 or -1. */
int cfs_find_uio(const struct cfs_dev *d, char *dev, size_t len, size_t *size);

/* The tcm_loop host, nexus and LUN; 0 or -1 (logged). */
int cfs_loop_create(const struct cfs_dev *d);

/* /dev/sdX of the LUN, waiting up to @ms for the disk to probe; 0 or -1. */
int cfs_find_disk(const struct cfs_dev *d, char *dev, size_t len, int ms);

/* Undo cfs_loop_create / cfs_backstore_create, whatever exists; 0 or -1. */
int cfs_loop_remove(const struct cfs_dev *d);
int cfs_backstore_remove(const struct cfs_dev *d);

#endif /* TCMUD_CFS_H */
