/*
 * maps.c - a test program with many mappings, for the tests and the
 * benchmark of mapping groups (docs/architecture.md, "Mappings").
 *
 *   maps N KIND HOLD [PHASES]
 *
 * KIND "distinct": N memfds of one page each, mapped shared and written,
 * named m0, m1, ...: N groups of one mapping ("/memfd:mI (deleted)"), each
 * 4 kB resident. KIND "anon": one anonymous reservation of N pages whose
 * every other page is made writable and written: N mappings the kernel
 * cannot merge (their protections alternate), all of one group "[anon]".
 * Then "ready PID" on stdout, and it holds for HOLD seconds (SIGTERM ends
 * it at once), telling the phase "hold" and, when PHASES > 0, that many
 * phases "p1", "p2", ... spread over the hold (each a boundary at which
 * shmviz --mappings takes a snapshot).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "phase.h"

static int distinct(long n)
{
	for (long i = 0; i < n; i++) {
		char name[32];
		int fd;
		char *p;

		snprintf(name, sizeof(name), "m%ld", i);
		fd = memfd_create(name, MFD_CLOEXEC);
		if (fd < 0 || ftruncate(fd, 4096) != 0) {
			perror("maps: memfd");
			return 1;
		}
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			perror("maps: mmap");
			return 1;
		}
		p[0] = 1;
		close(fd);
	}
	return 0;
}

static int alternating(long n)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, (size_t)(n * page), PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("maps: mmap");
		return 1;
	}
	for (long i = 0; i < n; i += 2) {
		if (mprotect(p + i * page, (size_t)page, PROT_READ | PROT_WRITE) != 0) {
			perror("maps: mprotect");
			return 1;
		}
		p[i * page] = 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long n, phases;
	double hold;

	if (argc < 4 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: maps N distinct|anon HOLD [PHASES]\n");
		return 2;
	}
	hold = atof(argv[3]);
	phases = argc > 4 ? atol(argv[4]) : 0;
	signal(SIGTERM, SIG_DFL);
	phase_open();
	if (strcmp(argv[2], "distinct") == 0 ? distinct(n) : alternating(n))
		return 1;
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	say("hold", 0);
	for (long i = 1; i <= phases; i++) {
		char name[32];

		sleep_s(hold / (double)(phases + 1));
		snprintf(name, sizeof(name), "p%ld", i);
		say(name, 0);
	}
	sleep_s(phases > 0 ? hold / (double)(phases + 1) : hold);
	return 0;
}
