/*
 * hider.c - a process tree part of which its own user may not read: the
 * parent touches MIB MiB and forks one child that makes itself not
 * dumpable (PR_SET_DUMPABLE 0, as a program holding secrets does) and
 * touches MIB MiB too; both hold for HOLD_S seconds and exit. Only a
 * process with CAP_SYS_PTRACE (root) may read the child's smaps_rollup, so
 * a shmviz run by an ordinary user meets EACCES there. For the tests, as a
 * --compare command.
 *
 *   hider MIB HOLD_S
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void touch(long mib)
{
	size_t n = (size_t)mib << 20;
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		memset(p, 1, n);
}

static void hold(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) != 0)
		;
}

int main(int argc, char **argv)
{
	long mib = argc > 1 ? strtol(argv[1], NULL, 10) : 8;
	double s = argc > 2 ? strtod(argv[2], NULL) : 1;
	pid_t parent = getpid(), kid;

	if (mib < 0 || mib > 4096 || !(s >= 0 && s < 3600)) {
		fprintf(stderr, "usage: hider MIB HOLD_S\n");
		return 2;
	}
	touch(mib);
	kid = fork();
	if (kid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		prctl(PR_SET_DUMPABLE, 0);
		touch(mib);
		hold(s);
		_exit(0);
	}
	hold(s);
	if (kid > 0)
		waitpid(kid, NULL, 0);
	printf("hider: %ld MiB in 2 processes, one not dumpable\n", mib);
	return 0;
}
