// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>

#include "numfmt.h"

void fmt_value(char *buf, size_t len, double v, int decimals)
{
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else
		snprintf(buf, len, "%.*f", decimals, v);
}

void fmt_pct(char *buf, size_t len, double pct, bool significant)
{
	if (isnan(pct) || isinf(pct)) {
		buf[0] = '\0';
		return;
	}
	/* -0.00 reads as a change; it is none. */
	if (fabs(pct) < 0.005)
		pct = 0;
	snprintf(buf, len, significant ? "*%6.2f%%*" : "(%6.2f%%)", pct);
}

void fmt_p(char *buf, size_t len, double p)
{
	if (isnan(p))
		snprintf(buf, len, "p n/a");
	else if (p < 0.001)
		snprintf(buf, len, "p<0.001");
	else
		snprintf(buf, len, "p=%.3f", p);
}

int fmt_decimals(double smallest)
{
	int d;

	if (!(smallest > 0) || isinf(smallest))
		return 2;
	d = (int)ceil(-log10(smallest)) + 1;
	return d < 2 ? 2 : d > 4 ? 4 : d;
}
