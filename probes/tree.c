/*
 * tree.c - descendants of a set of processes, found through their ppid.
 *
 * One pass over /proc collects (pid, ppid) pairs; a breadth-first walk from
 * the roots over those pairs yields the descendants, grandchildren
 * included. A process that exits during the scan is simply not listed.
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

		if (!all_digits(e->d_name))
			continue;
		if (stat_readat(dirfd(d), e->d_name, &st) != 0)
			continue; /* gone meanwhile, or unreadable: not ours */
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

int64_t tree_last_pid(void)
{
	char buf[128];
	ssize_t len;
	int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
	char *sp;

	if (fd < 0)
		return -errno;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -EIO;
	buf[len] = '\0';
	sp = strrchr(buf, ' ');
	if (!sp)
		return -EINVAL;
	return strtoll(sp + 1, NULL, 10);
}
