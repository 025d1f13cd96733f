/*
 * protocol.c - parsing and writing the phase protocol (see protocol.h).
 */
#include "src/core/protocol.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/util/clock.h"

double proto_now(void)
{
	return clock_mono_s();
}

/* next blank-separated word of *p into out; false when none */
static bool word(const char **p, char *out, size_t size)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return false;
	while (*s && *s != ' ' && *s != '\t') {
		if (n + 1 < size)
			out[n++] = *s;
		s++;
	}
	out[n] = '\0';
	*p = s;
	return true;
}

static bool number(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v))
		return false;
	*out = v;
	return true;
}

/* optional trailing time stamp */
static bool opt_time(const char *p, double *t)
{
	char w[64];

	*t = -1;
	if (!word(&p, w, sizeof(w)))
		return true;
	if (!number(w, t) || *t < 0)
		return false;
	return !word(&p, w, sizeof(w));
}

bool proto_parse(const char *line, struct proto_msg *msg)
{
	const char *p = line;
	char verb[16], w[64];

	memset(msg, 0, sizeof(*msg));
	msg->t = -1;
	if (!word(&p, verb, sizeof(verb)))
		return true; /* blank line: PROTO_UNKNOWN */
	if (strcmp(verb, "phase") == 0) {
		msg->kind = PROTO_PHASE;
		if (!word(&p, msg->name, sizeof(msg->name)))
			return false;
		return opt_time(p, &msg->t);
	}
	if (strcmp(verb, "end") == 0) {
		msg->kind = PROTO_END;
		return opt_time(p, &msg->t);
	}
	if (strcmp(verb, "role") == 0) {
		double pid;

		msg->kind = PROTO_ROLE;
		if (!word(&p, w, sizeof(w)) || !number(w, &pid) || pid < 1 ||
		    pid > 4194304 || pid != floor(pid))
			return false;
		msg->pid = (pid_t)pid;
		return word(&p, msg->name, sizeof(msg->name));
	}
	if (strcmp(verb, "segment") == 0 || strcmp(verb, "unlinked") == 0) {
		msg->kind = verb[0] == 's' ? PROTO_SEGMENT : PROTO_UNLINKED;
		return word(&p, msg->name, sizeof(msg->name));
	}
	if (strcmp(verb, "result") == 0) {
		msg->kind = PROTO_RESULT;
		return word(&p, msg->name, sizeof(msg->name)) &&
		       word(&p, w, sizeof(w)) && number(w, &msg->value);
	}
	if (strcmp(verb, "checkpoint") == 0) {
		msg->kind = PROTO_CHECKPOINT;
		return !word(&p, w, sizeof(w));
	}
	if (strcmp(verb, "fail") == 0) {
		msg->kind = PROTO_FAIL;
		while (*p == ' ')
			p++;
		snprintf(msg->text, sizeof(msg->text), "%s", p);
		return true;
	}
	msg->kind = PROTO_UNKNOWN;
	return true;
}

int proto_read(struct proto_reader *r, int fd, size_t max, size_t *nread,
	       void (*fn)(void *ctx, const char *line), void *ctx)
{
	size_t total = 0;

	if (nread)
		*nread = 0;
	for (;;) {
		size_t room = sizeof(r->buf) - 1 - r->len;
		ssize_t n;
		char *start, *nl;

		if (total >= max)
			return 1; /* the rest waits for the next call */
		if (room > max - total)
			room = max - total;
		n = read(fd, r->buf + r->len, room);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 1;
			return -errno;
		}
		if (n == 0) {
			if (r->len && !r->overlong) {
				r->buf[r->len] = '\0';
				fn(ctx, r->buf);
			}
			r->len = 0;
			return 0;
		}
		r->len += (size_t)n;
		total += (size_t)n;
		if (nread)
			*nread = total;
		start = r->buf;
		while ((nl = memchr(start, '\n', r->len - (size_t)(start - r->buf)))) {
			*nl = '\0';
			if (!r->overlong && nl - start <= PROTO_LINE_MAX)
				fn(ctx, start);
			r->overlong = false;
			start = nl + 1;
		}
		r->len -= (size_t)(start - r->buf);
		memmove(r->buf, start, r->len);
		if (r->len > PROTO_LINE_MAX) {
			r->overlong = true; /* drop the rest of this line */
			r->len = 0;
		}
	}
}

int proto_emit(int fd, const char *fmt, ...)
{
	char line[PROTO_LINE_MAX + 1];
	va_list ap;
	int n;

	if (fd < 0)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	for (;;) {
		ssize_t w = write(fd, line, (size_t)n);

		if (w < 0 && errno == EINTR)
			continue;
		return w == n ? 0 : (w < 0 ? -errno : -EIO);
	}
}
