/*
 * tree.c - descendants of a set of processes, found through their ppid.
 *
 * Full scan: one pass over /proc collects (pid, ppid) pairs; a
 * breadth-first walk from the roots over those pairs yields the
 * descendants, grandchildren included. A process that exits during the
 * scan is simply not listed.
 *
 * Incremental scan: pids are handed out cyclically, so every process
 * created since the last scan has a pid in (last pid then, last pid now]
 * (wrapping at pid_max). Only those have their stat read; one of them
 * joins when its parent is a member or another joiner. A few new pids are
 * opened one by one (/proc/N/stat of a pid that is gone fails at once;
 * threads share the pid space, so a candidate's Tgid is checked in its
 * status); many are found through one listing of /proc, which lists
 * processes only.
 *
 * A process whose stat cannot be read because it is gone (ENOENT, ESRCH)
 * or is no process (EINVAL) is passed over; any other failure (EMFILE,
 * ENFILE: no descriptor left) fails the scan: a member not seen is not a
 * process that exited.
 */
#include "probes/tree.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probes/stat.h"
#include "probes/status.h"
#include "src/util/readfile.h"

/* Up to this many new pids are looked at one by one; more, and one
 * listing of /proc is cheaper (a listing costs about as much as reading
 * the counters of a few processes: measured by tests/bench). */
#define PROBE_MAX 24

struct pair {
	pid_t pid;
	pid_t ppid;
};

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Whether a failed read of a pid's stat means only that it is no (longer a)
 * process */
static bool not_there(int err)
{
	return err == -ENOENT || err == -ESRCH || err == -EINVAL;
}

static int list_pairs(struct pair **pairs, size_t *npairs)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t n = 0, cap = 0;
	struct pair *p = NULL;

	if (!d)
		return -errno;
	while ((e = readdir(d)) != NULL) {
		struct proc_stat st;

		int err;

		if (!all_digits(e->d_name))
			continue;
		err = stat_readat(dirfd(d), e->d_name, &st);
		if (err && !not_there(err)) {
			free(p);
			closedir(d);
			return err;
		}
		if (err)
			continue; /* gone meanwhile */
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 512;
			struct pair *np = realloc(p, ncap * sizeof(*np));

			if (!np) {
				free(p);
				closedir(d);
				return -ENOMEM;
			}
			p = np;
			cap = ncap;
		}
		p[n].pid = st.pid;
		p[n].ppid = st.ppid;
		n++;
	}
	closedir(d);
	*pairs = p;
	*npairs = n;
	return 0;
}

int tree_descendants(const pid_t *roots, size_t nroots, pid_t **out,
		     size_t *nout)
{
	struct pair *pairs = NULL;
	size_t npairs = 0, n = 0, cap = 0, head = 0;
	pid_t *q = NULL;
	int err;

	*out = NULL;
	*nout = 0;
	err = list_pairs(&pairs, &npairs);
	if (err)
		return err;
	/* queue: roots first, then descendants as they are found */
	cap = nroots + 16;
	q = malloc(cap * sizeof(*q));
	if (!q) {
		free(pairs);
		return -ENOMEM;
	}
	memcpy(q, roots, nroots * sizeof(*q));
	n = nroots;
	while (head < n) {
		pid_t parent = q[head++];

		for (size_t i = 0; i < npairs; i++) {
			if (pairs[i].ppid != parent || pairs[i].pid == 0)
				continue;
			if (n == cap) {
				pid_t *nq = realloc(q, cap * 2 * sizeof(*nq));

				if (!nq) {
					free(q);
					free(pairs);
					return -ENOMEM;
				}
				q = nq;
				cap *= 2;
			}
			q[n++] = pairs[i].pid;
			pairs[i].pid = 0; /* never queued twice */
		}
	}
	free(pairs);
	memmove(q, q + nroots, (n - nroots) * sizeof(*q));
	*out = q;
	*nout = n - nroots;
	return 0;
}

static bool in_range(int64_t pid, int64_t after, int64_t upto)
{
	if (after <= upto)
		return pid > after && pid <= upto;
	return pid > after || pid <= upto; /* the counter wrapped */
}

static bool listed(const pid_t *v, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == pid)
			return true;
	return false;
}

static bool add_candidate(struct pair **cand, size_t *n, size_t *cap,
			  const struct proc_stat *st)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct pair *np = realloc(*cand, ncap * sizeof(*np));

		if (!np)
			return false;
		*cand = np;
		*cap = ncap;
	}
	(*cand)[*n].pid = st->pid;
	(*cand)[*n].ppid = st->ppid;
	(*n)++;
	return true;
}

static int64_t pid_max(void)
{
	static int64_t cached;
	char buf[32];

	if (cached)
		return cached;
	cached = 4194304; /* the kernel's limit, if the file says nothing */
	if (readfile(AT_FDCWD, "/proc/sys/kernel/pid_max", buf, sizeof(buf)) > 0 &&
	    strtoll(buf, NULL, 10) > 0)
		cached = strtoll(buf, NULL, 10);
	return cached;
}

/* The new pids one by one; false when there are too many for that. */
static bool probe_range(int64_t after, int64_t upto, struct pair **cand,
			size_t *n, size_t *cap, int *err)
{
	int64_t max = pid_max(), count;

	count = upto > after ? upto - after : max - after + upto;
	if (count > PROBE_MAX)
		return false;
	for (int64_t pid = after + 1, i = 0; i < count; i++, pid++) {
		struct proc_stat st;
		char name[32];

		if (pid >= max)
			pid = 1;
		int e;

		snprintf(name, sizeof(name), "/proc/%lld", (long long)pid);
		e = stat_readat(AT_FDCWD, name, &st);
		if (e && !not_there(e)) {
			*err = e;
			return true;
		}
		if (e)
			continue; /* gone already, or never a process */
		if (!add_candidate(cand, n, cap, &st)) {
			*err = -ENOMEM;
			return true;
		}
	}
	return true;
}

static int list_range(int64_t after, int64_t upto, struct pair **cand,
		      size_t *n, size_t *cap)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	if (!d)
		return -errno;
	while ((e = readdir(d)) != NULL) {
		struct proc_stat st;
		long pid;
		char *end;
		int err;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		pid = strtol(e->d_name, &end, 10);
		if (*end || !in_range(pid, after, upto))
			continue;
		err = stat_readat(dirfd(d), e->d_name, &st);
		if (err && !not_there(err)) {
			closedir(d);
			return err;
		}
		if (err)
			continue;
		if (!add_candidate(cand, n, cap, &st)) {
			closedir(d);
			return -ENOMEM;
		}
	}
	closedir(d);
	return 0;
}

/* A probed pid may be a thread of a process, listed or not. */
static bool is_process(pid_t pid)
{
	struct proc_status st;
	char name[32];

	snprintf(name, sizeof(name), "/proc/%d", (int)pid);
	return status_readat(AT_FDCWD, name, &st) == 0 && st.tgid == pid;
}

int tree_new_descendants(const pid_t *members, size_t nmembers, int64_t after,
			 int64_t upto, pid_t **out, size_t *nout)
{
	struct pair *cand = NULL;
	size_t ncand = 0, cap = 0, n = 0;
	pid_t *found = NULL;
	bool grew, probed;
	int err = 0;

	*out = NULL;
	*nout = 0;
	if (after == upto)
		return 0;
	probed = probe_range(after, upto, &cand, &ncand, &cap, &err);
	if (!probed)
		err = list_range(after, upto, &cand, &ncand, &cap);
	if (!err && ncand) {
		found = malloc(ncand * sizeof(*found));
		if (!found)
			err = -ENOMEM;
	}
	if (err) {
		free(cand);
		return err;
	}
	/* a grandchild may be listed before its parent: repeat until stable */
	do {
		grew = false;
		for (size_t i = 0; i < ncand; i++) {
			if (!cand[i].pid)
				continue;
			if (listed(members, nmembers, cand[i].ppid) ||
			    listed(found, n, cand[i].ppid)) {
				if (!listed(members, nmembers, cand[i].pid) &&
				    (!probed || is_process(cand[i].pid)))
					found[n++] = cand[i].pid;
				cand[i].pid = 0;
				grew = true;
			}
		}
	} while (grew);
	free(cand);
	if (!n) {
		free(found);
		found = NULL;
	}
	*out = found;
	*nout = n;
	return 0;
}

/* /proc/loadavg stays open: a seq_file reads afresh from offset 0, and
 * pread() costs less than half of open + read + close. */
int64_t tree_last_pid(void)
{
	static int fd = -1;
	char buf[128];
	ssize_t len;
	char *sp;

	if (fd < 0) {
		fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
	}
	len = pread(fd, buf, sizeof(buf) - 1, 0);
	if (len <= 0)
		return -EIO;
	buf[len] = '\0';
	sp = strrchr(buf, ' ');
	if (!sp)
		return -EINVAL;
	return strtoll(sp + 1, NULL, 10);
}
