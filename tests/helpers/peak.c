/*
 * peak.c - a test program whose peak is too short to be sampled by chance:
 * rests REST_S seconds, then maps and touches MIB MiB of private memory,
 * with --checkpoint asks shmviz to sample it (the "checkpoint" line of
 * the phase protocol) and waits for the answer, unmaps it at once, and
 * rests REST_S again. It says no phase: only a checkpoint can catch the
 * peak. Prints "answered" or "not answered".
 *
 *   peak MIB REST_S [--checkpoint]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "phase.h"

int main(int argc, char **argv)
{
	long mib;
	double rest;
	int answered = 0;
	size_t bytes;
	char *p;

	if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "--checkpoint") != 0)) {
		fprintf(stderr, "usage: peak MIB REST_S [--checkpoint]\n");
		return 2;
	}
	mib = atol(argv[1]);
	rest = atof(argv[2]);
	if (mib <= 0 || rest < 0) {
		fprintf(stderr, "peak: bad arguments\n");
		return 2;
	}
	phase_open();
	bytes = (size_t)mib << 20;
	sleep_s(rest);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("peak: mmap");
		return 1;
	}
	memset(p, 1, bytes);
	if (argc == 4)
		answered = checkpoint(2000);
	munmap(p, bytes);
	sleep_s(rest);
	printf("%s\n", answered ? "answered" : "not answered");
	return 0;
}
