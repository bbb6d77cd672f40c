// SPDX-License-Identifier: GPL-2.0
/*
 * SIGINT/SIGTERM/kick stay blocked in every thread except while the main
 * thread sits in sigsuspend() (and the kick inside queue threads), so a
 * signal can never slip in between "check the flag" and "go to sleep".
 */
#include <pthread.h>
#include <string.h>

#include "stopsig.h"

atomic_int stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	atomic_store(&stop_requested, 1);
}

int stop_signals_setup(sigset_t *wait_mask, int kick_signo)
{
	struct sigaction sa;
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, kick_signo);
	if (pthread_sigmask(SIG_BLOCK, &block, wait_mask))
		return -1;
	sigdelset(wait_mask, SIGINT);
	sigdelset(wait_mask, SIGTERM);
	sigdelset(wait_mask, kick_signo);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL) ? -1 : 0;
}
