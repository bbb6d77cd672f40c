/* SPDX-License-Identifier: GPL-2.0 */
/* The daemons' clean stop: SIGINT/SIGTERM set a flag the main thread sleeps on. */
#ifndef LIB_STOPSIG_H
#define LIB_STOPSIG_H

#include <signal.h>
#include <stdatomic.h>

/* Set by SIGINT/SIGTERM once stop_signals_setup() ran. */
extern atomic_int stop_requested;

/*
 * Blocks SIGINT, SIGTERM and @kick_signo in this thread (and the threads it
 * starts after) and installs the flag handler; *@wait_mask is the old mask
 * without them, for sigsuspend().  Returns 0 or -1 (errno).
 */
int stop_signals_setup(sigset_t *wait_mask, int kick_signo);

#endif /* LIB_STOPSIG_H */
