/*
 * wide.c - a test program whose smaps_rollup costs more CPU to read than
 * any bucket of the budget holds, while its memory is small: one memfd of
 * MIB MiB, written once, mapped TIMES times over (every mapping's pages
 * are walked by a read, as for a process of MIB x TIMES MiB; its PSS is
 * the MIB MiB once). It starts small (shmviz reads it as a new member),
 * maps them all in one go, says the phase "hold", asks for a checkpoint,
 * writes "held ACK" to the file STATUS (ACK: 1 when the checkpoint was
 * answered) and holds until a byte comes through the FIFO GO, then ends.
 *
 *   wide MIB TIMES STATUS GO
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "phase.h"

int main(int argc, char **argv)
{
	long mib, times;
	size_t bytes;
	char *p, c;
	int fd, go, ack;
	FILE *f;

	if (argc != 5) {
		fprintf(stderr, "usage: wide MIB TIMES STATUS GO\n");
		return 2;
	}
	mib = atol(argv[1]);
	times = atol(argv[2]);
	if (mib <= 0 || times <= 0)
		return 2;
	phase_open();
	/* a moment small, so that the first read is of a small process */
	sleep_s(0.5);
	bytes = (size_t)mib << 20;
	fd = memfd_create("wide", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)bytes) != 0) {
		perror("wide: memfd");
		return 1;
	}
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("wide: mmap");
		return 1;
	}
	memset(p, 1, bytes);
	for (long i = 1; i < times; i++)
		if (mmap(NULL, bytes, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0) == MAP_FAILED) {
			perror("wide: mmap");
			return 1;
		}
	close(fd);
	say("hold", 0);
	ack = checkpoint(60000);
	f = fopen(argv[3], "a");
	if (!f)
		return 1;
	fprintf(f, "held %d\n", ack);
	if (fclose(f) != 0)
		return 1;
	go = open(argv[4], O_RDONLY);
	if (go < 0 || read(go, &c, 1) != 1) {
		perror("wide: go");
		return 1;
	}
	close(go);
	return 0;
}
