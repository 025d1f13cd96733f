/*
 * cowslow.c - a copy-on-write worker that writes slowly, for the budget's
 * test: the parent touches MIB MiB of private memory and forks one child
 * (announced as a worker), which writes a byte in every page, pausing
 * 1 ms every 16 pages, so that its pages leave the parent's one by one
 * over some 2.5 s for 128 MiB: whatever the machine's pace (a sanitizer
 * build spaces its ticks out), many ticks see it move. With SHMVIZ_PHASE_FD: the phases "touch" and "write".
 *
 *   cowslow MIB
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "phase.h"

int main(int argc, char **argv)
{
	long mib = argc == 2 ? atol(argv[1]) : 0, page = sysconf(_SC_PAGESIZE);
	size_t bytes;
	char *p;
	pid_t pid;
	int status;

	if (mib <= 0) {
		fprintf(stderr, "usage: cowslow MIB\n");
		return 2;
	}
	phase_open();
	bytes = (size_t)mib << 20;
	say("touch", 0);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("cowslow: mmap");
		return 1;
	}
	/* small pages, so that each write copies one */
	madvise(p, bytes, MADV_NOHUGEPAGE);
	memset(p, 1, bytes);
	say("write", 0);
	pid = fork();
	if (pid < 0) {
		perror("cowslow: fork");
		return 1;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		phase_close();
		for (size_t off = 0, n = 0; off < bytes; off += (size_t)page, n++) {
			p[off] = 2;
			if (n % 16 == 15)
				sleep_s(0.001);
		}
		_exit(0);
	}
	say(NULL, (long)pid);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	printf("cowslow: %ld MiB written by the child\n", mib);
	return 0;
}
