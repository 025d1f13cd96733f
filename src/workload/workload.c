/*
 * workload.c - the native shared, copy and cow workloads (see workload.h).
 *
 * Parent and workers talk over pipes with fixed-size binary messages, each
 * far below PIPE_BUF so that a write is atomic: the parent sends each worker
 * commands on its own pipe (for copy, the table follows the RECEIVE command
 * on that pipe), and every worker writes reports on one shared pipe. The
 * parent moves all workers through each phase together, so a phase's time
 * is from its first command to its last report.
 *
 * The parent waits with poll(2) on the report pipe and a signalfd: a worker
 * that dies is noticed at once (SIGCHLD) and fails the run with its pid and
 * cause; SIGTERM, SIGINT and SIGHUP unlink the segment, kill the workers
 * and exit 128+N. Workers die with their parent (PR_SET_PDEATHSIG). The
 * parent itself, run by shmviz, gets SIGTERM when shmviz dies (SIGKILL
 * included), so it still unlinks its segment and kills its workers.
 *
 * SHMVIZ_FAULT=PHASE:SIGNAL (a testing aid, see workload.h) makes worker 1
 * raise SIGNAL in PHASE: attach, transfer (half-way through receiving),
 * write, compute, or hold (half-way through it).
 */
#include "src/workload/workload.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "src/core/limits.h"
#include "src/core/protocol.h"
#include "src/util/clock.h"
#include "src/util/exits.h"
#include "src/util/macros.h"
#include "src/util/parse.h"
#include "src/util/waitstatus.h"
#include "src/workload/dataset.h"

enum wl_mode { WL_SHARED, WL_COPY, WL_COW };

enum cmd_op { CMD_ATTACH = 1, CMD_RECEIVE, CMD_WRITE, CMD_COMPUTE, CMD_EXIT };
enum rep_op { REP_READY = 1, REP_ATTACHED, REP_RECEIVED, REP_WRITTEN, REP_SUM,
	      REP_ERROR };

struct cmd {
	uint32_t op;
	/* cppcheck-suppress unusedStructMember */
	uint32_t pad;        /* explicit padding: the layout is the wire format */
	uint64_t arg;        /* bytes, or a percentage */
	char name[64];       /* segment name */
};

struct report {
	uint32_t worker;     /* index from 1 */
	uint32_t op;
	int32_t err;         /* errno of REP_ERROR */
	/* cppcheck-suppress unusedStructMember */
	uint32_t pad;        /* explicit padding, as in struct cmd */
	double sum;
	double cpu_s;        /* CPU time of the compute */
};

#define TRANSFER_CHUNK (1u << 20)

struct worker {
	pid_t pid;
	int cmd_fd;          /* parent's write end */
	uint64_t sent;       /* bytes of the table written (copy) */
	bool exited;
	int status;
};

struct wl {
	enum wl_mode mode;
	const char *mode_name;
	uint64_t rows;
	uint64_t bytes;
	int nworkers;
	double hold_s;
	int cow_pct;
	int phase_fd;        /* to shmviz, -1 when run by hand */
	int ack_fd;          /* shmviz's answers to checkpoints, -1: none */
	bool lesson;         /* SHMVIZ_LESSON: checkpoint as each phase ends */
	unsigned ck_sent;    /* checkpoints asked, and answers read: an */
	unsigned ck_got;     /* answer that came after its wait is not the next's */
	int report_rd;
	int report_wr;
	int sigfd;
	struct worker *w;
	const char *phase;
	char shm_name[64];
	char shm_path[96];
	bool shm_linked;
	struct record *data; /* the parent's table or its mapping */
	double sum;
	double cpu_max;
	bool exiting;        /* workers were told to exit */
	uint32_t fault_op;   /* SHMVIZ_FAULT: CMD_* (or FAULT_HOLD), 0: none */
	int fault_sig;
};

/* the fault phase that has no command of its own */
#define FAULT_HOLD 100

static void checkpoint(struct wl *wl, double wait_s);
/* the longest a hold waits for shmviz's sample of it (see hold()) */
#define HOLD_CHECKPOINT_WAIT_S 5.0

/* --lesson: the phase that ends is sampled as it ends, before the line
 * that ends it (docs/protocol.md, "Checkpoints") */
#define LESSON_WAIT_S 1.0
/* --lesson: the hold waits in slices this long (hold()) */
#define HOLD_SLICE_S 0.05

static void emit_phase(struct wl *wl, const char *name)
{
	if (wl->lesson)
		checkpoint(wl, LESSON_WAIT_S);
	wl->phase = name;
	proto_emit(wl->phase_fd, "phase %s %.6f", name, proto_now());
}

/* The tree holds its peak: asks shmviz to sample it now and waits for
 * the answer, at most wait_s, so that a peak shorter than the interval is
 * seen (docs/protocol.md, "Checkpoints") */
static void checkpoint(struct wl *wl, double wait_s)
{
	/* a signal (a worker's death, SIGTERM) ends the wait: the caller
	 * handles it */
	struct pollfd pfd[2] = { { .fd = wl->ack_fd, .events = POLLIN },
				 { .fd = wl->sigfd, .events = POLLIN } };
	double until = proto_now() + wait_s;
	char c;

	if (wl->phase_fd < 0 || wl->ack_fd < 0 || wait_s <= 0)
		return;
	proto_emit(wl->phase_fd, "checkpoint");
	wl->ck_sent++;
	/* the answers come in order: the answer to an earlier checkpoint
	 * whose wait ran out (while the tree stood still, --lesson) is read
	 * first, and this one's waited for */
	while (wl->ck_got != wl->ck_sent) {
		double left = until - proto_now();
		int n;

		if (left <= 0)
			return;
		n = poll(pfd, wl->sigfd >= 0 ? 2 : 1, (int)(left * 1000) + 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 && wl->lesson && proto_now() - until > 0.1) {
			/* the wait ran out while the tree stood still (a
			 * --lesson stop, the only stop shmviz makes): it
			 * waits its time again. Without --lesson a late
			 * wake is a starved process: the wait is over (a
			 * hold lasts HOLD_CHECKPOINT_WAIT_S at most) */
			until = proto_now() + wait_s;
			continue;
		}
		if (n <= 0 || !(pfd[0].revents & (POLLIN | POLLHUP)))
			return;
		if (read(wl->ack_fd, &c, 1) <= 0) {
			wl->ack_fd = -1; /* shmviz is gone: ask no more */
			return;
		}
		wl->ck_got++;
	}
}

static void kill_workers(struct wl *wl)
{
	for (int i = 0; i < wl->nworkers; i++)
		if (wl->w[i].pid > 0 && !wl->w[i].exited)
			kill(wl->w[i].pid, SIGKILL);
	for (int i = 0; i < wl->nworkers; i++) {
		if (wl->w[i].pid > 0 && !wl->w[i].exited) {
			while (waitpid(wl->w[i].pid, &wl->w[i].status, 0) < 0 &&
			       errno == EINTR)
				;
			wl->w[i].exited = true;
		}
	}
}

static void unlink_segment(struct wl *wl)
{
	if (wl->shm_linked) {
		shm_unlink(wl->shm_name);
		wl->shm_linked = false;
		proto_emit(wl->phase_fd, "unlinked %s", wl->shm_name);
	}
}

/* Ends the workload with a failure line to shmviz and to stderr. */
static int wl_fail(struct wl *wl, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int wl_fail(struct wl *wl, int status, const char *fmt, ...)
{
	char text[PROTO_LINE_MAX - 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	unlink_segment(wl);
	kill_workers(wl);
	proto_emit(wl->phase_fd, "fail %s", text);
	fprintf(stderr, "shmviz %s workload: %s\n", wl->mode_name, text);
	return status;
}

static bool write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static bool read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		if (n == 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* ---- worker side ---- */

/* SHMVIZ_FAULT: worker 1 dies here, as a crash or a kill -9 would */
static void fault(const struct wl *wl, uint32_t idx, uint32_t op)
{
	struct rlimit none = { 0, 0 };

	if (idx != 1 || wl->fault_op != op)
		return;
	setrlimit(RLIMIT_CORE, &none); /* a crash on purpose dumps no core */
	signal(wl->fault_sig, SIG_DFL);
	raise(wl->fault_sig);
	/* raise() returns when the signal is one that does not kill (say
	 * SIGCHLD): the worker dies all the same */
	_exit(1);
}

static void report(int fd, uint32_t worker, uint32_t op, int err, double sum,
		   double cpu)
{
	struct report r = { .worker = worker, .op = op, .err = err,
			    .sum = sum, .cpu_s = cpu };

	if (!write_full(fd, &r, sizeof(r)))
		_exit(1);
}

static void __attribute__((noreturn))
worker_main(struct wl *wl, uint32_t idx, int cmd_fd)
{
	const struct record *data = wl->data; /* cow: the inherited table */
	struct record *received = NULL;       /* copy: our own table */
	int rep = wl->report_wr;
	struct cmd c;

	report(rep, idx, REP_READY, 0, 0, 0);
	for (;;) {
		if (!read_full(cmd_fd, &c, sizeof(c)))
			_exit(1); /* the parent is gone */
		if (c.op != CMD_RECEIVE)
			fault(wl, idx, c.op);
		switch (c.op) {
		case CMD_ATTACH: {
			int fd = shm_open(c.name, O_RDONLY, 0);
			struct stat st;
			void *p;

			if (fd < 0 || fstat(fd, &st) != 0 ||
			    (uint64_t)st.st_size < c.arg) {
				report(rep, idx, REP_ERROR, fd < 0 ? errno : EINVAL, 0, 0);
				_exit(1);
			}
			/* page tables are set up here, not in compute */
			p = mmap(NULL, c.arg, PROT_READ, MAP_SHARED | MAP_POPULATE,
				 fd, 0);
			close(fd);
			if (p == MAP_FAILED) {
				report(rep, idx, REP_ERROR, errno, 0, 0);
				_exit(1);
			}
			data = p;
			report(rep, idx, REP_ATTACHED, 0, 0, 0);
			break;
		}
		case CMD_RECEIVE: {
			struct record *buf = malloc(c.arg);

			if (!buf) {
				report(rep, idx, REP_ERROR, ENOMEM, 0, 0);
				_exit(1);
			}
			if (wl->fault_op == CMD_RECEIVE && idx == 1) {
				/* half the table, then die with the writer
				 * blocked on a full pipe */
				if (!read_full(cmd_fd, buf, c.arg / 2))
					_exit(1);
				fault(wl, idx, CMD_RECEIVE);
			}
			if (!read_full(cmd_fd, buf, c.arg)) {
				report(rep, idx, REP_ERROR, EPIPE, 0, 0);
				_exit(1);
			}
			free(received);
			received = buf;
			data = buf;
			report(rep, idx, REP_RECEIVED, 0, 0, 0);
			break;
		}
		case CMD_WRITE: {
			long ps = sysconf(_SC_PAGESIZE);
			uint64_t pages = wl->bytes / (uint64_t)ps;
			uint64_t n = pages * c.arg / 100;
			volatile char *base = (volatile char *)wl->data;

			/* one write a page copies the page: same value back,
			 * so the sum does not change (the self-assignment is
			 * the point: a volatile store that unshares the page) */
			for (uint64_t p = 0; p < n; p++)
				/* cppcheck-suppress selfAssignment */
				base[p * (uint64_t)ps] = base[p * (uint64_t)ps];
			report(rep, idx, REP_WRITTEN, 0, 0, 0);
			break;
		}
		case CMD_COMPUTE: {
			double t0 = clock_cpu_thread_s(), s;

			s = dataset_nansum(data, wl->rows);
			report(rep, idx, REP_SUM, 0, s, clock_cpu_thread_s() - t0);
			if (wl->fault_op == FAULT_HOLD && idx == 1) {
				struct timespec half = {
					(time_t)(wl->hold_s / 2),
					(long)((wl->hold_s / 2 - (double)(time_t)(wl->hold_s / 2)) * 1e9),
				};

				nanosleep(&half, NULL);
				fault(wl, idx, FAULT_HOLD);
			}
			break;
		}
		case CMD_EXIT:
		default:
			/* nothing to leave behind, even for a leak checker */
			free(received);
			_exit(0);
		}
	}
}

/* ---- parent side ---- */

static int handle_signals(struct wl *wl)
{
	struct signalfd_siginfo si;

	while (read(wl->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo != SIGCHLD) {
			unlink_segment(wl);
			kill_workers(wl);
			return 128 + (int)si.ssi_signo;
		}
	}
	/* SIGCHLD: which worker ended? */
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid <= 0)
			break;
		for (int i = 0; i < wl->nworkers; i++) {
			if (wl->w[i].pid != pid)
				continue;
			wl->w[i].exited = true;
			wl->w[i].status = status;
			if (!wl->exiting || !WIFEXITED(status) ||
			    WEXITSTATUS(status) != 0) {
				char how[96];

				describe_wait_status(status, how, sizeof(how));
				return wl_fail(wl, 1, "worker %d (pid %d) %s during %s",
					       i + 1, (int)pid, how, wl->phase);
			}
		}
	}
	return 0;
}

/* Waits for one report of op from every worker. Returns 0 or an exit
 * status. */
static int gather(struct wl *wl, uint32_t op)
{
	int left = wl->nworkers;
	bool *got = calloc((size_t)wl->nworkers, sizeof(*got));

	if (!got)
		return wl_fail(wl, 4, "out of memory");
	while (left > 0) {
		struct pollfd pfd[2] = {
			{ .fd = wl->report_rd, .events = POLLIN },
			{ .fd = wl->sigfd, .events = POLLIN },
		};
		struct report r;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			free(got);
			return wl_fail(wl, 1, "poll: %s", strerror(errno));
		}
		if (pfd[0].revents & POLLIN) {
			if (!read_full(wl->report_rd, &r, sizeof(r)) ||
			    r.worker < 1 || r.worker > (uint32_t)wl->nworkers) {
				free(got);
				return wl_fail(wl, 1, "lost the workers' report pipe");
			}
			if (r.op == REP_ERROR) {
				free(got);
				return wl_fail(wl, r.err == ENOMEM ? 4 : 1,
					       "worker %u (pid %d) failed during %s: %s",
					       r.worker, (int)wl->w[r.worker - 1].pid,
					       wl->phase, strerror(r.err));
			}
			if (r.op == op && !got[r.worker - 1]) {
				got[r.worker - 1] = true;
				left--;
				if (op == REP_SUM) {
					if (r.sum != dataset_expected(wl->rows)) {
						free(got);
						return wl_fail(wl, 1, "worker %u (pid %d) summed %.17g, expected %.17g",
							       r.worker, (int)wl->w[r.worker - 1].pid,
							       r.sum, dataset_expected(wl->rows));
					}
					wl->sum = r.sum;
					if (r.cpu_s > wl->cpu_max)
						wl->cpu_max = r.cpu_s;
				}
			}
			continue;
		}
		if (pfd[1].revents & POLLIN) {
			int rc = handle_signals(wl);

			if (rc) {
				free(got);
				return rc;
			}
		}
	}
	free(got);
	return 0;
}

/* A write to worker i failed (EPIPE: it closed its end, which it does
 * only by dying). The pipe breaks before the kernel reports the death, so
 * wait a little for the SIGCHLD that names the cause. */
static int lost_worker(struct wl *wl, int i, int err)
{
	double until = proto_now() + 2.0;

	for (;;) {
		struct pollfd pfd = { .fd = wl->sigfd, .events = POLLIN };
		double left = until - proto_now();
		int rc;

		rc = handle_signals(wl);
		if (rc)
			return rc;
		if (left <= 0)
			break;
		if (poll(&pfd, 1, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			break;
	}
	return wl_fail(wl, 1, "worker %d (pid %d) stopped reading during %s: %s",
		       i + 1, (int)wl->w[i].pid, wl->phase, strerror(err));
}

static int send_all(struct wl *wl, uint32_t op, uint64_t arg)
{
	struct cmd c = { .op = op, .arg = arg };

	snprintf(c.name, sizeof(c.name), "%s", wl->shm_name);
	for (int i = 0; i < wl->nworkers; i++) {
		if (!write_full(wl->w[i].cmd_fd, &c, sizeof(c)))
			return lost_worker(wl, i, errno);
	}
	return 0;
}

static int spawn_workers(struct wl *wl)
{
	pid_t parent = getpid();

	for (int i = 0; i < wl->nworkers; i++) {
		int p[2];
		pid_t pid;

		if (pipe2(p, O_CLOEXEC) != 0)
			return wl_fail(wl, 4, "pipe: %s", strerror(errno));
		if (wl->mode == WL_COPY)
			fcntl(p[1], F_SETPIPE_SZ, (int)TRANSFER_CHUNK);
		pid = fork();
		if (pid < 0) {
			close(p[0]);
			close(p[1]);
			return wl_fail(wl, 4, "fork of worker %d: %s", i + 1, strerror(errno));
		}
		if (pid == 0) {
			sigset_t none;
			char name[24];

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(1); /* the parent died before we could watch it */
			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
			signal(SIGTERM, SIG_DFL);
			snprintf(name, sizeof(name), "shmviz-w%d", i + 1);
			name[15] = '\0'; /* comm holds 15 bytes */
			prctl(PR_SET_NAME, name);
			close(p[1]);
			for (int j = 0; j < i; j++)
				close(wl->w[j].cmd_fd);
			close(wl->report_rd);
			close(wl->sigfd);
			if (wl->phase_fd >= 0)
				close(wl->phase_fd);
			worker_main(wl, (uint32_t)i + 1, p[0]);
		}
		close(p[0]);
		wl->w[i].pid = pid;
		wl->w[i].cmd_fd = p[1];
		proto_emit(wl->phase_fd, "role %d worker", (int)pid);
	}
	return gather(wl, REP_READY);
}

static int fill_private(struct wl *wl)
{
	struct timespec now;

	wl->data = malloc(wl->bytes);
	if (!wl->data)
		return wl_fail(wl, 4, "cannot allocate %llu bytes for the table",
			       (unsigned long long)wl->bytes);
	clock_gettime(CLOCK_REALTIME, &now);
	dataset_fill(wl->data, 0, wl->rows, (int64_t)now.tv_sec * 1000000000LL);
	return 0;
}

static int fill_segment(struct wl *wl)
{
	static unsigned counter;
	struct timespec now;
	void *p;
	int fd, err;

	snprintf(wl->shm_name, sizeof(wl->shm_name), WORKLOAD_SHM_PREFIX "%d-%u",
		 (int)getpid(), counter++);
	snprintf(wl->shm_path, sizeof(wl->shm_path), "/dev/shm%s", wl->shm_name);
	fd = shm_open(wl->shm_name, O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd < 0)
		return wl_fail(wl, 4, "shm_open %s: %s", wl->shm_name, strerror(errno));
	wl->shm_linked = true;
	proto_emit(wl->phase_fd, "segment %s", wl->shm_name);
	/* reserve every page now: a full /dev/shm is an error here, not a
	 * SIGBUS at the first write */
	err = posix_fallocate(fd, 0, (off_t)wl->bytes);
	if (err) {
		close(fd);
		if (err == ENOSPC || err == EFBIG)
			return wl_fail(wl, 4, "/dev/shm is too small: the segment needs %llu bytes (%s)",
				       (unsigned long long)wl->bytes, strerror(err));
		return wl_fail(wl, 4, "posix_fallocate %s: %s", wl->shm_name, strerror(err));
	}
	p = mmap(NULL, wl->bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return wl_fail(wl, 4, "mmap %s: %s", wl->shm_name, strerror(errno));
	wl->data = p;
	clock_gettime(CLOCK_REALTIME, &now);
	dataset_fill(wl->data, 0, wl->rows, (int64_t)now.tv_sec * 1000000000LL);
	return 0;
}

/* copy: the table through each worker's pipe, one worker after the other
 * (as a process pool's single feeder does). All pipes at once was slower
 * on two cores: one writer and W readers fight over them (tests/bench:
 * 0.3-0.8x the rate of a plain pipe copy, one at a time about 1x). */
static int transfer(struct wl *wl)
{
	struct pollfd *pfd;
	int *who, rc;
	size_t left = (size_t)wl->nworkers;

	rc = send_all(wl, CMD_RECEIVE, wl->bytes);
	if (rc)
		return rc;
	pfd = calloc((size_t)wl->nworkers + 1, sizeof(*pfd));
	who = calloc((size_t)wl->nworkers + 1, sizeof(*who));
	if (!pfd || !who) {
		free(pfd);
		free(who);
		return wl_fail(wl, 4, "out of memory");
	}
	for (int i = 0; i < wl->nworkers; i++)
		fcntl(wl->w[i].cmd_fd, F_SETFL, O_NONBLOCK);
	while (left) {
		size_t n = 0;

		for (int i = 0; i < wl->nworkers; i++) {
			if (wl->w[i].sent < wl->bytes) {
				pfd[n].fd = wl->w[i].cmd_fd;
				pfd[n].events = POLLOUT;
				who[n++] = i;
				break; /* the next worker when this one has it all */
			}
		}
		pfd[n].fd = wl->sigfd;
		pfd[n].events = POLLIN;
		if (poll(pfd, n + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = wl_fail(wl, 1, "poll: %s", strerror(errno));
			goto out;
		}
		if (pfd[n].revents & POLLIN) {
			rc = handle_signals(wl);
			if (rc)
				goto out;
		}
		for (size_t k = 0; k < n; k++) {
			struct worker *w = &wl->w[who[k]];
			size_t chunk;
			ssize_t wr;

			if (!pfd[k].revents)
				continue;
			chunk = wl->bytes - w->sent < TRANSFER_CHUNK ?
				(size_t)(wl->bytes - w->sent) : TRANSFER_CHUNK;
			wr = write(w->cmd_fd, (char *)wl->data + w->sent, chunk);
			if (wr < 0) {
				if (errno == EAGAIN || errno == EINTR)
					continue;
				rc = lost_worker(wl, who[k], errno);
				goto out;
			}
			w->sent += (uint64_t)wr;
			if (w->sent == wl->bytes)
				left--;
		}
	}
	for (int i = 0; i < wl->nworkers; i++)
		fcntl(wl->w[i].cmd_fd, F_SETFL, 0);
	rc = gather(wl, REP_RECEIVED);
out:
	free(pfd);
	free(who);
	return rc;
}

static int hold(struct wl *wl)
{
	double until = proto_now() + wl->hold_s;

	/* every worker holds the table (the peak of a copy run): asked to
	 * be sampled inside the hold, which the wall time leaves out; the
	 * hold lasts until the answer came, HOLD_CHECKPOINT_WAIT_S at most
	 * if longer than asked: a shmviz starved on a loaded machine would
	 * otherwise find the workers gone and miss the peak it is run for;
	 * with --hold 0 too, the hold then ends with the answer (a run under
	 * load had its peak unsampled and the headline said 88x less memory
	 * for 2.9x: docs/protocol.md, "Checkpoints") */
	checkpoint(wl, wl->hold_s > HOLD_CHECKPOINT_WAIT_S
		       ? wl->hold_s : HOLD_CHECKPOINT_WAIT_S);
	/* --lesson: the tree may have been stopped in that wait (the stop
	 * on the phase before): the hold counts from its answer */
	if (wl->lesson)
		until = proto_now() + wl->hold_s;

	for (;;) {
		double left = until - proto_now(), slice = left, t0;
		struct pollfd pfd = { .fd = wl->sigfd, .events = POLLIN };
		int n;

		if (left <= 0)
			return 0;
		/* --lesson: a stop of the tree (SIGSTOP while the class
		 * reads a caption) is no part of the hold, which shmviz's
		 * timeline leaves out too: the hold waits in slices, and a
		 * wake later than its slice by more than 0.1 s adds the
		 * lateness (a hold of 1 s measured 0.04 s in a lesson) */
		if (wl->lesson && slice > HOLD_SLICE_S)
			slice = HOLD_SLICE_S;
		t0 = proto_now();
		n = poll(&pfd, 1, (int)(slice * 1000) + 1);
		if (wl->lesson && proto_now() - t0 > slice + 0.1)
			until += proto_now() - t0 - slice;
		if (n > 0) {
			int rc = handle_signals(wl);

			if (rc)
				return rc;
		}
	}
}

static int finish_workers(struct wl *wl)
{
	int rc;

	wl->exiting = true;
	rc = send_all(wl, CMD_EXIT, 0);
	if (rc)
		return rc;
	for (int i = 0; i < wl->nworkers; i++) {
		struct worker *w = &wl->w[i];

		while (!w->exited) {
			pid_t pid = waitpid(w->pid, &w->status, 0);

			if (pid < 0 && errno == EINTR)
				continue;
			w->exited = true;
			if (pid == w->pid && !(WIFEXITED(w->status) &&
					       WEXITSTATUS(w->status) == 0)) {
				char how[96];

				describe_wait_status(w->status, how, sizeof(how));
				return wl_fail(wl, 1, "worker %d (pid %d) %s during exit",
					       i + 1, (int)w->pid, how);
			}
		}
	}
	return 0;
}

static int run(struct wl *wl)
{
	int rc;

	if (wl->mode == WL_COW) {
		emit_phase(wl, "fill");
		if ((rc = fill_private(wl)))
			return rc;
		emit_phase(wl, "spawn");
		if ((rc = spawn_workers(wl)))
			return rc;
		if (wl->cow_pct > 0) {
			emit_phase(wl, "write");
			if ((rc = send_all(wl, CMD_WRITE, (uint64_t)wl->cow_pct)) ||
			    (rc = gather(wl, REP_WRITTEN)))
				return rc;
		}
	} else {
		emit_phase(wl, "spawn");
		if ((rc = spawn_workers(wl)))
			return rc;
		emit_phase(wl, "fill");
		rc = wl->mode == WL_SHARED ? fill_segment(wl) : fill_private(wl);
		if (rc)
			return rc;
		if (wl->mode == WL_SHARED) {
			emit_phase(wl, "attach");
			if ((rc = send_all(wl, CMD_ATTACH, wl->bytes)) ||
			    (rc = gather(wl, REP_ATTACHED)))
				return rc;
			/* every worker holds a mapping: the name can go */
			unlink_segment(wl);
		} else {
			emit_phase(wl, "transfer");
			if ((rc = transfer(wl)))
				return rc;
		}
	}
	emit_phase(wl, "compute");
	if ((rc = send_all(wl, CMD_COMPUTE, 0)) || (rc = gather(wl, REP_SUM)))
		return rc;
	proto_emit(wl->phase_fd, "result sum %.17g", wl->sum);
	proto_emit(wl->phase_fd, "result expected %.17g", dataset_expected(wl->rows));
	proto_emit(wl->phase_fd, "result compute_cpu_s %.6f", wl->cpu_max);
	emit_phase(wl, "hold");
	if ((rc = hold(wl)))
		return rc;
	emit_phase(wl, "exit");
	if ((rc = finish_workers(wl)))
		return rc;
	if (wl->lesson) {
		/* the workers' exits, read: their SIGCHLD would cut the wait */
		if ((rc = handle_signals(wl)))
			return rc;
		checkpoint(wl, LESSON_WAIT_S);
	}
	proto_emit(wl->phase_fd, "end %.6f", proto_now());
	return 0;
}

/* SHMVIZ_FAULT=PHASE:SIGNAL; a malformed value is an error, not ignored */
static bool parse_fault(struct wl *wl, const char *v)
{
	static const struct {
		const char *name;
		uint32_t op;
	} phases[] = {
		{ "attach", CMD_ATTACH }, { "transfer", CMD_RECEIVE },
		{ "write", CMD_WRITE }, { "compute", CMD_COMPUTE },
		{ "hold", FAULT_HOLD },
	};
	const char *colon = strchr(v, ':');
	long sig;

	if (!colon || !parse_int(colon + 1, 1, 31, &sig))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(phases); i++) {
		if (strlen(phases[i].name) == (size_t)(colon - v) &&
		    strncmp(v, phases[i].name, (size_t)(colon - v)) == 0) {
			wl->fault_op = phases[i].op;
			wl->fault_sig = (int)sig;
			return true;
		}
	}
	return false;
}

static int usage_error(const char *what)
{
	fprintf(stderr, WORKLOAD_PROGRAM ": bad %s (run by shmviz as: "
		WORKLOAD_PROGRAM " shared|copy|cow ROWS WORKERS HOLD_S COW_PCT)\n",
		what);
	return EXIT_USAGE;
}

int workload_main(int argc, char **argv)
{
	struct wl wl = { .phase_fd = -1, .ack_fd = -1, .report_rd = -1,
			 .report_wr = -1, .sigfd = -1 };
	const char *env = getenv(PROTO_ENV), *fault_env;
	sigset_t set;
	long v;
	int p[2], rc;
	char name[16];

	if (argc != 6)
		return usage_error("argument count");
	if (strcmp(argv[1], "shared") == 0)
		wl.mode = WL_SHARED;
	else if (strcmp(argv[1], "copy") == 0)
		wl.mode = WL_COPY;
	else if (strcmp(argv[1], "cow") == 0)
		wl.mode = WL_COW;
	else
		return usage_error("mode");
	wl.mode_name = argv[1];
	if (!parse_count(argv[2], &wl.rows) || wl.rows == 0 ||
	    wl.rows > CLI_ROWS_MAX)
		return usage_error("rows");
	if (!parse_int(argv[3], 1, CLI_WORKERS_MAX, &v))
		return usage_error("workers");
	wl.nworkers = (int)v;
	if (!parse_double(argv[4], 0, CLI_HOLD_MAX, &wl.hold_s))
		return usage_error("hold");
	if (!parse_int(argv[5], 0, 100, &v))
		return usage_error("cow write percentage");
	wl.cow_pct = (int)v;
	wl.bytes = wl.rows * sizeof(struct record);
	if (env && parse_int(env, 0, 1 << 20, &v))
		wl.phase_fd = (int)v;
	env = getenv(PROTO_ACK_ENV);
	if (env && parse_int(env, 0, 1 << 20, &v))
		wl.ack_fd = (int)v;
	env = getenv(PROTO_LESSON_ENV);
	wl.lesson = env && strcmp(env, "1") == 0;
	fault_env = getenv("SHMVIZ_FAULT");
	if (fault_env && !parse_fault(&wl, fault_env))
		return usage_error("SHMVIZ_FAULT (PHASE:SIGNAL)");
	wl.phase = "start";

	snprintf(name, sizeof(name), "shmviz-%s", wl.mode_name);
	prctl(PR_SET_NAME, name);
	signal(SIGPIPE, SIG_IGN); /* a dead worker's pipe gives EPIPE */
	{
		/* a worker stopped or continued (--lesson, p) is no death:
		 * no SIGCHLD for it, which would cut a checkpoint's wait */
		struct sigaction sa = { .sa_handler = SIG_DFL, .sa_flags = SA_NOCLDSTOP };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGCHLD, &sa, NULL);
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* shmviz set SIGKILL as our parent-death signal; SIGTERM instead,
	 * now that it is handled, so that even a SIGKILL of shmviz ends with
	 * the segment unlinked and the workers killed (no window: the switch
	 * is one call, and before it SIGKILL would come) */
	if (wl.phase_fd >= 0)
		prctl(PR_SET_PDEATHSIG, SIGTERM);
	wl.sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (wl.sigfd < 0 || pipe2(p, O_CLOEXEC) != 0) {
		fprintf(stderr, WORKLOAD_PROGRAM ": %s\n", strerror(errno));
		return EXIT_ENVIRONMENT;
	}
	wl.report_rd = p[0];
	wl.report_wr = p[1];
	wl.w = calloc((size_t)wl.nworkers, sizeof(*wl.w));
	if (!wl.w)
		return EXIT_ENVIRONMENT;
	rc = run(&wl);
	for (int i = 0; i < wl.nworkers; i++)
		if (wl.w[i].pid > 0)
			close(wl.w[i].cmd_fd);
	kill_workers(&wl);
	unlink_segment(&wl);
	if (wl.mode == WL_SHARED && wl.data)
		munmap(wl.data, wl.bytes);
	else
		free(wl.data);
	free(wl.w);
	close(wl.report_rd);
	close(wl.report_wr);
	close(wl.sigfd);
	return rc;
}
