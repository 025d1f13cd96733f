/*
 * churn.c - a tree whose shared memory changes hands all the time, for the
 * truth suite (tests/e2e/truth.sh).
 *
 *   churn MIB CHILDREN SECONDS
 *
 * The parent fills a shared-memory file (memfd) of MIB MiB and keeps it
 * mapped; CHILDREN children then alternate, until SECONDS have passed,
 * bursts of mapping the whole file (MAP_POPULATE) and unmapping it every
 * millisecond or two, with rests (mapped or not) between: time is cut in
 * slices of 200 ms, bursts in the even ones, rests in the odd. Whatever
 * the moment, the tree's Pss_Shmem adds up to the file exactly: a sample
 * that sums reads taken across a map or an unmap does not, so every
 * consistent sample of this tree must. Exit status 0, 1 on a failed call.
 *
 *   churn MIB CHILDREN SECONDS busy
 *
 * Busy: no rests, and the children keep the file mapped as a server's
 * backends keep their shared buffers, faulting pages of it in (256 random
 * pages read) and dropping half of them (MADV_DONTNEED) every half
 * millisecond for the whole time: their counters move at every tick.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

static volatile char sink;

static int busy_child(int fd, size_t len, double end, unsigned seed)
{
	volatile const char *map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	size_t pages = len / 4096;
	char sum = 0;

	if (map == MAP_FAILED)
		return 1;
	while (now() < end) {
		for (int k = 0; k < 256; k++) {
			size_t off = (size_t)rand_r(&seed) % pages * 4096;

			sum = (char)(sum + map[off]);
			if (k % 2)
				madvise((void *)(map + off), 4096, MADV_DONTNEED);
		}
		nap(500);
	}
	sink = sum; /* the reads are not optimised away */
	return 0;
}

static int child(int fd, size_t len, double start, double end, unsigned seed,
		 int busy)
{
	void *map = NULL;
	double t;

	if (busy)
		return busy_child(fd, len, end, seed);
	while ((t = now()) < end) {
		if ((long)((t - start) / 0.2) % 2) {
			/* a rest, mapped or not, to the next slice */
			nap(1000 + (long)((0.2 - fmod(t - start, 0.2)) * 1e6));
			continue;
		}
		/* a burst: the file changes hands every millisecond or two */
		if (map) {
			munmap(map, len);
			map = NULL;
		} else {
			map = mmap(NULL, len, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
			if (map == MAP_FAILED)
				return 1;
		}
		nap(500 + rand_r(&seed) % 1500);
	}
	return 0;
}

int main(int argc, char **argv)
{
	long mib, n, seconds;
	size_t len;
	int fd, status, rc = 0, busy;
	char *seg;
	double start, end;

	busy = argc == 5 && strcmp(argv[4], "busy") == 0;
	if (argc != 4 && !busy) {
		fprintf(stderr, "usage: churn MIB CHILDREN SECONDS [busy]\n");
		return 2;
	}
	mib = strtol(argv[1], NULL, 10);
	n = strtol(argv[2], NULL, 10);
	seconds = strtol(argv[3], NULL, 10);
	if (mib < 1 || mib > 4096 || n < 1 || n > 64 || seconds < 1 || seconds > 600) {
		fprintf(stderr, "churn: out of range\n");
		return 2;
	}
	len = (size_t)mib << 20;
	fd = memfd_create("churn", 0);
	if (fd < 0 || ftruncate(fd, (off_t)len) != 0) {
		perror("churn: memfd");
		return 1;
	}
	seg = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (seg == MAP_FAILED) {
		perror("churn: mmap");
		return 1;
	}
	memset(seg, 1, len);
	start = now();
	end = start + (double)seconds;
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("churn: fork");
			return 1;
		}
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			_exit(child(fd, len, start, end, (unsigned)(getpid() * 2654435761u), busy));
		}
	}
	for (long i = 0; i < n; i++) {
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			rc = 1;
	}
	munmap(seg, len);
	return rc;
}
