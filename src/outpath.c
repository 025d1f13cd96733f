/*
 * outpath.c - checks of an output path before any work (see outpath.h).
 */
#include "src/outpath.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "src/cli.h"
#include "src/text.h"

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

int outpath_check(const char *path, bool force, const char *verb,
		  const char *hint, char *err, size_t errlen)
{
	char name[256];
	struct stat st;

	text_sanitize(name, sizeof(name), path, strlen(path), false);
	if (lstat(path, &st) != 0)
		return 0; /* nothing there (or unreachable: the open will say) */
	if (S_ISREG(st.st_mode))
		return 0;
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s %s: it is a directory", verb, name);
		return EXIT_USAGE;
	}
	if (S_ISLNK(st.st_mode)) {
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
