/*
 * thp.h - the machine's huge page faults: what one fault may map beyond a
 * page (docs/recording.md, "The peak's upper end").
 *
 * A fault that maps a transparent huge page (2 MiB on x86-64, or a
 * smaller multi-size one) counts once in a process's minflt. The kernel
 * counts those faults machine-wide, by size: each enabled size's
 * /sys/kernel/mm/transparent_hugepage/hugepages-<size>kB/stats/
 * anon_fault_alloc and shmem_alloc (Linux 6.9+), or /proc/vmstat's
 * thp_fault_alloc and thp_file_alloc at the PMD size before. A size
 * whose anonymous and shared memory settings are both "never" maps no
 * huge page and is not read.
 */
#ifndef SHMVIZ_PROBES_THP_H
#define SHMVIZ_PROBES_THP_H

#if !defined(SHMVIZ_USES_PROBES) && !defined(SHMVIZ_USES_ALL)
#error "probes/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stdint.h>

#define THP_SIZES_MAX 16

struct thp_sizes {
	int n;                      /* sizes read */
	long kb[THP_SIZES_MAX];     /* each one's size, KiB */
	bool vmstat;                /* no per-size counters: /proc/vmstat at
	                               kb[0] (the PMD size) */
	bool none;                  /* no huge pages in this kernel */
};

/* The sizes to read, from the settings now (root: "/" normally; a test
 * gives a directory shaped like it). Returns 0 or -errno. */
int thp_open(struct thp_sizes *t, const char *root);

/* The huge pages faulted machine-wide since boot, in KiB (each counted at
 * its size); 0 when the kernel has none; -1 when a counter could not be
 * read. */
int64_t thp_faults_kb(const struct thp_sizes *t, const char *root);

#endif
