// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-insn.so: a QEMU TCG plugin counting the guest's executed
 * instructions per vCPU and per kernel function, inside windows that the
 * guest opens and closes with ubmap-insn-mark (marker.h).  The counting is
 * prof.c's; this file is only QEMU's glue.
 *   -plugin ubmap-insn.so,dir=DIR    (DIR: shared with the guest)
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "marker.h"
#include "prof.h"
#include "qemu_plugin_api.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = UBMAP_QEMU_PLUGIN_VERSION;

static struct prof prof;

/*
 * Block records come from chunks that live until QEMU flushes its code
 * cache: the flush callback runs with every vCPU stopped, so no block
 * that points into a chunk can run again.
 */
#define CHUNK_TBS	65536
struct chunk {
	struct chunk *next;
	size_t used;
	struct prof_tb tbs[CHUNK_TBS];
};
static struct chunk *chunks;
static pthread_mutex_t chunk_lock = PTHREAD_MUTEX_INITIALIZER;

static struct prof_tb *tb_alloc(void)
{
	struct prof_tb *tb = NULL;

	pthread_mutex_lock(&chunk_lock);
	if (!chunks || chunks->used == CHUNK_TBS) {
		struct chunk *c = malloc(sizeof(*c));

		if (c) {
			c->next = chunks;
			c->used = 0;
			chunks = c;
		}
	}
	if (chunks && chunks->used < CHUNK_TBS)
		tb = &chunks->tbs[chunks->used++];
	pthread_mutex_unlock(&chunk_lock);
	return tb;
}

static void on_flush(qemu_plugin_id_t id)
{
	(void)id;
	pthread_mutex_lock(&chunk_lock);
	while (chunks) {
		struct chunk *c = chunks;

		chunks = c->next;
		free(c);
	}
	pthread_mutex_unlock(&chunk_lock);
}

static void on_tb_exec(unsigned int vcpu, void *udata)
{
	prof_exec(&prof, vcpu, udata);
}

static void on_marker(unsigned int vcpu, void *udata)
{
	enum insn_mark_op op = (enum insn_mark_op)(uintptr_t)udata;
	char err[512];
	int ret;

	(void)vcpu;
	ret = op == INSN_MARK_START ? prof_start(&prof, err, sizeof(err)) :
				      prof_stop(&prof, err, sizeof(err));
	/* The status file tells the guest; stderr tells whoever runs QEMU. */
	if (ret)
		fprintf(stderr, "ubmap-insn: %s\n", err);
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	struct prof_tb *t = tb_alloc();

	(void)id;
	if (!t) {
		fprintf(stderr, "ubmap-insn: out of memory: a block goes uncounted\n");
		return;
	}
	t->vaddr = qemu_plugin_tb_vaddr(tb);
	t->n_insns = (uint32_t)n;
	t->cached = UINT64_MAX;	/* no generation yet */
	qemu_plugin_register_vcpu_tb_exec_cb(tb, on_tb_exec, QEMU_PLUGIN_CB_NO_REGS, t);
	/* Markers are user-space instructions: kernel blocks need no scan. */
	if (t->vaddr >= SYM_KERNEL_BASE)
		return;
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		enum insn_mark_op op = insn_mark_decode(qemu_plugin_insn_data(insn),
							qemu_plugin_insn_size(insn));

		if (op != INSN_MARK_NONE)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_marker,
							       QEMU_PLUGIN_CB_NO_REGS,
							       (void *)(uintptr_t)op);
	}
}

static void on_atexit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	if (prof.active)
		fprintf(stderr, "ubmap-insn: QEMU exits with window '%s' open (no stop marker)\n",
			prof.name);
	prof_exit(&prof);
	on_flush(0);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	char err[512];

	if (info->version.min > UBMAP_QEMU_PLUGIN_VERSION) {
		fprintf(stderr, "ubmap-insn: QEMU wants plugin API >= %d, this is %d\n",
			info->version.min, UBMAP_QEMU_PLUGIN_VERSION);
		return -1;
	}
	if (!info->system_emulation) {
		fprintf(stderr, "ubmap-insn: needs system emulation (a guest kernel), not %s user mode\n",
			info->target_name);
		return -1;
	}
	if (strcmp(info->target_name, "x86_64")) {
		fprintf(stderr, "ubmap-insn: the markers are x86_64 code, not %s\n",
			info->target_name);
		return -1;
	}
	if (prof_init(&prof, argc, argv, (unsigned int)info->system.max_vcpus, err, sizeof(err))) {
		fprintf(stderr, "ubmap-insn: %s\n", err);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
	qemu_plugin_register_flush_cb(id, on_flush);
	qemu_plugin_register_atexit_cb(id, on_atexit, NULL);
	return 0;
}
