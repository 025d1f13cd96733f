/*
 * peak.c - a test program whose peak is too short to be sampled by chance:
 * rests REST_S seconds, then maps and touches MIB MiB of private memory,
 * with --checkpoint asks shmviz to sample it (the "checkpoint" line of
 * the phase protocol) and waits for the answer, unmaps it at once, and
 * rests REST_S again. It says no phase: only a checkpoint can catch the
 * peak. Prints "answered" or "not answered".
 *
 * --checkpoint-busy: the same, but three children fault pages of their own
 * in and out (16 MiB a pass) from just before the checkpoint for 0.4 s and
 * then rest until the peak ends: while they move no sample is one moment
 * (one member moving alone is: the others stand still while it is read),
 * and the answer must wait for one.
 *
 *   peak MIB REST_S [--checkpoint | --checkpoint-busy]
 */
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "phase.h"

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* the busy child: 0.4 s of faults, then a rest until killed; returns
 * once it is faulting (a byte after its first pass) */
static pid_t busy_child(void)
{
	int fds[2];
	char c = 0;
	pid_t pid;

	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		size_t len = (size_t)16 << 20;
		volatile char *b = mmap(NULL, len, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		double end = mono() + 0.4;

		phase_close();
		if (b == MAP_FAILED)
			_exit(1);
		close(fds[0]);
		while (mono() < end) {
			for (size_t off = 0; off < len; off += 4096)
				b[off] = 1;
			madvise((void *)b, len, MADV_DONTNEED);
			if (fds[1] >= 0) {
				if (write(fds[1], &c, 1) != 1)
					_exit(1);
				close(fds[1]);
				fds[1] = -1;
			}
		}
		for (;;)
			pause();
	}
	close(fds[1]);
	if (pid > 0 && read(fds[0], &c, 1) != 1)
		pid = -1;
	close(fds[0]);
	return pid;
}

int main(int argc, char **argv)
{
	pid_t busy[3] = { -1, -1, -1 };
	long mib;
	double rest;
	int answered = 0;
	size_t bytes;
	char *p;

	if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "--checkpoint") != 0 &&
				      strcmp(argv[3], "--checkpoint-busy") != 0)) {
		fprintf(stderr, "usage: peak MIB REST_S [--checkpoint | --checkpoint-busy]\n");
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
	if (argc == 4 && strcmp(argv[3], "--checkpoint-busy") == 0) {
		busy[0] = busy_child();
		busy[1] = busy_child();
		busy[2] = busy_child();
	}
	if (argc == 4)
		answered = checkpoint(2000);
	munmap(p, bytes);
	for (int i = 0; i < 3; i++) {
		if (busy[i] > 0) {
			kill(busy[i], SIGKILL);
			waitpid(busy[i], NULL, 0);
		}
	}
	sleep_s(rest);
	printf("%s\n", answered ? "answered" : "not answered");
	return 0;
}
