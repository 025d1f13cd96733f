/* Unit tests of the machine's huge page faults (probes/thp.c), against a
 * directory shaped like /sys and /proc made here: the PMD size from
 * vmstat's counts, a smaller size enabled and read, one set to "never"
 * left out, a size with no shmem counter, no huge pages at all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "probes/thp.h"

#define T "sys/kernel/mm/transparent_hugepage"

static char root[] = "/tmp/shmviz-thp-XXXXXX";

static void put(const char *path, const char *text)
{
	char full[512], dir[600];
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", root, path);
	snprintf(dir, sizeof(dir), "mkdir -p \"$(dirname '%s')\"", full);
	CHECK(system(dir) == 0);
	f = fopen(full, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

int main(void)
{
	struct thp_sizes t;
	char cmd[600];

	CHECK(mkdtemp(root) != NULL);
	/* no huge pages in this kernel: none counted */
	CHECK_INT(thp_open(&t, root), 0);
	CHECK_INT(t.pmd_kb, 0);
	CHECK_INT(thp_faults_kb(&t, root), 0);

	put(T "/hpage_pmd_size", "2097152\n");
	put("proc/vmstat", "nr_free_pages 7\nthp_fault_alloc 3\nthp_fault_fallback 9\nthp_file_alloc 2\n");
	put(T "/hugepages-2048kB/enabled", "always [inherit] madvise never\n");
	put(T "/hugepages-64kB/enabled", "always inherit [madvise] never\n");
	put(T "/hugepages-64kB/stats/anon_fault_alloc", "5\n");
	put(T "/hugepages-64kB/stats/shmem_alloc", "1\n");
	put(T "/hugepages-16kB/enabled", "always inherit madvise [never]\n");
	put(T "/hugepages-16kB/shmem_enabled", "always inherit within_size advise [never]\n");
	put(T "/hugepages-16kB/stats/anon_fault_alloc", "1000\n");
	put(T "/hugepages-32kB/enabled", "[always] inherit madvise never\n");
	put(T "/hugepages-32kB/stats/anon_fault_alloc", "2\n");
	CHECK_INT(thp_open(&t, root), 0);
	CHECK_INT(t.pmd_kb, 2048);
	/* 64 and 32 kB: the PMD size is vmstat's, 16 kB is never */
	CHECK_INT(t.n, 2);
	/* (3 + 2) x 2048 + (5 + 1) x 64 + 2 x 32 (no shmem counter: 0) */
	CHECK_INT(thp_faults_kb(&t, root), 5 * 2048 + 6 * 64 + 2 * 32);
	/* a vmstat longer than the buffer (its counters maybe cut off):
	 * unknown, not a count that lost a line */
	{
		static char big[THP_VMSTAT_MAX + 64];

		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 2] = '\n';
		memcpy(big, "thp_fault_alloc 3\n", 18);
		put("proc/vmstat", big);
		CHECK_INT(thp_faults_kb(&t, root), -1);
	}
	/* a counter that cannot be read: unknown */
	snprintf(cmd, sizeof(cmd), "rm %s/proc/vmstat", root);
	CHECK(system(cmd) == 0);
	CHECK_INT(thp_faults_kb(&t, root), -1);

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	CHECK(system(cmd) == 0);
	return check_done();
}
