/*
 * sampler.c - tree membership, per-tick reads, consistent snapshots and the
 * CPU budget (docs/recording.md: "Consistent samples" and "Figure states").
 *
 * Tracked processes are identified by pid and start time: a pid that comes
 * back with another start time is a new process (pid reuse never joins an
 * old series). Membership grows from three sources: the root, the pids the
 * workload announces, and looks for new members ("scans"): with the run's
 * memory cgroup, one read of its cgroup.procs (every process in it is a
 * member); without one, /proc scans: the first of a run reads every
 * process's ppid, later ones look only at the pids handed out since
 * (tree_new_descendants()). After a run's first, a look runs only when
 * /proc/loadavg's last pid moved, and looks are spaced so that they cost
 * at most a quarter of the counters; a tick that would publish a consistent sample scans whenever
 * the last pid moved, so that no new member can hide from it.
 *
 * Every tick reads every member's stat (state, faults, RSS: microseconds);
 * status (the RSS parts) only for a member whose stat changed. A member
 * "moved" when any of these changed since the tick before. A move either
 * concerns the process alone (its anonymous memory changed, its file and
 * shared memory did not, and its last read showed no anonymous page shared
 * with another: a fresh anonymous page has one mapper, so no other
 * process's PSS changes) or the whole tree (anything else, and a member
 * that appears, exits or becomes a zombie).
 *
 * A smaps_rollup figure is exact while neither its process nor the tree
 * moved since its read: it is published as "exact since" that read without
 * reading again, so a tree at rest costs only its stat reads. What moved is
 * read, out of a token bucket: shmviz earns budget x elapsed time and
 * spends whatever CPU it really used (CLOCK_PROCESS_CPUTIME_ID), holding at
 * most the budget of one second or of two intervals (src/sample/budget.c,
 * settled at each tick). A read is estimated as a fixed cost plus a cost
 * per kB of resident memory, both learned apart. Reads go, in this order: processes new
 * to the tree and, at a phase boundary, every process not exact, children
 * first and the root last (even in debt: it is paid back by reading less
 * afterwards); then the others not exact: first the members that forked one new
 * to the tree since their last read (their anonymous pages are shared now:
 * no estimate follows that, they are held until read) and, when a member
 * joined or left, those holding more than FILE_SHARE_KB of file pages (the
 * shares of the libraries they map with it move), then the largest
 * RSS move, then the oldest read. A tree at rest (nothing moved for two ticks) whose
 * figures are not all exact is swept whatever the bucket holds, at most
 * once a second and no more often than the budget pays for such a sweep:
 * otherwise a debt run up while everything moved (reads at a phase
 * boundary) could keep a tree that stopped from ever being one moment, and
 * the peak from consistent samples would miss its plateau.
 *
 * A sweep of reads is one moment only if nothing moved while it was taken:
 * after the reads every member's stat is read again and compared with the
 * reading before them, and the last pid is checked for new members. When
 * something moved the sweep is retried while the budget allows (twice at
 * most); then the sample is kept but marked not consistent, with the
 * members that moved. Between reads a member that moved is estimated from
 * its counters (src/sample/estimate.c) or, where the model cannot, held.
 */
#include "src/sample/sampler.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/utsname.h>

#include "probes/cgroup.h"
#include "probes/procs.h"
#include "probes/stat.h"
#include "probes/thp.h"
#include "probes/tree.h"
#include "src/core/protocol.h"
#include "src/sample/budget.h"
#include "src/sample/estimate.h"
#include "src/sample/highs.h"
#include "src/sample/objmode.h"
#include "src/sample/roles.h"
#include "src/util/clock.h"
#include "src/util/grow.h"
#include "src/util/text.h"

/* the weight of a new measure in a cost's moving average */
#define EWMA 0.3
#define SCAN_SHARE_INV 4.0
/* sweeps taken again when something moved while they were read */
#define SWEEP_RETRIES 2
/* file pages a member's PSS may hold before a change of the tree's
 * membership keeps its figures from being estimated */
#define FILE_SHARE_KB 1024
/* smaps_rollup Rss and status VmRSS of one moment differ by less (per-CPU
 * counter slack) */
#define COHERENT_KB 256
/* the shortest time between two reads of an exact figure */
#define EXACT_REFRESH_S 2.0
/* the part of the budget those reads may take: 1/25, 0.2% of a core at the
 * default budget (measured: a tenth cost 0.4% of a core on a held tree of
 * 5 x 240 MB, more than the ticks themselves at --interval 100) */
#define EXACT_REFRESH_SHARE 25
/* the part of an interval one tick's reads may take (their expected CPU):
 * a tick never blocks the loop much longer than an interval, whatever the
 * tree (a sweep of 200 processes mapping 2 GiB each is 3.2 s of reads: it
 * is spread over ticks); at least one read a tick */
#define TICK_READ_SHARE 0.5
/* reads taken between two looks at the clock (read_chosen) */
#define READ_BATCH 4
/* pages a memory cgroup's statistics may lag behind, per CPU: updates wait
 * in a per-CPU batch until MEMCG_CHARGE_BATCH (64) pages, and a read of
 * memory.stat folds the batches in only beyond 64 a CPU (Linux 6.8 and
 * later, memcg_rstat_updated() and memcg_vmstats_needs_flush(); before,
 * the flush may be skipped and no lag is bounded: the cgroup's figure is
 * not used, estimate_memcg_lag_bounded()) */
#define CG_LAG_PAGES 128

static const struct smaps_kb mem_none = SMAPS_KB_NONE;

/* what a tick compares to tell whether a process moved */
struct marks {
	bool known;
	char state;
	int64_t rss_pages;
	uint64_t minflt;
	uint64_t majflt;
	struct est_counters c;   /* status figures (carried while stat rests) */
};

struct tracked {
	pid_t pid;
	uint64_t start_ticks;   /* 0 until the first read */
	enum proc_role role;
	bool alive;
	enum smaps_state smaps;
	double smaps_t;         /* run time of the last smaps read */
	int64_t smaps_rss_kb;   /* counter RSS at that read */
	struct smaps_kb mem;    /* figures published: read, exact or estimated */
	struct smaps_kb read;   /* figures of the last read */
	struct est_counters at_read; /* counters at the last read */
	bool exact;             /* nothing moved since a consistent read */
	int64_t est_error_kb;   /* scratch: error of the estimate a read
	                           replaced */
	struct marks prev;      /* the tick before */
	bool moved;             /* scratch: moved since the tick before */
	bool read_now;          /* scratch of one tick */
	bool refresh;           /* scratch: read now though exact */
	bool shares_unread;     /* forked since its last read: held, read first */
	char comm_read[STAT_COMM_MAX]; /* its name at the last read, or when
	                                  a change was last noticed ("":
	                                  never read) */
	uint64_t flt_at_read;   /* faults (minor + major) at the last read */
	bool objm;              /* this tick: Pss_Shmem from the tree's
	                           objects (tick_objects) */
	bool owed;              /* owed a read by a sweep a phase boundary or
	                           a tree at rest asked for, not taken yet (a
	                           sweep spread over ticks: choose_forced) */
	bool debt_read;         /* read below the budget's floor by the
	                           sweep in debt (debt_sweep) */
	bool act_known;         /* act_* hold its last counters */
	int64_t act_rss_kb;     /* RSS at the last counters read, kB */
	int64_t shares_at_read; /* shares_moved_kb at its last read */
	bool shares_left;       /* its departure is in shares_moved_kb */
	int64_t act_sum_kb;     /* its own part of the tree's activity */
	int64_t act_pre_kb;     /* that at the counters before a sweep */
	int64_t act_at_read_kb; /* that at the counters before its last read */
	int64_t last_rss_kb;    /* the last RSS above 0 its counters showed:
	                           what it may still map while it tears its
	                           address space down (exiting()) */
	uint64_t act_flt;       /* faults (minor + major) then */
	int64_t g_read;         /* the tree's activity at the counters just
	                           before its last read (see tick_bound) */
	const struct proc_sample *sample; /* scratch: this tick's counters */
};

struct sampler {
	struct procs_reader *reader;
	struct roles *roles;     /* command lines read, for roles (roles.h) */
	struct objmode *om;      /* the tree's shared memory from its objects */
	struct objmode_member *omm;   /* scratch: the members for it */
	size_t omm_cap;
	bool obj_tick;           /* this tick's ΣPss_Shmem is the objects' */
	int64_t obj_extra_kb;    /* what dividing it could not place, kB */
	bool sweep_quiet;        /* this tick's last sweep was one moment */
	int64_t shares_moved_kb; /* the file and anonymous shares members
	                            that joined or left moved, kB: a member
	                            that maps pages others map takes its part
	                            of them from the others (its PSS of the
	                            pages it shares, read when it is new:
	                            joined_shares_kb()), and gives back at
	                            most its PSS when it leaves
	                            (note_shares()) */
	int interval_ms;
	struct budget bud;       /* CPU s that may be spent; read costs */
	struct highs hi;         /* sweeps owed to highs and plateaus */
	long hz;
	pid_t root;
	pid_t self;

	struct tracked *tr;
	size_t ntr, trcap;
	pid_t *pids;             /* scratch: members to read */
	size_t pids_cap;
	int cgfd;                /* the run's cgroup's directory; -1: none */
	int cgver;               /* its hierarchy: 1 or 2 */
	int64_t cg_lag_kb;       /* what its anonymous figure may lag, kB */
	int64_t cg_anon_kb;      /* this tick: the anonymous pages it maps,
	                            kB (cgroup_anon_now()); -1: not read */
	int64_t cg_read_kb;      /* its memory.stat's figure on an objects
	                            tick (cgroup_read()); -1: not read */
	size_t cg_nprocs;        /* cgroup.procs then, in cgpids */
	pid_t *cgpids;           /* scratch: its processes */
	size_t cgpids_cap;
	struct proc_sample *samples;   /* counters of this tick */
	size_t samples_cap;
	struct proc_sample *full;      /* smaps reads of this tick */
	size_t full_cap;
	struct proc_sample *after;     /* stat after the reads */
	size_t after_cap;
	struct est_member *est;        /* scratch: the tree for estimates */
	size_t est_cap;
	size_t *order;                 /* scratch: smaps candidates */
	size_t order_cap;
	struct proc_row *rows;
	size_t rows_cap;

	int64_t activity_kb;     /* the tree's activity so far, kB: every
	                            member's RSS moves and faults between two
	                            readings of its counters, and the RSS of
	                            members that left (docs/recording.md,
	                            "Bounds") */
	int64_t act_before;      /* activity_kb at the counters before the
	                            sweep being read */
	bool joined;             /* a member joined while the sweep was read */
	long page_kb;
	unsigned rest_ticks;     /* ticks in a row in which nothing moved */
	bool members_changed;    /* this tick: a member joined or left */
	double rest_sweep_t;     /* run time of the last sweep at rest */
	double next_refresh_t;   /* run time of the next read of an exact one */
	double tick_left;        /* CPU s of reads this tick may still take */
	size_t tick_reads;       /* reads taken this tick */
	bool high_now;           /* this tick's sweep is a high's (highs.h) */
	bool debt_sweep;         /* an owed sweep of members too big for any
	                            bucket runs the budget into debt until
	                            each is read (budget_may_owe()) */
	double tick_t0;          /* proto_now() when the tick began */
	double counters_mono;    /* proto_now() when the counters were read */
	double run_base;         /* this tick: run time less proto_now() */
	double t_floor;          /* this tick: the run's newest sample time */

	int64_t last_pid;        /* at the last scan */
	int tick_err;            /* -errno of a read that failed this tick
	                            (not a process gone): members may be
	                            missing from its sample */
	unsigned ticks_since_scan;
	bool scanned;            /* at least once this run */

	double cost_counter;     /* CPU s of reading one process's counters */
	double cost_read;        /* CPU s of one smaps_rollup read */
	double cost_scan;        /* CPU s of one /proc scan */
	double pss_interval_s;   /* mean time between reads of one process */
	double interval_sum;     /* session: sum and count of those times */
	uint64_t interval_n;

	/* what no process row shows, for the peak's upper end
	 * (src/core/upper.h): the faults of the processes shmviz reaped
	 * since the run began, and the machine's huge page faults */
	bool reaped_on;          /* shmviz reaps this tree (not --attach) */
	uint64_t reaped_base;    /* RUSAGE_CHILDREN faults when it began */
	struct thp_sizes thp;
	bool thp_ok;
	uint64_t faults_sig;     /* the tree's fault counters at the tick
	                            before, mixed (tick_kernel_counts()) */

	struct sampler_stats stats;
};

static void ewma(double *avg, double v)
{
	*avg = *avg > 0 ? *avg * (1 - EWMA) + v * EWMA : v;
}

struct sampler *sampler_create(int interval_ms, double budget_pct,
			       char *err, size_t errlen)
{
	struct sampler *s = calloc(1, sizeof(*s));
	struct utsname u;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->reader = procs_reader_create();
	if (!s->reader) {
		snprintf(err, errlen, "cannot read /proc through libproc2: %s",
			 strerror(errno));
		free(s);
		return NULL;
	}
	s->roles = roles_create();
	s->om = objmode_create();
	if (!s->roles || !s->om) {
		snprintf(err, errlen, "out of memory");
		sampler_destroy(s);
		return NULL;
	}
	s->interval_ms = interval_ms;
	budget_init(&s->bud, budget_pct);
	highs_init(&s->hi);
	s->hz = sysconf(_SC_CLK_TCK);
	if (s->hz <= 0)
		s->hz = 100;
	s->self = getpid();
	s->page_kb = sysconf(_SC_PAGESIZE) / 1024;
	if (s->page_kb <= 0)
		s->page_kb = 4;

	s->pss_interval_s = interval_ms / 1000.0;
	s->thp_ok = thp_open(&s->thp, "") == 0;
	s->cgfd = -1;
	s->cg_anon_kb = -1;
	s->cg_read_kb = -1;
	s->cg_lag_kb = CG_LAG_PAGES * s->page_kb * sysconf(_SC_NPROCESSORS_CONF);
	if (s->cg_lag_kb <= 0 || uname(&u) != 0 || !estimate_memcg_lag_bounded(u.release))
		s->cg_lag_kb = -1;
	return s;
}

void sampler_destroy(struct sampler *s)
{
	if (!s)
		return;
	procs_reader_destroy(s->reader);
	roles_destroy(s->roles);
	objmode_destroy(s->om);
	free(s->omm);
	free(s->tr);
	free(s->pids);
	free(s->cgpids);
	if (s->cgfd >= 0)
		close(s->cgfd);
	free(s->samples);
	free(s->full);
	free(s->after);
	free(s->est);
	free(s->order);
	free(s->rows);
	free(s);
}

int sampler_interval_ms(const struct sampler *s)
{
	return s->interval_ms;
}

void sampler_set_interval(struct sampler *s, int ms)
{
	s->interval_ms = ms;
}

double sampler_tokens(const struct sampler *s)
{
	return s->bud.tokens;
}

static void pay(struct sampler *s);

void sampler_note_mappings(struct sampler *s, size_t nreads, double cpu_s)
{
	s->stats.map_snaps++;
	s->stats.map_reads += nreads;
	s->stats.map_cpu_s += cpu_s;
	pay(s);
}

void sampler_pay(struct sampler *s)
{
	pay(s);
}

void sampler_get_stats(const struct sampler *s, struct sampler_stats *out)
{
	*out = s->stats;
	/* reads forced by phase boundaries come closer together than the
	 * interval; the figure people read is never below it */
	out->pss_interval_ms = fmax(s->pss_interval_s * 1000.0, s->interval_ms);
	out->pss_interval_mean_ms = s->interval_n ?
				    fmax(1e3 * s->interval_sum / (double)s->interval_n,
					 s->interval_ms) :
				    out->pss_interval_ms;
	out->pss_read_ms = s->cost_read * 1e3;
	out->pss_read_mean_ms = s->stats.pss_reads ?
				1e3 * s->stats.pss_cpu_s / (double)s->stats.pss_reads : 0;
	out->counter_read_us = s->cost_counter * 1e6;
	out->scan_ms = s->cost_scan * 1e3;
}

static struct tracked *find(struct sampler *s, pid_t pid)
{
	for (size_t i = 0; i < s->ntr; i++)
		if (s->tr[i].pid == pid && s->tr[i].alive)
			return &s->tr[i];
	return NULL;
}

/* Appends an entry for a process not seen before. */
static struct tracked *track_new(struct sampler *s, pid_t pid,
				 enum proc_role role)
{
	struct tracked *t;

	if (!grow((void **)&s->tr, &s->trcap, s->ntr + 1, sizeof(*s->tr)))
		return NULL;
	t = &s->tr[s->ntr++];
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	t->role = role;
	t->alive = true;
	t->smaps = SMAPS_STATE_NONE;
	t->smaps_rss_kb = -1;
	t->mem = mem_none;
	t->read = mem_none;
	t->at_read = (struct est_counters){ -1, -1, -1, -1 };
	return t;
}

/* Whether a process whose parent is ppid belongs to the tree: its parent
 * is shmviz (a run's root, or an orphan come back to the subreaper) or a
 * process tracked at the last tick. */
static bool in_tree(const struct sampler *s, pid_t ppid)
{
	if (ppid == s->self)
		return true;
	for (size_t i = 0; i < s->ntr; i++)
		if (s->tr[i].pid == ppid && s->tr[i].start_ticks)
			return true;
	return false;
}

static struct tracked *track(struct sampler *s, pid_t pid, enum proc_role role)
{
	struct tracked *t = find(s, pid);

	return t ? t : track_new(s, pid, role);
}

void sampler_begin(struct sampler *s, pid_t root)
{
	s->root = root;
	s->reaped_on = false;
	s->faults_sig = 0;
	s->ntr = 0;
	s->scanned = false;
	s->ticks_since_scan = 0;
	sampler_use_cgroup(s, NULL, 0);
	s->rest_ticks = 0;
	s->rest_sweep_t = 0;
	s->debt_sweep = false;
	s->next_refresh_t = 0;
	budget_begin(&s->bud, s->interval_ms);
	highs_begin(&s->hi);
	objmode_begin(s->om);
	track(s, root, ROLE_PARENT);
}

void sampler_count_reaped(struct sampler *s, bool on, uint64_t base)
{
	s->reaped_on = on;
	s->reaped_base = base;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h;
}

/* the tree's fault counters (each member's own and its reaped
 * children's, and what shmviz reaped), mixed into one word */
static uint64_t faults_sig(const struct proc_row *rows, size_t n, int64_t reaped)
{
	uint64_t h = mix(0, (uint64_t)n);

	h = mix(h, (uint64_t)reaped);
	for (size_t i = 0; i < n; i++) {
		h = mix(h, (uint64_t)rows[i].pid);
		h = mix(h, rows[i].start_ticks);
		h = mix(h, rows[i].minflt + rows[i].majflt);
		h = mix(h, rows[i].child_faults);
	}
	return h;
}

/* the kernel's counts the sample carries (run_tick_counters()). A huge
 * page the tree faulted counts a fault of the tree: where no fault
 * counter moved since the tick before, the machine's count is not read
 * (-1: unknown, the last one kept: docs/recording.md, "The peak's upper
 * end"); /proc/vmstat costs 20-50 us a read. */
static void tick_kernel_counts(struct sampler *s, struct run *r, const struct proc_row *rows,
			       size_t n)
{
	int64_t reaped = -1, thp = -1;
	struct rusage ru;
	uint64_t sig;

	if (s->reaped_on && getrusage(RUSAGE_CHILDREN, &ru) == 0) {
		uint64_t f = (uint64_t)ru.ru_minflt + (uint64_t)ru.ru_majflt;

		reaped = f >= s->reaped_base ? (int64_t)(f - s->reaped_base) : -1;
	}
	sig = faults_sig(rows, n, reaped);
	if (s->thp_ok && (sig != s->faults_sig || !r->nticks))
		thp = thp_faults_kb(&s->thp, "");
	/* a read that failed is tried again at the next tick */
	if (thp >= 0 || !s->thp_ok)
		s->faults_sig = sig;
	run_tick_counters(r, reaped, thp);
}

void sampler_use_cgroup(struct sampler *s, const char *path, int version)
{
	struct cgroup_dir d = { .version = version };

	if (s->cgfd >= 0)
		close(s->cgfd);
	s->cgfd = -1;
	s->cgver = version;
	if (path && version && strlen(path) < sizeof(d.path)) {
		snprintf(d.path, sizeof(d.path), "%s", path);
		s->cgfd = cgroup_dir_open(&d);   /* none: /proc scans */
		if (s->cgfd < 0)
			s->cgfd = -1;
	}
}

void sampler_set_role(struct sampler *s, pid_t pid, enum proc_role role)
{
	struct tracked *t = find(s, pid);
	struct proc_stat st;

	if (pid == s->root)
		return;
	if (!t) {
		/* a workload names its own children; a pid outside the tree
		 * (pid 1, another user's process) never joins it */
		if (stat_read(pid, &st) != 0 ||
		    (st.ppid != s->self && !find(s, st.ppid)))
			return;
		t = track(s, pid, role);
	}
	if (t)
		t->role = role;
}

/* The processes of the run's cgroup into s->cgpids, *n their number.
 * Returns 0 or -errno. */
static int cgroup_members(struct sampler *s, size_t *n)
{
	ssize_t got;

	for (;;) {
		got = cgroup_procs_at(s->cgfd, s->cgpids, s->cgpids_cap);
		if (got < 0)
			return (int)got;
		if ((size_t)got <= s->cgpids_cap)
			break;
		/* more than room for: read again into more */
		if (!grow((void **)&s->cgpids, &s->cgpids_cap, (size_t)got + 16,
			  sizeof(*s->cgpids)))
			return -ENOMEM;
	}
	*n = (size_t)got;
	return 0;
}

/* Adds the processes that joined the tree: with the run's cgroup, those
 * of its cgroup.procs not tracked yet (every process there is a member: a
 * process cannot leave its cgroup by itself); else by a /proc scan, all
 * of /proc the first time in a run, then only the pids handed out since
 * the last scan. shmviz is a subreaper, so an orphan of the tree comes
 * back as its own child: it counts as a member for the scan. Returns how
 * many processes joined, or -1 when the scan failed (membership unknown). */
static int scan(struct sampler *s)
{
	pid_t *found = NULL;
	const pid_t *list;
	size_t n = 0;
	double c0 = clock_cpu_thread_s();
	int64_t now = tree_last_pid();
	bool full = !s->scanned || now < 0 || s->last_pid < 0;
	int err, joined = 0;

	if (s->cgfd >= 0) {
		err = cgroup_members(s, &n);
		/* the cgroup is gone or unreadable: /proc scans from now (a
		 * full one next) */
		if (err && err != -EMFILE && err != -ENFILE && err != -ENOMEM)
			sampler_use_cgroup(s, NULL, 0);
		full = false;   /* one read, whatever the tick */
	} else if (full) {
		pid_t roots[2] = { s->root, s->self };

		err = tree_descendants(roots, 2, &found, &n);
	} else {
		size_t nm = 0;

		if (!grow((void **)&s->pids, &s->pids_cap, s->ntr + 1,
			  sizeof(*s->pids)))
			return -1;
		for (size_t i = 0; i < s->ntr; i++)
			if (s->tr[i].alive)
				s->pids[nm++] = s->tr[i].pid;
		s->pids[nm++] = s->self;
		err = tree_new_descendants(s->pids, nm, s->last_pid, now,
					   &found, &n);
	}
	s->last_pid = now;
	if (err && !s->tick_err)
		s->tick_err = err;   /* membership unknown: this sample says so */
	list = s->cgfd >= 0 ? s->cgpids : found;
	if (err == 0) {
		for (size_t i = 0; i < n; i++) {
			if (list[i] == s->root || find(s, list[i]))
				continue;
			if (track_new(s, list[i], ROLE_CHILD))
				joined++;
		}
	}
	free(found);
	c0 = clock_cpu_thread_s() - c0;
	/* the spacing is for the incremental scans: the full one is once a
	 * run, and its cost would hold the next ones back for seconds */
	if (!full)
		ewma(&s->cost_scan, c0);
	s->stats.scan_cpu_s += c0;
	s->stats.scans++;
	/* a scan that failed (no descriptor left) may have missed members:
	 * the next one lists all of /proc again */
	s->scanned = err == 0;
	s->ticks_since_scan = 0;
	return err == 0 ? joined : -1;
}

static bool scan_due(struct sampler *s, size_t nalive)
{
	double spacing;

	if (!s->scanned)
		return true;
	s->ticks_since_scan++;
	/* amortised, a scan may cost a quarter of the counters it rides on
	 * (on a machine that forks all the time, last_pid moves every tick) */
	spacing = s->cost_counter > 0 && nalive ?
		  ceil(SCAN_SHARE_INV * s->cost_scan /
		       (s->cost_counter * (double)nalive)) : 1;
	if (spacing > 100)
		spacing = 100;
	if (s->ticks_since_scan < spacing)
		return false;
	return tree_last_pid() != s->last_pid;
}

/* drops the entries of exited processes */
static void compact(struct sampler *s)
{
	size_t j = 0;

	for (size_t i = 0; i < s->ntr; i++)
		if (s->tr[i].alive)
			s->tr[j++] = s->tr[i];
	s->ntr = j;
}

static struct est_counters counters_of(const struct proc_sample *ps)
{
	struct est_counters c = {
		ps->vm_rss_kb, ps->rss_anon_kb, ps->rss_file_kb, ps->rss_shmem_kb,
	};

	return c;
}

static struct marks marks_of(const struct proc_sample *ps)
{
	struct marks m = {
		.known = true,
		.state = ps->stat.state,
		.rss_pages = ps->stat.rss_pages,
		.minflt = ps->stat.minflt,
		.majflt = ps->stat.majflt,
		.c = counters_of(ps),
	};

	return m;
}

static bool zombie(char state)
{
	return state == 'Z' || state == 'X';
}

/* A process that has let go of its address space but is not a zombie yet:
 * the kernel is tearing its mappings down (exit_mmap runs after the task
 * drops its mm, and only then does it become a zombie), so the pages it
 * shared still count in the others' PSS while it shows none. The tree is
 * moving until it is a zombie. */
static bool exiting(const struct proc_sample *ps)
{
	/* stat's RSS is the counters' global part, which the per-CPU parts
	 * reach only in batches (Linux 6.2 on): a fresh fork shows 0 there;
	 * status sums them, and has no memory lines without an mm */
	return !zombie(ps->stat.state) && ps->stat.rss_pages == 0 &&
	       ps->vm_rss_kb <= 0;
}

/* whether stat says the process moved since m */
static bool stat_moved(const struct marks *m, const struct proc_stat *st)
{
	return !m->known || m->state != st->state ||
	       zombie(m->state) != zombie(st->state) ||
	       m->rss_pages != st->rss_pages || m->minflt != st->minflt ||
	       m->majflt != st->majflt;
}

/* A move that changes no other member's figures: only the process's own
 * anonymous memory changed, and its last read showed none of it shared
 * (a fresh anonymous page has one mapper; a write to a page shared after
 * fork moves the other sharer's PSS too). */
static bool moved_alone(const struct tracked *tr, const struct proc_sample *ps)
{
	const struct marks *m = &tr->prev;

	if (!m->known || zombie(ps->stat.state) || zombie(m->state))
		return false;
	if (ps->rss_file_kb != m->c.file_kb || ps->rss_shmem_kb != m->c.shmem_kb ||
	    ps->rss_file_kb < 0 || ps->rss_shmem_kb < 0)
		return false;
	if (tr->read.anonymous < 0 || tr->read.pss_anon < 0)
		return false;
	return tr->read.anonymous - tr->read.pss_anon <= ESTIMATE_SHARED_ANON_KB;
}

/* What a member that joined took from the others' shares of the file and
 * anonymous pages, kB: its PSS of the pages it shares, as read (its
 * private pages took nothing from anyone). Why that is enough, with only
 * joins (mapcounts grow) and p a page mapped by n(t) processes at t: the
 * sum of reads counts p at 1/n(t_m) for each member m that maps it, read
 * at t_m, where one moment (now) counts 1/n(now). Let t0 be the oldest
 * read in the sum, A the members mapping p at t0 and B those that began
 * mapping it since. Then sum_A 1/n(t_m) <= |A|/n(t0) <= (|A| + |B|) /
 * n(now) (|A| <= n(t0), n(now) = n(t0) + |B|: mappers outside the tree
 * are what they are in any read), so the sum over-counts p by at most
 * sum_B 1/n(t_m): the joiners' PSS of p as read. A joiner b that read p
 * private (n(t_b) = 1) adds nothing: nothing mapped p before t_b but b
 * (a mapper then would map it still), so taking t0 = t_b puts b in A.
 * smaps_rollup counts a page private exactly when it is mapped once, at
 * its whole size, in Private_Clean + Private_Dirty, of any kind; the
 * shmem among them is at most Pss_Shmem (each at its size there). So the
 * private anonymous and file pages are at least Private_Clean +
 * Private_Dirty - Pss_Shmem, and the shared part at most Pss_Anon +
 * Pss_File less that. Where its own shared memory leaves nothing of that
 * (Pss_Shmem above its private pages), its anonymous part still has a
 * bound: a page mapped k >= 2 times counts size/k <= size/2 in Pss_Anon
 * and size in Anonymous, so the anonymous pages it shares count at most
 * Anonymous - Pss_Anon. A member that unmaps, faults or copies on write
 * after its read moves its counters (object_member_bound(), cow_kb()).
 * The Pss figures are rounded down to the kB: each is taken a kB higher.
 * -1 figures (unknown): 0, as before a figure is known. */
static int64_t joined_shares_kb(const struct smaps_kb *m)
{
	int64_t anon = m->pss_anon + 1, file = m->pss_file + 1, all, priv, a;

	if (m->pss_file < 0 || m->pss_anon < 0)
		return 0;
	all = file + anon;
	if (m->anonymous >= 0) {
		a = m->anonymous - m->pss_anon;
		a = a < 0 ? 0 : a < anon ? a : anon;
		all = file + a;
	}
	if (m->private_clean < 0 || m->private_dirty < 0 || m->pss_shmem < 0)
		return all;
	priv = m->private_clean + m->private_dirty - (m->pss_shmem + 1);
	if (priv <= 0)
		return all;
	priv = file + anon - priv;
	return priv < 0 ? 0 : priv < all ? priv : all;
}

/* Records a read of a process's smaps_rollup. */
static void apply_read(struct sampler *s, struct tracked *tr,
		       const struct proc_sample *ps, double t, bool exact)
{
	switch (ps->smaps_err) {
	case 0:
		if (tr->smaps == SMAPS_STATE_NONE)
			s->shares_moved_kb += joined_shares_kb(&ps->smaps);
		tr->shares_at_read = s->shares_moved_kb;
		if (tr->smaps != SMAPS_STATE_NONE && tr->smaps != SMAPS_STATE_GONE &&
		    tr->smaps != SMAPS_STATE_UNREADABLE) {
			ewma(&s->pss_interval_s, t - tr->smaps_t);
			s->interval_sum += t - tr->smaps_t;
			s->interval_n++;
		}
		tr->smaps = SMAPS_STATE_READ;
		tr->shares_unread = false;
		snprintf(tr->comm_read, sizeof(tr->comm_read), "%s", ps->stat.comm);
		tr->read = ps->smaps;
		tr->mem = tr->read;
		tr->at_read = counters_of(ps);
		tr->exact = exact;
		tr->g_read = s->act_before;
		tr->flt_at_read = ps->stat.minflt + ps->stat.majflt;
		tr->act_at_read_kb = tr->act_pre_kb;
		break;
	case -ENODATA:
		/* no address space, a zombie: it holds no memory, and its
		 * figures are unknown rather than zero (no total counts it) */
		tr->smaps = SMAPS_STATE_GONE;
		tr->mem = tr->read = mem_none;
		tr->exact = true;
		break;
	default:
		tr->smaps = SMAPS_STATE_UNREADABLE;
		tr->mem = tr->read = mem_none;
		tr->exact = true;
		break;
	}
	tr->owed = false;
	tr->smaps_t = t;
	tr->smaps_rss_kb = ps->vm_rss_kb;
}

static void fill_row(struct sampler *s, const struct tracked *tr,
		     const struct proc_sample *ps, struct proc_row *row)
{
	memset(row, 0, sizeof(*row));
	row->pid = ps->stat.pid;
	row->ppid = ps->stat.ppid;
	row->role = tr->role;
	text_sanitize(row->comm, sizeof(row->comm), ps->stat.comm,
		      strlen(ps->stat.comm), false);
	row->state = ps->stat.state;
	row->start_ticks = ps->stat.start_ticks;
	row->smaps = tr->smaps;
	row->smaps_t = tr->smaps_t;
	row->mem = tr->mem;
	row->rss_now_kb = ps->vm_rss_kb;
	row->rss_anon_kb = ps->rss_anon_kb;
	row->rss_file_kb = ps->rss_file_kb;
	row->rss_shmem_kb = ps->rss_shmem_kb;
	if (zombie(row->state)) {
		/* status has no memory lines for an exited process */
		row->rss_now_kb = MODEL_KB_NONE;
		row->rss_anon_kb = MODEL_KB_NONE;
		row->rss_file_kb = MODEL_KB_NONE;
		row->rss_shmem_kb = MODEL_KB_NONE;
	}
	row->utime_s = (double)ps->stat.utime_ticks / (double)s->hz;
	row->stime_s = (double)ps->stat.stime_ticks / (double)s->hz;
	row->minflt = ps->stat.minflt;
	row->majflt = ps->stat.majflt;
	row->child_faults = ps->stat.child_faults;
	row->moved = tr->moved;
	row->est_error_kb = MODEL_KB_NONE;
}

/* Earns budget for the time since the last tick and pays for the CPU
 * shmviz used meanwhile (sampling, drawing, recording: everything). */
static void settle(struct sampler *s)
{
	double elapsed;

	s->stats.cpu_s += budget_settle(&s->bud, s->interval_ms, proto_now(),
					clock_cpu_process_s(), &elapsed);
	s->stats.wall_s += elapsed;
}

/* pays for CPU spent inside a tick at once, so that a retry sees it */
static void pay(struct sampler *s)
{
	s->stats.cpu_s += budget_pay(&s->bud, clock_cpu_process_s());
}

static double smaps_cost(const struct sampler *s, const struct proc_sample *c)
{
	return budget_read_cost(&s->bud, (double)c->vm_rss_kb);
}

/* how far a process's RSS moved since its last smaps read, kB */
static int64_t moved_kb(const struct tracked *tr)
{
	int64_t d;

	if (!tr->sample || tr->smaps_rss_kb < 0)
		return 0;
	d = tr->sample->vm_rss_kb - tr->smaps_rss_kb;
	return d < 0 ? -d : d;
}

static struct sampler *sort_ctx;

static int64_t object_member_bound(const struct tracked *tr);

/* What a read of tr would take off the sample's bound, kB: where the last
 * sample's shared memory came from the objects (tick_objects()), what
 * moved besides it and the shares members that joined or left moved since
 * its read (its shared memory is known without it); otherwise how far its
 * RSS moved. */
static double read_gain(const struct sampler *s, const struct tracked *tr)
{
	if (s->obj_tick && tr->objm) {
		int64_t d = object_member_bound(tr);

		return (double)((d > 0 ? d : 0) + s->shares_moved_kb - tr->shares_at_read);
	}
	return (double)moved_kb(tr);
}

/* candidates: the owed and those whose shares moved first, then the
 * largest gain for the CPU its read costs (a read costs in proportion to
 * resident memory: the biggest members are read least often), then the
 * oldest read */
static int by_priority(const void *pa, const void *pb)
{
	const struct tracked *a = &sort_ctx->tr[*(const size_t *)pa];
	const struct tracked *b = &sort_ctx->tr[*(const size_t *)pb];
	double ma = read_gain(sort_ctx, a) / smaps_cost(sort_ctx, a->sample);
	double mb = read_gain(sort_ctx, b) / smaps_cost(sort_ctx, b->sample);

	if (a->owed != b->owed)
		return a->owed ? -1 : 1;
	if (a->shares_unread != b->shares_unread)
		return a->shares_unread ? -1 : 1;
	if (ma != mb)
		return ma > mb ? -1 : 1;
	if (a->smaps_t != b->smaps_t)
		return a->smaps_t < b->smaps_t ? -1 : 1;
	return 0;
}

/* whether a member's figures need a read: not exact, or unreadable for a
 * while (a process may become readable: setuid dropped, dumpable set) */
static bool wants_read(const struct tracked *tr, double t, double interval)
{
	if (tr->smaps == SMAPS_STATE_NONE)
		return true;
	/* gone for good once a zombie; a process caught between two address
	 * spaces (execve starts the new one empty) is read again */
	if (tr->smaps == SMAPS_STATE_GONE)
		return tr->sample && !zombie(tr->sample->stat.state) &&
		       !exiting(tr->sample);
	if (tr->smaps == SMAPS_STATE_UNREADABLE)
		return t - tr->smaps_t >= fmax(1.0, interval * 10);
	return !tr->exact;
}

/* An exact figure holds while nothing in the tree moves, except for pages
 * shared with processes outside it (libraries): their share changes as
 * such processes start and exit, which no counter of the tree shows. So a
 * tree at rest is read again, one member at a time (the oldest read), each
 * at most every EXACT_REFRESH_S, and all of it costing at most a 25th of
 * the budget (the next one waits for its cost / (budget / 25)); how far a
 * figure had drifted goes to the statistics. Returns 1 when one was chosen
 * (into s->pids[0]), else 0. */
static size_t choose_refresh(struct sampler *s, double t, double avail)
{
	struct tracked *best = NULL;
	double cost;

	if (s->bud.rate <= 0 || t < s->next_refresh_t)
		return 0;
	for (size_t i = 0; i < s->ntr; i++) {
		struct tracked *tr = &s->tr[i];

		tr->refresh = false;
		if (!tr->sample || zombie(tr->sample->stat.state) || !tr->exact ||
		    (tr->smaps != SMAPS_STATE_EXACT && tr->smaps != SMAPS_STATE_READ) ||
		    t - tr->smaps_t < EXACT_REFRESH_S)
			continue;
		if (!best || tr->smaps_t < best->smaps_t)
			best = tr;
	}
	if (!best || (cost = smaps_cost(s, best->sample)) > avail)
		return 0;
	s->next_refresh_t = t + cost / (s->bud.rate / EXACT_REFRESH_SHARE);
	best->refresh = true;
	best->read_now = true;
	s->pids[0] = best->pid;
	return 1;
}

/* The tree's ΣPSS as its members were last read (what an estimate's
 * error is weighed against); -1 when no member has been read. */
static int64_t tree_pss(const struct sampler *s)
{
	int64_t sum = -1;

	for (size_t i = 0; i < s->ntr; i++)
		if (s->tr[i].sample && s->tr[i].read.pss >= 0)
			sum = (sum < 0 ? 0 : sum) + s->tr[i].read.pss;
	return sum;
}

/* Whether a member mapped more than ESTIMATE_FILE_GROWTH_KB of file pages
 * since its read (an interpreter loading its libraries): the others
 * mapping the same files now hold smaller shares of them (a Python
 * parent's file PSS halved as its spawned workers loaded numpy) */
static bool file_grew(const struct sampler *s)
{
	for (size_t i = 0; i < s->ntr; i++) {
		const struct tracked *tr = &s->tr[i];

		if (tr->sample && tr->at_read.file_kb >= 0 && tr->sample->rss_file_kb >= 0 &&
		    tr->sample->rss_file_kb - tr->at_read.file_kb > ESTIMATE_FILE_GROWTH_KB)
			return true;
	}
	return false;
}

/* Members whose shares moved in a way no estimate follows: held until
 * read, and read first (shares_unread). */
static void mark_shares_unread(struct sampler *s)
{
	/* a member whose name changed since its last read (an exec: a
	 * forked root becoming its program; a prctl rename reads it once
	 * more): the figures read are of another address space, which no
	 * estimate follows */
	for (size_t i = 0; i < s->ntr; i++) {
		struct tracked *tr = &s->tr[i];

		if (tr->sample && tr->comm_read[0] &&
		    strcmp(tr->sample->stat.comm, tr->comm_read) != 0) {
			/* once: held until its read clears it (one that
			 * cannot be read becomes unreadable there) */
			snprintf(tr->comm_read, sizeof(tr->comm_read), "%s",
				 tr->sample->stat.comm);
			tr->shares_unread = true;
		}
	}
	/* a member that forked one new to the tree shares its anonymous
	 * pages with it now: no estimate follows that (held until read) */
	for (size_t i = 0; i < s->ntr; i++) {
		const struct tracked *c = &s->tr[i];

		if (c->sample && c->smaps == SMAPS_STATE_NONE)
			for (size_t j = 0; j < s->ntr; j++)
				if (s->tr[j].pid == c->sample->stat.ppid)
					s->tr[j].shares_unread = true;
	}
	/* a member that joined or left, or loaded libraries, changes how
	 * many map the tree's libraries: the file pages' shares of the
	 * others move, which their counters do not show (an interpreter's
	 * pool: megabytes of them) */
	if (s->members_changed || file_grew(s)) {
		int64_t total = tree_pss(s);

		for (size_t i = 0; i < s->ntr; i++) {
			struct tracked *tr = &s->tr[i];

			/* and any pages shared with one that left (a root's
			 * anonymous pages, with its forked workers; libraries)
			 * become more of the rest's: in a tree that shrank to
			 * the root, up to a quarter of ΣPSS */
			if (tr->sample && (tr->read.pss_file > FILE_SHARE_KB ||
					   estimate_shares_move(&tr->read, total)))
				tr->shares_unread = true;
		}
	}
}

/* Whether a read of cost may be taken now whatever the budget holds (a
 * member new to the tree, or owed a read by a phase boundary, a checkpoint
 * or a tree at rest): as the budget's window allows (budget_may_owe():
 * above its floor, or a process too big for any bucket paid as a debt the
 * window repays), and within what one tick may read (tick_left; the first
 * read of a tick whatever it costs). */
static bool may_force(const struct sampler *s, const struct tracked *tr,
		      double avail, double cost, size_t taken)
{
	/* a sweep at a high or a plateau is paid from its own allowance
	 * (highs.h): its moment would be gone at the next ticks */
	if (!s->high_now &&
	    !budget_may_owe(&s->bud, s->interval_ms, avail, cost,
			    s->debt_sweep && !tr->debt_read))
		return false;
	return (taken == 0 && s->tick_reads == 0) || cost <= s->tick_left;
}

/* Takes member tr's read into s->pids (n so far); pays its expected cost
 * from *avail and from what the tick may still read. */
static size_t take(struct sampler *s, struct tracked *tr, size_t n,
		   double *avail)
{
	double cost = smaps_cost(s, tr->sample);

	/* a read below the floor: a sweep in debt (budget_may_owe()) */
	if (!s->high_now && *avail - cost < budget_floor(&s->bud, s->interval_ms)) {
		s->debt_sweep = true;
		tr->debt_read = true;
	}
	*avail -= cost;
	s->tick_left -= cost;
	s->tick_reads++;
	s->pids[n++] = tr->pid;
	tr->read_now = true;
	return n;
}

/* The reads taken whatever the budget holds, as far as may_force()
 * allows: first the members new to the tree, then those owed a read
 * (force: a phase boundary or a tree at rest owes every member not exact
 * one), newest first and the root last: while workers attach, the root's
 * share only shrinks, and reading it last keeps a sum taken during the
 * change close to the truth. What is left stays owed: the sweep is spread
 * over the next ticks (docs/architecture.md, "The life of one sample").
 * The others not exact go into s->order (*ncand). Returns n. */
static size_t choose_forced(struct sampler *s, double t, bool force,
			    double *avail, size_t *ncand)
{
	double interval = s->interval_ms / 1000.0;
	size_t n = 0;
	bool owing = false;

	/* a sweep in debt ends when no member is owed a read any more */
	for (size_t i = 0; i < s->ntr; i++)
		owing |= s->tr[i].owed && s->tr[i].sample &&
			 !zombie(s->tr[i].sample->stat.state);
	if (!owing) {
		s->debt_sweep = false;
		for (size_t i = 0; i < s->ntr; i++)
			s->tr[i].debt_read = false;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = s->ntr; i-- > 0;) {
			struct tracked *tr = &s->tr[i];
			bool fresh;

			if (pass == 0)
				tr->read_now = false;
			if (!tr->sample || zombie(tr->sample->stat.state) ||
			    tr->read_now || !wants_read(tr, t, interval))
				continue;
			fresh = tr->smaps == SMAPS_STATE_NONE;
			if (pass == 0 && force && !fresh)
				tr->owed = true;
			if (pass == 0 ? !fresh : !tr->owed) {
				if (pass == 1)
					s->order[(*ncand)++] = i;
				continue;
			}
			if (may_force(s, tr, *avail, smaps_cost(s, tr->sample), n))
				n = take(s, tr, n, avail);
			else if (pass == 1)
				s->order[(*ncand)++] = i;
		}
	}
	return n;
}

/* Chooses whose smaps_rollup to read this tick; fills s->pids, returns n.
 * Members not exact are read: those choose_forced() takes, then as many
 * as the budget and the tick allow in priority order (by_priority()). */
static size_t choose_smaps(struct sampler *s, double t, bool force)
{
	double avail = s->bud.tokens;
	size_t n = 0, ncand = 0;

	if (!grow((void **)&s->order, &s->order_cap, s->ntr, sizeof(*s->order)))
		return 0;
	mark_shares_unread(s);
	n = choose_forced(s, t, force, &avail, &ncand);
	sort_ctx = s;
	if (ncand > 1)
		qsort(s->order, ncand, sizeof(*s->order), by_priority);
	for (size_t k = 0; k < ncand; k++) {
		struct tracked *tr = &s->tr[s->order[k]];
		double cost = smaps_cost(s, tr->sample);

		if (tr->read_now)
			continue;
		if (cost > avail || (cost > s->tick_left && s->tick_reads > 0))
			break;
		n = take(s, tr, n, &avail);
	}
	if (n == 0 && ncand == 0)
		n = choose_refresh(s, t, avail);
	return n;
}

/* The tree's activity: what a member's counters moved since the last
 * reading of them. A page that enters or leaves the tree (a fault, an
 * unmap, a member that exits) moves ΣPSS by at most a page; a page moving
 * between two members leaves it as it was, but the counters cannot tell
 * the two apart, so both count. Faults are counted as one page each (a
 * fault that maps more, file fault-around or a huge page, shows in the
 * RSS move unless it is unmapped again before the next reading). */
static void note_activity(struct sampler *s, struct tracked *tr,
			  const struct proc_stat *st)
{
	int64_t rss = st->rss_pages >= 0 ? st->rss_pages * s->page_kb : 0;
	uint64_t flt = st->minflt + st->majflt;

	int64_t a = rss;

	if (tr->act_known) {
		int64_t d = rss - tr->act_rss_kb;

		a = d < 0 ? -d : d;
		if (flt > tr->act_flt)
			a += (int64_t)(flt - tr->act_flt) * s->page_kb;
	}
	s->activity_kb += a;
	tr->act_sum_kb += a;
	tr->act_known = true;
	tr->act_rss_kb = rss;
	if (rss > 0)
		tr->last_rss_kb = rss;
	tr->act_flt = flt;
}

/* The shares a member's departure gives back to the others (see
 * shares_moved_kb): its whole file and anonymous PSS, as read (once). Not
 * only its shared part (joined_shares_kb()): a page it read private may
 * be shared when it leaves (a child it forked since, a file page another
 * member faulted since), and the others' reads of it then count half. */
static void note_shares(struct sampler *s, struct tracked *tr)
{
	if (tr->shares_left || tr->read.pss_file < 0 || tr->read.pss_anon < 0)
		return;
	s->shares_moved_kb += tr->read.pss_file + tr->read.pss_anon;
	tr->shares_left = true;
}

/* a member that left: its pages left the tree */
static void note_gone(struct sampler *s, struct tracked *tr)
{
	note_shares(s, tr);
	if (!tr->act_known)
		return;
	s->activity_kb += tr->act_rss_kb;
	tr->act_known = false;
	tr->act_rss_kb = 0;
}

/* Reads the stat of every member with a sample into out; returns false
 * when a member moved (or went) since its reading in ref. The activity of
 * every member since its last counters is added up meanwhile. */
static bool still(struct sampler *s, struct proc_sample *out)
{
	size_t n = 0, got = 0;
	bool same = true;

	for (size_t i = 0; i < s->ntr; i++)
		if (s->tr[i].sample)
			s->pids[n++] = s->tr[i].pid;
	if (!n)
		return true;
	procs_read_stat(s->reader, s->pids, n, out, &got);
	s->stats.counter_reads += got;
	if (got != n)
		same = false;
	for (size_t i = 0, k = 0; i < s->ntr; i++) {
		const struct proc_sample *a = s->tr[i].sample;
		const struct proc_sample *b = NULL;
		struct marks m;

		if (!a)
			continue;
		for (size_t j = 0; j < got; j++) {
			size_t at = (k + j) % got;

			if (out[at].stat.pid == a->stat.pid) {
				b = &out[at];
				k = at + 1;
				break;
			}
		}
		if (!b || b->stat.start_ticks != a->stat.start_ticks) {
			note_gone(s, &s->tr[i]);
			same = false;
			continue;
		}
		note_activity(s, &s->tr[i], &b->stat);
		m = marks_of(a);
		if (stat_moved(&m, &b->stat))
			same = false;
	}
	return same;
}

/* whether a process may have joined the tree since the last scan; scans
 * when the last pid moved (a consistent sample must know its members) */
static bool members_unchanged(struct sampler *s)
{
	int64_t now = tree_last_pid();

	if (now >= 0 && now == s->last_pid)
		return true;
	return scan(s) == 0;
}

/* Reads the stat (and where it moved, status) of every member: step 1 of
 * a tick. Returns the number read. */
static size_t read_counters(struct sampler *s, size_t nmembers)
{
	size_t got = 0;
	int err = procs_read_stat(s->reader, s->pids, nmembers, s->samples, &got);

	/* a member that could not be read (no descriptor left) is not gone:
	 * the sample is marked as one that may miss members */
	if (err && !s->tick_err)
		s->tick_err = err;
	for (size_t i = 0; i < got; i++) {
		struct proc_sample *ps = &s->samples[i];
		const struct tracked *prev = NULL;

		for (size_t j = 0; j < s->ntr; j++) {
			if (s->tr[j].pid == ps->stat.pid &&
			    s->tr[j].start_ticks == ps->stat.start_ticks &&
			    s->tr[j].prev.known) {
				prev = &s->tr[j];
				break;
			}
		}
		if (zombie(ps->stat.state))
			continue;
		if (prev && !stat_moved(&prev->prev, &ps->stat)) {
			/* stat at rest: status's parts are what they were */
			ps->vm_rss_kb = prev->prev.c.rss_kb;
			ps->rss_anon_kb = prev->prev.c.anon_kb;
			ps->rss_file_kb = prev->prev.c.file_kb;
			ps->rss_shmem_kb = prev->prev.c.shmem_kb;
		} else {
			procs_read_status(s->reader, ps);
		}
	}
	return got;
}

/* Matches this tick's readings to the tracked processes; a member not read
 * has exited; a reused pid is a new process. Returns false when out of
 * memory. */
static bool match_samples(struct sampler *s, size_t got)
{
	/* after a failed read, a member not read may be alive: it stays a
	 * member, without a row this tick */
	for (size_t i = 0; i < s->ntr && !s->tick_err; i++)
		s->tr[i].alive = false;
	for (size_t i = 0; i < got; i++) {
		struct tracked *tr = NULL;

		for (size_t j = 0; j < s->ntr; j++) {
			if (s->tr[j].pid == s->samples[i].stat.pid &&
			    !s->tr[j].sample) {
				tr = &s->tr[j];
				break;
			}
		}
		if (!tr)
			continue;
		if (tr->start_ticks && tr->start_ticks != s->samples[i].stat.start_ticks) {
			/* the pid was reused: the old process is gone; the new
			 * one gets a series of its own, if it is in the tree */
			if (!in_tree(s, s->samples[i].stat.ppid))
				continue;
			tr = track_new(s, s->samples[i].stat.pid, ROLE_CHILD);
			if (!tr)
				return false;
		}
		tr->alive = true;
		tr->start_ticks = s->samples[i].stat.start_ticks;
		tr->sample = &s->samples[i];
	}
	return true;
}

/* Decides who moved since the last tick and what that does to the figures
 * held: a move of the tree ends every member's exactness, a move of one
 * process alone its own. Returns whether the tree moved. */
static bool note_moves(struct sampler *s, bool members_left)
{
	bool tree = members_left;

	for (size_t i = 0; i < s->ntr; i++) {
		struct tracked *tr = &s->tr[i];
		const struct proc_sample *ps = tr->sample;

		tr->moved = false;
		if (!ps)
			continue;
		if (!tr->prev.known || exiting(ps)) {
			tr->moved = true;
			tree = true;
			continue;
		}
		if (!stat_moved(&tr->prev, &ps->stat) &&
		    ps->rss_anon_kb == tr->prev.c.anon_kb &&
		    ps->rss_file_kb == tr->prev.c.file_kb &&
		    ps->rss_shmem_kb == tr->prev.c.shmem_kb)
			continue;
		tr->moved = true;
		tr->exact = false;
		if (!moved_alone(tr, ps))
			tree = true;
	}
	if (tree)
		for (size_t i = 0; i < s->ntr; i++)
			s->tr[i].exact = s->tr[i].smaps == SMAPS_STATE_GONE ||
					 s->tr[i].smaps == SMAPS_STATE_UNREADABLE;
	return tree;
}

/* whether the tick has taken the wall time its reads may take */
static bool tick_spent(const struct sampler *s)
{
	return proto_now() - s->tick_t0 > TICK_READ_SHARE * s->interval_ms / 1000.0;
}

/* Reads smaps_rollup of the chosen (in s->pids, *k of them) into s->full
 * in batches of READ_BATCH; returns how many were read. The choice is
 * made from the reads' expected CPU; on a loaded machine a read takes
 * longer than its CPU, so once the tick has taken TICK_READ_SHARE of an
 * interval of wall time no batch follows: *k is set to those attempted,
 * the others are not read now (owed ones stay owed). */
static size_t read_chosen(struct sampler *s, size_t *k)
{
	size_t gotfull = 0, done = 0;
	double c2, c3;
	int64_t kb_read = 0;

	c2 = clock_cpu_thread_s();
	while (done < *k) {
		size_t c = *k - done, got = 0;

		if (c > READ_BATCH)
			c = READ_BATCH;

		if (done > 0 && tick_spent(s))
			break;
		for (size_t j = 0; j < c; j++) {
			for (size_t i = 0; i < s->ntr; i++) {
				if (s->tr[i].pid == s->pids[done + j] && s->tr[i].sample) {
					s->full[gotfull + j] = *s->tr[i].sample;
					break;
				}
			}
		}
		procs_read_smaps(s->reader, s->full + gotfull, c, &got);
		gotfull += got;
		done += c;
	}
	c3 = clock_cpu_thread_s();
	for (size_t j = done; j < *k; j++)
		for (size_t i = 0; i < s->ntr; i++)
			if (s->tr[i].pid == s->pids[j])
				s->tr[i].read_now = false;
	*k = done;
	s->stats.pss_cpu_s += c3 - c2;
	if (gotfull)
		ewma(&s->cost_read, (c3 - c2) / (double)gotfull);
	for (size_t i = 0; i < gotfull; i++)
		kb_read += s->full[i].vm_rss_kb > 0 ? s->full[i].vm_rss_kb : 0;
	if (gotfull)
		budget_learn_read(&s->bud, gotfull, (double)kb_read, c3 - c2);
	s->stats.pss_reads += gotfull;
	return gotfull;
}

static const struct proc_sample *read_of(const struct sampler *s,
					 const struct tracked *tr, size_t gotfull)
{
	for (size_t k = 0; k < gotfull; k++)
		if (s->full[k].stat.pid == tr->pid &&
		    s->full[k].stat.start_ticks == tr->start_ticks)
			return &s->full[k];
	return NULL;
}

/* The estimate of every member for this tick, into est (the tree's shared
 * memory is divided among all of them); returns the share used. */
static double tree_share(struct sampler *s)
{
	size_t n = 0;

	if (!grow((void **)&s->est, &s->est_cap, s->ntr + 1, sizeof(*s->est)))
		return -1;
	for (size_t i = 0; i < s->ntr; i++) {
		const struct tracked *tr = &s->tr[i];

		if (!tr->sample || zombie(tr->sample->stat.state))
			continue;
		s->est[n].read = tr->read.pss >= 0 ? &tr->read : NULL;
		s->est[n].at_read = tr->at_read;
		s->est[n].now = counters_of(tr->sample);
		n++;
	}
	return estimate_shmem_share(s->est, n);
}

/* A read showing anonymous memory shared with another process (a fork the
 * tree has not seen yet) is beyond the estimate's model, as estimate_mem()
 * refuses to start from it: it does not judge an estimate either. */
static bool anon_shared(const struct smaps_kb *r, int64_t tree_pss_kb)
{
	return estimate_anon_shared(r->anonymous, r->pss_anon, r->pss,
				    tree_pss_kb);
}

/* Whether a read judges the estimate it replaces though the sweep was not
 * one moment: the process maps no shared memory (its PSS then hardly
 * depends on the others'), did not fork, and the read is of the moment of
 * its counters (smaps_rollup's Rss is status's VmRSS within COHERENT_KB:
 * not a read taken while it grew or exited after the counters). */
static bool coherent_alone(const struct tracked *tr, const struct proc_sample *ps,
			   const struct est_counters *now)
{
	int64_t d = ps->smaps.rss - ps->vm_rss_kb;

	return ps->smaps_err == 0 && ps->vm_rss_kb >= 0 && !tr->shares_unread &&
	       now->shmem_kb == 0 && tr->at_read.shmem_kb == 0 &&
	       d <= COHERENT_KB && d >= -COHERENT_KB;
}

/* Whether a read is of the moment of the counters an estimate starts
 * from (the tick's, taken before the sweep): smaps_rollup's Rss is their
 * VmRSS within COHERENT_KB. A process that freed or grew between its
 * counters and its read (a worker letting go of its copy while a loaded
 * machine kept the sampler waiting) cannot judge the estimate: the two
 * differ by what moved, not by the estimate's error. */
static bool read_of_counters(const struct proc_sample *ps,
			     const struct est_counters *now)
{
	int64_t d = ps->smaps.rss - now->rss_kb;

	return now->rss_kb >= 0 && d <= COHERENT_KB && d >= -COHERENT_KB;
}

static bool any_exiting(const struct sampler *s)
{
	for (size_t i = 0; i < s->ntr; i++)
		if (s->tr[i].sample && exiting(s->tr[i].sample))
			return true;
	return false;
}

/* The per-member arrays of a tick, as large as the tree (and one more);
 * false when out of memory. */
static bool grow_scratch(struct sampler *s)
{
	return grow((void **)&s->pids, &s->pids_cap, s->ntr + 1, sizeof(*s->pids)) &&
	       grow((void **)&s->samples, &s->samples_cap, s->ntr + 1, sizeof(*s->samples)) &&
	       grow((void **)&s->full, &s->full_cap, s->ntr + 1, sizeof(*s->full)) &&
	       grow((void **)&s->after, &s->after_cap, s->ntr + 1, sizeof(*s->after)) &&
	       grow((void **)&s->rows, &s->rows_cap, s->ntr + 1, sizeof(*s->rows));
}

/* The activity since the last counters, of every member read now and of
 * those that left */
static void note_counters(struct sampler *s)
{
	for (size_t i = 0; i < s->ntr; i++) {
		struct tracked *tr = &s->tr[i];

		if (tr->sample) {
			note_activity(s, tr, &tr->sample->stat);
			tr->act_pre_kb = tr->act_sum_kb;
		} else if (!tr->alive)
			note_gone(s, tr);
	}
}

/* Reads the counters of every member again (a sweep is retried from
 * them); *gone is set when a member went. Returns false when out of
 * memory. */
static bool refresh_counters(struct sampler *s, bool *gone)
{
	size_t n = 0, got;

	/* a scan since the tick began may have added members */
	if (!grow_scratch(s))
		return false;

	for (size_t i = 0; i < s->ntr; i++) {
		s->tr[i].sample = NULL;
		if (s->tr[i].alive)
			s->pids[n++] = s->tr[i].pid;
	}
	got = n ? read_counters(s, n) : 0;
	s->counters_mono = proto_now();
	s->stats.counter_reads += got;
	if (!match_samples(s, got))
		return false;
	for (size_t i = 0; i < s->ntr; i++)
		if (!s->tr[i].alive && s->tr[i].prev.known)
			*gone = true;
	note_counters(s);
	return true;
}

static bool any_moved(const struct sampler *s)
{
	for (size_t i = 0; i < s->ntr; i++)
		if (s->tr[i].sample && s->tr[i].moved)
			return true;
	return false;
}

/* The run time of the counters just read: the moment a sample's figures
 * describe (its reads are bounded against those counters), its time; never
 * before the run's newest sample */
static double counters_t(const struct sampler *s)
{
	return fmax(s->counters_mono + s->run_base, s->t_floor);
}

/* whether a tree at rest is owed a sweep (see the head of this file) */
static bool rest_sweep_due(const struct sampler *s, double t)
{
	bool stale = false;
	double cost = 0;

	if (s->rest_ticks < 2)
		return false;
	for (size_t i = 0; i < s->ntr; i++) {
		const struct tracked *tr = &s->tr[i];

		if (!tr->sample || zombie(tr->sample->stat.state))
			continue;
		cost += smaps_cost(s, tr->sample);
		if (!tr->exact && tr->smaps != SMAPS_STATE_NONE &&
		    tr->smaps != SMAPS_STATE_GONE && tr->smaps != SMAPS_STATE_UNREADABLE)
			stale = true;
	}
	if (!stale || s->bud.rate <= 0)
		return false;
	return s->rest_sweep_t <= 0 || t - s->rest_sweep_t >= fmax(1.0, cost / s->bud.rate);
}

/* Step 1 of a tick: the counters of every member; *t is set to their
 * moment (counters_t()). *gone is set when a member went; *force_pss when
 * a tree at rest is owed a sweep. Returns false when out of memory. */
static bool tick_counters(struct sampler *s, double *t, bool *force_pss,
			  bool *gone)
{
	size_t nmembers, got = 0;
	double c0, c1;

	if (!grow_scratch(s))
		return false;
	nmembers = 0;
	for (size_t i = 0; i < s->ntr; i++) {
		s->tr[i].read_now = false;
		s->tr[i].sample = NULL;
		if (s->tr[i].alive)
			s->pids[nmembers++] = s->tr[i].pid;
	}
	c0 = clock_cpu_thread_s();
	if (nmembers)
		got = read_counters(s, nmembers);
	c1 = clock_cpu_thread_s();
	s->counters_mono = proto_now();
	*t = counters_t(s);
	if (got)
		ewma(&s->cost_counter, (c1 - c0) / (double)got);
	s->stats.counter_cpu_s += c1 - c0;
	s->stats.counter_reads += got;
	if (!match_samples(s, got))
		return false;
	for (size_t i = 0; i < s->ntr; i++)
		if (!s->tr[i].alive && s->tr[i].prev.known)
			*gone = true;
	note_counters(s);
	compact(s);
	note_moves(s, *gone);
	s->members_changed = *gone;
	for (size_t i = 0; i < s->ntr; i++) {
		const struct tracked *tr = &s->tr[i];

		if (!tr->sample)
			continue;
		/* one new, or one that let go of its address space (its
		 * shares are the others' now, as when it leaves) */
		if (tr->smaps == SMAPS_STATE_NONE ||
		    (tr->prev.known && !zombie(tr->prev.state) && tr->prev.rss_pages > 0 &&
		     (zombie(tr->sample->stat.state) || exiting(tr->sample))))
			s->members_changed = true;
	}
	if (any_moved(s) || *gone)
		s->rest_ticks = 0;
	else
		s->rest_ticks++;
	if (!*force_pss && rest_sweep_due(s, *t)) {
		*force_pss = true;
		s->rest_sweep_t = *t;
		s->stats.rest_sweeps++;
	}
	return true;
}

/* The reads of one sweep, gotfull of them, into each member's figures:
 * quiet when nothing moved while they were read. */
static void apply_reads(struct sampler *s, double t, size_t gotfull,
			bool quiet, double share, int64_t total)
{
	for (size_t i = 0; i < s->ntr; i++) {
		struct tracked *tr = &s->tr[i];
		const struct proc_sample *ps;
		struct smaps_kb est;
		struct est_counters now;

		if (!tr->read_now || !(ps = read_of(s, tr, gotfull)))
			continue;
		/* what the estimate would have said: its error, against
		 * a read that is one moment of the tree */
		tr->est_error_kb = MODEL_KB_NONE;
		now = counters_of(tr->sample);
		if ((quiet || coherent_alone(tr, ps, &now)) &&
		    read_of_counters(ps, &now) && !tr->shares_unread &&
		    !anon_shared(&ps->smaps, total) &&
		    tr->smaps == SMAPS_STATE_ESTIMATED && ps->smaps_err == 0 &&
		    estimate_mem(&tr->read, &tr->at_read, &now, share, total, &est))
			tr->est_error_kb = ps->smaps.pss - est.pss;
		if (tr->refresh && quiet && ps->smaps_err == 0 && tr->read.pss >= 0) {
			int64_t d = ps->smaps.pss - tr->read.pss;

			d = d < 0 ? -d : d;
			s->stats.exact_refreshes++;
			if (d > 0)
				s->stats.exact_drifted++;
			if (d > s->stats.exact_drift_max_kb)
				s->stats.exact_drift_max_kb = d;
		}
		tr->refresh = false;
		apply_read(s, tr, ps, t, quiet);
	}
}

/* The run's cgroup's anonymous pages and processes (a read of its
 * memory.stat, then of its cgroup.procs: tens of µs) into cg_read_kb and
 * cgpids, on an objects tick where it can narrow the bound
 * (tick_objects()), the kernel bounding the figure's lag. It is read
 * after the sweep's closing counters and the objects' step: what moved
 * between (tens of µs of computing) is not counted (docs/recording.md,
 * "Bounds", Limits). */
static void cgroup_read(struct sampler *s)
{
	s->cg_read_kb = -1;
	if (s->cgfd < 0 || s->cg_lag_kb < 0 || s->joined || s->members_changed ||
	    s->tick_err)
		return;
	if (cgroup_anon_at(s->cgfd, s->cgver, &s->cg_read_kb) != 0 ||
	    cgroup_members(s, &s->cg_nprocs) != 0)
		s->cg_read_kb = -1;
}

/* Step 2 of a tick: smaps_rollup of what is not exact; a sweep is one
 * moment only when nothing moved while it was read: taken again while the
 * budget allows, from counters read again (*t then moves to their
 * moment), else kept and marked. *gotfull_out is set to the reads of the
 * last sweep, *consistent_out to whether it was one moment. Returns false
 * when out of memory. */
static bool tick_sweep(struct sampler *s, double *tp, bool force_pss, bool gone,
		       size_t *gotfull_out)
{
	size_t nfull, gotfull = 0;
	double share, t = *tp;
	int64_t total;

	for (int attempt = 0;; attempt++) {
		bool quiet, same, nojoin;

		share = tree_share(s);
		total = tree_pss(s);
		s->act_before = s->activity_kb;
		nfull = choose_smaps(s, t, force_pss && attempt == 0);
		gotfull = read_chosen(s, &nfull);
		/* each is asked: still() adds up what moved meanwhile */
		same = nfull == 0 || still(s, s->after);
		nojoin = members_unchanged(s);
		s->joined = !nojoin;
		quiet = gotfull == nfull && same && nojoin && !any_exiting(s);
		apply_reads(s, t, gotfull, quiet, share, total);
		s->sweep_quiet = quiet && gotfull > 0;
		pay(s);
		/* one moment, or close enough to one that another sweep
		 * would not make it tighter (a busy tree moves always) */
		if (quiet || (gotfull == nfull && nojoin &&
			      s->activity_kb - s->act_before <=
			      model_bound_tight_kb(total > 0 ? total : 0)))
			break;
		/* something moved while reading: everyone's figures are of
		 * two moments (exact no more, also when no retry follows);
		 * read again from the new counters while the budget allows */
		for (size_t i = 0; i < s->ntr; i++)
			s->tr[i].exact = s->tr[i].smaps == SMAPS_STATE_GONE ||
					 s->tr[i].smaps == SMAPS_STATE_UNREADABLE;
		if (attempt >= SWEEP_RETRIES || s->bud.tokens <= 0 || tick_spent(s))
			break;
		if (!refresh_counters(s, &gone))
			return false;
		t = counters_t(s);
		note_moves(s, gone);
	}
	*tp = t;
	*gotfull_out = gotfull;
	return true;
}

/* Step 3 of a tick: the figures not read now: exact, estimated or held
 * (gotfull: the reads of the tick's last sweep). */
static void tick_unread(struct sampler *s, size_t gotfull)
{
	double share;
	int64_t total;

	share = tree_share(s);
	total = tree_pss(s);
	for (size_t i = 0; i < s->ntr; i++) {
		struct tracked *tr = &s->tr[i];
		const struct proc_sample *ps = tr->sample;
		struct est_counters now;

		if (!ps)
			continue;
		if (tr->read_now && read_of(s, tr, gotfull))
			continue;
		if (zombie(ps->stat.state) || exiting(ps)) {
			/* no address space any more (being torn down, or a
			 * zombie): it holds nothing it could be charged for */
			tr->smaps = SMAPS_STATE_GONE;
			tr->mem = mem_none;
			tr->exact = true;
			continue;
		}
		if (tr->smaps == SMAPS_STATE_NONE || tr->smaps == SMAPS_STATE_GONE ||
		    tr->smaps == SMAPS_STATE_UNREADABLE)
			continue;
		if (tr->exact) {
			tr->smaps = SMAPS_STATE_EXACT;
			tr->mem = tr->read;
			continue;
		}
		now = counters_of(ps);
		if (!tr->shares_unread &&
		    estimate_mem(&tr->read, &tr->at_read, &now, share, total, &tr->mem)) {
			tr->smaps = SMAPS_STATE_ESTIMATED;
		} else {
			tr->smaps = SMAPS_STATE_HELD;
			tr->mem = tr->read;
		}
	}
}

/* The members for objmode_held() into s->omm; returns how many, or 0
 * when a member has no figure to divide from (never read, tearing its
 * address space down) or out of memory. *est is set when one is
 * estimated or held. */
static size_t object_members(struct sampler *s, bool *est, bool *shmem)
{
	size_t n = 0;

	*est = *shmem = false;
	if (!grow((void **)&s->omm, &s->omm_cap, s->ntr + 1, sizeof(*s->omm)))
		return 0;
	for (size_t i = 0; i < s->ntr; i++) {
		const struct tracked *tr = &s->tr[i];
		const struct proc_sample *ps = tr->sample;

		/* one tearing its address space down still maps its pages
		 * (its counters say none) */
		if (ps && exiting(ps))
			return 0;
		if (!ps || zombie(ps->stat.state) || tr->smaps == SMAPS_STATE_GONE ||
		    tr->smaps == SMAPS_STATE_UNREADABLE)
			continue;
		if (tr->smaps == SMAPS_STATE_NONE || tr->mem.pss_shmem < 0)
			return 0;
		*est = *est || tr->smaps == SMAPS_STATE_ESTIMATED ||
		       tr->smaps == SMAPS_STATE_HELD;
		*shmem = *shmem || ps->rss_shmem_kb > 0;
		s->omm[n++] = (struct objmode_member){
			ps->stat.pid, ps->stat.start_ticks, ps->rss_shmem_kb,
			ps->stat.vsize,
		};
	}
	return n;
}

/* A sweep of one moment read every member: its ΣPss_Shmem is what the
 * objects hold, or they are not to be trusted (a mapper outside the tree,
 * shared memory the objects do not show) */
static void check_objects(struct sampler *s, size_t n)
{
	int64_t held, sum = 0, d;

	if (!objmode_held(s->om, s->omm, n, &held))
		return;
	for (size_t i = 0; i < s->ntr; i++)
		if (s->tr[i].sample && s->tr[i].mem.pss_shmem > 0)
			sum += s->tr[i].mem.pss_shmem;
	d = sum - held;
	/* each read rounds its Pss_Shmem down to a kB */
	if (d > 4 || d < -(int64_t)n - 4)
		objmode_distrust(s->om);
}

static int64_t counters_anon_kb(const struct sampler *s);
static int64_t cgroup_anon_now(struct sampler *s);

/* Step 3b of a tick: where the tree's shared memory is known from its
 * objects (src/sample/objmode.h), the members estimated or held get the
 * part of it the others' figures leave, in proportion to their RssShmem:
 * ΣPss_Shmem is then the objects' size, whoever faulted which pages since
 * the reads, and tick_bound_objects() bounds the rest. */
static void tick_objects(struct sampler *s)
{
	size_t n;
	bool est, shmem;
	int64_t held, fixed = 0, spread = 0, rest, placed = 0;

	s->obj_tick = false;
	for (size_t i = 0; i < s->ntr; i++) {
		struct tracked *tr = &s->tr[i];

		tr->objm = false;
		/* one that let go of its address space has left */
		if (tr->sample && (zombie(tr->sample->stat.state) || exiting(tr->sample)))
			note_shares(s, tr);
	}
	if (s->joined || s->members_changed || s->tick_err)
		return;
	n = object_members(s, &est, &shmem);
	if (!n || !shmem)
		return;
	if (!est) {
		if (s->sweep_quiet)
			check_objects(s, n);
		return;
	}
	if (!objmode_held(s->om, s->omm, n, &held))
		return;
	for (size_t i = 0; i < s->ntr; i++) {
		struct tracked *tr = &s->tr[i];

		if (!tr->sample || tr->mem.pss_shmem < 0 || zombie(tr->sample->stat.state))
			continue;
		if (tr->smaps == SMAPS_STATE_ESTIMATED || tr->smaps == SMAPS_STATE_HELD) {
			tr->objm = true;
			spread += tr->sample->rss_shmem_kb;
		} else {
			fixed += tr->mem.pss_shmem;
		}
	}
	rest = held - fixed;
	for (size_t i = 0; i < s->ntr; i++) {
		struct tracked *tr = &s->tr[i];
		int64_t part;

		if (!tr->objm)
			continue;
		part = rest > 0 && spread > 0 ?
		       (int64_t)llround((double)rest * (double)tr->sample->rss_shmem_kb /
				       (double)spread) : 0;
		tr->mem.pss += part - tr->mem.pss_shmem;
		tr->mem.pss_shmem = part;
		tr->smaps = SMAPS_STATE_ESTIMATED;
		placed += part;
	}
	/* rounding, a rest below zero (the reads of this tick saw more than
	 * the objects hold), or one no member maps any more */
	s->obj_extra_kb = rest > placed ? rest - placed : placed - rest;
	if (rest < 0)
		s->obj_extra_kb = -rest + placed;
	s->obj_tick = true;
	s->stats.obj_ticks++;
	/* the cgroup's anonymous pages (cgroup_read()), where they can
	 * narrow the bound */
	s->cg_anon_kb = -1;
	if (counters_anon_kb(s) > s->cg_lag_kb && s->cg_lag_kb >= 0) {
		cgroup_read(s);
		s->cg_anon_kb = cgroup_anon_now(s);
	}
}

/* Pages the counters count and the read did not see, or the reverse:
 * smaps_rollup's Rss against the RSS counters of the same moment, beyond
 * the counters' per-CPU slack. A process descheduled while it unmaps a
 * large mapping has the mapping gone from its list (the read sees none of
 * it) and its pages still mapped (the others' shares of them still
 * divided by it), with no counter moving: a sum of reads taken then was
 * 10 MiB short of a 64 MiB file while nothing moved (tests/e2e/truth.sh,
 * churn). */
static int64_t unseen_kb(const struct tracked *tr, const struct proc_sample *ps)
{
	int64_t d;

	if (tr->read.rss < 0 || ps->vm_rss_kb < 0)
		return 0;
	d = tr->read.rss - ps->vm_rss_kb;
	/* within the counters' per-CPU slack either may be off: which of
	 * them is not known, so all of it counts (the 256 KiB floor of one
	 * moment, MODEL_BOUND_TIGHT_KB, covers the slack of a small tree) */
	d = d < 0 ? -d : d;
	return d;
}

static int64_t tick_bound_objects(const struct sampler *s);

/* How far the tick's ΣPSS may be from one moment of the tree, kB
 * (docs/recording.md, "Bounds"): every event that moved the tree's pages
 * between the oldest reading in the sum and the counters after the sweep
 * moves the sum by at most a page (the tree's activity over that span),
 * an estimate or a held figure differs from its read by what it adds, and
 * a member leaving its address space takes its pages with it.
 * MODEL_KB_NONE: unknown (a member joined while the sweep was read, or has
 * never been read). */
static int64_t tick_bound(const struct sampler *s)
{
	int64_t lo = s->activity_kb, extra = 0;

	if (s->joined)
		return MODEL_KB_NONE;
	if (s->obj_tick)
		return tick_bound_objects(s);
	for (size_t i = 0; i < s->ntr; i++) {
		const struct tracked *tr = &s->tr[i];
		const struct proc_sample *ps = tr->sample;
		int64_t d;

		if (!ps)
			continue;
		if (exiting(ps)) {
			/* its counters say 0 while its pages are still
			 * mapped, and still divide the others' shares */
			extra += tr->last_rss_kb;
			continue;
		}
		if (zombie(ps->stat.state))
			continue;
		switch (tr->smaps) {
		case SMAPS_STATE_NONE:
			return MODEL_KB_NONE;
		case SMAPS_STATE_READ:
			lo = tr->g_read < lo ? tr->g_read : lo;
			extra += unseen_kb(tr, ps);
			break;
		case SMAPS_STATE_EXACT:
			extra += unseen_kb(tr, ps);
			break;
		case SMAPS_STATE_ESTIMATED:
		case SMAPS_STATE_HELD:
			lo = tr->g_read < lo ? tr->g_read : lo;
			d = (tr->mem.pss >= 0 ? tr->mem.pss : 0) -
			    (tr->read.pss >= 0 ? tr->read.pss : 0);
			extra += d < 0 ? -d : d;
			/* a held figure is drawn capped at the RSS now */
			if (tr->smaps == SMAPS_STATE_HELD && tr->read.pss > ps->vm_rss_kb &&
			    ps->vm_rss_kb >= 0)
				extra += tr->read.pss - ps->vm_rss_kb;
			break;
		default: /* gone, unreadable: no figure */
			break;
		}
	}
	return s->activity_kb - lo + extra;
}

/* The pages of anonymous memory a member shared at its last read, with a
 * weight: a page shared by k processes counts 1 - 1/k in anonymous -
 * pss_anon, and k - 1 over the k of them. 0 when unknown. */
static int64_t shared_anon_kb(const struct tracked *tr)
{
	int64_t d = tr->read.anonymous - tr->read.pss_anon;

	return tr->read.anonymous >= 0 && tr->read.pss_anon >= 0 && d > 0 ? d : 0;
}

/* What a figure divided from the objects may still be off by, besides
 * its Pss_Shmem (exact in the sum): its anonymous (*da) and file (*df)
 * pages moved since its read, each at most a page of PSS of its kind.
 * Copy-on-write is apart (cow_kb()). false: a counter unknown. */
static bool object_member_moves(const struct tracked *tr, int64_t *da,
				int64_t *df)
{
	const struct proc_sample *ps = tr->sample;

	if (ps->rss_anon_kb < 0 || tr->at_read.anon_kb < 0 || ps->rss_file_kb < 0 ||
	    tr->at_read.file_kb < 0)
		return false;
	*da = ps->rss_anon_kb - tr->at_read.anon_kb;
	*df = ps->rss_file_kb - tr->at_read.file_kb;
	*da = *da < 0 ? -*da : *da;
	*df = *df < 0 ? -*df : *df;
	return true;
}

/* the two together; MODEL_KB_NONE: a counter unknown */
static int64_t object_member_bound(const struct tracked *tr)
{
	int64_t da, df;

	return object_member_moves(tr, &da, &df) ? da + df : MODEL_KB_NONE;
}

/* Copy-on-write since the reads, which no RSS counter shows: a write to
 * an anonymous page shared by k members gives the writer a copy and
 * raises ΣPSS by the page, at most k - 1 times. So at most a page a fault
 * of a member estimated since its read, at most the pages it shared (at
 * most twice anonymous - pss_anon), and in all at most the sum of
 * anonymous - pss_anon over the members (the sum of k - 1 over the pages
 * shared). */
static int64_t cow_kb(const struct sampler *s)
{
	int64_t faults = 0, shared = 0;

	for (size_t i = 0; i < s->ntr; i++) {
		const struct tracked *tr = &s->tr[i];
		const struct proc_sample *ps = tr->sample;
		uint64_t flt;
		int64_t f;

		if (!ps || zombie(ps->stat.state))
			continue;
		shared += shared_anon_kb(tr);
		if (!tr->objm)
			continue;
		flt = ps->stat.minflt + ps->stat.majflt;
		f = flt > tr->flt_at_read ? (int64_t)(flt - tr->flt_at_read) * s->page_kb : 0;
		faults += f < 2 * shared_anon_kb(tr) ? f : 2 * shared_anon_kb(tr);
	}
	return faults < shared ? faults : shared;
}

/* What the divided members' anonymous pages may have moved ΣPss_Anon by
 * since their reads, kB, from their counters: what each one's RssAnon
 * moved (object_member_moves()) and copy-on-write (cow_kb()).
 * MODEL_KB_NONE: a counter unknown. */
static int64_t counters_anon_kb(const struct sampler *s)
{
	int64_t sum = cow_kb(s), da, df;

	for (size_t i = 0; i < s->ntr; i++) {
		const struct tracked *tr = &s->tr[i];

		if (!tr->objm || !tr->sample || zombie(tr->sample->stat.state))
			continue;
		if (!object_member_moves(tr, &da, &df))
			return MODEL_KB_NONE;
		sum += da;
	}
	return sum;
}

static int by_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* The anonymous pages the run's cgroup mapped after the sweep
 * (cgroup_read()), kB, when it held exactly the members, each with a
 * figure: every process its cgroup.procs listed, read after the figure (a
 * fork meanwhile is listed), is a member whose PSS is known or a zombie,
 * and every live member is listed (one moved to another cgroup, by su -l
 * or systemd-run --scope, has its new pages charged there). -1 otherwise
 * (no cgroup of the run's own: --attach, or none could be made). */
static int64_t cgroup_anon_now(struct sampler *s)
{
	size_t n = s->cg_nprocs, listed = 0, live = 0;

	if (s->cg_read_kb < 0)
		return -1;
	/* cgroup.procs may list a process twice */
	qsort(s->cgpids, n, sizeof(*s->cgpids), by_pid);
	for (size_t i = 0; i < n; i++) {
		const struct tracked *tr = find(s, s->cgpids[i]);

		if (!tr || !tr->sample)
			return -1;
		if (zombie(tr->sample->stat.state) || (i > 0 && s->cgpids[i] == s->cgpids[i - 1]))
			continue;
		if (tr->smaps == SMAPS_STATE_NONE || tr->smaps == SMAPS_STATE_GONE ||
		    tr->smaps == SMAPS_STATE_UNREADABLE || tr->mem.pss_anon < 0)
			return -1;
		listed++;
	}
	for (size_t i = 0; i < s->ntr; i++) {
		const struct tracked *tr = &s->tr[i];

		if (tr->sample && !zombie(tr->sample->stat.state) &&
		    tr->smaps != SMAPS_STATE_GONE)
			live++;
	}
	return listed == live ? s->cg_read_kb : -1;
}

/* The anonymous part of the bound of a tick whose ΣPss_Shmem is the
 * objects' (counters_anon_kb()), or, when smaller, what the run's cgroup
 * says (estimate_anon_bound()). Why the cgroup's figure holds: it counts
 * each anonymous page mapped by its processes once (NR_ANON_MAPPED), and
 * one moment's ΣPss_Anon of a set of processes counts each page they map
 * at mappers-in-the-set / mappers, so the two are equal when no
 * anonymous page of a member is mapped by a process outside the set and
 * every page the set maps is charged to the cgroup: the figure is used
 * only when the run's cgroup held exactly the tree's live members
 * (cgroup_anon_now(): none outside the tree, none of the tree moved to
 * another cgroup), anonymous pages are shared only between a process and
 * the processes it forked, and the root came into it before its exec
 * (docs/architecture.md, "The kernel's peak"): its pages since are
 * charged there. The figure is read after the counters that end the
 * sweep, up to which the other terms count the tree's activity
 * (tick_bound_objects()), and after the objects' step: the tens of µs of
 * computing between are not counted (a limit docs/recording.md states).
 * So ΣPss_Anon of that moment is the cgroup's figure within its lag (Linux 6.8 and later, CG_LAG_PAGES),
 * and the sum published is within its distance from that figure plus the
 * lag, a copy-on-write included (it adds a page to the figure as to the
 * truth). */
static int64_t anon_bound_kb(const struct sampler *s)
{
	int64_t c = counters_anon_kb(s), pub = 0;

	if (c == MODEL_KB_NONE || s->cg_anon_kb < 0)
		return c;
	for (size_t i = 0; i < s->ntr; i++) {
		const struct tracked *tr = &s->tr[i];

		if (!tr->sample || zombie(tr->sample->stat.state) ||
		    tr->smaps == SMAPS_STATE_GONE || tr->smaps == SMAPS_STATE_UNREADABLE)
			continue;
		if (tr->mem.pss_anon < 0)
			return c;
		pub += tr->mem.pss_anon;
	}
	return estimate_anon_bound(c, pub, s->cg_anon_kb, s->cg_lag_kb);
}

/* The bound of a tick whose ΣPss_Shmem is the objects' (tick_objects()):
 * the others' parts only. A member read this tick: what its own counters
 * moved from those before its read to those after the sweep (its shared
 * memory is the objects' whatever the others faulted meanwhile); one
 * divided: its file pages moved (object_member_moves()); the anonymous
 * pages of those divided: anon_bound_kb(); what the division could not
 * place. */
static int64_t tick_bound_objects(const struct sampler *s)
{
	int64_t extra = s->obj_extra_kb, anon = anon_bound_kb(s), da, df;
	int64_t lo = s->shares_moved_kb;

	if (anon == MODEL_KB_NONE)
		return MODEL_KB_NONE;
	extra += anon;

	for (size_t i = 0; i < s->ntr; i++) {
		const struct tracked *tr = &s->tr[i];
		const struct proc_sample *ps = tr->sample;

		if (!ps)
			continue;
		if (exiting(ps)) {
			extra += tr->last_rss_kb;
			continue;
		}
		if (zombie(ps->stat.state))
			continue;
		if (tr->objm || tr->smaps == SMAPS_STATE_READ)
			lo = tr->shares_at_read < lo ? tr->shares_at_read : lo;
		if (tr->objm) {
			if (!object_member_moves(tr, &da, &df))
				return MODEL_KB_NONE;
			extra += df;
		} else if (tr->smaps == SMAPS_STATE_READ) {
			extra += tr->act_sum_kb - tr->act_at_read_kb + unseen_kb(tr, ps);
		} else if (tr->smaps == SMAPS_STATE_EXACT) {
			extra += unseen_kb(tr, ps);
		} else if (tr->smaps == SMAPS_STATE_NONE) {
			return MODEL_KB_NONE;
		}
	}
	/* the shares members that joined or left since the oldest read
	 * took from the others or gave back */
	return extra + s->shares_moved_kb - lo;
}

/* Step 4 of a tick: the rows of the sample; returns how many. */
static size_t tick_rows(struct sampler *s)
{
	size_t nrows = 0;

	for (size_t i = 0; i < s->ntr; i++) {
		struct tracked *tr = &s->tr[i];
		const struct proc_sample *ps = tr->sample;

		if (!ps)
			continue;
		fill_row(s, tr, ps, &s->rows[nrows]);
		if (tr->read_now) {
			s->rows[nrows].est_error_kb = tr->est_error_kb;
			tr->est_error_kb = MODEL_KB_NONE;
		}
		nrows++;
		tr->prev = marks_of(ps);
	}
	/* out of memory: the rows keep the roles announced */
	(void)roles_refine(s->roles, s->rows, nrows);
	return nrows;
}

/* The sample just added may miss members: say so, and why. */
static void mark_missing(const struct sampler *s, struct run *r)
{
	char why[MODEL_TEXT_MAX];
	int e = -s->tick_err;

	if (e == EMFILE || e == ENFILE)
		snprintf(why, sizeof(why), "some processes of the tree could not be read: %s "
			 "(%s); raise the limit (ulimit -n) for the whole tree",
			 strerror(e), e == EMFILE ? "EMFILE" : "ENFILE");
	else
		snprintf(why, sizeof(why), "some processes of the tree could not be read: %s",
			 strerror(e));
	run_mark_missing(r, why);
}

/* Highs and plateaus (src/sample/highs.h): whether this tick owes the
 * tree a sweep of every figure not exact, from the counters just read
 * (step 1). A member new to the tree is read anyway; what a sweep costs is
 * what choose_smaps() would read with force. */
static enum high_kind high_sweep_due(struct sampler *s, double t)
{
	double interval = s->interval_ms / 1000.0, cost = 0;
	int64_t rss = 0;
	bool stale = false;

	highs_earn(&s->hi, proto_now());
	for (size_t i = 0; i < s->ntr; i++) {
		const struct tracked *tr = &s->tr[i];
		const struct proc_sample *ps = tr->sample;

		if (!ps || zombie(ps->stat.state))
			continue;
		if (ps->vm_rss_kb >= 0)
			rss += ps->vm_rss_kb;
		else if (ps->stat.rss_pages > 0)
			rss += ps->stat.rss_pages * s->page_kb;
		if (!wants_read(tr, t, interval))
			continue;
		cost += smaps_cost(s, ps);
		if (tr->smaps != SMAPS_STATE_NONE && tr->smaps != SMAPS_STATE_GONE &&
		    tr->smaps != SMAPS_STATE_UNREADABLE)
			stale = true;
	}
	return highs_due(&s->hi, rss, s->rest_ticks >= 1, stale, cost);
}

/* The sample just added, to highs.h: the peak so far */
static void high_note(struct sampler *s, const struct run *r)
{
	const struct point *p;

	if (!r->nframes)
		return;
	p = &r->frames[r->nframes - 1].total;
	if (!p->pss_partial && !p->members_partial)
		highs_note_sample(&s->hi, p->pss_kb, p->pss_bound_kb);
}

bool sampler_tick(struct sampler *s, struct run *r, double t_call,
		  double mono_call, bool force_pss)
{
	enum high_kind high = HIGH_NONE;
	double c0 = 0, t;
	size_t nmembers = 0, gotfull = 0, nrows;
	bool gone = false;
	int64_t bound;
	double t0 = proto_now();

	/* the sample is of the moment its counters are read, not of the
	 * call: a tick may wait (settle, a scan, the scheduler) before it */
	s->run_base = t_call - mono_call;
	s->t_floor = r->nticks ? r->t_now : 0;
	s->tick_t0 = t0;
	s->tick_err = 0;
	s->tick_left = TICK_READ_SHARE * s->interval_ms / 1000.0;
	s->tick_reads = 0;
	s->sweep_quiet = false;
	settle(s);
	for (size_t i = 0; i < s->ntr; i++)
		if (s->tr[i].alive)
			nmembers++;
	if (scan_due(s, nmembers))
		scan(s);

	/* 1. counters of every member */
	if (!tick_counters(s, &t, &force_pss, &gone))
		return false;

	/* a new high or a plateau of the tree: a sweep there */
	high = high_sweep_due(s, t);
	if (force_pss) {
		high = HIGH_NONE;   /* a sweep anyway: a phase's, or at rest */
	} else if (high != HIGH_NONE) {
		force_pss = true;
		s->stats.high_sweeps++;
		c0 = clock_cpu_thread_s();
	}

	/* 2. smaps_rollup of what is not exact */
	s->joined = false;
	s->high_now = high != HIGH_NONE;
	if (!tick_sweep(s, &t, force_pss, gone, &gotfull))
		return false;
	if (high != HIGH_NONE)
		highs_spend(&s->hi, clock_cpu_thread_s() - c0);

	/* 3. figures not read now: exact, estimated or held */
	tick_unread(s, gotfull);
	tick_objects(s);

	/* 4. rows, and the sample's bound */
	bound = tick_bound(s);
	nrows = tick_rows(s);

	tick_kernel_counts(s, r, s->rows, nrows);
	if (!run_add_tick_bounded(r, t, s->rows, nrows,
				  s->tick_err ? MODEL_KB_NONE : bound))
		return false;
	if (s->tick_err)
		mark_missing(s, r);
	high_note(s, r);
	s->stats.ticks++;
	s->stats.pss_interval_ms = s->pss_interval_s * 1000.0;
	s->stats.tick_max_ms = fmax(s->stats.tick_max_ms, 1e3 * (proto_now() - t0));
	return true;
}
