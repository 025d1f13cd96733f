/*
 * smaps.c - plain-text reader of /proc/PID/smaps_rollup.
 *
 * smaps_rollup is a header line followed by "Name:   <n> kB" lines. Only the
 * figures of the list (smaps_fields.h) are kept; any other line is skipped
 * so that newer kernels with more fields parse as well. The table of the
 * list is here too, and the line parser that mappings.c shares.
 */
#include "probes/smaps.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probes/kb.h"
#include "src/util/macros.h"

const struct smaps_field smaps_fields[SMAPS_NFIELDS] = {
#define SMAPS_ENTRY_(member, key, item, json, flags) \
	{ key, json, offsetof(struct smaps_kb, member), flags },
	SMAPS_FIELDS(SMAPS_ENTRY_)
#undef SMAPS_ENTRY_
};

_Static_assert(sizeof(struct smaps_kb) == SMAPS_NFIELDS * sizeof(int64_t),
	       "struct smaps_kb holds the figures of the list and nothing else");

int smaps_field_by_json(const char *json, size_t n)
{
	for (size_t i = 0; i < SMAPS_NFIELDS; i++)
		if (strlen(smaps_fields[i].json) == n &&
		    memcmp(smaps_fields[i].json, json, n) == 0)
			return (int)i;
	return -1;
}

void smaps_clear(struct smaps_kb *s)
{
	static const struct smaps_kb none = SMAPS_KB_NONE;

	*s = none;
}

bool smaps_parse_line(const char *p, const char *eol, unsigned need,
		      struct smaps_kb *out)
{
	const char *colon = memchr(p, ':', (size_t)(eol - p));
	size_t nlen;

	if (!colon)
		return false;
	nlen = (size_t)(colon - p);
	for (size_t i = 0; i < SMAPS_NFIELDS; i++) {
		if ((smaps_fields[i].flags & need) == need &&
		    strlen(smaps_fields[i].key) == nlen &&
		    memcmp(smaps_fields[i].key, p, nlen) == 0) {
			int64_t v;

			if (kb_parse(colon + 1, eol, &v))
				smaps_set(out, i, v);
			return true;
		}
	}
	return false;
}

int smaps_parse(const char *text, size_t len, struct smaps_kb *out)
{
	const char *p = text, *end = text + len;

	smaps_clear(out);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		smaps_parse_line(p, eol, 0, out);
		p = eol + 1;
	}
	if (out->rss == SMAPS_NONE && out->pss == SMAPS_NONE)
		return -EINVAL;
	return 0;
}

int smaps_read(pid_t pid, struct smaps_kb *out)
{
	char path[64], buf[4096];
	size_t len = 0;
	int fd, err;

	smaps_clear(out);
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < sizeof(buf) - 1) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			close(fd);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	return smaps_parse(buf, len, out);
}
