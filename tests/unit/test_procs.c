/* The libproc2 reader against the real kernel: a child mapping a shared
 * segment shows it as Shared_Dirty and Pss_Shmem; a process that has gone
 * is left out; a process we may not read (as another user) is unreadable,
 * not 0; a zombie has no address space. */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "probes/procs.h"

#define MB (1024UL * 1024)

static pid_t start_mapper(size_t bytes, int ready_fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		memset(p, 1, bytes);
		/* a second process maps the same pages: now they are shared
		 * (fork does not copy the page tables of a shared mapping;
		 * reading each page maps it) */
		if (fork() == 0) {
			volatile char sum = 0;

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (size_t i = 0; i < bytes; i += 4096)
				sum = (char)(sum + p[i]);
			if (write(ready_fd, "g", 1) != 1)
				_exit(1);
			pause();
			_exit(0);
		}
		if (write(ready_fd, "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	return pid;
}

static const struct proc_sample *find(const struct proc_sample *s, size_t n,
				      pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].stat.pid == pid)
			return &s[i];
	return NULL;
}

int main(void)
{
	struct procs_reader *r = procs_reader_create();
	struct proc_sample out[4];
	const struct proc_sample *s;
	int p[2];
	pid_t kid, zombie, gone;
	pid_t pids[4];
	size_t n = 0;
	char c;

	CHECK(r != NULL);
	if (!r)
		return check_done();
	CHECK(pipe(p) == 0);
	kid = start_mapper(32 * MB, p[1]);
	CHECK(read(p[0], &c, 1) == 1);
	CHECK(read(p[0], &c, 1) == 1);
	zombie = fork();
	if (zombie == 0)
		_exit(0);
	gone = fork();
	if (gone == 0)
		_exit(0);
	waitpid(gone, NULL, 0);
	/* until the zombie has exited, without reaping it: a zombie then */
	{
		siginfo_t si;

		CHECK_INT(waitid(P_PID, (id_t)zombie, &si, WEXITED | WNOWAIT), 0);
	}

	pids[0] = kid;
	pids[1] = zombie;
	pids[2] = gone;
	pids[3] = getpid();
	CHECK_INT(procs_read(r, pids, 4, true, out, &n), 0);
	CHECK_INT(n, 3); /* gone is left out */
	s = find(out, n, kid);
	CHECK(s != NULL);
	if (s) {
		CHECK_INT(s->smaps_err, 0);
		CHECK(s->smaps.shared_dirty >= 32L * 1024);
		CHECK(s->smaps.rss >= 32L * 1024);
		/* shared by two: PSS holds half of the segment */
		CHECK(s->smaps.pss >= 16L * 1024);
		CHECK(s->smaps.pss < 24L * 1024);
		if (procs_have_pss_shmem(r))
			CHECK_NEAR((double)s->smaps.pss_shmem, 16L * 1024, 8);
		CHECK(s->rss_shmem_kb >= 32L * 1024);
		CHECK_INT(s->stat.ppid, getpid());
		CHECK(s->stat.start_ticks > 0);
	}
	s = find(out, n, zombie);
	CHECK(s != NULL);
	if (s) {
		CHECK_INT(s->stat.state, 'Z');
		CHECK_INT(s->smaps_err, -ENODATA);
		CHECK_INT(s->smaps.pss, SMAPS_NONE);
	}
	/* counters only: smaps is not asked for */
	CHECK_INT(procs_read(r, pids, 1, false, out, &n), 0);
	CHECK_INT(n, 1);
	CHECK_INT(out[0].smaps_err, PROCS_SMAPS_NOT_ASKED);
	CHECK(out[0].vm_rss_kb >= 32L * 1024);

	/* unreadable: as another user, a root process's smaps_rollup */
	if (geteuid() == 0) {
		int q[2];
		pid_t reader;
		int status;

		CHECK(pipe(q) == 0);
		reader = fork();
		if (reader == 0) {
			struct passwd *pw = getpwnam("nobody");
			struct procs_reader *r2;
			struct proc_sample one;
			size_t got = 0;
			char res = 'x';

			if (!pw || setgid(pw->pw_gid) || setuid(pw->pw_uid))
				_exit(77);
			r2 = procs_reader_create();
			if (r2 && procs_read(r2, &kid, 1, true, &one, &got) == 0 &&
			    got == 1)
				res = one.smaps_err == -EACCES &&
				      one.smaps.pss == SMAPS_NONE &&
				      one.vm_rss_kb > 0 ? 'u' : 'r';
			procs_reader_destroy(r2);
			_exit(write(q[1], &res, 1) == 1 ? 0 : 1);
		}
		waitpid(reader, &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
			fprintf(stderr, "no user 'nobody': unreadable case not run\n");
		} else {
			CHECK(read(q[0], &c, 1) == 1);
			CHECK_INT(c, 'u');
		}
	} else {
		fprintf(stderr, "not root: unreadable case not run\n");
	}

	kill(kid, SIGKILL); /* its second mapper dies with it */
	waitpid(kid, NULL, 0);
	waitpid(zombie, NULL, 0);
	procs_reader_destroy(r);
	procs_reader_destroy(NULL);
	return check_done();
}
