/*
 * decayrep.c - a run's sharing decay in words (decayrep.h). The figures are
 * decay.c's; this file only says them.
 */
#include "src/report/decayrep.h"

#include <stdio.h>

#include "src/util/fmt.h"

bool decayrep_shown(const struct run *r)
{
	return r->decay.tree.known && decay_lost_kb(&r->decay.tree) >= DECAYREP_SHOWN_KB;
}

char *decayrep_rate(char *buf, size_t size, const struct decay_fig *f)
{
	if (!f->known)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.1f MiB/s", decay_rate_kb_s(f) / 1024.0);
	return buf;
}

char *decayrep_half_life(char *buf, size_t size, const struct decay_fig *f)
{
	if (!f->known)
		snprintf(buf, size, "-");
	else if (!f->halved)
		snprintf(buf, size, "not yet");
	else
		fmt_seconds(buf, size, f->half_life_s);
	return buf;
}

char *decayrep_line(char *buf, size_t size, const struct run *r)
{
	const struct decay_fig *f = &r->decay.tree;
	const struct decay_proc *p = decay_fastest(&r->decay);
	char s0[FMT_SIZE_MAX], s1[FMT_SIZE_MAX], lost[FMT_SIZE_MAX],
	     rate[FMT_SIZE_MAX], half[FMT_SIZE_MAX], phalf[FMT_SIZE_MAX];
	int n;

	buf[0] = '\0';
	if (!f->known)
		return buf;
	fmt_kb_long(s0, sizeof(s0), f->shared0_kb);
	fmt_kb_long(s1, sizeof(s1), f->shared_min_kb);
	fmt_kb_long(lost, sizeof(lost), decay_lost_kb(f));
	decayrep_rate(rate, sizeof(rate), f);
	n = snprintf(buf, size, "%s: shared part of \xce\xa3PSS %s at %.2f s, %s at %.2f s: %s lost at %s, ",
		     r->name, s0, f->t0, s1, f->t_min, lost, rate);
	if (n < 0 || (size_t)n >= size)
		return buf;
	if (f->halved)
		n += snprintf(buf + n, size - (size_t)n, "half gone after %s",
			      fmt_seconds(half, sizeof(half), f->half_life_s));
	else
		n += snprintf(buf + n, size - (size_t)n, "never half gone");
	/* the parent first: its page turns private once every worker holds
	 * a copy, which a class asks about */
	if (p && p->fig.halved && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "; first to lose half: %d (%s), after %s%s",
			 (int)p->pid, model_role_name((enum proc_role)p->role),
			 fmt_seconds(phalf, sizeof(phalf), p->fig.half_life_s),
			 p->role == ROLE_PARENT ?
			 " (a page of the parent's turns private once every worker has copied it)" : "");
	return buf;
}
