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
 * Budget: a token bucket of CPU seconds. Every tick it gains B x the wall
 * time since the last tick and loses all the CPU shmviz spent meanwhile
 * (process CPU: reads, recorder, UI, everything). The counters are read
 * every tick whatever the bucket says; a PSS pass (smaps_rollup of the
 * whole tree) runs when the bucket holds its measured cost. The bucket
 * holds at most one pass (plus one interval's worth), so idle time is not
 * saved up. Passes forced by a phase boundary or a new process may take it
 * below zero; later passes wait until that is paid back. In steady state a
 * pass runs every P = p / (B - b) seconds, p the cost of a pass and b the
 * CPU rate of everything else; that P (whole ticks, at least one, at most
 * SAMPLER_PSS_MAX_S) is what the status line and the recording show. PSS
 * is read at least every SAMPLER_PSS_MAX_S, even over budget.
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
#include "probes/tree.h"
#include "src/text.h"

#define SAMPLER_PSS_MAX_S 60.0
#define EWMA 0.3
#define SCAN_SHARE_INV 4.0

struct tracked {
	pid_t pid;
	uint64_t start_ticks;   /* 0 until the first read */
	enum proc_role role;
	bool alive;
	enum smaps_state smaps;
	double smaps_t;
	struct mem_kb mem;
	bool read_now;          /* scratch of one tick */
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
	struct proc_sample *samples;
	size_t samples_cap;
	struct proc_row *rows;
	size_t rows_cap;

	int64_t last_pid;        /* at the last scan */
	unsigned ticks_since_scan;
	bool scanned;            /* at least once this run */
	double last_pss_t;
	double pss_interval_s;   /* steady-state estimate, whole ticks */

	double cost_counter;     /* CPU s of reading one process's counters */
	double cost_pss_pass;    /* CPU s of smaps_rollup of the whole tree */
	double cost_pss_read;    /* CPU s of one smaps_rollup read */
	double cost_scan;        /* CPU s of one /proc scan */
	double base_rate;        /* CPU s per s of all but PSS reads */
	double credit;           /* token bucket, CPU s */
	double tick_pss_cpu;     /* CPU s of smaps reads in the last tick */
	double proc_cpu_mark;    /* process CPU at the last tick */
	double wall_mark;        /* CLOCK_MONOTONIC at the last tick */
	bool have_mark;

	struct sampler_stats stats;
};

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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
	s->budget = budget_pct / 100.0;
	s->hz = sysconf(_SC_CLK_TCK);
	if (s->hz <= 0)
		s->hz = 100;
	s->self = getpid();
	s->pss_interval_s = interval_ms / 1000.0;
	s->stats.pss_interval_ms = interval_ms;
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
	out->pss_interval_ms = s->pss_interval_s * 1000.0;
	out->pss_read_ms = s->cost_pss_read * 1e3;
	out->pss_read_mean_ms = s->stats.pss_reads ?
				1e3 * s->stats.pss_cpu_s / (double)s->stats.pss_reads : 0;
	out->pss_interval_mean_ms = s->stats.pss_passes ?
				    1e3 * s->stats.wall_s / (double)s->stats.pss_passes :
				    out->pss_interval_ms;
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

static struct tracked *track(struct sampler *s, pid_t pid, enum proc_role role)
{
	struct tracked *t = find(s, pid);

	if (t)
		return t;
	if (!grow((void **)&s->tr, &s->trcap, s->ntr + 1, sizeof(*s->tr)))
		return NULL;
	t = &s->tr[s->ntr++];
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	t->role = role;
	t->alive = true;
	t->smaps = SMAPS_STATE_NONE;
	t->mem = (struct mem_kb){ MODEL_KB_NONE, MODEL_KB_NONE, MODEL_KB_NONE,
				  MODEL_KB_NONE, MODEL_KB_NONE, MODEL_KB_NONE,
				  MODEL_KB_NONE, MODEL_KB_NONE };
	return t;
}

void sampler_begin(struct sampler *s, pid_t root)
{
	s->root = root;
	s->ntr = 0;
	s->scanned = false;
	s->ticks_since_scan = 0;
	s->last_pss_t = -1e9;
	s->have_mark = false;
	s->credit = 0;
	s->tick_pss_cpu = 0;
	track(s, root, ROLE_PARENT);
}

void sampler_set_role(struct sampler *s, pid_t pid, enum proc_role role)
{
	struct tracked *t = track(s, pid, role);

	if (t && pid != s->root)
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
	int err;

	if (!s->scanned || now < 0 || s->last_pid < 0) {
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

/* Applies one reading to its tracked entry; returns it, or NULL. */
static struct tracked *apply(struct sampler *s, const struct proc_sample *ps,
			     double t)
{
	struct tracked *tr = find(s, ps->stat.pid);

	if (!tr)
		return NULL;
	if (tr->start_ticks && tr->start_ticks != ps->stat.start_ticks) {
		/* the pid was reused: the old process is gone */
		tr->alive = false;
		tr = track(s, ps->stat.pid, ROLE_CHILD);
		if (!tr)
			return NULL;
	}
	tr->start_ticks = ps->stat.start_ticks;
	switch (ps->smaps_err) {
	case PROCS_SMAPS_NOT_ASKED:
		if (tr->smaps == SMAPS_STATE_FRESH)
			tr->smaps = SMAPS_STATE_HELD;
		break;
	case 0:
		tr->smaps = SMAPS_STATE_FRESH;
		tr->smaps_t = t;
		set_mem_from(&tr->mem, &ps->smaps);
		break;
	case -ENODATA:
		tr->smaps = SMAPS_STATE_GONE;
		tr->smaps_t = t;
		tr->mem = (struct mem_kb){ 0, 0, 0, 0, 0, 0, 0, 0 };
		break;
	default:
		tr->smaps = SMAPS_STATE_UNREADABLE;
		tr->smaps_t = t;
		tr->mem = (struct mem_kb){ MODEL_KB_NONE, MODEL_KB_NONE,
					   MODEL_KB_NONE, MODEL_KB_NONE,
					   MODEL_KB_NONE, MODEL_KB_NONE,
					   MODEL_KB_NONE, MODEL_KB_NONE };
		break;
	}
	return tr;
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
	row->utime_s = (double)ps->stat.utime_ticks / (double)s->hz;
	row->stime_s = (double)ps->stat.stime_ticks / (double)s->hz;
	row->minflt = ps->stat.minflt;
	row->majflt = ps->stat.majflt;
}

/* Books the CPU and wall time since the last tick into the bucket. */
static void account(struct sampler *s)
{
	double w = wall_now(), c = cpu_process();

	if (s->have_mark) {
		double dw = w - s->wall_mark, dc = c - s->proc_cpu_mark;
		double cap = fmax(s->cost_pss_pass, 0) +
			     s->budget * s->interval_ms / 1000.0;

		s->stats.cpu_s += dc;
		s->stats.wall_s += dw;
		s->credit = fmin(s->credit + s->budget * dw - dc, cap);
		if (dw > 1e-6)
			ewma(&s->base_rate, fmax(0, dc - s->tick_pss_cpu) / dw);
	}
	s->wall_mark = w;
	s->proc_cpu_mark = c;
	s->have_mark = true;
}

static void update_interval(struct sampler *s)
{
	double interval = s->interval_ms / 1000.0;
	double avail = s->budget - s->base_rate;
	double p;

	if (s->cost_pss_pass <= 0)
		p = interval;
	else if (avail <= 1e-9)
		p = SAMPLER_PSS_MAX_S;
	else
		p = s->cost_pss_pass / avail;
	if (p < interval)
		p = interval;
	if (p > SAMPLER_PSS_MAX_S)
		p = SAMPLER_PSS_MAX_S;
	/* a whole number of ticks */
	s->pss_interval_s = ceil(p / interval - 1e-9) * interval;
}

static bool pss_due(struct sampler *s, double t, bool force)
{
	double interval = s->interval_ms / 1000.0;

	if (force || s->cost_pss_pass <= 0)
		return true;
	if (t - s->last_pss_t >= SAMPLER_PSS_MAX_S - interval / 2)
		return true;
	return s->credit >= s->cost_pss_pass;
}

bool sampler_tick(struct sampler *s, struct run *r, double t, bool force_pss)
{
	size_t nalive = 0, nnew = 0, got = 0, got2 = 0, nrows = 0, n;
	double c0, c1, c2, c3;
	bool pss_pass;

	account(s);
	for (size_t i = 0; i < s->ntr; i++)
		if (s->tr[i].alive)
			nalive++;
	if (scan_due(s, nalive))
		scan(s);

	/* members: old ones first, new ones (never read) after */
	nalive = 0;
	if (!grow((void **)&s->pids, &s->pids_cap, s->ntr, sizeof(*s->pids)))
		return false;
	for (size_t i = 0; i < s->ntr; i++)
		if (s->tr[i].alive && s->tr[i].start_ticks)
			s->pids[nalive++] = s->tr[i].pid;
	for (size_t i = 0; i < s->ntr; i++)
		if (s->tr[i].alive && !s->tr[i].start_ticks)
			s->pids[nalive + nnew++] = s->tr[i].pid;
	if (!grow((void **)&s->samples, &s->samples_cap, nalive + nnew,
		  sizeof(*s->samples)) ||
	    !grow((void **)&s->rows, &s->rows_cap, nalive + nnew, sizeof(*s->rows)))
		return false;

	/* counters of everyone, every tick */
	c0 = cpu_thread();
	if (nalive)
		procs_read(s->reader, s->pids, nalive, false, s->samples, &got);
	if (nnew)
		procs_read(s->reader, s->pids + nalive, nnew, false,
			   s->samples + got, &got2);
	c1 = cpu_thread();
	if (got + got2) {
		ewma(&s->cost_counter, (c1 - c0) / (double)(got + got2));
		s->stats.counter_cpu_s += c1 - c0;
	}
	s->stats.counter_reads += got + got2;

	/* PSS of everyone when the budget allows; a process new to the tree
	 * gets its PSS read at once all the same */
	pss_pass = got && pss_due(s, t, force_pss);
	c2 = cpu_thread();
	if (pss_pass) {
		procs_read_smaps(s->reader, s->samples, got + got2, &n);
		c3 = cpu_thread();
		if (n) {
			ewma(&s->cost_pss_pass, c3 - c2);
			ewma(&s->cost_pss_read, (c3 - c2) / (double)n);
		}
		s->last_pss_t = t;
		s->stats.pss_passes++;
	} else {
		procs_read_smaps(s->reader, s->samples + got, got2, &n);
		n += got;
		c3 = cpu_thread();
	}
	got = n;
	got2 = 0;
	s->tick_pss_cpu = c3 - c2;
	s->stats.pss_cpu_s += c3 - c2;

	for (size_t i = 0; i < s->ntr; i++)
		s->tr[i].read_now = false;
	for (size_t i = 0; i < got; i++) {
		struct tracked *tr = apply(s, &s->samples[i], t);

		if (tr) {
			if (s->samples[i].smaps_err != PROCS_SMAPS_NOT_ASKED)
				s->stats.pss_reads++;
			tr->read_now = true;
			fill_row(s, tr, &s->samples[i], &s->rows[nrows++]);
		}
	}
	/* a member that could not be read has exited */
	for (size_t i = 0; i < s->ntr; i++)
		if (!s->tr[i].read_now)
			s->tr[i].alive = false;
	compact(s);

	if (!run_add_tick(r, t, s->rows, nrows, pss_pass))
		return false;
	s->stats.ticks++;
	update_interval(s);
	return true;
}
