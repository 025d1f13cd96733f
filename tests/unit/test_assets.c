/* Unit tests of finding the programs shmviz runs (src/util/assets.h):
 * which files assets_program_ok() refuses and why, and that
 * assets_program() finds a program beside the running binary and says
 * where it looked when there is none. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "src/util/assets.h"

static char dir[] = "/tmp/shmviz-test-assets-XXXXXX";

/* a file of dir with mode, made anew */
static const char *make(const char *name, mode_t mode)
{
	static char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("#!/bin/sh\n", f);
		fclose(f);
	}
	CHECK(chmod(path, mode) == 0);
	return path;
}

/* assets_program_ok(path) refuses it, and why ends with want */
static void refused(const char *path, const char *want)
{
	char why[PATH_MAX + 128] = "", expect[PATH_MAX + 128];

	CHECK(!assets_program_ok(path, why, sizeof(why)));
	snprintf(expect, sizeof(expect), "%s: %s", path, want);
	CHECK_STR(why, expect);
}

static void check_files(void)
{
	char why[PATH_MAX + 128] = "", path[PATH_MAX], sub[PATH_MAX];

	CHECK(assets_program_ok(make("ok", 0755), why, sizeof(why)));
	CHECK_STR(why, "");
	CHECK(assets_program_ok(make("ok700", 0700), why, sizeof(why)));
	refused(make("gw", 0775), "writable by its group");
	refused(make("ow", 0757), "writable by others");
	refused(make("both", 0777), "writable by others");
	refused(make("noexec", 0644), "not executable");
	snprintf(sub, sizeof(sub), "%s/dir", dir);
	CHECK(mkdir(sub, 0755) == 0);
	refused(sub, "not a regular file");
	snprintf(path, sizeof(path), "%s/missing", dir);
	refused(path, strerror(ENOENT));
	/* owned by another user (root can make one): refused, whatever its
	 * mode; a file of root's always passes the owner's check */
	if (geteuid() == 0) {
		const char *p = make("other", 0755);
		char want[128];

		CHECK(chown(p, 12345, 12345) == 0);
		snprintf(want, sizeof(want), "owned by uid 12345, neither root, the user running shmviz (uid %u) nor the owner of its binary",
			 (unsigned)geteuid());
		refused(p, want);
		CHECK(chown(p, 0, 0) == 0);
		CHECK(assets_program_ok(p, why, sizeof(why)));
	}
	/* a symbolic link, even to a good file (a root-owned interpreter
	 * run from a directory another could write) */
	snprintf(path, sizeof(path), "%s/link", dir);
	CHECK(symlink("ok", path) == 0);
	refused(path, "a symbolic link (a program is run where it lies, never through a link)");
	/* a good file in a directory its group may change */
	snprintf(sub, sizeof(sub), "%s/gwdir", dir);
	CHECK(mkdir(sub, 0755) == 0 && chmod(sub, 0775) == 0);
	snprintf(path, sizeof(path), "%s/gwdir/prog", dir);
	{
		FILE *f = fopen(path, "w");

		CHECK(f != NULL);
		if (f)
			fclose(f);
		CHECK(chmod(path, 0755) == 0);
		snprintf(why, sizeof(why), "its directory %s/gwdir is writable by its group", dir);
		refused(path, why);
		/* sticky, as /tmp: its files are renamed by their owners alone */
		CHECK(chmod(sub, 01777) == 0);
		CHECK(assets_program_ok(path, why, sizeof(why)));
		CHECK(unlink(path) == 0);
	}
	CHECK(rmdir(sub) == 0);
}

static void check_lookup(void)
{
	char self[PATH_MAX], *base, buf[PATH_MAX], err[3 * PATH_MAX] = "",
	     want[3 * PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	CHECK(n > 0);
	if (n <= 0)
		return;
	self[n] = '\0';
	base = strrchr(self, '/');
	CHECK(base != NULL);
	if (!base)
		return;
	/* beside the running binary: this test is its own program */
	CHECK(assets_program(base + 1, buf, sizeof(buf), err, sizeof(err)));
	CHECK_STR(buf, self);
	CHECK_STR(err, "");
	/* none: where it looked, beside the binary and the configured
	 * place (tests/ is not the build directory's top) */
	*base = '\0';
	CHECK(!assets_program("shmviz-no-such-program", buf, sizeof(buf), err,
			      sizeof(err)));
	snprintf(want, sizeof(want), "shmviz-no-such-program is %s in %s%s%s",
		 strcmp(self, SHMVIZ_BUILD_ROOT) ? "neither" : "not", self,
		 strcmp(self, SHMVIZ_BUILD_ROOT) ? " nor in " : "",
		 strcmp(self, SHMVIZ_BUILD_ROOT) ? SHMVIZ_LIBEXECDIR : "");
	CHECK_STR(err, want);
	/* never from the current directory */
	CHECK(chdir(dir) == 0);
	make("shmviz-cwd-program", 0755);
	CHECK(!assets_program("shmviz-cwd-program", buf, sizeof(buf), err,
			      sizeof(err)));
	CHECK(chdir("/") == 0);
}

/* removes what the checks made, and dir */
static void clean(void)
{
	static const char *const made[] = {
		"ok", "ok700", "gw", "ow", "both", "noexec", "other", "link",
		"shmviz-cwd-program",
	};
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, made[i]);
		CHECK(unlink(path) == 0 || errno == ENOENT);
	}
	snprintf(path, sizeof(path), "%s/dir", dir);
	CHECK(rmdir(path) == 0);
	CHECK(rmdir(dir) == 0);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	check_files();
	check_lookup();
	clean();
	return check_done();
}
