/*
 * upper.c - the highest ΣPSS a run's tree may have held at any sample,
 * between two, or after the last (see upper.h; docs/recording.md, "The
 * peak's upper end").
 */
#include "src/core/upper.h"

#include <stdlib.h>
#include <string.h>

#include "src/core/model.h"

void upper_init(struct pss_upper *h, long page_size)
{
	free(h->prev);
	free(h->next);
	memset(h, 0, sizeof(*h));
	h->v_kb = h->settled_kb = -1;
	h->reaped = h->thp_kb = -1;
	h->page_kb = page_size >= 1024 ? (unsigned)(page_size / 1024) : 4;
}

void upper_free(struct pss_upper *h)
{
	free(h->prev);
	free(h->next);
	h->prev = h->next = NULL;
	h->nprev = h->cap = h->nnext = h->next_cap = 0;
}

bool upper_copy(struct pss_upper *dst, const struct pss_upper *src)
{
	*dst = *src;
	dst->prev = dst->next = NULL;
	dst->cap = dst->nnext = dst->next_cap = 0;
	if (!src->nprev)
		return true;
	dst->prev = malloc(src->nprev * sizeof(*dst->prev));
	if (!dst->prev) {
		dst->nprev = 0;
		return false;
	}
	memcpy(dst->prev, src->prev, src->nprev * sizeof(*dst->prev));
	dst->cap = src->nprev;
	return true;
}

int64_t upper_kb(const struct pss_upper *h)
{
	int64_t hi = h->settled_kb;

	if (h->broken)
		return -1;
	for (size_t i = 0; i < h->npend; i++)
		if (h->pend[i].up_kb > hi)
			hi = h->pend[i].up_kb;
	return hi;
}

static int cmp_member(const void *a, const void *b)
{
	const struct upper_member *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->start_ticks > y->start_ticks) - (x->start_ticks < y->start_ticks);
}

static bool live(const struct proc_row *row)
{
	return row->state != 'x' && row->smaps != SMAPS_STATE_GONE;
}

static int64_t pos(int64_t v)
{
	return v > 0 ? v : 0;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* what a member that joined holds of what it may have brought: its
 * private pages and its shares of file and shared memory pages as read
 * when new, else its RSS; -1: neither known */
static int64_t joined_kb(const struct proc_row *row)
{
	const struct smaps_kb *m = &row->mem;
	bool read = row->smaps == SMAPS_STATE_READ || row->smaps == SMAPS_STATE_EXACT;

	if (read && m->pss >= 0 && m->private_clean >= 0 && m->private_dirty >= 0 &&
	    m->pss_file >= 0 && m->pss_shmem >= 0)
		return m->private_clean + m->private_dirty + m->pss_file + m->pss_shmem;
	if (read && m->pss >= 0)
		return m->pss;
	if (row->rss_now_kb >= 0)
		return row->rss_now_kb;
	return m->rss >= 0 ? m->rss : -1;
}

/* a member of next, by pid alone (any start time); NULL: none */
static struct upper_member *by_pid(struct upper_member *v, size_t n, pid_t pid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].pid == pid)
			return &v[mid];
		if (v[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* the faults of a member that left as last seen: its own, those of the
 * children it had reaped, and those of the members that left it not yet
 * seen reaped (its parent's count will hold them all) */
static uint64_t done_faults(const struct upper_member *m)
{
	return m->faults + m->cfaults + m->credit;
}

/* what came and went unseen: d faults of reaped processes of which credit
 * were already counted, KiB (the credit used up) */
static int64_t unseen_kb(const struct pss_upper *h, uint64_t d, uint64_t *credit)
{
	uint64_t use = d < *credit ? d : *credit;

	*credit -= use;
	return (int64_t)(d - use) * h->page_kb;
}

/* the members of this sample into next, sorted by pid and start */
static bool collect(struct pss_upper *h, const struct proc_row *rows, size_t n)
{
	size_t k = 0;

	if (n > h->next_cap) {
		struct upper_member *np = realloc(h->next, n * sizeof(*np));

		if (!np)
			return false;
		h->next = np;
		h->next_cap = n;
	}
	for (size_t i = 0; i < n; i++) {
		if (!live(&rows[i]))
			continue;
		h->next[k++] = (struct upper_member){
			.row = i,
			.pid = rows[i].pid,
			.ppid = rows[i].ppid,
			.start_ticks = rows[i].start_ticks,
			.rss_kb = rows[i].rss_now_kb,
			.faults = rows[i].minflt + rows[i].majflt,
			.cfaults = rows[i].child_faults,
		};
	}
	h->nnext = k;
	if (k)
		qsort(h->next, k, sizeof(*h->next), cmp_member);
	return true;
}

/* the members that left since the sample before: their pages went, and
 * what they had done is counted by their parent when it reaps them
 * (shmviz when no member is their parent: the root, an orphan) */
static void fold_left(struct pss_upper *h, int64_t *left)
{
	for (size_t i = 0; i < h->nprev; i++) {
		const struct upper_member *was = &h->prev[i];
		struct upper_member *parent, *now = NULL;

		if (h->nnext)
			now = bsearch(was, h->next, h->nnext, sizeof(*h->next), cmp_member);
		if (now) {
			now->credit = was->credit;
			continue;
		}
		*left += pos(was->rss_kb);
		parent = by_pid(h->next, h->nnext, was->ppid);
		if (parent)
			parent->credit += done_faults(was);
		else
			h->shmviz_credit += done_faults(was);

	}
}

/* what a member seen at both samples brought and let go (upper.h) */
static void fold_stayed(const struct pss_upper *h, struct upper_member *m,
			const struct upper_member *was, int64_t *entered, int64_t *left)
{
	int64_t rose = 0, faulted = 0, in, gone;

	if (m->rss_kb >= 0 && was->rss_kb >= 0)
		rose = m->rss_kb - was->rss_kb;
	if (m->faults > was->faults)
		faulted = (int64_t)(m->faults - was->faults) * h->page_kb;
	in = pos(max64(rose, faulted));
	gone = unseen_kb(h, m->cfaults > was->cfaults ? m->cfaults - was->cfaults : 0,
			 &m->credit);
	*entered += in + gone;
	*left += in - rose + gone;
}

/* what a member that joined brought and let go; false: unknown */
static bool fold_joined(const struct pss_upper *h, const struct upper_member *m,
			const struct proc_row *row, int64_t *entered, int64_t *left)
{
	int64_t hold = joined_kb(row), in, gone;

	if (hold < 0)
		return false;
	/* a forked process's faults start at 0: what it faulted since, a
	 * page each, beside what it holds; the children it reaped came and
	 * went */
	in = max64(hold, (int64_t)m->faults * h->page_kb);
	gone = (int64_t)m->cfaults * h->page_kb;
	*entered += in + gone;
	*left += in - hold + gone;
	return true;
}

/* What may have entered and left the tree since the sample before
 * (upper.h); false: unknown (a member joined with no figure known). */
static bool fold_members(struct pss_upper *h, const struct point *p,
			 const struct proc_row *rows, int64_t *entered, int64_t *left)
{
	*entered = *left = 0;
	fold_left(h, left);
	/* what shmviz reaped since: the orphans' and the root's faults, less
	 * those already counted */
	if (p->reaped_faults >= 0 && h->reaped >= 0 && p->reaped_faults > h->reaped) {
		int64_t g = unseen_kb(h, (uint64_t)(p->reaped_faults - h->reaped), &h->shmviz_credit);

		*entered += g;
		*left += g;
	}
	/* a huge page a fault mapped: the machine's, all of it counted */
	if (p->thp_kb >= 0 && h->thp_kb >= 0 && p->thp_kb > h->thp_kb) {
		*entered += p->thp_kb - h->thp_kb;
		*left += p->thp_kb - h->thp_kb;
	}
	for (size_t i = 0; i < h->nnext; i++) {
		struct upper_member *m = &h->next[i];
		const struct upper_member *was =
			h->nprev ? bsearch(m, h->prev, h->nprev, sizeof(*h->prev), cmp_member) : NULL;

		if (was)
			fold_stayed(h, m, was, entered, left);
		else if (!fold_joined(h, m, &rows[m->row], entered, left))
			return false;
	}
	return true;
}

/* ΣPSS + bound, with the RSS of live members whose figures are unknown
 * (they count in no ΣPSS); -1: no such upper end */
static int64_t sample_upper_kb(const struct point *p, const struct proc_row *rows, size_t n)
{
	int64_t up;

	if (p->pss_bound_kb < 0 || p->pss_kb < 0)
		return -1;
	up = p->pss_kb + p->pss_bound_kb;
	for (size_t i = 0; i < n; i++) {
		if (!live(&rows[i]) || rows[i].mem.pss >= 0)
			continue;
		if (rows[i].rss_now_kb < 0)
			return -1;
		up += rows[i].rss_now_kb;
	}
	return up;
}

/* an upper end the next UPPER_WINDOW samples may lower, from what has
 * left so far */
static void pend(struct pss_upper *h, int64_t up)
{
	if (h->npend < UPPER_PENDING)
		h->pend[h->npend++] = (struct upper_pending){ up, h->left_kb, h->nsamples };
}

/* the upper ends UPPER_WINDOW samples have followed settle */
static void settle_old(struct pss_upper *h)
{
	size_t k = 0;

	while (k < h->npend && h->pend[k].at + UPPER_WINDOW < h->nsamples) {
		if (h->pend[k].up_kb > h->settled_kb)
			h->settled_kb = h->pend[k].up_kb;
		k++;
	}
	memmove(h->pend, h->pend + k, (h->npend - k) * sizeof(*h->pend));
	h->npend -= k;
}

/* no later sample can lower the pending ones: each settles */
static void settle(struct pss_upper *h)
{
	for (size_t i = 0; i < h->npend; i++)
		if (h->pend[i].up_kb > h->settled_kb)
			h->settled_kb = h->pend[i].up_kb;
	h->npend = 0;
}

/* what upper_undo() restores */
static void keep_undo(struct pss_upper *h)
{
	struct upper_undo *u = &h->undo;

	u->settled_kb = h->settled_kb;
	u->shmviz_credit = h->shmviz_credit;
	u->reaped = h->reaped;
	u->thp_kb = h->thp_kb;
	u->broken = h->broken;
	memcpy(u->pend, h->pend, sizeof(h->pend));
	u->npend = h->npend;
	h->undo_ok = true;
}

/* the chain cannot go on: what is pending settles, the next sample starts
 * from its own upper end; broken when samples came before (the moments
 * since the last have none) */
static void cut(struct pss_upper *h)
{
	if (h->v_kb >= 0)
		h->broken = true;
	settle(h);
	h->v_kb = -1;
	h->nprev = 0;
}

bool upper_tick(struct pss_upper *h, const struct point *p,
		const struct proc_row *rows, size_t n)
{
	int64_t v = -1, entered = 0, left = 0, up;
	bool linked, any = false;
	struct upper_member *swap;
	size_t cap;

	/* a sample of no live member (exited, zombies) is no moment of the
	 * tree: it counts as no sample */
	h->undo_ok = false;
	for (size_t i = 0; i < n && !any; i++)
		any = live(&rows[i]);
	if (!any)
		return true;
	keep_undo(h);
	if (!collect(h, rows, n)) {
		cut(h);
		return false;
	}
	h->nsamples++;
	settle_old(h);
	linked = h->v_kb >= 0 && fold_members(h, p, rows, &entered, &left);
	if (!linked)
		cut(h);
	up = sample_upper_kb(p, rows, n);
	if (linked)
		v = h->v_kb + entered;
	if (up >= 0 && (v < 0 || up < v))
		v = up;
	if (p->rss_kb >= 0 && (v < 0 || p->rss_kb < v))
		v = p->rss_kb;
	if (linked) /* the moments between the two samples */
		pend(h, h->v_kb + entered);
	h->left_kb += left;
	/* the pending upper ends from this sample: v + what left since */
	for (size_t i = 0; v >= 0 && i < h->npend; i++) {
		int64_t after = v + (h->left_kb - h->pend[i].left_kb);

		if (after < h->pend[i].up_kb)
			h->pend[i].up_kb = after;
	}
	h->v_kb = v;
	if (v >= 0)
		pend(h, v);
	h->reaped = p->reaped_faults;
	h->thp_kb = p->thp_kb;
	/* this sample's members are the next one's before */
	swap = h->prev;
	cap = h->cap;
	h->prev = h->next;
	h->cap = h->next_cap;
	h->nprev = h->nnext;
	h->next = swap;
	h->next_cap = cap;
	return true;
}

void upper_undo(struct pss_upper *h)
{
	struct upper_undo *u = &h->undo;

	if (!h->undo_ok)
		return;
	h->undo_ok = false;
	h->settled_kb = u->settled_kb;
	h->shmviz_credit = u->shmviz_credit;
	h->reaped = u->reaped;
	h->thp_kb = u->thp_kb;
	h->broken = u->broken;
	memcpy(h->pend, u->pend, sizeof(h->pend));
	h->npend = u->npend;
	cut(h);
}

int64_t upper_end_kb(const struct pss_upper *h, uint64_t tree_faults)
{
	uint64_t seen = h->shmviz_credit;

	if (h->v_kb < 0 || h->broken)
		return -1;
	/* reaped before the last sample: counted there */
	if (h->reaped > 0)
		seen += (uint64_t)h->reaped;
	for (size_t i = 0; i < h->nprev; i++)
		seen += done_faults(&h->prev[i]);
	if (tree_faults <= seen)
		return h->v_kb;
	return h->v_kb + (int64_t)(tree_faults - seen) * h->page_kb;
}
