/*
 * outlog.c - a run's output log, its head and its tail (see outlog.h).
 */
#include "src/run/outlog.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* what one read takes */
#define CHUNK (64 * 1024)

void outlog_init(struct outlog *o)
{
	memset(o, 0, sizeof(*o));
	o->in = -1;
	o->out = -1;
	o->echo = -1;
}

void outlog_echo(struct outlog *o, int fd)
{
	o->echo = fd;
}

bool outlog_open(struct outlog *o, const char *path, int *child_fd,
		 char *err, size_t errlen)
{
	int p[2];

	outlog_init(o);
	o->out = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (o->out < 0) {
		snprintf(err, errlen, "cannot open the run's log %s: %s", path, strerror(errno));
		return false;
	}
	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(o->out);
		o->out = -1;
		return false;
	}
	/* room for a burst of output without waking shmviz (or stopping the
	 * program) for every 64 KiB; the kernel may allow less */
	fcntl(p[0], F_SETPIPE_SZ, (int)OUTLOG_TAIL);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	o->in = p[0];
	*child_fd = p[1];
	return true;
}

static void write_all(int fd, const char *b, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;   /* a full disk: the log is what it could be */
		b += w;
		n -= (size_t)w;
	}
}

static void keep(struct outlog *o, const char *b, size_t n)
{
	if (o->head < OUTLOG_HEAD) {
		size_t h = OUTLOG_HEAD - o->head < n ? (size_t)(OUTLOG_HEAD - o->head) : n;

		write_all(o->out, b, h);
		o->head += h;
		b += h;
		n -= h;
	}
	if (!n)
		return;
	if (!o->tail && !(o->tail = malloc(OUTLOG_TAIL)))
		return;   /* no memory: the tail is lost, the count stays */
	if (n > OUTLOG_TAIL) {
		b += n - OUTLOG_TAIL;
		n = OUTLOG_TAIL;
	}
	while (n > 0) {
		size_t k = OUTLOG_TAIL - o->tail_at < n ? OUTLOG_TAIL - o->tail_at : n;

		memcpy(o->tail + o->tail_at, b, k);
		o->tail_at = (o->tail_at + k) % OUTLOG_TAIL;
		o->tail_len = o->tail_len + k > OUTLOG_TAIL ? OUTLOG_TAIL : o->tail_len + k;
		b += k;
		n -= k;
	}
}

void outlog_drain(struct outlog *o, size_t max)
{
	static char buf[CHUNK];
	size_t got = 0;

	while (o->in >= 0 && got < max) {
		ssize_t n = read(o->in, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0) {   /* every writer is gone */
				close(o->in);
				o->in = -1;
			}
			return;
		}
		o->total += (uint64_t)n;
		got += (size_t)n;
		if (o->echo >= 0)
			write_all(o->echo, buf, (size_t)n);
		if (o->out >= 0)
			keep(o, buf, (size_t)n);
	}
}

void outlog_close(struct outlog *o)
{
	outlog_drain(o, SIZE_MAX);
	if (o->out >= 0 && o->total > o->head) {
		uint64_t dropped = o->total - o->head - o->tail_len;
		size_t start = (o->tail_at + OUTLOG_TAIL - o->tail_len) % OUTLOG_TAIL;
		char line[256];

		if (dropped > 0) {
			int n = snprintf(line, sizeof(line),
					 "\n[shmviz: %" PRIu64 " bytes of output dropped here; the log keeps "
					 "the first %u and the last %u bytes of the %" PRIu64 " written]\n",
					 dropped, OUTLOG_HEAD, OUTLOG_TAIL, o->total);

			write_all(o->out, line, (size_t)n);
		}
		if (o->tail && o->tail_len) {
			size_t first = OUTLOG_TAIL - start < o->tail_len ? OUTLOG_TAIL - start : o->tail_len;

			write_all(o->out, o->tail + start, first);
			write_all(o->out, o->tail, o->tail_len - first);
		}
	}
	if (o->in >= 0)
		close(o->in);
	if (o->out >= 0)
		close(o->out);
	free(o->tail);
	outlog_init(o);
}
