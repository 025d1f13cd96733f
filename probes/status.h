/*
 * status.h - the memory counters of /proc/PID/status, and their parser.
 *
 * status is the cheap source of a process's resident memory: the kernel
 * keeps RssAnon, RssFile and RssShmem as counters, so reading them costs
 * microseconds whatever the size of the mapping (smaps_rollup walks the
 * page tables instead).
 */
#ifndef SHMVIZ_PROBES_STATUS_H
#define SHMVIZ_PROBES_STATUS_H

#if !defined(SHMVIZ_USES_PROBES) && !defined(SHMVIZ_USES_ALL)
#error "probes/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A process without an address space (a zombie, a kernel thread) has none
 * of these lines: its figures read 0. */
struct proc_status {
	pid_t tgid;            /* Tgid: differs from the pid for a thread */
	int64_t vm_rss_kb;     /* VmRSS: RssAnon + RssFile + RssShmem */
	int64_t rss_anon_kb;   /* RssAnon */
	int64_t rss_file_kb;   /* RssFile */
	int64_t rss_shmem_kb;  /* RssShmem */
};

/* Parses status text of len bytes (need not be NUL-terminated). Returns 0,
 * or -EINVAL when the text is not status text (no "Pid:" line). */
int status_parse(const char *text, size_t len, struct proc_status *out);

/* Reads procfd/PIDNAME/status (procfd: an open /proc, or AT_FDCWD with
 * pidname "/proc/PID"). Returns 0, -ENOENT or -ESRCH when the process is
 * gone, -EINVAL for foreign text, or another -errno. */
int status_readat(int procfd, const char *pidname, struct proc_status *out);

#endif
