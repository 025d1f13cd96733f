/*
 * cgroup.c - memory cgroups: where a process's is, cgroups made beneath
 * it, their peak and their processes (see cgroup.h).
 *
 * The texts are parsed line by line in place: /proc/PID/cgroup lines are
 * "ID:CONTROLLERS:PATH", mountinfo lines "ID PARENT MAJ:MIN ROOT MOUNTPOINT
 * OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS", where ROOT and
 * MOUNTPOINT escape space, tab, newline and backslash as \ooo.
 */
#include "probes/cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/util/readfile.h"

#define TEXT_MAX 65536

__attribute__((format(printf, 4, 5)))
static int say(char *why, size_t whylen, int err, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return err;
}

/* whether word is an item of the comma-separated list s (n bytes) */
static bool in_list(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);

	for (size_t i = 0; i < n;) {
		size_t e = i;

		while (e < n && s[e] != ',')
			e++;
		if (e - i == w && memcmp(s + i, word, w) == 0)
			return true;
		i = e + 1;
	}
	return false;
}

/* the path of the memory cgroup in /proc/PID/cgroup's text: its
 * version, the path in out; false when no line names one */
static bool self_path(const char *text, int *version, char *out, size_t size)
{
	const char *v2 = NULL, *line = text;

	while (line && *line) {
		const char *nl = strchr(line, '\n'), *c1 = strchr(line, ':'), *c2;
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		c2 = c1 && c1 < line + len ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line)) : NULL;
		if (c2) {
			size_t plen = len - (size_t)(c2 + 1 - line);

			if (in_list(c1 + 1, (size_t)(c2 - c1 - 1), "memory") && plen < size) {
				memcpy(out, c2 + 1, plen);
				out[plen] = '\0';
				*version = 1;
				return true;
			}
			if (c2 == c1 + 1 && strncmp(line, "0:", 2) == 0)
				v2 = line;
		}
		line = nl ? nl + 1 : NULL;
	}
	if (v2) {
		const char *p = v2 + 3, *nl = strchr(p, '\n');
		size_t plen = nl ? (size_t)(nl - p) : strlen(p);

		if (plen < size) {
			memcpy(out, p, plen);
			out[plen] = '\0';
			*version = 2;
			return true;
		}
	}
	return false;
}

/* a mountinfo field (n bytes) unescaped into out */
static bool unescape(const char *s, size_t n, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (ch == '\\' && i + 3 < n &&
		    s[i + 1] >= '0' && s[i + 1] <= '3') {
			ch = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
		}
		if (o + 1 >= size)
			return false;
		out[o++] = ch;
	}
	out[o] = '\0';
	return true;
}

/* the n-th space-separated field of line (len bytes) */
static const char *field(const char *line, size_t len, int n, size_t *flen)
{
	size_t i = 0;

	for (int k = 0; i < len; k++) {
		size_t e = i;

		while (e < len && line[e] != ' ')
			e++;
		if (k == n) {
			*flen = e - i;
			return line + i;
		}
		i = e + 1;
	}
	return NULL;
}

/* one mountinfo line: whether it mounts the hierarchy of version (v1: the
 * one with memory); its root and mount point */
static bool mount_of(const char *line, size_t len, int version, char *root,
		     char *mnt, size_t size)
{
	const char *sep = NULL, *f;
	size_t flen, rest;

	for (size_t i = 0; i + 2 < len; i++)
		if (line[i] == ' ' && line[i + 1] == '-' && line[i + 2] == ' ') {
			sep = line + i + 3;
			break;
		}
	if (!sep)
		return false;
	rest = len - (size_t)(sep - line);
	f = field(sep, rest, 0, &flen);
	if (!f)
		return false;
	if (version == 2 && !(flen == 7 && memcmp(f, "cgroup2", 7) == 0))
		return false;
	if (version == 1) {
		const char *opts;
		size_t olen;

		if (!(flen == 6 && memcmp(f, "cgroup", 6) == 0))
			return false;
		opts = field(sep, rest, 2, &olen);
		if (!opts || !in_list(opts, olen, "memory"))
			return false;
	}
	f = field(line, len, 3, &flen);
	if (!f || !unescape(f, flen, root, size))
		return false;
	f = field(line, len, 4, &flen);
	return f && unescape(f, flen, mnt, size);
}

int cgroup_locate(const char *proc_cgroup, const char *mountinfo,
		  struct cgroup_dir *out, char *why, size_t whylen)
{
	char path[CGROUP_PATH_MAX], root[CGROUP_PATH_MAX], mnt[CGROUP_PATH_MAX];
	const char *line = mountinfo;
	bool mounted = false;
	int version = 0;

	memset(out, 0, sizeof(*out));
	if (!self_path(proc_cgroup, &version, path, sizeof(path)))
		return say(why, whylen, -ENOENT, "%s", "no cgroup holds the memory controller (/proc/self/cgroup)");
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line), rlen;
		const char *rel;

		if (mount_of(line, len, version, root, mnt, sizeof(mnt))) {
			mounted = true;
			rlen = strcmp(root, "/") == 0 ? 0 : strlen(root);
			if (strncmp(path, root, rlen) == 0 &&
			    (path[rlen] == '/' || path[rlen] == '\0')) {
				rel = path + rlen;
				if (strcmp(rel, "/") == 0)
					rel = "";
				if (snprintf(out->path, sizeof(out->path), "%s%s",
					     strcmp(mnt, "/") == 0 && rel[0] ? "" : mnt, rel) >=
				    (int)sizeof(out->path))
					return say(why, whylen, -ENAMETOOLONG, "%s", "the cgroup's path is too long");
				out->version = version;
				return 0;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	if (!mounted)
		return say(why, whylen, -ENOENT, version == 1 ?
			   "the memory controller's cgroup v1 hierarchy is not mounted%s" :
			   "no cgroup2 file system is mounted%s", "");
	return say(why, whylen, -EXDEV, "the memory cgroup %s is not below any mount of its hierarchy", path);
}

int cgroup_of(pid_t pid, struct cgroup_dir *out, char *why, size_t whylen)
{
	char path[64], *cg, *mi;
	ssize_t n;
	int rc;

	cg = malloc(TEXT_MAX);
	mi = malloc(TEXT_MAX);
	if (!cg || !mi) {
		free(cg);
		free(mi);
		return say(why, whylen, -ENOMEM, "%s", "out of memory");
	}
	if (pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/cgroup");
	n = readfile(AT_FDCWD, path, cg, TEXT_MAX);
	rc = n < 0 ? say(why, whylen, (int)n, "cannot read %s", path) : 0;
	if (!rc) {
		n = readfile(AT_FDCWD, "/proc/self/mountinfo", mi, TEXT_MAX);
		rc = n < 0 ? say(why, whylen, (int)n, "cannot read %s", "/proc/self/mountinfo") :
		     cgroup_locate(cg, mi, out, why, whylen);
	}
	free(cg);
	free(mi);
	return rc;
}

int cgroup_can_nest(const struct cgroup_dir *d, char *why, size_t whylen)
{
	char path[CGROUP_PATH_MAX + 32], buf[512], *save = NULL;
	ssize_t n;

	if (d->version == 1)
		return 0;
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", d->path);
	n = readfile(AT_FDCWD, path, buf, sizeof(buf));
	if (n < 0)
		return say(why, whylen, (int)n, "cannot read %s", path);
	for (char *w = strtok_r(buf, " \n", &save); w; w = strtok_r(NULL, " \n", &save))
		if (strcmp(w, "memory") == 0)
			return 0;
	return say(why, whylen, -EOPNOTSUPP, "the memory controller is not given to the children of the cgroup of shmviz (%s lacks memory)", path);
}

int cgroup_make(const struct cgroup_dir *d, const char *name,
		struct cgroup_dir *child, char *why, size_t whylen)
{
	int e;

	if (snprintf(child->path, sizeof(child->path), "%s/%s", d->path, name) >=
	    (int)sizeof(child->path))
		return say(why, whylen, -ENAMETOOLONG, "%s", "the cgroup's path is too long");
	child->version = d->version;
	if (mkdir(child->path, 0755) == 0)
		return 0;
	e = errno;
	if (why && whylen)
		snprintf(why, whylen, "cannot make a cgroup in %s: %s", d->path,
			 e == EROFS ? "the cgroup file system is read-only" :
			 e == EACCES || e == EPERM ? "permission denied (not root, and the cgroup is not delegated)" :
			 strerror(e));
	return -e;
}

const char *cgroup_peak_name(int version)
{
	return version == 1 ? "memory.max_usage_in_bytes" : "memory.peak";
}

int cgroup_peak_open(const struct cgroup_dir *d, bool writable,
		     bool *resettable)
{
	char path[CGROUP_PATH_MAX + 32];
	int fd = -1;

	*resettable = false;
	snprintf(path, sizeof(path), "%s/%s", d->path, cgroup_peak_name(d->version));
	if (writable) {
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd >= 0 && cgroup_peak_reset(fd, d->version) == 0) {
			*resettable = true;
			return fd;
		}
		if (fd >= 0)
			close(fd);
	}
	/* not resettable (v2 before 6.12): the peak since the cgroup was made */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

int cgroup_peak_read(int fd, int64_t *bytes)
{
	char buf[64], *end;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long long v;

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || end == buf || v < 0)
		return -EINVAL;
	*bytes = v;
	return 0;
}

int cgroup_peak_reset(int fd, int version)
{
	const char *w = version == 1 ? "0" : "reset";
	ssize_t n = pwrite(fd, w, strlen(w), 0);

	return n == (ssize_t)strlen(w) ? 0 : n < 0 ? -errno : -EIO;
}

int cgroup_procs_open(const struct cgroup_dir *d)
{
	char path[CGROUP_PATH_MAX + 32];
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.procs", d->path);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

/* The pids of an open cgroup.procs, closed here */
static ssize_t procs_of(int fd, pid_t *pids, size_t max)
{
	char buf[4096];
	size_t n = 0, have = 0;

	/* read in pieces: a number cut at a piece's end is carried over */
	for (;;) {
		size_t want = sizeof(buf) - 1 - have;
		ssize_t r = read(fd, buf + have, want);
		char *p, *nl;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			return -e;
		}
		have += (size_t)r;
		buf[have] = '\0';
		p = buf;
		while ((nl = strchr(p, '\n')) != NULL) {
			long v = strtol(p, NULL, 10);

			if (v > 0) {
				if (n < max)
					pids[n] = (pid_t)v;
				n++;
			}
			p = nl + 1;
		}
		have = strlen(p);
		memmove(buf, p, have);
		/* a seq_file fills what was asked for unless it reached its
		 * end: a short read is the last (one read, not two) */
		if (r == 0 || (size_t)r < want)
			break;
	}
	close(fd);
	return (ssize_t)n;
}

ssize_t cgroup_procs(const struct cgroup_dir *d, pid_t *pids, size_t max)
{
	char path[CGROUP_PATH_MAX + 32];
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.procs", d->path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return procs_of(fd, pids, max);
}

int cgroup_dir_open(const struct cgroup_dir *d)
{
	int fd = open(d->path, O_PATH | O_DIRECTORY | O_CLOEXEC);

	return fd >= 0 ? fd : -errno;
}

ssize_t cgroup_procs_at(int dirfd, pid_t *pids, size_t max)
{
	int fd = openat(dirfd, "cgroup.procs", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return procs_of(fd, pids, max);
}

int cgroup_anon_parse(const char *text, int version, int64_t *kb)
{
	const char *key = version == 1 ? "rss " : "anon ";
	size_t klen = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		char *end;
		long long v;

		if (strncmp(l, key, klen) != 0)
			continue;
		errno = 0;
		v = strtoll(l + klen, &end, 10);
		if (errno || end == l + klen || v < 0 || (*end != '\n' && *end != '\0'))
			return -EINVAL;
		*kb = v / 1024;
		return 0;
	}
	return -EINVAL;
}

int cgroup_anon_at(int dirfd, int version, int64_t *kb)
{
	/* v1's memory.stat is about 1 KiB, v2's about 2 KiB */
	char buf[8192];
	int fd = openat(dirfd, "memory.stat", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	close(fd);
	buf[n] = '\0';
	return cgroup_anon_parse(buf, version, kb);
}

int cgroup_remove(const struct cgroup_dir *d)
{
	return rmdir(d->path) == 0 ? 0 : -errno;
}

int cgroup_kill(const struct cgroup_dir *d)
{
	char path[CGROUP_PATH_MAX + 32];
	int fd, rc = 0;

	if (d->version != 2)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/cgroup.kill", d->path);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, "1", 1) != 1)
		rc = -errno;
	close(fd);
	return rc;
}
