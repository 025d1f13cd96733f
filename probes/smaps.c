/*
 * smaps.c - plain-text reader of /proc/PID/smaps_rollup.
 *
 * smaps_rollup is a header line followed by "Name:   <n> kB" lines. Only the
 * figures of struct smaps_rollup are kept; any other line is skipped so that
 * newer kernels with more fields parse as well.
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

void smaps_clear(struct smaps_rollup *s)
{
	s->rss_kb = SMAPS_NONE;
	s->pss_kb = SMAPS_NONE;
	s->pss_shmem_kb = SMAPS_NONE;
	s->shared_clean_kb = SMAPS_NONE;
	s->shared_dirty_kb = SMAPS_NONE;
	s->private_clean_kb = SMAPS_NONE;
	s->private_dirty_kb = SMAPS_NONE;
	s->swap_kb = SMAPS_NONE;
	s->pss_anon_kb = SMAPS_NONE;
	s->pss_file_kb = SMAPS_NONE;
	s->anonymous_kb = SMAPS_NONE;
}

struct field {
	const char *name;
	size_t off;
};

static const struct field fields[] = {
	{ "Rss", offsetof(struct smaps_rollup, rss_kb) },
	{ "Pss", offsetof(struct smaps_rollup, pss_kb) },
	{ "Pss_Shmem", offsetof(struct smaps_rollup, pss_shmem_kb) },
	{ "Shared_Clean", offsetof(struct smaps_rollup, shared_clean_kb) },
	{ "Shared_Dirty", offsetof(struct smaps_rollup, shared_dirty_kb) },
	{ "Private_Clean", offsetof(struct smaps_rollup, private_clean_kb) },
	{ "Private_Dirty", offsetof(struct smaps_rollup, private_dirty_kb) },
	{ "Swap", offsetof(struct smaps_rollup, swap_kb) },
	{ "Pss_Anon", offsetof(struct smaps_rollup, pss_anon_kb) },
	{ "Pss_File", offsetof(struct smaps_rollup, pss_file_kb) },
	{ "Anonymous", offsetof(struct smaps_rollup, anonymous_kb) },
};

int smaps_parse(const char *text, size_t len, struct smaps_rollup *out)
{
	const char *p = text, *end = text + len;

	smaps_clear(out);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *colon;

		if (!eol)
			eol = end;
		colon = memchr(p, ':', (size_t)(eol - p));
		if (colon) {
			size_t nlen = (size_t)(colon - p);

			for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
				if (strlen(fields[i].name) == nlen &&
				    memcmp(fields[i].name, p, nlen) == 0) {
					int64_t v;

					if (kb_parse(colon + 1, eol, &v))
						*(int64_t *)((char *)out + fields[i].off) = v;
					break;
				}
			}
		}
		p = eol + 1;
	}
	if (out->rss_kb == SMAPS_NONE && out->pss_kb == SMAPS_NONE)
		return -EINVAL;
	return 0;
}

int smaps_read(pid_t pid, struct smaps_rollup *out)
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
