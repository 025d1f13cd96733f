/*
 * estimate.c - smaps figures between two reads (see estimate.h for the
 * model and docs/recording.md for what the states mean to a reader).
 */
#include "src/sample/estimate.h"

static int64_t clamp0(int64_t v)
{
	return v < 0 ? 0 : v;
}

/* v scaled by now/then; then == 0 keeps v when now is 0 too */
static int64_t scale(int64_t v, int64_t now, int64_t then)
{
	if (then <= 0)
		return now > 0 ? now : v;
	return (int64_t)((double)v * (double)now / (double)then + 0.5);
}

static bool known(const struct est_counters *c)
{
	return c->rss_kb >= 0 && c->anon_kb >= 0 && c->file_kb >= 0 &&
	       c->shmem_kb >= 0;
}

double estimate_shmem_share(const struct est_member *m, size_t n)
{
	int64_t sum_now = 0, max_now = 0;
	double held = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t now = m[i].now.shmem_kb, then = m[i].at_read.shmem_kb;

		if (now <= 0)
			continue;
		sum_now += now;
		if (now > max_now)
			max_now = now;
		if (m[i].read && m[i].read->pss_shmem >= 0 && then > 0)
			held += (double)m[i].read->pss_shmem *
				(now < then ? (double)now / (double)then : 1.0);
	}
	if (sum_now <= 0)
		return -1;
	if (held < (double)max_now)
		held = (double)max_now;
	if (held > (double)sum_now)
		held = (double)sum_now;
	return held / (double)sum_now;
}

bool estimate_anon_shared(int64_t anonymous_kb, int64_t pss_anon_kb,
			  int64_t pss_kb, int64_t tree_pss_kb)
{
	int64_t shared = anonymous_kb - pss_anon_kb;
	int64_t base = tree_pss_kb > pss_kb ? tree_pss_kb : pss_kb;

	if (anonymous_kb < 0 || pss_anon_kb < 0 || pss_kb < 0)
		return false;
	return shared > ESTIMATE_SHARED_ANON_KB &&
	       shared * 100 > base * ESTIMATE_SHARED_ANON_PCT;
}

bool estimate_shares_move(const struct smaps_kb *read, int64_t tree_pss_kb)
{
	int64_t base = tree_pss_kb > read->pss ? tree_pss_kb : read->pss;

	if (estimate_anon_shared(read->anonymous, read->pss_anon, read->pss, tree_pss_kb))
		return true;
	return read->shared_clean > ESTIMATE_SHARED_ANON_KB && base >= 0 &&
	       read->shared_clean * 100 > base * ESTIMATE_SHARED_ANON_PCT;
}

int64_t estimate_anon_bound(int64_t counters_kb, int64_t pub_anon_kb,
			    int64_t cg_anon_kb, int64_t lag_kb)
{
	int64_t d = pub_anon_kb - cg_anon_kb;

	if (pub_anon_kb < 0 || cg_anon_kb < 0 || lag_kb < 0)
		return counters_kb;
	d = (d < 0 ? -d : d) + lag_kb;
	return d < counters_kb ? d : counters_kb;
}

bool estimate_memcg_lag_bounded(const char *release)
{
	long major = 0, minor = 0;
	const char *c = release;

	if (!c || *c < '0' || *c > '9')
		return false;
	for (; *c >= '0' && *c <= '9' && major < 1000; c++)
		major = major * 10 + (*c - '0');
	if (*c++ != '.' || *c < '0' || *c > '9')
		return false;
	for (; *c >= '0' && *c <= '9' && minor < 1000; c++)
		minor = minor * 10 + (*c - '0');
	return major > 6 || (major == 6 && minor >= 8);
}

bool estimate_mem(const struct smaps_kb *read, const struct est_counters *at_read,
		  const struct est_counters *now, double shmem_share,
		  int64_t tree_pss_kb, struct smaps_kb *out)
{
	struct smaps_kb e = *read;
	int64_t d_anon, rest;

	if (read->pss < 0 || read->rss < 0 || read->pss_anon < 0 ||
	    read->pss_file < 0 || read->pss_shmem < 0 || read->anonymous < 0 ||
	    read->private_dirty < 0 || read->private_clean < 0 ||
	    read->shared_dirty < 0 || read->shared_clean < 0 ||
	    !known(at_read) || !known(now))
		return false;
	/* copy-on-write: a write in any sharer moves every share, by as much
	 * as the anonymous memory shared; a few pages of it (what every fork
	 * shares: libc's data, the stack) move the tree's total by less than
	 * the error allowed, a table shared after fork does not, nor do a
	 * fresh fork's pages when the whole tree is a few MB */
	if (estimate_anon_shared(read->anonymous, read->pss_anon, read->pss, tree_pss_kb))
		return false;

	/* file pages newly mapped (a program loading its libraries, as an
	 * interpreter does at start): their share depends on every other
	 * process mapping them, in the tree and out; measured, the share of
	 * the last read missed by up to 20% of ΣPSS there */
	if (now->file_kb - at_read->file_kb > ESTIMATE_FILE_GROWTH_KB &&
	    (now->file_kb - at_read->file_kb) * 100 > at_read->file_kb * ESTIMATE_FILE_GROWTH_PCT)
		return false;
	rest = read->pss - read->pss_anon - read->pss_file - read->pss_shmem;
	/* the anonymous pages from the read's own count (Anonymous), not
	 * from the counters taken before it: a process that freed or grew
	 * between the two (seen: 45 MB freed by Python at a phase boundary)
	 * would otherwise be estimated from a base it no longer had */
	d_anon = now->anon_kb - read->anonymous;
	e.pss_anon = d_anon >= 0 ? read->pss_anon + d_anon :
		     scale(read->pss_anon, now->anon_kb, read->anonymous);
	e.anonymous = clamp0(read->anonymous + (e.pss_anon - read->pss_anon));
	e.pss_file = scale(read->pss_file, now->file_kb, at_read->file_kb);
	e.pss_shmem = shmem_share >= 0 ?
		      (int64_t)((double)now->shmem_kb * shmem_share + 0.5) :
		      scale(read->pss_shmem, now->shmem_kb, at_read->shmem_kb);
	e.pss = clamp0(e.pss_anon + e.pss_file + e.pss_shmem + rest);
	/* RSS is counted by the kernel as it moves (VmRSS) */
	e.rss = now->rss_kb;
	/* anonymous pages are private (shared ones were refused above) */
	e.private_dirty = clamp0(read->private_dirty + (e.pss_anon - read->pss_anon));
	e.shared_clean = scale(read->shared_clean, now->file_kb, at_read->file_kb);
	e.shared_dirty = clamp0(read->shared_dirty +
				(now->shmem_kb - at_read->shmem_kb));
	if (e.pss_shmem > 0 && now->shmem_kb > 0 && shmem_share >= 0.999) {
		/* one mapper: shared memory mapped by this process alone is
		 * its own (Private_Dirty) */
		e.private_dirty = clamp0(e.private_dirty + e.shared_dirty);
		e.shared_dirty = 0;
	}
	if (e.private_clean + e.private_dirty > e.pss)
		e.private_dirty = clamp0(e.pss - e.private_clean);
	*out = e;
	return true;
}
