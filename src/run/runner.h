/*
 * runner.h - starting a run's root process and ending its whole tree.
 *
 * The root runs in a session of its own (setsid: no controlling terminal,
 * so a program cannot write to shmviz's screen through /dev/tty; the
 * session id is the root's pid), with the phase protocol's
 * pipe as SHMVIZ_PHASE_FD, stdin from /dev/null and its output through a
 * pipe into a log file, bounded (outlog.h); no other descriptor of shmviz reaches it (everything else is
 * close-on-exec), and GUARD_ENV=<token> in its environment (guard.h). It
 * dies with shmviz (PR_SET_PDEATHSIG); its descendants are ended by the
 * guard then. shmviz is a child subreaper, so descendants orphaned inside
 * the tree come back to it and are reaped, never left behind.
 */
#ifndef SHMVIZ_SRC_RUNNER_H
#define SHMVIZ_SRC_RUNNER_H

#if !defined(SHMVIZ_USES_RUN) && !defined(SHMVIZ_USES_ALL)
#error "src/run/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "src/run/outlog.h"

struct runner_spec {
	char *const *argv;      /* argv[0] is the program */
	const char *path;       /* the file to execute; NULL: execvp(argv[0]) */
	const char *log_path;   /* stdout and stderr; NULL: /dev/null */
	int echo_fd;            /* > 0: the log's bytes also written there
	                           (--show-output); 0 or -1: none */
	bool default_sigpipe;   /* restore SIGPIPE (user programs) */
	int death_signal;       /* sent to the root when shmviz dies;
	                           0: SIGKILL */
	int cgroup_fd;          /* cgroup.procs of the run's cgroup, which
	                           the root writes itself into before its
	                           exec (cgrun.h); -1: none */
	bool lesson;            /* --lesson: SHMVIZ_LESSON=1 in its
	                           environment (docs/protocol.md) */
};

struct runner {
	pid_t pid;              /* the root, 0 when none */
	int phase_fd;           /* read end of the phase pipe, non-blocking */
	int ack_fd;             /* write end of the checkpoints' answer,
	                           non-blocking (docs/protocol.md) */
	bool exited;
	int status;             /* wait status of the root */
	double start_mono;      /* CLOCK_MONOTONIC of the fork, s */
	double end_mono;        /* of the root's exit */
	int cgroup_err;         /* errno of the root's move into its
	                           cgroup, 0: moved (or none asked) */
	struct outlog log;      /* its output (log.in: the pipe to drain,
	                           -1 when it has no log) */
};

/* Starts the root. Returns 0, or an exit status (127 not found, 126 not
 * executable, 4 environment) with one line in err. */
int runner_start(struct runner *rn, const struct runner_spec *spec,
		 char *err, size_t errlen);

/* Reaps every child that has ended (the root and reparented orphans)
 * without blocking. Returns true when the root has just exited. */
bool runner_reap(struct runner *rn);

/* Whether any process of the tree (the root's group, or a child of
 * shmviz) is still alive. */
bool runner_tree_alive(const struct runner *rn);

/* Ends the tree: SIGTERM to every member, SIGKILL to what is left after
 * grace_ms, and reaps all, draining its output meanwhile. Closes the phase
 * pipe and the log (its tail written). */
void runner_stop(struct runner *rn, int grace_ms);

/* Sends sig to every process of the run's tree (--lesson: SIGSTOP,
 * SIGCONT). */
void runner_signal(const struct runner *rn, int sig);

/* Closes the phase pipe (after the root was reaped); pid, exited and
 * status stay for the caller to read. */
void runner_finish(struct runner *rn);

#endif
