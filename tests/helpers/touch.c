/*
 * touch.c - a test program of known memory: touches MIB MiB of private
 * memory in itself and in each of CHILDREN forked children, holds it for
 * HOLD seconds, and exits. When shmviz passes SHMVIZ_PHASE_FD it reports
 * the phases "touch" and "hold" and every child as a worker.
 *
 *   touch MIB [HOLD_S [CHILDREN]]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "phase.h"

static char *touch(size_t bytes)
{
	char *p = malloc(bytes);

	if (!p) {
		perror("touch: malloc");
		exit(1);
	}
	memset(p, 1, bytes);
	return p;
}

int main(int argc, char **argv)
{
	long mib, children = 0;
	double hold = 1.0;
	size_t bytes;
	char *mem;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: touch MIB [HOLD_S [CHILDREN]]\n");
		return 2;
	}
	mib = atol(argv[1]);
	if (argc > 2)
		hold = atof(argv[2]);
	if (argc > 3)
		children = atol(argv[3]);
	if (mib < 0 || hold < 0 || children < 0 || children > 64) {
		fprintf(stderr, "touch: bad arguments\n");
		return 2;
	}
	phase_open();
	bytes = (size_t)mib << 20;

	say("touch", 0);
	for (long i = 0; i < children; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("touch: fork");
			return 1;
		}
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			phase_close();
			mem = touch(bytes);
			sleep_s(hold + 0.5); /* outlive the parent's hold phase */
			free(mem);
			_exit(0);
		}
		say(NULL, (long)pid);
	}
	mem = touch(bytes);
	/* let the children finish touching before "hold" */
	sleep_s(0.3);
	say("hold", 0);
	sleep_s(hold);
	free(mem);
	for (long i = 0; i < children; i++)
		wait(NULL);
	printf("touch: %ld MiB in each of %ld processes\n", mib, children + 1);
	return 0;
}
