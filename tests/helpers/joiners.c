/*
 * joiners.c - a test program for the bound of a tree that members join
 * (docs/recording.md, "Bounds"): maps MIB MiB of shared anonymous memory
 * (shmem) and writes every page; maps PEAK_MIB MiB of private memory,
 * writes it, appends "peak" to the file STATUS and holds it until a byte
 * comes through the named pipe GO, then unmaps it and appends "dropped"
 * (a high of the run, above what the tree holds later: the sampler owes
 * the later tree no sweep for a high). Then it forks CHILDREN children
 * one by one,
 * each when a byte comes through GO (the test decides when
 * each member joins). A child maps OWN_KB KiB of private anonymous memory
 * and writes it (pages it alone maps: its own PSS, taken from no one),
 * says it is ready and waits; the others it shares only the few pages
 * they all inherit. Once a child is ready the program appends "joined K"
 * to STATUS; once all are, "hold", and it holds until one more
 * byte (or the end of file) comes through GO. Then the children end, and
 * so does it (status 0 when all ended well).
 *
 *   joiners MIB CHILDREN OWN_KB PEAK_MIB STATUS GO
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int say(const char *path, const char *what, long k)
{
	FILE *f = fopen(path, "a");

	if (!f)
		return -1;
	if (k >= 0)
		fprintf(f, "%s %ld\n", what, k);
	else
		fprintf(f, "%s\n", what);
	return fclose(f);
}

int main(int argc, char **argv)
{
	long mib, children, own_kb, peak_mib;
	int ready[2], go[2], fd;
	size_t bytes, own;
	char *shared, *peak, c;

	if (argc != 7) {
		fprintf(stderr, "usage: joiners MIB CHILDREN OWN_KB PEAK_MIB STATUS GO\n");
		return 2;
	}
	mib = atol(argv[1]);
	children = atol(argv[2]);
	own_kb = atol(argv[3]);
	peak_mib = atol(argv[4]);
	if (mib < 1 || children < 1 || own_kb < 4 || peak_mib < 1) {
		fprintf(stderr, "joiners: MIB, CHILDREN, PEAK_MIB >= 1, OWN_KB >= 4\n");
		return 2;
	}
	bytes = (size_t)mib << 20;
	own = (size_t)own_kb << 10;
	shared = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || pipe(ready) || pipe(go)) {
		perror("joiners");
		return 4;
	}
	memset(shared, 7, bytes);
	peak = mmap(NULL, (size_t)peak_mib << 20, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (peak == MAP_FAILED) {
		perror("joiners: mmap");
		return 4;
	}
	memset(peak, 5, (size_t)peak_mib << 20);
	fd = open(argv[6], O_RDONLY);
	if (fd < 0 || say(argv[5], "peak", -1) || read(fd, &c, 1) != 1) {
		perror("joiners: GO");
		return 4;
	}
	munmap(peak, (size_t)peak_mib << 20);
	if (say(argv[5], "dropped", -1))
		return 4;
	for (long i = 0; i < children; i++) {
		pid_t pid;

		if (read(fd, &c, 1) != 1)
			return 3;
		pid = fork();
		if (pid < 0) {
			perror("joiners: fork");
			return 4;
		}
		if (pid == 0) {
			char *mine = mmap(NULL, own, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			close(go[1]); /* the parent's close is the signal to end */
			close(fd);
			if (mine == MAP_FAILED)
				_exit(4);
			memset(mine, (int)(i & 0x7f) + 1, own);
			if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) < 0)
				_exit(3);
			_exit(mine[own - 1] == (char)((i & 0x7f) + 1) && shared[bytes - 1] == 7 ? 0 : 1);
		}
		if (read(ready[0], &c, 1) != 1 || say(argv[5], "joined", i + 1))
			return 3;
	}
	if (say(argv[5], "hold", -1) || read(fd, &c, 1) < 0)
		return 4;
	close(fd);
	close(go[1]);
	for (long i = 0; i < children; i++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			return 1;
	}
	return 0;
}
