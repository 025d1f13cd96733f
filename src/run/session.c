/*
 * session.c - the one event loop of shmviz (see session.h).
 *
 * poll(2) waits on the signalfd, the running workload's phase pipe and the
 * sink's input, with a timeout to the next sampling tick, an attached
 * run's --duration deadline (whichever comes first), or the sink's own
 * redraw; with nothing running and no redraw asked for it blocks
 * without a timeout, so an idle shmviz costs no CPU.
 *
 * A run ends when its root has exited and its tree is empty (or a second
 * after the root's exit, when leftovers are stopped); its result comes from
 * the phase protocol and from getrusage(RUSAGE_CHILDREN) around the run.
 */
#include "src/run/session.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probes/stat.h"
#include "src/core/limits.h"
#include "src/core/mapgroups.h"
#include "src/core/protocol.h"
#include "src/run/cgrun.h"
#include "src/run/guard.h"
#include "src/run/preflight.h"
#include "src/sample/mapsnap.h"
#include "src/sample/sampler.h"
#include "src/util/clock.h"
#include "src/util/exits.h"
#include "src/util/text.h"
#include "src/util/waitstatus.h"

/* after the root exits, leftovers get this long to end on their own */
#define LINGER_S 1.0

/* The phase protocol is throttled, so that a program writing it as fast as
 * it can costs shmviz little and cannot starve the sampling: bytes read a
 * second (a token bucket; a writer beyond it waits on the full pipe), and
 * phase changes ("phase", "end") and "role" lines kept a second, each with
 * a burst of the same size; those beyond are dropped and counted
 * (runs[].protocol_dropped). A phase change samples at once: at most
 * PHASES_PER_S extra samples a second. At a run's end what the pipe still
 * holds is read, up to PROTO_FINAL_BYTES. */
#define PROTO_BYTES_PER_S (256.0 * 1024)
#define PHASES_PER_S 20.0
#define ROLES_PER_S 512.0
#define PROTO_FINAL_BYTES (1024 * 1024)

/* the share of the CPU budget a tick's fixed work (counters, model,
 * recording or drawing) may take; ticks are spaced out beyond it */
#define TICK_BUDGET_SHARE 0.75
/* the ticks, and the time, a checkpoint waits for a sample of one moment
 * before it is answered all the same (a tree that never stands still) */
#define CHECKPOINT_TICKS 10
#define CHECKPOINT_WAIT_S 1.0

#define LESSON_QUEUE 64

/* The loop's state, one part a concern (docs/architecture.md rule 14) */

/* the run in progress (start_run(), finish_results()) */
struct loop_run {
	double root_exit;       /* CLOCK_MONOTONIC of the root's exit, or 0 */
	struct rusage ru_before;
	int fail_status;        /* exit status owed to a failed run */
	int root_fd;            /* --attach: a pidfd of the watched root,
	                           readable when it exits; -1 */
	uint64_t root_start;    /* --attach without pidfds: the root's start
	                           time, checked every tick */
};

/* the ticks' schedule (tick()) */
struct loop_ticks {
	double next;            /* CLOCK_MONOTONIC, s */
	bool now;               /* a phase began: sample without waiting */
	double cost;            /* CPU s of a tick without its smaps reads
	                           (moving average) */
	bool spaced;            /* ticks are spaced out beyond the interval
	                           for their cost: a phase boundary waits for
	                           the next one (which reads it) */
};

/* checkpoints (tick(), answer_checkpoints()) */
struct loop_ack {
	unsigned owed;          /* to answer after the next tick of one moment */
	unsigned waits;         /* ticks they waited for one (CHECKPOINT_TICKS) */
	double since;           /* CLOCK_MONOTONIC of the first of those ticks */
	bool sweep_next;        /* a checkpoint waits: the next tick sweeps */
};

/* the phase protocol's token buckets (refill(), PROTO_BYTES_PER_S) */
struct loop_throttle {
	double bytes, phases, roles, refill_t;
};

/* --repeat (keep_round(), save_round(), next_round()) */
struct loop_rounds {
	size_t pos;             /* position of cur in the round's order */
	bool saved;             /* the round's figures are in runs[].rounds */
	struct run *kept[MODEL_ROUNDS_MAX]; /* each ended round's runs (nruns
	                           each), until the median is shown */
};

/* the mappings snapshots' schedule (mappings_snapshot()) */
struct loop_maps {
	bool now;               /* a view asked for a snapshot at once
	                           (SINK_MAPS_NOW): until one is taken */
	double t;               /* run time of the last snapshot of this run,
	                           < 0: none */
	double cost;            /* CPU s of the last one */
};

/* --lesson's stops and the p key (lesson_*()) */
struct loop_lesson {
	bool due;               /* a phase began, stop after its tick */
	bool stopped;           /* the tree is stopped, waiting for the sink */
	double since;           /* CLOCK_MONOTONIC of the stop */
	double paused;          /* the run's time stood still so far, s */
	double last_since;      /* the last stop let go: when it began */
	double last_paused;     /* and how long the clock was moved by it */
	/* lines read after a boundary's phase line, held until the sink
	 * lets that boundary go: each later boundary is shown in turn */
	char *q[LESSON_QUEUE];
	double q_paused[LESSON_QUEUE]; /* paused when read */
	size_t qn;
};

struct loop {
	struct session *s;
	struct model *m;
	struct sampler *sampler;
	struct runner rn;
	struct cgrun cg;        /* the run's memory cgroup, its peak */
	struct proto_reader pr;
	int sigfd;
	size_t cur;             /* the run in progress or next to start */
	bool active;
	bool attached;          /* the run watches a tree it did not start */
	bool idle_told;
	bool sink_failed;
	struct loop_run run;
	struct loop_ticks ticks;
	struct loop_ack ack;
	struct loop_throttle throttle;
	struct loop_rounds rounds;
	struct loop_maps maps;
	struct loop_lesson lesson;
};

/* --repeat: the run at position pos of the round. Odd rounds run in the
 * reverse order, so that no run always comes first (a cold cache, a
 * machine that warms up). */
static size_t run_at(const struct loop *l, size_t pos)
{
	return l->m->round % 2 ? l->m->nruns - 1 - pos : pos;
}

static void advance(struct loop *l)
{
	l->rounds.pos++;
	l->cur = l->rounds.pos < l->m->nruns ? run_at(l, l->rounds.pos) : l->m->nruns;
}

void run_plan_finish(struct run_plan *p)
{
	for (size_t i = 0; i < SESSION_ARGV_MAX && p->argv[i]; i++)
		free(p->argv[i]);
	free(p->path);
	if (p->log_path) {
		char *slash = strrchr(p->log_path, '/');

		/* the session's log directory goes when no run wrote there */
		if (slash && slash != p->log_path) {
			*slash = '\0';
			rmdir(p->log_path);
		}
	}
	free(p->log_path);
	memset(p, 0, sizeof(*p));
}

static void stop_signals(sigset_t *set)
{
	struct sigaction old;

	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGCHLD);
	/* under nohup SIGHUP stays ignored; it is not blocked, so it is
	 * discarded rather than queued */
	if (sigaction(SIGHUP, NULL, &old) != 0 || old.sa_handler != SIG_IGN)
		sigaddset(set, SIGHUP);
}

int session_signals_block(void)
{
	sigset_t set;

	stop_signals(&set);
	/* a reader that went away is an EPIPE on write, not a death; a file
	 * over `ulimit -f` is an EFBIG, reported as any write error */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	return sigprocmask(SIG_BLOCK, &set, NULL) != 0 ? -errno : 0;
}

int session_signals_init(void)
{
	sigset_t set;
	int fd;

	stop_signals(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -errno;
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

static bool tell(struct loop *l, enum sink_event ev, const struct run *r)
{
	if (l->sink_failed)
		return false;
	if (!l->s->sink.ops->update(l->s->sink.ctx, l->m, ev, r)) {
		l->sink_failed = true;
		return false;
	}
	return true;
}

static void handle_line(struct loop *l, const char *line, double shift);

static double run_time(const struct run *r, double mono)
{
	double t = mono - r->started_mono;

	return t < 0 ? 0 : t;
}

/* The run time of a protocol line: its own time stamp (mono, < 0: none),
 * else now; kept between the last phase boundary and now, so that a stamp
 * of the future (another clock's: time.time()) or of before the phase in
 * progress began leaves the phases in order, each ending after it began,
 * as a recording's reader requires (docs/protocol.md) */
static double line_time(const struct run *r, double mono)
{
	double now = run_time(r, proto_now());
	double t = mono >= 0 ? run_time(r, mono) : now;
	double floor = 0;

	if (r->nphases) {
		const struct phase *p = &r->phases[r->nphases - 1];

		floor = p->end_s >= 0 ? p->end_s : p->start_s;
	}
	if (t > now)
		t = now;
	return t < floor ? floor : t;
}

/* --lesson: whether line ends the phase in progress (a phase or an end
 * line, while one is open): a boundary the lesson stops at */
static bool lesson_boundary(const struct loop *l, const char *line)
{
	const struct run *r = &l->m->runs[l->cur];
	struct proto_msg msg;

	return l->s->lesson && r->nphases &&
	       r->phases[r->nphases - 1].end_s < 0 && proto_parse(line, &msg) &&
	       (msg.kind == PROTO_PHASE || msg.kind == PROTO_END);
}

static void on_line(void *ctx, const char *line)
{
	struct loop *l = ctx;

	/* --lesson: a line that ends a phase waits, and the lines after it,
	 * until the phase that ended has been shown (lesson_stop) and let
	 * go (lesson_go) */
	if (l->s->lesson && (l->lesson.due || l->lesson.stopped ||
			     lesson_boundary(l, line)) &&
	    l->lesson.qn < LESSON_QUEUE) {
		char *copy = strdup(line);

		if (copy) {
			if (!l->lesson.due && !l->lesson.stopped)
				l->lesson.due = true;
			l->lesson.q_paused[l->lesson.qn] = l->lesson.paused;
			l->lesson.q[l->lesson.qn++] = copy;
			return;
		}
	}
	handle_line(l, line, 0);
}

/* --lesson: a root that ended while its tree was stopped (the stop came
 * as it exited: nothing of it stood still after its end) moved the run's
 * clock by the whole stop; only the part before end counts */
static void lesson_unshift(struct loop *l, struct run *r, double end)
{
	double kept, over;

	if (l->lesson.last_paused <= 0 ||
	    end >= l->lesson.last_since + l->lesson.last_paused)
		return;
	kept = end > l->lesson.last_since ? end - l->lesson.last_since : 0;
	over = l->lesson.last_paused - kept;
	r->started_mono -= over;
	l->rn.start_mono -= over;
	l->lesson.last_paused = kept;
}

static void tick(struct loop *l);

/* The tree stands still (SIGSTOP) from now; its time is taken out of the
 * run's clock when it goes on (lesson_go) */
static void tree_stop(struct loop *l)
{
	runner_signal(&l->rn, SIGSTOP);
	l->lesson.stopped = true;
	l->lesson.since = proto_now();
}

/* how many samples a stopped tree is given to show one moment, and how
 * long it is left between two of them */
#define STOP_SAMPLES 4
#define STOP_RETRY_S 0.03

/* A sample of the tree that stands still, bounded: one moment (a member
 * may still finish a system call after the SIGSTOP: sampled again, at
 * most STOP_SAMPLES times, until its counters hold still) */
/* whether the tick just taken is one moment of the tree: its own frame's
 * total (points[] merge ticks once a run is long: a merged point may keep
 * a flag of an earlier tick) */
static bool tick_one_moment(const struct run *r)
{
	return r->nframes && r->frames[r->nframes - 1].total.consistent;
}

static void stopped_sample(struct loop *l)
{
	const struct run *r = &l->m->runs[l->cur];

	for (int i = 0; i < STOP_SAMPLES; i++) {
		l->ticks.now = true;
		tick(l);
		if (l->sink_failed || tick_one_moment(r))
			break;
		/* a member still tearing its memory down (an exit that a
		 * SIGSTOP does not stop: the exit phase's stop, its counters
		 * 0 and its pages still mapped) is done within milliseconds:
		 * the next try waits STOP_RETRY_S (without, a sanitizer
		 * build's exit stop found four samples of the teardown and
		 * showed the hold's) */
		if (i + 1 < STOP_SAMPLES) {
			struct timespec ts = { 0, (long)(STOP_RETRY_S * 1e9) };

			nanosleep(&ts, NULL);
		}
	}
}

static void lesson_flush(struct loop *l, bool drop);

/* The run time of the boundary held line i stands for: its own time
 * stamp, else now */
static double held_time(const struct loop *l, size_t i)
{
	const struct run *r = &l->m->runs[l->cur];
	struct proto_msg msg;

	if (i < l->lesson.qn && proto_parse(l->lesson.q[i], &msg) && msg.t >= 0)
		return line_time(r, msg.t + l->lesson.paused - l->lesson.q_paused[i]);
	return line_time(r, -1);
}

/* The newest bounded sample of the phase in progress taken by t_end (the
 * boundary): the phase as it ended, the moment a checkpoint just before
 * the boundary line asked for. Sets *t_out; false: none. */
static bool phase_end_sample(const struct loop *l, double t_end, double *t_out)
{
	const struct run *r = &l->m->runs[l->cur];
	const struct phase *ph = run_phase_current(r);

	for (size_t i = r->npoints; ph && i-- > 0;) {
		const struct point *p = &r->points[i];

		if (p->t < ph->start_s)
			break;
		if (p->consistent && p->t <= t_end) {
			*t_out = p->t;
			return true;
		}
	}
	return false;
}

/* --lesson: the sample the stop at held line i shows: the phase's end if
 * one was sampled, else the tree standing still (stopped already) */
static void lesson_show(struct loop *l, size_t i)
{
	const struct run *r = &l->m->runs[l->cur];

	l->m->lesson_end_t = held_time(l, i);
	if (!phase_end_sample(l, l->m->lesson_end_t, &l->m->lesson_t)) {
		stopped_sample(l);
		l->m->lesson_t = r->npoints ? r->points[r->npoints - 1].t : -1;
	}
}

/* --lesson: a line ending a phase was read (and held): the tree stops,
 * and the phase that ended is shown in a bounded sample, with its caption,
 * until the sink lets it go: the one a checkpoint took just before the
 * line (SHMVIZ_LESSON, docs/protocol.md), else one of the tree standing
 * still. A root that exited as it wrote the line (its end) is shown so
 * too, what is left of its tree stopped. */
static void lesson_stop(struct loop *l)
{
	l->lesson.due = false;
	if (!l->active) {
		lesson_flush(l, false);
		return;
	}
	if (!l->lesson.stopped)
		tree_stop(l);
	lesson_show(l, 0);
	l->m->lesson_wait = true;
	tell(l, SINK_REDRAW, NULL);
}

/* --lesson: the held lines, handled in order without stopping (the run
 * ends), or only freed (drop) */
static void lesson_flush(struct loop *l, bool drop)
{
	for (size_t i = 0; i < l->lesson.qn; i++) {
		if (!drop)
			handle_line(l, l->lesson.q[i], l->lesson.paused - l->lesson.q_paused[i]);
		free(l->lesson.q[i]);
	}
	l->lesson.qn = 0;
	l->lesson.due = false;
}

/* --lesson: the boundary shown is let go; the time the tree stood still is
 * left out of the run's timeline (its clock starts that much later). The
 * lines held meanwhile are handled in order: the first ends the phase
 * shown; at the next boundary among them the tree, still stopped, shows
 * the phase that ends there and waits again; else it goes on. all: handle
 * every held line and go on (the run ends). Also the end of a pause
 * (SINK_CMD_HALT), without held lines. */
static void lesson_go(struct loop *l, bool all)
{
	double paused;
	bool first = true;

	if (!l->lesson.stopped)
		return;
	paused = proto_now() - l->lesson.since;
	l->lesson.last_since = l->lesson.since;
	l->lesson.last_paused = paused;
	l->m->runs[l->cur].started_mono += paused;
	l->rn.start_mono += paused;
	l->ticks.next += paused;
	l->lesson.paused += paused;
	l->lesson.due = false;
	while (l->lesson.qn) {
		char *line = l->lesson.q[0];
		double shift = l->lesson.paused - l->lesson.q_paused[0];

		if (!first && !all && lesson_boundary(l, line)) {
			/* the next boundary, while the tree stands still */
			l->lesson.since = proto_now();
			lesson_show(l, 0);
			return;
		}
		first = false;
		l->lesson.qn--;
		memmove(l->lesson.q, l->lesson.q + 1, l->lesson.qn * sizeof(l->lesson.q[0]));
		memmove(l->lesson.q_paused, l->lesson.q_paused + 1,
			l->lesson.qn * sizeof(l->lesson.q_paused[0]));
		handle_line(l, line, shift);
		free(line);
	}
	l->lesson.due = false;
	l->lesson.stopped = false;
	l->m->lesson_wait = false;
	l->m->halted = false;
	runner_signal(&l->rn, SIGCONT);
}

/* A segment the run announced: taken only for a file of the run's own,
 * made since it began and held by a process of the tree that owns it,
 * never another's, which the end would unlink (preflight_shm_claim()).
 * Who may hold it: the root, then the members of the newest sample (the
 * orphans shmviz reaps among them) */
static void claim_segment(struct run *r, const char *name)
{
	enum { CLAIM_PIDS = 256 };
	struct shm_claim c = { r->segment_dev, r->segment_ino };
	pid_t tree[CLAIM_PIDS];
	size_t n = 0;
	/* the root's user now (a root that changed its user, as setpriv or
	 * su do, stands for its program), or as it started if it is gone */
	long long uid = preflight_proc_uid(r->root);

	/* announced again: a claim reads the tree's descriptors and maps */
	if (r->segment[0] && strcmp(name, r->segment) == 0 && preflight_shm_is(name, &c))
		return;
	tree[n++] = r->root;
	if (r->nframes) {
		const struct frame *f = &r->frames[r->nframes - 1];

		for (size_t i = 0; i < f->n && n < CLAIM_PIDS; i++)
			if (r->rows[f->first + i].pid != r->root)
				tree[n++] = r->rows[f->first + i].pid;
	}
	if (preflight_shm_claim(name, uid >= 0 ? uid : r->root_uid, tree, n, r->started_real,
				&c)) {
		snprintf(r->segment, sizeof(r->segment), "%s", name);
		r->segment_dev = c.dev;
		r->segment_ino = c.ino;
	}
}

/* A result line: sum and expected as given; the others only within what a
 * recording holds (src/core/limits.h), so that shmviz reads back what it
 * wrote */
static void take_result(struct run *r, const struct proto_msg *msg)
{
	double v = msg->value;

	if (strcmp(msg->name, "sum") == 0 && fabs(v) <= REC_SUM_MAX) {
		r->result.sum = v;
		r->result.have_sum = true;
	} else if (strcmp(msg->name, "expected") == 0 && fabs(v) <= REC_SUM_MAX) {
		r->result.expected = v;
		r->result.have_expected = true;
	} else if (strcmp(msg->name, "compute_cpu_s") == 0 && v > 0 &&
		   v <= REC_TIME_MAX) {
		r->result.compute_cpu_s = v;
	} else if (strcmp(msg->name, "tracemalloc_peak_kb") == 0 && v >= 0 &&
		   v <= REC_KB_MAX) {
		r->result.have_tracemalloc = true;
		r->result.tracemalloc_peak_kb = v;
	} else if (strcmp(msg->name, "data_kb") == 0 && v >= 0 && v <= REC_KB_MAX) {
		r->result.have_data = true;
		r->result.data_kb = v;
	} else if (strcmp(msg->name, "workers") == 0 && v >= 0 &&
		   v <= REC_WORKERS_MAX) {
		r->workers = (int)v;
	}
}

/* One protocol line; shift: what to add to its own time stamp (the time
 * the run stood still, --lesson, since the line was read) */
static void handle_line(struct loop *l, const char *line, double shift)
{
	struct run *r = &l->m->runs[l->cur];
	struct proto_msg msg;
	double t;

	if (!proto_parse(line, &msg))
		return;
	t = line_time(r, msg.t >= 0 ? msg.t + shift : -1);
	if (msg.kind == PROTO_PHASE || msg.kind == PROTO_END ||
	    msg.kind == PROTO_CHECKPOINT) {
		if (l->throttle.phases < 1) {
			r->proto_dropped++;
			return;
		}
		l->throttle.phases -= 1;
	} else if (msg.kind == PROTO_ROLE) {
		if (l->throttle.roles < 1) {
			r->proto_dropped++;
			return;
		}
		l->throttle.roles -= 1;
	}
	switch (msg.kind) {
	case PROTO_PHASE: {
		char name[MODEL_NAME_MAX];

		text_sanitize(name, sizeof(name), msg.name, strlen(msg.name), false);
		/* the kernel's peak of the phase that ends here */
		cgrun_boundary(&l->cg, r);
		run_phase_begin(r, name, t);
		tell(l, SINK_PHASE, r);
		/* memory changes at phase boundaries: sample there too, so a
		 * phase shorter than the interval still shows its peak */
		l->ticks.now = true;
		break;
	}
	case PROTO_CHECKPOINT:
		/* the program holds a moment it wants seen (its peak): sample
		 * at once, and answer once the sample is taken
		 * (docs/protocol.md, "Checkpoints") */
		l->ticks.now = true;
		if (l->ack.owed < 4096)
			l->ack.owed++;
		break;
	case PROTO_END:
		cgrun_boundary(&l->cg, r);
		run_phase_end(r, t);
		tell(l, SINK_PHASE, r);
		break;
	case PROTO_ROLE: {
		enum proc_role role;

		if (model_role_parse(msg.name, &role) && role != ROLE_PARENT)
			sampler_set_role(l->sampler, msg.pid, role);
		break;
	}
	case PROTO_SEGMENT:
		claim_segment(r, msg.name);
		break;
	case PROTO_UNLINKED:
		if (strcmp(msg.name, r->segment) == 0)
			r->segment[0] = '\0';
		break;
	case PROTO_RESULT:
		take_result(r, &msg);
		break;
	case PROTO_FAIL:
		text_sanitize(r->cause, sizeof(r->cause), msg.text,
			      strlen(msg.text), false);
		break;
	case PROTO_UNKNOWN:
		break;
	}
}

static double fill(double tokens, double rate, double dt)
{
	tokens += rate * dt;
	return tokens > rate ? rate : tokens;
}

static void refill(struct loop *l)
{
	double now = proto_now(), dt = now - l->throttle.refill_t;

	if (dt <= 0)
		return;
	l->throttle.refill_t = now;
	l->throttle.bytes = fill(l->throttle.bytes, PROTO_BYTES_PER_S, dt);
	l->throttle.phases = fill(l->throttle.phases, PHASES_PER_S, dt);
	l->throttle.roles = fill(l->throttle.roles, ROLES_PER_S, dt);
}

static void reset_budget(struct loop *l)
{
	l->throttle.refill_t = proto_now();
	l->throttle.bytes = PROTO_BYTES_PER_S;
	l->throttle.phases = PHASES_PER_S;
	l->throttle.roles = ROLES_PER_S;
}

/* Whether the phase pipe may be read now (else it waits for the bucket). */
static bool phase_readable(struct loop *l)
{
	refill(l);
	return l->rn.phase_fd >= 0 && l->throttle.bytes >= 1;
}

/* Reads the phase pipe within the budget (final: what is left, at a run's
 * end). */
static void drain_phase(struct loop *l, bool final)
{
	size_t n = 0;
	int rc;

	if (l->rn.phase_fd < 0)
		return;
	refill(l);
	if (!final && l->throttle.bytes < 1)
		return;
	rc = proto_read(&l->pr, l->rn.phase_fd,
			final ? PROTO_FINAL_BYTES : (size_t)l->throttle.bytes, &n,
			on_line, l);
	l->throttle.bytes -= (double)n;
	if (rc <= 0) {
		close(l->rn.phase_fd);
		l->rn.phase_fd = -1;
	}
}

/* --attach: the run watches a tree that runs already. Nothing is sent
 * to it: no signal, no ptrace, no guard (docs/architecture.md,
 * "Attaching"). A pidfd (which only reads) says when its root exits. */
static bool start_attached(struct loop *l, struct run *r, pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct proc_stat st;

	/* a kernel (or valgrind) without pidfds: the root's stat, whose
	 * start time tells it from a process that took its pid later */
	l->run.root_start = 0;
	if (fd < 0 && errno == ENOSYS) {
		int rc = stat_read(pid, &st);

		if (rc == 0 && st.state != 'Z' && st.state != 'X') {
			l->run.root_start = st.start_ticks;
		} else {
			errno = rc == 0 ? ESRCH : -rc;
		}
	}
	if (fd < 0 && !l->run.root_start) {
		r->state = RUN_FAILED;
		snprintf(r->cause, sizeof(r->cause), "process %d %s", (int)pid,
			 errno == ESRCH ? "has exited" : strerror(errno));
		if (!l->run.fail_status)
			l->run.fail_status = EXIT_RUN_FAILED;
		tell(l, SINK_RUN_BEGIN, r);
		tell(l, SINK_RUN_END, r);
		advance(l);
		return false;
	}
	if (fd >= 0)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	l->run.root_fd = fd;
	l->attached = true;
	memset(&l->rn, 0, sizeof(l->rn));
	l->rn.phase_fd = -1;
	l->rn.ack_fd = -1;
	outlog_init(&l->rn.log);
	l->rn.start_mono = proto_now();
	return true;
}

static void start_run(struct loop *l)
{
	struct run *r = &l->m->runs[l->cur];
	const struct run_plan *p = &l->s->plans[l->cur];
	struct runner_spec spec = {
		.argv = p->argv,
		.path = p->path,
		.log_path = p->log_path,
		.echo_fd = l->s->echo_fd,
		.default_sigpipe = p->default_sigpipe,
		.death_signal = p->death_signal,
		.cgroup_fd = -1,
		.lesson = l->s->lesson,
	};
	char err[256];
	int rc;

	/* a checkpoint of the run before is nothing to this one */
	l->ack.owed = 0;
	l->ack.waits = 0;
	l->ack.sweep_next = false;
	run_reset(r);
	r->state = RUN_RUNNING;
	memset(&l->pr, 0, sizeof(l->pr));
	reset_budget(l);
	getrusage(RUSAGE_CHILDREN, &l->run.ru_before);
	l->attached = false;
	if (p->attach_pid) {
		if (!start_attached(l, r, p->attach_pid))
			return;
		cgrun_attach(&l->cg, r, p->attach_pid);
		rc = 0;
	} else {
		spec.cgroup_fd = cgrun_begin(&l->cg, r);
		rc = runner_start(&l->rn, &spec, err, sizeof(err));
		cgrun_started(&l->cg, r, rc ? 0 : l->rn.cgroup_err);
		if (rc)
			cgrun_end(&l->cg, r);
	}
	if (rc != 0) {
		r->state = RUN_FAILED;
		text_sanitize(r->cause, sizeof(r->cause), err, strlen(err), false);
		if (!l->run.fail_status)
			l->run.fail_status = rc;
		tell(l, SINK_RUN_BEGIN, r);
		tell(l, SINK_RUN_END, r);
		advance(l);
		return;
	}
	r->root = p->attach_pid ? p->attach_pid : l->rn.pid;
	r->started_mono = l->rn.start_mono;
	/* what a segment the run announces must be newer than, and whose
	 * (preflight_shm_claim()): taken now, the root alive and no lesson
	 * pause yet in start_mono */
	r->started_real = clock_real_s() - (proto_now() - l->rn.start_mono);
	r->root_uid = preflight_proc_uid(r->root);
	/* a root started here is known to the guard already (runner_start) */
	if (p->first_phase[0])
		run_phase_begin(r, p->first_phase, 0);
	sampler_begin(l->sampler, r->root);
	sampler_count_reaped(l->sampler, !p->attach_pid,
			     (uint64_t)l->run.ru_before.ru_minflt +
			     (uint64_t)l->run.ru_before.ru_majflt);
	/* the root entered the run's cgroup before its exec: its processes
	 * are the tree's (an attached tree's cgroup is not one of ours) */
	if (!p->attach_pid && l->cg.made)
		sampler_use_cgroup(l->sampler, l->cg.dir.path, l->cg.dir.version);
	l->maps.t = -1;
	l->maps.cost = 0;
	l->active = true;
	l->run.root_exit = 0;
	l->lesson.paused = 0;
	l->lesson.last_paused = 0;
	l->ticks.cost = 0;
	l->ticks.spaced = false;
	l->ticks.next = proto_now();
	tell(l, SINK_RUN_BEGIN, r);
}

static double tv(const struct timeval *a)
{
	return (double)a->tv_sec + (double)a->tv_usec / 1e6;
}

static void finish_results(struct loop *l, struct run *r, double end_mono)
{
	struct rusage ru;
	const struct phase *hold, *compute;

	getrusage(RUSAGE_CHILDREN, &ru);
	r->result.cpu_user_s = tv(&ru.ru_utime) - tv(&l->run.ru_before.ru_utime);
	r->result.cpu_sys_s = tv(&ru.ru_stime) - tv(&l->run.ru_before.ru_stime);
	r->result.minflt = (uint64_t)(ru.ru_minflt - l->run.ru_before.ru_minflt);
	r->result.majflt = (uint64_t)(ru.ru_majflt - l->run.ru_before.ru_majflt);
	r->result.total_s = run_time(r, end_mono);
	run_phase_close(r, r->result.total_s);
	hold = run_phase_find(r, "hold");
	compute = run_phase_find(r, "compute");
	r->result.hold_s = hold && hold->end_s >= 0 ? hold->end_s - hold->start_s : 0;
	r->result.compute_s = compute && compute->end_s >= 0 ?
			      compute->end_s - compute->start_s : 0;
	r->result.wall_s = r->result.total_s - r->result.hold_s;
}

/* Ends watching an attached tree: the tree runs on as it was. Watching
 * has no failure; cause says why it ended. */
static void end_attached(struct loop *l, struct run *r, int interrupted_by,
			 bool quit)
{
	double end = l->run.root_exit ? l->run.root_exit : proto_now();

	if (l->run.root_fd >= 0)
		close(l->run.root_fd);
	l->run.root_fd = -1;
	cgrun_end(&l->cg, r);
	r->result.total_s = run_time(r, end);
	run_phase_end(r, r->result.total_s);
	r->result.wall_s = r->result.total_s;
	/* CPU time: the tree is no child of shmviz, getrusage cannot see it */
	r->result.cpu_user_s = -1;
	r->result.cpu_sys_s = -1;
	r->result.exited = false;
	r->state = RUN_DONE;
	if (interrupted_by)
		snprintf(r->cause, sizeof(r->cause), "watched until %s",
			 sigabbrev_np(interrupted_by) ? sigabbrev_np(interrupted_by) : "a signal");
	else if (quit)
		snprintf(r->cause, sizeof(r->cause), "watched until the user quit");
	else if (l->run.root_exit)
		snprintf(r->cause, sizeof(r->cause), "watched until process %d exited",
			 (int)r->root);
	else
		snprintf(r->cause, sizeof(r->cause), "watched for --duration %g s",
			 l->s->plans[l->cur].duration_s);
	sampler_get_stats(l->sampler, &l->m->sampler);
	l->active = false;
	l->attached = false;
	tell(l, SINK_RUN_END, r);
	advance(l);
}

/* The state of a run that ended and its cause; the exit status owed to
 * one that failed. interrupted_by and quit: as for end_run(). */
static void judge_run(struct loop *l, struct run *r, int interrupted_by,
		      bool quit)
{
	if (interrupted_by || quit) {
		r->state = RUN_FAILED;
		if (interrupted_by)
			snprintf(r->cause, sizeof(r->cause), "interrupted by %s",
				 sigabbrev_np(interrupted_by) ? sigabbrev_np(interrupted_by) : "a signal");
		else if (l->sink_failed)
			/* the session itself failed (no memory, a write error):
			 * say so rather than blame the user */
			snprintf(r->cause, sizeof(r->cause), "stopped: %.200s",
				 l->s->error[0] ? l->s->error :
				 "the recording could not be written");
		else {
			/* q: the user ended it, it did not fail */
			r->state = RUN_STOPPED;
			snprintf(r->cause, sizeof(r->cause), "stopped by the user");
		}
	} else if (!l->rn.exited || !WIFEXITED(l->rn.status) ||
		   WEXITSTATUS(l->rn.status) != 0) {
		r->state = RUN_FAILED;
		if (!r->cause[0]) {
			char how[128], cause[MODEL_TEXT_MAX];

			describe_wait_status(l->rn.status, how, sizeof(how));
			snprintf(cause, sizeof(cause), "the %s workload %s", r->name, how);
			memcpy(r->cause, cause, sizeof(cause));
		}
		if (l->s->plans[l->cur].pass_status && l->rn.exited) {
			/* -- CMD: its status is shmviz's, as time(1) does */
			l->run.fail_status = WIFEXITED(l->rn.status) ?
					 WEXITSTATUS(l->rn.status) :
					 128 + WTERMSIG(l->rn.status);
			/* the command ran to its end: its figures stand, and
			 * its status is in the result, not a failure of the
			 * run */
			r->state = RUN_DONE;
			r->cause[0] = '\0';
		} else if (l->rn.exited && WIFEXITED(l->rn.status) &&
		    WEXITSTATUS(l->rn.status) == EXIT_ENVIRONMENT) {
			if (!l->run.fail_status || l->run.fail_status == EXIT_RUN_FAILED)
				l->run.fail_status = EXIT_ENVIRONMENT;
		} else if (!l->run.fail_status) {
			l->run.fail_status = EXIT_RUN_FAILED;
		}
	} else if (l->s->plans[l->cur].expect_result &&
		   (!r->result.have_sum || !r->result.have_expected)) {
		/* exit 0 is not enough: a workload that never said what it
		 * computed did not do its work (an interpreter that is no
		 * Python, a script that was cut short) */
		char cause[MODEL_TEXT_MAX];

		r->state = RUN_FAILED;
		snprintf(cause, sizeof(cause), "the %s workload exited without reporting its result (%s)",
			 r->name, !r->result.have_sum ? "no sum" : "no expected sum");
		memcpy(r->cause, cause, sizeof(cause));
		if (!l->run.fail_status)
			l->run.fail_status = EXIT_RUN_FAILED;
	} else if (r->result.have_sum && r->result.have_expected &&
		   r->result.sum != r->result.expected) {
		r->state = RUN_FAILED;
		snprintf(r->cause, sizeof(r->cause), "sum %.17g, expected %.17g",
			 r->result.sum, r->result.expected);
		if (!l->run.fail_status)
			l->run.fail_status = EXIT_RUN_FAILED;
	} else {
		r->state = RUN_DONE;
		r->cause[0] = '\0';
	}
}

/* Ends the run in progress. interrupted_by: 0, or the signal that stops
 * it; quit: stopped by the user. */
static void end_run(struct loop *l, int interrupted_by, bool quit)
{
	struct run *r = &l->m->runs[l->cur];
	double end;

	drain_phase(l, true);
	/* a stopped tree hears SIGTERM only once it goes on */
	lesson_go(l, true);
	lesson_flush(l, false);
	if (l->attached) {
		end_attached(l, r, interrupted_by, quit);
		return;
	}
	runner_stop(&l->rn, l->s->grace_ms);
	/* the last peak (before the last phase is closed), then whatever
	 * escaped runner_stop ended and the cgroup removed */
	cgrun_end(&l->cg, r);
	guard_unwatch(l->rn.pid);
	end = l->rn.exited ? l->rn.end_mono : proto_now();
	/* The run ended when its root did, which is not when shmviz reaped
	 * it if shmviz was held up meanwhile (stopped by SIGTSTP, starved):
	 * the guard, which was not, saw the moment. */
	{
		double t, cand = end;

		if (l->rn.exited && guard_exit_time(l->rn.pid, &t) && t < end)
			cand = t;
		lesson_unshift(l, r, cand);
		if (cand < end && cand >= l->rn.start_mono)
			end = cand;
	}
	if (r->segment[0]) {
		/* the workload died before it could unlink its segment: the
		 * file claimed, if it is still that one */
		struct shm_claim c = { r->segment_dev, r->segment_ino };

		preflight_shm_release(r->segment, &c);
		r->segment[0] = '\0';
	}
	finish_results(l, r, end);
	r->result.exited = l->rn.exited;
	r->result.exit_status = l->rn.exited ? l->rn.status : 0;
	judge_run(l, r, interrupted_by, quit);
	sampler_get_stats(l->sampler, &l->m->sampler);
	l->active = false;
	tell(l, SINK_RUN_END, r);
	advance(l);
}

/* Snapshots of the groups of smaps mappings (docs/architecture.md,
 * "Mappings"). With --mappings: at every phase boundary (whatever the
 * budget holds: its debt is repaid by later reads) and, in the hold (or
 * all along in a run without phases), at most one a second. For the TUI: at phase boundaries, and once a second
 * while its mappings view is open. Every snapshot not forced waits until
 * the budget holds what the last one cost. */
#define MAP_PERIOD_S 1.0

/* Whether a signal that stops shmviz or the sink's input waits: a
 * snapshot of many mappings gives way to them (docs/architecture.md,
 * "Mappings"). A SIGCHLD does not count: a tree that forks and reaps all
 * the time would never get a snapshot. The stop signals are blocked and
 * read through the signalfd, so sigpending() sees them until then. */
static bool waiting(void *ctx)
{
	struct loop *l = ctx;
	int ifd = l->s->sink.ops->input_fd ? l->s->sink.ops->input_fd(l->s->sink.ctx) : -1;
	struct pollfd p = { .fd = ifd, .events = POLLIN };
	sigset_t pend;

	if (sigpending(&pend) == 0 && (sigismember(&pend, SIGINT) == 1 ||
				       sigismember(&pend, SIGTERM) == 1 ||
				       sigismember(&pend, SIGHUP) == 1))
		return true;
	return ifd >= 0 && poll(&p, 1, 0) > 0;
}

static bool mappings_snapshot(struct loop *l, struct run *r, double t,
			      bool boundary)
{
	const struct frame *f = run_frame_at(r, -1);
	const struct phase *ph = run_phase_current(r);
	/* in the hold, or all along in a run that tells no phases of its own
	 * (an attached tree, a command that does not speak the protocol:
	 * only the phase the plan opens it with) */
	const char *first = l->s->plans[l->cur].first_phase;
	bool hold = ph && (strcmp(ph->name, "hold") == 0 ||
			   (r->nphases == 1 && first[0] && strcmp(ph->name, first) == 0));
	enum sink_maps want = l->s->sink.ops->mappings ?
			      l->s->sink.ops->mappings(l->s->sink.ctx) : SINK_MAPS_NONE;
	struct mapgroups_stop stop = { waiting, l };
	struct map_snap snap;
	int rc;

	if (want == SINK_MAPS_NOW)
		l->maps.now = true;
	else if (want != SINK_MAPS_VIEW)
		l->maps.now = false;   /* the view was closed */
	if (!f || (!l->s->mappings && want == SINK_MAPS_NONE))
		return true;
	if (l->maps.now) {
		/* a view just opened: read now (its debt is repaid by reading
		 * less later), not seconds later when the budget allows */
	} else if (boundary && !l->s->mappings) {
		if (sampler_tokens(l->sampler) < l->maps.cost)
			return true;
	} else if (!boundary) {
		if (!(hold && l->s->mappings) && want != SINK_MAPS_VIEW)
			return true;
		if (l->maps.t >= 0 && t - l->maps.t < MAP_PERIOD_S)
			return true;
		if (sampler_tokens(l->sampler) < l->maps.cost)
			return true;
	}
	rc = mapsnap_take(l->sampler, &snap, t, ph ? ph->name : "",
			  run_frame_rows(r, f), f->n, &stop);
	if (rc == -ENOMEM)
		return false;
	l->maps.t = t;
	l->maps.cost = snap.cpu_s;
	/* -EINTR: a signal or a key came first: they are answered now, the
	 * snapshot is taken again later (its CPU is paid all the same) */
	if (rc == -EINTR)
		return true;
	snap.between = !boundary;
	l->maps.now = false;
	return mapgroups_add(r, &snap);
}

/* A byte for each checkpoint since the last tick: the tree was sampled
 * after it. The pipe is non-blocking: a program that does not read the
 * answers never stops shmviz (they are dropped once the pipe is full). */
static void answer_checkpoints(struct loop *l)
{
	char ok[64];

	memset(ok, 'k', sizeof(ok));
	while (l->ack.owed && l->rn.ack_fd >= 0) {
		size_t n = l->ack.owed < sizeof(ok) ? l->ack.owed : sizeof(ok);
		ssize_t w = write(l->rn.ack_fd, ok, n);

		if (w <= 0)
			break;
		l->ack.owed -= (unsigned)w;
	}
	l->ack.owed = 0;
}

static void tick(struct loop *l)
{
	struct run *r = &l->m->runs[l->cur];
	double now = proto_now();
	double interval = sampler_interval_ms(l->sampler) / 1000.0;
	double c0 = clock_cpu_process_s(), pss0 = l->m->sampler.pss_cpu_s, base;
	double map0, map_cpu;

	/* the sample's time is its counters' (sampler.h), the run time of
	 * now less nothing the tick waits before them */
	if (!sampler_tick(l->sampler, r, run_time(r, now), now,
			  l->ticks.now || l->ack.sweep_next)) {
		snprintf(l->s->error, sizeof(l->s->error), "out of memory while sampling");
		l->sink_failed = true;
		return;
	}
	map0 = clock_cpu_process_s();
	/* a snapshot's time is its first read's: after the sample's */
	if (!mappings_snapshot(l, r, run_time(r, proto_now()), l->ticks.now)) {
		snprintf(l->s->error, sizeof(l->s->error), "out of memory while reading mappings");
		l->sink_failed = true;
		return;
	}
	/* a snapshot is paid from the budget (mapsnap_take()), as a
	 * read is: it is no part of what every tick costs, which spaces the
	 * ticks out (docs/architecture.md, "Mappings") */
	map_cpu = clock_cpu_process_s() - map0;
	sampler_get_stats(l->sampler, &l->m->sampler);
	tell(l, SINK_TICK, r);
	/* a checkpoint is answered by a sample of one moment of the tree
	 * (its bound within 1%), every tick sweeping until there is one, or
	 * after CHECKPOINT_TICKS ticks or CHECKPOINT_WAIT_S without
	 * (docs/protocol.md) */
	l->ack.sweep_next = false;
	if (l->ack.owed && !l->ack.waits)
		l->ack.since = now;
	if (l->ack.owed && l->ack.waits < CHECKPOINT_TICKS &&
	    now - l->ack.since < CHECKPOINT_WAIT_S && !tick_one_moment(r)) {
		l->ack.waits++;
		l->ack.sweep_next = true;
	} else {
		answer_checkpoints(l);
		l->ack.waits = 0;
	}
	/* What a tick costs besides its smaps reads (which the sampler keeps
	 * within the budget): the counters of every member, the sample's
	 * model, its recording or drawing. With hundreds of members that
	 * alone can pass the budget; then ticks are spaced out so that it
	 * takes at most three quarters of the budget, leaving the rest to
	 * smaps reads (half was too little: a 20 ms interval at a 2% budget,
	 * or any sanitizer build at 20 ms, lost most of its ticks). */
	base = clock_cpu_process_s() - c0 - (l->m->sampler.pss_cpu_s - pss0) - map_cpu;
	if (base > 0)
		l->ticks.cost = l->ticks.cost > 0 ? 0.8 * l->ticks.cost + 0.2 * base : base;
	l->ticks.spaced = l->m->config.budget_pct > 0 &&
		    l->ticks.cost / (TICK_BUDGET_SHARE * l->m->config.budget_pct / 100.0) > interval;
	if (l->ticks.spaced)
		interval = l->ticks.cost / (TICK_BUDGET_SHARE * l->m->config.budget_pct / 100.0);
	/* keep to the schedule; skip ticks that are already past. An extra
	 * tick at a phase boundary does not move the schedule. */
	if (l->ticks.now) {
		l->ticks.now = false;
		if (now < l->ticks.next)
			return;
	}
	l->ticks.next += interval;
	if (l->ticks.next < now)
		l->ticks.next = now + interval;
}

static void change_interval(struct loop *l, bool faster)
{
	int ms = sampler_interval_ms(l->sampler);

	ms = interval_step(ms, faster);
	if (ms < CLI_INTERVAL_MIN)
		ms = CLI_INTERVAL_MIN;
	if (ms > CLI_INTERVAL_MAX)
		ms = CLI_INTERVAL_MAX;
	sampler_set_interval(l->sampler, ms);
	l->m->config.interval_ms = ms;
	if (l->active)
		l->ticks.next = proto_now() + ms / 1000.0;
}

/* Returns the signal that asks to stop, or 0. */
static int read_signals(struct loop *l)
{
	struct signalfd_siginfo si;
	int stop = 0;

	while (read(l->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			if (runner_reap(&l->rn) && l->active)
				l->run.root_exit = l->rn.end_mono;
		} else if (!stop) {
			stop = (int)si.ssi_signo;
		}
	}
	/* a SIGCHLD may have been merged with another */
	if (l->active && !l->run.root_exit && runner_reap(&l->rn))
		l->run.root_exit = l->rn.end_mono;
	return stop;
}

/* An attached run's --duration, in seconds of run time from now (a large
 * figure when it has none): the deadline is one of the loop's timeouts,
 * not a check at ticks only (-i 10000 would overrun it by seconds). */
static double duration_left(const struct loop *l)
{
	double d = l->s->plans[l->cur].duration_s;

	if (!l->active || !l->attached || d <= 0)
		return 1e9;
	return d - run_time(&l->m->runs[l->cur], proto_now());
}

static int poll_timeout(struct loop *l)
{
	int sink_ms = l->s->sink.ops->timeout_ms ?
		      l->s->sink.ops->timeout_ms(l->s->sink.ctx) : -1;
	int ms = -1;

	if (l->lesson.stopped)
		return sink_ms;
	if (l->active && ((l->ticks.now && !l->ticks.spaced) || l->lesson.due))
		return 0;
	if (l->active) {
		double d = (l->ticks.next - proto_now()) * 1000.0;

		ms = d <= 0 ? 0 : (int)ceil(d);
		/* the phase pipe waits for its budget: not past the refill */
		if (l->rn.phase_fd >= 0 && l->throttle.bytes < 1 && ms > 20)
			ms = 20;
		d = duration_left(l) * 1000.0;
		if (d < ms)
			ms = d <= 0 ? 0 : (int)ceil(d);
	}
	if (sink_ms >= 0 && (ms < 0 || sink_ms < ms))
		ms = sink_ms;
	return ms;
}

static void forget_rounds(struct loop *l)
{
	for (size_t k = 0; k < MODEL_ROUNDS_MAX; k++) {
		for (size_t i = 0; l->rounds.kept[k] && i < l->m->nruns; i++)
			run_finish(&l->rounds.kept[k][i]);
		free(l->rounds.kept[k]);
		l->rounds.kept[k] = NULL;
	}
}

/* The runs of the round that just ended, kept until the last round has
 * ended (without memory, the median round cannot be shown: the newest is) */
static void keep_round(struct loop *l)
{
	int k = l->m->round;
	struct run *c;
	size_t i;

	if (l->s->repeat <= 1 || k < 0 || k >= MODEL_ROUNDS_MAX || l->rounds.kept[k])
		return;
	c = calloc(l->m->nruns ? l->m->nruns : 1, sizeof(*c));
	for (i = 0; c && i < l->m->nruns; i++)
		if (!run_copy(&c[i], &l->m->runs[i]))
			break;
	if (c && i < l->m->nruns) {
		while (i-- > 0)
			run_finish(&c[i]);
		free(c);
		c = NULL;
	}
	l->rounds.kept[k] = c;
}

/* The figures of the round that just ended, into each run's rounds[]. */
static void save_round(struct loop *l)
{
	for (size_t i = 0; i < l->m->nruns; i++) {
		struct run *r = &l->m->runs[i];
		struct round_figs *f;

		if (r->nrounds >= MODEL_ROUNDS_MAX || r->state == RUN_WAITING)
			continue;
		f = &r->rounds[r->nrounds++];
		f->ok = r->state == RUN_DONE;
		f->wall_s = r->result.wall_s;
		f->cpu_s = r->result.cpu_user_s >= 0 ?
			   r->result.cpu_user_s + r->result.cpu_sys_s : -1;
		f->pss_kb = run_has_peak(r) ? r->peak.pss_kb : MODEL_KB_NONE;
		f->started_mono = r->started_mono;
		/* the order the runs really started in */
		f->position = 0;
		for (size_t k = 0; k < l->m->nruns; k++)
			if (k != i && l->m->runs[k].state != RUN_WAITING &&
			    l->m->runs[k].started_mono < r->started_mono)
				f->position++;
	}
	keep_round(l);
	l->rounds.saved = true;
}

/* Every round ended: runs[] take the median round's samples, phases and
 * results (docs/architecture.md, "Repeated rounds"), their rounds[] stay. */
static void show_median(struct loop *l)
{
	int k = model_median_round(l->m);

	if (k > 0 && l->rounds.kept[k - 1]) {
		for (size_t i = 0; i < l->m->nruns; i++) {
			struct run *r = &l->m->runs[i], *c = &l->rounds.kept[k - 1][i];

			memcpy(c->rounds, r->rounds, sizeof(r->rounds));
			c->nrounds = r->nrounds;
			run_finish(r);
			*r = *c;
			/* the arrays are r's now */
			memset(c, 0, sizeof(*c));
		}
		l->m->shown_round = k;
	}
	forget_rounds(l);
}

/* Starts the next round, if one is due: every run of the last one done
 * (a failed run ends the repetition: its figures would mean nothing). */
static bool next_round(struct loop *l)
{
	if (l->s->repeat <= 1)
		return false;
	if (!l->rounds.saved)
		save_round(l);
	if (l->run.fail_status) {
		forget_rounds(l);
		return false;
	}
	if (l->m->round + 1 >= l->s->repeat) {
		show_median(l);
		return false;
	}
	l->m->round++;
	for (size_t i = 0; i < l->m->nruns; i++)
		run_reset(&l->m->runs[i]);
	l->rounds.pos = 0;
	l->cur = run_at(l, 0);
	l->rounds.saved = false;
	return true;
}

static void reset_all(struct loop *l)
{
	forget_rounds(l);
	l->m->shown_round = 0;
	for (size_t i = 0; i < l->m->nruns; i++) {
		run_reset(&l->m->runs[i]);
		l->m->runs[i].nrounds = 0;
	}
	l->m->round = 0;
	l->rounds.pos = 0;
	l->rounds.saved = false;
	l->cur = 0;
	l->idle_told = false;
	l->run.fail_status = 0;
}

/* What the session loop does next */
enum step {
	STEP_ON,        /* go on with this turn */
	STEP_NEXT,      /* the next turn */
	STEP_END,       /* out of the loop */
};

/* Between runs: the next run started, the next round begun, or the
 * sink told that all is done. */
static enum step between_runs(struct loop *l, int *stop_sig)
{
	if (!l->active && l->cur < l->m->nruns) {
		/* a signal that came during start-up or the last run's
		 * end: stop before starting anything */
		*stop_sig = read_signals(l);
		if (*stop_sig)
			return STEP_END;
		start_run(l);
		return STEP_NEXT;
	}
	if (!l->active && l->cur >= l->m->nruns && !l->idle_told &&
	    next_round(l))
		return STEP_NEXT;
	if (!l->active && !l->idle_told) {
		l->idle_told = true;
		tell(l, SINK_IDLE, NULL);
		if (!l->s->sink.ops->stays || !l->s->sink.ops->stays(l->s->sink.ctx))
			return STEP_END;
	}
	return STEP_ON;
}

/* The descriptors the session loop waits on */
struct waits {
	struct pollfd pfd[5];
	int n;
	int phase_at, root_at, input_at, log_at; /* their index, -1: none */
};

/* ifd: the sink's input, -1: none */
static void wait_for(struct loop *l, int ifd, struct waits *w)
{
	w->n = 0;
	w->phase_at = -1;
	w->root_at = -1;
	w->input_at = -1;
	w->log_at = -1;
	w->pfd[w->n].fd = l->sigfd;
	w->pfd[w->n++].events = POLLIN;
	if (l->active && phase_readable(l)) {
		w->phase_at = w->n;
		w->pfd[w->n].fd = l->rn.phase_fd;
		w->pfd[w->n++].events = POLLIN;
	}
	if (l->active && l->attached && l->run.root_fd >= 0 && !l->run.root_exit) {
		w->root_at = w->n;
		w->pfd[w->n].fd = l->run.root_fd;
		w->pfd[w->n++].events = POLLIN;
	}
	if (l->active && !l->attached && l->rn.log.in >= 0) {
		w->log_at = w->n;
		w->pfd[w->n].fd = l->rn.log.in;
		w->pfd[w->n++].events = POLLIN;
	}
	if (ifd >= 0) {
		w->input_at = w->n;
		w->pfd[w->n].fd = ifd;
		w->pfd[w->n++].events = POLLIN;
	}
}

/* The user's pause of the workload (SINK_CMD_HALT): its tree stands still
 * as at a lesson stop (docs/architecture.md, "A run stopped for a
 * lesson"), its time left out of the run's clock; again: it goes on (a
 * lesson stop too). An attached tree is never signalled. */
static void halt(struct loop *l)
{
	if (l->lesson.stopped) {
		lesson_go(l, false);
	} else if (l->active && !l->attached && !l->run.root_exit && !l->lesson.due) {
		tree_stop(l);
		l->m->halted = true;
	}
	tell(l, SINK_REDRAW, NULL);
}

/* A command of the sink's input: the user's keys */
static enum step take_input(struct loop *l, bool *quit, int *stop_sig)
{
	enum sink_cmd cmd = l->s->sink.ops->input(l->s->sink.ctx, l->m);

	if (cmd == SINK_CMD_QUIT) {
		*quit = true;
		return STEP_END;
	}
	if (cmd == SINK_CMD_HANGUP) {
		/* SIGHUP may be ignored (nohup): the hang-up
		 * itself ends the session, as the signal would */
		*stop_sig = SIGHUP;
		return STEP_END;
	}
	if (cmd == SINK_CMD_RERUN) {
		if (l->active)
			end_run(l, 0, true);
		reset_all(l);
		return STEP_NEXT;
	}
	if (cmd == SINK_CMD_FASTER || cmd == SINK_CMD_SLOWER)
		change_interval(l, cmd == SINK_CMD_FASTER);
	if (cmd == SINK_CMD_LESSON_GO) {
		lesson_go(l, false);
		tell(l, SINK_REDRAW, NULL);
	}
	if (cmd == SINK_CMD_HALT)
		halt(l);
	return STEP_ON;
}

/* The tick, when one is due; then the run ends if its root did (or its
 * --duration is over). Else the sink may redraw. */
static void tick_if_due(struct loop *l)
{
	if (l->lesson.due) {
		/* --lesson: a phase ended: it is shown before anything else */
		lesson_stop(l);
		return;
	}
	if ((l->ticks.now && !l->ticks.spaced) || proto_now() >= l->ticks.next ||
	    duration_left(l) <= 0) {
		if (l->attached && l->run.root_fd < 0 && !l->run.root_exit) {
			struct proc_stat st;

			/* without a pidfd: gone, a zombie, or its pid
			 * taken by another process */
			if (stat_read(l->m->runs[l->cur].root, &st) != 0 ||
			    st.state == 'Z' || st.state == 'X' ||
			    st.start_ticks != l->run.root_start)
				l->run.root_exit = proto_now();
		}
		tick(l);
		if (l->run.root_exit) {
			const struct frame *f = run_frame_at(&l->m->runs[l->cur], -1);
			bool empty = !f || f->n == 0;

			if (empty || proto_now() - l->run.root_exit > LINGER_S)
				end_run(l, 0, false);
		} else if (duration_left(l) <= 0) {
			end_run(l, 0, false);
		}
	} else if (l->s->sink.ops->timeout_ms &&
		   l->s->sink.ops->timeout_ms(l->s->sink.ctx) == 0) {
		tell(l, SINK_REDRAW, NULL);
	}
}

/* The end of the session: the run in progress stopped, its exit status. */
static int end_session(struct loop *l, int stop_sig, bool quit)
{
	int status;

	if (l->active)
		end_run(l, stop_sig, quit || l->sink_failed);
	lesson_flush(l, true);
	l->m->lesson_wait = false;
	l->m->halted = false;
	/* runs that never started stay "waiting"; a log is named only where
	 * one was made (a run that never started has none: the recording
	 * and the summary name no file that is not there) */
	for (size_t i = 0; i < l->m->nruns; i++)
		if (l->m->runs[i].log[0] && access(l->m->runs[i].log, F_OK) != 0)
			l->m->runs[i].log[0] = '\0';
	sampler_get_stats(l->sampler, &l->m->sampler);
	sampler_destroy(l->sampler);
	forget_rounds(l);
	snprintf(l->s->kpeak_why, sizeof(l->s->kpeak_why), "%s", cgrun_why(&l->cg));
	/* --attach: the tree's cgroup was not the tree's alone */
	for (size_t i = 0; !l->s->kpeak_why[0] && i < l->m->nruns; i++)
		if (l->m->runs[i].kpeak.why[0])
			snprintf(l->s->kpeak_why, sizeof(l->s->kpeak_why), "%s",
				 l->m->runs[i].kpeak.why);
	if (stop_sig) {
		l->m->interrupted = true;
		l->m->signal = stop_sig;
		status = 128 + stop_sig;
	} else if (l->sink_failed || l->s->error[0]) {
		/* an error of shmviz's own cut the session short: what was
		 * recorded is marked so, like a signal's stop (signal null) */
		l->m->interrupted = true;
		status = EXIT_ENVIRONMENT;
	} else if (quit) {
		/* -- CMD: quitting after it ended is its status still */
		status = l->s->plans[0].pass_status && l->m->nruns &&
			 l->m->runs[0].state == RUN_DONE ? l->run.fail_status : EXIT_OK;
	} else {
		status = l->run.fail_status;
	}
	return status;
}

int session_run(struct session *s, int sigfd)
{
	struct loop l = { .s = s, .m = s->model, .sigfd = sigfd };
	int stop_sig = 0;
	bool quit = false;

	l.rn.phase_fd = -1;
	l.rn.ack_fd = -1;
	outlog_init(&l.rn.log);
	l.run.root_fd = -1;
	cgrun_init(&l.cg);
	l.sampler = sampler_create(s->model->config.interval_ms,
				   s->model->config.budget_pct, s->error,
				   sizeof(s->error));
	if (!l.sampler)
		return EXIT_ENVIRONMENT;
	s->started = false;
	if (!tell(&l, SINK_START, NULL))
		goto out;
	s->started = true;
	l.m->round = 0;
	for (;;) {
		int ifd = s->sink.ops->input_fd ?
			  s->sink.ops->input_fd(s->sink.ctx) : -1;
		struct waits w;
		enum step next;

		if (l.sink_failed)
			break;
		next = between_runs(&l, &stop_sig);
		if (next == STEP_END)
			break;
		if (next == STEP_NEXT)
			continue;
		wait_for(&l, ifd, &w);
		if (poll(w.pfd, (nfds_t)w.n, poll_timeout(&l)) < 0) {
			if (errno == EINTR)
				continue; /* SIGWINCH for the TUI */
			snprintf(s->error, sizeof(s->error), "poll: %s", strerror(errno));
			break;
		}
		if (w.pfd[0].revents & POLLIN) {
			stop_sig = read_signals(&l);
			if (stop_sig)
				break;
		}
		if (w.phase_at >= 0 && w.pfd[w.phase_at].revents)
			drain_phase(&l, false);
		/* the run's output, a bounded amount a turn (outlog.h) */
		if (w.log_at >= 0 && w.pfd[w.log_at].revents)
			outlog_drain(&l.rn.log, OUTLOG_TAIL);
		if (w.root_at >= 0 && w.pfd[w.root_at].revents) {
			/* the watched root exited: its orphans leave the tree
			 * (they are no one's below it), the run ends */
			l.run.root_exit = proto_now();
			l.ticks.now = true;
		}
		if (w.input_at >= 0 && w.pfd[w.input_at].revents) {
			next = take_input(&l, &quit, &stop_sig);
			if (next == STEP_END)
				break;
			if (next == STEP_NEXT)
				continue;
		}
		if (l.lesson.stopped) {
			/* the tree stands still: no tick, only the sink */
			if (s->sink.ops->timeout_ms &&
			    s->sink.ops->timeout_ms(s->sink.ctx) == 0)
				tell(&l, SINK_REDRAW, NULL);
			continue;
		}
		if (!l.active) {
			if (s->sink.ops->timeout_ms &&
			    s->sink.ops->timeout_ms(s->sink.ctx) == 0)
				tell(&l, SINK_REDRAW, NULL);
			continue;
		}
		tick_if_due(&l);
	}
out:
	return end_session(&l, stop_sig, quit);
}
