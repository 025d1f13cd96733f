/*
 * host.h - facts about the machine a run happens on: kernel, CPUs, page
 * size, memory, and the capacity of the tmpfs behind /dev/shm.
 */
#ifndef SHMVIZ_PROBES_HOST_H
#define SHMVIZ_PROBES_HOST_H

#if !defined(SHMVIZ_USES_PROBES) && !defined(SHMVIZ_USES_ALL)
#error "probes/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdint.h>

struct host_info {
	char kernel[128];      /* uname -r */
	char machine[72];      /* uname -m */
	char hostname[72];
	int cpus;              /* online CPUs */
	long page_size;        /* bytes */
	long clock_ticks;      /* stat time unit, ticks a second */
	int64_t mem_total_kb;  /* MemTotal */
};

/* Fills h. Returns 0 or -errno when /proc/meminfo cannot be read. */
int host_read(struct host_info *h);

/* MemAvailable of /proc/meminfo in kB, or -errno. */
int64_t host_mem_available_kb(void);

/* Free and total bytes of the file system at dir (statvfs). 0 or -errno. */
int host_fs_space(const char *dir, uint64_t *free_bytes, uint64_t *total_bytes);

#endif
