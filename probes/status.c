/*
 * status.c - parser of the memory lines of /proc/PID/status.
 *
 * status is "Key:\tvalue" lines; the four kept here are "<n> kB". Lines
 * are matched by their key only, so fields added by newer kernels and the
 * order of lines do not matter.
 */
#include "probes/status.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probes/kb.h"
#include "src/util/macros.h"

struct key {
	const char *name;
	size_t len;
	size_t off;
};

#define KEY(s, field) { s, sizeof(s) - 1, offsetof(struct proc_status, field) }

static const struct key keys[] = {
	KEY("VmRSS:", vm_rss_kb),
	KEY("RssAnon:", rss_anon_kb),
	KEY("RssFile:", rss_file_kb),
	KEY("RssShmem:", rss_shmem_kb),
};

/* Parses the complete lines of text; returns the bytes consumed (up to and
 * including the last newline, or all of it when final). */
static size_t parse_lines(const char *text, size_t len, bool final,
			  struct proc_status *out, bool *have_pid)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t llen;

		if (!eol) {
			if (!final)
				break;
			eol = end;
		}
		llen = (size_t)(eol - p);
		if (llen > 4 && memcmp(p, "Pid:", 4) == 0)
			*have_pid = true;
		if (llen > 5 && memcmp(p, "Tgid:", 5) == 0) {
			int64_t v = 0;

			if (kb_parse(p + 5, eol, &v))
				out->tgid = (pid_t)v;
		}
		/* every key wanted starts with V or R: skip the rest fast */
		if (llen && (*p == 'V' || *p == 'R')) {
			for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
				if (llen > keys[i].len &&
				    memcmp(p, keys[i].name, keys[i].len) == 0) {
					kb_parse(p + keys[i].len, eol,
						 (int64_t *)((char *)out + keys[i].off));
					break;
				}
			}
		}
		p = eol < end ? eol + 1 : end;
	}
	return (size_t)(p - text);
}

int status_parse(const char *text, size_t len, struct proc_status *out)
{
	bool have_pid = false;

	memset(out, 0, sizeof(*out));
	parse_lines(text, len, true, out, &have_pid);
	return have_pid ? 0 : -EINVAL;
}

/* The file is read in pieces and parsed line by line, so that a long line
 * (Groups: of a user in thousands of groups) cannot push the memory lines
 * out of the buffer; a line longer than the buffer is skipped. */
int status_readat(int procfd, const char *pidname, struct proc_status *out)
{
	char path[64], buf[4096];
	size_t len = 0, total = 0;
	bool have_pid = false, skipping = false;
	int fd, err = 0;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "%s/status", pidname);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - len);
		size_t used;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0) {
			if (!skipping)
				parse_lines(buf, len, true, out, &have_pid);
			break;
		}
		len += (size_t)n;
		total += (size_t)n;
		if (skipping) {
			const char *nl = memchr(buf, '\n', len);

			if (!nl) {
				len = 0;
				continue;
			}
			used = (size_t)(nl + 1 - buf);
			skipping = false;
		} else {
			used = parse_lines(buf, len, false, out, &have_pid);
			if (used == 0 && len == sizeof(buf)) {
				used = len; /* one line fills the buffer */
				skipping = true;
			}
		}
		memmove(buf, buf + used, len - used);
		len -= used;
	}
	close(fd);
	if (err)
		return err;
	if (total == 0)
		return -ESRCH;
	return have_pid ? 0 : -EINVAL;
}
