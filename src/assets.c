/*
 * assets.c - locating run-time files (see assets.h).
 */
#include "src/assets.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

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
	}
	snprintf(dir, sizeof(dir), "%s", SHMVIZ_DATADIR);
	return dir;
}

bool assets_path(const char *name, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/%s", assets_dir(), name);

	return n > 0 && (size_t)n < size;
}
