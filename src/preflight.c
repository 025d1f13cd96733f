/*
 * preflight.c - memory and /dev/shm checks, stale segment cleanup.
 */
#include "src/preflight.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probes/host.h"
#include "src/fmt.h"

/* room for the processes themselves beyond their tables */
#define MARGIN_BYTES (64ULL << 20)
/* one Python interpreter with numpy loaded */
#define PYTHON_PROCESS_BYTES (40ULL << 20)

uint64_t preflight_memory_needed(const struct cli_options *o, int workers,
				 uint64_t bytes)
{
	uint64_t need = 0, w = (uint64_t)workers;

	if (o->workload == WORKLOAD_COMPARE)
		return 0;
	if (o->workload == WORKLOAD_PYTHON) {
		/* measured (numpy 1.24, Python 3.11): shared peaks while
		 * filling, at the table, its copy in the segment and the
		 * temporaries, about 2.2 tables; copy peaks in transfer, where
		 * pickling a table with an object column builds a Python object
		 * a field: about 10 tables with one worker, 16 with two (the
		 * parent pickles for the next worker while one unpickles), and
		 * half a table more a worker beyond. Every interpreter with
		 * numpy adds about 30 MiB. */
		uint64_t base = (w + 2) * PYTHON_PROCESS_BYTES;

		if (o->runs & CLI_RUN_SHARED)
			need = 3 * bytes;
		if (o->runs & CLI_RUN_COPY) {
			uint64_t copy = (w > 1 ? 16 : 10) * bytes + w * bytes / 2;

			if (copy > need)
				need = copy;
		}
		return need + base + MARGIN_BYTES;
	}
	if (o->runs & CLI_RUN_SHARED)
		need = bytes;
	if ((o->runs & CLI_RUN_COPY) && (w + 1) * bytes > need)
		need = (w + 1) * bytes;
	if ((o->runs & CLI_RUN_COW)) {
		uint64_t cow = bytes + w * (bytes / 100) * (uint64_t)o->cow_write_pct;

		if (cow > need)
			need = cow;
	}
	return need + MARGIN_BYTES;
}

bool preflight_check(const struct cli_options *o, int workers, uint64_t bytes,
		     const char *shm_dir, char *err, size_t errlen)
{
	char a[FMT_SIZE_MAX], b[FMT_SIZE_MAX];
	int64_t avail_kb = host_mem_available_kb();
	uint64_t need = preflight_memory_needed(o, workers, bytes);

	if (access("/proc/self/smaps_rollup", R_OK) != 0) {
		snprintf(err, errlen, "cannot read /proc/self/smaps_rollup (%s): shmviz needs /proc and a kernel of 4.14 or later",
			 strerror(errno));
		return false;
	}
	if (avail_kb >= 0 && need / 1024 > (uint64_t)avail_kb) {
		snprintf(err, errlen, "not enough memory: the runs need %s at their peak, MemAvailable is %s (use fewer --rows or --workers)",
			 fmt_kb_long(a, sizeof(a), (int64_t)(need / 1024)),
			 fmt_kb_long(b, sizeof(b), avail_kb));
		return false;
	}
	if ((o->runs & CLI_RUN_SHARED) && o->workload != WORKLOAD_COMPARE) {
		uint64_t free_b = 0, total_b = 0;

		if (host_fs_space(shm_dir, &free_b, &total_b) != 0) {
			snprintf(err, errlen, "cannot use %s for the shared segment: %s",
				 shm_dir, strerror(errno));
			return false;
		}
		if (bytes > free_b) {
			snprintf(err, errlen, "%s is too small: the segment needs %s, %s is free of %s (use fewer --rows)",
				 shm_dir, fmt_kb_long(a, sizeof(a), (int64_t)(bytes / 1024)),
				 fmt_kb_long(b, sizeof(b), (int64_t)(free_b / 1024)),
				 fmt_kb_long((char[FMT_SIZE_MAX]){ 0 }, FMT_SIZE_MAX,
					     (int64_t)(total_b / 1024)));
			return false;
		}
	}
	return true;
}

bool preflight_shm_name_ok(const char *name)
{
	if (!name || name[0] != '/' || !name[1] || strlen(name) > 250)
		return false;
	for (const char *p = name + 1; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		      *p == '-'))
			return false;
	}
	return strcmp(name, "/.") != 0 && strcmp(name, "/..") != 0;
}

int preflight_remove_stale(const char *shm_dir, FILE *out)
{
	DIR *d = opendir(shm_dir);
	struct dirent *e;
	int removed = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long pid;

		if (strncmp(e->d_name, "shmviz-", 7) != 0)
			continue;
		errno = 0;
		pid = strtol(e->d_name + 7, &end, 10);
		if (errno || end == e->d_name + 7 || *end != '-' || pid <= 0)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue; /* its creator is alive (or not ours to judge) */
		if (unlinkat(dirfd(d), e->d_name, 0) == 0) {
			removed++;
			if (out)
				fprintf(out, "shmviz: removed stale segment %s/%s (its creator, pid %ld, is gone)\n",
					shm_dir, e->d_name, pid);
		}
	}
	closedir(d);
	return removed;
}
