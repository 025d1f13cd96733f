/*
 * hostile.c - a process tree with hostile names, for the tests.
 *
 *   hostile [SECONDS]
 *
 * The parent renames itself (prctl PR_SET_NAME) and forks one child per
 * name of the list below, each renaming itself to it: spaces, parentheses
 * and fake stat fields, a newline, ESC/CSI/OSC sequences, DEL, C1 controls
 * (as UTF-8 and as raw bytes), invalid and truncated UTF-8, JSON's own
 * quote and backslash, and valid UTF-8 that must come through unchanged.
 * When every child has its name, the parent writes "ready N\n" (N the
 * number of children) on standard output and sleeps SECONDS (default 60);
 * the children die with it (PR_SET_PDEATHSIG). Usable as a --compare
 * command as well as from a C test.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "hostile.h"

int main(int argc, char **argv)
{
	long seconds = argc > 1 ? strtol(argv[1], NULL, 10) : 60;
	int ready[2];
	pid_t parent = getpid();
	size_t n = 0;
	char c;

	if (pipe(ready) != 0)
		return 1;
	prctl(PR_SET_NAME, HOSTILE_PARENT_NAME);
	for (const char *const *name = hostile_names; *name; name++, n++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(1);
			prctl(PR_SET_NAME, *name);
			if (write(ready[1], "r", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
	}
	for (size_t i = 0; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			return 1;
	printf("ready %zu\n", n);
	fflush(stdout);
	sleep((unsigned)(seconds > 0 && seconds < 100000 ? seconds : 60));
	return 0;
}
