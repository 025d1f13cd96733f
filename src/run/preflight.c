/*
 * preflight.c - memory and /dev/shm checks, stale segment cleanup.
 */
#include "src/run/preflight.h"

#include <stdio.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probes/host.h"
#include "probes/shmobj.h"
#include "probes/stat.h"
#include "probes/tree.h"
#include "src/util/fmt.h"
#include "src/util/readfile.h"
#include "src/util/text.h"

/* room for the processes themselves beyond their tables */
#define MARGIN_BYTES (64ULL << 20)
/* one Python interpreter with numpy loaded */
#define PYTHON_PROCESS_BYTES (40ULL << 20)

uint64_t preflight_memory_needed(const struct cli_options *o, int workers,
				 uint64_t bytes)
{
	uint64_t need = 0, w = (uint64_t)workers;

	if (o->workload == WORKLOAD_COMPARE || o->workload == WORKLOAD_COMMAND ||
	    o->workload == WORKLOAD_ATTACH)
		return 0;
	if (o->workload == WORKLOAD_PREFORK) {
		/* measured (Python 3.11): the fork run peaks when every worker
		 * has copied the parent's objects, 80 bytes a str and 8 of the
		 * list's, (workers + 1) times */
		return (w + 1) * o->rows * 88 + (w + 2) * PYTHON_PROCESS_BYTES +
		       MARGIN_BYTES;
	}
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

/* one number from a cgroup file; "max" (v2) is no limit: false */
static bool read_bytes(const char *dir, const char *file, uint64_t *out)
{
	char path[PATH_MAX + 64], buf[64], *end;
	unsigned long long v;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (readfile(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
		return false;
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n'))
		return false;
	*out = v;
	return true;
}

/* walks from root/rel up to root, keeping the least limit - usage */
static void walk_limits(const char *root, const char *rel, const char *max_file,
			const char *cur_file, int64_t *best, char *which,
			size_t whichlen)
{
	char dir[PATH_MAX];
	size_t rootlen = strlen(root);
	struct stat st;

	if (snprintf(dir, sizeof(dir), "%s%s", root, rel) >= (int)sizeof(dir))
		return;
	/* a path of another namespace's view may not exist here: go up to
	 * what does */
	while (strlen(dir) > rootlen && stat(dir, &st) != 0)
		*strrchr(dir, '/') = '\0';
	for (;;) {
		uint64_t max, cur;
		char *slash;

		/* v1 says "no limit" with a huge number */
		if (read_bytes(dir, max_file, &max) && max < (1ULL << 60) &&
		    read_bytes(dir, cur_file, &cur)) {
			int64_t kb = max > cur ? (int64_t)((max - cur) / 1024) : 0;

			if (*best < 0 || kb < *best) {
				*best = kb;
				if (which)
					snprintf(which, whichlen, "%s/%s", dir, max_file);
			}
		}
		if (strlen(dir) <= rootlen)
			break;
		slash = strrchr(dir, '/');
		if (!slash || (size_t)(slash - dir) < rootlen)
			break;
		*slash = '\0';
	}
}

int64_t preflight_cgroup_available_kb(const char *proc_cgroup, const char *root,
				      char *which, size_t whichlen)
{
	FILE *f = fopen(proc_cgroup, "re");
	char line[PATH_MAX + 128], sub[PATH_MAX];
	int64_t best = -1;

	if (which && whichlen)
		which[0] = '\0';
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		char *path, *nl;

		if (!c2)
			continue;
		path = c2 + 1;
		nl = strchr(path, '\n');
		if (nl)
			*nl = '\0';
		if (path[0] != '/' || strstr(path, "/.."))
			continue;
		if (strcmp(path, "/") == 0)
			path = "";
		*c2 = '\0';
		if (c1 == line + 1 && line[0] == '0' && c1 + 1 == c2) {
			/* "0::/path": cgroup v2, unified or hybrid */
			walk_limits(root, path, "memory.max", "memory.current",
				    &best, which, whichlen);
			snprintf(sub, sizeof(sub), "%s/unified", root);
			walk_limits(sub, path, "memory.max", "memory.current",
				    &best, which, whichlen);
		} else {
			/* "N:a,memory,b:/path": v1 with the memory controller */
			char *ctl = c1 + 1, *save = NULL, *tok;
			bool memory = false;

			for (tok = strtok_r(ctl, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save))
				memory = memory || strcmp(tok, "memory") == 0;
			if (!memory)
				continue;
			snprintf(sub, sizeof(sub), "%s/memory", root);
			walk_limits(sub, path, "memory.limit_in_bytes",
				    "memory.usage_in_bytes", &best, which, whichlen);
		}
	}
	fclose(f);
	return best;
}

bool preflight_check(const struct cli_options *o, int workers, uint64_t bytes,
		     const char *shm_dir, char *err, size_t errlen)
{
	return preflight_check_in(o, workers, bytes, shm_dir, PREFLIGHT_PROC_CGROUP,
				  PREFLIGHT_CGROUP_ROOT, err, errlen);
}

bool preflight_check_in(const struct cli_options *o, int workers, uint64_t bytes,
			const char *shm_dir, const char *proc_cgroup,
			const char *cgroup_root, char *err, size_t errlen)
{
	char a[FMT_SIZE_MAX], b[FMT_SIZE_MAX], which[PATH_MAX + 32];
	int64_t avail_kb = host_mem_available_kb();
	uint64_t need = preflight_memory_needed(o, workers, bytes);
	int64_t cg_kb = preflight_cgroup_available_kb(proc_cgroup, cgroup_root,
						      which, sizeof(which));

	if (access("/proc/self/smaps_rollup", R_OK) != 0) {
		snprintf(err, errlen, "cannot read /proc/self/smaps_rollup (%s): shmviz needs /proc and a kernel of 4.14 or later",
			 strerror(errno));
		return false;
	}
	if (avail_kb >= 0 && need / 1024 > (uint64_t)avail_kb) {
		fmt_kb_long(a, sizeof(a), (int64_t)(need / 1024));
		fmt_kb_long(b, sizeof(b), avail_kb);
		/* two sizes that round alike ("22 GiB, MemAvailable is 22
		 * GiB") are told apart in MiB */
		if (strcmp(a, b) == 0) {
			snprintf(a, sizeof(a), "%" PRIu64 " MiB", need >> 20);
			snprintf(b, sizeof(b), "%" PRId64 " MiB", avail_kb >> 10);
		}
		snprintf(err, errlen, "not enough memory: the runs need %s at their peak, MemAvailable is %s (use fewer --rows or --workers)",
			 a, b);
		return false;
	}
	/* a cgroup's limit is what the OOM killer enforces, whatever the
	 * machine has free */
	if (cg_kb >= 0 && need / 1024 > (uint64_t)cg_kb) {
		char shown[160];

		text_shown(shown, sizeof(shown), which, 120);
		snprintf(err, errlen, "not enough memory: the runs need %s at their peak, the cgroup of shmviz allows %s more (%s) (use fewer --rows or --workers)",
			 fmt_kb_long(a, sizeof(a), (int64_t)(need / 1024)),
			 fmt_kb_long(b, sizeof(b), cg_kb), shown);
		return false;
	}
	if ((o->runs & CLI_RUN_SHARED) && (o->workload == WORKLOAD_NATIVE ||
	    o->workload == WORKLOAD_PYTHON)) {
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

long long preflight_proc_uid(pid_t pid)
{
	char proc[32];
	struct stat sp;

	snprintf(proc, sizeof(proc), "/proc/%d", (int)pid);
	return pid > 0 && stat(proc, &sp) == 0 ? (long long)sp.st_uid : -1;
}

/* whether pid is alive, owned by owner (its /proc directory's owner: its
 * effective user) and holds the file */
static bool holds(pid_t pid, long long owner, uint64_t dev, uint64_t ino)
{
	return pid > 0 && preflight_proc_uid(pid) == owner && shmobj_held(pid, dev, ino) == 1;
}

/* whether a live process of the tree whose user owns the file holds it
 * open or mapped: that process could remove it itself. The members
 * given first (the root, the last sample's: orphans too), then the
 * root's descendants now (a /proc scan: one new since the sample) */
static bool tree_holds(const pid_t *tree, size_t ntree, long long owner, uint64_t dev,
		       uint64_t ino)
{
	pid_t *kids = NULL;
	size_t n = 0;
	bool held = false;

	for (size_t i = 0; i < ntree && !held; i++)
		held = holds(tree[i], owner, dev, ino);
	if (held || !ntree || tree[0] <= 0)
		return held;
	if (tree_descendants(tree, 1, &kids, &n) != 0)
		n = 0;
	for (size_t i = 0; i < n && !held; i++)
		held = holds(kids[i], owner, dev, ino);
	free(kids);
	return held;
}

bool preflight_shm_claim(const char *name, long long root_uid, const pid_t *tree, size_t ntree,
			 double started_real, struct shm_claim *out)
{
	char path[300];
	struct stat sf;
	double made;

	if (!preflight_shm_name_ok(name) || root_uid < 0)
		return false;
	snprintf(path, sizeof(path), "/dev/shm%s", name);
	if (lstat(path, &sf) != 0 || !S_ISREG(sf.st_mode) || (long long)sf.st_uid != root_uid)
		return false;
	/* its inode changed last since the run began (a file's owner alone
	 * can change it; a file made before is not the run's) */
	made = (double)sf.st_ctim.tv_sec + sf.st_ctim.tv_nsec / 1e9;
	if (made < started_real - 0.05)
		return false;
	/* the announcement comes down a pipe any process of the tree may
	 * write to: the file must be one a process of the tree holds and
	 * owns, not another's that the tree names */
	if (!tree_holds(tree, ntree, (long long)sf.st_uid, (uint64_t)sf.st_dev,
			(uint64_t)sf.st_ino))
		return false;
	out->dev = sf.st_dev;
	out->ino = sf.st_ino;
	return true;
}

bool preflight_shm_is(const char *name, const struct shm_claim *c)
{
	char path[300];
	struct stat sf;

	if (!preflight_shm_name_ok(name))
		return false;
	snprintf(path, sizeof(path), "/dev/shm%s", name);
	return lstat(path, &sf) == 0 && sf.st_dev == c->dev && sf.st_ino == c->ino;
}

bool preflight_shm_release(const char *name, const struct shm_claim *c)
{
	return preflight_shm_is(name, c) && shm_unlink(name) == 0;
}

/* seconds since the epoch of the boot, from /proc/stat; 0 if unknown */
static long long boot_time(void)
{
	FILE *f = fopen("/proc/stat", "re");
	char line[256];
	long long bt = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "btime ", 6) == 0) {
			char *end;

			errno = 0;
			bt = strtoll(line + 6, &end, 10);
			if (errno || end == line + 6 || bt < 0)
				bt = 0;
			break;
		}
	}
	fclose(f);
	return bt;
}

/* Whether the segment's creator pid still runs. A zombie does not (it
 * may wait long for a reaper that is slow: nothing will unlink for it),
 * nor does a process that started after the segment was made: the pid
 * was reused. */
static bool creator_alive(pid_t pid, const struct stat *seg)
{
	struct proc_stat st;
	long long bt = boot_time();
	long hz = sysconf(_SC_CLK_TCK);
	int err;

	if (kill(pid, 0) != 0 && errno == ESRCH)
		return false;
	err = stat_read(pid, &st);
	if (err)
		return err != -ENOENT && err != -ESRCH; /* cannot tell: keep */
	if (st.state == 'Z' || st.state == 'X')
		return false;
	/* a second of slack for the clock-tick rounding of both times */
	if (bt > 0 && hz > 0 &&
	    bt + (long long)(st.start_ticks / (uint64_t)hz) > (long long)seg->st_ctime + 1)
		return false;
	return true;
}

int preflight_remove_stale(const char *shm_dir, FILE *out)
{
	DIR *d = opendir(shm_dir);
	struct dirent *e;
	int removed = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		char *end;
		long pid;

		if (strncmp(e->d_name, "shmviz-", 7) != 0)
			continue;
		errno = 0;
		pid = strtol(e->d_name + 7, &end, 10);
		if (errno || end == e->d_name + 7 || *end != '-' || pid <= 0)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode) || creator_alive((pid_t)pid, &st))
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

double preflight_python_copy_s(const struct cli_options *o, int workers)
{
	/* spawn and forkserver copies pickle the table; fork's inherit it */
	bool copies = o->runs & (CLI_RUN_COPY | CLI_RUN_COW);

	if (o->workload != WORKLOAD_PYTHON || !copies || workers <= 0)
		return 0;
	return (double)o->rows / 1e6 * workers * PREFLIGHT_PY_COPY_S_PER_MROW;
}

void preflight_python_warn(const struct cli_options *o, int workers, FILE *out)
{
	double s = preflight_python_copy_s(o, workers);

	if (s < PREFLIGHT_PY_WARN_S)
		return;
	fprintf(out, "shmviz: the Python copy run pickles the table for each worker: "
		"%llu rows to %d worker%s may take %.0f min or more "
		"(-n 1M takes seconds)\n", (unsigned long long)o->rows, workers,
		workers == 1 ? "" : "s", s / 60.0 < 1 ? 1 : s / 60.0);
	fflush(out);
}
