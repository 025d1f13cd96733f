/*
 * parse.c - strict number parsing (src/util/parse.h).
 */
#include "src/util/parse.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

bool parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s || *s == ' ' || *s == '+')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (!s || !*s || *s == ' ' || *s == '+')
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			return false; /* no "inf", "nan", hex or exponents */
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool parse_count(const char *s, uint64_t *out)
{
	uint64_t whole = 0, frac = 0, fscale = 1, mult = 1;
	const char *p = s;
	bool digits = false;

	if (!s)
		return false;
	while (*p >= '0' && *p <= '9') {
		if (whole > (UINT64_MAX - 9) / 10)
			return false;
		whole = whole * 10 + (uint64_t)(*p++ - '0');
		digits = true;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (fscale >= 1000000000ULL)
				return false;
			frac = frac * 10 + (uint64_t)(*p++ - '0');
			fscale *= 10;
			digits = true;
		}
	}
	if (!digits)
		return false;
	switch (*p) {
	case 'k': case 'K':
		mult = 1000ULL;
		p++;
		break;
	case 'm': case 'M':
		mult = 1000000ULL;
		p++;
		break;
	case 'g': case 'G':
		mult = 1000000000ULL;
		p++;
		break;
	default:
		break;
	}
	if (*p)
		return false;
	if (whole > UINT64_MAX / mult)
		return false;
	/* a fraction must land on a whole count: "1.5M" yes, "1.5" no */
	if (frac && (frac * mult) % fscale)
		return false;
	/* the fraction may carry the sum past 2^64 ("18446744073.8G") */
	if (frac * mult / fscale > UINT64_MAX - whole * mult)
		return false;
	*out = whole * mult + frac * mult / fscale;
	return true;
}
