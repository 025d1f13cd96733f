/*
 * procs.c - the per-process readings of a sampler tick (see procs.h).
 *
 * Counters (stat and status) are read relative to an open /proc. stat,
 * read every tick for every member, stays open between ticks and is read
 * again with pread (an open and a close cost more than the read itself);
 * a descriptor whose process is gone reads ESRCH, even when the pid was
 * handed out again, and is then replaced by a fresh open. Descriptors of
 * pids not asked for in STAT_KEEP_CALLS calls are closed, and at most
 * STAT_FDS_MAX (or a quarter of the descriptors really free when the
 * reader starts: RLIMIT_NOFILE less those open) are kept. status is opened,
 * read and closed each time (it is read only when stat moved). smaps_rollup is read through libproc2 (docs/architecture.md
 * rule 3): a static item array with an index enum of the same order for
 * PIDS_VAL (procps' pmap.c pattern), one pids_info created at start and
 * unref'd at the end.
 *
 * Why the counters do not go through libproc2 too: selecting by pid,
 * libproc2 4.0 reads /proc/PID/status once to find the tgid, stat()s
 * /proc/PID for the owner, and reads /proc/uptime every select, before it
 * reads the files asked for. For stat + status that is twice the kernel
 * work of the files themselves (measured: 57 against 28 us a process, and
 * status is the dearest of the two files). For smaps_rollup the same
 * extra reads are noise beside the page-table walk of a large mapping
 * (tests/bench: a full tick within a few percent of a plain loop).
 *
 * libproc2 leaves smaps figures at 0 when smaps_rollup cannot be opened. A
 * live process with an address space always has Rss > 0, so a zero Rss is
 * checked once more with open(2) to tell "unreadable" (EACCES) from "no
 * address space" (a zombie): an unreadable value is never shown as 0.
 */
#include "probes/procs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <libproc2/pids.h>

#include "probes/status.h"
#include "src/util/macros.h"

/* libproc2 4.0 refuses more pids than this in one select */
#define SELECT_BATCH 128
/* open stat descriptors kept between ticks (see the head of this file) */
#define STAT_FDS_MAX 512
#define STAT_KEEP_CALLS 8

struct stat_fd {
	pid_t pid;
	int fd;
	uint64_t used;            /* the call that last read it */
};

/* libproc2's items: the pid, then the figures of the list in its order;
 * item S_FIRST + i is smaps_fields[i] */
enum { S_PID, S_FIRST, S_END = S_FIRST + SMAPS_NFIELDS };

static enum pids_item smaps_items[] = {
	PIDS_ID_PID,
#define SMAPS_ITEM_(member, key, item, json, flags) item,
	SMAPS_FIELDS(SMAPS_ITEM_)
#undef SMAPS_ITEM_
};

_Static_assert(ARRAY_SIZE(smaps_items) == S_END,
	       "smaps items and their index enum differ");

struct procs_reader {
	int procfd;               /* /proc */
	struct stat_fd *fds;      /* open stat files, by pid */
	size_t nfds, fds_max;
	uint64_t call;            /* procs_read_stat calls so far */
	struct pids_info *smaps;  /* libproc2: smaps_rollup */
	bool have_pss_shmem;
};

/* descriptors open in this process now (the listing's own not counted) */
static size_t open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n ? n - 1 : 0;
}

struct procs_reader *procs_reader_create(void)
{
	struct procs_reader *r = calloc(1, sizeof(*r));
	struct smaps_kb self;
	struct rlimit lim;
	int err;

	if (!r)
		return NULL;
	r->procfd = -1;
	r->fds_max = STAT_FDS_MAX;
	if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY) {
		/* the rest is for the reads themselves (a scan's listing of
		 * /proc, a stat opened while the cache is full, libproc2's
		 * files), for the recording and the terminal */
		size_t open_now = open_fds();
		size_t avail = lim.rlim_cur > open_now ? (size_t)(lim.rlim_cur - open_now) : 0;

		if (avail / 4 < r->fds_max)
			r->fds_max = avail / 4;
	}
	r->fds = calloc(r->fds_max ? r->fds_max : 1, sizeof(*r->fds));
	if (!r->fds) {
		err = -ENOMEM;
		goto fail;
	}
	r->procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->procfd < 0) {
		err = -errno;
		goto fail;
	}
	err = procps_pids_new(&r->smaps, smaps_items, S_END);
	if (err < 0)
		goto fail;
	r->have_pss_shmem = smaps_read(getpid(), &self) == 0 &&
			    self.pss_shmem != SMAPS_NONE;
	return r;
fail:
	procs_reader_destroy(r);
	errno = -err;
	return NULL;
}

void procs_reader_destroy(struct procs_reader *r)
{
	if (!r)
		return;
	if (r->smaps)
		procps_pids_unref(&r->smaps);
	for (size_t i = 0; i < r->nfds; i++)
		close(r->fds[i].fd);
	free(r->fds);
	if (r->procfd >= 0)
		close(r->procfd);
	free(r);
}

bool procs_have_pss_shmem(const struct procs_reader *r)
{
	return r->have_pss_shmem;
}

#define VAL(rel, type, stack) PIDS_VAL(rel, type, stack, r->smaps)

static void drop_fd(struct procs_reader *r, size_t i)
{
	close(r->fds[i].fd);
	r->fds[i] = r->fds[--r->nfds];
}

/* stat of one process through its kept descriptor, else a fresh open
 * (kept when there is room) */
static int stat_of(struct procs_reader *r, pid_t pid, struct proc_stat *out)
{
	char path[32];
	int fd, err;

	for (size_t i = 0; i < r->nfds; i++) {
		if (r->fds[i].pid != pid)
			continue;
		err = stat_reread(r->fds[i].fd, out);
		if (err == 0) {
			r->fds[i].used = r->call;
			return 0;
		}
		/* gone, or its pid now names another process: open anew */
		drop_fd(r, i);
		break;
	}
	snprintf(path, sizeof(path), "%d/stat", (int)pid);
	fd = openat(r->procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && (errno == EMFILE || errno == ENFILE) && r->nfds) {
		/* out of descriptors: the kept ones go first, never a member */
		while (r->nfds)
			drop_fd(r, r->nfds - 1);
		fd = openat(r->procfd, path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return -errno;
	err = stat_reread(fd, out);
	if (err == 0 && r->nfds < r->fds_max) {
		r->fds[r->nfds++] = (struct stat_fd){ .pid = pid, .fd = fd, .used = r->call };
		return 0;
	}
	close(fd);
	return err;
}

/* Reads stat of one process; -ENOENT/-ESRCH when it is gone. The status
 * figures are left unknown (-1). */
static int read_stat(struct procs_reader *r, pid_t pid, struct proc_sample *s)
{
	memset(s, 0, sizeof(*s));
	s->vm_rss_kb = s->rss_anon_kb = s->rss_file_kb = s->rss_shmem_kb = -1;
	s->smaps_err = PROCS_SMAPS_NOT_ASKED;
	smaps_clear(&s->smaps);
	return stat_of(r, pid, &s->stat);
}

int procs_read_status(struct procs_reader *r, struct proc_sample *s)
{
	struct proc_status st;
	char name[16];
	int err;

	snprintf(name, sizeof(name), "%d", (int)s->stat.pid);
	err = status_readat(r->procfd, name, &st);
	if (err)
		return err;
	s->vm_rss_kb = st.vm_rss_kb;
	s->rss_anon_kb = st.rss_anon_kb;
	s->rss_file_kb = st.rss_file_kb;
	s->rss_shmem_kb = st.rss_shmem_kb;
	return 0;
}

/* Reads stat and status of one process; -ENOENT/-ESRCH when it is gone. */
static int read_counters(struct procs_reader *r, pid_t pid,
			 struct proc_sample *s)
{
	int err = read_stat(r, pid, s);

	return err ? err : procs_read_status(r, s);
}

/* libproc2 gave Rss 0: find out why, without reading the expensive file. */
static int classify_empty_smaps(pid_t pid, char state)
{
	char path[64];
	int fd;

	if (state == 'Z' || state == 'X')
		return -ENODATA;
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == EACCES || errno == EPERM ? -EACCES : -ENODATA;
	close(fd);
	return -ENODATA;
}

static void fill_smaps(struct procs_reader *r, struct pids_stack *stack,
		       struct proc_sample *s)
{
	struct smaps_kb *m = &s->smaps;

	m->rss = (int64_t)VAL(S_FIRST + SMAPS_I_rss, ul_int, stack);
	if (m->rss == 0) {
		s->smaps_err = classify_empty_smaps(s->stat.pid, s->stat.state);
		smaps_clear(m);
		return;
	}
	s->smaps_err = 0;
	for (size_t i = 0; i < SMAPS_NFIELDS; i++) {
		if ((smaps_fields[i].flags & SMAPS_SINCE_510) && !r->have_pss_shmem)
			smaps_set(m, i, SMAPS_NONE);
		else
			smaps_set(m, i, (int64_t)VAL(S_FIRST + (int)i, ul_int, stack));
	}
}

/* smaps_rollup of the n samples in out, through libproc2. A process that
 * is gone by now is dropped from out; returns the number kept. */
static size_t read_smaps(struct procs_reader *r, struct proc_sample *out,
			 size_t n, int *err)
{
	struct pids_info *info = r->smaps;
	unsigned batch[SELECT_BATCH];
	bool *seen = calloc(n ? n : 1, sizeof(*seen));
	size_t kept = 0;

	*err = 0;
	if (!seen) {
		*err = -ENOMEM;
		return n;
	}
	for (size_t at = 0; at < n; at += SELECT_BATCH) {
		size_t k = n - at; /* at < n: one pid at least */
		struct pids_fetch *f;

		if (k > SELECT_BATCH)
			k = SELECT_BATCH;
		for (size_t i = 0; i < k; i++)
			batch[i] = (unsigned)out[at + i].stat.pid;
		errno = 0;
		f = procps_pids_select(info, batch, (int)k, PIDS_SELECT_PID);
		if (!f) {
			/* all gone reads as an empty fetch on some versions */
			if (errno == 0 || errno == ENOENT || errno == ESRCH)
				continue;
			*err = -errno;
			break;
		}
		/* the fetch comes in the order asked, less the gone ones */
		for (int i = 0, j = 0; i < f->counts->total; i++) {
			pid_t pid = VAL(S_PID, s_int, f->stacks[i]);

			while (j < (int)k && out[at + (size_t)j].stat.pid != pid)
				j++;
			if (j == (int)k)
				break;
			fill_smaps(r, f->stacks[i], &out[at + (size_t)j]);
			seen[at + (size_t)j] = true;
		}
	}
	if (*err) {
		free(seen);
		return n;
	}
	for (size_t i = 0; i < n; i++)
		if (seen[i])
			out[kept++] = out[i];
	free(seen);
	return kept;
}

int procs_read_smaps(struct procs_reader *r, struct proc_sample *out,
		     size_t n, size_t *nkept)
{
	int err;

	*nkept = n ? read_smaps(r, out, n, &err) : 0;
	return n ? err : 0;
}

int procs_read_stat(struct procs_reader *r, const pid_t *pids, size_t n,
		    struct proc_sample *out, size_t *nout)
{
	size_t got = 0;
	int err = 0;

	r->call++;
	for (size_t i = 0; i < r->nfds;) {
		if (r->call - r->fds[i].used > STAT_KEEP_CALLS)
			drop_fd(r, i);
		else
			i++;
	}
	for (size_t i = 0; i < n; i++) {
		int e = read_stat(r, pids[i], &out[got]);

		if (e == 0)
			got++;
		else if (e != -ENOENT && e != -ESRCH && e != -EINVAL)
			err = e; /* /proc itself fails */
	}
	*nout = got;
	return err;
}

int procs_read(struct procs_reader *r, const pid_t *pids, size_t n,
	       bool smaps, struct proc_sample *out, size_t *nout)
{
	size_t got = 0;
	int err = 0;

	for (size_t i = 0; i < n; i++) {
		int e = read_counters(r, pids[i], &out[got]);

		if (e == 0)
			got++;
		else if (e != -ENOENT && e != -ESRCH && e != -EINVAL)
			err = e; /* /proc itself fails */
	}
	if (smaps && got)
		got = read_smaps(r, out, got, &err);
	*nout = got;
	return err;
}
