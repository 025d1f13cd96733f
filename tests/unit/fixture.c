/*
 * fixture.c - reading a file whole for the unit tests (fixture.h).
 */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>

char *fixture_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t got;

		if (cap - n < 4096 + 1) {
			char *nb = realloc(buf, cap ? cap * 2 : 65536);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap = cap ? cap * 2 : 65536;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0';
		if (len)
			*len = n;
	}
	fclose(f);
	return buf;
}

char *fixture_load(const char *dir, const char *name, size_t *len)
{
	char path[1024];
	char *buf;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf = fixture_read(path, len);
	if (!buf) {
		fprintf(stderr, "cannot open %s\n", path);
		exit(1);
	}
	return buf;
}
