/*
 * runner.c - fork, exec, reap and kill a run's tree (see runner.h).
 *
 * Exec failures come back through a close-on-exec pipe: the child writes
 * its errno there when exec fails; end of file means the exec happened.
 */
#include "src/run/runner.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probes/tree.h"
#include "src/core/protocol.h"
#include "src/run/guard.h"
#include "src/util/clock.h"
#include "src/util/exits.h"
#include "src/util/readfile.h"

/* the fd number the phase pipe has in the child */
#define CHILD_PHASE_FD 3
#define CHILD_ACK_FD 4

/* Marks every descriptor above fd close-on-exec (the exec-error pipe
 * among them, as it must be). */
static void close_above(int fd)
{
	long max;

#ifdef CLOSE_RANGE_CLOEXEC
	if (close_range((unsigned)fd + 1, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
#endif
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (int i = fd + 1; i < max; i++) {
		int flags = fcntl(i, F_GETFD);

		if (flags >= 0 && !(flags & FD_CLOEXEC))
			fcntl(i, F_SETFD, flags | FD_CLOEXEC);
	}
}

static void child_exec(const struct runner_spec *spec, int phase_wr,
		       int ack_rd, int err_wr, int out_wr, int go_rd, pid_t parent)
{
	sigset_t none;
	int fd, e;
	char go;
	ssize_t n;

	/* into the run's cgroup first, so that all it does is charged there;
	 * a failure is told as -errno before the exec's own result */
	if (spec->cgroup_fd >= 0 && write(spec->cgroup_fd, "0", 1) != 1) {
		e = -errno;
		if (write(err_wr, &e, sizeof(e)) < 0)
			_exit(EXIT_ENVIRONMENT);
	}
	prctl(PR_SET_PDEATHSIG, spec->death_signal ? spec->death_signal : SIGKILL);
	if (getppid() != parent)
		_exit(EXIT_ENVIRONMENT);
	/* a session of its own: no controlling terminal, and an id the
	 * guard can find the tree by */
	if (setsid() < 0)
		setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, spec->default_sigpipe ? SIG_DFL : SIG_IGN);
	signal(SIGXFSZ, SIG_DFL);

	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	/* the log's pipe (outlog.h), else /dev/null */
	fd = out_wr >= 0 ? out_wr : open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	/* the phase pipe and the checkpoints' answer at fixed numbers,
	 * without close-on-exec: first all three above them, so that no
	 * dup2 below closes another */
	phase_wr = fcntl(phase_wr, F_DUPFD_CLOEXEC, 10);
	ack_rd = fcntl(ack_rd, F_DUPFD_CLOEXEC, 10);
	err_wr = fcntl(err_wr, F_DUPFD_CLOEXEC, 10);
	dup2(phase_wr, CHILD_PHASE_FD);
	dup2(ack_rd, CHILD_ACK_FD);
	/* whatever shmviz opened without O_CLOEXEC (a library's files, the
	 * terminal) must not reach the program either: only 0-4 stay */
	close_above(CHILD_ACK_FD);
	{
		char v[16];

		snprintf(v, sizeof(v), "%d", CHILD_PHASE_FD);
		setenv(PROTO_ENV, v, 1);
		snprintf(v, sizeof(v), "%d", CHILD_ACK_FD);
		setenv(PROTO_ACK_ENV, v, 1);
		if (guard_token()[0])
			setenv(GUARD_ENV, guard_token(), 1);
		if (spec->lesson)
			setenv(PROTO_LESSON_ENV, "1", 1);
		else
			unsetenv(PROTO_LESSON_ENV);
	}
	/* nothing of the run starts before the guard knows of it: shmviz
	 * says go once it has told the guard (runner_start); end of file
	 * (shmviz died first) is no go */
	do {
		n = read(go_rd, &go, 1);
	} while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(EXIT_ENVIRONMENT);
	close(go_rd);
	if (spec->path)
		execv(spec->path, spec->argv);
	else
		execvp(spec->argv[0], spec->argv);
	e = errno;
	if (write(err_wr, &e, sizeof(e)) < 0)
		_exit(EXIT_NOT_FOUND);
	_exit(e == ENOENT ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE);
}

/* the root's pipes: phase, ack, exec error, go */
#define RUNNER_PIPES 4

static void close_pipes(int (*p)[2], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
}

/* n close-on-exec pipes, or none with one line in err */
static bool open_pipes(int (*p)[2], size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		if (pipe2(p[i], O_CLOEXEC) != 0) {
			snprintf(err, errlen, "pipe: %s", strerror(errno));
			close_pipes(p, i);
			return false;
		}
	}
	return true;
}

int runner_start(struct runner *rn, const struct runner_spec *spec,
		 char *err, size_t errlen)
{
	int pipes[RUNNER_PIPES][2], e = 0, out_wr = -1;
	int *phase = pipes[0], *ack = pipes[1], *errp = pipes[2], *go = pipes[3];
	pid_t parent = getpid(), pid;
	ssize_t n;

	memset(rn, 0, sizeof(*rn));
	rn->phase_fd = -1;
	rn->ack_fd = -1;
	outlog_init(&rn->log);
	if (spec->log_path && !outlog_open(&rn->log, spec->log_path, &out_wr, err, errlen))
		return EXIT_ENVIRONMENT;
	if (spec->echo_fd > 0)
		outlog_echo(&rn->log, spec->echo_fd);
	if (!open_pipes(pipes, RUNNER_PIPES, err, errlen))
		goto fail_log;
	rn->start_mono = clock_mono_s();
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close_pipes(pipes, RUNNER_PIPES);
		goto fail_log;
	}
	if (pid == 0) {
		close(phase[0]);
		close(ack[1]);
		close(errp[0]);
		close(go[1]);
		child_exec(spec, phase[1], ack[0], errp[1], out_wr, go[0], parent);
	}
	/* the guard learns of the root (its session) before the root may
	 * exec: a SIGKILL of shmviz at any moment after the fork leaves
	 * nothing of the run unknown to the guard (the root itself dies
	 * with shmviz: PR_SET_PDEATHSIG, or no go) */
	close(go[0]);
	guard_watch(pid);
	if (write(go[1], "g", 1) != 1)
		/* cannot happen (a new pipe's buffer); the child would end
		 * at end of file all the same */
		kill(pid, SIGKILL);
	close(go[1]);
	if (out_wr >= 0)
		close(out_wr);
	/* the child makes its own session before its exec, which the read
	 * below waits for (a setpgid from here could make it a group leader
	 * first, and its setsid fail) */
	close(phase[1]);
	close(ack[0]);
	close(errp[1]);
	do {
		n = read(errp[0], &e, sizeof(e));
		if (n == (ssize_t)sizeof(e) && e < 0) {
			/* the root could not enter its cgroup: it runs on */
			rn->cgroup_err = -e;
			n = -1;
			errno = EINTR;
		}
	} while (n < 0 && errno == EINTR);
	close(errp[0]);
	rn->pid = pid;
	rn->phase_fd = phase[0];
	fcntl(rn->phase_fd, F_SETFL, O_NONBLOCK);
	/* an answer nobody reads must never block shmviz */
	rn->ack_fd = ack[1];
	fcntl(rn->ack_fd, F_SETFL, O_NONBLOCK);
	if (n == (ssize_t)sizeof(e)) {
		int status;

		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		guard_unwatch(pid);
		close(rn->phase_fd);
		rn->phase_fd = -1;
		close(rn->ack_fd);
		rn->ack_fd = -1;
		rn->pid = 0;
		if (e == ENOENT && strchr(spec->argv[0], '/') &&
		    access(spec->argv[0], F_OK) == 0)
			/* the file is there: its #! interpreter is not */
			snprintf(err, errlen, "%s: cannot run it: the interpreter on its #! line is missing",
				 spec->argv[0]);
		else
			snprintf(err, errlen, "%s: %s", spec->argv[0], e == ENOENT ?
				 "command not found" : strerror(e));
		outlog_close(&rn->log);
		return e == ENOENT ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE;
	}
	return 0;
fail_log:
	if (out_wr >= 0)
		close(out_wr);
	outlog_close(&rn->log);
	return EXIT_ENVIRONMENT;
}

bool runner_reap(struct runner *rn)
{
	bool root_now = false;

	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid <= 0)
			break;
		if (rn->pid && pid == rn->pid && !rn->exited) {
			rn->exited = true;
			rn->status = status;
			rn->end_mono = clock_mono_s();
			root_now = true;
		}
	}
	return root_now;
}

/* every descendant of shmviz: the run's tree and anything reparented */
static size_t members(pid_t **out)
{
	pid_t self = getpid();
	size_t n = 0;

	if (tree_descendants(&self, 1, out, &n) != 0) {
		*out = NULL;
		return 0;
	}
	return n;
}

bool runner_tree_alive(const struct runner *rn)
{
	pid_t *pids;
	size_t n = members(&pids);
	bool alive = false;

	for (size_t i = 0; i < n; i++) {
		char path[64], buf[256];

		/* zombies wait for our reaping; they are not alive */
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pids[i]);
		if (readfile(AT_FDCWD, path, buf, sizeof(buf)) > 0) {
			char *rp = strrchr(buf, ')');

			if (rp && rp[1] == ' ' && rp[2] != 'Z' && rp[2] != 'X') {
				alive = true;
				break;
			}
		}
	}
	free(pids);
	(void)rn;
	return alive;
}

/* sems: the semaphores the members have mapped are added to it first */
static void signal_tree(const struct runner *rn, int sig,
			struct guard_sems *sems)
{
	pid_t *pids;
	size_t n;

	n = members(&pids);
	for (size_t i = 0; sems && i < n; i++)
		guard_sems_collect(sems, pids[i]);
	if (rn->pid > 0)
		kill(-rn->pid, sig);
	for (size_t i = 0; i < n; i++)
		kill(pids[i], sig);
	free(pids);
}

void runner_signal(const struct runner *rn, int sig)
{
	signal_tree(rn, sig, NULL);
}

void runner_stop(struct runner *rn, int grace_ms)
{
	struct timespec ts = { 0, 10L * 1000 * 1000 };
	struct guard_sems sems = { .n = 0 };
	int waited = 0;
	bool killed = false;

	signal_tree(rn, SIGTERM, &sems);
	for (;;) {
		runner_reap(rn);
		if ((rn->exited || !rn->pid) && !runner_tree_alive(rn))
			break;
		if (!killed && waited >= grace_ms) {
			signal_tree(rn, SIGKILL, &sems);
			killed = true;
		}
		/* a process in uninterruptible sleep dies when it wakes; do
		 * not wait for it forever */
		if (killed && waited >= grace_ms + 5000)
			break;
		if (killed)
			signal_tree(rn, SIGKILL, NULL);
		/* a member writing as it ends must not block on a full pipe */
		outlog_drain(&rn->log, SIZE_MAX);
		nanosleep(&ts, NULL);
		waited += 10;
	}
	runner_reap(rn);
	/* what a resource tracker ended before its clean-up left (a pool's
	 * semaphores); those it did unlink are gone already */
	guard_sems_unlink(&sems);
	runner_finish(rn);
	outlog_close(&rn->log);
}

void runner_finish(struct runner *rn)
{
	if (rn->phase_fd >= 0)
		close(rn->phase_fd);
	rn->phase_fd = -1;
	if (rn->ack_fd >= 0)
		close(rn->ack_fd);
	rn->ack_fd = -1;
}

