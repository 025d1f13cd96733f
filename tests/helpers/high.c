/*
 * high.c - a test program whose high is a short plateau it never
 * announces: maps and touches MIB MiB of private memory in one go, writes
 * "plateau" to the file STATUS, holds the memory until a byte comes
 * through the FIFO GO (the test decides how many of shmviz's ticks see
 * it), unmaps it at once, writes "dropped" and ends. It says no phase and
 * asks for no checkpoint: only the sampler's own watch of the counters can
 * catch the plateau. With LINGER, it stays LINGER seconds after it
 * dropped its memory (a peak between two samples of a process that goes
 * on).
 *
 *   high MIB STATUS GO [LINGER]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int say(const char *path, const char *what)
{
	FILE *f = fopen(path, "a");

	if (!f)
		return -1;
	fprintf(f, "%s\n", what);
	return fclose(f);
}

int main(int argc, char **argv)
{
	long mib;
	size_t bytes;
	char *p, c;
	int fd;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: high MIB STATUS GO [LINGER]\n");
		return 2;
	}
	mib = atol(argv[1]);
	if (mib <= 0) {
		fprintf(stderr, "high: bad size\n");
		return 2;
	}
	bytes = (size_t)mib << 20;
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("high: mmap");
		return 1;
	}
	memset(p, 1, bytes);
	if (say(argv[2], "plateau") != 0) {
		perror("high: status");
		return 1;
	}
	/* blocks until the test opens the FIFO and writes */
	fd = open(argv[3], O_RDONLY);
	if (fd < 0 || read(fd, &c, 1) != 1) {
		perror("high: go");
		return 1;
	}
	close(fd);
	munmap(p, bytes);
	if (say(argv[2], "dropped") != 0) {
		perror("high: status");
		return 1;
	}
	if (argc == 5)
		sleep((unsigned)atoi(argv[4]));
	return 0;
}
