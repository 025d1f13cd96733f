/*
 * sampler.c - tree membership, per-tick reads and the CPU budget.
 *
 * Tracked processes are identified by pid and start time: a pid that comes
 * back with another start time is a new process (pid reuse never joins an
 * old series). Membership grows from three sources: the root, the pids the
 * workload announces, and /proc scans for descendants. The first scan of a
 * run reads every process's ppid; later ones look only at the pids handed
 * out since (tree_new_descendants()), run only when /proc/loadavg's last
 * pid moved, and are spaced so that they cost at most a quarter of the
 * counters.
 *
 * Every tick reads every member's counters (stat, status). smaps_rollup is
 * paid for out of a token bucket: shmviz earns budget x elapsed time and
 * spends whatever CPU it really used (everything it did, measured with
 * CLOCK_PROCESS_CPUTIME_ID), holding at most the budget of one second or
 * of two intervals, whichever is longer (settle()). Each tick spends what
 * is left on smaps_rollup reads, each estimated as a fixed cost plus a
 * cost per kB of resident memory (the page-table walk grows with the
 * mapped pages), both measured and learned apart (learn_read_cost()), in
 * this order: processes new to the tree and, at a phase boundary, every
 * process, children first and the root last (both even in debt: the debt
 * is paid back by reading less afterwards); then processes whose RSS
 * counter moved since their last read, the largest move first; then the
 * oldest reads.
 * So the steady state is re-read as often as the budget allows, and what
 * changes is read first.
 */
#include "src/sampler.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probes/procs.h"
#include "probes/stat.h"
#include "probes/tree.h"
#include "src/protocol.h"
#include "src/text.h"

#define EWMA 0.3
/* what a batch of reads teaches (see learn_read_cost()) */
#define SMALL_KB 4096.0
#define LARGE_KB 32768.0
/* before anything is measured: a read of a small process, and 2.5 ms for
 * 240 MB mapped (a page-table walk: DESIGN.md, measured on these machines) */
#define COST_FIXED_PRIOR 100e-6
#define COST_PER_KB_PRIOR (2.5e-3 / 234375.0)
#define SCAN_SHARE_INV 4.0

static const struct mem_kb mem_none = {
	MODEL_KB_NONE, MODEL_KB_NONE, MODEL_KB_NONE, MODEL_KB_NONE,
	MODEL_KB_NONE, MODEL_KB_NONE, MODEL_KB_NONE, MODEL_KB_NONE,
};

struct tracked {
	pid_t pid;
	uint64_t start_ticks;   /* 0 until the first read */
	enum proc_role role;
	bool alive;
	enum smaps_state smaps;
	double smaps_t;         /* run time of the last smaps read */
	int64_t smaps_rss_kb;   /* counter RSS at that read */
	struct mem_kb mem;
	bool read_now;          /* scratch of one tick */
	const struct proc_sample *sample; /* scratch: this tick's counters */
};

struct sampler {
	struct procs_reader *reader;
	int interval_ms;
	double budget;           /* CPU s per s */
	long hz;
	pid_t root;
	pid_t self;

	struct tracked *tr;
	size_t ntr, trcap;
	pid_t *pids;             /* scratch: members to read */
	size_t pids_cap;
	struct proc_sample *samples;   /* counters of this tick */
	size_t samples_cap;
	struct proc_sample *full;      /* smaps reads of this tick */
	size_t full_cap;
	size_t *order;                 /* scratch: smaps candidates */
	size_t order_cap;
	struct proc_row *rows;
	size_t rows_cap;

	int64_t last_pid;        /* at the last scan */
	unsigned ticks_since_scan;
	bool scanned;            /* at least once this run */

	double tokens;           /* CPU s shmviz may still spend */
	double cpu_mark;         /* process CPU at the last tick */
	double wall_mark;        /* CLOCK_MONOTONIC at the last tick */
	bool have_mark;

	double cost_counter;     /* CPU s of reading one process's counters */
	double cost_fixed;       /* CPU s of a smaps_rollup read, whatever its size */
	double cost_per_kb;      /* CPU s of smaps_rollup per kB of RSS beyond */
	double cost_read;        /* CPU s of one smaps_rollup read */
	double cost_scan;        /* CPU s of one /proc scan */
	double pss_interval_s;   /* mean time between reads of one process */
	double interval_sum;     /* session: sum and count of those times */
	uint64_t interval_n;

	struct sampler_stats stats;
};

static double cpu_thread(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_process(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void ewma(double *avg, double v)
{
	*avg = *avg > 0 ? *avg * (1 - EWMA) + v * EWMA : v;
}

struct sampler *sampler_create(int interval_ms, double budget_pct,
			       char *err, size_t errlen)
{
	struct sampler *s = calloc(1, sizeof(*s));

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
	s->interval_ms = interval_ms;
	s->cost_fixed = COST_FIXED_PRIOR;
	s->cost_per_kb = COST_PER_KB_PRIOR;
	s->budget = budget_pct / 100.0;
	s->hz = sysconf(_SC_CLK_TCK);
	if (s->hz <= 0)
		s->hz = 100;
	s->self = getpid();
	s->pss_interval_s = interval_ms / 1000.0;
	return s;
}

void sampler_destroy(struct sampler *s)
{
	if (!s)
		return;
	procs_reader_destroy(s->reader);
	free(s->tr);
	free(s->pids);
	free(s->samples);
	free(s->full);
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

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return true;
	ncap = *cap ? *cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * size);
	if (!np)
		return false;
	*p = np;
	*cap = ncap;
	return true;
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
	s->ntr = 0;
	s->scanned = false;
	s->ticks_since_scan = 0;
	s->have_mark = false;
	s->tokens = s->budget * s->interval_ms / 1000.0;
	track(s, root, ROLE_PARENT);
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

/* Adds descendants found by a /proc scan: all of /proc the first time in
 * a run, then only the pids handed out since the last scan. shmviz is a
 * subreaper, so an orphan of the tree comes back as its own child: it
 * counts as a member for the scan. */
static void scan(struct sampler *s)
{
	pid_t *found = NULL;
	size_t n = 0;
	double c0 = cpu_thread();
	int64_t now = tree_last_pid();
	bool full = !s->scanned || now < 0 || s->last_pid < 0;
	int err;

	if (full) {
		pid_t roots[2] = { s->root, s->self };

		err = tree_descendants(roots, 2, &found, &n);
	} else {
		size_t nm = 0;

		if (!grow((void **)&s->pids, &s->pids_cap, s->ntr + 1,
			  sizeof(*s->pids)))
			return;
		for (size_t i = 0; i < s->ntr; i++)
			if (s->tr[i].alive)
				s->pids[nm++] = s->tr[i].pid;
		s->pids[nm++] = s->self;
		err = tree_new_descendants(s->pids, nm, s->last_pid, now,
					   &found, &n);
	}
	s->last_pid = now;
	if (err == 0) {
		for (size_t i = 0; i < n; i++)
			if (found[i] != s->root)
				track(s, found[i], ROLE_CHILD);
	}
	free(found);
	c0 = cpu_thread() - c0;
	/* the spacing is for the incremental scans: the full one is once a
	 * run, and its cost would hold the next ones back for seconds */
	if (!full)
		ewma(&s->cost_scan, c0);
	s->stats.scan_cpu_s += c0;
	s->stats.scans++;
	s->scanned = true;
	s->ticks_since_scan = 0;
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

static void set_mem_from(struct mem_kb *m, const struct smaps_rollup *r)
{
	m->rss = r->rss_kb;
	m->pss = r->pss_kb;
	m->pss_shmem = r->pss_shmem_kb;
	m->shared_clean = r->shared_clean_kb;
	m->shared_dirty = r->shared_dirty_kb;
	m->private_clean = r->private_clean_kb;
	m->private_dirty = r->private_dirty_kb;
	m->swap = r->swap_kb;
}

/* Updates a process's smaps figures from this tick's reading: a fresh
 * read, or the last one held. */
static void apply_smaps(struct sampler *s, struct tracked *tr,
			const struct proc_sample *ps, double t)
{
	switch (ps->smaps_err) {
	case PROCS_SMAPS_NOT_ASKED:
		if (tr->smaps == SMAPS_STATE_FRESH)
			tr->smaps = SMAPS_STATE_HELD;
		return;
	case 0:
		if (tr->smaps == SMAPS_STATE_FRESH || tr->smaps == SMAPS_STATE_HELD) {
			ewma(&s->pss_interval_s, t - tr->smaps_t);
			s->interval_sum += t - tr->smaps_t;
			s->interval_n++;
		}
		tr->smaps = SMAPS_STATE_FRESH;
		set_mem_from(&tr->mem, &ps->smaps);
		break;
	case -ENODATA:
		/* no address space, a zombie: it holds no memory, and its
		 * figures are unknown rather than zero (no total counts it) */
		tr->smaps = SMAPS_STATE_GONE;
		tr->mem = mem_none;
		break;
	default:
		tr->smaps = SMAPS_STATE_UNREADABLE;
		tr->mem = mem_none;
		break;
	}
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
	if (row->state == 'Z' || row->state == 'X') {
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
}

/* Earns budget for the time since the last tick and pays for the CPU
 * shmviz used meanwhile (sampling, drawing, recording: everything). */
static void settle(struct sampler *s)
{
	double wall = proto_now(), cpu = cpu_process();
	double cap = s->budget * fmax(1.0, 2.0 * s->interval_ms / 1000.0);

	if (s->have_mark) {
		double spent = cpu - s->cpu_mark;

		s->stats.cpu_s += spent;
		s->stats.wall_s += wall - s->wall_mark;
		s->tokens += s->budget * (wall - s->wall_mark) - spent;
		if (s->tokens > cap)
			s->tokens = cap;
	}
	s->cpu_mark = cpu;
	s->wall_mark = wall;
	s->have_mark = true;
}

static double smaps_cost(const struct sampler *s, const struct proc_sample *c)
{
	double kb = c->vm_rss_kb > 0 ? (double)c->vm_rss_kb : 0;

	return s->cost_fixed + s->cost_per_kb * kb;
}

/* Learns the two parts of a read's cost from a batch of n reads of kb kB
 * in all that took cpu seconds: the fixed part from batches of small
 * processes, where it is nearly all of the cost, the part per kB from
 * batches of large ones, where it is. A batch of the first kind must not
 * teach the second: 100 us for a 16 kB process is not 6 us a kB. */
static void learn_read_cost(struct sampler *s, size_t n, double kb, double cpu)
{
	double mean_kb = kb / (double)n;

	if (mean_kb < SMALL_KB)
		ewma(&s->cost_fixed, cpu / (double)n);
	else if (mean_kb > LARGE_KB)
		ewma(&s->cost_per_kb,
		     fmax(0, cpu - s->cost_fixed * (double)n) / kb);
}

/* how far a process's RSS moved since its last smaps read, kB; only moves
 * above a page-granular noise floor count */
static int64_t moved_kb(const struct tracked *tr)
{
	int64_t d;

	if (!tr->sample || tr->smaps_rss_kb < 0)
		return 0;
	d = tr->sample->vm_rss_kb - tr->smaps_rss_kb;
	if (d < 0)
		d = -d;
	return d > 256 && d * 50 > tr->smaps_rss_kb ? d : 0;
}

static struct sampler *sort_ctx;

/* candidates: largest move first, then the oldest read */
static int by_priority(const void *pa, const void *pb)
{
	const struct tracked *a = &sort_ctx->tr[*(const size_t *)pa];
	const struct tracked *b = &sort_ctx->tr[*(const size_t *)pb];
	int64_t ma = moved_kb(a), mb = moved_kb(b);

	if (ma != mb)
		return ma > mb ? -1 : 1;
	if (a->smaps_t != b->smaps_t)
		return a->smaps_t < b->smaps_t ? -1 : 1;
	return 0;
}

/* Chooses whose smaps_rollup to read this tick; fills s->pids, returns n. */
static size_t choose_smaps(struct sampler *s, double t, bool force_all)
{
	double interval = s->interval_ms / 1000.0;
	double avail = s->tokens;
	size_t n = 0, ncand = 0;

	if (!grow((void **)&s->order, &s->order_cap, s->ntr, sizeof(*s->order)))
		return 0;
	/* newest first, the root last: while workers attach, the root's
	 * share only shrinks, and reading it last keeps a sum taken during
	 * the change close to the truth instead of counting the segment
	 * as the root's alone and again in the workers */
	for (size_t i = s->ntr; i-- > 0;) {
		struct tracked *tr = &s->tr[i];

		if (!tr->sample)
			continue;
		if (force_all || tr->smaps == SMAPS_STATE_NONE) {
			s->pids[n++] = tr->pid;
			avail -= smaps_cost(s, tr->sample);
			tr->read_now = true;
		} else if (tr->smaps != SMAPS_STATE_GONE &&
			   t - tr->smaps_t >= interval * 0.5) {
			s->order[ncand++] = i;
		}
	}
	sort_ctx = s;
	qsort(s->order, ncand, sizeof(*s->order), by_priority);
	for (size_t k = 0; k < ncand; k++) {
		struct tracked *tr = &s->tr[s->order[k]];
		double cost = smaps_cost(s, tr->sample);

		if (cost > avail)
			break;
		avail -= cost;
		s->pids[n++] = tr->pid;
		tr->read_now = true;
	}
	return n;
}

bool sampler_tick(struct sampler *s, struct run *r, double t, bool force_pss)
{
	size_t nmembers = 0, got = 0, nfull = 0, gotfull = 0, nrows = 0;
	double c0, c1, c2, c3;
	int64_t kb_read = 0;

	settle(s);
	for (size_t i = 0; i < s->ntr; i++)
		if (s->tr[i].alive)
			nmembers++;
	if (scan_due(s, nmembers))
		scan(s);

	/* 1. counters of every member */
	if (!grow((void **)&s->pids, &s->pids_cap, s->ntr + 1, sizeof(*s->pids)) ||
	    !grow((void **)&s->samples, &s->samples_cap, s->ntr + 1,
		  sizeof(*s->samples)) ||
	    !grow((void **)&s->full, &s->full_cap, s->ntr + 1, sizeof(*s->full)) ||
	    !grow((void **)&s->rows, &s->rows_cap, s->ntr + 1, sizeof(*s->rows)))
		return false;
	nmembers = 0;
	for (size_t i = 0; i < s->ntr; i++) {
		s->tr[i].read_now = false;
		s->tr[i].sample = NULL;
		if (s->tr[i].alive)
			s->pids[nmembers++] = s->tr[i].pid;
	}
	c0 = cpu_thread();
	if (nmembers)
		procs_read(s->reader, s->pids, nmembers, false, s->samples, &got);
	c1 = cpu_thread();
	if (got)
		ewma(&s->cost_counter, (c1 - c0) / (double)got);
	s->stats.counter_cpu_s += c1 - c0;
	s->stats.counter_reads += got;

	/* a member not read has exited; a reused pid is a new process */
	for (size_t i = 0; i < s->ntr; i++)
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

	/* 2. smaps_rollup of the chosen ones */
	nfull = choose_smaps(s, t, force_pss);
	/* the chosen ones' counters were just read: only smaps_rollup now,
	 * in the order chosen */
	for (size_t k = 0; k < nfull; k++) {
		for (size_t i = 0; i < s->ntr; i++) {
			if (s->tr[i].pid == s->pids[k] && s->tr[i].sample) {
				s->full[k] = *s->tr[i].sample;
				break;
			}
		}
	}
	c2 = cpu_thread();
	if (nfull)
		procs_read_smaps(s->reader, s->full, nfull, &gotfull);
	c3 = cpu_thread();
	s->stats.pss_cpu_s += c3 - c2;
	if (gotfull)
		ewma(&s->cost_read, (c3 - c2) / (double)gotfull);
	for (size_t i = 0; i < gotfull; i++)
		kb_read += s->full[i].vm_rss_kb > 0 ? s->full[i].vm_rss_kb : 0;
	if (gotfull)
		learn_read_cost(s, gotfull, (double)kb_read, c3 - c2);
	s->stats.pss_reads += gotfull;

	/* 3. rows */
	for (size_t i = 0; i < s->ntr; i++) {
		struct tracked *tr = &s->tr[i];
		const struct proc_sample *ps = tr->sample;

		if (!tr->alive || !ps)
			continue;
		for (size_t k = 0; k < gotfull; k++) {
			if (s->full[k].stat.pid == tr->pid &&
			    s->full[k].stat.start_ticks == tr->start_ticks) {
				ps = &s->full[k];
				break;
			}
		}
		apply_smaps(s, tr, ps, t);
		fill_row(s, tr, ps, &s->rows[nrows++]);
	}
	compact(s);

	if (!run_add_tick(r, t, s->rows, nrows, true))
		return false;
	s->stats.ticks++;
	s->stats.pss_interval_ms = s->pss_interval_s * 1000.0;
	return true;
}
