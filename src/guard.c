/*
 * guard.c - the watchdog that ends a run's processes when shmviz dies
 * (see guard.h).
 *
 * The pipe's messages are lines: "s PID" (a run's session began), "e PID"
 * (it ended), "q" (shmviz ends cleanly). The guard keeps at most
 * GUARD_SIDS_MAX sessions; runs come one after the other, so one or two are
 * ever watched at once.
 */
#include "src/guard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GUARD_SIDS_MAX 16
#define ENVIRON_MAX (4u << 20)
#define SEM_PREFIX "/dev/shm/sem.mp-"

static char token[33];
static int guard_fd = -1;

const char *guard_token(void)
{
	return token;
}

/* one message: c, then the number when v > 0 */
static void send_line(char c, long v)
{
	char line[48];
	int n;

	if (guard_fd < 0)
		return;
	n = v > 0 ? snprintf(line, sizeof(line), "%c %ld\n", c, v) :
		    snprintf(line, sizeof(line), "%c\n", c);
	/* a short pipe message is written whole; a guard that is gone is
	 * EPIPE (SIGPIPE is ignored), nothing to do about it */
	if (n > 0 && write(guard_fd, line, (size_t)n) < 0)
		return;
}

void guard_watch(pid_t sid)
{
	send_line('s', (long)sid);
}

void guard_unwatch(pid_t sid)
{
	send_line('e', (long)sid);
}

void guard_release(void)
{
	if (guard_fd < 0)
		return;
	send_line('q', 0);
	close(guard_fd);
	guard_fd = -1;
}

/* ---- the sweep ---- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* state and session of pid from /proc/PID/stat; false when gone */
static bool read_stat(pid_t pid, char *state, long *session)
{
	char path[64], buf[1024], *rp;
	long ppid, pgrp;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	rp = strrchr(buf, ')');
	if (!rp || sscanf(rp + 1, " %c %ld %ld %ld", state, &ppid, &pgrp, session) != 4)
		return false;
	return true;
}

/* whether /proc/PID/environ holds needle (NAME=VALUE, whole) */
static bool environ_has(pid_t pid, const char *needle)
{
	char path[64], *buf = NULL;
	size_t len = 0, cap = 0, nlen = strlen(needle);
	bool found = false;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	for (;;) {
		ssize_t n;

		if (len + 65536 + 1 > cap) {
			char *nb;

			if (cap >= ENVIRON_MAX)
				break;
			cap = cap ? cap * 2 : 65536 * 2;
			nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	for (size_t i = 0; buf && i + nlen <= len; ) {
		size_t end = i;

		while (end < len && buf[end])
			end++;
		if (end - i == nlen && memcmp(buf + i, needle, nlen) == 0) {
			found = true;
			break;
		}
		i = end + 1;
	}
	free(buf);
	return found;
}

void guard_sems_collect(struct guard_sems *s, pid_t pid)
{
	char path[64], line[4352];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, SEM_PREFIX), *nl;
		bool known = false;

		if (!p)
			continue;
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (strstr(p, " (deleted)") || strchr(p + strlen(SEM_PREFIX), '/'))
			continue;
		for (size_t i = 0; i < s->n && !known; i++)
			known = strcmp(s->path[i], p) == 0;
		if (!known && s->n < GUARD_SEMS_MAX) {
			s->path[s->n] = strdup(p);
			if (s->path[s->n])
				s->n++;
		}
	}
	fclose(f);
}

/* One pass over /proc: every member found gets sig (0: none); returns how
 * many were found. */
static int scan(const char *needle, const pid_t *sids, size_t nsids, int sig,
		struct guard_sems *s)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t self = getpid();
	int found = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char *end, state;
		long pid = strtol(e->d_name, &end, 10), session;
		bool member = false;

		if (*end || pid <= 0 || pid == self)
			continue;
		if (!read_stat((pid_t)pid, &state, &session) || state == 'Z' ||
		    state == 'X')
			continue;
		for (size_t i = 0; i < nsids && !member; i++)
			member = session == sids[i];
		if (!member)
			member = environ_has((pid_t)pid, needle);
		if (!member)
			continue;
		found++;
		guard_sems_collect(s, (pid_t)pid);
		if (sig)
			kill((pid_t)pid, sig);
	}
	closedir(d);
	return found;
}

void guard_sems_unlink(struct guard_sems *s)
{
	for (size_t i = 0; i < s->n; i++) {
		unlink(s->path[i]);
		free(s->path[i]);
	}
	s->n = 0;
}

int guard_sweep(const char *tok, const pid_t *sids, size_t nsids, int grace_ms)
{
	struct guard_sems s = { .n = 0 };
	char needle[128];
	int first, rounds = 0;
	double deadline;

	snprintf(needle, sizeof(needle), "%s=%s", GUARD_ENV, tok);
	first = scan(needle, sids, nsids, SIGTERM, &s);
	if (first) {
		deadline = now_s() + grace_ms / 1000.0;
		while (now_s() < deadline) {
			nap_ms(20);
			if (!scan(needle, sids, nsids, 0, &s))
				break;
		}
		/* whatever is left, and whatever was forked meanwhile */
		while (scan(needle, sids, nsids, SIGKILL, &s) && rounds++ < 1000)
			nap_ms(10);
	}
	guard_sems_unlink(&s);
	return first;
}

/* ---- the guard process ---- */

/* Keeps only the pipe (returned, at 3 or above) and /dev/null as 0, 1, 2:
 * the guard holds no terminal, no recording, no pipe of a caller's. */
static int close_all_but(int keep)
{
	int fd;

	if (keep < 3) {
		fd = fcntl(keep, F_DUPFD, 3);
		if (fd < 0)
			_exit(1);
		keep = fd;
	}
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
#ifdef CLOSE_RANGE_CLOEXEC
	if (keep > 3)
		close_range(3, (unsigned)keep - 1, 0);
	close_range((unsigned)keep + 1, ~0U, 0);
#else
	{
		long max = sysconf(_SC_OPEN_MAX);

		if (max < 0 || max > 65536)
			max = 65536;
		for (int i = 3; i < max; i++)
			if (i != keep)
				close(i);
	}
#endif
	return keep;
}

static void guard_main(int rfd)
{
	pid_t sids[GUARD_SIDS_MAX];
	size_t nsids = 0, len = 0;
	char buf[512];
	sigset_t all;

	setsid();
	prctl(PR_SET_NAME, GUARD_COMM);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	rfd = close_all_but(rfd);
	/* no mount is kept busy by the guard */
	if (chdir("/") != 0)
		_exit(1);
	for (;;) {
		ssize_t n = read(rfd, buf + len, sizeof(buf) - 1 - len);
		char *line, *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		line = buf;
		while ((nl = strchr(line, '\n')) != NULL) {
			long v;

			*nl = '\0';
			if (line[0] == 'q')
				_exit(0);
			v = strtol(line + 1, NULL, 10);
			if (line[0] == 's' && v > 0) {
				if (nsids == GUARD_SIDS_MAX)
					memmove(sids, sids + 1, sizeof(sids) - sizeof(sids[0]));
				else
					nsids++;
				sids[nsids - 1] = (pid_t)v;
			} else if (line[0] == 'e' && v > 0) {
				for (size_t i = 0; i < nsids; i++) {
					if (sids[i] == (pid_t)v) {
						memmove(sids + i, sids + i + 1,
							(nsids - i - 1) * sizeof(sids[0]));
						nsids--;
						break;
					}
				}
			}
			line = nl + 1;
		}
		len = strlen(line);
		memmove(buf, line, len);
		if (len >= sizeof(buf) - 1)
			len = 0; /* no line is that long: drop it */
	}
	/* end of file without "q": shmviz is gone */
	guard_sweep(token, sids, nsids, GUARD_GRACE_MS);
	_exit(0);
}

int guard_start(char *err, size_t errlen)
{
	unsigned char r[16];
	int p[2], status;
	pid_t mid;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		int e = errno ? errno : EIO;

		snprintf(err, errlen, "cannot start the guard process: getrandom: %s",
			 strerror(e));
		return -e;
	}
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(token + 2 * i, 3, "%02x", r[i]);
	if (pipe2(p, O_CLOEXEC) != 0) {
		int e = errno;

		token[0] = '\0';
		snprintf(err, errlen, "cannot start the guard process: pipe: %s",
			 strerror(e));
		return -e;
	}
	mid = fork();
	if (mid == 0) {
		pid_t g;

		close(p[1]);
		g = fork();
		if (g == 0)
			guard_main(p[0]);
		_exit(g < 0 ? 1 : 0);
	}
	close(p[0]);
	if (mid < 0) {
		int e = errno;

		close(p[1]);
		token[0] = '\0';
		snprintf(err, errlen, "cannot start the guard process: fork: %s",
			 strerror(e));
		return -e;
	}
	while (waitpid(mid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		close(p[1]);
		token[0] = '\0';
		snprintf(err, errlen, "cannot start the guard process: fork failed");
		return -EAGAIN;
	}
	guard_fd = p[1];
	return 0;
}
