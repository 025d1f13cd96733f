/*
 * shmobj.h - shared memory objects a process maps, and their resident size
 * without a page-table walk.
 *
 * smaps_rollup walks every page table of a process (16 ms for one that
 * maps 2 GiB). The kernel keeps what a shared memory object holds apart:
 * a tmpfs, memfd or POSIX shm file, the object behind a shared anonymous
 * mapping (/dev/zero) and a SysV segment are shmem inodes, whose
 * allocated blocks (st_blocks: its pages, resident or swapped) a stat of
 * /proc/PID/map_files/START-END gives in about 4 us, with no walk. The
 * mappings are found in /proc/PID/maps (no walk either: its list of
 * mappings). map_files needs CAP_SYS_ADMIN (-EPERM otherwise): then no
 * object is known. docs/architecture.md, "Shared memory objects".
 */
#ifndef SHMVIZ_PROBES_SHMOBJ_H
#define SHMVIZ_PROBES_SHMOBJ_H

#if !defined(SHMVIZ_USES_PROBES) && !defined(SHMVIZ_USES_ALL)
#error "probes/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One shared mapping of a shared memory object. */
struct shmobj_map {
	uint64_t start, end;    /* the mapping's addresses */
	uint64_t offset;        /* of the object, bytes */
	uint64_t dev;           /* makedev() of maps' major:minor */
	uint64_t ino;
};

/* What the kernel says of an object. */
struct shmobj_size {
	uint64_t dev, ino;      /* the object's identity (stat) */
	int64_t alloc_kb;       /* st_blocks: its pages, resident or swapped */
	int64_t size_kb;        /* st_size, rounded up to KiB */
};

/* Parses the text of /proc/PID/maps (len bytes, whole lines) and appends
 * the shared mappings of shared memory objects (a path in /dev/shm/, a
 * memfd, /dev/zero (deleted), a SysV segment) to *maps (grown with
 * realloc; *cap its room, *n its count; the caller frees it). Returns 0
 * or -ENOMEM. */
int shmobj_parse(const char *buf, size_t len, struct shmobj_map **maps,
		 size_t *n, size_t *cap);

/* Reads /proc/PID/maps into *maps as shmobj_parse() (*n set, not added
 * to). Returns 0 or -errno (-ENOENT, -ESRCH: gone). */
int shmobj_maps(pid_t pid, struct shmobj_map **maps, size_t *n, size_t *cap);

/* The object mapped at m in pid, through /proc/PID/map_files. Returns 0
 * or -errno (-EPERM: no CAP_SYS_ADMIN; -ENOENT: gone or unmapped). */
int shmobj_stat(pid_t pid, const struct shmobj_map *m, struct shmobj_size *out);

/* Whether process pid holds the file (dev, ino) open or mapped: 1 or 0
 * (-errno: pid gone, or its fds or maps unreadable). */
int shmobj_held(pid_t pid, uint64_t dev, uint64_t ino);

#endif
