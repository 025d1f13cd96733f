/* Unit tests of the smaps reader (probes/mappings.c) and of the groups
 * (src/core/mapgroups.c) on fixtures captured here: a worker of a native shared
 * run (-n 1M -w 2, the segment unlinked), and a process that mapped files
 * with hostile names, a memfd and a shared anonymous mapping. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "probes/mappings.h"
#include "src/core/mapgroups.h"
#include "src/util/text.h"

struct collect {
	struct mapping m[64];
	int n;
	int64_t rss, pss;
};

static int collect(void *ctx, const struct mapping *m)
{
	struct collect *c = ctx;

	if (c->n < 64)
		c->m[c->n] = *m;
	c->n++;
	c->rss += m->mem.rss;
	c->pss += m->mem.pss;
	return 0;
}

/* smaps text of n mappings: mapping i maps the file /lib/f<i % distinct>,
 * 4 kB resident, 1 kB PSS */
static char *many(size_t n, size_t distinct, size_t *len)
{
	size_t cap = n * 160 + 1, at = 0;
	char *t = malloc(cap);

	for (size_t i = 0; t && i < n; i++)
		at += (size_t)snprintf(t + at, cap - at,
				       "%08zx-%08zx r--p 00000000 08:01 %zu /lib/f%zu\nRss: 4 kB\nPss: 1 kB\n",
				       (i + 16) * 8192, (i + 16) * 8192 + 4096, i % distinct + 1,
				       i % distinct);
	*len = at;
	return t;
}

/* Folds n mappings of n/2 distinct files in two processes and sums them:
 * every group has 2 mappings in each process, 2 processes in the sum.
 * Returns the key comparisons it took (0 when a check failed). */
static uint64_t fold_many(size_t n)
{
	struct map_snap snap;
	struct map_group *sum = NULL;
	size_t len, nsum = 0, *of = NULL;
	char *t = many(n, n / 2, &len);
	uint64_t c0 = mapgroups_compares();
	bool ok = true;

	memset(&snap, 0, sizeof(snap));
	CHECK(t != NULL);
	if (!t)
		return 0;
	CHECK_INT(mapgroups_fold_text(&snap, 1, ROLE_PARENT, "a", t, len), (int)n);
	CHECK_INT(mapgroups_fold_text(&snap, 2, ROLE_WORKER, "b", t, len), (int)n);
	CHECK_INT(snap.ngroups, n);
	for (size_t i = 0; i < snap.ngroups; i++)
		ok = ok && snap.groups[i].nmaps == 2 && snap.groups[i].mem.pss == 2 &&
		     snap.groups[i].mem.rss == 8;
	CHECK(ok);
	CHECK(mapgroups_sum_index(&snap, &sum, &nsum, &of));
	CHECK_INT(nsum, n / 2);
	for (size_t i = 0; sum && i < nsum; i++)
		ok = ok && sum[i].nprocs == 2 && sum[i].nmaps == 4 && sum[i].mem.pss == 4;
	/* each process's group is under the run group of its path */
	for (size_t i = 0; of && i < snap.ngroups; i++)
		ok = ok && of[i] < nsum && strcmp(sum[of[i]].path, snap.groups[i].path) == 0;
	CHECK(ok);
	c0 = mapgroups_compares() - c0;
	free(sum);
	free(of);
	map_snap_free(&snap);
	free(t);
	return ok ? c0 : 0;
}

static int stop_at_3(void *ctx, const struct mapping *m)
{
	int *n = ctx;

	(void)m;
	return ++*n == 3 ? 42 : 0;
}

static const struct map_group *find(const struct map_snap *s, size_t first,
				    size_t n, const char *path)
{
	for (size_t i = first; i < first + n; i++)
		if (strcmp(s->groups[i].path, path) == 0)
			return &s->groups[i];
	return NULL;
}

static const struct mapping *find_m(const struct collect *c, const char *suffix)
{
	for (int i = 0; i < c->n && i < 64; i++) {
		size_t a = strlen(c->m[i].path), b = strlen(suffix);

		if (a >= b && strcmp(c->m[i].path + a - b, suffix) == 0)
			return &c->m[i];
	}
	return NULL;
}

/* a snapshot of one process at time t, taken between boundaries, of one
 * anonymous mapping of pss kB (no mapping at all when pss is 0: the tree
 * had gone) */
static struct map_snap between_snap(double t, int pss)
{
	struct map_snap s;
	char text[160];

	memset(&s, 0, sizeof(s));
	s.t = s.t_end = t;
	s.between = true;
	snprintf(s.phase, sizeof(s.phase), "run");
	snprintf(text, sizeof(text), "00400000-00500000 rw-p 00000000 00:00 0 \nRss: %d kB\nPss: %d kB\n",
		 pss, pss);
	if (pss)
		CHECK_INT(mapgroups_fold_text(&s, 9, ROLE_PARENT, "p", text, strlen(text)), 1);
	return s;
}

/* docs/architecture.md, "Mappings": of a stretch of snapshots between
 * boundaries the one of the highest ΣPSS and the newest non-empty one
 * are kept; an empty one (the tree gone) never replaces them */
static void check_kept(void)
{
	static const struct { double t; int pss; } seq[] = {
		{ 1, 100 }, { 2, 300 }, { 3, 200 }, { 4, 150 }, { 5, 0 },
	};
	struct run r;

	memset(&r, 0, sizeof(r));
	r.state = RUN_RUNNING;
	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		struct map_snap s = between_snap(seq[i].t, seq[i].pss);

		CHECK(mapgroups_add(&r, &s));
	}
	CHECK_INT((int)r.nmsnaps, 2);
	if (r.nmsnaps == 2) {
		CHECK(r.msnaps[0].t == 2 && r.msnaps[0].peak && r.msnaps[0].pss_kb == 300);
		CHECK(r.msnaps[1].t == 4 && !r.msnaps[1].peak && r.msnaps[1].pss_kb == 150);
		CHECK(mapgroups_peak(&r) == &r.msnaps[0]);
		CHECK_STR(mapgroups_which(&r, &r.msnaps[0]), "the run's peak");
		CHECK_STR(mapgroups_which(&r, &r.msnaps[1]), "");
		r.state = RUN_DONE;
		CHECK_STR(mapgroups_which(&r, &r.msnaps[1]), "the last before the run's end");
	}
	/* a higher one takes the place of both */
	{
		struct map_snap s = between_snap(6, 400);

		CHECK(mapgroups_add(&r, &s));
		CHECK_INT((int)r.nmsnaps, 1);
		CHECK(r.nmsnaps == 1 && r.msnaps[0].t == 6 && r.msnaps[0].peak);
		CHECK_STR(mapgroups_which(&r, &r.msnaps[0]),
			  "the run's peak and the last before its end");
	}
	for (size_t i = 0; i < r.nmsnaps; i++)
		map_snap_free(&r.msnaps[i]);
	free(r.msnaps);
}

/* the peak snapshot follows the run's peak: a later peak sample read
 * nearer another snapshot moves the mark there (anonmaps, a sanitizer run:
 * the mark stayed on the snapshot nearest the peak as it stood when the
 * last snapshot was added) */
static void check_peak_moves(void)
{
	struct model m;
	struct run *r;
	struct proc_row row = { .pid = 9, .state = 'S', .smaps = SMAPS_STATE_READ,
				.rss_now_kb = 300, .mem = { .rss = 300, .pss = 100 } };
	struct map_snap a = between_snap(1, 100), b = between_snap(2, 100);

	model_init(&m, true);
	r = model_add_run(&m, "cmd", "cmd", "");
	r->state = RUN_RUNNING;
	snprintf(b.phase, sizeof(b.phase), "other");
	CHECK(run_add_tick(r, 1, &row, 1, true));
	CHECK(mapgroups_add(r, &a));
	CHECK(mapgroups_add(r, &b));
	CHECK_INT((int)r->nmsnaps, 2);
	CHECK(r->msnaps[0].peak && !r->msnaps[1].peak);
	/* a higher sample at t = 2: the second snapshot is the peak's */
	row.mem.pss = 200;
	CHECK(run_add_tick(r, 2, &row, 1, true));
	CHECK(!r->msnaps[0].peak && r->msnaps[1].peak);
	model_finish(&m);
}

/* mapgroups.h, MAPGROUPS_ANON_APART: an anonymous mapping of 32 MiB is a
 * group of its own, keyed by its address range, shared by the processes
 * that map it at that range (a fork); a 1 MiB one and a 64 MiB PROT_NONE
 * reservation fold into "[anon]" */
static void check_apart(void)
{
	static const char parent[] =
		"7f0000000000-7f0002000000 rw-p 00000000 00:00 0 \nRss: 32768 kB\nPss: 10923 kB\nShared_Dirty: 32768 kB\n"
		"7f1000000000-7f1000100000 rw-p 00000000 00:00 0 \nRss: 1024 kB\nPss: 1024 kB\nPrivate_Dirty: 1024 kB\n"
		"7f2000000000-7f2004000000 ---p 00000000 00:00 0 \nRss: 0 kB\nPss: 0 kB\n";
	static const char child[] =
		"7f0000000000-7f0002000000 rw-p 00000000 00:00 0 \nRss: 32768 kB\nPss: 10923 kB\nShared_Dirty: 32768 kB\n"
		"7f3000000000-7f3002000000 rw-p 00000000 00:00 0 \nRss: 4 kB\nPss: 4 kB\nPrivate_Dirty: 4 kB\n";
	struct map_snap s;
	struct map_group *sum = NULL;
	size_t nsum = 0;
	int seen = 0;

	memset(&s, 0, sizeof(s));
	CHECK_INT(mapgroups_fold_text(&s, 10, ROLE_PARENT, "p", parent, strlen(parent)), 3);
	CHECK_INT(mapgroups_fold_text(&s, 11, ROLE_CHILD, "c", child, strlen(child)), 2);
	CHECK_INT((int)s.procs[0].n, 2);
	CHECK(mapgroups_sum(&s, &sum, &nsum));
	CHECK_INT((int)nsum, 3);
	for (size_t i = 0; i < nsum; i++) {
		const struct map_group *g = &sum[i];

		CHECK_STR(g->path, "[anon]");
		if (g->start == 0x7f0000000000ULL) {
			CHECK(g->end - g->start == 32ULL << 20);
			CHECK_INT(g->nprocs, 2);
			CHECK(g->mem.pss == 2 * 10923 && g->mem.shared_dirty == 2 * 32768);
			seen |= 1;
		} else if (g->start == 0x7f3000000000ULL) {
			CHECK_INT(g->nprocs, 1);
			seen |= 2;
		} else {
			CHECK(g->start == 0 && g->end == 0 && g->nmaps == 2 && g->mem.rss == 1024);
			seen |= 4;
		}
	}
	CHECK_INT(seen, 7);
	free(sum);
	map_snap_free(&s);
}

/* a segment unlinked while its workers attach: the processes read before
 * the unlink and after map one object, one group ("(deleted)" since some
 * read said so); a file replaced on disk ("(deleted)" for the old one) is
 * two (CI: --plot --mappings drew the segment as two groups of 2) */
static void check_unlinked(void)
{
	static const char before[] =
		"7f0000000000-7f0000400000 rw-s 00000000 00:19 77 /dev/shm/seg\nRss: 4096 kB\nPss: 1024 kB\nShared_Dirty: 4096 kB\n"
		"7f1000000000-7f1000001000 r-xp 00000000 fe:01 5 /usr/lib/x.so\nRss: 4 kB\nPss: 2 kB\nShared_Clean: 4 kB\n";
	static const char after[] =
		"7f0000000000-7f0000400000 rw-s 00000000 00:19 77 /dev/shm/seg (deleted)\nRss: 4096 kB\nPss: 1024 kB\nShared_Dirty: 4096 kB\n"
		"7f1000000000-7f1000001000 r-xp 00000000 fe:01 6 /usr/lib/x.so (deleted)\nRss: 4 kB\nPss: 2 kB\nShared_Clean: 4 kB\n";
	struct map_snap s;
	struct map_group *sum = NULL;
	size_t nsum = 0;
	int segs = 0, libs = 0;

	memset(&s, 0, sizeof(s));
	CHECK_INT(mapgroups_fold_text(&s, 20, ROLE_PARENT, "p", before, strlen(before)), 2);
	CHECK_INT(mapgroups_fold_text(&s, 21, ROLE_WORKER, "w", after, strlen(after)), 2);
	CHECK_INT(mapgroups_fold_text(&s, 22, ROLE_WORKER, "w", after, strlen(after)), 2);
	CHECK(mapgroups_sum(&s, &sum, &nsum));
	CHECK_INT((int)nsum, 3);
	for (size_t i = 0; i < nsum; i++) {
		if (strcmp(sum[i].path, "/dev/shm/seg") == 0) {
			CHECK_INT(sum[i].nprocs, 3);
			CHECK(sum[i].mem.pss == 3 * 1024 && sum[i].deleted);
			segs++;
		} else {
			CHECK_STR(sum[i].path, "/usr/lib/x.so");
			CHECK_INT(sum[i].nprocs, sum[i].deleted ? 2 : 1);
			libs++;
		}
	}
	CHECK_INT(segs, 1);
	CHECK_INT(libs, 2);
	free(sum);
	map_snap_free(&s);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/data/smaps";
	struct collect *c = calloc(1, sizeof(*c));
	struct map_snap snap;
	const struct map_group *g;
	const struct mapping *m;
	struct map_group *sum;
	size_t len, nsum;
	char *text;
	int n;

	/* a worker of a shared run: 189 mappings, their Rss and Pss add up
	 * to what the file says (sums taken with awk on the fixture) */
	text = fixture_load(dir, "mappings-shared-worker-1m-w2.txt", &len);
	CHECK_INT(mappings_parse(text, len, collect, c), 189);
	CHECK_INT(c->rss, 25820);
	CHECK_INT(c->pss, 8216);
	m = &c->m[0];
	CHECK_INT(m->start, 0x555588f18000ULL);
	CHECK_INT(m->end, 0x555588f1e000ULL);
	CHECK_STR(m->perms, "r--p");
	CHECK_INT(m->dev_major, 0xfe);
	CHECK_INT(m->inode, 5310859);
	CHECK_INT(m->kind, MAPPING_FILE);
	CHECK_INT(m->mem.pss_shmem, SMAPS_NONE);   /* per mapping: none */

	/* the same text folded: the segment is one group, shared dirty */
	memset(&snap, 0, sizeof(snap));
	CHECK_INT(mapgroups_fold_text(&snap, 100, ROLE_WORKER, "w", text, len), 189);
	CHECK_INT(snap.nprocs, 1);
	g = find(&snap, 0, snap.ngroups, "/dev/shm/shmviz-9171-0");
	CHECK(g != NULL);
	if (g) {
		CHECK_INT(g->kind, MAPPING_SHM);
		CHECK(g->deleted);
		CHECK_INT(g->nmaps, 1);
		CHECK_INT(g->mem.rss, 23440);      /* 24e6 bytes, whole pages */
		CHECK_INT(g->mem.shared_dirty, 23440);
		CHECK_INT(g->mem.pss, 7813);       /* a third: parent + 2 workers */
		CHECK_INT(g->mem.shared_clean, 0);
		CHECK(g == &snap.groups[0]);   /* the largest PSS first */
	}
	/* libc's five mappings are one row */
	g = find(&snap, 0, snap.ngroups, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	CHECK(g != NULL);
	if (g) {
		CHECK_INT(g->nmaps, 5);
		CHECK_INT(g->mem.rss, 1104);
		CHECK_INT(g->mem.shared_clean, 1080);
		CHECK_INT(g->kind, MAPPING_FILE);
	}
	g = find(&snap, 0, snap.ngroups, "[anon]");
	CHECK(g && g->kind == MAPPING_ANON && g->nmaps == 13 && g->mem.rss == 96);
	g = find(&snap, 0, snap.ngroups, "[heap]");
	CHECK(g && g->kind == MAPPING_HEAP && g->nmaps == 1);
	g = find(&snap, 0, snap.ngroups, "[stack]");
	CHECK(g && g->kind == MAPPING_STACK);
	g = find(&snap, 0, snap.ngroups, "[vdso]");
	CHECK(g && g->kind == MAPPING_SPECIAL);
	/* every mapping is in exactly one group: the sums are kept */
	{
		int64_t rss = 0, pss = 0;
		int maps = 0;

		for (size_t i = 0; i < snap.ngroups; i++) {
			rss += snap.groups[i].mem.rss;
			pss += snap.groups[i].mem.pss;
			maps += snap.groups[i].nmaps;
		}
		CHECK_INT(rss, 25820);
		CHECK_INT(pss, 8216);
		CHECK_INT(maps, 189);
		CHECK_INT(snap.ngroups, 42);   /* 34 files, the segment, [anon], [heap], [stack], 4 specials */
	}

	/* the same worker again as a second process: summed across the two,
	 * each group is mapped by 2 processes and its figures double */
	CHECK_INT(mapgroups_fold_text(&snap, 101, ROLE_WORKER, "w", text, len), 189);
	CHECK_INT(snap.nprocs, 2);
	CHECK(mapgroups_sum(&snap, &sum, &nsum));
	CHECK_INT(nsum, 42);
	CHECK_STR(sum[0].path, "/dev/shm/shmviz-9171-0");
	CHECK_INT(sum[0].nprocs, 2);
	CHECK_INT(sum[0].mem.pss, 2 * 7813);
	CHECK_INT(sum[0].mem.shared_dirty, 2 * 23440);
	CHECK_INT(sum[0].nmaps, 2);
	free(sum);

	/* a copy is deep */
	{
		struct map_snap copy;

		CHECK(map_snap_copy(&copy, &snap));
		CHECK(copy.groups != snap.groups && copy.ngroups == snap.ngroups);
		CHECK_STR(copy.groups[0].path, snap.groups[0].path);
		map_snap_free(&copy);
	}
	map_snap_free(&snap);
	free(text);

	/* hostile names: a newline comes escaped by the kernel (\012), an
	 * escape sequence raw and is made harmless by the groups; " (deleted)"
	 * is taken off and flagged, also from a live file whose name ends so
	 * (the kernel's own ambiguity: only the inode tells them apart) */
	memset(c, 0, sizeof(*c));
	text = fixture_load(dir, "mappings-hostile.txt", &len);
	CHECK_INT(mappings_parse(text, len, collect, c), 9);
	m = find_m(c, "new\\012line");
	CHECK(m && m->kind == MAPPING_FILE && !m->deleted && m->mem.rss == 8);
	m = find_m(c, "esc\033[31mred");
	CHECK(m && !m->deleted && m->mem.shared_dirty + m->mem.private_dirty == 8);
	m = find_m(c, "/tmp/hostile16/gone");
	CHECK(m && m->deleted);
	m = find_m(c, "/tmp/hostile16/fake");
	CHECK(m && m->deleted);
	m = find_m(c, "/memfd:seg\abell");
	CHECK(m && m->kind == MAPPING_MEMFD && m->deleted && m->mem.rss == 12);
	m = find_m(c, "/dev/zero");
	CHECK(m && m->kind == MAPPING_SHARED_ANON && m->mem.rss == 8);
	memset(&snap, 0, sizeof(snap));
	CHECK_INT(mapgroups_fold_text(&snap, 7, ROLE_CHILD, "h", text, len), 9);
	CHECK(find(&snap, 0, snap.ngroups, "/tmp/hostile16/esc?[31mred") != NULL);
	CHECK(find(&snap, 0, snap.ngroups, "/memfd:seg?bell") != NULL);
	for (size_t i = 0; i < snap.ngroups; i++)
		CHECK(text_is_clean(snap.groups[i].path, strlen(snap.groups[i].path)));
	map_snap_free(&snap);
	free(text);

	/* not smaps: a figure line before any header */
	CHECK_INT(mappings_parse("Rss: 4 kB\n", 10, collect, c), -EINVAL);
	CHECK_INT(mappings_parse("", 0, collect, c), 0);
	/* a header without figures is a mapping of unknown figures */
	memset(c, 0, sizeof(*c));
	{
		const char *t = "00400000-00401000 r-xp 00000000 08:01 42 /bin/x\n";

		CHECK_INT(mappings_parse(t, strlen(t), collect, c), 1);
		CHECK_INT(c->m[0].mem.rss, SMAPS_NONE);
		CHECK_STR(c->m[0].path, "/bin/x");
		/* cut anywhere, the text never yields a figure it did not hold */
		for (size_t k = 0; k < strlen(t); k++) {
			memset(c, 0, sizeof(*c));
			CHECK(mappings_parse(t, k, collect, c) >= 0);
		}
	}
	/* the callback stops the parse */
	n = 0;
	{
		size_t l2;
		char *t2 = fixture_load(dir, "mappings-shared-worker-1m-w2.txt", &l2);

		CHECK_INT(mappings_parse(t2, l2, stop_at_3, &n), 42);
		CHECK_INT(n, 3);
		free(t2);
	}

	/* live: this process's own smaps; a process that does not exist */
	memset(c, 0, sizeof(*c));
	{
		size_t bytes = 0;

		CHECK(mappings_read(getpid(), collect, c, &bytes) > 5);
		CHECK(bytes > 1000);
		CHECK(c->rss > 0);
		CHECK_INT(mappings_read(0x3fffffff, collect, c, NULL), -ENOENT);
	}
	free(c);

	/* docs/architecture.md, "Mappings": folding is linear in the
	 * mappings. Twice the mappings (all distinct groups: the worst case
	 * of a search through the groups) cost about twice the comparisons,
	 * not four times */
	{
		uint64_t small = fold_many(8000), large = fold_many(16000);

		fprintf(stderr, "key comparisons: %llu for 8000 mappings, %llu for 16000\n",
			(unsigned long long)small, (unsigned long long)large);
		CHECK(small > 0 && large > 0);
		CHECK(large < 3 * small);
		CHECK(large < 16000ULL * 16);
	}
	check_kept();
	check_peak_moves();
	check_apart();
	check_unlinked();
	return check_done();
}
