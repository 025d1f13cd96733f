/* Every member a recording holds survives a replay and a rewrite
 * (src/recording/replay.c reads, src/recording/record.c writes):
 *
 * 1. Each recording of tests/data/recordings/ is loaded and written again;
 *    the two documents must hold the same members with the same values
 *    (numbers as cJSON prints them: 15 significant digits), but for the
 *    figures the writer derives from others (derived[] below, each with
 *    what it comes from). A member written but never read comes back
 *    missing or changed.
 * 2. Then, in the recordings written by today's format (today-*.json),
 *    every member, one at a time, is given a number of many digits, a
 *    negative number, null, or is removed. The file either loads, and its
 *    rewrite holds that number again, or it is refused with one message
 *    that names the member; a number is never read back as null (a member
 *    the loader's memory gate does not know is blanked before parsing:
 *    a recording with sampler.exact_refreshes 1234 once failed with
 *    "sampler.exact_refreshes: null where a value is needed").
 *
 *   test_roundtrip DATA_DIR
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "fixture.h"
#include "src/core/model.h"
#include "src/recording/record.h"
#include "src/recording/replay.h"
#include "src/util/macros.h"

/* Members the writer computes from others rather than writes back as
 * read, by their path with array indices left out. */
static const struct {
	const char *path;
	const char *from;
} derived[] = {
	{ "shmviz.schema", "the format the writer writes" },
	{ "sampler.cpu_pct", "sampler.cpu_s / sampler.wall_s" },
	{ "sampler.interval_ms", "config.interval_ms" },
	{ "sampler.budget_pct", "config.budget_pct" },
	{ "summary", "the runs' results and peaks (model_compare)" },
	{ "repeat.rounds", "config.repeat" },
	{ "repeat.runs[].wall_s", "the rounds' wall_s" },
	{ "repeat.runs[].cpu_s", "the rounds' cpu_s" },
	{ "repeat.runs[].peak_pss_kb", "the rounds' peak_pss_kb" },
	{ "repeat.runs[].name", "runs[].name" },
	{ "repeat.runs[].rounds[].round", "the round's place in the list" },
	{ "runs[].samples[].total.pss_kb", "the sample's procs" },
	{ "runs[].samples[].total.rss_kb", "the sample's procs" },
	{ "runs[].samples[].total.uss_kb", "the sample's procs" },
	{ "runs[].samples[].total.shared_dirty_kb", "the sample's procs" },
	{ "runs[].samples[].total.nprocs", "the sample's procs" },
	{ "runs[].peak", "the run's samples (model.c: the consistent ones)" },
	{ "runs[].projection.shared_kb", "the run's consistent samples (model.c)" },
	{ "runs[].projection.worker_private_kb", "the run's consistent samples (model.c)" },
	{ "runs[].projection.worker_pid", "the run's consistent samples (model.c)" },
	{ "runs[].projection.pss_kb", "shared_kb + workers x worker_private_kb" },
	{ "runs[].mappings[].groups", "the snapshot's procs' groups (mapgroups_sum)" },
	{ "runs[].mappings[].peak", "the snapshots' groups: read nearest the peak sample (mark_peak)" },
	{ "runs[].decay.tree.lost_kb", "shared_start_kb - shared_min_kb (decay.c)" },
	{ "runs[].decay.tree.rate_kb_s", "lost_kb / (min_s - start_s) (decay.c)" },
	{ "runs[].decay.members[].lost_kb", "shared_start_kb - shared_min_kb (decay.c)" },
	{ "runs[].decay.members[].rate_kb_s", "lost_kb / (min_s - start_s) (decay.c)" },
};

static const char *data_dir;
static char tmpdir[] = "/tmp/shmviz-test-roundtrip.XXXXXX";

static bool is_derived(const char *path)
{
	for (size_t i = 0; i < ARRAY_SIZE(derived); i++) {
		size_t n = strlen(derived[i].path);

		if (strncmp(path, derived[i].path, n) == 0 &&
		    (path[n] == '\0' || path[n] == '.' || path[n] == '['))
			return true;
	}
	return false;
}

static bool same_number(double a, double b)
{
	double m = fmax(fabs(a), fabs(b));

	return a == b || fabs(a - b) <= m * 1e-14;
}

/* path + "." + key, or path + "[]" for an element (key NULL) */
static void join_path(char *out, size_t size, const char *path, const char *key)
{
	if (!key)
		snprintf(out, size, "%s[]", path);
	else if (!path[0])
		snprintf(out, size, "%s", key);
	else
		snprintf(out, size, "%s.%s", path, key);
}

/* Compares a (as written) with b (as written again): every member of a is
 * in b with the same value. Reports and counts the first few differences. */
static int compare(const cJSON *a, const cJSON *b, const char *path, bool skip_summary)
{
	int bad = 0;
	char sub[512];

	if ((skip_summary && strncmp(path, "summary", 7) == 0) || is_derived(path))
		return 0;
	if (cJSON_IsObject(a)) {
		if (!cJSON_IsObject(b)) {
			fprintf(stderr, "  %s: an object, read back as something else\n", path);
			return 1;
		}
		for (const cJSON *x = a->child; x; x = x->next) {
			const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);

			join_path(sub, sizeof(sub), path, x->string);
			if (!y && !is_derived(sub) && !(skip_summary && strcmp(sub, "summary") == 0)) {
				fprintf(stderr, "  %s: written, lost when read back\n", sub);
				bad++;
				continue;
			}
			if (y)
				bad += compare(x, y, sub, skip_summary);
		}
		return bad;
	}
	if (cJSON_IsArray(a)) {
		int n = cJSON_GetArraySize(a);

		if (!cJSON_IsArray(b) || cJSON_GetArraySize(b) != n) {
			fprintf(stderr, "  %s: %d elements, read back as %d\n", path, n,
				cJSON_IsArray(b) ? cJSON_GetArraySize(b) : -1);
			return 1;
		}
		join_path(sub, sizeof(sub), path, NULL);
		for (int i = 0; i < n && bad < 5; i++)
			bad += compare(cJSON_GetArrayItem(a, i), cJSON_GetArrayItem(b, i), sub,
				       skip_summary);
		return bad;
	}
	if (cJSON_IsNumber(a) && cJSON_IsNumber(b) && same_number(a->valuedouble, b->valuedouble))
		return 0;
	if (cJSON_IsString(a) && cJSON_IsString(b) && strcmp(a->valuestring, b->valuestring) == 0)
		return 0;
	if ((cJSON_IsNull(a) && cJSON_IsNull(b)) || (cJSON_IsTrue(a) && cJSON_IsTrue(b)) ||
	    (cJSON_IsFalse(a) && cJSON_IsFalse(b)))
		return 0;
	{
		char *sa = cJSON_PrintUnformatted(a), *sb = cJSON_PrintUnformatted(b);

		fprintf(stderr, "  %s: written %s, read back as %s\n", path, sa ? sa : "?",
			sb ? sb : "?");
		free(sa);
		free(sb);
	}
	return 1;
}

static bool write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	bool ok = f && fputs(text, f) >= 0;

	if (f && fclose(f) != 0)
		ok = false;
	return ok;
}

/* Loads path and writes it again; the document written, or NULL with
 * the loader's message in err. */
static cJSON *reload(const char *path, char *err, size_t errlen)
{
	char out[4200];
	struct model m;
	struct recorder *rc;
	cJSON *doc = NULL;
	char *text;

	model_init(&m, true);
	if (replay_load(path, &m, err, errlen) != 0) {
		model_finish(&m);
		return NULL;
	}
	snprintf(out, sizeof(out), "%s/again.json", tmpdir);
	rc = record_create(out, true, err, errlen);
	if (rc && record_begin(rc, &m) && record_commit(rc, &m)) {
		text = fixture_read(out, NULL);
		doc = text ? cJSON_Parse(text) : NULL;
		free(text);
	} else {
		snprintf(err, errlen, "cannot write again: %s", rc ? record_error(rc) : err);
	}
	record_destroy(rc);
	unlink(out);
	model_finish(&m);
	CHECK(doc != NULL);
	return doc;
}

/* 1: the recording, loaded and written again, is the same document */
static void plain(const char *name)
{
	char path[4096], err[512];
	cJSON *a, *b;
	char *text;
	int bad;

	snprintf(path, sizeof(path), "recordings/%s", name);
	text = fixture_load(data_dir, path, NULL);
	snprintf(path, sizeof(path), "%s/recordings/%s", data_dir, name);
	a = cJSON_Parse(text);
	free(text);
	CHECK(a != NULL);
	b = reload(path, err, sizeof(err));
	if (!b)
		fprintf(stderr, "%s: %s\n", name, err);
	if (a && b) {
		/* --repeat, a recording made before .repeat.shown_round (its
		 * value added to the fixture by hand, 2, not the loader's
		 * default): the live summary
		 * compared the last round, while the runs recorded are the
		 * first round's; the replay compares what it holds */
		bad = compare(a, b, "", cJSON_GetObjectItemCaseSensitive(a, "repeat") != NULL);
		if (bad)
			fprintf(stderr, "%s: %d member(s) not read back as written\n", name, bad);
		CHECK_INT(bad, 0);
	}
	cJSON_Delete(a);
	cJSON_Delete(b);
}

/* a member to change: its parent, and its key or index */
struct site {
	char path[512];      /* with indices left out, for the messages */
	char steps[512];     /* "k:runs/i:0/k:samples/..." to find it again */
};

static struct site *sites;
static size_t nsites, sites_cap;

static bool seen(const char *path)
{
	for (size_t i = 0; i < nsites; i++)
		if (strcmp(sites[i].path, path) == 0)
			return true;
	return false;
}

/* every leaf member (first occurrence of each path) */
static void collect(const cJSON *o, const char *path, const char *steps)
{
	char sub[512], substeps[512];
	int i = 0;

	for (const cJSON *x = o->child; x; x = x->next, i++) {
		if (cJSON_IsArray(o)) {
			join_path(sub, sizeof(sub), path, NULL);
			snprintf(substeps, sizeof(substeps), "%s/i:%d", steps, i);
		} else {
			join_path(sub, sizeof(sub), path, x->string);
			snprintf(substeps, sizeof(substeps), "%s/k:%s", steps, x->string);
		}
		if (cJSON_IsObject(x) || cJSON_IsArray(x)) {
			collect(x, sub, substeps);
			continue;
		}
		if (cJSON_IsArray(o) || seen(sub))
			continue;
		if (nsites == sites_cap) {
			sites_cap = sites_cap ? sites_cap * 2 : 256;
			sites = realloc(sites, sites_cap * sizeof(*sites));
			if (!sites)
				abort();
		}
		snprintf(sites[nsites].path, sizeof(sites[nsites].path), "%s", sub);
		snprintf(sites[nsites].steps, sizeof(sites[nsites].steps), "%s", substeps);
		nsites++;
	}
}

/* the member at steps: its parent into *parent, its key or index */
static cJSON *find(cJSON *doc, const char *steps, cJSON **parent)
{
	char buf[512], *save = NULL;
	cJSON *at = doc;

	snprintf(buf, sizeof(buf), "%s", steps);
	*parent = NULL;
	for (char *s = strtok_r(buf, "/", &save); s && at; s = strtok_r(NULL, "/", &save)) {
		*parent = at;
		if (s[0] == 'i')
			at = cJSON_GetArrayItem(at, atoi(s + 2));
		else
			at = cJSON_GetObjectItemCaseSensitive(at, s + 2);
	}
	return at;
}

enum variant { V_DIGITS, V_NEGATIVE, V_NULL, V_ABSENT };
static const char *const variant_name[] = { "many digits", "negative", "null", "absent" };

/* the last key of a path ("runs[].result.minflt": "minflt") */
static const char *leaf(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot ? dot + 1 : path;
}

/* puts item in at's place (an object's member keeps its key) */
static void replace(cJSON *parent, cJSON *at, cJSON *item)
{
	if (cJSON_IsObject(parent))
		cJSON_ReplaceItemInObjectCaseSensitive(parent, at->string, item);
	else
		cJSON_ReplaceItemViaPointer(parent, at, item);
}

/* Loads doc with site changed to variant v; returns 1 when loaded and read
 * back as written, 0 when refused as it should be, and counts a failure
 * otherwise. */
static int try_variant(const cJSON *doc, const struct site *st, enum variant v, double *value)
{
	char path[4200], err[512];
	cJSON *copy = cJSON_Duplicate(doc, true), *parent, *at, *back, *b;
	char *text;
	int result = 0;

	at = find(copy, st->steps, &parent);
	if (!at || !parent) {
		cJSON_Delete(copy);
		return 0;
	}
	if (v == V_ABSENT) {
		cJSON_DetachItemViaPointer(parent, at);
		cJSON_Delete(at);
	} else if (v == V_NULL) {
		replace(parent, at, cJSON_CreateNull());
	} else {
		double d = cJSON_IsNumber(at) ? at->valuedouble : 0;

		/* a number of many digits near the one written (a time keeps
		 * its order among the others), or far from it */
		if (v == V_DIGITS)
			d = d == floor(d) ? d + 1234567 : d + 0.000123456789012;
		else
			d = d == floor(d) ? -1234567 - d : -d - 0.5;
		*value = d;
		replace(parent, at, cJSON_CreateNumber(d));
	}
	snprintf(path, sizeof(path), "%s/changed.json", tmpdir);
	text = cJSON_PrintUnformatted(copy);
	CHECK(text && write_text(path, text));
	free(text);
	back = reload(path, err, sizeof(err));
	unlink(path);
	if (!back) {
		/* refused: the message must say which member, and a number
		 * must never have been read as null */
		bool named = strstr(err, leaf(st->path)) != NULL;
		bool nulled = (v == V_DIGITS || v == V_NEGATIVE) && strstr(err, "null");

		if (v == V_DIGITS && named && !nulled)
			fprintf(stderr, "  %s: %.17g refused: %s\n", st->path, *value, err);
		if (!named || nulled) {
			fprintf(stderr, "  %s (%s): refused with \"%s\"\n", st->path,
				variant_name[v], err);
			CHECK(named && !nulled);
		}
		cJSON_Delete(copy);
		return 0;
	}
	if (v == V_DIGITS || v == V_NEGATIVE) {
		b = find(back, st->steps, &parent);
		if (!is_derived(st->path) &&
		    !(b && cJSON_IsNumber(b) && same_number(b->valuedouble, *value))) {
			char *s = b ? cJSON_PrintUnformatted(b) : NULL;

			fprintf(stderr, "  %s (%s): loaded %.17g, written again as %s\n", st->path,
				variant_name[v], *value, s ? s : "nothing");
			free(s);
			CHECK(false);
		} else {
			result = 1;
		}
	}
	cJSON_Delete(back);
	cJSON_Delete(copy);
	return result;
}

/* 2: every member of a recording of today's format, changed one at a time */
static void each_member(const char *name)
{
	char path[4096];
	cJSON *doc;
	char *text;
	size_t numbers = 0, accepted = 0;

	snprintf(path, sizeof(path), "recordings/%s", name);
	text = fixture_load(data_dir, path, NULL);
	doc = cJSON_Parse(text);
	free(text);
	CHECK(doc != NULL);
	if (!doc)
		return;
	nsites = 0;
	collect(doc, "", "");
	for (size_t i = 0; i < nsites; i++) {
		cJSON *parent, *at = find(doc, sites[i].steps, &parent);
		double value;

		if (cJSON_IsNumber(at)) {
			numbers++;
			accepted += (size_t)try_variant(doc, &sites[i], V_DIGITS, &value);
			try_variant(doc, &sites[i], V_NEGATIVE, &value);
		}
		try_variant(doc, &sites[i], V_NULL, &value);
		try_variant(doc, &sites[i], V_ABSENT, &value);
	}
	fprintf(stderr, "%s: %zu members, %zu numbers, %zu of them read back with many digits\n",
		name, nsites, numbers, accepted);
	/* most figures are counts, sizes and times without a small bound */
	CHECK(accepted * 2 > numbers);
	cJSON_Delete(doc);
}

int main(int argc, char **argv)
{
	static const char *const all[] = {
		"today-all.json", "today-command.json", "today-attach.json",
		"today-kernel-peak.json", "schema2-copy.json", "today-decay.json",
		"today-decay-nosamples.json",
		/* written before the recording was made from the tables
		 * (src/recording/schema.h) */
		"pre-schema-repeat.json", "pre-schema-mappings.json",
	};
	/* the decay of a run with samples is folded from them again (as
	 * its peaks): its members are changed in a run without samples,
	 * whose recorded decay the loader keeps */
	static const char *const today[] = {
		"today-all.json", "today-command.json", "today-attach.json",
		"today-kernel-peak.json", "today-decay-nosamples.json",
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_roundtrip DATA_DIR\n");
		return 2;
	}
	data_dir = argv[1];
	for (size_t i = 0; i < ARRAY_SIZE(derived); i++)
		fprintf(stderr, "derived, not compared: %s (from %s)\n", derived[i].path,
			derived[i].from);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		plain(all[i]);
	for (size_t i = 0; i < ARRAY_SIZE(today); i++)
		each_member(today[i]);
	free(sites);
	rmdir(tmpdir);
	return check_done();
}
