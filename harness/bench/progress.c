// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>

#include "progress.h"
#include "util.h"

void progress_init(struct progress *p, FILE *f, unsigned int total,
		   double io_total, double overhead_guess, double now)
{
	p->f = f;
	p->total = total;
	p->done = 0;
	p->t0 = now;
	p->io_total = io_total;
	p->io_done = 0;
	p->overhead_guess = overhead_guess;
	p->open_line = false;
}

double progress_eta(const struct progress *p, double now)
{
	double overhead = p->overhead_guess;

	if (p->done)
		overhead = (now - p->t0 - p->io_done) / p->done;
	if (overhead < 0)
		overhead = 0;
	return p->io_total - p->io_done + (p->total - p->done) * overhead;
}

void progress_begin(struct progress *p, const char *label, unsigned int rep,
		    unsigned int reps, double now)
{
	char eta[32];

	format_duration(progress_eta(p, now), eta, sizeof(eta));
	fprintf(p->f, "[%u/%u] %s rep %u/%u … ETA %s", p->done + 1, p->total,
		label, rep, reps, eta);
	fflush(p->f);
	p->open_line = true;
}

void progress_end(struct progress *p, double io_secs, const char *result)
{
	if (p->open_line)
		fprintf(p->f, " → %s\n", result);
	else
		fprintf(p->f, "[%u/%u] → %s\n", p->done + 1, p->total, result);
	p->open_line = false;
	p->done++;
	p->io_done += io_secs;
}

void progress_drop(struct progress *p, double io_secs)
{
	if (p->total)
		p->total--;
	p->io_total -= io_secs;
}

void progress_note(struct progress *p, const char *fmt, ...)
{
	va_list ap;

	if (p->open_line)
		fputc('\n', p->f);
	p->open_line = false;
	va_start(ap, fmt);
	vfprintf(p->f, fmt, ap);
	va_end(ap);
	fputc('\n', p->f);
}
