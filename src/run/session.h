/*
 * session.h - the event loop: runs the planned runs one after the other,
 * samples each while it runs, feeds the phase protocol into the model and
 * tells the sink. One loop for the TUI and for headless recording.
 *
 * Signals (SIGINT, SIGTERM, SIGHUP, SIGCHLD) arrive through a signalfd, so
 * the loop is the only place that reacts to them: an interrupted session
 * stops the running tree (SIGTERM, then SIGKILL after a grace), unlinks
 * any segment the workload announced, and returns 128 + the signal.
 */
#ifndef SHMVIZ_SRC_SESSION_H
#define SHMVIZ_SRC_SESSION_H

#if !defined(SHMVIZ_USES_RUN) && !defined(SHMVIZ_USES_ALL)
#error "src/run/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "src/core/model.h"
#include "src/core/sink.h"
#include "src/run/runner.h"

#define SESSION_ARGV_MAX 256

/* How to start one run. */
struct run_plan {
	char *argv[SESSION_ARGV_MAX];  /* NULL-ended; strings owned by the plan */
	char *path;                    /* file to execute, NULL: execvp */
	char *log_path;                /* child output, NULL: /dev/null;
	                                  its directory is removed by
	                                  run_plan_finish() when empty */
	bool default_sigpipe;
	int death_signal;              /* to the root when shmviz dies; 0:
	                                  SIGKILL */
	bool expect_result;            /* the program must report its sum
	                                  and the expected one (native,
	                                  python): a run without is failed */
	char first_phase[MODEL_NAME_MAX]; /* opened at the start ("run" for
	                                     a command), or empty */	bool pass_status;              /* -- CMD: shmviz exits with the
	                                  command's status */
	int attach_pid;                /* --attach: the root of a tree that
	                                  runs already (no argv), 0: none */
	double duration_s;             /* --duration, 0: until the root
	                                  exits */
};

void run_plan_finish(struct run_plan *p);

struct session {
	struct model *model;
	struct run_plan plans[MODEL_MAX_RUNS];
	struct sink sink;
	/* the interval and the budget are the model's (config.interval_ms,
	 * config.budget_pct, set from the options with the plans): the
	 * sampler is made with them, and +/- changes both, in one place
	 * (change_interval) */
	int grace_ms;           /* SIGTERM to SIGKILL when stopping a tree */
	int repeat;             /* rounds (--repeat), 0 or 1: one */
	int echo_fd;            /* --show-output: the runs' output is
	                           written here too as it comes; -1: none */
	bool mappings;          /* --mappings: snapshots of smaps groups at
	                           phase boundaries and in the hold */
	bool lesson;            /* --lesson: at each phase boundary the run's
	                           tree is stopped (SIGSTOP) until the sink
	                           says SINK_CMD_LESSON_GO; the pause is left
	                           out of the run's timeline */
	/* filled by session_run() */
	char error[512];        /* why the session ended early, if it did */
	char kpeak_why[256];    /* why the runs had no kernel peak (their
	                           cgroup), "" when they had one: said once */
	bool started;           /* the sink was told SINK_START: a recording
	                           has its header, and may be committed */
};

/* Blocks SIGINT, SIGTERM, SIGHUP and SIGCHLD (SIGHUP not when it was
 * inherited as ignored, as under nohup) and ignores SIGPIPE and SIGXFSZ
 * (EPIPE and EFBIG are write errors like others). main() calls
 * it first of all, so a signal during start-up stays pending for the loop
 * instead of killing shmviz half-way (a temporary file, a segment left).
 * Returns 0 or -errno. */
int session_signals_block(void);

/* Blocks the same signals and opens the signalfd the loop reads; call
 * before any child is started. Returns the fd or -errno. */
int session_signals_init(void);

/* Runs every planned run of s->model in order, then waits for the sink to
 * quit if it stays. Returns the exit status (cli.h). */
int session_run(struct session *s, int sigfd);

#endif
