/*
 * thp.c - the machine's huge page faults (see thp.h).
 */
#include "probes/thp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/util/readfile.h"

#define THP_DIR "sys/kernel/mm/transparent_hugepage"

/* a whole small file under root; false when missing or unreadable */
static bool read_at(const char *root, const char *path, char *buf, size_t size)
{
	char full[512];

	if (snprintf(full, sizeof(full), "%s/%s", root, path) >= (int)sizeof(full))
		return false;
	return readfile(AT_FDCWD, full, buf, size) > 0;
}

/* a setting is on unless "[never]" is chosen */
static bool setting_on(const char *root, const char *path)
{
	char buf[256];

	return read_at(root, path, buf, sizeof(buf)) && !strstr(buf, "[never]");
}

/* one stats counter of a size; -1: unreadable */
static int64_t size_stat(const char *root, long kb, const char *name)
{
	char path[512], buf[64];

	snprintf(path, sizeof(path), THP_DIR "/hugepages-%ldkB/stats/%s", kb, name);
	if (!read_at(root, path, buf, sizeof(buf)))
		return -1;
	return strtoll(buf, NULL, 10);
}

int thp_open(struct thp_sizes *t, const char *root)
{
	char path[512], buf[64];
	DIR *d;
	struct dirent *e;
	int sizes = 0;

	memset(t, 0, sizeof(*t));
	snprintf(path, sizeof(path), "%s/" THP_DIR, root);
	d = opendir(path);
	if (!d) {
		/* no transparent huge pages in this kernel */
		t->none = errno == ENOENT;
		return t->none ? 0 : -errno;
	}
	while ((e = readdir(d))) {
		long kb;
		char rest[8], en[512], sh[512];

		if (sscanf(e->d_name, "hugepages-%ldkB%7s", &kb, rest) != 1 || kb <= 0)
			continue;
		sizes++;
		snprintf(en, sizeof(en), THP_DIR "/%s/enabled", e->d_name);
		snprintf(sh, sizeof(sh), THP_DIR "/%s/shmem_enabled", e->d_name);
		if (t->n < THP_SIZES_MAX && (setting_on(root, en) || setting_on(root, sh)))
			t->kb[t->n++] = kb;
	}
	closedir(d);
	/* per-size counters (Linux 6.9+): the sizes enabled; none enabled:
	 * no huge page can be faulted */
	if (sizes && (!t->n || size_stat(root, t->kb[0], "anon_fault_alloc") >= 0))
		return 0;
	/* before them: /proc/vmstat's, at the PMD size */
	t->n = 0;
	if (!read_at(root, THP_DIR "/hpage_pmd_size", buf, sizeof(buf)) || atol(buf) < 4096) {
		t->none = true;
		return 0;
	}
	t->vmstat = true;
	t->kb[0] = atol(buf) / 1024;
	t->n = 1;
	return 0;
}

/* the value of "key N" lines in text (0 when absent) */
static int64_t count_of(const char *text, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ' ')
			return strtoll(p + klen + 1, NULL, 10);
	}
	return 0;
}

int64_t thp_faults_kb(const struct thp_sizes *t, const char *root)
{
	int64_t sum = 0;

	if (t->vmstat) {
		char *buf = malloc(16384);
		int64_t v = -1;

		if (buf && read_at(root, "proc/vmstat", buf, 16384))
			v = (count_of(buf, "thp_fault_alloc") + count_of(buf, "thp_file_alloc")) * t->kb[0];
		free(buf);
		return v;
	}
	for (int i = 0; i < t->n; i++) {
		int64_t anon = size_stat(root, t->kb[i], "anon_fault_alloc");
		int64_t shmem = size_stat(root, t->kb[i], "shmem_alloc");

		if (anon < 0)
			return -1;
		sum += (anon + (shmem > 0 ? shmem : 0)) * t->kb[i];
	}
	return sum;
}
