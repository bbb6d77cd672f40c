/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ublk's control plane: commands to /dev/ublk-control as IORING_OP_URING_CMD
 * on a ring of 128-byte SQEs (the command is 32 bytes, inline in the SQE).
 * Linux 6.1 knows only the legacy opcodes (UBLK_CMD_*, not UBLK_U_CMD_*).
 * Building a command is apart from sending it, so tests can check it.
 */
#ifndef UBLKD_CTRL_H
#define UBLKD_CTRL_H

#include <linux/types.h>
#include <linux/ublk_cmd.h>

#include <liburing.h>

#include "options.h"

#define UBLK_CONTROL_DEV	"/dev/ublk-control"

/* What ADD_DEV needs besides the header: the device's info, in and out. */
void ctrl_build_add(const struct ublkd_opts *o,
		    struct ublksrv_ctrl_dev_info *info,
		    struct ublksrv_ctrl_cmd *c);
/* SET_PARAMS for @o: size, limits, a write cache with FUA, as ubmap's disk. */
void ctrl_build_params(const struct ublkd_opts *o, struct ublk_params *p,
		       __u32 dev_id, struct ublksrv_ctrl_cmd *c);
/* START_DEV (@pid: the server), STOP_DEV, DEL_DEV: only the id (and pid). */
void ctrl_build_simple(__u32 dev_id, __s32 pid, struct ublksrv_ctrl_cmd *c);

/* Fill a 128-byte @sqe: command @op of @c on control device @fd. */
void ctrl_prep(struct io_uring_sqe *sqe, int fd, __u32 op,
	       const struct ublksrv_ctrl_cmd *c);

const char *ctrl_op_name(__u32 op);

struct ctrl {
	int fd;
	struct io_uring ring;
	int ring_ready;
};

/* Open /dev/ublk-control and its ring; errors are logged with the cause. */
int ctrl_open(struct ctrl *ctl);
void ctrl_close(struct ctrl *ctl);
/* Run one command and wait for it: the kernel's result (0 or -errno). */
int ctrl_run(struct ctrl *ctl, __u32 op, const struct ublksrv_ctrl_cmd *c);

#endif /* UBLKD_CTRL_H */
