/*
 * upper.c - the highest ΣPSS a run's tree may have held at any sample
 * (see upper.h; docs/recording.md, "The peak's upper end").
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
	h->v_kb = h->settled_kb = h->undo_settled_kb = -1;
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

/* what a member that joined may have added: its private pages and its
 * shares of file and shared memory pages as read when new, else its RSS;
 * -1: neither known */
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

/* what a member that left had done as last seen: its faults and those of
 * its children it had reaped, and those of children that left before it
 * whose faults its count did not show yet */
static uint64_t done_faults(const struct upper_member *m)
{
	return m->faults + m->cfaults + m->credit;
}

/* the faults of children a member reaped since the sample before, less
 * those already seen of the members that left it (its credit), KiB */
static int64_t reaped_kb(const struct pss_upper *h, struct upper_member *m, uint64_t was_cfaults)
{
	uint64_t d = m->cfaults > was_cfaults ? m->cfaults - was_cfaults : 0;
	uint64_t use = d < m->credit ? d : m->credit;

	m->credit -= use;
	return (int64_t)(d - use) * h->page_kb;
}

/* The members of this sample into next (sorted), and what may have
 * entered and left the tree since the sample before (upper.h); false:
 * unknown (a member joined with no figure known) or out of memory
 * (*oom). */
static bool fold_members(struct pss_upper *h, const struct proc_row *rows, size_t n,
			 int64_t *entered, int64_t *left, bool *oom)
{
	size_t k = 0;

	*entered = *left = 0;
	*oom = false;
	if (n > h->next_cap) {
		struct upper_member *np = realloc(h->next, n * sizeof(*np));

		if (!np) {
			*oom = true;
			return false;
		}
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
	qsort(h->next, k, sizeof(*h->next), cmp_member);
	if (h->v_kb < 0)
		return false;
	/* the members that left: their pages went, and what they had done
	 * is their parent's to count when it reaps them (shmviz's when it is
	 * no member: the run's end) */
	for (size_t i = 0; i < h->nprev; i++) {
		struct upper_member *was = &h->prev[i];
		struct upper_member *now = bsearch(was, h->next, k, sizeof(*h->next), cmp_member);
		struct upper_member *parent;

		if (now) {
			now->credit = was->credit;
			continue;
		}
		*left += pos(was->rss_kb);
		parent = by_pid(h->next, k, was->ppid);
		if (parent)
			parent->credit += done_faults(was);
		else
			h->shmviz_faults += done_faults(was);
	}
	for (size_t i = 0; i < k; i++) {
		struct upper_member *m = &h->next[i];
		struct upper_member *was = bsearch(m, h->prev, h->nprev, sizeof(*h->prev), cmp_member);
		int64_t rose = 0, faulted = 0, in, gone;

		if (!was) {
			int64_t j = joined_kb(&rows[m->row]);

			if (j < 0)
				return false;
			/* children it reaped before it was seen came and went */
			gone = (int64_t)m->cfaults * h->page_kb;
			*entered += j + gone;
			*left += gone;
			continue;
		}
		if (m->rss_kb >= 0 && was->rss_kb >= 0)
			rose = m->rss_kb - was->rss_kb;
		if (m->faults > was->faults)
			faulted = (int64_t)(m->faults - was->faults) * h->page_kb;
		in = pos(rose > faulted ? rose : faulted);
		gone = reaped_kb(h, m, was->cfaults);
		*entered += in + gone;
		*left += in - rose + gone;
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
	h->settled_kb = upper_kb(h);
	h->npend = 0;
}

bool upper_tick(struct pss_upper *h, const struct point *p,
		const struct proc_row *rows, size_t n)
{
	int64_t v = -1, entered = 0, left = 0;
	int64_t up = sample_upper_kb(p, rows, n);
	bool oom, linked = fold_members(h, rows, n, &entered, &left, &oom);
	struct upper_member *swap;
	size_t cap;

	h->undo_settled_kb = h->settled_kb;
	memcpy(h->undo_pend, h->pend, sizeof(h->pend));
	h->undo_npend = h->npend;
	h->nsamples++;
	settle_old(h);
	if (linked)
		v = h->v_kb + entered;
	if (up >= 0 && (v < 0 || up < v))
		v = up;
	if (p->rss_kb >= 0 && (v < 0 || p->rss_kb < v))
		v = p->rss_kb;
	if (!linked)
		settle(h);
	else /* the moments between the two samples */
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
	if (oom) {
		h->v_kb = -1;
		h->nprev = 0;
		return false;
	}
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
	h->settled_kb = h->undo_settled_kb;
	memcpy(h->pend, h->undo_pend, sizeof(h->pend));
	h->npend = h->undo_npend;
	settle(h);
	h->v_kb = -1;
	h->nprev = 0;
}

int64_t upper_end_kb(const struct pss_upper *h, uint64_t tree_faults)
{
	uint64_t seen = h->shmviz_faults;

	if (h->v_kb < 0)
		return -1;
	for (size_t i = 0; i < h->nprev; i++)
		seen += done_faults(&h->prev[i]);
	if (tree_faults <= seen)
		return h->v_kb;
	return h->v_kb + (int64_t)(tree_faults - seen) * h->page_kb;
}
