/* The sampler against real processes, for what must never read as 0:
 *
 * - a process whose smaps_rollup is refused (EACCES: it is not dumpable,
 *   and we may not trace it) is unreadable: its figures are MODEL_KB_NONE,
 *   the tree's ΣPSS is marked partial, and the recording writes null and
 *   "smaps":"unreadable";
 * - a zombie is exited: no figure (null, "smaps":"gone"), in no total,
 *   even one read while it was alive;
 * - PID reuse (as root: clone3 with set_tid gives a new process the pid of
 *   one that just died) never joins the new process to the old series: a
 *   new process of the tree starts a series of its own, with its own start
 *   time and no role of the old one, and one outside the tree is not
 *   sampled at all.
 *
 * - with the run's cgroup (sampler_use_cgroup), every process in it is a
 *   member, found from its cgroup.procs: a grandchild forked by a thread
 *   other than the root's main thread, and a double-forked daemon whose
 *   parent exited (its parent is init here: no subreaper, so no scan by
 *   parent pid finds it), with the 8 MiB it touched; a child of ours
 *   outside the cgroup is none.
 *
 * As root, the unreadable part runs as user nobody (root may trace
 * anything); without the user, or without root for PID reuse or a cgroup
 * of our own, that part is skipped with a note. */
#include <errno.h>
#include <linux/sched.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "fixture.h"
#include "probes/cgroup.h"
#include "src/core/model.h"
#include "src/core/protocol.h"
#include "src/recording/record.h"
#include "src/sample/sampler.h"
#include "src/util/macros.h"

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static const struct proc_row *row_of(const struct run *r, pid_t pid)
{
	const struct frame *f = run_frame_at(r, -1);
	const struct proc_row *rows = f ? run_frame_rows(r, f) : NULL;

	for (size_t i = 0; rows && i < f->n; i++)
		if (rows[i].pid == pid)
			return &rows[i];
	return NULL;
}

static void check_mem_none(const struct smaps_kb *m)
{
	for (size_t i = 0; i < SMAPS_NFIELDS; i++)
		CHECK_INT(smaps_get(m, i), MODEL_KB_NONE);
}

/* the recorded proc object of pid in the last sample */
static cJSON *recorded_proc(cJSON *doc, pid_t pid)
{
	cJSON *run0 = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "runs"), 0);
	cJSON *samples = cJSON_GetObjectItem(run0, "samples");
	cJSON *last = cJSON_GetArrayItem(samples, cJSON_GetArraySize(samples) - 1);
	cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(last, "procs"))
		if ((pid_t)cJSON_GetNumberValue(cJSON_GetObjectItem(p, "pid")) == pid)
			return p;
	return NULL;
}

/* ---- unreadable and zombie ---- */

/* The tree: root R with a child that is not dumpable (unreadable to its
 * own user) and a child that has exited unreaped (a zombie). */
static pid_t start_tree(pid_t *undumpable, pid_t *zombie)
{
	int p[2];
	pid_t r;

	if (pipe(p) != 0)
		return -1;
	r = fork();
	if (r == 0) {
		pid_t kids[2];
		int q[2];
		char c;

		if (pipe(q) != 0)
			_exit(1);
		kids[0] = fork();
		if (kids[0] == 0) {
			/* 4 MiB touched: mmap'd, so the compiler cannot drop it */
			char *mem = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			prctl(PR_SET_DUMPABLE, 0);
			if (mem != MAP_FAILED)
				memset(mem, 1, 4 << 20);
			if (write(q[1], "r", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
		kids[1] = fork();
		if (kids[1] == 0)
			_exit(0);
		if (read(q[0], &c, 1) != 1)
			_exit(1);
		if (write(p[1], kids, sizeof(kids)) != (ssize_t)sizeof(kids))
			_exit(1);
		for (;;)
			pause(); /* never reaps: the second child stays a zombie */
	}
	close(p[1]);
	if (r < 0)
		return -1;
	{
		pid_t kids[2];

		if (read(p[0], kids, sizeof(kids)) != (ssize_t)sizeof(kids))
			return -1;
		*undumpable = kids[0];
		*zombie = kids[1];
	}
	close(p[0]);
	return r;
}

static void unreadable_and_zombie(void)
{
	char dir[] = "/tmp/shmviz-sampler.XXXXXX", path[64], err[256];
	const struct proc_row *w;
	const struct frame *f;
	struct recorder *rc = NULL;
	struct sampler *s;
	struct model m;
	struct run *r;
	pid_t tree, undumpable = 0, zombie = 0;
	bool is_zombie = false;

	tree = start_tree(&undumpable, &zombie);
	CHECK(tree > 0);
	if (tree <= 0)
		return;
	/* wait until the second child has exited and the first is set */
	for (int i = 0; i < 500 && !is_zombie; i++) {
		char p[64], buf[256];
		FILE *st;

		snprintf(p, sizeof(p), "/proc/%d/stat", (int)zombie);
		st = fopen(p, "r");
		if (st && fgets(buf, sizeof(buf), st))
			is_zombie = strstr(buf, ") Z ") != NULL;
		if (st)
			fclose(st);
		nap_ms(10);
	}
	CHECK(is_zombie);
	nap_ms(50);

	model_init(&m, false);
	r = model_add_run(&m, "A", "tree", "");
	s = sampler_create(10, 100, err, sizeof(err));
	CHECK(s != NULL && r != NULL);
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/r.json", dir);
	if (s && r)
		rc = record_create(path, false, err, sizeof(err));
	CHECK(rc != NULL);
	if (!s || !r || !rc)
		goto out;
	CHECK(record_begin(rc, &m));
	r->state = RUN_RUNNING;
	CHECK(record_run_begin(rc, r));
	sampler_begin(s, tree);
	for (int i = 0; i < 3; i++) {
		CHECK(sampler_tick(s, r, 0.01 * i, proto_now(), true));
		CHECK(record_tick(rc, r));
		nap_ms(10);
	}

	w = row_of(r, tree);
	CHECK(w != NULL);
	if (w) {
		/* read at the first tick; exact after, while it rests */
		CHECK(w->smaps == SMAPS_STATE_READ || w->smaps == SMAPS_STATE_EXACT);
		CHECK(w->mem.pss > 0);
	}
	w = row_of(r, undumpable);
	CHECK(w != NULL);
	if (w) {
		CHECK_INT(w->smaps, SMAPS_STATE_UNREADABLE);
		check_mem_none(&w->mem);
		/* the counters of status stay readable */
		CHECK(w->rss_now_kb >= 4L * 1024);
	}
	w = row_of(r, zombie);
	CHECK(w != NULL);
	if (w) {
		CHECK_INT(w->state, 'Z');
		CHECK_INT(w->smaps, SMAPS_STATE_GONE);
		check_mem_none(&w->mem);
		CHECK_INT(w->rss_now_kb, MODEL_KB_NONE);
	}
	f = run_frame_at(r, -1);
	CHECK(f != NULL);
	if (f) {
		const struct proc_row *root = row_of(r, tree);

		CHECK_INT(f->n, 3);
		CHECK_INT(f->total.nprocs, 3);
		/* the unreadable one makes ΣPSS partial; nothing counted 0 */
		CHECK(f->total.pss_partial);
		if (root)
			CHECK_INT(f->total.pss_kb, root->mem.pss);
	}

	r->state = RUN_DONE;
	CHECK(record_run_end(rc, r));
	CHECK(record_commit(rc, &m));
	{
		char *text = fixture_read(path, NULL);
		cJSON *doc = text ? cJSON_Parse(text) : NULL;
		cJSON *p;
		static const char *const keys[] = {
			"rss_kb", "pss_kb", "pss_shmem_kb", "shared_clean_kb",
			"shared_dirty_kb", "private_clean_kb", "private_dirty_kb",
			"swap_kb",
		};

		CHECK(doc != NULL);
		p = recorded_proc(doc, undumpable);
		CHECK(p != NULL);
		if (p) {
			CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(p, "smaps")),
				  "unreadable");
			for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
				CHECK(cJSON_IsNull(cJSON_GetObjectItem(p, keys[k])));
		}
		p = recorded_proc(doc, zombie);
		CHECK(p != NULL);
		if (p) {
			CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(p, "smaps")),
				  "gone");
			CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(p, "state")),
				  "Z");
			for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
				CHECK(cJSON_IsNull(cJSON_GetObjectItem(p, keys[k])));
			CHECK(cJSON_IsNull(cJSON_GetObjectItem(p, "rss_now_kb")));
		}
		cJSON_Delete(doc);
		free(text);
	}
out:
	kill(undumpable, SIGKILL);
	kill(tree, SIGKILL);
	waitpid(tree, NULL, 0);
	sampler_destroy(s);
	record_destroy(rc);
	unlink(path);
	rmdir(dir);
	model_finish(&m);
}

/* ---- PID reuse ---- */

/* A child with the given pid (clone3 set_tid: needs CAP_SYS_ADMIN). With
 * orphan, it is made by a helper that exits at once, so its parent is not
 * us. Returns its pid, or -errno. */
static pid_t child_with_pid(pid_t want, bool orphan)
{
	struct clone_args args;
	pid_t tid = want, pid, helper;
	int p[2];

	if (pipe(p) != 0)
		return -errno;
	if (orphan) {
		helper = fork();
		if (helper < 0)
			return -errno;
		if (helper > 0) {
			int status;
			pid_t got = 0;

			close(p[1]);
			waitpid(helper, &status, 0);
			if (read(p[0], &got, sizeof(got)) != (ssize_t)sizeof(got))
				got = -EIO;
			close(p[0]);
			return got;
		}
	}
	memset(&args, 0, sizeof(args));
	args.exit_signal = SIGCHLD;
	args.set_tid = (uint64_t)(uintptr_t)&tid;
	args.set_tid_size = 1;
	pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0) {
		for (;;)
			pause();
	}
	if (pid < 0)
		pid = -errno;
	if (orphan) {
		if (write(p[1], &pid, sizeof(pid)) != (ssize_t)sizeof(pid))
			_exit(1);
		_exit(0);
	}
	close(p[0]);
	close(p[1]);
	return pid;
}

static pid_t sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static void end_child(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* ---- read alive, then gone ---- */

/* A process read while alive, then exited and not reaped: gone, with no
 * figure, never the last ones read. */
static void read_then_gone(void)
{
	char err[256];
	const struct proc_row *w;
	struct sampler *s;
	struct model m;
	struct run *r;
	siginfo_t info;
	pid_t x;

	model_init(&m, false);
	r = model_add_run(&m, "A", "gone", "");
	s = sampler_create(10, 100, err, sizeof(err));
	CHECK(s != NULL && r != NULL);
	if (!s || !r)
		goto out;
	x = sleeper();
	sampler_begin(s, x);
	CHECK(sampler_tick(s, r, 0, proto_now(), true));
	w = row_of(r, x);
	CHECK(w != NULL);
	if (w) {
		CHECK_INT(w->smaps, SMAPS_STATE_READ);
		CHECK(w->mem.pss > 0);
	}
	kill(x, SIGKILL);
	/* exited, left a zombie: WNOWAIT does not reap */
	CHECK(waitid(P_PID, (id_t)x, &info, WEXITED | WNOWAIT) == 0);
	CHECK(sampler_tick(s, r, 0.01, proto_now(), true));
	w = row_of(r, x);
	CHECK(w != NULL);
	if (w) {
		CHECK_INT(w->state, 'Z');
		CHECK_INT(w->smaps, SMAPS_STATE_GONE);
		check_mem_none(&w->mem);
	}
	waitpid(x, NULL, 0);
out:
	sampler_destroy(s);
	model_finish(&m);
}

/* ---- a sample's time is its counters' ---- */

/* A tick whose caller read its clock, then waited (descheduled) while the
 * tree changed: a process exits between the caller's clock and the tick.
 * The sample shows the exit, so its time is after it: the run time of a
 * clock read after the exit at least, not the caller's; and a caller's
 * time before the newest sample's never takes the run back. */
static void stamped_at_counters(void)
{
	char err[256];
	const struct proc_row *w;
	struct sampler *s;
	struct model m;
	struct run *r;
	siginfo_t info;
	double mono_call, exited, after, t;
	pid_t x;

	model_init(&m, false);
	r = model_add_run(&m, "A", "stamp", "");
	s = sampler_create(10, 100, err, sizeof(err));
	CHECK(s != NULL && r != NULL);
	if (!s || !r)
		goto out;
	x = sleeper();
	sampler_begin(s, x);
	CHECK(sampler_tick(s, r, 0, proto_now(), true));
	w = row_of(r, x);
	CHECK(w != NULL && w->state != 'Z');
	/* run time 5 at mono_call; then the exit, then the tick */
	mono_call = proto_now();
	kill(x, SIGKILL);
	CHECK(waitid(P_PID, (id_t)x, &info, WEXITED | WNOWAIT) == 0);
	exited = proto_now();
	CHECK(exited > mono_call);
	CHECK(sampler_tick(s, r, 5.0, mono_call, false));
	after = proto_now();
	w = row_of(r, x);
	CHECK(w != NULL);
	if (w)
		CHECK_INT(w->state, 'Z');
	t = r->t_now;
	if (t < 5.0 + (exited - mono_call) || t > 5.0 + (after - mono_call)) {
		fprintf(stderr, "sample at %.6f s shows an exit at %.6f s or before "
			"(the tick ended at %.6f s)\n", t, 5.0 + (exited - mono_call),
			5.0 + (after - mono_call));
		CHECK(!"the sample is not of its counters' moment");
	}
	/* a caller's time before it: the sample keeps the run's newest */
	CHECK(sampler_tick(s, r, 1.0, proto_now(), false));
	CHECK(r->nticks == 3 && r->t_now == t);
	waitpid(x, NULL, 0);
out:
	sampler_destroy(s);
	model_finish(&m);
}

/* ---- no descriptor left ---- */

/* A root and 8 children read whole; then every descriptor is taken and 4
 * more children are born: the next sample cannot look for them (EMFILE),
 * and must say it may miss members rather than look whole; with
 * descriptors back, all 13. */
static void out_of_descriptors(void)
{
	char err[256];
	struct sampler *s;
	struct model m;
	struct run *r;
	pid_t root, kids[12];
	int fds[256], nfds = 0;
	const struct frame *f;
	struct rlimit old, lim;

	getrlimit(RLIMIT_NOFILE, &old);
	lim = old;
	lim.rlim_cur = 200;
	CHECK(setrlimit(RLIMIT_NOFILE, &lim) == 0);
	model_init(&m, false);
	r = model_add_run(&m, "A", "fds", "");
	s = sampler_create(10, 100, err, sizeof(err));
	CHECK(s != NULL && r != NULL);
	if (!s || !r)
		goto out;
	root = getpid();
	for (int i = 0; i < 8; i++)
		kids[i] = sleeper();
	sampler_begin(s, root);
	CHECK(sampler_tick(s, r, 0, proto_now(), true));
	CHECK(sampler_tick(s, r, 0.01, proto_now(), true));
	f = run_frame_at(r, -1);
	CHECK(f && f->n == 9 && !f->total.members_partial);
	while (nfds < 256 && (fds[nfds] = dup(0)) >= 0)
		nfds++;
	CHECK(nfds < 256 && errno == EMFILE);
	for (int i = 8; i < 12; i++)
		kids[i] = sleeper();
	CHECK(sampler_tick(s, r, 0.02, proto_now(), true));
	f = run_frame_at(r, -1);
	CHECK(f != NULL);
	if (f) {
		fprintf(stderr, "out of descriptors: %zu of 13 rows, members_partial %d\n",
			f->n, f->total.members_partial);
		CHECK(f->n == 13 || (f->total.members_partial && !f->total.consistent &&
				     f->total.pss_partial && r->nmissing == 1 &&
				     strstr(r->members_missing, "EMFILE")));
	}
	while (nfds > 0)
		close(fds[--nfds]);
	CHECK(sampler_tick(s, r, 0.03, proto_now(), true));
	f = run_frame_at(r, -1);
	CHECK(f && f->n == 13 && !f->total.members_partial);
	for (int i = 0; i < 12; i++)
		end_child(kids[i]);
out:
	sampler_destroy(s);
	model_finish(&m);
	setrlimit(RLIMIT_NOFILE, &old);
}

static void pid_reuse(void)
{
	char err[256];
	const struct proc_row *w;
	struct sampler *s;
	struct model m;
	struct run *r;
	pid_t root, x, y, z;
	uint64_t x_start = 0, y_start = 0;

	if (geteuid() != 0) {
		fprintf(stderr, "not root: PID reuse case not run\n");
		return;
	}
	model_init(&m, false);
	r = model_add_run(&m, "A", "reuse", "");
	s = sampler_create(10, 100, err, sizeof(err));
	CHECK(s != NULL && r != NULL);
	if (!s || !r)
		goto out;
	root = sleeper();
	x = sleeper();          /* our child: in the tree (we are its top) */
	sampler_begin(s, root);
	sampler_set_role(s, x, ROLE_WORKER);
	/* a workload may only name its own tree: pid 1 stays out */
	sampler_set_role(s, 1, ROLE_WORKER);
	CHECK(sampler_tick(s, r, 0, proto_now(), true));
	CHECK(row_of(r, 1) == NULL);
	w = row_of(r, x);
	CHECK(w != NULL);
	if (w) {
		CHECK_INT(w->role, ROLE_WORKER);
		x_start = w->start_ticks;
	}

	/* x dies; a new child of ours takes its pid, two clock ticks later
	 * (the start time is in clock ticks) */
	end_child(x);
	nap_ms(3 * 1000 / (int)sysconf(_SC_CLK_TCK) + 10);
	y = child_with_pid(x, false);
	if (y == -EEXIST || y == -EPERM || y == -ENOSYS || y == -EINVAL) {
		fprintf(stderr, "clone3 set_tid: %s: PID reuse case not run\n",
			strerror(-y));
		end_child(root);
		goto out;
	}
	CHECK_INT(y, x);
	CHECK(sampler_tick(s, r, 0.01, proto_now(), true));
	w = row_of(r, y);
	CHECK(w != NULL);
	if (w) {
		/* a series of its own: another start time, not the old role */
		CHECK(w->start_ticks != x_start);
		CHECK_INT(w->role, ROLE_CHILD);
		y_start = w->start_ticks;
	}

	/* y dies; a process outside the tree (its parent is not ours) takes
	 * the pid: it is not sampled */
	end_child(y);
	nap_ms(3 * 1000 / (int)sysconf(_SC_CLK_TCK) + 10);
	z = child_with_pid(y, true);
	if (z < 0) {
		fprintf(stderr, "clone3 set_tid: %s: outside case not run\n",
			strerror(-z));
	} else {
		CHECK_INT(z, y);
		CHECK(sampler_tick(s, r, 0.02, proto_now(), true));
		CHECK(row_of(r, z) == NULL);
		CHECK(row_of(r, root) != NULL);
		CHECK(sampler_tick(s, r, 0.03, proto_now(), true));
		CHECK(row_of(r, z) == NULL);
		kill(z, SIGKILL); /* not ours to reap: its new parent does */
	}
	(void)y_start;
	end_child(root);
out:
	sampler_destroy(s);
	model_finish(&m);
}

/* ---- members from the run's cgroup ---- */

#define DAEMON_KB 8192

struct forks {
	int ready;   /* write end: each process says its pid there */
};

static void say_pid(int fd)
{
	pid_t me = getpid();

	if (write(fd, &me, sizeof(me)) != (ssize_t)sizeof(me))
		_exit(1);
}

/* a thread of the root: forks the grandchild, and a child that forks the
 * daemon and exits */
static void *forker(void *arg)
{
	const struct forks *f = arg;
	pid_t d;

	if (fork() == 0) {
		say_pid(f->ready);
		for (;;)
			pause();
	}
	d = fork();
	if (d == 0) {
		if (fork() == 0) {
			char *p = mmap(NULL, DAEMON_KB * 1024, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p == MAP_FAILED)
				_exit(1);
			memset(p, 1, DAEMON_KB * 1024);
			say_pid(f->ready);
			for (;;)
				pause();
		}
		_exit(0);
	}
	waitpid(d, NULL, 0);
	return NULL;
}

/* the root: enters the cgroup (procs_fd), then its thread forks */
static void cg_root(int procs_fd, int ready)
{
	struct forks f = { ready };
	pthread_t t;

	if (write(procs_fd, "0", 1) != 1)
		_exit(1);
	close(procs_fd);
	if (pthread_create(&t, NULL, forker, &f) != 0)
		_exit(1);
	pthread_join(t, NULL);
	for (;;)
		pause();
}

static bool read_pid(int fd, pid_t *pid)
{
	return read(fd, pid, sizeof(*pid)) == (ssize_t)sizeof(*pid);
}

static void cgroup_members(void)
{
	char err[256], why[256], name[64];
	struct cgroup_dir base, dir = { 0 };
	const struct proc_row *w;
	struct sampler *s = NULL;
	struct model m;
	struct run *r;
	pid_t root = -1, gc = -1, dd = -1, outside = -1, pids[16];
	int p[2], procs_fd;
	ssize_t n;

	if (geteuid() != 0 || cgroup_of(0, &base, why, sizeof(why)) != 0 ||
	    cgroup_can_nest(&base, why, sizeof(why)) != 0) {
		fprintf(stderr, "no cgroup of our own (%s): cgroup case not run\n",
			geteuid() != 0 ? "not root" : why);
		return;
	}
	snprintf(name, sizeof(name), "shmviz-test-sampler-%d", (int)getpid());
	if (cgroup_make(&base, name, &dir, why, sizeof(why)) != 0) {
		fprintf(stderr, "cannot make a cgroup (%s): cgroup case not run\n", why);
		return;
	}
	model_init(&m, false);
	procs_fd = cgroup_procs_open(&dir);
	CHECK(procs_fd >= 0 && pipe(p) == 0);
	if (procs_fd < 0)
		goto out;
	root = fork();
	if (root == 0) {
		close(p[0]);
		cg_root(procs_fd, p[1]);
	}
	close(procs_fd);
	close(p[1]);
	CHECK(root > 0);
	/* the grandchild and the daemon, in either order */
	CHECK(read_pid(p[0], &gc) && read_pid(p[0], &dd));
	close(p[0]);
	outside = sleeper();
	r = model_add_run(&m, "A", "cgroup", "");
	s = sampler_create(10, 100, err, sizeof(err));
	CHECK(s != NULL && r != NULL);
	if (!s || !r || root <= 0)
		goto out;
	sampler_begin(s, root);
	sampler_use_cgroup(s, dir.path, dir.version);
	CHECK(sampler_tick(s, r, 0, proto_now(), true));
	CHECK(sampler_tick(s, r, 0.01, proto_now(), true));
	for (int k = 0; k < 2; k++) {
		pid_t pid = k ? dd : gc;

		w = row_of(r, pid);
		CHECK(w != NULL);
		if (!w)
			continue;
		CHECK_INT(w->role, ROLE_CHILD);
		/* read at the first tick, nothing moved since */
		CHECK(w->smaps == SMAPS_STATE_READ || w->smaps == SMAPS_STATE_EXACT);
		if (pid == dd) {
			/* its own 8 MiB, shared with nobody */
			CHECK(w->mem.anonymous >= DAEMON_KB);
			CHECK(w->mem.pss >= DAEMON_KB);
		}
	}
	CHECK(row_of(r, root) != NULL);
	/* ours, not in the cgroup: no member */
	CHECK(row_of(r, outside) == NULL);
	CHECK_INT((int)run_frame_at(r, -1)->n, 3);
out:
	sampler_destroy(s);
	if (outside > 0)
		end_child(outside);
	/* the daemon is init's child: killed here, reaped there */
	n = cgroup_procs(&dir, pids, 16);
	for (ssize_t i = 0; i < n && i < 16; i++)
		kill(pids[i], SIGKILL);
	if (root > 0)
		waitpid(root, NULL, 0);
	for (int i = 0; i < 200 && cgroup_remove(&dir) == -EBUSY; i++)
		nap_ms(10);
	model_finish(&m);
}

int main(void)
{
	struct passwd *pw = getpwnam("nobody");

	if (geteuid() == 0 && pw) {
		/* root may read anything: the unreadable case runs as nobody */
		pid_t pid = fork();
		int status = 0;

		if (pid == 0) {
			if (setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
				_exit(2);
			/* a change of user clears it; the tree inherits it */
			prctl(PR_SET_DUMPABLE, 1);
			unreadable_and_zombie();
			_exit(check_done());
		}
		CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	} else if (geteuid() == 0) {
		fprintf(stderr, "no user nobody: unreadable case not run\n");
	} else {
		unreadable_and_zombie();
	}
	read_then_gone();
	stamped_at_counters();
	pid_reuse();
	out_of_descriptors();
	cgroup_members();
	return check_done();
}
