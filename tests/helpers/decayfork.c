/*
 * decayfork.c - sharing that decays in known steps, for the decay tests: the
 * parent touches MIB MiB of private memory (small pages) and forks WORKERS
 * children (announced as workers), which then copy the region in STEPS
 * equal slices, all of them the same slice at each step, one step at a time
 * on the parent's word. Between steps the tree stands still: after step k
 * each worker holds k/STEPS of the region as Private_Dirty and still
 * shares the rest, and so does the parent (its originals of the copied
 * pages are its own again once every worker copied them).
 *
 * Phases: "touch", then "still0" (every child has started and waits), and
 * for each step k "dirtyK" (the children write their slice) and "stillK"
 * (all of them are done); each "still" phase is checkpointed, so it has a
 * sample of that moment. Then the children exit and the parent follows.
 *
 *   decayfork MIB WORKERS STEPS
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

#define WORKERS_MAX 16

struct child {
	pid_t pid;
	int go;    /* the parent writes a byte: write the next slice */
	int done;  /* the child answers a byte: its slice is written */
};

/* the child: a byte on start, then a slice a byte of the parent's, until
 * end of file */
static void child_loop(char *p, size_t slice, long page, int go, int done)
{
	char c = 1;
	size_t off = 0;

	if (write(done, &c, 1) != 1)
		_exit(1);
	while (read(go, &c, 1) == 1) {
		for (size_t end = off + slice; off < end; off += (size_t)page)
			p[off] = 2;
		if (write(done, &c, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static int start(struct child *ch, char *p, size_t slice, long page)
{
	int go[2], done[2];

	if (pipe(go) || pipe(done))
		return -1;
	ch->pid = fork();
	if (ch->pid < 0)
		return -1;
	if (ch->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		phase_close();
		close(go[1]);
		close(done[0]);
		child_loop(p, slice, page, go[0], done[1]);
	}
	close(go[0]);
	close(done[1]);
	ch->go = go[1];
	ch->done = done[0];
	say(NULL, (long)ch->pid);
	return 0;
}

/* waits for a byte of every child */
static int all_done(const struct child *ch, int n)
{
	char c;

	for (int i = 0; i < n; i++)
		if (read(ch[i].done, &c, 1) != 1)
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	long mib = argc == 4 ? atol(argv[1]) : 0, page = sysconf(_SC_PAGESIZE);
	int workers = argc == 4 ? atoi(argv[2]) : 0, steps = argc == 4 ? atoi(argv[3]) : 0;
	struct child ch[WORKERS_MAX];
	size_t bytes, slice;
	char name[32], c = 1;
	int status, bad = 0;
	char *p;

	if (mib <= 0 || workers < 1 || workers > WORKERS_MAX || steps < 1 ||
	    ((size_t)mib << 20) % ((size_t)steps * (size_t)page)) {
		fprintf(stderr, "usage: decayfork MIB WORKERS(1-16) STEPS (MIB a multiple of STEPS pages)\n");
		return 2;
	}
	phase_open();
	bytes = (size_t)mib << 20;
	slice = bytes / (size_t)steps;
	say("touch", 0);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("decayfork: mmap");
		return 1;
	}
	/* small pages, so that each write copies one */
	madvise(p, bytes, MADV_NOHUGEPAGE);
	memset(p, 1, bytes);
	for (int i = 0; i < workers; i++)
		if (start(&ch[i], p, slice, page)) {
			perror("decayfork: fork");
			return 1;
		}
	if (all_done(ch, workers))
		return 1;
	say("still0", 0);
	checkpoint(10000);
	for (int k = 1; k <= steps; k++) {
		snprintf(name, sizeof(name), "dirty%d", k);
		say(name, 0);
		for (int i = 0; i < workers; i++)
			if (write(ch[i].go, &c, 1) != 1)
				return 1;
		if (all_done(ch, workers))
			return 1;
		snprintf(name, sizeof(name), "still%d", k);
		say(name, 0);
		checkpoint(10000);
	}
	say("exit", 0);
	for (int i = 0; i < workers; i++)
		close(ch[i].go);
	for (int i = 0; i < workers; i++)
		if (waitpid(ch[i].pid, &status, 0) != ch[i].pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			bad = 1;
	printf("decayfork: %ld MiB, %d workers, %d steps\n", mib, workers, steps);
	return bad;
}
