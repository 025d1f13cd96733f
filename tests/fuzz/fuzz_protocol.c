/*
 * fuzz_protocol.c - libFuzzer target of the phase protocol (src/core/protocol.c):
 * the bytes a workload might write to SHMVIZ_PHASE_FD.
 *
 * The input's first byte chooses how the rest is cut into writes; the rest
 * goes through a non-blocking pipe into proto_read(), one write and one
 * read at a time, then the write end is closed. The lines proto_read()
 * hands over must be exactly those of a plain splitter written here: every
 * line of at most PROTO_LINE_MAX bytes (without its newline), a last line
 * without newline too, in order, a line with a NUL byte seen up to it; a
 * longer line dropped whole, never in part. Each line then goes through
 * proto_parse(), whose message must keep its promises (a known kind, names
 * ended and without blanks, a role's pid from 1 to 4194304, a time >= 0 or
 * -1, finite numbers) and parse again to the same message when written
 * back in the protocol's own words.
 *
 * Built and run by tests/fuzz/run.sh (clang, -fsanitize=fuzzer,address,
 * undefined); see docs/fuzzing.md.
 */
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/core/protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* what the reference splitter expects, and how far proto_read() got */
struct expect {
	const uint8_t *s;
	size_t n;
	size_t at;          /* next byte of s to split */
	size_t lines;       /* lines checked */
};

/* next line the reference splitter delivers: start and length in *line,
 * *len; false when none is left */
static bool next_line(struct expect *e, const uint8_t **line, size_t *len)
{
	while (e->at < e->n) {
		const uint8_t *s = e->s + e->at;
		const uint8_t *nl = memchr(s, '\n', e->n - e->at);
		size_t l = nl ? (size_t)(nl - s) : e->n - e->at;

		e->at += l + (nl ? 1 : 0);
		if (l <= PROTO_LINE_MAX) {
			*line = s;
			*len = l;
			return true;
		}
	}
	return false;
}

static void check_msg(const char *line)
{
	struct proto_msg m, again;
	char back[PROTO_LINE_MAX * 2];
	int n = -1;

	if (!proto_parse(line, &m)) {
		if (m.kind == PROTO_UNKNOWN || m.kind == PROTO_FAIL)
			abort(); /* unknown verbs and fail lines never fail */
		return;
	}
	if (!memchr(m.name, '\0', sizeof(m.name)) ||
	    !memchr(m.text, '\0', sizeof(m.text)) ||
	    strpbrk(m.name, " \t\n"))
		abort();
	if (!(m.t == -1 || (m.t >= 0 && isfinite(m.t))) || !isfinite(m.value))
		abort();
	switch (m.kind) {
	case PROTO_UNKNOWN:
		return;
	case PROTO_PHASE:
		if (!m.name[0])
			abort();
		n = m.t < 0 ? snprintf(back, sizeof(back), "phase %s", m.name)
			    : snprintf(back, sizeof(back), "phase %s %.17g", m.name, m.t);
		break;
	case PROTO_END:
		n = m.t < 0 ? snprintf(back, sizeof(back), "end")
			    : snprintf(back, sizeof(back), "end %.17g", m.t);
		break;
	case PROTO_ROLE:
		if (m.pid < 1 || m.pid > 4194304 || !m.name[0])
			abort();
		n = snprintf(back, sizeof(back), "role %d %s", (int)m.pid, m.name);
		break;
	case PROTO_SEGMENT:
	case PROTO_UNLINKED:
		if (!m.name[0])
			abort();
		n = snprintf(back, sizeof(back), "%s %s",
			     m.kind == PROTO_SEGMENT ? "segment" : "unlinked", m.name);
		break;
	case PROTO_RESULT:
		if (!m.name[0])
			abort();
		n = snprintf(back, sizeof(back), "result %s %.17g", m.name, m.value);
		break;
	case PROTO_CHECKPOINT:
		n = snprintf(back, sizeof(back), "checkpoint");
		break;
	case PROTO_FAIL:
		if (m.text[0] == ' ' || strlen(m.text) > strlen(line))
			abort();
		n = snprintf(back, sizeof(back), "fail %s", m.text);
		break;
	default:
		abort(); /* not a kind of the protocol */
	}
	if (n < 0 || (size_t)n >= sizeof(back))
		abort();
	/* written back in the protocol's words, it reads the same */
	if (!proto_parse(back, &again) || again.kind != m.kind ||
	    strcmp(again.name, m.name) != 0 || strcmp(again.text, m.text) != 0 ||
	    again.pid != m.pid || again.value != m.value || again.t != m.t)
		abort();
}

static void on_line(void *ctx, const char *line)
{
	struct expect *e = ctx;
	const uint8_t *want;
	size_t len, wlen;

	if (!next_line(e, &want, &wlen))
		abort(); /* a line the input does not have */
	len = strlen(line);
	/* a NUL byte ends the line as a C string */
	if (memchr(want, '\0', wlen))
		wlen = (size_t)((const uint8_t *)memchr(want, '\0', wlen) - want);
	if (len != wlen || memcmp(line, want, len) != 0 || len > PROTO_LINE_MAX)
		abort();
	e->lines++;
	check_msg(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_reader r;
	struct expect e;
	const uint8_t *rest;
	unsigned seed;
	int p[2], rc = 1;

	if (size < 1 || size > 65536)
		return 0; /* a pipe holds 64 KiB: every write fits */
	seed = data[0];
	e = (struct expect){ .s = data + 1, .n = size - 1 };
	memset(&r, 0, sizeof(r));
	if (pipe2(p, O_NONBLOCK) != 0)
		abort();
	/* cut into writes of 1 to 1024 bytes, sizes from the seed byte */
	for (size_t at = 0; at < e.n;) {
		size_t chunk;

		seed = seed * 1103515245u + 12345u;
		chunk = 1 + (seed >> 8) % ((seed >> 20) & 1 ? 16 : 1024);
		if (chunk > e.n - at)
			chunk = e.n - at;
		if (write(p[1], e.s + at, chunk) != (ssize_t)chunk)
			abort();
		at += chunk;
		rc = proto_read(&r, p[0], SIZE_MAX, NULL, on_line, &e);
		if (rc != 1)
			abort(); /* open and empty: 1 */
	}
	close(p[1]);
	rc = proto_read(&r, p[0], SIZE_MAX, NULL, on_line, &e);
	close(p[0]);
	if (rc != 0)
		abort(); /* end of file: 0 */
	if (next_line(&e, &rest, &(size_t){ 0 }))
		abort(); /* a line proto_read() never handed over */
	return 0;
}
