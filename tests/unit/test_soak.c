/* 10^5 sampler ticks against a small live tree (a root with two children,
 * one of them mapping a shared segment): the sampler and the model must
 * not grow. The descriptor count of this process and its VmRSS are taken
 * after a warm-up (the model's bounded buffers reach their size) and again
 * at the end: the same descriptors, and RSS within a margin far below what
 * a leak of even a few bytes a tick would add (10^5 ticks).
 *
 * As root the test runs in a PID namespace of its own with its own /proc:
 * the sampler's scans for descendants then see only this test's few
 * processes, not the whole machine's, and no other program's forks make
 * them due; the test is then fast and measures only the sampler itself.
 *
 * usage: test_soak [TICKS] */
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "src/core/model.h"
#include "src/core/protocol.h"
#include "src/sample/sampler.h"

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own */
}

static long vm_rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "VmRSS:", 6) == 0) {
			kb = strtol(line + 6, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

static pid_t start_tree(void)
{
	int p[2];
	pid_t root;
	char c;

	if (pipe(p) != 0)
		return -1;
	root = fork();
	if (root == 0) {
		char *seg = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (seg == MAP_FAILED)
			_exit(1);
		memset(seg, 1, 1 << 20);
		for (int i = 0; i < 2; i++) {
			if (fork() == 0) {
				volatile char sum = 0;

				prctl(PR_SET_PDEATHSIG, SIGKILL);
				for (size_t k = 0; k < (1 << 20); k += 4096)
					sum = (char)(sum + seg[k]);
				if (write(p[1], "r", 1) != 1)
					_exit(1);
				for (;;)
					pause();
			}
		}
		for (;;)
			pause();
	}
	for (int i = 0; i < 2; i++)
		if (read(p[0], &c, 1) != 1)
			return -1;
	close(p[0]);
	close(p[1]);
	return root;
}

static int soak(long ticks)
{
	/* past the warm-up the graph buffer has reached its bound */
	long warm = ticks / 10 > 3L * MODEL_POINTS_MAX ? ticks / 10 : 3L * MODEL_POINTS_MAX;
	long rss0 = 0, rss1;
	int fds0 = 0, fds1;
	char err[256];
	struct sampler *s;
	struct model m;
	struct run *r;
	pid_t root = start_tree();

	CHECK(root > 0);
	if (root <= 0)
		return check_done();
	model_init(&m, false);
	r = model_add_run(&m, "A", "soak", "");
	/* 10 ms interval, the default budget (5% of a core) */
	s = sampler_create(10, 5, err, sizeof(err));
	CHECK(s != NULL && r != NULL);
	if (!s || !r)
		goto out;
	sampler_begin(s, root);
	for (long i = 0; i < ticks; i++) {
		if (!sampler_tick(s, r, (double)i * 0.01, proto_now(), i % 100 == 0)) {
			CHECK(!"sampler_tick failed");
			break;
		}
		if (i == warm) {
			fds0 = count_fds();
			rss0 = vm_rss_kb();
		}
	}
	fds1 = count_fds();
	rss1 = vm_rss_kb();
	fprintf(stderr, "%ld ticks: fds %d -> %d, VmRSS %ld -> %ld kB, %zu points, %zu frames\n",
		ticks, fds0, fds1, rss0, rss1, r->npoints, r->nframes);
	CHECK_INT(fds1, fds0);
	CHECK(rss0 > 0 && rss1 > 0);
#ifndef __SANITIZE_ADDRESS__
	/* 10^5 ticks: a leak of 8 bytes a tick would be 800 kB */
	CHECK(rss1 - rss0 < 256);
#else
	/* AddressSanitizer keeps freed memory in quarantine (up to 256 MB):
	 * RSS grows without a leak there; LeakSanitizer checks at exit */
	fprintf(stderr, "AddressSanitizer build: RSS not compared\n");
#endif
	CHECK(r->npoints <= MODEL_POINTS_MAX);
	CHECK_INT(r->nframes, 1);
	CHECK_INT(r->nticks, ticks);
	{
		const struct frame *f = run_frame_at(r, -1);

		CHECK(f && f->n == 3);
	}
out:
	kill(root, SIGKILL);
	waitpid(root, NULL, 0);
	sampler_destroy(s);
	model_finish(&m);
	return check_done();
}

int main(int argc, char **argv)
{
	long ticks = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
	pid_t pid;
	int status;

	if (ticks <= 3L * MODEL_POINTS_MAX) {
		fprintf(stderr, "TICKS must be above %d\n", 3 * MODEL_POINTS_MAX);
		return 2;
	}
	if (geteuid() != 0 || unshare(CLONE_NEWNS | CLONE_NEWPID) != 0) {
		fprintf(stderr, "no PID namespace (%s): sampling the host's /proc\n",
			geteuid() ? "not root" : strerror(errno));
		return soak(ticks);
	}
	pid = fork(); /* pid 1 of the new namespace */
	if (pid == 0) {
		pid_t kid;

		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
		    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  NULL) != 0) {
			fprintf(stderr, "cannot mount /proc: %s\n", strerror(errno));
			_exit(1);
		}
		/* the test itself as pid 2: pid 1 reaps orphans, and
		 * LeakSanitizer cannot stop the world of an init */
		kid = fork();
		if (kid == 0) {
			status = soak(ticks);
			/* exit(), not _exit(): the leak check runs at exit */
			exit(status);
		}
		if (kid < 0 || waitpid(kid, &status, 0) != kid)
			_exit(1);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		_exit(1);
	/* _exit: after unshare(CLONE_NEWPID) this process can no longer stop
	 * its own world for LeakSanitizer, and it has allocated nothing */
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}
