/*
 * shmfork.c - a test program of known shared memory: maps MIB MiB of
 * shared anonymous memory (shmem: Pss_Shmem), writes every page, forks
 * CHILDREN children that each read every page, holds HOLD seconds once
 * all have, and ends with status STATUS (a negative STATUS: killed by
 * signal -STATUS, after its children ended). With SHMVIZ_PHASE_FD it
 * reports the phases "map" and "hold" and every child as a worker.
 * With SHMFORK_PRIVATE=1 the memory is private anonymous instead (a numpy
 * array a pool forks with), between two PROT_NONE pages so that the
 * kernel merges it with no neighbour: its range, printed as
 * "range START-END" once all have read it, is exactly MIB MiB.
 *
 *   shmfork MIB CHILDREN HOLD_S [STATUS]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "phase.h"

int main(int argc, char **argv)
{
	long mib, children, status = 0, page = sysconf(_SC_PAGESIZE);
	double hold;
	int ready[2], go[2];
	volatile char *p;
	size_t bytes;
	char c;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: shmfork MIB CHILDREN HOLD_S [STATUS]\n");
		return 2;
	}
	mib = atol(argv[1]);
	children = atol(argv[2]);
	hold = atof(argv[3]);
	if (argc == 5)
		status = atol(argv[4]);
	phase_open();
	bytes = (size_t)mib << 20;
	say("map", 0);
	if (getenv("SHMFORK_PRIVATE")) {
		char *q = mmap(NULL, bytes + 2 * (size_t)page, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		p = q == MAP_FAILED ? MAP_FAILED : q + page;
		if (q != MAP_FAILED && mprotect(q + page, bytes, PROT_READ | PROT_WRITE))
			p = MAP_FAILED;
	} else {
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			 -1, 0);
	}
	if (p == MAP_FAILED || pipe(ready) || pipe(go)) {
		perror("shmfork");
		return 4;
	}
	memset((char *)p, 7, bytes);
	for (long i = 0; i < children; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("shmfork: fork");
			return 4;
		}
		if (pid == 0) {
			long sum = 0;

			phase_close();
			close(go[1]); /* the parent's close is the signal to go */
			for (size_t off = 0; off < bytes; off += (size_t)page)
				sum += p[off];
			if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) < 0)
				_exit(3);
			_exit(sum == (long)(bytes / (size_t)page) * 7 ? 0 : 1);
		}
		say(NULL, (long)pid);
	}
	for (long i = 0; i < children; i++)
		if (read(ready[0], &c, 1) != 1)
			return 3;
	say("hold", 0);
	printf("%ld MiB shared by %ld processes\n", mib, children + 1);
	printf("range %lx-%lx\n", (unsigned long)p, (unsigned long)(p + bytes));
	fflush(stdout);
	sleep_s(hold);
	close(go[1]); /* the children's read returns 0: they exit */
	for (long i = 0; i < children; i++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			return 1;
	}
	if (status < 0) {
		signal((int)-status, SIG_DFL);
		raise((int)-status);
		return 1;
	}
	return (int)status;
}
