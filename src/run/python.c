/*
 * python.c - finding and checking the Python interpreter (see python.h).
 *
 * The check runs the interpreter with a few lines of Python whose exit
 * status says what is missing; its output goes to /dev/null, and it gets
 * no descriptor of shmviz's but the standard three.
 *
 * The interpreter always runs isolated (-I), the check as the workload
 * (plan.c) and the pool workers it starts (multiprocessing hands -I on to
 * spawn and forkserver workers and to the resource tracker): nothing is
 * imported from the current directory (python -c puts it first on
 * sys.path), from PYTHONPATH or PYTHONSTARTUP or the user's site
 * directory. numpy comes from the interpreter's own installation; another
 * one is chosen by naming its interpreter (--python, SHMVIZ_PYTHON: a
 * virtual environment's python keeps its packages under -I).
 */
#include "src/run/python.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/run/command.h"
#include "src/util/exits.h"

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
	"    sys.exit(11)\n"
	"a = numpy.ones(1000, dtype=numpy.float64)\n"
	"a[1::2] = numpy.nan\n"
	"print('shmviz-check', int(numpy.nansum(a)))\n"
	"import multiprocessing\n"
	"print('start-method', multiprocessing.get_start_method())\n";

/* what the check program prints when numpy really ran: a program that
 * only exits 0 (/bin/true, /bin/echo) is no interpreter */
#define CHECK_OUTPUT "shmviz-check 500\n"

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
	return python_check_method(py, NULL, 0, err, errlen);
}

/* The default start method from the check's second line, into method
 * ("" without one). False when something else follows the first line. */
static bool start_method(const char *out, char *method, size_t size)
{
	const char *line = out + strlen(CHECK_OUTPUT);
	char buf[16];
	size_t n = 0;

	buf[0] = '\0';
	if (*line) {
		if (strncmp(line, "start-method ", 13) != 0)
			return false;
		line += 13;
		while (line[n] >= 'a' && line[n] <= 'z' && n + 1 < sizeof(buf))
			n++;
		if (n == 0 || strcmp(line + n, "\n") != 0)
			return false;
		memcpy(buf, line, n);
		buf[n] = '\0';
	}
	if (method && size)
		snprintf(method, size, "%s", buf);
	return true;
}

/* The check of py for workload wl; numpy NULL: numpy is needed, else
 * *numpy says whether it imports (a Python without it passes). */
static int check(const char *py, const char *wl, bool *numpy, char *method,
		 size_t msize, char *err, size_t errlen)
{
	char out[256];
	size_t got = 0;
	pid_t pid;
	int status, p[2];

	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return EXIT_ENVIRONMENT;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return EXIT_ENVIRONMENT;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);

		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
		dup2(p[1], 1); /* without close-on-exec */
		signal(SIGPIPE, SIG_DFL);
		signal(SIGXFSZ, SIG_DFL);
		/* -I: isolated, as the workload itself runs (plan.c) */
		execl(py, py, "-I", "-c", check_program, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		ssize_t n = read(p[0], out + got, sizeof(out) - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == sizeof(out) - 1) {
			/* more than the check prints: drain, to let it end */
			char sink[512];

			while (read(p[0], sink, sizeof(sink)) > 0)
				;
			break;
		}
	}
	out[got] = '\0';
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(err, errlen, "waitpid: %s", strerror(errno));
			return EXIT_ENVIRONMENT;
		}
	}
	if (WIFEXITED(status)) {
		switch (WEXITSTATUS(status)) {
		case 0:
			if (strncmp(out, CHECK_OUTPUT, strlen(CHECK_OUTPUT)) == 0 &&
			    start_method(out, method, msize))
				return 0;
			snprintf(err, errlen, "--workload %s: %s is not a working Python with numpy: it ran a check without printing its result (%s)",
				 wl, py, NEED_PACKAGES);
			return EXIT_ENVIRONMENT;
		case CHECK_NO_NUMPY:
			if (numpy) {
				*numpy = false;
				return 0;
			}
			snprintf(err, errlen, "--workload %s needs numpy, which %s cannot import (install python3-numpy, or name another interpreter with --python)",
				 wl, py);
			return EXIT_ENVIRONMENT;
		case CHECK_TOO_OLD:
			snprintf(err, errlen, "--workload %s needs Python 3.8 or later (multiprocessing.shared_memory); %s is older (install python3 and python3-numpy)",
				 wl, py);
			return EXIT_ENVIRONMENT;
		case 127:
			snprintf(err, errlen, "--workload %s: %s cannot be run (%s)",
				 wl, py, NEED_PACKAGES);
			return EXIT_ENVIRONMENT;
		default:
			break;
		}
	}
	snprintf(err, errlen, "--workload %s: %s failed a check of its version and numpy (%s)",
		 wl, py, NEED_PACKAGES);
	return EXIT_ENVIRONMENT;
}

int python_check_method(const char *py, char *method, size_t msize, char *err,
			size_t errlen)
{
	return check(py, "python", NULL, method, msize, err, errlen);
}

int python_check_prefork(const char *py, bool *numpy, char *err,
			 size_t errlen)
{
	*numpy = true;
	return check(py, "prefork", numpy, NULL, 0, err, errlen);
}
