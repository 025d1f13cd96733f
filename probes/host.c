/*
 * host.c - machine facts from uname(2), sysconf(3), /proc/meminfo and
 * statvfs(3).
 */
#include "probes/host.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

static int64_t meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[256];
	size_t klen = strlen(key);
	int64_t v = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *end;
		long long x;

		if (strncmp(line, key, klen) != 0 || line[klen] != ':')
			continue;
		errno = 0;
		x = strtoll(line + klen + 1, &end, 10);
		if (!errno && end != line + klen + 1 && x >= 0)
			v = x;
		else
			v = -EINVAL;
		break;
	}
	fclose(f);
	return v;
}

int host_read(struct host_info *h)
{
	struct utsname u;

	memset(h, 0, sizeof(*h));
	if (uname(&u) == 0) {
		snprintf(h->kernel, sizeof(h->kernel), "%s", u.release);
		snprintf(h->machine, sizeof(h->machine), "%s", u.machine);
		snprintf(h->hostname, sizeof(h->hostname), "%s", u.nodename);
	}
	h->cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (h->cpus < 1)
		h->cpus = 1;
	h->page_size = sysconf(_SC_PAGESIZE);
	h->clock_ticks = sysconf(_SC_CLK_TCK);
	if (h->clock_ticks <= 0)
		h->clock_ticks = 100;
	h->mem_total_kb = meminfo_kb("MemTotal");
	return h->mem_total_kb < 0 ? (int)h->mem_total_kb : 0;
}

int64_t host_mem_available_kb(void)
{
	return meminfo_kb("MemAvailable");
}

int host_fs_space(const char *dir, uint64_t *free_bytes, uint64_t *total_bytes)
{
	struct statvfs v;

	if (statvfs(dir, &v) != 0)
		return -errno;
	*free_bytes = (uint64_t)v.f_bavail * v.f_frsize;
	*total_bytes = (uint64_t)v.f_blocks * v.f_frsize;
	return 0;
}
