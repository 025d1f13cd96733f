/*
 * highs.c - sweeps owed to the tree's highs and plateaus (highs.h).
 */
#include "src/sample/highs.h"

#include "src/core/model.h"

void highs_init(struct highs *h)
{
	*h = (struct highs){ .rate = HIGH_PCT / 100.0 };
	highs_begin(h);
}

void highs_begin(struct highs *h)
{
	h->allowance = h->rate * HIGH_BURST_S;
	h->have_mark = false;
	h->seen_rss_kb = -1;
	h->peak_lo_kb = -1;
}

void highs_earn(struct highs *h, double wall)
{
	double cap = h->rate * HIGH_BURST_S;

	if (h->have_mark && wall > h->wall_mark) {
		h->allowance += (wall - h->wall_mark) * h->rate;
		if (h->allowance > cap)
			h->allowance = cap;
	}
	h->wall_mark = wall;
	h->have_mark = true;
}

enum high_kind highs_due(struct highs *h, int64_t rss_kb, bool at_rest,
			 bool stale, double cost)
{
	int64_t seen = h->seen_rss_kb;
	bool new_high;

	if (rss_kb < 0)
		return HIGH_NONE;
	new_high = seen < 0 || rss_kb > seen + model_bound_tight_kb(seen);
	if (rss_kb > seen)
		h->seen_rss_kb = rss_kb;
	if (!stale || h->rate <= 0)
		return HIGH_NONE;
	/* ΣPSS never exceeds ΣRSS: a tree whose RSS is within one moment of
	 * the peak's lower bound cannot hold a higher one */
	if (h->peak_lo_kb >= 0 && rss_kb <= h->peak_lo_kb + model_bound_tight_kb(h->peak_lo_kb))
		return HIGH_NONE;
	if (at_rest && cost <= h->allowance)
		return HIGH_PLATEAU;
	if (!at_rest && new_high && 2 * cost <= h->allowance)
		return HIGH_NEW;
	return HIGH_NONE;
}

void highs_spend(struct highs *h, double cpu)
{
	if (cpu > 0)
		h->allowance -= cpu;
}

void highs_note_sample(struct highs *h, int64_t pss_kb, int64_t bound_kb)
{
	int64_t lo;

	if (pss_kb < 0 || bound_kb < 0)
		return;
	lo = pss_kb - bound_kb;
	if (lo > h->peak_lo_kb)
		h->peak_lo_kb = lo;
}
