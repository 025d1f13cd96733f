/*
 * thp.c - the machine's huge page faults (see thp.h).
 */
#include "probes/thp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/util/readfile.h"

#define THP_DIR "sys/kernel/mm/transparent_hugepage"

/* a whole small file under root: its length, or -errno (-ENOENT:
 * missing) */
static ssize_t read_in(const char *root, const char *path, char *buf, size_t size)
{
	char full[512];

	if (snprintf(full, sizeof(full), "%s/%s", root, path) >= (int)sizeof(full))
		return -ENAMETOOLONG;
	return readfile(AT_FDCWD, full, buf, size);
}

static bool read_at(const char *root, const char *path, char *buf, size_t size)
{
	return read_in(root, path, buf, size) > 0;
}

/* a setting is on unless "[never]" is chosen */
static bool setting_on(const char *root, const char *path)
{
	char buf[256];

	return read_at(root, path, buf, sizeof(buf)) && !strstr(buf, "[never]");
}

int thp_open(struct thp_sizes *t, const char *root)
{
	char path[512], buf[64];
	DIR *d;
	struct dirent *e;

	ssize_t got;

	memset(t, 0, sizeof(*t));
	got = read_in(root, THP_DIR "/hpage_pmd_size", buf, sizeof(buf));
	if (got <= 0) /* missing: no huge pages in this kernel */
		return got == -ENOENT ? 0 : got < 0 ? (int)got : -EIO;
	t->pmd_kb = atol(buf) / 1024;
	if (t->pmd_kb < 8)
		t->pmd_kb = 0;
	snprintf(path, sizeof(path), "%s/" THP_DIR, root);
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d)) && t->n < THP_SIZES_MAX) {
		long kb;
		char rest[8], en[512], sh[512];

		if (sscanf(e->d_name, "hugepages-%ldkB%7s", &kb, rest) != 1 || kb <= 0 ||
		    kb >= t->pmd_kb)
			continue;
		snprintf(en, sizeof(en), THP_DIR "/%s/enabled", e->d_name);
		snprintf(sh, sizeof(sh), THP_DIR "/%s/shmem_enabled", e->d_name);
		if (setting_on(root, en) || setting_on(root, sh))
			t->kb[t->n++] = kb;
	}
	closedir(d);
	return 0;
}

/* the value of a "key N" line of text (0 when absent) */
static int64_t count_of(const char *text, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ' ')
			return strtoll(p + klen + 1, NULL, 10);
	}
	return 0;
}

/* one stats counter of a size; 0 where the kernel has none; -1:
 * unreadable */
static int64_t size_stat(const char *root, long kb, const char *name)
{
	char path[512], buf[64];

	ssize_t got;

	snprintf(path, sizeof(path), THP_DIR "/hugepages-%ldkB/stats/%s", kb, name);
	got = read_in(root, path, buf, sizeof(buf));
	if (got <= 0)
		return got == -ENOENT ? 0 : -1;
	return strtoll(buf, NULL, 10);
}

int64_t thp_faults_kb(struct thp_sizes *t, const char *root)
{
	int64_t sum;
	ssize_t got;

	if (!t->pmd_kb)
		return 0;
	got = read_in(root, "proc/vmstat", t->vmstat, sizeof(t->vmstat));
	/* a buffer filled may have cut a counter off: unknown */
	if (got <= 0 || (size_t)got >= sizeof(t->vmstat) - 1)
		return -1;
	sum = (count_of(t->vmstat, "thp_fault_alloc") + count_of(t->vmstat, "thp_file_alloc")) *
	      t->pmd_kb;
	for (int i = 0; i < t->n; i++) {
		int64_t anon = size_stat(root, t->kb[i], "anon_fault_alloc");
		int64_t shmem = size_stat(root, t->kb[i], "shmem_alloc");

		if (anon < 0 || shmem < 0)
			return -1;
		sum += (anon + shmem) * t->kb[i];
	}
	return sum;
}
