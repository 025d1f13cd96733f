/*
 * procs.c - libproc2 readers for the sampler (DESIGN.md rule 3).
 *
 * Two static item arrays, each with an index enum of the same order for
 * PIDS_VAL (procps' pmap.c pattern): the counters (stat + status) and the
 * counters plus smaps_rollup. One pids_info for each, created at start and
 * unref'd at the end.
 *
 * libproc2 leaves smaps figures at 0 when smaps_rollup cannot be opened. A
 * live process with an address space always has Rss > 0, so a zero Rss is
 * checked once more with open(2) to tell "unreadable" (EACCES) from "no
 * address space" (a zombie): an unreadable value is never shown as 0.
 */
#include "probes/procs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libproc2/pids.h>

/* libproc2 4.0 refuses more pids than this in one select */
#define SELECT_BATCH 128

enum counter_rel {
	C_PID, C_PPID, C_STATE, C_CMD, C_BEGAN, C_UTIME, C_STIME, C_MINFLT,
	C_MAJFLT, C_NLWP, C_VMRSS, C_ANON, C_FILE, C_SHMEM,
	C_COUNT
};

static enum pids_item counter_items[] = {
	PIDS_ID_PID, PIDS_ID_PPID, PIDS_STATE, PIDS_CMD, PIDS_TICS_BEGAN,
	PIDS_TICS_USER, PIDS_TICS_SYSTEM, PIDS_FLT_MIN, PIDS_FLT_MAJ, PIDS_NLWP,
	PIDS_VM_RSS, PIDS_VM_RSS_ANON, PIDS_VM_RSS_FILE, PIDS_VM_RSS_SHARED,
};

enum smaps_rel {
	S_RSS = C_COUNT, S_PSS, S_PSS_SHMEM, S_SHR_CLEAN, S_SHR_DIRTY,
	S_PRV_CLEAN, S_PRV_DIRTY, S_SWAP,
	S_END
};

static enum pids_item full_items[] = {
	PIDS_ID_PID, PIDS_ID_PPID, PIDS_STATE, PIDS_CMD, PIDS_TICS_BEGAN,
	PIDS_TICS_USER, PIDS_TICS_SYSTEM, PIDS_FLT_MIN, PIDS_FLT_MAJ, PIDS_NLWP,
	PIDS_VM_RSS, PIDS_VM_RSS_ANON, PIDS_VM_RSS_FILE, PIDS_VM_RSS_SHARED,
	PIDS_SMAP_RSS, PIDS_SMAP_PSS, PIDS_SMAP_PSS_SHMEM, PIDS_SMAP_SHR_CLEAN,
	PIDS_SMAP_SHR_DIRTY, PIDS_SMAP_PRV_CLEAN, PIDS_SMAP_PRV_DIRTY,
	PIDS_SMAP_SWAP,
};

_Static_assert(sizeof(counter_items) / sizeof(counter_items[0]) == C_COUNT,
	       "counter items and their index enum differ");
_Static_assert(sizeof(full_items) / sizeof(full_items[0]) == S_END,
	       "smaps items and their index enum differ");

struct procs_reader {
	struct pids_info *counters;
	struct pids_info *full;
	bool have_pss_shmem;
};

struct procs_reader *procs_reader_create(void)
{
	struct procs_reader *r = calloc(1, sizeof(*r));
	struct smaps_rollup self;
	int err;

	if (!r)
		return NULL;
	err = procps_pids_new(&r->counters, counter_items, C_COUNT);
	if (err < 0)
		goto fail;
	err = procps_pids_new(&r->full, full_items, S_END);
	if (err < 0)
		goto fail;
	r->have_pss_shmem = smaps_read(getpid(), &self) == 0 &&
			    self.pss_shmem_kb != SMAPS_NONE;
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
	if (r->counters)
		procps_pids_unref(&r->counters);
	if (r->full)
		procps_pids_unref(&r->full);
	free(r);
}

bool procs_have_pss_shmem(const struct procs_reader *r)
{
	return r->have_pss_shmem;
}

#define VAL(rel, type, stack) PIDS_VAL(rel, type, stack, info)

/* libproc2 escapes a process name: a control character becomes '.' and
 * every byte of UTF-8 '?', so "\xc3\xa9" and "\x1b" are lost. A name
 * holding neither character is the raw one; otherwise the raw bytes come
 * from stat itself (the same process: same start time), and the views
 * sanitise them (src/text.c). */
static void raw_comm(struct proc_sample *s)
{
	struct proc_stat st;

	if (!strpbrk(s->stat.comm, "?."))
		return;
	if (stat_read(s->stat.pid, &st) == 0 &&
	    st.start_ticks == s->stat.start_ticks)
		memcpy(s->stat.comm, st.comm, sizeof(s->stat.comm));
}

static void fill_counters(struct pids_stack *stack, struct proc_sample *s)
{
	const char *cmd;

	memset(s, 0, sizeof(*s));
	s->stat.pid = VAL(C_PID, s_int, stack);
	s->stat.ppid = VAL(C_PPID, s_int, stack);
	s->stat.state = VAL(C_STATE, s_ch, stack);
	cmd = VAL(C_CMD, str, stack);
	if (cmd)
		snprintf(s->stat.comm, sizeof(s->stat.comm), "%s", cmd);
	s->stat.start_ticks = VAL(C_BEGAN, ull_int, stack);
	s->stat.utime_ticks = VAL(C_UTIME, ull_int, stack);
	s->stat.stime_ticks = VAL(C_STIME, ull_int, stack);
	s->stat.minflt = VAL(C_MINFLT, ul_int, stack);
	s->stat.majflt = VAL(C_MAJFLT, ul_int, stack);
	s->stat.num_threads = VAL(C_NLWP, s_int, stack);
	s->vm_rss_kb = (int64_t)VAL(C_VMRSS, ul_int, stack);
	s->rss_anon_kb = (int64_t)VAL(C_ANON, ul_int, stack);
	s->rss_file_kb = (int64_t)VAL(C_FILE, ul_int, stack);
	s->rss_shmem_kb = (int64_t)VAL(C_SHMEM, ul_int, stack);
	s->smaps_err = PROCS_SMAPS_NOT_ASKED;
	smaps_clear(&s->smaps);
	raw_comm(s);
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
	struct smaps_rollup *m = &s->smaps;

	m->rss_kb = (int64_t)VAL(S_RSS, ul_int, stack);
	if (m->rss_kb == 0) {
		s->smaps_err = classify_empty_smaps(s->stat.pid, s->stat.state);
		smaps_clear(m);
		return;
	}
	s->smaps_err = 0;
	m->pss_kb = (int64_t)VAL(S_PSS, ul_int, stack);
	m->pss_shmem_kb = r->have_pss_shmem ?
			  (int64_t)VAL(S_PSS_SHMEM, ul_int, stack) : SMAPS_NONE;
	m->shared_clean_kb = (int64_t)VAL(S_SHR_CLEAN, ul_int, stack);
	m->shared_dirty_kb = (int64_t)VAL(S_SHR_DIRTY, ul_int, stack);
	m->private_clean_kb = (int64_t)VAL(S_PRV_CLEAN, ul_int, stack);
	m->private_dirty_kb = (int64_t)VAL(S_PRV_DIRTY, ul_int, stack);
	m->swap_kb = (int64_t)VAL(S_SWAP, ul_int, stack);
}

int procs_read(struct procs_reader *r, const pid_t *pids, size_t n,
	       bool smaps, struct proc_sample *out, size_t *nout)
{
	struct pids_info *info = smaps ? r->full : r->counters;
	unsigned batch[SELECT_BATCH];
	size_t got = 0;

	for (size_t at = 0; at < n; at += SELECT_BATCH) {
		size_t k = n - at; /* at < n: one pid at least */
		struct pids_fetch *f;

		if (k > SELECT_BATCH)
			k = SELECT_BATCH;
		for (size_t i = 0; i < k; i++)
			batch[i] = (unsigned)pids[at + i];
		errno = 0;
		f = procps_pids_select(info, batch, (int)k, PIDS_SELECT_PID);
		if (!f) {
			/* all gone reads as an empty fetch on some versions */
			if (errno == 0 || errno == ENOENT || errno == ESRCH)
				continue;
			*nout = got;
			return -errno;
		}
		for (int i = 0; i < f->counts->total && got < n; i++) {
			fill_counters(f->stacks[i], &out[got]);
			if (smaps)
				fill_smaps(r, f->stacks[i], &out[got]);
			got++;
		}
	}
	*nout = got;
	return 0;
}
