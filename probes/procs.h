/*
 * procs.h - per-process readings of one sampler tick.
 *
 * Two stages the caller pays for separately: the cheap counters (stat and
 * status: tens of microseconds a process, read directly) and smaps_rollup
 * (a page-table walk: milliseconds for a large mapping), read through
 * libproc2 — the only place that talks to libproc2 (docs/architecture.md rule 3).
 */
#ifndef SHMVIZ_PROBES_PROCS_H
#define SHMVIZ_PROBES_PROCS_H

#if !defined(SHMVIZ_USES_PROBES) && !defined(SHMVIZ_USES_ALL)
#error "probes/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probes/smaps.h"
#include "probes/stat.h"

/* smaps_err values besides 0 and -errno */
#define PROCS_SMAPS_NOT_ASKED 1  /* counters-only read */

struct proc_sample {
	struct proc_stat stat;   /* pid, ppid, state, comm (raw bytes, as the
	                            kernel has them), faults, times */
	int64_t vm_rss_kb;       /* status VmRSS: RssAnon + RssFile + RssShmem */
	int64_t rss_anon_kb;     /* status RssAnon */
	int64_t rss_file_kb;     /* status RssFile */
	int64_t rss_shmem_kb;    /* status RssShmem */
	int smaps_err;           /* 0 read; -EACCES unreadable; -ENODATA no
	                            address space (zombie, kernel thread);
	                            PROCS_SMAPS_NOT_ASKED */
	struct smaps_kb smaps;   /* SMAPS_NONE unless smaps_err == 0 */
};

struct procs_reader;

/* Creates a reader. Returns NULL with errno set when libproc2 cannot start
 * (no /proc). Free with procs_reader_destroy(). */
struct procs_reader *procs_reader_create(void);

/* Frees the reader; NULL is accepted. */
void procs_reader_destroy(struct procs_reader *r);

/* Reads the n processes of pids into out (room for n). Processes that no
 * longer exist are left out silently: *nout says how many were read, in no
 * particular order. With smaps false only stat and status are read.
 * Returns 0 or -errno (only when /proc itself fails). */
int procs_read(struct procs_reader *r, const pid_t *pids, size_t n,
	       bool smaps, struct proc_sample *out, size_t *nout);

/* Reads only /proc/PID/stat of the n processes (the cheapest file: state,
 * faults, times, RSS in pages); the status figures stay -1 until
 * procs_read_status() adds them. Otherwise as procs_read(). */
int procs_read_stat(struct procs_reader *r, const pid_t *pids, size_t n,
		    struct proc_sample *out, size_t *nout);

/* Adds /proc/PID/status's RSS parts to a reading of stat. Returns 0,
 * -ENOENT/-ESRCH when the process is gone, or another -errno. */
int procs_read_status(struct procs_reader *r, struct proc_sample *s);

/* Adds smaps_rollup to the n counter readings in out (from procs_read with
 * smaps false). A process gone meanwhile is dropped: out is compacted and
 * *nkept says how many remain. Returns 0 or -errno. */
int procs_read_smaps(struct procs_reader *r, struct proc_sample *out,
		     size_t n, size_t *nkept);

/* Whether this kernel's smaps_rollup has Pss_Shmem (5.10 and later). */
bool procs_have_pss_shmem(const struct procs_reader *r);

#endif
