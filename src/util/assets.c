/*
 * assets.c - locating run-time files (see assets.h).
 *
 * Order: $SHMVIZ_ASSETS; the source tree's assets/ for a binary in the
 * build directory; the data directory found from where the binary is, for
 * an installed tree that was moved or staged (meson install --destdir):
 * BINDIR's place relative to the prefix leads back to the prefix, and the
 * data directory is taken from there; else the configured data directory.
 *
 * A program (assets_program): beside the running binary (the build
 * directory), in the program directory of the installed tree the binary
 * is in (found as the data directory is), else in the configured one;
 * never from the environment, PATH or the current directory, and each
 * candidate only when no one but root or this user could have put it
 * there or changed it.
 */
#include "src/util/assets.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

/* The directory dir (SHMVIZ_DATADIR or SHMVIZ_LIBEXECDIR) of the
 * installed tree whose binaries are in exe_dir, or false. */
static bool relocated(const char *exe_dir, const char *dir, char *out,
		      size_t size)
{
	size_t plen = strlen(SHMVIZ_PREFIX), elen = strlen(exe_dir), blen;
	const char *bin_rel, *data_rel;

	/* bindir and dir must both lie under the prefix */
	if (strncmp(SHMVIZ_BINDIR, SHMVIZ_PREFIX, plen) != 0 ||
	    strncmp(dir, SHMVIZ_PREFIX, plen) != 0)
		return false;
	bin_rel = &SHMVIZ_BINDIR[plen];   /* "/bin" */
	data_rel = &dir[plen];            /* "/share/shmviz" */
	if (plen == 1) {                  /* prefix "/" */
		bin_rel--;
		data_rel--;
	}
	blen = strlen(bin_rel);
	if (bin_rel[0] != '/' || elen < blen ||
	    strcmp(exe_dir + elen - blen, bin_rel) != 0)
		return false;
	if (snprintf(out, size, "%.*s%s", (int)(elen - blen), exe_dir,
		     data_rel) >= (int)size)
		return false;
	return access(out, R_OK | X_OK) == 0;
}

const char *assets_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("SHMVIZ_ASSETS");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return env;
	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		/* a binary in the build tree uses the source tree's assets */
		if (strcmp(exe, SHMVIZ_BUILD_ROOT) == 0) {
			snprintf(dir, sizeof(dir), "%s", SHMVIZ_SOURCE_ASSETS);
			return dir;
		}
		if (relocated(exe, SHMVIZ_DATADIR, dir, sizeof(dir)))
			return dir;
	}
	snprintf(dir, sizeof(dir), "%s", SHMVIZ_DATADIR);
	return dir;
}

bool assets_path(const char *name, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/%s", assets_dir(), name);

	return n > 0 && (size_t)n < size;
}

bool assets_program_ok(const char *path, char *why, size_t whylen)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return false;
	}
	if (!S_ISREG(st.st_mode))
		snprintf(why, whylen, "%s: not a regular file", path);
	else if (st.st_uid != 0 && st.st_uid != geteuid())
		snprintf(why, whylen, "%s: owned by uid %u, neither root nor the user running shmviz (uid %u)",
			 path, (unsigned)st.st_uid, (unsigned)geteuid());
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		snprintf(why, whylen, "%s: writable by %s", path,
			 st.st_mode & S_IWOTH ? "others" : "its group");
	else if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) != 0)
		snprintf(why, whylen, "%s: not executable", path);
	else
		return true;
	return false;
}

/* The directories a program is looked for in, in order (see assets.h);
 * returns how many. */
static size_t program_dirs(char (*dirs)[PATH_MAX])
{
	char exe[PATH_MAX], *slash;
	size_t n = 0;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (len > 0) {
		exe[len] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(dirs[n++], PATH_MAX, "%s", exe);
			/* a binary in the build tree runs its own build's
			 * program, never an installed one of another version */
			if (strcmp(exe, SHMVIZ_BUILD_ROOT) == 0)
				return n;
			if (relocated(exe, SHMVIZ_LIBEXECDIR, dirs[n], PATH_MAX) &&
			    strcmp(dirs[n], SHMVIZ_LIBEXECDIR) != 0)
				n++;
		}
	}
	snprintf(dirs[n++], PATH_MAX, "%s", SHMVIZ_LIBEXECDIR);
	return n;
}

bool assets_program(const char *name, char *buf, size_t size, char *err,
		    size_t errlen)
{
	char dirs[3][PATH_MAX], why[PATH_MAX + 128];
	size_t n = program_dirs(dirs);

	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf, size, "%s/%s", dirs[i], name);

		if (w < 0 || (size_t)w >= size || access(buf, F_OK) != 0)
			continue;
		/* the first that is there is the one: a bad one is said, not
		 * passed over for another */
		if (assets_program_ok(buf, why, sizeof(why)))
			return true;
		snprintf(err, errlen, "refusing to run %s", why);
		return false;
	}
	{
		int w = snprintf(err, errlen, "%s is %s in %s", name,
				 n > 1 ? "neither" : "not", dirs[0]);

		for (size_t i = 1; i < n && w > 0 && (size_t)w < errlen; i++)
			w += snprintf(err + w, errlen - (size_t)w, " nor in %s",
				      dirs[i]);
	}
	return false;
}
