/* Unit tests of the program look-up (command.c) and of the choice and
 * check of the Python interpreter (python.c), in a scratch directory with
 * PATH pointed at it. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "src/cli/cli.h"
#include "src/run/command.h"
#include "src/run/python.h"
#include "src/util/macros.h"

static char dir[] = "/tmp/shmviz-unit-XXXXXX";

static void file(const char *name, const char *text, mode_t mode)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void cleanup(void)
{
	const char *names[] = { "prog", "noexec", "sub/prog", "sub", "py-ok",
				"py-silent", "py-nonumpy", "py-old", "false" };
	char path[PATH_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (unlink(path) != 0)
			rmdir(path);
	}
	rmdir(dir);
}

int main(void)
{
	char out[PATH_MAX], err[512], path[PATH_MAX], want[PATH_MAX];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	file("prog", "#!/bin/sh\nexit 0\n", 0755);
	file("noexec", "#!/bin/sh\nexit 0\n", 0644);
	snprintf(path, sizeof(path), "%s/sub", dir);
	mkdir(path, 0755);
	file("sub/prog", "#!/bin/sh\nexit 0\n", 0644);
	/* a working interpreter prints what numpy computed */
	file("py-ok", "#!/bin/sh\necho shmviz-check 500\n", 0755);
	file("py-silent", "#!/bin/sh\nexit 0\n", 0755);
	file("py-nonumpy", "#!/bin/sh\nexit 11\n", 0755);
	file("py-old", "#!/bin/sh\nexit 10\n", 0755);
	file("false", "#!/bin/sh\nexit 1\n", 0755);

	/* a name with a slash is taken as it is */
	snprintf(path, sizeof(path), "%s/prog", dir);
	CHECK_INT(command_resolve(path, out, sizeof(out), err, sizeof(err)), 0);
	CHECK_STR(out, path);
	snprintf(path, sizeof(path), "%s/nothere", dir);
	CHECK_INT(command_resolve(path, out, sizeof(out), err, sizeof(err)), EXIT_NOT_FOUND);
	CHECK_STR(err, "no such file");
	snprintf(path, sizeof(path), "%s/noexec", dir);
	CHECK_INT(command_resolve(path, out, sizeof(out), err, sizeof(err)), EXIT_NOT_EXECUTABLE);
	CHECK_STR(err, "is not executable");
	CHECK_INT(command_resolve(dir, out, sizeof(out), err, sizeof(err)), EXIT_NOT_EXECUTABLE);
	CHECK_STR(err, "is a directory");
	CHECK_INT(command_resolve("", out, sizeof(out), err, sizeof(err)), EXIT_NOT_FOUND);

	/* a bare name is searched in PATH, in order, as execvp does: a match
	 * without permission is skipped, and makes the failure 126 */
	snprintf(path, sizeof(path), "%s/sub:%s", dir, dir);
	setenv("PATH", path, 1);
	snprintf(want, sizeof(want), "%s/prog", dir);
	CHECK_INT(command_resolve("prog", out, sizeof(out), err, sizeof(err)), 0);
	CHECK_STR(out, want);
	CHECK_INT(command_resolve("noexec", out, sizeof(out), err, sizeof(err)), EXIT_NOT_EXECUTABLE);
	CHECK_INT(command_resolve("sub", out, sizeof(out), err, sizeof(err)), EXIT_NOT_EXECUTABLE);
	CHECK_INT(command_resolve("nothere", out, sizeof(out), err, sizeof(err)), EXIT_NOT_FOUND);
	CHECK_STR(err, "not found in PATH");
	/* an empty PATH entry is the current directory */
	CHECK(chdir(dir) == 0);
	setenv("PATH", ":/nonexistent", 1);
	CHECK_INT(command_resolve("prog", out, sizeof(out), err, sizeof(err)), 0);
	CHECK_STR(out, "prog");
	CHECK(chdir("/") == 0);

	/* the interpreter: --python first, then SHMVIZ_PYTHON */
	snprintf(path, sizeof(path), "%s/py-ok", dir);
	setenv("SHMVIZ_PYTHON", "/nonexistent/python3", 1);
	CHECK_INT(python_find(path, out, sizeof(out), err, sizeof(err)), 0);
	CHECK_STR(out, path);
	CHECK_INT(python_find(NULL, out, sizeof(out), err, sizeof(err)), EXIT_ENVIRONMENT);
	CHECK(strstr(err, "SHMVIZ_PYTHON") && strstr(err, "python3-numpy"));
	CHECK_INT(python_find("/nonexistent/py", out, sizeof(out), err, sizeof(err)),
		  EXIT_ENVIRONMENT);
	CHECK(strstr(err, "--python") && strstr(err, "no such file"));
	unsetenv("SHMVIZ_PYTHON");
	setenv("PATH", dir, 1);
	CHECK_INT(python_find("py-ok", out, sizeof(out), err, sizeof(err)), 0);
	CHECK_STR(out, path);
	CHECK(strchr(err, '\n') == NULL);

	/* the check: what is missing is named, with its package */
	CHECK_INT(python_check(path, err, sizeof(err)), 0);
	/* exit 0 without the check's result: no Python (/bin/true) */
	snprintf(path, sizeof(path), "%s/py-silent", dir);
	CHECK_INT(python_check(path, err, sizeof(err)), EXIT_ENVIRONMENT);
	CHECK(strstr(err, "not a working Python with numpy") != NULL);
	snprintf(path, sizeof(path), "%s/py-nonumpy", dir);
	CHECK_INT(python_check(path, err, sizeof(err)), EXIT_ENVIRONMENT);
	CHECK(strstr(err, "cannot import (install python3-numpy") != NULL);
	snprintf(path, sizeof(path), "%s/py-old", dir);
	CHECK_INT(python_check(path, err, sizeof(err)), EXIT_ENVIRONMENT);
	CHECK(strstr(err, "3.8") != NULL);
	snprintf(path, sizeof(path), "%s/false", dir);
	CHECK_INT(python_check(path, err, sizeof(err)), EXIT_ENVIRONMENT);
	CHECK(strstr(err, "failed a check") != NULL);
	snprintf(path, sizeof(path), "%s/noexec", dir);
	CHECK_INT(python_check(path, err, sizeof(err)), EXIT_ENVIRONMENT);
	CHECK(strstr(err, "cannot be run") != NULL);
	CHECK(strchr(err, '\n') == NULL);

	cleanup();
	return check_done();
}
