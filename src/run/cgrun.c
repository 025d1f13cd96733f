/*
 * cgrun.c - a run's memory cgroup and its peak (see cgrun.h).
 *
 * The base (shmviz's own memory cgroup) is looked for once, at the first
 * run; a run's cgroup is base/shmviz-PID-N. Peaks are bytes in the
 * kernel's files and KiB in the model, rounded up.
 */
#include "src/run/cgrun.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probes/tree.h"
#include "src/run/guard.h"

/* what may be left in a run's cgroup after its tree was ended (a process
 * that escaped shmviz's subreaping) is killed for at most this long */
#define END_KILL_MS 2000
#define PIDS_MAX 4096

void cgrun_init(struct cgrun *c)
{
	memset(c, 0, sizeof(*c));
	c->base_rc = 1;
	c->peak_fd = -1;
	c->procs_fd = -1;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

const char *cgrun_why(const struct cgrun *c)
{
	return c->base_rc < 0 ? c->why : "";
}

/* shmviz's own memory cgroup, looked for once */
static bool find_base(struct cgrun *c)
{
	if (c->base_rc == 1) {
		c->base_rc = cgroup_of(0, &c->base, c->why, sizeof(c->why));
		if (!c->base_rc)
			c->base_rc = cgroup_can_nest(&c->base, c->why, sizeof(c->why));
		if (!c->base_rc && strchr(c->base.path, '\n')) {
			/* the guard's messages are lines */
			snprintf(c->why, sizeof(c->why), "the cgroup's path holds a newline");
			c->base_rc = -EINVAL;
		}
	}
	return c->base_rc == 0;
}

static void no_peak(struct cgrun *c, struct run *r, const char *why)
{
	snprintf(r->kpeak.why, sizeof(r->kpeak.why), "%s", why);
	r->kpeak.version = 0;
	r->kpeak.cgroup[0] = '\0';
	close_fd(&c->peak_fd);
}

/* the cgroup failed at its first use: none for the rest of the session,
 * and the line said once */
static void give_up(struct cgrun *c, struct run *r, int rc, const char *why)
{
	c->base_rc = rc < 0 ? rc : -EIO;
	snprintf(c->why, sizeof(c->why), "%s", why);
	no_peak(c, r, why);
}

int cgrun_begin(struct cgrun *c, struct run *r)
{
	char name[64], why[MODEL_TEXT_MAX];
	bool resettable;
	int rc;

	c->made = false;
	close_fd(&c->peak_fd);
	close_fd(&c->procs_fd);
	if (!find_base(c)) {
		no_peak(c, r, c->why);
		return -1;
	}
	snprintf(name, sizeof(name), "shmviz-%d-%u", (int)getpid(), c->seq++);
	rc = cgroup_make(&c->base, name, &c->dir, why, sizeof(why));
	if (rc == -EEXIST) {
		/* left by a shmviz of the same pid that was killed with its
		 * guard: empty (or it is not ours to judge), take the next */
		snprintf(name, sizeof(name), "shmviz-%d-%u", (int)getpid(), c->seq++);
		rc = cgroup_make(&c->base, name, &c->dir, why, sizeof(why));
	}
	if (rc) {
		give_up(c, r, rc, why);
		return -1;
	}
	c->made = true;
	guard_cgroup(c->dir.path, true);
	c->peak_fd = cgroup_peak_open(&c->dir, true, &resettable);
	c->procs_fd = cgroup_procs_open(&c->dir);
	if (c->peak_fd < 0 || c->procs_fd < 0) {
		int e = c->peak_fd < 0 ? -c->peak_fd : -c->procs_fd;

		snprintf(why, sizeof(why), "cannot open the files of the cgroup %.150s: %s",
			 c->dir.path, strerror(e));
		cgrun_end(c, r);
		give_up(c, r, -e, why);
		return -1;
	}
	r->kpeak.version = c->dir.version;
	r->kpeak.per_phase = resettable;
	r->kpeak.attached = false;
	r->kpeak.why[0] = '\0';
	snprintf(r->kpeak.cgroup, sizeof(r->kpeak.cgroup), "%s", c->dir.path);
	return c->procs_fd;
}

void cgrun_started(struct cgrun *c, struct run *r, int err)
{
	close_fd(&c->procs_fd);
	if (err && c->made) {
		char why[MODEL_TEXT_MAX];

		snprintf(why, sizeof(why), "the run's root could not enter the cgroup %.150s: %s",
			 c->dir.path, strerror(err));
		cgrun_end(c, r);
		give_up(c, r, -err, why);
	}
}

/* whether the pids of cgroup d are exactly root and its descendants */
static bool holds_exactly(const struct cgroup_dir *d, pid_t root, char *why,
			  size_t whylen)
{
	pid_t *in = malloc(PIDS_MAX * sizeof(*in)), *desc = NULL;
	size_t ndesc = 0;
	ssize_t n = in ? cgroup_procs(d, in, PIDS_MAX) : -ENOMEM;
	bool same = false;

	if (n < 0 || n > PIDS_MAX) {
		snprintf(why, whylen, "cannot read the processes of its cgroup %.150s", d->path);
	} else if (tree_descendants(&root, 1, &desc, &ndesc) != 0) {
		snprintf(why, whylen, "cannot list the tree of process %d", (int)root);
	} else {
		size_t found = 0;

		for (ssize_t i = 0; i < n; i++) {
			bool member = in[i] == root;

			for (size_t k = 0; k < ndesc && !member; k++)
				member = in[i] == desc[k];
			found += member;
		}
		same = found == (size_t)n && (size_t)n == ndesc + 1;
		if (!same)
			snprintf(why, whylen, "its cgroup %.100s holds %zd processes, the tree %zu: not the tree alone",
				 d->path, n, ndesc + 1);
	}
	free(in);
	free(desc);
	return same;
}

void cgrun_attach(struct cgrun *c, struct run *r, pid_t root)
{
	char why[MODEL_TEXT_MAX], w2[MODEL_TEXT_MAX - 64];
	bool resettable;

	c->made = false;
	close_fd(&c->peak_fd);
	if (cgroup_of(root, &c->dir, w2, sizeof(w2)) != 0 ||
	    !holds_exactly(&c->dir, root, w2, sizeof(w2))) {
		snprintf(why, sizeof(why), "--attach %d: %s", (int)root, w2);
		no_peak(c, r, why);
		return;
	}
	/* the tree's own cgroup: never written (its peak is not reset) */
	c->peak_fd = cgroup_peak_open(&c->dir, false, &resettable);
	if (c->peak_fd < 0) {
		snprintf(why, sizeof(why), "--attach %d: cannot read %.150s/%s", (int)root,
			 c->dir.path, cgroup_peak_name(c->dir.version));
		no_peak(c, r, why);
		return;
	}
	r->kpeak.version = c->dir.version;
	r->kpeak.per_phase = false;
	r->kpeak.attached = true;
	r->kpeak.why[0] = '\0';
	snprintf(r->kpeak.cgroup, sizeof(r->kpeak.cgroup), "%s", c->dir.path);
}

void cgrun_boundary(struct cgrun *c, struct run *r)
{
	int64_t bytes, kb;
	struct phase *ph;

	if (c->peak_fd < 0 || cgroup_peak_read(c->peak_fd, &bytes) != 0)
		return;
	kb = (bytes + 1023) / 1024;
	if (r->kpeak.kb < kb)
		r->kpeak.kb = kb;
	if (!r->kpeak.per_phase)
		return;
	ph = r->nphases ? &r->phases[r->nphases - 1] : NULL;
	if (ph && ph->end_s < 0 && ph->kpeak_kb < kb)
		ph->kpeak_kb = kb;
	cgroup_peak_reset(c->peak_fd, c->dir.version);
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

void cgrun_end(struct cgrun *c, struct run *r)
{
	pid_t pids[64];
	ssize_t n;

	cgrun_boundary(c, r);
	close_fd(&c->peak_fd);
	close_fd(&c->procs_fd);
	if (!c->made)
		return;
	/* the tree was ended by runner_stop; what is left escaped it */
	for (int waited = 0; waited < END_KILL_MS; waited += 10) {
		n = cgroup_procs(&c->dir, pids, sizeof(pids) / sizeof(pids[0]));
		if (n <= 0)
			break;
		if (cgroup_kill(&c->dir) != 0) {
			for (ssize_t i = 0; i < n && i < 64; i++) {
				kill(pids[i], SIGKILL);
				kill(pids[i], SIGCONT);
			}
		}
		nap_ms(10);
	}
	if (cgroup_remove(&c->dir) == 0)
		guard_cgroup(c->dir.path, false);
	c->made = false;
}
