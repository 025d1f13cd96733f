/*
 * stat.c - parser of /proc/PID/stat.
 *
 * Layout: "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt
 * majflt cmajflt utime stime cutime cstime priority nice num_threads
 * itrealvalue starttime ...". Fields are counted from the state, which is
 * field 3 in proc(5) numbering.
 */
#include "probes/stat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/util/macros.h"
#include "src/util/readfile.h"

static bool next_u64(const char **pp, const char *end, uint64_t *out)
{
	const char *p = *pp;
	uint64_t v = 0;
	bool neg = false, any = false;

	while (p < end && *p == ' ')
		p++;
	if (p < end && *p == '-') {
		neg = true;
		p++;
	}
	while (p < end && *p >= '0' && *p <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
		p++;
		any = true;
	}
	if (!any || (p < end && *p != ' ' && *p != '\n'))
		return false;
	*out = neg ? (uint64_t)-(int64_t)v : v;
	*pp = p;
	return true;
}

int stat_parse(const char *buf, size_t len, struct proc_stat *out)
{
	const char *end = buf + len, *open, *close = NULL, *p;
	uint64_t v[21];
	uint64_t pid;
	size_t clen;

	memset(out, 0, sizeof(*out));
	open = memchr(buf, '(', len);
	if (!open)
		return -EINVAL;
	for (p = end; p > open; p--) {
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	}
	if (!close)
		return -EINVAL;
	p = buf;
	if (!next_u64(&p, open, &pid) || pid == 0 || pid > INT32_MAX)
		return -EINVAL;
	clen = (size_t)(close - open - 1);
	if (clen >= sizeof(out->comm))
		clen = sizeof(out->comm) - 1;
	memcpy(out->comm, open + 1, clen);
	out->comm[clen] = '\0';

	p = close + 1;
	while (p < end && *p == ' ')
		p++;
	if (p >= end)
		return -EINVAL;
	out->state = *p++;
	/* v[0] is ppid (field 4) ... v[18] is starttime (field 22), v[19]
	 * vsize (field 23: mappings added or removed), v[20]
	 * rss in pages (field 24): every kernel since 2.6 has it, a fixture
	 * cut after starttime still parses (rss unknown) */
	out->rss_pages = -1;
	out->vsize = -1;
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		if (!next_u64(&p, end, &v[i])) {
			if (i < 19)
				return -EINVAL;
			break;
		}
		if (i == 19)
			out->vsize = (int64_t)v[19];
		if (i == 20)
			out->rss_pages = (int64_t)v[20];
	}
	out->pid = (pid_t)pid;
	out->ppid = (pid_t)v[0];
	out->minflt = v[6];
	out->majflt = v[8];
	out->child_faults = v[7] + v[9];
	out->utime_ticks = v[10];
	out->stime_ticks = v[11];
	out->num_threads = (int64_t)v[16];
	out->start_ticks = v[18];
	return 0;
}

int stat_readat(int procfd, const char *pidname, struct proc_stat *out)
{
	char path[64], buf[1024];
	ssize_t len;

	snprintf(path, sizeof(path), "%s/stat", pidname);
	len = readfile(procfd, path, buf, sizeof(buf));
	if (len < 0)
		return (int)len;
	if (len == 0)
		return -ESRCH;
	return stat_parse(buf, (size_t)len, out);
}

int stat_reread(int fd, struct proc_stat *out)
{
	char buf[1024];
	size_t n = 0;

	while (n < sizeof(buf) - 1) {
		ssize_t r = pread(fd, buf + n, sizeof(buf) - 1 - n, (off_t)n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		n += (size_t)r;
		/* the kernel prints the whole line at once: a short read is
		 * its end, no second call needed */
		if (r == 0 || n < sizeof(buf) - 1)
			break;
	}
	buf[n] = '\0';
	if (n == 0)
		return -ESRCH;
	return stat_parse(buf, n, out);
}

int stat_read(pid_t pid, struct proc_stat *out)
{
	char name[32];

	snprintf(name, sizeof(name), "/proc/%d", (int)pid);
	return stat_readat(AT_FDCWD, name, out);
}
