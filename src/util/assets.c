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

/* Whether uid may own what shmviz runs: root, the effective user, or the
 * owner of shmviz's own binary (a build run with sudo: whoever could
 * change shmviz could change its program as well) */
static bool trusted_uid(uid_t uid)
{
	struct stat self;

	return uid == 0 || uid == geteuid() ||
	       (stat("/proc/self/exe", &self) == 0 && uid == self.st_uid);
}

/* Whether no one but a trusted user can replace what dir holds: dir and
 * every directory above it owned by one, and not writable by group or
 * others unless sticky (where only a file's owner may rename it) */
static bool dir_safe(const char *dir, char *why, size_t whylen)
{
	char real[PATH_MAX], *slash;
	struct stat st;

	if (!realpath(dir, real)) {
		snprintf(why, whylen, "%s: %s", dir, strerror(errno));
		return false;
	}
	for (;;) {
		if (stat(real[0] ? real : "/", &st) != 0) {
			snprintf(why, whylen, "%s: %s", real, strerror(errno));
			return false;
		}
		if (!trusted_uid(st.st_uid)) {
			snprintf(why, whylen, "its directory %s is owned by uid %u",
				 real[0] ? real : "/", (unsigned)st.st_uid);
			return false;
		}
		if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
			snprintf(why, whylen, "its directory %s is writable by %s",
				 real[0] ? real : "/",
				 st.st_mode & S_IWOTH ? "others" : "its group");
			return false;
		}
		if (!real[0])
			return true;
		slash = strrchr(real, '/');
		if (!slash)
			return true;
		*slash = '\0';
	}
}

bool assets_program_ok(const char *path, char *why, size_t whylen)
{
	char dir[PATH_MAX], dwhy[PATH_MAX + 64], *slash;
	struct stat st;

	if (lstat(path, &st) != 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return false;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (S_ISLNK(st.st_mode))
		snprintf(why, whylen, "%s: a symbolic link (a program is run where it lies, never through a link)", path);
	else if (!S_ISREG(st.st_mode))
		snprintf(why, whylen, "%s: not a regular file", path);
	else if (!trusted_uid(st.st_uid))
		snprintf(why, whylen, "%s: owned by uid %u, neither root, the user running shmviz (uid %u) nor the owner of its binary",
			 path, (unsigned)st.st_uid, (unsigned)geteuid());
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		snprintf(why, whylen, "%s: writable by %s", path,
			 st.st_mode & S_IWOTH ? "others" : "its group");
	else if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) != 0)
		snprintf(why, whylen, "%s: not executable", path);
	else if (!dir_safe(slash ? (dir[0] ? dir : "/") : ".", dwhy, sizeof(dwhy)))
		snprintf(why, whylen, "%s: %s", path, dwhy);
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

		struct stat there;

		/* there, a dangling link included (refused below, never
		 * passed over for the next place) */
		if (w < 0 || (size_t)w >= size || lstat(buf, &there) != 0)
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
