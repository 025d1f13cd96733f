/*
 * guard.c - the watchdog that ends a run's processes when shmviz dies
 * (see guard.h).
 *
 * The pipe's messages are lines: "s PID" (a run's session began), "e PID"
 * (it ended), "c PATH" (a run's cgroup was made), "d PATH" (shmviz removed
 * it), "q" (shmviz ends cleanly). The guard keeps at most
 * GUARD_SIDS_MAX sessions; runs come one after the other, so one or two are
 * ever watched at once.
 */
#include "src/run/guard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probes/cgroup.h"
#include "src/util/clock.h"
#include "src/util/readfile.h"

#define GUARD_SIDS_MAX 16
#define GUARD_CGROUPS_MAX 16
#define GUARD_PIDS_MAX 4096
#define ENVIRON_MAX (4u << 20)
#define SEM_PREFIX "/dev/shm/sem.mp-"

static char token[33];
static int guard_fd = -1;
static int guard_back = -1; /* the guard's reports: "x PID T" */

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

void guard_cgroup(const char *path, bool add)
{
	char line[CGROUP_PATH_MAX + 8];
	int n;

	if (guard_fd < 0 || strchr(path, '\n'))
		return;
	n = snprintf(line, sizeof(line), "%c %s\n", add ? 'c' : 'd', path);
	/* one write: the guard reads lines (a gone guard: EPIPE) */
	if (n > 0 && n < (int)sizeof(line) && write(guard_fd, line, (size_t)n) < 0)
		return;
}

void guard_release(void)
{
	if (guard_fd < 0)
		return;
	send_line('q', 0);
	close(guard_fd);
	guard_fd = -1;
	if (guard_back >= 0)
		close(guard_back);
	guard_back = -1;
}

/* ---- the sweep ---- */

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

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (readfile(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
		return false;
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

/* What a sweep looks for and what it found: the runs' sessions and
 * cgroups, the pids of the members seen (for their segments) */
struct sweep {
	const char *needle;
	const pid_t *sids;
	size_t nsids;
	const struct cgroup_dir *cgs;
	size_t ncgs;
	pid_t in_cg[GUARD_PIDS_MAX];  /* the cgroups' processes, this scan */
	size_t nin_cg;
	pid_t seen[GUARD_PIDS_MAX];   /* every member seen */
	size_t nseen;
	struct guard_sems sems;
};

static bool pid_in(const pid_t *set, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == pid)
			return true;
	return false;
}

static void note_seen(struct sweep *w, pid_t pid)
{
	if (w->nseen < GUARD_PIDS_MAX && !pid_in(w->seen, w->nseen, pid))
		w->seen[w->nseen++] = pid;
}

/* the processes of the runs' cgroups now */
static void cg_members(struct sweep *w)
{
	w->nin_cg = 0;
	for (size_t i = 0; i < w->ncgs; i++) {
		ssize_t n = cgroup_procs(&w->cgs[i], w->in_cg + w->nin_cg,
					 GUARD_PIDS_MAX - w->nin_cg);

		if (n > 0)
			w->nin_cg += (size_t)n < GUARD_PIDS_MAX - w->nin_cg ?
				     (size_t)n : GUARD_PIDS_MAX - w->nin_cg;
	}
}

/* One pass over /proc: every member found gets sig (0: none), and
 * SIGCONT after it (a stopped process, --lesson, would keep a SIGTERM
 * pending); returns how many were found. */
static int scan(struct sweep *w, int sig)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t self = getpid();
	int found = 0;

	if (!d)
		return 0;
	cg_members(w);
	while ((e = readdir(d)) != NULL) {
		char *end, state;
		long pid = strtol(e->d_name, &end, 10), session;
		bool member = false;

		if (*end || pid <= 0 || pid == self)
			continue;
		if (!read_stat((pid_t)pid, &state, &session) || state == 'Z' ||
		    state == 'X')
			continue;
		for (size_t i = 0; i < w->nsids && !member; i++)
			member = session == w->sids[i];
		if (!member)
			member = pid_in(w->in_cg, w->nin_cg, (pid_t)pid);
		if (!member)
			member = environ_has((pid_t)pid, w->needle);
		if (!member)
			continue;
		found++;
		note_seen(w, (pid_t)pid);
		guard_sems_collect(&w->sems, (pid_t)pid);
		if (sig) {
			kill((pid_t)pid, sig);
			kill((pid_t)pid, SIGCONT);
		}
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

/* The segments /dev/shm/shmviz-PID-N of the members seen (and of the
 * roots, the sessions' ids: a root killed by its death signal first is
 * never seen): a workload ended before it could unlink its own. */
static void unlink_segments(const struct sweep *w)
{
	DIR *d = opendir("/dev/shm");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long pid;

		if (strncmp(e->d_name, "shmviz-", 7) != 0)
			continue;
		pid = strtol(e->d_name + 7, &end, 10);
		if (end == e->d_name + 7 || *end != '-' || pid <= 0)
			continue;
		if (pid_in(w->seen, w->nseen, (pid_t)pid) ||
		    pid_in(w->sids, w->nsids, (pid_t)pid))
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

/* The runs' cgroups emptied (cgroup.kill where there is one, else SIGKILL
 * to each process until none is left) and removed */
static void end_cgroups(struct sweep *w)
{
	for (int rounds = 0; rounds < 500; rounds++) {
		cg_members(w);
		if (!w->nin_cg)
			break;
		for (size_t i = 0; i < w->ncgs; i++)
			cgroup_kill(&w->cgs[i]);
		for (size_t i = 0; i < w->nin_cg; i++) {
			note_seen(w, w->in_cg[i]);
			guard_sems_collect(&w->sems, w->in_cg[i]);
			kill(w->in_cg[i], SIGKILL);
			kill(w->in_cg[i], SIGCONT);
		}
		nap_ms(10);
	}
	/* an exiting process leaves its cgroup a moment after it vanished
	 * from cgroup.procs: rmdir is EBUSY until then */
	for (size_t i = 0; i < w->ncgs; i++)
		for (int k = 0; k < 200 && cgroup_remove(&w->cgs[i]) == -EBUSY; k++)
			nap_ms(10);
}

int guard_sweep(const char *tok, const pid_t *sids, size_t nsids,
		const struct cgroup_dir *cgs, size_t ncgs, int grace_ms)
{
	struct sweep *w = calloc(1, sizeof(*w));
	char needle[128];
	int first, rounds = 0;
	double deadline;

	if (!w)
		return 0;
	snprintf(needle, sizeof(needle), "%s=%s", GUARD_ENV, tok);
	w->needle = needle;
	w->sids = sids;
	w->nsids = nsids;
	w->cgs = cgs;
	w->ncgs = ncgs;
	first = scan(w, SIGTERM);
	if (first) {
		deadline = clock_mono_s() + grace_ms / 1000.0;
		while (clock_mono_s() < deadline) {
			nap_ms(20);
			if (!scan(w, 0))
				break;
		}
		/* whatever is left, and whatever was forked meanwhile */
		while (scan(w, SIGKILL) && rounds++ < 1000)
			nap_ms(10);
	}
	end_cgroups(w);
	guard_sems_unlink(&w->sems);
	unlink_segments(w);
	free(w);
	return first;
}

/* ---- the guard process ---- */

/* Keeps only the two pipes (at 3 and 4) and /dev/null as 0, 1, 2: the
 * guard holds no terminal, no recording, no pipe of a caller's. */
static void close_all_but(int rfd, int wfd)
{
	int r = fcntl(rfd, F_DUPFD, 10), w = fcntl(wfd, F_DUPFD, 10);
	int fd;

	if (r < 0 || w < 0 || dup2(r, 3) != 3 || dup2(w, 4) != 4)
		_exit(1);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
#ifdef CLOSE_RANGE_CLOEXEC
	close_range(5, ~0U, 0);
#else
	{
		long max = sysconf(_SC_OPEN_MAX);

		if (max < 0 || max > 65536)
			max = 65536;
		for (int i = 5; i < max; i++)
			close(i);
	}
#endif
}

static int pidfd_of(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

/* A watched run: its root's session id (= its pid) and a pidfd of the
 * root while it has not ended (-1 after). */
struct watched {
	pid_t sid;
	int pidfd;
};

static void unwatch(struct watched *w, size_t *n, size_t i)
{
	if (w[i].pidfd >= 0)
		close(w[i].pidfd);
	memmove(w + i, w + i + 1, (*n - i - 1) * sizeof(w[0]));
	(*n)--;
}

static struct cgroup_dir cgs[GUARD_CGROUPS_MAX];
static size_t ncgs;

/* "c PATH": a run's cgroup was made; "d PATH": shmviz removed it */
static void cgroup_line(const char *line)
{
	const char *path = line + 2;
	size_t i;

	if (strlen(line) < 3 || strlen(path) >= CGROUP_PATH_MAX)
		return;
	for (i = 0; i < ncgs && strcmp(cgs[i].path, path) != 0; i++)
		;
	if (line[0] == 'd' && i < ncgs) {
		memmove(cgs + i, cgs + i + 1, (ncgs - i - 1) * sizeof(cgs[0]));
		ncgs--;
	} else if (line[0] == 'c' && i == ncgs) {
		if (ncgs == GUARD_CGROUPS_MAX) {
			memmove(cgs, cgs + 1, (ncgs - 1) * sizeof(cgs[0]));
			ncgs--;
		}
		snprintf(cgs[ncgs].path, sizeof(cgs[ncgs].path), "%s", path);
		/* v2 has cgroup.kill; v1 is known by its tasks file */
		{
			char t[CGROUP_PATH_MAX + 16];

			snprintf(t, sizeof(t), "%s/tasks", path);
			cgs[ncgs].version = access(t, F_OK) == 0 ? 1 : 2;
		}
		ncgs++;
	}
}

/* one line from shmviz: returns false for "q" */
static bool guard_line(const char *line, struct watched *w, size_t *n)
{
	long v;

	if (line[0] == 'q')
		return false;
	if (line[0] == 'c' || line[0] == 'd') {
		cgroup_line(line);
		return true;
	}
	v = strtol(line + 1, NULL, 10);
	if (line[0] == 's' && v > 0) {
		if (*n == GUARD_SIDS_MAX)
			unwatch(w, n, 0);
		w[*n].sid = (pid_t)v;
		/* the root's end, seen from here: shmviz may be stopped
		 * (SIGTSTP) or starved when it comes */
		w[*n].pidfd = pidfd_of((pid_t)v);
		(*n)++;
	} else if (line[0] == 'e' && v > 0) {
		for (size_t i = 0; i < *n; i++) {
			if (w[i].sid == (pid_t)v) {
				unwatch(w, n, i);
				break;
			}
		}
	}
	return true;
}

static void guard_main(int rfd, int wfd)
{
	struct watched w[GUARD_SIDS_MAX];
	pid_t sids[GUARD_SIDS_MAX];
	size_t nw = 0, len = 0;
	char buf[512];
	sigset_t all;

	setsid();
	prctl(PR_SET_NAME, GUARD_COMM);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	close_all_but(rfd, wfd);
	rfd = 3;
	wfd = 4;
	/* no mount is kept busy by the guard */
	if (chdir("/") != 0)
		_exit(1);
	for (;;) {
		struct pollfd pfd[1 + GUARD_SIDS_MAX];
		size_t np = 0, map[GUARD_SIDS_MAX];
		ssize_t n;
		char *line, *nl;

		pfd[np].fd = rfd;
		pfd[np++].events = POLLIN;
		for (size_t i = 0; i < nw; i++) {
			if (w[i].pidfd < 0)
				continue;
			map[np - 1] = i;
			pfd[np].fd = w[i].pidfd;
			pfd[np++].events = POLLIN;
		}
		if (poll(pfd, (nfds_t)np, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (size_t k = 1; k < np; k++) {
			struct watched *x = &w[map[k - 1]];
			char msg[64];
			ssize_t wr;
			int m;

			if (!pfd[k].revents)
				continue;
			/* the root ended now: tell shmviz when */
			m = snprintf(msg, sizeof(msg), "x %ld %.6f\n", (long)x->sid,
				     clock_mono_s());
			/* shmviz gone (EPIPE): nothing to do about it */
			wr = m > 0 ? write(wfd, msg, (size_t)m) : 0;
			(void)wr;
			close(x->pidfd);
			x->pidfd = -1;
		}
		if (!pfd[0].revents)
			continue;
		n = read(rfd, buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		line = buf;
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			if (!guard_line(line, w, &nw))
				_exit(0);
			line = nl + 1;
		}
		len = strlen(line);
		memmove(buf, line, len);
		if (len >= sizeof(buf) - 1)
			len = 0; /* no line is that long: drop it */
	}
	/* end of file without "q": shmviz is gone */
	for (size_t i = 0; i < nw; i++)
		sids[i] = w[i].sid;
	guard_sweep(token, sids, nw, cgs, ncgs, GUARD_GRACE_MS);
	_exit(0);
}

/* ---- the root's end, as the guard saw it ---- */

#define EXITS_MAX 16
static struct {
	pid_t pid;
	double t;
} exits[EXITS_MAX];
static size_t nexits;
static char back_buf[256];
static size_t back_len;

bool guard_exit_time(pid_t pid, double *t)
{
	for (;;) {
		ssize_t n;
		char *line, *nl;

		if (guard_back < 0)
			break;
		n = read(guard_back, back_buf + back_len, sizeof(back_buf) - 1 - back_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		back_len += (size_t)n;
		back_buf[back_len] = '\0';
		line = back_buf;
		while ((nl = strchr(line, '\n')) != NULL) {
			long p;
			double v;

			*nl = '\0';
			if (sscanf(line, "x %ld %lf", &p, &v) == 2 && p > 0) {
				if (nexits == EXITS_MAX) {
					memmove(exits, exits + 1, sizeof(exits) - sizeof(exits[0]));
					nexits--;
				}
				exits[nexits].pid = (pid_t)p;
				exits[nexits++].t = v;
			}
			line = nl + 1;
		}
		back_len = strlen(line);
		memmove(back_buf, line, back_len);
		if (back_len >= sizeof(back_buf) - 1)
			back_len = 0;
	}
	for (size_t i = nexits; i-- > 0;) {
		if (exits[i].pid == pid) {
			*t = exits[i].t;
			return true;
		}
	}
	return false;
}

int guard_start(char *err, size_t errlen)
{
	unsigned char r[16];
	int p[2], b[2], status;
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
	if (pipe2(b, O_CLOEXEC | O_NONBLOCK) != 0) {
		int e = errno;

		close(p[0]);
		close(p[1]);
		token[0] = '\0';
		snprintf(err, errlen, "cannot start the guard process: pipe: %s",
			 strerror(e));
		return -e;
	}
	mid = fork();
	if (mid == 0) {
		pid_t g;

		close(p[1]);
		close(b[0]);
		g = fork();
		if (g == 0)
			guard_main(p[0], b[1]);
		_exit(g < 0 ? 1 : 0);
	}
	close(p[0]);
	close(b[1]);
	if (mid < 0) {
		int e = errno;

		close(p[1]);
		close(b[0]);
		token[0] = '\0';
		snprintf(err, errlen, "cannot start the guard process: fork: %s",
			 strerror(e));
		return -e;
	}
	while (waitpid(mid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		close(p[1]);
		close(b[0]);
		token[0] = '\0';
		snprintf(err, errlen, "cannot start the guard process: fork failed");
		return -EAGAIN;
	}
	guard_fd = p[1];
	guard_back = b[0];
	return 0;
}
