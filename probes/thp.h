/*
 * thp.h - the machine's huge page faults: what one fault may map beyond a
 * page (docs/recording.md, "The peak's upper end").
 *
 * A fault that maps a transparent huge page counts once in a process's
 * minflt. The kernel counts the huge pages it allocated at a fault, or
 * for shared memory, machine-wide: /proc/vmstat's thp_fault_alloc and
 * thp_file_alloc at the PMD size (2 MiB on x86-64), and for each smaller
 * size ("multi-size", Linux 6.8+) its
 * /sys/kernel/mm/transparent_hugepage/hugepages-<size>kB/stats/
 * anon_fault_alloc and shmem_alloc (where the kernel has them). The
 * smaller sizes are read only where one of their settings is not "never"
 * when the sampler starts.
 */
#ifndef SHMVIZ_PROBES_THP_H
#define SHMVIZ_PROBES_THP_H

#if !defined(SHMVIZ_USES_PROBES) && !defined(SHMVIZ_USES_ALL)
#error "probes/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdint.h>

#define THP_SIZES_MAX 16
#define THP_VMSTAT_MAX 16384        /* /proc/vmstat is ~4 KiB on 6.x */

struct thp_sizes {
	long pmd_kb;                /* the PMD size, KiB; 0: no huge pages */
	int n;                      /* smaller sizes enabled */
	long kb[THP_SIZES_MAX];
	char vmstat[THP_VMSTAT_MAX]; /* thp_faults_kb()'s buffer, kept: no
	                                allocation a tick */
};

/* The sizes to read, from the settings now (root: "" for the machine's;
 * a test gives a directory shaped like it). Returns 0 or -errno. */
int thp_open(struct thp_sizes *t, const char *root);

/* The huge pages faulted machine-wide since boot, in KiB (each at its
 * size); 0 when the kernel has none; -1 when a counter could not be
 * read. */
int64_t thp_faults_kb(struct thp_sizes *t, const char *root);

#endif
