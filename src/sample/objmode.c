/*
 * objmode.c - the tree's shared memory from its objects (objmode.h).
 *
 * Data: a cache of each member's shared memory mappings (its maps, kept
 * while its RssShmem stays within what they can hold and its virtual size
 * and RssShmem do not shrink: a mapping added or removed), and the
 * objects of one call, each stat'ed once through one of its mappers.
 */
#include "src/sample/objmode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probes/shmobj.h"
#include "src/util/grow.h"

/* The shared mappings a member may have for its objects to be stat'ed at
 * every call (4 us each, and a search among the objects): a process of
 * tens of thousands of memfds (tests/helpers/maps.c) would cost more than
 * the reads this spares, so such a member ends the mode for the run (as a
 * read that said otherwise does: objmode_distrust()). */
#define OBJMODE_MAPS_MAX 256

struct om_proc {
	pid_t pid;
	uint64_t start_ticks;
	int64_t shmem_at;        /* RssShmem when maps was read */
	int64_t vsize_at;        /* virtual size then */
	int64_t cap_kb;          /* what its mappings could hold at the last call */
	bool seen;               /* scratch: a member at this call */
	struct shmobj_map *maps;
	size_t n, cap;
};

struct om_obj {
	uint64_t dev, ino;       /* maps' identity of it */
	int64_t alloc_kb, size_kb;
	bool whole;              /* a member maps every allocated page */
};

struct objmode {
	struct om_proc *p;
	size_t np, pcap;
	struct om_obj *o;
	size_t no, ocap;
	bool distrust;
};

struct objmode *objmode_create(void)
{
	return calloc(1, sizeof(struct objmode));
}

static void forget(struct objmode *om)
{
	for (size_t i = 0; i < om->np; i++)
		free(om->p[i].maps);
	om->np = 0;
}

void objmode_destroy(struct objmode *om)
{
	if (!om)
		return;
	forget(om);
	free(om->p);
	free(om->o);
	free(om);
}

void objmode_begin(struct objmode *om)
{
	forget(om);
	om->distrust = false;
}

void objmode_distrust(struct objmode *om)
{
	om->distrust = true;
}

/* The cache entry of member m (hint: where it was last time); NULL when
 * out of memory. */
static struct om_proc *proc_of(struct objmode *om, const struct objmode_member *m,
			       size_t hint)
{
	struct om_proc *p;

	if (hint < om->np && om->p[hint].pid == m->pid &&
	    om->p[hint].start_ticks == m->start_ticks)
		return &om->p[hint];
	for (size_t i = 0; i < om->np; i++)
		if (om->p[i].pid == m->pid && om->p[i].start_ticks == m->start_ticks)
			return &om->p[i];
	if (!grow((void **)&om->p, &om->pcap, om->np + 1, sizeof(*om->p)))
		return NULL;
	p = &om->p[om->np++];
	memset(p, 0, sizeof(*p));
	p->pid = m->pid;
	p->start_ticks = m->start_ticks;
	p->shmem_at = -1;
	p->cap_kb = -1;
	return p;
}

/* Reads a member's maps again when they may have changed: never read, its
 * virtual size moved (a mapping added or removed), its RssShmem shrank (an
 * object unmapped) or passed what its objects could hold. */
static bool refresh(struct objmode *om, struct om_proc *p,
		    const struct objmode_member *m)
{
	if (p->shmem_at >= 0 && p->vsize_at == m->vsize &&
	    m->shmem_kb >= p->shmem_at && (p->cap_kb < 0 || m->shmem_kb <= p->cap_kb))
		return true;
	if (shmobj_maps(m->pid, &p->maps, &p->n, &p->cap) != 0)
		return false;
	if (p->n > OBJMODE_MAPS_MAX) {
		om->distrust = true;
		return false;
	}
	p->shmem_at = m->shmem_kb;
	p->vsize_at = m->vsize;
	return true;
}

/* The object mapped at map in pid, stat'ed once a call; NULL on failure. */
static struct om_obj *obj_of(struct objmode *om, pid_t pid,
			     const struct shmobj_map *map)
{
	struct shmobj_size sz;
	struct om_obj *o;

	for (size_t i = 0; i < om->no; i++)
		if (om->o[i].dev == map->dev && om->o[i].ino == map->ino)
			return &om->o[i];
	if (shmobj_stat(pid, map, &sz) != 0)
		return NULL;
	if (!grow((void **)&om->o, &om->ocap, om->no + 1, sizeof(*om->o)))
		return NULL;
	o = &om->o[om->no++];
	*o = (struct om_obj){ map->dev, map->ino, sz.alloc_kb, sz.size_kb, false };
	return o;
}

/* What the member's mappings can hold (each at most its object's pages),
 * and the objects mapped whole marked when it holds all of that; false
 * when an object cannot be stat'ed or its RssShmem passes that. */
static bool fits(struct objmode *om, struct om_proc *p, int64_t shmem_kb)
{
	int64_t cap = 0;

	for (size_t k = 0; k < p->n; k++) {
		struct om_obj *o = obj_of(om, p->pid, &p->maps[k]);
		int64_t len = (int64_t)((p->maps[k].end - p->maps[k].start) / 1024);

		if (!o)
			return false;
		cap += o->alloc_kb < len ? o->alloc_kb : len;
	}
	p->cap_kb = cap;
	if (shmem_kb > cap)
		return false;
	if (shmem_kb < cap)
		return true;
	for (size_t k = 0; k < p->n; k++) {
		struct om_obj *o = obj_of(om, p->pid, &p->maps[k]);
		int64_t len = (int64_t)((p->maps[k].end - p->maps[k].start) / 1024);

		if (o && p->maps[k].offset == 0 && len >= o->size_kb)
			o->whole = true;
	}
	return true;
}

/* drops the entries of processes no longer members */
static void drop_unseen(struct objmode *om)
{
	size_t j = 0;

	for (size_t i = 0; i < om->np; i++) {
		if (om->p[i].seen)
			om->p[j++] = om->p[i];
		else
			free(om->p[i].maps);
	}
	om->np = j;
}

bool objmode_held(struct objmode *om, const struct objmode_member *m,
		  size_t n, int64_t *held_kb)
{
	bool ok = !om->distrust;
	int64_t sum = 0;

	for (size_t i = 0; i < om->np; i++)
		om->p[i].seen = false;
	om->no = 0;
	for (size_t i = 0; i < n && ok; i++) {
		struct om_proc *p = proc_of(om, &m[i], i);

		if (!p || m[i].shmem_kb < 0 || m[i].vsize < 0) {
			ok = false;
			break;
		}
		p->seen = true;
		ok = refresh(om, p, &m[i]) && fits(om, p, m[i].shmem_kb);
	}
	if (ok)
		drop_unseen(om);
	for (size_t i = 0; i < om->no && ok; i++) {
		ok = om->o[i].whole;
		sum += om->o[i].alloc_kb;
	}
	*held_kb = ok ? sum : -1;
	return ok;
}
