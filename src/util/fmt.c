/*
 * fmt.c - human-readable sizes, durations and ratios.
 */
#include "src/util/fmt.h"

#include <math.h>
#include <stdio.h>

static const char units[] = "KMGTP";

/* value in the largest unit where it stays below 1024, from kB */
static double scale_kb(int64_t kb, int *unit)
{
	double v = (double)kb;

	*unit = 0;
	while (v >= 1024.0 && units[*unit + 1]) {
		v /= 1024.0;
		(*unit)++;
	}
	return v;
}

char *fmt_kb(char *buf, size_t size, int64_t kb)
{
	int u;
	double v;

	if (kb < 0) {
		snprintf(buf, size, "?");
		return buf;
	}
	if (kb == 0) {
		snprintf(buf, size, "0");
		return buf;
	}
	v = scale_kb(kb, &u);
	/* 9.95 rounds to "10.0": print such values without decimals */
	if (v < 9.95 && u > 0)
		snprintf(buf, size, "%.1f%c", v, units[u]);
	else
		snprintf(buf, size, "%.0f%c", v, units[u]);
	return buf;
}

char *fmt_kb_cell(char *buf, size_t size, int64_t kb)
{
	int u;
	double v;

	if (kb <= 0)
		return fmt_kb(buf, size, kb);
	v = scale_kb(kb, &u);
	/* what "%.0f" would print as 1000 to 1023: 1.0 of the next unit */
	if (v >= 999.5 && units[u + 1]) {
		v /= 1024.0;
		u++;
	}
	if (v < 9.95 && u > 0)
		snprintf(buf, size, "%.1f%c", v, units[u]);
	else
		snprintf(buf, size, "%.0f%c", v, units[u]);
	return buf;
}

char *fmt_kb_long(char *buf, size_t size, int64_t kb)
{
	int u;
	double v;

	if (kb < 0) {
		snprintf(buf, size, "unreadable");
		return buf;
	}
	v = scale_kb(kb, &u);
	if (v < 9.95 && u > 0)
		snprintf(buf, size, "%.1f %ciB", v, units[u]);
	else
		snprintf(buf, size, "%.0f %ciB", v, units[u]);
	return buf;
}

char *fmt_seconds(char *buf, size_t size, double s)
{
	if (!isfinite(s) || s < 0)
		snprintf(buf, size, "?");
	else if (s < 0.001)
		snprintf(buf, size, "%.0f us", s * 1e6);
	else if (s < 0.1)
		snprintf(buf, size, "%.0f ms", s * 1e3);
	else if (s < 10)
		snprintf(buf, size, "%.2f s", s);
	else if (s < 100)
		snprintf(buf, size, "%.1f s", s);
	else if (s < 600)
		snprintf(buf, size, "%.0f s", s);
	else
		snprintf(buf, size, "%d m %02d s", (int)(s / 60), (int)fmod(s, 60));
	return buf;
}

char *fmt_ratio(char *buf, size_t size, double r, int ascii)
{
	const char *x = ascii ? "x" : "\xc3\x97";

	if (!isfinite(r) || r <= 0)
		snprintf(buf, size, "?");
	else if (r < 0.095)
		/* two significant digits: 1/115 is 0.0087x, never 0.0x */
		snprintf(buf, size, "%.2g%s", r, x);
	else if (r < 10)
		snprintf(buf, size, "%.1f%s", r, x);
	else
		snprintf(buf, size, "%.0f%s", r, x);
	return buf;
}
