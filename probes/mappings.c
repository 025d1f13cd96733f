/*
 * mappings.c - reader of /proc/PID/smaps (see mappings.h).
 *
 * smaps is, for every mapping, a header line
 *   start-end perms offset major:minor inode   path
 * followed by "Name:   <n> kB" lines and a closing "VmFlags:" line. Only
 * the figures of the list (smaps_fields.h) marked SMAPS_MAP are kept, read
 * by the line parser of smaps_rollup; a line not known is skipped, so that
 * newer kernels parse as well.
 */
#include "probes/mappings.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probes/smaps.h"
#include "probes/kb.h"
#include "src/util/macros.h"

static const char *const kind_names[] = {
	[MAPPING_ANON] = "anon",
	[MAPPING_HEAP] = "heap",
	[MAPPING_STACK] = "stack",
	[MAPPING_SHM] = "shm",
	[MAPPING_MEMFD] = "memfd",
	[MAPPING_SHARED_ANON] = "shared-anon",
	[MAPPING_FILE] = "file",
	[MAPPING_SPECIAL] = "special",
};

const char *mapping_kind_name(enum mapping_kind k)
{
	if ((unsigned)k < ARRAY_SIZE(kind_names))
		return kind_names[k];
	return "anon";
}

bool mapping_kind_parse(const char *s, enum mapping_kind *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(kind_names); i++) {
		if (strcmp(s, kind_names[i]) == 0) {
			*out = (enum mapping_kind)i;
			return true;
		}
	}
	return false;
}

static bool hex(const char **p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	bool any = false;

	while (*p < end) {
		char c = **p;
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		if (v >> 60)
			return false;
		v = v << 4 | d;
		(*p)++;
		any = true;
	}
	*out = v;
	return any;
}

static bool expect(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return false;
	(*p)++;
	return true;
}

static void blanks(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
}

static bool starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

static enum mapping_kind classify(const struct mapping *m, size_t n)
{
	const char *s = m->path;

	if (n == 0 || starts(s, n, "[anon:"))
		return MAPPING_ANON;
	if (strcmp(s, "[heap]") == 0)
		return MAPPING_HEAP;
	if (strcmp(s, "[stack]") == 0 || starts(s, n, "[stack:"))
		return MAPPING_STACK;
	if (starts(s, n, "[anon_shmem:"))
		return MAPPING_SHARED_ANON;
	if (s[0] == '[' && s[n - 1] == ']')
		return MAPPING_SPECIAL;
	if (starts(s, n, "/dev/shm/") || starts(s, n, "/SYSV"))
		return MAPPING_SHM;
	if (starts(s, n, "/memfd:"))
		return MAPPING_MEMFD;
	if (strcmp(s, "/dev/zero") == 0 && m->deleted)
		return MAPPING_SHARED_ANON;
	return MAPPING_FILE;
}

/* Parses a header line [p, eol) into m; false when it is none. */
static bool header(const char *p, const char *eol, struct mapping *m)
{
	static const char deleted[] = " (deleted)";
	const size_t dlen = sizeof(deleted) - 1;
	uint64_t v;
	size_t n;

	memset(m, 0, sizeof(*m));
	if (!hex(&p, eol, &m->start) || !expect(&p, eol, '-') ||
	    !hex(&p, eol, &m->end) || !expect(&p, eol, ' '))
		return false;
	if (eol - p < 5 || p[4] != ' ')
		return false;
	memcpy(m->perms, p, 4);
	m->perms[4] = '\0';
	p += 5;
	if (!hex(&p, eol, &m->offset) || !expect(&p, eol, ' '))
		return false;
	if (!hex(&p, eol, &v) || !expect(&p, eol, ':'))
		return false;
	m->dev_major = (unsigned)v;
	if (!hex(&p, eol, &v))
		return false;
	m->dev_minor = (unsigned)v;
	if (!expect(&p, eol, ' '))
		return false;
	m->inode = 0;
	while (p < eol && *p >= '0' && *p <= '9') {
		if (m->inode > UINT64_MAX / 10 - 1)
			return false;
		m->inode = m->inode * 10 + (uint64_t)(*p - '0');
		p++;
	}
	if (p < eol && *p != ' ')
		return false;
	blanks(&p, eol);
	n = (size_t)(eol - p);
	if (n >= dlen && memcmp(eol - dlen, deleted, dlen) == 0) {
		m->deleted = true;
		n -= dlen;
	}
	if (n >= sizeof(m->path))
		n = sizeof(m->path) - 1;
	memcpy(m->path, p, n);
	m->path[n] = '\0';
	/* a NUL byte cannot be in a path; should one come, the path ends
	 * there (n counts what a reader of path will see) */
	n = strlen(m->path);
	m->kind = classify(m, n);
	smaps_clear(&m->mem);
	return true;
}

/* A parse in progress: text may come in pieces of whole lines (a read of
 * smaps streams: its memory stays bounded whatever the mappings) */
struct mparse {
	struct mapping *m;        /* the mapping whose lines are being read */
	bool open;
	int count;
	mapping_fn fn;
	void *ctx;
};

/* Parses the whole lines of text[0..len) (the last may lack its '\n').
 * Returns 0, or what stops the parse. */
static int parse_lines(struct mparse *st, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int rc;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *colon;
		struct mapping next;

		if (!eol)
			eol = end;
		colon = memchr(p, ':', (size_t)(eol - p));
		/* a figure line is "Name:" with a name of letters and '_' */
		if (colon && colon > p) {
			bool name = true;

			for (const char *q = p; q < colon; q++) {
				if (!((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') ||
				      *q == '_' || (*q >= '0' && *q <= '9'))) {
					name = false;
					break;
				}
			}
			if (name && !(colon + 1 < eol && colon[1] != ' ' && colon[1] != '\t')) {
				if (!st->open)
					return -EINVAL;
				smaps_parse_line(p, eol, SMAPS_MAP, &st->m->mem);
				p = eol + 1;
				continue;
			}
		}
		if (header(p, eol, &next)) {
			if (st->open) {
				rc = st->fn(st->ctx, st->m);
				if (rc)
					return rc;
				st->count++;
			}
			*st->m = next;
			st->open = true;
		}
		p = eol + 1;
	}
	return 0;
}

/* The end of the text: the last mapping is complete. */
static int parse_end(struct mparse *st, int rc)
{
	if (!rc && st->open) {
		rc = st->fn(st->ctx, st->m);
		if (!rc)
			st->count++;
	}
	free(st->m);
	return rc ? rc : st->count;
}

static bool parse_begin(struct mparse *st, mapping_fn fn, void *ctx)
{
	*st = (struct mparse){ .m = malloc(sizeof(*st->m)), .fn = fn, .ctx = ctx };
	return st->m != NULL;
}

int mappings_parse(const char *text, size_t len, mapping_fn fn, void *ctx)
{
	struct mparse st;

	if (!parse_begin(&st, fn, ctx))
		return -ENOMEM;
	return parse_end(&st, parse_lines(&st, text, len));
}

/* what a read of smaps holds at once: whole lines are parsed as they come,
 * the rest of a line waits for the next read (a line is at most a header
 * with a path of MAPPING_PATH_MAX bytes, escaped) */
#define READ_CHUNK (256 * 1024)

/* Reads fd to its end, parsing as it goes; *bytes gets what was read. */
static int read_parse(int fd, struct mparse *st, char *buf, size_t *bytes)
{
	size_t len = 0;

	for (;;) {
		ssize_t n = read(fd, buf + len, READ_CHUNK - len);
		const char *nl;
		size_t whole;
		int rc;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return parse_lines(st, buf, len);
		*bytes += (size_t)n;
		len += (size_t)n;
		nl = memrchr(buf, '\n', len);
		whole = nl ? (size_t)(nl - buf) + 1 : (len == READ_CHUNK ? len : 0);
		rc = parse_lines(st, buf, whole);
		if (rc)
			return rc;
		memmove(buf, buf + whole, len - whole);
		len -= whole;
	}
}

int mappings_read(pid_t pid, mapping_fn fn, void *ctx, size_t *bytes)
{
	char path[64];
	char *buf = malloc(READ_CHUNK);
	struct mparse st;
	size_t got = 0;
	int fd, rc;

	if (bytes)
		*bytes = 0;
	if (!buf)
		return -ENOMEM;
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		free(buf);
		return rc;
	}
	if (!parse_begin(&st, fn, ctx)) {
		close(fd);
		free(buf);
		return -ENOMEM;
	}
	rc = read_parse(fd, &st, buf, &got);
	close(fd);
	free(buf);
	if (bytes)
		*bytes = got;
	if (rc < 0 && rc != -EINVAL) {
		/* a read error or a stop: nothing of a half-read process counts */
		free(st.m);
		return rc;
	}
	return parse_end(&st, rc);
}
