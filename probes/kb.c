/*
 * kb.c - parsing "<n> kB" values of /proc files (see kb.h).
 */
#include "probes/kb.h"

bool kb_parse(const char *p, const char *end, int64_t *out)
{
	int64_t v = 0;
	bool any = false;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (p < end && *p >= '0' && *p <= '9') {
		if (v > (INT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (*p - '0');
		p++;
		any = true;
	}
	if (any)
		*out = v;
	return any;
}
