// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "ctrl.h"
#include "log.h"

/* The control SQE's 80 bytes of command space take the whole header. */
_Static_assert(sizeof(struct ublksrv_ctrl_cmd) <= 80, "ctrl cmd fits an SQE128");

void ctrl_build_add(const struct ublkd_opts *o,
		    struct ublksrv_ctrl_dev_info *info,
		    struct ublksrv_ctrl_cmd *c)
{
	memset(info, 0, sizeof(*info));
	info->nr_hw_queues = o->queues;
	info->queue_depth = o->depth;
	info->max_io_buf_bytes = o->max_io;
	/* Any free id; the kernel writes the one it chose back into info. */
	info->dev_id = (__u32)-1;
	/* No recovery, no NEED_GET_DATA: WRITE data is in the buffer at fetch. */
	info->flags = 0;

	memset(c, 0, sizeof(*c));
	c->dev_id = info->dev_id;
	c->queue_id = (__u16)-1;
	c->addr = (uintptr_t)info;
	c->len = sizeof(*info);
}

void ctrl_build_params(const struct ublkd_opts *o, struct ublk_params *p,
		       __u32 dev_id, struct ublksrv_ctrl_cmd *c)
{
	struct ublk_param_basic *b = &p->basic;

	memset(p, 0, sizeof(*p));
	p->len = sizeof(*p);
	p->types = UBLK_PARAM_TYPE_BASIC;
	/* Like ubmap's disk: the block layer keeps FLUSH and FUA for us. */
	b->attrs = UBLK_ATTR_VOLATILE_CACHE | UBLK_ATTR_FUA;
	b->logical_bs_shift = UBLKD_SECTOR_SHIFT;
	b->physical_bs_shift = 12;
	b->io_min_shift = UBLKD_SECTOR_SHIFT;
	b->io_opt_shift = 12;
	b->max_sectors = o->max_io >> UBLKD_SECTOR_SHIFT;
	b->dev_sectors = o->size >> UBLKD_SECTOR_SHIFT;

	memset(c, 0, sizeof(*c));
	c->dev_id = dev_id;
	c->queue_id = (__u16)-1;
	c->addr = (uintptr_t)p;
	c->len = sizeof(*p);
}

void ctrl_build_simple(__u32 dev_id, __s32 pid, struct ublksrv_ctrl_cmd *c)
{
	memset(c, 0, sizeof(*c));
	c->dev_id = dev_id;
	c->queue_id = (__u16)-1;
	c->data[0] = pid;
}

void ctrl_prep(struct io_uring_sqe *sqe, int fd, __u32 op,
	       const struct ublksrv_ctrl_cmd *c)
{
	/* All 128 bytes: stale command bytes would be read as ours. */
	memset(sqe, 0, 2 * sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = op;
	memcpy(sqe->cmd, c, sizeof(*c));
	io_uring_sqe_set_data64(sqe, op);
}

const char *ctrl_op_name(__u32 op)
{
	switch (op) {
	case UBLK_CMD_ADD_DEV:		return "ADD_DEV";
	case UBLK_CMD_SET_PARAMS:	return "SET_PARAMS";
	case UBLK_CMD_START_DEV:	return "START_DEV";
	case UBLK_CMD_STOP_DEV:		return "STOP_DEV";
	case UBLK_CMD_DEL_DEV:		return "DEL_DEV";
	case UBLK_CMD_GET_DEV_INFO:	return "GET_DEV_INFO";
	}
	return "?";
}

int ctrl_open(struct ctrl *ctl)
{
	int ret;

	memset(ctl, 0, sizeof(*ctl));
	ctl->fd = open(UBLK_CONTROL_DEV, O_RDWR | O_CLOEXEC);
	if (ctl->fd < 0) {
		ret = -errno;
		if (ret == -ENOENT)
			ub_err("no %s: is ublk_drv loaded? (insmod kmods/ublk/ublk_drv.ko)",
			       UBLK_CONTROL_DEV);
		else
			ub_err("cannot open %s: %s", UBLK_CONTROL_DEV,
			       strerror(-ret));
		return ret;
	}
	ret = io_uring_queue_init(4, &ctl->ring, IORING_SETUP_SQE128);
	if (ret < 0) {
		ub_err("cannot set up the control ring (io_uring with 128-byte SQEs, Linux 5.19+): %s",
		       strerror(-ret));
		close(ctl->fd);
		ctl->fd = -1;
		return ret;
	}
	ctl->ring_ready = 1;
	return 0;
}

void ctrl_close(struct ctrl *ctl)
{
	if (ctl->ring_ready)
		io_uring_queue_exit(&ctl->ring);
	ctl->ring_ready = 0;
	if (ctl->fd >= 0)
		close(ctl->fd);
	ctl->fd = -1;
}

int ctrl_run(struct ctrl *ctl, __u32 op, const struct ublksrv_ctrl_cmd *c)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ctl->ring);
	struct io_uring_cqe *cqe;
	int ret;

	if (!sqe)
		return -EBUSY;	/* one command at a time: cannot happen */
	ctrl_prep(sqe, ctl->fd, op, c);
	ret = io_uring_submit(&ctl->ring);
	if (ret < 0)
		return ret;
	/*
	 * The command runs in the kernel whatever happens here; a signal
	 * must not make us forget its result.
	 */
	do
		ret = io_uring_wait_cqe(&ctl->ring, &cqe);
	while (ret == -EINTR);
	if (ret < 0)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(&ctl->ring, cqe);
	return ret;
}
