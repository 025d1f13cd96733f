/*
 * outpath.c - checks of an output path before any work (see outpath.h).
 */
#include "src/util/outpath.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/util/exits.h"
#include "src/util/text.h"

/* the longest part of the target's name a temporary name keeps: ".NAME."
 * and 12 hex digits stay within NAME_MAX (255) */
#define TEMP_BASE_MAX 240

const char *outpath_kind(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "a regular file";
	case S_IFDIR: return "a directory";
	case S_IFLNK: return "a symlink";
	case S_IFIFO: return "a FIFO";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFSOCK: return "a socket";
	default: return "not a regular file";
	}
}

/* The directory part of path ("." when none), in buf. */
static void dir_of(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(buf, size, ".");
	else if (slash == path)
		snprintf(buf, size, "/");
	else
		snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

int outpath_check(const char *path, bool force, const char *verb,
		  const char *hint, char *err, size_t errlen)
{
	const char *base = strrchr(path, '/');
	char name[OUTPATH_SHOWN_MAX + 1], dir[PATH_MAX];
	struct stat st, dst;
	size_t len = strlen(path);

	text_shown(name, sizeof(name), path, OUTPATH_SHOWN_MAX);
	base = base ? base + 1 : path;
	if (len && path[len - 1] == '/') {
		snprintf(err, errlen, "%s %s: the path ends in '/': it names a directory, not a file",
			 verb, name);
		return EXIT_USAGE;
	}
	if (len >= PATH_MAX || strlen(base) > NAME_MAX) {
		snprintf(err, errlen, "%s %s: %s", verb, name, strerror(ENAMETOOLONG));
		return EXIT_USAGE;
	}
	/* a directory that is not there or not writable fails the write at
	 * the end, after the whole run: refused now */
	dir_of(path, dir, sizeof(dir));
	if (access(dir, W_OK | X_OK) != 0) {
		snprintf(err, errlen, "%s %s: %s", verb, name, strerror(errno));
		return EXIT_USAGE;
	}
	if (lstat(path, &st) != 0)
		return 0; /* nothing there (or unreachable: the open will say) */
	if (S_ISREG(st.st_mode)) {
		/* in a sticky directory (/tmp) only the owner of the file or
		 * of the directory may replace it: the rename at the end
		 * would fail after the whole run */
		if (geteuid() != 0 && stat(dir, &dst) == 0 &&
		    (dst.st_mode & S_ISVTX) && st.st_uid != geteuid() &&
		    dst.st_uid != geteuid()) {
			snprintf(err, errlen, "%s %s: %s (the file belongs to another user, in a sticky directory)",
				 verb, name, strerror(EPERM));
			return EXIT_USAGE;
		}
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s %s: it is a directory", verb, name);
		return EXIT_USAGE;
	}
	if (S_ISLNK(st.st_mode)) {
		/* a link to a stream (/dev/stdout: a pipe, a terminal) is
		 * refused even with --force, which would put a file where the
		 * link was (in /dev, for every process of the machine) */
		if (stat(path, &dst) == 0 && !S_ISREG(dst.st_mode) && !S_ISDIR(dst.st_mode)) {
			snprintf(err, errlen, "%s %s: it is a symlink to %s, not a regular file%s%s%s",
				 verb, name, outpath_kind(dst.st_mode), hint ? " (" : "",
				 hint ? hint : "", hint ? ")" : "");
			return EXIT_USAGE;
		}
		if (force)
			return 0;
		snprintf(err, errlen, "refusing to write through the symlink %s (--force replaces it)",
			 name);
		return EXIT_USAGE;
	}
	snprintf(err, errlen, "%s %s: it is %s, not a regular file%s%s%s", verb,
		 name, outpath_kind(st.st_mode), hint ? " (" : "", hint ? hint : "",
		 hint ? ")" : "");
	return EXIT_USAGE;
}

/* The directory of path resolved and its last name, in buf; false when
 * the directory cannot be resolved. */
static bool resolved(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	char dir[PATH_MAX], real[PATH_MAX];
	int n;

	dir_of(path, dir, sizeof(dir));
	base = base ? base + 1 : path;
	if (!realpath(dir, real))
		return false;
	n = snprintf(buf, size, "%s/%s", real, base);
	return n > 0 && (size_t)n < size;
}

bool outpath_same(const char *a, const char *b)
{
	struct stat sa, sb;
	char ra[PATH_MAX + NAME_MAX + 2], rb[PATH_MAX + NAME_MAX + 2];

	if (strcmp(a, b) == 0)
		return true;
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	    sa.st_ino == sb.st_ino)
		return true;
	if (lstat(a, &sa) == 0 && lstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	    sa.st_ino == sb.st_ino)
		return true;
	/* names of files not there yet: the same entry of the same
	 * directory (".", "..", a symlinked directory resolved) */
	return resolved(a, ra, sizeof(ra)) && resolved(b, rb, sizeof(rb)) &&
	       strcmp(ra, rb) == 0;
}

unsigned outpath_mode(const char *source)
{
	mode_t mask = umask(0);
	unsigned mode;
	struct stat st;

	umask(mask);
	mode = 0666 & ~(unsigned)mask;
	/* (the owner's bits stay: shmviz can read what it wrote) */
	if (source && stat(source, &st) == 0)
		mode &= (unsigned)(st.st_mode & 0666) | 0600;
	return mode;
}

/* the temporary file in dir: O_TMPFILE (no name: nothing is left even
 * by a SIGKILL), else ".BASE.XXXXXX" in *tmp */
int outpath_temp(const char *dir, const char *base, char **tmp)
{
	int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);

	*tmp = NULL;
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	if (asprintf(tmp, "%s/.%.*s.XXXXXX", dir, TEMP_BASE_MAX, base) < 0) {
		*tmp = NULL;
		errno = ENOMEM;
		return -1;
	}
	fd = mkostemp(*tmp, O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		free(*tmp);
		*tmp = NULL;
		errno = e;
	}
	return fd;
}

/* gives an O_TMPFILE file a fresh name beside the target (linkat never
 * replaces) */
int outpath_temp_name(int fd, const char *dir, const char *base, char **tmp)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	for (int attempt = 0; attempt < 100; attempt++) {
		unsigned char r[6];

		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r) ||
		    asprintf(tmp, "%s/.%.*s.%02x%02x%02x%02x%02x%02x", dir,
			     TEMP_BASE_MAX, base, r[0], r[1], r[2], r[3], r[4], r[5]) < 0) {
			*tmp = NULL;
			return ENOMEM;
		}
		if (linkat(AT_FDCWD, proc, AT_FDCWD, *tmp, AT_SYMLINK_FOLLOW) == 0)
			return 0;
		free(*tmp);
		*tmp = NULL;
		if (errno != EEXIST)
			return errno;
	}
	return EEXIST;
}
