/*
 * main.c - shmviz-workload, the native workloads' program (workload.h):
 *   shmviz-workload shared|copy|cow ROWS WORKERS HOLD_S COW_WRITE_PCT
 * shmviz starts it as a run's root; it links libc and libm alone, so that
 * its processes map nothing of shmviz's libraries (docs/architecture.md,
 * "Processes").
 */
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "src/util/exits.h"
#include "src/workload/workload.h"

int main(int argc, char **argv)
{
	sigset_t set;

	/* first of all: SIGTERM, SIGINT and SIGHUP wait for the workload,
	 * which unlinks its segment and ends its workers on them */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return EXIT_ENVIRONMENT;
	/* a segment over `ulimit -f` is an EFBIG, said as any failure */
	signal(SIGXFSZ, SIG_IGN);
	/* descriptors 0, 1 and 2 open (on /dev/null if closed), so that no
	 * pipe or segment the workload opens becomes one */
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1)
			continue;
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			return EXIT_ENVIRONMENT;
	}
	return workload_main(argc, argv);
}
