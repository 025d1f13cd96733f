/*
 * cgroup.h - the memory cgroup a process is in, cgroups made beneath it,
 * and the kernel's own peak of one (docs/architecture.md, "The kernel's
 * peak").
 *
 * Two hierarchies exist: cgroup v1, where the memory controller has a
 * mount of its own (hybrid machines: /sys/fs/cgroup/memory), and cgroup v2,
 * one mount for every controller. /proc/PID/cgroup names the process's
 * cgroup in each hierarchy ("4:memory:/a/b" on v1, "0::/a/b" on v2) and
 * /proc/self/mountinfo where each hierarchy is mounted and which of its
 * directories the mount shows (its root). Memory is on v1 when a v1 line
 * lists it, else on v2 (a kernel gives the controller to one hierarchy).
 *
 * The peak: v1 memory.max_usage_in_bytes (reset to the current usage by
 * writing 0), v2 memory.peak (since 5.19; since 6.12 a write to an open
 * descriptor resets what that descriptor reads, and nothing else). Both
 * are in bytes, and both charge the cgroup with what its processes
 * touched first: anonymous memory, page cache, shared memory, page tables
 * and kernel memory.
 *
 * Every function returns 0 (or a count) or -errno; "why" gets one line
 * saying what is missing when there is one. Nothing here allocates.
 */
#ifndef SHMVIZ_PROBES_CGROUP_H
#define SHMVIZ_PROBES_CGROUP_H

#if !defined(SHMVIZ_USES_PROBES) && !defined(SHMVIZ_USES_ALL)
#error "probes/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CGROUP_PATH_MAX 400

/* A directory of a memory cgroup: which hierarchy, where */
struct cgroup_dir {
	int version;                 /* 1 or 2; 0: none */
	char path[CGROUP_PATH_MAX];  /* in the file system, no trailing / */
};

/* From the text of a /proc/PID/cgroup and of a /proc/self/mountinfo: the
 * directory of the process's memory cgroup. Reads no file (the unit test
 * gives fixtures). -ENOENT: no memory controller mounted, -EXDEV: the
 * cgroup is outside what the mount shows, -ENAMETOOLONG. */
int cgroup_locate(const char *proc_cgroup, const char *mountinfo,
		  struct cgroup_dir *out, char *why, size_t whylen);

/* The same for process pid (0: shmviz itself), from /proc. */
int cgroup_of(pid_t pid, struct cgroup_dir *out, char *why, size_t whylen);

/* Whether a cgroup made beneath d gets the memory controller: always on
 * v1; on v2 when d's cgroup.subtree_control lists memory (a v2 cgroup that
 * holds processes may not give controllers to children, and the one that
 * does is not shmviz's to change). */
int cgroup_can_nest(const struct cgroup_dir *d, char *why, size_t whylen);

/* Makes d/name (mode 0755) as *child. -EEXIST when it is there. */
int cgroup_make(const struct cgroup_dir *d, const char *name,
		struct cgroup_dir *child, char *why, size_t whylen);

/* Opens d's peak file, O_CLOEXEC. writable: open it to reset it (a cgroup
 * of shmviz's own); *resettable says whether a reset worked (the file is
 * reset once here, which starts its peak now). Returns the fd or -errno. */
int cgroup_peak_open(const struct cgroup_dir *d, bool writable,
		     bool *resettable);

/* The peak's bytes through fd (pread from 0: one small read). */
int cgroup_peak_read(int fd, int64_t *bytes);

/* Resets it (v1: to the current usage; v2: for this descriptor). */
int cgroup_peak_reset(int fd, int version);

/* The peak file's name in d's hierarchy */
const char *cgroup_peak_name(int version);

/* Opens d/cgroup.procs for writing, O_CLOEXEC: a process moves itself in
 * by writing "0" to it (async-signal-safe: a forked child does it). */
int cgroup_procs_open(const struct cgroup_dir *d);

/* The processes of d (its cgroup.procs), at most max of them in pids.
 * Returns how many there are (may exceed max), or -errno. */
ssize_t cgroup_procs(const struct cgroup_dir *d, pid_t *pids, size_t max);

/* The same through d's directory, opened once (O_PATH): cgroup.procs
 * must be opened afresh for each look (v1 keeps the list of an open file
 * while it is read again within a second: a pread from 0 repeats it), and
 * an open beneath the directory skips the walk of its path. */
int cgroup_dir_open(const struct cgroup_dir *d);
ssize_t cgroup_procs_at(int dirfd, pid_t *pids, size_t max);

/* The anonymous memory mapped in d, kB, from the text of its memory.stat:
 * v1 "rss", v2 "anon", both the kernel's NR_ANON_MAPPED, each page counted
 * once however many processes map it (a copy-on-write adds a page, a fork
 * none). -EINVAL: no such line. */
int cgroup_anon_parse(const char *text, int version, int64_t *kb);

/* The same through d's directory (cgroup_dir_open()). */
int cgroup_anon_at(int dirfd, int version, int64_t *kb);

/* Removes d (rmdir): -EBUSY while a process is in it. */
int cgroup_remove(const struct cgroup_dir *d);

/* Whether d has a cgroup.kill (v2, since 5.14): writing 1 to it kills
 * every process of d and its descendants. Returns 0 when written. */
int cgroup_kill(const struct cgroup_dir *d);

#endif
