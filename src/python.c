/*
 * python.c - finding and checking the Python interpreter (see python.h).
 *
 * The check runs the interpreter with a few lines of Python whose exit
 * status says what is missing; its output goes to /dev/null, and it gets
 * no descriptor of shmviz's but the standard three.
 */
#include "src/python.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/cli.h"
#include "src/command.h"

#define NEED_PACKAGES "install python3 and python3-numpy"

/* exit statuses of the check program */
#define CHECK_TOO_OLD 10
#define CHECK_NO_NUMPY 11

static const char check_program[] =
	"import sys\n"
	"if sys.version_info < (3, 8):\n"
	"    sys.exit(10)\n"
	"try:\n"
	"    import numpy\n"
	"    import multiprocessing.shared_memory\n"
	"except ImportError:\n"
	"    sys.exit(11)\n";

int python_find(const char *opt, char *out, size_t size, char *err,
		size_t errlen)
{
	const char *env = getenv("SHMVIZ_PYTHON");
	const char *want = opt, *from = "--python";
	char why[128];
	int rc;

	if (!want && env && *env) {
		want = env;
		from = "SHMVIZ_PYTHON";
	}
	if (!want) {
		if (access(PYTHON_DEFAULT, F_OK) == 0) {
			want = PYTHON_DEFAULT;
			from = NULL;
		} else {
			rc = command_resolve("python3", out, size, why, sizeof(why));
			if (rc == 0)
				return 0;
			snprintf(err, errlen, "--workload python needs python3: there is none at %s and none in PATH (%s)",
				 PYTHON_DEFAULT, NEED_PACKAGES);
			return EXIT_ENVIRONMENT;
		}
	}
	rc = command_resolve(want, out, size, why, sizeof(why));
	if (rc) {
		if (from)
			snprintf(err, errlen, "--workload python: the interpreter %s (from %s) %s (%s, or name another)",
				 want, from, why, NEED_PACKAGES);
		else
			snprintf(err, errlen, "--workload python: %s %s (%s)",
				 want, why, NEED_PACKAGES);
		return EXIT_ENVIRONMENT;
	}
	return 0;
}

int python_check(const char *py, char *err, size_t errlen)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return EXIT_ENVIRONMENT;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);

		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
		signal(SIGPIPE, SIG_DFL);
		execl(py, py, "-c", check_program, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(err, errlen, "waitpid: %s", strerror(errno));
			return EXIT_ENVIRONMENT;
		}
	}
	if (WIFEXITED(status)) {
		switch (WEXITSTATUS(status)) {
		case 0:
			return 0;
		case CHECK_NO_NUMPY:
			snprintf(err, errlen, "--workload python needs numpy, which %s cannot import (install python3-numpy, or name another interpreter with --python)",
				 py);
			return EXIT_ENVIRONMENT;
		case CHECK_TOO_OLD:
			snprintf(err, errlen, "--workload python needs Python 3.8 or later (multiprocessing.shared_memory); %s is older (install python3 and python3-numpy)",
				 py);
			return EXIT_ENVIRONMENT;
		case 127:
			snprintf(err, errlen, "--workload python: %s cannot be run (%s)",
				 py, NEED_PACKAGES);
			return EXIT_ENVIRONMENT;
		default:
			break;
		}
	}
	snprintf(err, errlen, "--workload python: %s failed a check of its version and numpy (%s)",
		 py, NEED_PACKAGES);
	return EXIT_ENVIRONMENT;
}
