/*
 * roles.c - roles from the process tree and the command line (see
 * roles.h). Each process's command line is read when first seen (and
 * again when its comm changes, or at its first sightings while it says
 * nothing: REREADS), kept in a table by pid; the rules run on each
 * sample's rows in O(n log n).
 */
#include "src/sample/roles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/cmdline.h"
#include "src/util/grow.h"

enum roles_kind roles_classify(const char *cmdline)
{
	if (strstr(cmdline, "from multiprocessing.resource_tracker import"))
		return ROLES_MP_HELPER;
	if (strstr(cmdline, "from multiprocessing.forkserver import"))
		return ROLES_FORKSERVER;
	if (strstr(cmdline, "from multiprocessing.spawn import") ||
	    strstr(cmdline, "--multiprocessing-fork"))
		return ROLES_MP_WORKER;
	return ROLES_OTHER;
}

/* qsort has no context argument: the rows being sorted */
static const struct proc_row *sorting;

static int by_pid(const void *a, const void *b)
{
	pid_t x = sorting[*(const size_t *)a].pid, y = sorting[*(const size_t *)b].pid;

	return (x > y) - (x < y);
}

static int by_family(const void *a, const void *b)
{
	const struct proc_row *x = &sorting[*(const size_t *)a], *y = &sorting[*(const size_t *)b];

	if (x->ppid != y->ppid)
		return (x->ppid > y->ppid) - (x->ppid < y->ppid);
	return strcmp(x->comm, y->comm);
}

/* the kind of the row of pid, through idx sorted by pid */
static enum roles_kind kind_of(const struct proc_row *rows, const size_t *idx, size_t n,
			       const enum roles_kind *kinds, pid_t pid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rows[idx[mid]].pid == pid)
			return kinds[idx[mid]];
		if (rows[idx[mid]].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return ROLES_OTHER;
}

bool roles_apply(struct proc_row *rows, size_t n, const enum roles_kind *kinds)
{
	size_t *idx = n ? malloc(n * sizeof(*idx)) : NULL;
	bool *worker = n ? calloc(n, sizeof(*worker)) : NULL;

	if (n && (!idx || !worker)) {
		free(idx);
		free(worker);
		return false;
	}
	if (!n)
		return true;   /* no process: nothing to name (qsort of NULL) */
	sorting = rows;
	/* rule 3: siblings of one executable */
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	qsort(idx, n, sizeof(*idx), by_family);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1, kids = 0;

		while (j < n && by_family(&idx[i], &idx[j]) == 0)
			j++;
		/* the root is no one's sibling: it is the run's parent */
		for (size_t k = i; k < j; k++)
			kids += rows[idx[k]].role != ROLE_PARENT;
		for (size_t k = i; kids >= 2 && k < j; k++)
			worker[idx[k]] = true;
		i = j;
	}
	/* rule 2, which comes first */
	qsort(idx, n, sizeof(*idx), by_pid);
	for (size_t i = 0; i < n; i++) {
		struct proc_row *r = &rows[i];

		if (r->role != ROLE_CHILD)
			continue;
		switch (kinds[i]) {
		case ROLES_MP_WORKER:
			r->role = ROLE_WORKER;
			break;
		case ROLES_MP_HELPER:
			r->role = ROLE_HELPER;
			break;
		case ROLES_FORKSERVER:
			r->role = kind_of(rows, idx, n, kinds, r->ppid) == ROLES_FORKSERVER ?
				  ROLE_WORKER : ROLE_HELPER;
			break;
		default:
			if (worker[i])
				r->role = ROLE_WORKER;
			break;
		}
	}
	free(idx);
	free(worker);
	return true;
}

struct seen {
	pid_t pid;                    /* 0: empty */
	uint64_t start_ticks;
	char comm[MODEL_COMM_MAX];
	enum roles_kind kind;
	unsigned reads;               /* of its command line */
};

/* A fork reads as its parent until it execs, and an exec that keeps the
 * executable (python3 running python3) keeps comm: a command line that
 * says nothing is read again at the process's first few sightings (a
 * tick apart: fork and exec are milliseconds apart), then no more. */
#define REREADS 8

struct roles {
	struct seen *slot;
	size_t cap, used;             /* cap a power of two */
	enum roles_kind *kinds;       /* scratch of one sample */
	size_t kinds_cap;
};

struct roles *roles_create(void)
{
	return calloc(1, sizeof(struct roles));
}

void roles_destroy(struct roles *rl)
{
	if (!rl)
		return;
	free(rl->slot);
	free(rl->kinds);
	free(rl);
}

static struct seen *slot_of(struct roles *rl, pid_t pid)
{
	size_t k = ((size_t)pid * 2654435761u) & (rl->cap - 1);

	while (rl->slot[k].pid && rl->slot[k].pid != pid)
		k = (k + 1) & (rl->cap - 1);
	return &rl->slot[k];
}

static bool room(struct roles *rl)
{
	struct seen *old = rl->slot;
	size_t n = rl->cap;

	if (rl->cap && 2 * (rl->used + 1) <= rl->cap)
		return true;
	rl->cap = n ? 2 * n : 64;
	rl->slot = calloc(rl->cap, sizeof(*rl->slot));
	if (!rl->slot) {
		rl->slot = old;
		rl->cap = n;
		return false;
	}
	for (size_t i = 0; i < n; i++)
		if (old[i].pid)
			*slot_of(rl, old[i].pid) = old[i];
	free(old);
	return true;
}

/* the kind of row r's command line, read when not known for its pid,
 * start and comm */
static enum roles_kind kind_read(struct roles *rl, const struct proc_row *r)
{
	char cmd[1024];
	struct seen *s;

	if (!room(rl))
		return ROLES_OTHER;
	s = slot_of(rl, r->pid);
	if (s->pid && s->start_ticks == r->start_ticks && strcmp(s->comm, r->comm) == 0 &&
	    (s->kind != ROLES_OTHER || s->reads >= REREADS))
		return s->kind;
	if (!s->pid)
		rl->used++;
	if (s->pid != r->pid || s->start_ticks != r->start_ticks ||
	    strcmp(s->comm, r->comm) != 0)
		s->reads = 0;
	s->pid = r->pid;
	s->start_ticks = r->start_ticks;
	snprintf(s->comm, sizeof(s->comm), "%s", r->comm);
	s->kind = cmdline_read(r->pid, cmd, sizeof(cmd)) > 0 ? roles_classify(cmd) : ROLES_OTHER;
	s->reads++;
	return s->kind;
}

bool roles_refine(struct roles *rl, struct proc_row *rows, size_t n)
{
	if (!grow((void **)&rl->kinds, &rl->kinds_cap, n, sizeof(*rl->kinds)))
		return false;
	for (size_t i = 0; i < n; i++)
		rl->kinds[i] = rows[i].role == ROLE_CHILD ? kind_read(rl, &rows[i]) : ROLES_OTHER;
	return roles_apply(rows, n, rl->kinds);
}
