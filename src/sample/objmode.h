/*
 * objmode.h - the tree's shared memory from its objects, without a
 * page-table walk (docs/architecture.md, "Shared memory objects").
 *
 * Each page of a shared memory object that a member of the tree maps is
 * divided among its mappers, so the members' Pss_Shmem of an object add up
 * to the pages of it mapped by at least one of them: all its allocated
 * pages once one member maps every one (its creator that wrote it, a
 * worker that read it all), if no process outside the tree maps it. So
 * ΣPss_Shmem of such a tree is the objects' sizes, which the kernel keeps
 * (probes/shmobj.h), however many members fault their pages in meanwhile:
 * the figure a read of each member (16 ms for 2 GiB) would sum to.
 *
 * objmode_held() says it holds and gives the sum when, at the counters
 * given:
 *   - every member's RssShmem fits in the objects it maps shared (no shmem
 *     page elsewhere: a private mapping of a tmpfs file is not known);
 *   - every object is mapped whole (offset 0, its size) by a member whose
 *     RssShmem is all its objects hold (every allocated page of each
 *     mapped: none swapped out or unmapped);
 *   - no read said otherwise (objmode_distrust(): a sweep of reads at one
 *     moment whose ΣPss_Shmem was not the sum: a mapper outside the tree),
 *     and no member had more than 256 shared mappings (their stats would
 *     cost more than the reads spared): either ends the mode for the run.
 * A member's maps are read again only when its RssShmem moved since; the
 * objects are stat'ed at each call, one stat each (4 us). Not thread-safe;
 * no /proc read but through probes/shmobj.h.
 */
#ifndef SHMVIZ_SAMPLE_OBJMODE_H
#define SHMVIZ_SAMPLE_OBJMODE_H

#if !defined(SHMVIZ_USES_SAMPLE) && !defined(SHMVIZ_USES_ALL)
#error "src/sample/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct objmode;

/* One member as objmode_held() sees it. */
struct objmode_member {
	pid_t pid;
	uint64_t start_ticks;
	int64_t shmem_kb;       /* RssShmem now; -1 unknown */
	int64_t vsize;          /* virtual size now (stat), bytes; -1 unknown */
};

/* NULL when out of memory; free with objmode_destroy() (NULL accepted). */
struct objmode *objmode_create(void);
void objmode_destroy(struct objmode *om);

/* A new run: members and trust forgotten. */
void objmode_begin(struct objmode *om);

/* Whether the n members' shared memory is known from their objects (see
 * above); *held_kb its sum, kB. */
bool objmode_held(struct objmode *om, const struct objmode_member *m,
		  size_t n, int64_t *held_kb);

/* A sweep of reads at one moment whose ΣPss_Shmem was not what the
 * objects said: objmode_held() is false for the rest of the run. */
void objmode_distrust(struct objmode *om);

#endif
