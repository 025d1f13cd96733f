/*
 * assets.c - locating run-time files (see assets.h).
 *
 * Order: $SHMVIZ_ASSETS; the source tree's assets/ for a binary in the
 * build directory; the data directory found from where the binary is, for
 * an installed tree that was moved or staged (meson install --destdir):
 * BINDIR's place relative to the prefix leads back to the prefix, and the
 * data directory is taken from there; else the configured data directory.
 */
#include "src/util/assets.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

/* The data directory beside an installed binary in exe_dir, or false. */
static bool relocated(const char *exe_dir, char *out, size_t size)
{
	size_t plen = strlen(SHMVIZ_PREFIX), elen = strlen(exe_dir), blen;
	const char *bin_rel, *data_rel;

	/* bindir and datadir must both lie under the prefix */
	if (strncmp(SHMVIZ_BINDIR, SHMVIZ_PREFIX, plen) != 0 ||
	    strncmp(SHMVIZ_DATADIR, SHMVIZ_PREFIX, plen) != 0)
		return false;
	bin_rel = &SHMVIZ_BINDIR[plen];   /* "/bin" */
	data_rel = &SHMVIZ_DATADIR[plen]; /* "/share/shmviz" */
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
		if (relocated(exe, dir, sizeof(dir)))
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
