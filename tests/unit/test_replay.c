/* Unit tests of the replay loader.
 *
 *   test_replay DATA_DIR          good recordings load and match their JSON;
 *                                 every file of DATA_DIR/bad-recordings and
 *                                 the cases made here (truncation at every
 *                                 point, deep nesting, a sparse file of
 *                                 gigabytes, an endless pipe, a directory)
 *                                 are refused with one line, status 3
 *   test_replay --roundtrip FILE  FILE loads and matches its JSON (the e2e
 *                                 round trip runs this on a fresh recording)
 *
 * The expected figures are read from the JSON with cJSON directly, apart
 * from the loader, so the two readings check each other. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "fixture.h"
#include "src/cli/cli.h"
#include "src/core/mapgroups.h"
#include "src/recording/replay.h"
#include "src/util/macros.h"

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* a kB figure: null is MODEL_KB_NONE, a missing key -2 (matches nothing) */
static int64_t kb(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsNull(v))
		return MODEL_KB_NONE;
	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : -2;
}

/* as kb(), and unknown when the member is absent */
static int64_t opt_kb(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key) ? kb(o, key) : MODEL_KB_NONE;
}

/* a boolean: 1, 0, or -1 when missing or not a boolean */
static int boolean(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : -1;
}

/* Every member of o is one of keys (NULL-ended), which the caller checks
 * one by one: a field added to the recording needs its check here. */
static void check_keys(const cJSON *o, const char *const *keys)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, o) {
		size_t k = 0;

		while (keys[k] && strcmp(keys[k], v->string) != 0)
			k++;
		CHECK(keys[k] != NULL);
		if (!keys[k])
			fprintf(stderr, "  field %s is not compared\n", v->string);
	}
}

/* Every field of one process of a sample (record.c proc_json()) against
 * its row in the model. */
static void check_proc(const cJSON *jp, const struct proc_row *w)
{
	static const char *const smaps[] = {
		[SMAPS_STATE_NONE] = "none", [SMAPS_STATE_READ] = "read",
		[SMAPS_STATE_EXACT] = "exact", [SMAPS_STATE_ESTIMATED] = "estimated",
		[SMAPS_STATE_HELD] = "held", [SMAPS_STATE_UNREADABLE] = "unreadable",
		[SMAPS_STATE_GONE] = "gone",
	};
	static const char *const keys[] = {
		"pid", "ppid", "role", "comm", "state", "rss_kb", "pss_kb",
		"pss_shmem_kb", "shared_clean_kb", "shared_dirty_kb",
		"private_clean_kb", "private_dirty_kb", "swap_kb", "smaps",
		"smaps_t", "rss_now_kb", "rss_anon_kb", "rss_file_kb",
		"rss_shmem_kb", "utime_s", "stime_s", "minflt", "majflt",
		"start_ticks", "pss_anon_kb", "pss_file_kb", "anonymous_kb",
		"moved", "est_error_kb", "child_faults", NULL,
	};
	char state[2] = { w->state, '\0' };
	const cJSON *cf = cJSON_GetObjectItemCaseSensitive(jp, "child_faults");

	CHECK_INT(w->pid, num(jp, "pid"));
	CHECK_INT(w->ppid, num(jp, "ppid"));
	CHECK_STR(model_role_name(w->role), str(jp, "role"));
	CHECK_STR(w->comm, str(jp, "comm"));
	CHECK_STR(state, str(jp, "state"));
	CHECK_INT(w->mem.rss, kb(jp, "rss_kb"));
	CHECK_INT(w->mem.pss, kb(jp, "pss_kb"));
	CHECK_INT(w->mem.pss_shmem, kb(jp, "pss_shmem_kb"));
	CHECK_INT(w->mem.shared_clean, kb(jp, "shared_clean_kb"));
	CHECK_INT(w->mem.shared_dirty, kb(jp, "shared_dirty_kb"));
	CHECK_INT(w->mem.private_clean, kb(jp, "private_clean_kb"));
	CHECK_INT(w->mem.private_dirty, kb(jp, "private_dirty_kb"));
	CHECK_INT(w->mem.swap, kb(jp, "swap_kb"));
	CHECK((unsigned)w->smaps < ARRAY_SIZE(smaps));
	if ((unsigned)w->smaps < ARRAY_SIZE(smaps))
		/* schema 1 named a read at the tick "fresh" */
		CHECK_STR(smaps[w->smaps], strcmp(str(jp, "smaps"), "fresh") == 0 ?
			  "read" : str(jp, "smaps"));
	CHECK_NEAR(w->smaps_t, num(jp, "smaps_t"), 1e-12);
	CHECK_INT(w->rss_now_kb, kb(jp, "rss_now_kb"));
	CHECK_INT(w->rss_anon_kb, kb(jp, "rss_anon_kb"));
	CHECK_INT(w->rss_file_kb, kb(jp, "rss_file_kb"));
	CHECK_INT(w->rss_shmem_kb, kb(jp, "rss_shmem_kb"));
	CHECK_NEAR(w->utime_s, num(jp, "utime_s"), 1e-12);
	CHECK_NEAR(w->stime_s, num(jp, "stime_s"), 1e-12);
	CHECK_INT(w->minflt, num(jp, "minflt"));
	CHECK_INT(w->majflt, num(jp, "majflt"));
	/* written only when not 0 */
	CHECK_INT(w->child_faults, cf ? num(jp, "child_faults") : 0);
	CHECK(!cf || num(jp, "child_faults") > 0);
	CHECK_INT(w->start_ticks, num(jp, "start_ticks"));
	/* schema 2's fields: unknown when a schema 1 recording lacks them */
	CHECK_INT(w->mem.pss_anon, opt_kb(jp, "pss_anon_kb"));
	CHECK_INT(w->mem.pss_file, opt_kb(jp, "pss_file_kb"));
	CHECK_INT(w->mem.anonymous, opt_kb(jp, "anonymous_kb"));
	CHECK_INT(w->moved, boolean(jp, "moved") == -1 ? 0 : boolean(jp, "moved"));
	CHECK_INT(w->est_error_kb, opt_kb(jp, "est_error_kb"));
	check_keys(jp, keys);
}

/* A sample's totals (record.c total_json()) against the frame's, which the
 * model recomputed from the rows: a partial ΣPSS or ΣUSS of 0 is null. */
static void check_total(const cJSON *jt, const struct point *p)
{
	static const char *const keys[] = {
		"pss_kb", "rss_kb", "uss_kb", "shared_dirty_kb", "nprocs",
		"pss_fresh", "pss_partial", "consistent", "pss_bound_kb",
		"pss_estimated", "pss_held", "members_partial", "reaped_faults",
		"thp_kb", NULL,
	};

	/* the kernel's counts for the peak's upper end: unknown where
	 * absent (older recordings) or null */
	CHECK_INT(p->reaped_faults, opt_kb(jt, "reaped_faults"));
	CHECK_INT(p->thp_kb, opt_kb(jt, "thp_kb"));
	CHECK_INT(p->pss_partial && p->pss_kb <= 0 ? MODEL_KB_NONE : p->pss_kb,
		  kb(jt, "pss_kb"));
	CHECK_INT(p->rss_kb, kb(jt, "rss_kb"));
	CHECK_INT(p->pss_partial && p->uss_kb <= 0 ? MODEL_KB_NONE : p->uss_kb,
		  kb(jt, "uss_kb"));
	CHECK_INT(p->shared_dirty_kb, kb(jt, "shared_dirty_kb"));
	CHECK_INT(p->nprocs, num(jt, "nprocs"));
	/* schema 1's hand-made fixtures may say otherwise; schema 2 writes
	 * what the model computes from the rows */
	if (boolean(jt, "consistent") != -1)
		CHECK_INT(p->pss_fresh, boolean(jt, "pss_fresh"));
	CHECK_INT(p->pss_partial, boolean(jt, "pss_partial"));
	/* the bound as recorded; a recording made before bounds has none:
	 * 0 where the sample was one moment, else unknown */
	if (cJSON_GetObjectItemCaseSensitive(jt, "pss_bound_kb"))
		CHECK_INT(p->pss_bound_kb, kb(jt, "pss_bound_kb"));
	else
		CHECK_INT(p->pss_bound_kb, p->consistent ? 0 : MODEL_KB_NONE);
	CHECK_INT(p->members_partial, boolean(jt, "members_partial") == 1);
	if (boolean(jt, "consistent") != -1) {
		CHECK_INT(p->consistent, boolean(jt, "consistent"));
		CHECK_INT(p->pss_estimated, boolean(jt, "pss_estimated"));
		CHECK_INT(p->pss_held, boolean(jt, "pss_held"));
	}
	check_keys(jt, keys);
}

/* Loads path and compares the model with the JSON, read independently. */
static void check_matches(const char *path)
{
	struct model m;
	char err[512];
	size_t len = 0;
	char *text = fixture_read(path, &len);
	cJSON *root = text ? cJSON_Parse(text) : NULL, *runs, *jr;
	size_t i = 0, procs_checked = 0, groups_checked = 0;

	CHECK(root != NULL);
	if (!root) {
		fprintf(stderr, "cannot read %s\n", path);
		free(text);
		return;
	}
	CHECK_INT(replay_load(path, &m, err, sizeof(err)), 0);
	if (err[0])
		fprintf(stderr, "%s\n", err);
	CHECK(m.keep_frames);
	CHECK_INT(m.config.workers, num(cJSON_GetObjectItem(root, "config"), "workers"));
	CHECK_INT(m.config.rows, num(cJSON_GetObjectItem(root, "config"), "rows"));
	CHECK_INT(m.config.interval_ms,
		  num(cJSON_GetObjectItem(root, "config"), "interval_ms"));
	CHECK_STR(m.config.mode, str(cJSON_GetObjectItem(root, "config"), "mode"));
	CHECK_INT(m.host.cpus, num(cJSON_GetObjectItem(root, "host"), "cpus"));
	CHECK_STR(m.host.kernel, str(cJSON_GetObjectItem(root, "host"), "kernel"));
	CHECK_STR(m.version, str(cJSON_GetObjectItem(root, "shmviz"), "version"));
	CHECK_INT(m.interrupted,
		  cJSON_IsTrue(cJSON_GetObjectItem(root, "interrupted")));
	CHECK_INT(m.sampler.ticks, num(cJSON_GetObjectItem(root, "sampler"), "ticks"));
	runs = cJSON_GetObjectItem(root, "runs");
	CHECK_INT(m.nruns, cJSON_GetArraySize(runs));
	cJSON_ArrayForEach(jr, runs) {
		const struct run *r = &m.runs[i++];
		const cJSON *res = cJSON_GetObjectItem(jr, "result");
		const cJSON *peak = cJSON_GetObjectItem(jr, "peak");
		const cJSON *samples = cJSON_GetObjectItem(jr, "samples");
		const cJSON *phases = cJSON_GetObjectItem(jr, "phases");
		const cJSON *s, *p;
		size_t k = 0, nrows = 0;
		int64_t max_lo = 0, max_lo_pss = MODEL_KB_NONE;

		if (i > m.nruns)
			break;
		CHECK_STR(r->name, str(jr, "name"));
		CHECK_STR(model_state_name(r->state), str(jr, "state"));
		CHECK_INT(r->state == RUN_DONE,
			  cJSON_IsTrue(cJSON_GetObjectItem(jr, "ok")));
		CHECK_NEAR(r->result.wall_s, num(res, "wall_s"), 1e-9);
		CHECK_NEAR(r->result.compute_s, num(res, "compute_s"), 1e-9);
		CHECK_NEAR(r->result.sum, num(res, "sum"), 1e-9);
		CHECK_INT(r->result.minflt, num(res, "minflt"));
		CHECK_INT(r->nphases, cJSON_GetArraySize(phases));
		cJSON_ArrayForEach(p, phases) {
			if (k >= r->nphases)
				break;
			CHECK_STR(r->phases[k].name, str(p, "name"));
			CHECK_NEAR(r->phases[k].start_s, num(p, "start_s"), 1e-12);
			CHECK_NEAR(r->phases[k].end_s, num(p, "end_s"), 1e-12);
			k++;
		}
		CHECK_INT(r->nframes, cJSON_GetArraySize(samples));
		/* the frames count from 0 again (the phase loop's last k++ is
		 * not read) */
		/* cppcheck-suppress redundantAssignment */
		k = 0;
		cJSON_ArrayForEach(s, samples) {
			const cJSON *total = cJSON_GetObjectItem(s, "total");
			const struct frame *f = &r->frames[k++];

			if (k > r->nframes)
				break;
			CHECK_NEAR(f->t, num(s, "t"), 1e-12);
			CHECK_INT(f->n, cJSON_GetArraySize(cJSON_GetObjectItem(s, "procs")));
			/* totals recomputed from the rows equal the recorded ones */
			check_total(total, &f->total);
			nrows += f->n;
			/* the peak: the highest lower bound of ΣPSS */
			if (f->total.pss_bound_kb >= 0 && f->total.pss_kb >= 0 &&
			    (max_lo_pss < 0 ||
			     f->total.pss_kb - f->total.pss_bound_kb > max_lo)) {
				max_lo = f->total.pss_kb - f->total.pss_bound_kb;
				max_lo_pss = f->total.pss_kb;
			}
			{
				const cJSON *jp;
				const struct proc_row *w = run_frame_rows(r, f);
				size_t j = 0;

				/* every field of every process */
				cJSON_ArrayForEach(jp, cJSON_GetObjectItem(s, "procs")) {
					if (!w || j >= f->n)
						break;
					check_proc(jp, &w[j++]);
				}
				CHECK_INT(j, f->n);
				procs_checked += j;
			}
		}
		CHECK_INT(r->nrows, nrows);
		CHECK_INT(r->nticks, r->nframes);
		CHECK_INT(r->peak.pss_kb, num(peak, "pss_kb"));
		CHECK_INT(r->peak.rss_kb, num(peak, "rss_sum_kb"));
		CHECK_INT(r->peak.uss_kb, num(peak, "uss_kb"));
		/* the peak is the sample of the highest lower bound (model.c) */
		CHECK(r->nbounded == 0 || r->peak.pss_kb == max_lo_pss);
		/* mappings snapshots (--mappings): every group of every
		 * process, and the run sums the loader recomputes */
		CHECK_INT(r->nmsnaps, cJSON_GetArraySize(cJSON_GetObjectItem(jr, "mappings")));
		k = 0;
		cJSON_ArrayForEach(s, cJSON_GetObjectItem(jr, "mappings")) {
			const struct map_snap *ms = &r->msnaps[k++];
			const cJSON *jp, *jg;
			struct map_group *sum;
			size_t j = 0, nsum = 0;

			if (k > r->nmsnaps)
				break;
			CHECK_NEAR(ms->t, num(s, "t"), 1e-12);
			/* a snapshot without t_end ends where it starts */
			CHECK_NEAR(ms->t_end, cJSON_GetObjectItem(s, "t_end") ? num(s, "t_end") : ms->t,
				   1e-12);
			CHECK_STR(ms->phase, str(s, "phase"));
			CHECK_INT(ms->nprocs, cJSON_GetArraySize(cJSON_GetObjectItem(s, "procs")));
			cJSON_ArrayForEach(jp, cJSON_GetObjectItem(s, "procs")) {
				const struct map_proc *mp = &ms->procs[j++];
				size_t g = 0;

				if (j > ms->nprocs)
					break;
				CHECK_INT(mp->pid, num(jp, "pid"));
				CHECK_INT(mp->n, cJSON_GetArraySize(cJSON_GetObjectItem(jp, "groups")));
				cJSON_ArrayForEach(jg, cJSON_GetObjectItem(jp, "groups")) {
					const struct map_group *mg = &ms->groups[mp->first + g++];

					if (g > mp->n)
						break;
					CHECK_STR(mg->path, str(jg, "path"));
					CHECK_STR(mapping_kind_name(mg->kind), str(jg, "kind"));
					CHECK_INT(mg->nmaps, num(jg, "mappings"));
					CHECK_INT(mg->mem.pss, num(jg, "pss_kb"));
					CHECK_INT(mg->mem.shared_dirty, num(jg, "shared_dirty_kb"));
					CHECK_INT(mg->mem.shared_clean, num(jg, "shared_clean_kb"));
					groups_checked++;
				}
			}
			CHECK(mapgroups_sum(ms, &sum, &nsum));
			CHECK_INT(nsum, cJSON_GetArraySize(cJSON_GetObjectItem(s, "groups")));
			if (nsum && cJSON_GetArraySize(cJSON_GetObjectItem(s, "groups"))) {
				jg = cJSON_GetArrayItem(cJSON_GetObjectItem(s, "groups"), 0);
				CHECK_INT(sum[0].mem.pss, num(jg, "pss_kb"));
				CHECK_INT(sum[0].nprocs, num(jg, "processes"));
			}
			free(sum);
		}
	}
	CHECK(procs_checked > 0);
	fprintf(stderr, "%s: %zu process rows compared field by field, %zu mapping groups\n",
		path, procs_checked, groups_checked);
	model_finish(&m);
	cJSON_Delete(root);
	free(text);
}

/* A refusal: status 3, one non-empty line. Returns the line's copy in
 * err for further checks. */
static void check_refused_buffer(const char *what, const char *data,
				 size_t len, char *err, size_t errlen)
{
	struct model m;
	int status = replay_load_buffer(data, len, &m, err, errlen);

	model_finish(&m);
	CHECK_INT(status, EXIT_BAD_RECORDING);
	CHECK(err[0] != '\0');
	CHECK(strchr(err, '\n') == NULL);
	if (status != EXIT_BAD_RECORDING || !err[0] || strchr(err, '\n'))
		fprintf(stderr, "  %s was not refused properly: '%s'\n", what, err);
}

static void check_refused_file(const char *path, char *err, size_t errlen)
{
	struct model m;
	int status = replay_load(path, &m, err, errlen);

	model_finish(&m);
	CHECK_INT(status, EXIT_BAD_RECORDING);
	CHECK(err[0] != '\0');
	CHECK(strchr(err, '\n') == NULL);
	if (status != EXIT_BAD_RECORDING || !err[0] || strchr(err, '\n'))
		fprintf(stderr, "  %s was not refused properly: '%s'\n", path, err);
}

/* dir/name into buf (a helper, so the compiler does not guess lengths) */
static const char *join(char *buf, size_t size, const char *dir,
			const char *name)
{
	if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size)
		buf[0] = '\0';
	return buf;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void check_corpus(const char *dir)
{
	struct dirent **list;
	char path[4096], err[512];
	int n = scandir(dir, &list, NULL, by_name), seen = 0;

	CHECK(n > 0);
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		size_t len = strlen(name);

		if (len > 5 && strcmp(name + len - 5, ".json") == 0) {
			join(path, sizeof(path), dir, name);
			check_refused_file(path, err, sizeof(err));
			printf("%-36s %s\n", name, err + strlen(path) + 2);
			seen++;
		}
		free(list[i]);
	}
	free(list);
	CHECK(seen >= 100);
}

/* Some messages must say exactly what is wrong and where. */
static void check_messages(const char *dir)
{
	static const struct {
		const char *file, *want;
	} cases[] = {
		{ "schema-newer.json", "shmviz.schema: written by a newer shmviz (schema 3)" },
		{ "sample-t-backwards.json", "runs[1].samples[2].t: time goes backwards" },
		{ "proc-pss-negative.json", "runs[0].samples[1].procs[0].pss_kb: -5 is negative" },
		{ "proc-rss-bool.json", "runs[0].samples[1].procs[0].rss_kb: a boolean where a number is needed" },
		{ "run-name-null.json", "runs[0].name: null where a value is needed" },
		{ "runs-missing.json", "runs: missing" },
		{ "empty.json", "empty" },
		{ "truncated-half.json", "truncated" },
		{ "not-json.json", "not valid JSON at line 1" },
		{ "invalid-utf8.json", "invalid UTF-8 at line" },
		{ "deep-nesting-40.json", "nested more than 32 levels deep" },
		{ "nul-byte.json", "NUL byte" },
		{ "array-root.json", "not a shmviz recording" },
		{ "phase-backwards.json", "runs[1].phases[3].start_s: time goes backwards" },
	};
	char path[4096], err[512];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		join(path, sizeof(path), dir, cases[i].file);
		check_refused_file(path, err, sizeof(err));
		CHECK(strstr(err, cases[i].want) != NULL);
		if (!strstr(err, cases[i].want))
			fprintf(stderr, "  %s: '%s' lacks '%s'\n", cases[i].file,
				err, cases[i].want);
	}
}

/* Every prefix of a good recording is refused (step: a prime, so cuts land
 * everywhere in the structure), and so is the good one with a byte
 * changed to each of a few troublemakers at the same places. */
static void check_cuts(const char *good)
{
	size_t len = 0;
	char *text = fixture_read(good, &len), err[512];
	int refused = 0;

	CHECK(text != NULL);
	if (!text)
		return;
	for (size_t cut = 0; cut < len - 2; cut += 37) {
		check_refused_buffer("a prefix", text, cut, err, sizeof(err));
		refused++;
	}
	CHECK(refused > 100);
	for (size_t at = 0; at < len; at += 41) {
		static const char bytes[] = { '{', ']', '"', '\\', '\x01', '\xff', '-' };

		for (size_t b = 0; b < sizeof(bytes); b++) {
			struct model m;
			char saved = text[at];

			text[at] = bytes[b];
			/* may load when the byte changed nothing that matters,
			 * but must never crash or give more than one line */
			if (replay_load_buffer(text, len, &m, err, sizeof(err))) {
				CHECK(err[0] && !strchr(err, '\n'));
			}
			model_finish(&m);
			text[at] = saved;
		}
	}
	free(text);
}

static void check_generated(const char *tmpdir)
{
	char err[512], path[4096];
	size_t deep = 100000;
	char *buf = malloc(deep * 2);
	int fd;
	pid_t pid;
	struct model m;

	/* nesting a hundred thousand deep: refused before cJSON recurses */
	CHECK(buf != NULL);
	if (buf) {
		memset(buf, '[', deep);
		memset(buf + deep, ']', deep);
		check_refused_buffer("deep arrays", buf, deep * 2, err, sizeof(err));
		CHECK(strstr(err, "nested more than") != NULL);
		memset(buf, '{', deep);
		check_refused_buffer("deep objects", buf, deep, err, sizeof(err));
		free(buf);
	}
	check_refused_buffer("empty", "", 0, err, sizeof(err));
	CHECK(strstr(err, "empty") != NULL);
	check_refused_buffer("a number", "1", 1, err, sizeof(err));
	check_refused_buffer("a NUL", "{\0}", 3, err, sizeof(err));

	/* a sparse file of 3 GiB after its '{': read a sample at a time,
	 * refused once more than a recording's skeleton may hold is not in a
	 * sample (without the '{', refused at its first byte: below) */
	join(path, sizeof(path), tmpdir, "huge.json");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	if (fd >= 0) {
		CHECK(write(fd, "{", 1) == 1);
		CHECK(ftruncate(fd, 3LL << 30) == 0);
		close(fd);
		check_refused_file(path, err, sizeof(err));
		CHECK(strstr(err, "too large for a recording") != NULL);
		fd = open(path, O_WRONLY | O_TRUNC, 0600);
		CHECK(fd >= 0 && ftruncate(fd, 3LL << 30) == 0);
		close(fd);
		check_refused_file(path, err, sizeof(err));
		CHECK(strstr(err, "not valid JSON: a recording begins with '{'") != NULL);
		unlink(path);
	}

	/* a directory, a missing file, a device */
	check_refused_file(tmpdir, err, sizeof(err));
	CHECK(strstr(err, "directory") != NULL);
	join(path, sizeof(path), tmpdir, "no-such-file.json");
	check_refused_file(path, err, sizeof(err));
	CHECK(strstr(err, "No such file") != NULL);
	check_refused_file("/dev/null", err, sizeof(err));
	CHECK(strstr(err, "not a regular file") != NULL);

	/* a FIFO fed endlessly: reading stops at the cap. The test holds a
	 * read end of its own, so the writer's open() returns, and waits for
	 * the first bytes before the loader opens the FIFO. */
	join(path, sizeof(path), tmpdir, "endless.fifo");
	CHECK(mkfifo(path, 0600) == 0);
	fd = open(path, O_RDONLY | O_NONBLOCK);
	CHECK(fd >= 0);
	pid = fork();
	if (pid == 0) {
		static char blanks[65536];
		int w = open(path, O_WRONLY);

		memset(blanks, ' ', sizeof(blanks));
		while (w >= 0 && write(w, blanks, sizeof(blanks)) > 0)
			;
		_exit(0);
	}
	if (pid > 0 && fd >= 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		CHECK(poll(&pfd, 1, 60000) == 1);
		check_refused_file(path, err, sizeof(err));
		CHECK(strstr(err, "too large for a recording") != NULL);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	if (fd >= 0)
		close(fd);
	unlink(path);

	/* a FIFO with no writer at all ends at once (no hang) */
	CHECK(mkfifo(path, 0600) == 0);
	check_refused_file(path, err, sizeof(err));
	CHECK(strstr(err, "empty") != NULL);
	unlink(path);

	/* the model is left empty and finishable after a refusal */
	CHECK_INT(replay_load_buffer("[]", 2, &m, err, sizeof(err)), 3);
	CHECK_INT(m.nruns, 0);
	model_finish(&m);
}

/* schema 1 before figure states: a process with a Pss and no "smaps"
 * was read at its tick (the loader's default), so the sample is fresh */
static void check_no_states(const char *path)
{
	size_t len = 0;
	char *text = fixture_read(path, &len), *at, err[512];
	const char *key = "\"smaps\": \"";
	struct model m;
	int dropped = 0;

	CHECK(text != NULL);
	if (!text)
		return;
	/* every "smaps": "<state>", goes */
	while ((at = strstr(text, key))) {
		char *end = strstr(at + strlen(key), "\",");

		if (!end)
			break;
		memmove(at, end + 2, strlen(end + 2) + 1);
		dropped++;
	}
	CHECK(dropped > 0);
	CHECK_INT(replay_load_buffer(text, strlen(text), &m, err, sizeof(err)), 0);
	for (size_t i = 0; i < m.nruns; i++) {
		const struct run *r = &m.runs[i];

		for (size_t k = 0; k < r->nframes; k++) {
			const struct frame *f = &r->frames[k];
			const struct proc_row *rows = run_frame_rows(r, f);
			bool all_read = true;

			for (size_t j = 0; j < f->n; j++) {
				if (rows[j].mem.pss >= 0)
					CHECK_INT(rows[j].smaps, SMAPS_STATE_READ);
				else
					all_read = false;
			}
			if (all_read && f->n)
				CHECK(f->total.pss_fresh);
		}
	}
	model_finish(&m);
	free(text);
}

/* the smaps peaks of a run with samples are the consistent samples',
 * whatever its "peak" object says (a hand-edited file); the samples'
 * "consistent": false is kept even where every figure was read */
static void check_peak_from_samples(const char *path)
{
	size_t len = 0;
	char *text = fixture_read(path, &len), *edited = NULL, err[512];
	cJSON *root = text ? cJSON_ParseWithLength(text, len) : NULL;
	cJSON *runs = cJSON_GetObjectItem(root, "runs"), *jr;
	struct model m;
	int64_t want = -1;
	size_t nconsistent = 0, moved_read = 0;

	CHECK(root != NULL);
	if (!root) {
		free(text);
		return;
	}
	jr = cJSON_GetArrayItem(runs, 0);
	{
		const cJSON *s;

		cJSON_ArrayForEach(s, cJSON_GetObjectItem(jr, "samples")) {
			const cJSON *t = cJSON_GetObjectItem(s, "total"), *p;
			bool all_read = true;

			/* a sample of no process is no moment of the tree */
			if (cJSON_IsTrue(cJSON_GetObjectItem(t, "consistent")) &&
			    num(t, "nprocs") > 0) {
				nconsistent++;
				if (kb(t, "pss_kb") > want)
					want = kb(t, "pss_kb");
				continue;
			}
			cJSON_ArrayForEach(p, cJSON_GetObjectItem(s, "procs"))
				if (strcmp(str(p, "smaps"), "read") != 0 &&
				    strcmp(str(p, "smaps"), "exact") != 0)
					all_read = false;
			if (all_read && cJSON_GetArraySize(cJSON_GetObjectItem(s, "procs")) > 0)
				moved_read++;
		}
	}
	/* the fixture has both kinds */
	CHECK(nconsistent > 1);
	CHECK(moved_read > 0);
	cJSON_SetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(jr, "peak"), "pss_kb"),
			     999999999);
	edited = cJSON_PrintUnformatted(root);
	CHECK(edited != NULL);
	if (edited) {
		CHECK_INT(replay_load_buffer(edited, strlen(edited), &m, err, sizeof(err)), 0);
		if (m.nruns) {
			CHECK_INT(m.runs[0].peak.pss_kb, want);
			CHECK_INT(m.runs[0].nconsistent, nconsistent);
		}
		model_finish(&m);
	}
	free(edited);
	cJSON_Delete(root);
	free(text);
}

/* A recording of more than REPLAY_WHOLE_MAX bytes is read a sample at a
 * time: the good recording, made longer by blanks inside its first sample
 * (the sample grows) or between the runs (what is not a sample grows),
 * loads into the same model, field by field. */
static void check_streamed(const char *good, const char *tmpdir)
{
	size_t len = 0, pad = REPLAY_WHOLE_MAX + 4096;
	char *text = fixture_read(good, &len), path[4096];

	CHECK(text != NULL);
	if (!text)
		return;
	for (int where = 0; where < 2; where++) {
		const char *at = where == 0 ? strstr(text, "\"samples\"") :
				 strstr(text, "\"runs\"");
		size_t off;
		FILE *f;

		CHECK(at != NULL);
		if (!at)
			break;
		at = strchr(at, where == 0 ? '{' : '[');
		CHECK(at != NULL);
		if (!at)
			break;
		off = (size_t)(at - text) + 1;
		join(path, sizeof(path), tmpdir, "streamed.json");
		f = fopen(path, "w");
		CHECK(f != NULL);
		if (!f)
			break;
		fwrite(text, 1, off, f);
		for (size_t i = 0; i < pad; i++)
			fputc(i % 100 == 99 ? '\n' : ' ', f);
		fwrite(text + off, 1, len - off, f);
		fclose(f);
		check_matches(path);
		unlink(path);
	}
	free(text);
}

/* A run of more rows than a run keeps (REPLAY_HELD_RUN_BYTES): every
 * sample counts in the ticks and the peak, the frames are every n-th
 * sample (n a power of two) and the last one, each the sample it was. */
static void check_thinned(const char *good, const char *tmpdir)
{
	size_t len = 0, nsamples = 0, rows = 0, reps;
	char *text = fixture_read(good, &len), path[4096], err[512], *out;
	cJSON *root = text ? cJSON_ParseWithLength(text, len) : NULL;
	cJSON *jr, *samples, *big;
	double last_t = 0, span;
	int64_t want_peak = -1;
	struct model m;
	FILE *f;

	CHECK(root != NULL);
	if (!root) {
		free(text);
		return;
	}
	jr = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "runs"), 0);
	samples = cJSON_GetObjectItem(jr, "samples");
	big = cJSON_CreateArray();
	{
		const cJSON *s;

		cJSON_ArrayForEach(s, samples) {
			rows += (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(s, "procs"));
			last_t = num(s, "t");
		}
	}
	span = last_t + 0.001;
	/* the same samples again and again: the peak of the run as it is */
	CHECK_INT(replay_load(good, &m, err, sizeof(err)), 0);
	want_peak = m.nruns ? m.runs[0].peak.pss_kb : -2;
	model_finish(&m);
	/* a quarter more than a run keeps: at least one thinning */
	reps = 5 * (REPLAY_HELD_RUN_BYTES / sizeof(struct proc_row)) / 4 / (rows ? rows : 1) + 1;
	for (size_t k = 0; k < reps; k++) {
		const cJSON *s;

		cJSON_ArrayForEach(s, samples) {
			cJSON *d = cJSON_Duplicate(s, true);

			cJSON_SetNumberValue(cJSON_GetObjectItem(d, "t"), num(s, "t") + (double)k * span);
			cJSON_AddItemToArray(big, d);
			nsamples++;
		}
	}
	cJSON_ReplaceItemInObject(jr, "samples", big);
	out = cJSON_PrintUnformatted(root);
	CHECK(out != NULL);
	join(path, sizeof(path), tmpdir, "thinned.json");
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f && out) {
		fputs(out, f);
		fclose(f);
		CHECK(strlen(out) > REPLAY_WHOLE_MAX);
		CHECK_INT(replay_load(path, &m, err, sizeof(err)), 0);
		if (err[0])
			fprintf(stderr, "%s\n", err);
		if (m.nruns) {
			const struct run *r = &m.runs[0];
			size_t stride, i = 0;
			const cJSON *s;

			CHECK_INT(r->nticks, nsamples);
			CHECK(r->nframes > 1 && r->nframes < nsamples);
			CHECK(r->nrows * sizeof(struct proc_row) <= REPLAY_HELD_RUN_BYTES);
			CHECK_INT(r->peak.pss_kb, want_peak);
			/* the power of two that makes this many frames: the
			 * multiples of it, and the last sample */
			for (stride = 1; stride < nsamples; stride *= 2)
				if ((nsamples - 1) / stride + 1 +
				    ((nsamples - 1) % stride != 0) == r->nframes)
					break;
			CHECK(stride > 1 && stride < nsamples);
			/* frame k is sample k * stride; the last, the last sample */
			cJSON_ArrayForEach(s, big) {
				size_t k = i / stride;
				bool kept = (i % stride == 0 && k < r->nframes - 1) ||
					    i == nsamples - 1;

				if (kept) {
					const struct frame *fr = &r->frames[i == nsamples - 1 ?
									r->nframes - 1 : k];
					const struct proc_row *w = run_frame_rows(r, fr);
					const cJSON *jp;
					size_t j = 0;

					CHECK_NEAR(fr->t, num(s, "t"), 1e-12);
					CHECK_INT(fr->n, cJSON_GetArraySize(cJSON_GetObjectItem(s, "procs")));
					/* every field of every 8th frame's rows (all
					 * of them cost a sanitizer build seconds) */
					cJSON_ArrayForEach(jp, cJSON_GetObjectItem(s, "procs")) {
						if (!w || j >= fr->n || (k % 8 && i != nsamples - 1))
							break;
						check_proc(jp, &w[j++]);
					}
				}
				i++;
			}
			fprintf(stderr, "thinned: %zu samples, %zu frames (one every %zu)\n",
				nsamples, r->nframes, stride);
		}
		model_finish(&m);
	} else if (f) {
		fclose(f);
	}
	unlink(path);
	free(out);
	cJSON_Delete(root);
	free(text);
}

/* Samples of no process (a tree gone, a long recording at rest after it)
 * cost frames with no row: a run keeps at most REPLAY_HELD_RUN_BYTES of
 * them too (an outside test: 4.1M such samples took 367 MB to export). */
static void check_thinned_empty(const char *good, const char *tmpdir)
{
	size_t n = 5 * (REPLAY_HELD_RUN_BYTES / sizeof(struct frame)) / 4 + 1, len = 0;
	char *text = fixture_read(good, &len), path[4096], err[512], *out = NULL;
	cJSON *root = text ? cJSON_ParseWithLength(text, len) : NULL;
	cJSON *jr, *s0, *big, *tot, *x;
	struct model m;
	FILE *f;

	CHECK(root != NULL);
	if (!root) {
		free(text);
		return;
	}
	/* the fixture's first sample of its first run, its processes gone */
	jr = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "runs"), 0);
	s0 = cJSON_Duplicate(cJSON_GetArrayItem(cJSON_GetObjectItem(jr, "samples"), 0), true);
	cJSON_ReplaceItemInObject(s0, "procs", cJSON_CreateArray());
	if (cJSON_GetObjectItem(s0, "moved"))
		cJSON_ReplaceItemInObject(s0, "moved", cJSON_CreateArray());
	tot = cJSON_GetObjectItem(s0, "total");
	cJSON_ArrayForEach(x, tot)
		if (cJSON_IsNumber(x))
			cJSON_SetNumberValue(x, 0);
	big = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		cJSON *d = cJSON_Duplicate(s0, true);

		cJSON_SetNumberValue(cJSON_GetObjectItem(d, "t"), (double)i);
		cJSON_AddItemToArray(big, d);
	}
	cJSON_Delete(s0);
	cJSON_ReplaceItemInObject(jr, "samples", big);
	/* one run: the others as they were would keep their own frames */
	while (cJSON_GetArraySize(cJSON_GetObjectItem(root, "runs")) > 1)
		cJSON_DeleteItemFromArray(cJSON_GetObjectItem(root, "runs"), 1);
	out = cJSON_PrintUnformatted(root);
	join(path, sizeof(path), tmpdir, "empty.json");
	f = out ? fopen(path, "w") : NULL;
	CHECK(f != NULL);
	if (f) {
		fputs(out, f);
		fclose(f);
		if (replay_load(path, &m, err, sizeof(err)) != 0) {
			fprintf(stderr, "empty samples: %s\n", err);
			CHECK(false);
		} else {
			const struct run *r = m.nruns ? &m.runs[0] : NULL;

			CHECK(r != NULL);
			if (r) {
				CHECK_INT(r->nticks, n);
				CHECK(r->nframes > 1 &&
				      r->nframes * sizeof(struct frame) <= REPLAY_HELD_RUN_BYTES);
				CHECK_NEAR(r->frames[r->nframes - 1].t, (double)(n - 1), 1e-9);
				fprintf(stderr, "thinned, no rows: %zu samples, %zu frames\n",
					n, r->nframes);
			}
			model_finish(&m);
		}
		unlink(path);
	}
	free(out);
	cJSON_Delete(root);
	free(text);
}

/* --recover: the good recording cut anywhere loads up to its last
 * complete sample once its first run's samples have begun (a sample's
 * figures as they were), or is refused with one line before; whole, it
 * loads as it is, with nothing to say. */
static void check_recover(const char *good, const char *tmpdir)
{
	size_t len = 0, loaded = 0, refused = 0, whole_ticks = 0;
	char *text = fixture_read(good, &len), path[4096], err[512], note[512];
	const char *first = text ? strstr(text, "\"samples\"") : NULL;
	struct model m;

	CHECK(first != NULL);
	if (!first) {
		free(text);
		return;
	}
	join(path, sizeof(path), tmpdir, "cut.json");
	for (size_t cut = 1; cut <= len;) {
		FILE *f = fopen(path, "w");
		size_t ticks = 0;
		int status;

		CHECK(f != NULL);
		if (!f)
			break;
		fwrite(text, 1, cut, f);
		fclose(f);
		status = replay_load_recover(path, &m, -1, note, sizeof(note), err,
					     sizeof(err));
		for (size_t i = 0; i < m.nruns; i++)
			ticks += m.runs[i].nticks;
		if (cut == len) {
			CHECK_INT(status, 0);
			CHECK(note[0] == '\0');
			whole_ticks = ticks;
			model_finish(&m);
			break;
		}
		if (status == 0) {
			loaded++;
			CHECK((size_t)(first - text) < cut);
			CHECK(m.interrupted);
			CHECK(note[0] && strstr(note, "complete samples recovered"));
		} else {
			refused++;
			CHECK(err[0] && !strchr(err, '\n'));
		}
		model_finish(&m);
		cut += 211;
		if (cut > len)
			cut = len;
	}
	CHECK(loaded > 10);
	CHECK(refused > 0);
	CHECK(whole_ticks > 0);
	unlink(path);
	free(text);
}

/* The bad recordings again, read a sample at a time (as a long one is:
 * --recover reads every recording so): each refused with one line, but
 * for the cut ones, which may be recovered; and the good recording with a
 * byte changed here and there never crashes and says one line. */
static void check_corpus_streamed(const char *dir, const char *good,
				  const char *tmpdir)
{
	struct dirent **list;
	char path[4096], err[512], note[512];
	int n = scandir(dir, &list, NULL, by_name), seen = 0, recovered = 0;
	size_t len = 0;
	char *text = fixture_read(good, &len);
	struct model m;

	CHECK(n > 0);
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		size_t nlen = strlen(name);

		if (nlen > 5 && strcmp(name + nlen - 5, ".json") == 0) {
			int status;

			join(path, sizeof(path), dir, name);
			status = replay_load_recover(path, &m, -1, note, sizeof(note), err,
						     sizeof(err));
			if (strncmp(name, "truncated", 9) == 0 && status == 0) {
				CHECK(note[0] != '\0');
				recovered++;
			} else {
				if (status != EXIT_BAD_RECORDING)
					fprintf(stderr, "streamed, not refused: %s\n", name);
				CHECK_INT(status, EXIT_BAD_RECORDING);
				CHECK(err[0] && !strchr(err, '\n'));
			}
			model_finish(&m);
			seen++;
		}
		free(list[i]);
	}
	free(list);
	CHECK(seen >= 100);
	CHECK(recovered >= 1);
	/* the byte changes of check_cuts, through the splitter */
	join(path, sizeof(path), tmpdir, "mutated.json");
	for (size_t at = 0; text && at < len; at += 997) {
		static const char bytes[] = { '{', ']', '"', '\\', '\x01', '\xff', ',', '[' };

		for (size_t b = 0; b < sizeof(bytes); b++) {
			char saved = text[at];
			FILE *f;

			text[at] = bytes[b];
			f = fopen(path, "w");
			CHECK(f != NULL);
			if (f) {
				fwrite(text, 1, len, f);
				fclose(f);
				if (replay_load_recover(path, &m, -1, note, sizeof(note), err,
							sizeof(err)))
					CHECK(err[0] && !strchr(err, '\n'));
				model_finish(&m);
			}
			text[at] = saved;
		}
	}
	unlink(path);
	free(text);
}

int main(int argc, char **argv)
{
	char path[4096], tmpdir[] = "/tmp/shmviz-test-replay.XXXXXX";

	if (argc == 3 && strcmp(argv[1], "--roundtrip") == 0) {
		check_matches(argv[2]);
		return check_done();
	}
	if (argc != 2) {
		fprintf(stderr, "usage: test_replay DATA_DIR | --roundtrip FILE\n");
		return 2;
	}
	join(path, sizeof(path), argv[1], "recordings/native-both.json");
	check_matches(path);
	join(path, sizeof(path), argv[1], "recordings/minimal.json");
	{
		struct model m;
		char err[512];

		CHECK_INT(replay_load(path, &m, err, sizeof(err)), 0);
		CHECK_INT(m.nruns, 2);
		CHECK_INT(m.runs[0].nframes, 3);
		model_finish(&m);
	}
	check_cuts(path);
	check_no_states(path);
	join(path, sizeof(path), argv[1], "recordings/schema2-copy.json");
	check_matches(path);
	check_peak_from_samples(path);
	join(path, sizeof(path), argv[1], "bad-recordings");
	check_corpus(path);
	check_messages(path);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	check_generated(tmpdir);
	{
		char good[4096];

		join(path, sizeof(path), argv[1], "bad-recordings");
		join(good, sizeof(good), argv[1], "recordings/native-both.json");
		check_corpus_streamed(path, good, tmpdir);
	}
	join(path, sizeof(path), argv[1], "recordings/native-both.json");
	check_streamed(path, tmpdir);
	check_thinned(path, tmpdir);
	check_thinned_empty(path, tmpdir);
	check_recover(path, tmpdir);
	join(path, sizeof(path), argv[1], "recordings/schema2-copy.json");
	check_streamed(path, tmpdir);
	rmdir(tmpdir);
	return check_done();
}
