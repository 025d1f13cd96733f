/*
 * upper.c - the highest ΣPSS a run's tree may have held at any sample,
 * between two, or after the last (see upper.h; docs/recording.md, "The
 * peak's upper end").
 */
#include "src/core/upper.h"

#include <stdlib.h>
#include <string.h>

#include "src/core/model.h"
#include "src/util/grow.h"

void upper_init(struct pss_upper *h, long page_size)
{
	free(h->prev);
	free(h->next);
	memset(h, 0, sizeof(*h));
	h->v_kb = h->st.settled_kb = -1;
	h->st.reaped = h->st.thp_kb = -1;
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
	int64_t hi = h->st.settled_kb;

	if (h->st.broken)
		return -1;
	for (size_t i = 0; i < h->st.npend; i++)
		if (h->st.pend[i].up_kb > hi)
			hi = h->st.pend[i].up_kb;
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

/* KiB of n faults, and sums of KiB, held below any overflow (a recording
 * may say anything) */
#define UPPER_KB_CAP (INT64_MAX / 4)

static int64_t pages_kb(uint64_t n, unsigned page_kb)
{
	return n > (uint64_t)(UPPER_KB_CAP / page_kb) ? UPPER_KB_CAP : (int64_t)n * page_kb;
}

static int64_t add_kb(int64_t a, int64_t b)
{
	return a > UPPER_KB_CAP - b ? UPPER_KB_CAP : a + b;
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

/* the faults of a member that left, as last seen: its own and those of
 * the children it had reaped (its parent's count of reaped children will
 * hold them) */
static uint64_t done_faults(const struct upper_member *m)
{
	return m->faults + m->cfaults;
}

static uint64_t rise(uint64_t now, uint64_t was)
{
	return now > was ? now - was : 0;
}

/* what came and went unseen: d faults of reaped processes of which credit
 * were already counted, KiB (the credit used up) */
static int64_t unseen_kb(const struct pss_upper *h, uint64_t d, uint64_t *credit)
{
	uint64_t use = d < *credit ? d : *credit;

	*credit -= use;
	return pages_kb(d - use, h->page_kb);
}

/* exited and not yet reaped: a zombie, or on its way (its address space
 * gone); its counters are final */
static bool dying(const struct proc_row *row)
{
	return row->state != 'x' && !live(row);
}

/* the members of this sample (live and dying) into next, sorted by pid
 * and start */
static bool collect(struct pss_upper *h, const struct proc_row *rows, size_t n)
{
	size_t k = 0;

	if (!grow((void **)&h->next, &h->next_cap, n, sizeof(*h->next)))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!live(&rows[i]) && !dying(&rows[i]))
			continue;
		h->next[k++] = (struct upper_member){
			.row = i,
			.pid = rows[i].pid,
			.ppid = rows[i].ppid,
			.start_ticks = rows[i].start_ticks,
			.rss_kb = rows[i].rss_now_kb,
			.faults = rows[i].minflt + rows[i].majflt,
			.cfaults = rows[i].child_faults,
			.dead = dying(&rows[i]),
		};
	}
	h->nnext = k;
	if (k)
		qsort(h->next, k, sizeof(*h->next), cmp_member);
	return true;
}

static struct upper_member *in_next(const struct pss_upper *h, const struct upper_member *m)
{
	return h->nnext ? bsearch(m, h->next, h->nnext, sizeof(*h->next), cmp_member) : NULL;
}

/* faults of a member that died, whose parent's count of reaped children
 * will hold them: owed to that parent if it is a live member, to shmviz
 * if it is shmviz; dropped else (a parent that left too: the sum only
 * grows looser) */
static void credit_parent(struct pss_upper *h, pid_t ppid, uint64_t faults)
{
	struct upper_member *parent = by_pid(h->next, h->nnext, ppid);

	if (parent && !parent->dead)
		parent->credit += faults;
	else if (!parent && h->reaper && ppid == h->reaper)
		h->st.shmviz_credit += faults;
}

/* the members that died or left since the sample before: what a dying
 * one did since its last sample came and went, its pages went, and what
 * it did is owed to whoever reaps it */
static void fold_left(struct pss_upper *h, int64_t *entered, int64_t *left)
{
	for (size_t i = 0; i < h->nprev; i++) {
		const struct upper_member *was = &h->prev[i];
		struct upper_member *now = in_next(h, was);

		if (now && !now->dead) {
			now->credit += was->credit;
		} else if (now && !was->dead) {
			/* died since: its last faults are final */
			int64_t g = pages_kb(rise(now->faults, was->faults) +
					     rise(now->cfaults, was->cfaults), h->page_kb);

			*entered = add_kb(*entered, g);
			*left = add_kb(*left, add_kb(g, pos(was->rss_kb)));
			credit_parent(h, now->ppid, done_faults(now));
		} else if (!now && !was->dead) {
			/* gone: reaped between the samples */
			*left = add_kb(*left, pos(was->rss_kb));
			credit_parent(h, was->ppid, done_faults(was));
		}
		/* a dead one reaped now was owed when it died */
	}
	/* one that came and died unseen */
	for (size_t i = 0; i < h->nnext; i++) {
		struct upper_member *m = &h->next[i];
		int64_t g;

		if (!m->dead || (h->nprev && bsearch(m, h->prev, h->nprev, sizeof(*h->prev), cmp_member)))
			continue;
		g = pages_kb(m->faults + m->cfaults, h->page_kb);
		*entered = add_kb(*entered, g);
		*left = add_kb(*left, g);
		credit_parent(h, m->ppid, done_faults(m));
	}
}

/* what a member seen at both samples brought and let go (upper.h) */
static void fold_stayed(const struct pss_upper *h, struct upper_member *m,
			const struct upper_member *was, int64_t *entered, int64_t *left)
{
	int64_t rose = 0, in, gone;

	if (m->rss_kb >= 0 && was->rss_kb >= 0)
		rose = m->rss_kb - was->rss_kb;
	in = pos(max64(rose, pages_kb(rise(m->faults, was->faults), h->page_kb)));
	gone = unseen_kb(h, rise(m->cfaults, was->cfaults), &m->credit);
	*entered = add_kb(*entered, add_kb(in, gone));
	*left = add_kb(*left, add_kb(in - rose, gone));
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
	in = max64(hold, pages_kb(m->faults, h->page_kb));
	gone = pages_kb(m->cfaults, h->page_kb);
	*entered = add_kb(*entered, add_kb(in, gone));
	*left = add_kb(*left, add_kb(in - hold, gone));
	return true;
}

/* What may have entered and left the tree since the sample before
 * (upper.h); false: unknown (a member joined with no figure known). */
static bool fold_members(struct pss_upper *h, const struct point *p,
			 const struct proc_row *rows, int64_t *entered, int64_t *left)
{
	*entered = *left = 0;
	fold_left(h, entered, left);
	/* what shmviz reaped since: the orphans' and the root's faults, less
	 * those already counted */
	if (p->reaped_faults >= 0 && h->st.reaped >= 0 && p->reaped_faults > h->st.reaped) {
		int64_t g = unseen_kb(h, (uint64_t)(p->reaped_faults - h->st.reaped), &h->st.shmviz_credit);

		*entered = add_kb(*entered, g);
		*left = add_kb(*left, g);
	}
	/* a huge page a fault mapped: the machine's, all of it counted */
	if (p->thp_kb >= 0 && h->st.thp_kb >= 0 && p->thp_kb > h->st.thp_kb) {
		*entered = add_kb(*entered, p->thp_kb - h->st.thp_kb);
		*left = add_kb(*left, p->thp_kb - h->st.thp_kb);
	}
	for (size_t i = 0; i < h->nnext; i++) {
		struct upper_member *m = &h->next[i];
		const struct upper_member *was;

		if (m->dead)
			continue;
		was = h->nprev ? bsearch(m, h->prev, h->nprev, sizeof(*h->prev), cmp_member) : NULL;
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
	up = add_kb(p->pss_kb, p->pss_bound_kb);
	for (size_t i = 0; i < n; i++) {
		if (!live(&rows[i]) || rows[i].mem.pss >= 0)
			continue;
		if (rows[i].rss_now_kb < 0)
			return -1;
		up = add_kb(up, rows[i].rss_now_kb);
	}
	return up;
}

/* ΣRSS, where every live member's RSS counter is known; -1 else */
static int64_t sample_rss_kb(const struct point *p, const struct proc_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (live(&rows[i]) && rows[i].rss_now_kb < 0)
			return -1;
	return p->rss_kb;
}

/* an upper end the next UPPER_WINDOW samples may lower, from what has
 * left so far */
static void pend(struct pss_upper *h, int64_t up)
{
	if (h->st.npend < UPPER_PENDING)
		h->st.pend[h->st.npend++] = (struct upper_pending){ up, h->left_kb, h->nsamples };
}

/* the upper ends UPPER_WINDOW samples have followed settle */
static void settle_old(struct pss_upper *h)
{
	size_t k = 0;

	while (k < h->st.npend && h->st.pend[k].at + UPPER_WINDOW < h->nsamples) {
		if (h->st.pend[k].up_kb > h->st.settled_kb)
			h->st.settled_kb = h->st.pend[k].up_kb;
		k++;
	}
	memmove(h->st.pend, h->st.pend + k, (h->st.npend - k) * sizeof(*h->st.pend));
	h->st.npend -= k;
}

/* no later sample can lower the pending ones: each settles */
static void settle(struct pss_upper *h)
{
	for (size_t i = 0; i < h->st.npend; i++)
		if (h->st.pend[i].up_kb > h->st.settled_kb)
			h->st.settled_kb = h->st.pend[i].up_kb;
	h->st.npend = 0;
}

/* the chain cannot go on: what is pending settles, the next sample starts
 * from its own upper end; broken when samples came before (the moments
 * since the last have none) */
static void cut(struct pss_upper *h)
{
	if (h->v_kb >= 0)
		h->st.broken = true;
	settle(h);
	h->v_kb = -1;
	h->nprev = 0;
}

bool upper_tick(struct pss_upper *h, const struct point *p,
		const struct proc_row *rows, size_t n)
{
	int64_t v = -1, entered = 0, left = 0, up, rss;
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
	h->undo = h->st;
	h->undo_ok = true;
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
	rss = sample_rss_kb(p, rows, n);
	if (linked)
		v = add_kb(h->v_kb, entered);
	if (up >= 0 && (v < 0 || up < v))
		v = up;
	if (rss >= 0 && (v < 0 || rss < v))
		v = rss;
	if (linked) /* the moments between the two samples */
		pend(h, add_kb(h->v_kb, entered));
	h->left_kb = add_kb(h->left_kb, left);
	/* the pending upper ends from this sample: v + what left since */
	for (size_t i = 0; v >= 0 && i < h->st.npend; i++) {
		int64_t after = add_kb(v, h->left_kb - h->st.pend[i].left_kb);

		if (after < h->st.pend[i].up_kb)
			h->st.pend[i].up_kb = after;
	}
	h->v_kb = v;
	if (v >= 0)
		pend(h, v);
	/* an unknown count keeps the last known one */
	if (p->reaped_faults >= 0)
		h->st.reaped = p->reaped_faults;
	if (p->thp_kb >= 0)
		h->st.thp_kb = p->thp_kb;
	/* shmviz: the parent of the root (a run it started) */
	for (size_t i = 0; i < n && !h->reaper && p->reaped_faults >= 0; i++)
		if (rows[i].role == ROLE_PARENT)
			h->reaper = rows[i].ppid;
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
	bool broke;

	if (!h->undo_ok)
		return;
	h->undo_ok = false;
	/* a chain the sample broke stays broken: the moments before it have
	 * no upper end, taken back or not */
	broke = h->st.broken;
	h->st = h->undo;
	h->st.broken = h->st.broken || broke;
	cut(h);
}

int64_t upper_end_kb(const struct pss_upper *h, uint64_t tree_faults)
{
	uint64_t seen = h->st.shmviz_credit;

	if (h->v_kb < 0 || h->st.broken)
		return -1;
	/* reaped before the last sample: counted there */
	if (h->st.reaped > 0)
		seen += (uint64_t)h->st.reaped;
	for (size_t i = 0; i < h->nprev; i++)
		if (!h->prev[i].dead)
			seen += done_faults(&h->prev[i]) + h->prev[i].credit;
	if (tree_faults <= seen)
		return h->v_kb;
	return add_kb(h->v_kb, pages_kb(tree_faults - seen, h->page_kb));
}
