/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Opening and closing a window from inside the guest: what ubmap-insn-mark
 * does, as a library the bench can call around each cell without a
 * process of its own in the window.
 */
#ifndef PROFILE_MARK_H
#define PROFILE_MARK_H

#include <stddef.h>

/**
 * insn_window_start() - write the guest's symbols and NAME into DIR, then
 * run the start marker
 * Return: 0 once the plugin answered "started NAME"; -1 with @err set
 * (bad name, /proc/kallsyms or /sys/module unreadable, no plugin, or the
 * plugin's own error).
 */
int insn_window_start(const char *dir, const char *name, char *err, size_t errlen);

/* The stop marker; 0 once the plugin wrote DIR/NAME.json. */
int insn_window_stop(const char *dir, char *err, size_t errlen);

#endif /* PROFILE_MARK_H */
