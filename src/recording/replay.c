/*
 * replay.c - loading a recording (docs/recording.md, schema RECORD_SCHEMA)
 * back into a model that keeps every frame, for --replay and --plot.
 *
 * A recording may come from anywhere, so it passes three gates:
 *   1. the bytes: at most REPLAY_MAX_BYTES read (a regular file larger than
 *      that is refused from its size, before reading), and one pass over
 *      them before cJSON sees them: valid UTF-8, no NUL byte, no raw control
 *      character inside a string, nesting at most REPLAY_MAX_DEPTH deep (a
 *      real recording nests 7 deep), something other than blanks;
 *   2. cJSON parses a NUL-ended copy, the whole of it (trailing garbage is
 *      an error);
 *   3. the walk below checks every field it reads: presence, type, range,
 *      time never going backwards, and builds the model through the same
 *      functions the live session uses (model_add_run, run_phase_begin,
 *      run_add_tick), so totals and peaks are computed the same way.
 * The first problem ends the load with one line naming it and its JSON
 * path ("runs[1].samples[40].t: time goes backwards ..."). Fields this
 * loader does not know are ignored, so later writers of schema 1 may add
 * some; a higher schema is refused by its number.
 */
#include "src/recording/replay.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "probes/smaps.h"
#include "src/core/mapgroups.h"
#include "src/recording/record.h"
#include "src/util/exits.h"
#include "src/util/macros.h"
#include "src/util/text.h"

#define PID_LIMIT 4194304.0        /* the kernel's PID_MAX_LIMIT */
#define KB_MAX 1099511627776.0     /* 1 PiB in kB: more is absurd */
#define TIME_MAX 1.0e6             /* s, eleven and a half days */
#define COUNT_MAX 9007199254740992.0 /* 2^53: exact in a double */

/* the state of the walk: where we are, and the first problem */
struct ctx {
	char path[256];
	size_t plen;
	char *err;
	size_t errlen;
	bool failed;
	struct proc_row *rows;   /* scratch for one sample */
	size_t rows_cap;
	bool members_partial;    /* the sample just read may miss members */
};

static void bad(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void bad(struct ctx *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (c->failed)
		return;
	c->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->plen)
		snprintf(c->err, c->errlen, "%s: %s", c->path, msg);
	else
		snprintf(c->err, c->errlen, "%s", msg);
}

/* Appends ".key" (or "key" at the top) to the path; returns the length to
 * restore with pop(). */
static size_t push_key(struct ctx *c, const char *key)
{
	size_t old = c->plen;
	int n = snprintf(c->path + c->plen, sizeof(c->path) - c->plen, "%s%s",
			 c->plen ? "." : "", key);

	if (n > 0)
		c->plen += (size_t)n < sizeof(c->path) - c->plen ?
			   (size_t)n : sizeof(c->path) - c->plen - 1;
	return old;
}

static size_t push_index(struct ctx *c, size_t i)
{
	size_t old = c->plen;
	int n = snprintf(c->path + c->plen, sizeof(c->path) - c->plen, "[%zu]", i);

	if (n > 0)
		c->plen += (size_t)n < sizeof(c->path) - c->plen ?
			   (size_t)n : sizeof(c->path) - c->plen - 1;
	return old;
}

static void pop(struct ctx *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	return "an unknown value";
}

/* a number for a message: whole numbers in full, others short */
static const char *show(char *buf, size_t size, double d)
{
	if (d == floor(d) && fabs(d) < 1e15)
		snprintf(buf, size, "%.0f", d);
	else
		snprintf(buf, size, "%g", d);
	return buf;
}

/* ---- fields ---- */

enum {
	OPTIONAL = 0,
	REQUIRED = 1,  /* the key must be there */
	NULLABLE = 2,  /* null is allowed: the value is unknown */
	INTEGER = 4,   /* numbers: a whole number */
};

/* The member key of o: NULL when absent (an error when REQUIRED) or null
 * (an error unless NULLABLE). The path names the key while checking. */
static const cJSON *member(struct ctx *c, const cJSON *o, const char *key,
			   int flags)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	size_t old;

	if (c->failed)
		return NULL;
	if (v && !cJSON_IsNull(v))
		return v;
	if ((!v && (flags & REQUIRED)) || (v && !(flags & NULLABLE))) {
		old = push_key(c, key);
		bad(c, v ? "null where a value is needed" : "missing");
		pop(c, old);
	}
	return NULL;
}

/* Returns 1 with *out set, 0 when absent or null, -1 on error. */
static int get_number(struct ctx *c, const cJSON *o, const char *key,
		      int flags, double min, double max, double *out)
{
	const cJSON *v = member(c, o, key, flags);
	char a[32], b[32], x[32];
	size_t old;
	double d;

	if (!v)
		return c->failed ? -1 : 0;
	old = push_key(c, key);
	if (!cJSON_IsNumber(v)) {
		bad(c, "%s where a number is needed", type_name(v));
		goto fail;
	}
	d = v->valuedouble;
	if (!isfinite(d)) {
		bad(c, "the number is too large");
		goto fail;
	}
	if (d < 0 && min >= 0) {
		bad(c, "%s is negative", show(x, sizeof(x), d));
		goto fail;
	}
	if (d < min || d > max) {
		bad(c, "%s is out of range (%s to %s)", show(x, sizeof(x), d),
		    show(a, sizeof(a), min), show(b, sizeof(b), max));
		goto fail;
	}
	if ((flags & INTEGER) && d != floor(d)) {
		bad(c, "%g is not a whole number", d);
		goto fail;
	}
	pop(c, old);
	*out = d;
	return 1;
fail:
	pop(c, old);
	return -1;
}

/* A kB figure: a whole number from 0 to KB_MAX, or null (unknown) stored
 * as MODEL_KB_NONE; an absent optional one is unknown too. */
static bool get_kb(struct ctx *c, const cJSON *o, const char *key, int flags,
		   int64_t *out)
{
	double d = 0;
	int got = get_number(c, o, key, flags | NULLABLE | INTEGER, 0, KB_MAX, &d);

	*out = got == 1 ? (int64_t)d : MODEL_KB_NONE;
	return got >= 0;
}

/* The figures of the list (smaps_fields.h) whose flags, masked by mask, are
 * want, in the list's order, into out; one is REQUIRED when its flags have
 * the bits of req. Figures not read are left as they were. */
static void get_figures(struct ctx *c, const cJSON *o, unsigned mask,
			unsigned want, unsigned req, struct smaps_kb *out)
{
	for (size_t i = 0; i < SMAPS_NFIELDS; i++) {
		unsigned f = smaps_fields[i].flags;
		int64_t v;

		if ((f & mask) != want)
			continue;
		get_kb(c, o, smaps_fields[i].json,
		       (f & req) == req ? REQUIRED : OPTIONAL, &v);
		smaps_set(out, i, v);
	}
}

static bool get_bool(struct ctx *c, const cJSON *o, const char *key, int flags,
		     bool *out)
{
	const cJSON *v = member(c, o, key, flags);
	size_t old;

	if (!v)
		return !c->failed;
	if (!cJSON_IsBool(v)) {
		old = push_key(c, key);
		bad(c, "%s where true or false is needed", type_name(v));
		pop(c, old);
		return false;
	}
	*out = cJSON_IsTrue(v);
	return true;
}

/* A string, made safe to show (control characters replaced) and cut to
 * cap bytes on a character boundary. Returns 1, 0 when absent or null, -1
 * on error. */
static int get_string(struct ctx *c, const cJSON *o, const char *key,
		      int flags, char *dst, size_t cap)
{
	const cJSON *v = member(c, o, key, flags);
	size_t old;

	if (!v)
		return c->failed ? -1 : 0;
	if (!cJSON_IsString(v) || !v->valuestring) {
		old = push_key(c, key);
		bad(c, "%s where a string is needed", type_name(v));
		pop(c, old);
		return -1;
	}
	text_sanitize(dst, cap, v->valuestring, strlen(v->valuestring), false);
	return 1;
}

/* a member that, when present, must be of one kind (an object, an array) */
static const cJSON *get_kind(struct ctx *c, const cJSON *o, const char *key,
			     int flags, cJSON_bool (*is)(const cJSON *),
			     const char *kind)
{
	const cJSON *v = member(c, o, key, flags);
	size_t old;

	if (v && !is(v)) {
		old = push_key(c, key);
		bad(c, "%s where %s is needed", type_name(v), kind);
		pop(c, old);
		return NULL;
	}
	return v;
}

static const cJSON *get_object(struct ctx *c, const cJSON *o, const char *key,
			       int flags)
{
	return get_kind(c, o, key, flags, cJSON_IsObject, "an object");
}

static const cJSON *get_array(struct ctx *c, const cJSON *o, const char *key,
			      int flags)
{
	return get_kind(c, o, key, flags, cJSON_IsArray, "an array");
}

/* an element of an array that must be an object */
static bool is_object_item(struct ctx *c, const cJSON *v)
{
	if (cJSON_IsObject(v))
		return true;
	bad(c, "%s where an object is needed", type_name(v));
	return false;
}

/* the required "role" of o: false when it is no role's name */
static bool get_role(struct ctx *c, const cJSON *o, enum proc_role *out)
{
	char s[MODEL_NAME_MAX];

	if (get_string(c, o, "role", REQUIRED, s, sizeof(s)) != 1)
		return false;
	if (!model_role_parse(s, out)) {
		push_key(c, "role");
		bad(c, "'%s' is not one of parent, worker, helper, child", s);
		return false;
	}
	return true;
}

/* ---- the document ---- */

static bool load_header(struct ctx *c, const cJSON *root, struct model *m)
{
	const cJSON *sv = get_object(c, root, "shmviz", REQUIRED);
	double d = 0;
	size_t old;

	if (!sv) {
		if (!cJSON_GetObjectItemCaseSensitive(root, "shmviz"))
			snprintf(c->err, c->errlen,
				 "not a shmviz recording: it has no \"shmviz\" object");
		return false;
	}
	old = push_key(c, "shmviz");
	if (get_number(c, sv, "schema", REQUIRED | INTEGER, -1e9, 1e9, &d) < 0)
		goto fail;
	if (d > RECORD_SCHEMA) {
		push_key(c, "schema");
		bad(c, "written by a newer shmviz (schema %.0f); this one reads schema %d",
		    d, RECORD_SCHEMA);
		goto fail;
	}
	if (d < 1) {
		push_key(c, "schema");
		bad(c, "%.0f is not a schema number (1 or more)", d);
		goto fail;
	}
	if (get_string(c, sv, "version", OPTIONAL, m->version,
		       sizeof(m->version)) < 0)
		goto fail;
	pop(c, old);
	return true;
fail:
	pop(c, old);
	return false;
}

static bool load_host(struct ctx *c, const cJSON *root, struct model *m)
{
	const cJSON *h = get_object(c, root, "host", REQUIRED);
	struct host_info *hi = &m->host;
	double d;
	size_t old;

	if (!h)
		return false;
	old = push_key(c, "host");
	get_string(c, h, "kernel", REQUIRED, hi->kernel, sizeof(hi->kernel));
	get_string(c, h, "machine", OPTIONAL, hi->machine, sizeof(hi->machine));
	if (get_number(c, h, "cpus", REQUIRED | INTEGER, 1, 1 << 20, &d) == 1)
		hi->cpus = (int)d;
	if (get_number(c, h, "page_size", REQUIRED | INTEGER, 512, 1 << 30, &d) == 1) {
		hi->page_size = (long)d;
		if (hi->page_size & (hi->page_size - 1)) {
			push_key(c, "page_size");
			bad(c, "%ld is not a power of two", hi->page_size);
		}
	}
	get_kb(c, h, "mem_total_kb", REQUIRED, &hi->mem_total_kb);
	pop(c, old);
	return !c->failed;
}

static bool load_config(struct ctx *c, const cJSON *root, struct model *m)
{
	const cJSON *o = get_object(c, root, "config", REQUIRED);
	struct model_config *cf = &m->config;
	double d;
	size_t old;

	if (!o)
		return false;
	old = push_key(c, "config");
	if (get_number(c, o, "workers", REQUIRED | INTEGER, 0, 65536, &d) == 1)
		cf->workers = (int)d;
	if (get_number(c, o, "rows", REQUIRED | INTEGER, 0, COUNT_MAX, &d) == 1)
		cf->rows = (uint64_t)d;
	if (get_number(c, o, "bytes", REQUIRED | INTEGER, 0, COUNT_MAX, &d) == 1)
		cf->bytes = (uint64_t)d;
	if (get_number(c, o, "interval_ms", REQUIRED | INTEGER, 1, 3600000, &d) == 1)
		cf->interval_ms = (int)d;
	get_number(c, o, "hold_s", REQUIRED, 0, TIME_MAX, &cf->hold_s);
	get_string(c, o, "mode", REQUIRED, cf->mode, sizeof(cf->mode));
	get_string(c, o, "workload", REQUIRED, cf->workload, sizeof(cf->workload));
	get_number(c, o, "budget_pct", OPTIONAL, 0, 100, &cf->budget_pct);
	if (get_number(c, o, "cow_write_pct", OPTIONAL | INTEGER, 0, 100, &d) == 1)
		cf->cow_write_pct = (int)d;
	if (get_number(c, o, "repeat", OPTIONAL | INTEGER, 1, MODEL_ROUNDS_MAX, &d) == 1)
		cf->repeat = (int)d;
	pop(c, old);
	return !c->failed;
}

static bool load_sampler(struct ctx *c, const cJSON *root, struct model *m)
{
	const cJSON *o = get_object(c, root, "sampler", OPTIONAL);
	struct sampler_stats *s = &m->sampler;
	double d;
	size_t old;

	if (!o)
		return !c->failed;
	old = push_key(c, "sampler");
	get_number(c, o, "cpu_s", OPTIONAL, 0, TIME_MAX, &s->cpu_s);
	if (get_number(c, o, "ticks", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		s->ticks = (uint64_t)d;
	if (get_number(c, o, "pss_reads", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		s->pss_reads = (uint64_t)d;
	if (get_number(c, o, "counter_reads", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		s->counter_reads = (uint64_t)d;
	if (get_number(c, o, "scans", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		s->scans = (uint64_t)d;
	if (get_number(c, o, "rest_sweeps", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		s->rest_sweeps = (uint64_t)d;
	if (get_number(c, o, "high_sweeps", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		s->high_sweeps = (uint64_t)d;
	if (get_number(c, o, "obj_ticks", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		s->obj_ticks = (uint64_t)d;
	get_number(c, o, "tick_max_ms", OPTIONAL, 0, TIME_MAX * 1000, &s->tick_max_ms);
	if (get_number(c, o, "exact_refreshes", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		s->exact_refreshes = (uint64_t)d;
	if (get_number(c, o, "exact_drifted", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		s->exact_drifted = (uint64_t)d;
	if (get_number(c, o, "exact_drift_max_kb", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		s->exact_drift_max_kb = (int64_t)d;
	get_number(c, o, "wall_s", OPTIONAL, 0, TIME_MAX, &s->wall_s);
	/* the session's means are written (the figures of a recording's
	 * end): they are both the mean and the last figure of a replay */
	if (get_number(c, o, "pss_interval_ms", OPTIONAL, 0, TIME_MAX * 1000,
		       &s->pss_interval_mean_ms) == 1)
		s->pss_interval_ms = s->pss_interval_mean_ms;
	if (get_number(c, o, "pss_read_ms", OPTIONAL, 0, TIME_MAX * 1000,
		       &s->pss_read_mean_ms) == 1)
		s->pss_read_ms = s->pss_read_mean_ms;
	get_number(c, o, "counter_read_us", OPTIONAL, 0, TIME_MAX * 1e6,
		   &s->counter_read_us);
	get_number(c, o, "scan_ms", OPTIONAL, 0, TIME_MAX * 1000, &s->scan_ms);
	get_number(c, o, "pss_cpu_s", OPTIONAL, 0, TIME_MAX, &s->pss_cpu_s);
	get_number(c, o, "counter_cpu_s", OPTIONAL, 0, TIME_MAX, &s->counter_cpu_s);
	get_number(c, o, "scan_cpu_s", OPTIONAL, 0, TIME_MAX, &s->scan_cpu_s);
	if (get_number(c, o, "map_snaps", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		s->map_snaps = (uint64_t)d;
	if (get_number(c, o, "map_reads", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		s->map_reads = (uint64_t)d;
	get_number(c, o, "map_cpu_s", OPTIONAL, 0, TIME_MAX, &s->map_cpu_s);
	pop(c, old);
	return !c->failed;
}

static bool load_phases(struct ctx *c, const cJSON *o, struct run *r)
{
	const cJSON *arr = get_array(c, o, "phases", REQUIRED), *p;
	size_t i = 0, old, old2;
	double prev = 0;

	if (!arr)
		return false;
	old = push_key(c, "phases");
	if (cJSON_GetArraySize(arr) > MODEL_MAX_PHASES) {
		bad(c, "%d phases, at most %d", cJSON_GetArraySize(arr),
		    MODEL_MAX_PHASES);
		goto out;
	}
	cJSON_ArrayForEach(p, arr) {
		char name[MODEL_NAME_MAX] = "";
		double start = 0, end = -1;

		old2 = push_index(c, i++);
		if (!is_object_item(c, p) ||
		    get_string(c, p, "name", REQUIRED, name, sizeof(name)) < 0 ||
		    get_number(c, p, "start_s", REQUIRED, 0, TIME_MAX, &start) < 0 ||
		    get_number(c, p, "end_s", REQUIRED | NULLABLE, 0, TIME_MAX, &end) < 0)
			goto out;
		if (!name[0]) {
			push_key(c, "name");
			bad(c, "the name is empty");
			goto out;
		}
		if (start < prev) {
			push_key(c, "start_s");
			bad(c, "time goes backwards (%g s after %g s)", start, prev);
			goto out;
		}
		if (end >= 0 && end < start) {
			push_key(c, "end_s");
			bad(c, "the phase ends (%g s) before it starts (%g s)", end, start);
			goto out;
		}
		prev = start;
		run_phase_begin(r, name, start);
		if (end >= 0)
			run_phase_end(r, end);
		if (r->nphases && !get_kb(c, p, "kernel_peak_kb", OPTIONAL,
					  &r->phases[r->nphases - 1].kpeak_kb))
			goto out;
		pop(c, old2);
	}
out:
	pop(c, old);
	return !c->failed;
}

static bool load_result(struct ctx *c, const cJSON *o, struct run *r)
{
	const cJSON *res = get_object(c, o, "result", REQUIRED);
	struct run_result *rr = &r->result;
	double d, sum = 0, expected = 0;
	int have_sum, have_expected;
	size_t old;

	if (!res)
		return false;
	old = push_key(c, "result");
	have_sum = get_number(c, res, "sum", REQUIRED | NULLABLE, -1e300, 1e300, &sum);
	have_expected = get_number(c, res, "expected", REQUIRED | NULLABLE,
				   -1e300, 1e300, &expected);
	if (have_sum == 1) {
		rr->have_sum = true;
		rr->sum = sum;
	}
	if (have_expected == 1) {
		rr->have_expected = true;
		rr->expected = expected;
	}
	get_number(c, res, "wall_s", REQUIRED | NULLABLE, 0, TIME_MAX, &rr->wall_s);
	get_number(c, res, "total_s", OPTIONAL | NULLABLE, 0, TIME_MAX, &rr->total_s);
	get_number(c, res, "compute_s", REQUIRED | NULLABLE, 0, TIME_MAX,
		   &rr->compute_s);
	get_number(c, res, "hold_s", OPTIONAL | NULLABLE, 0, TIME_MAX, &rr->hold_s);
	get_number(c, res, "compute_cpu_s", OPTIONAL | NULLABLE, 0, TIME_MAX,
		   &rr->compute_cpu_s);
	if (get_number(c, res, "tracemalloc_peak_kb", OPTIONAL | NULLABLE, 0, KB_MAX,
		       &rr->tracemalloc_peak_kb) == 1)
		rr->have_tracemalloc = true;
	if (get_number(c, res, "data_kb", OPTIONAL | NULLABLE, 0, KB_MAX,
		       &rr->data_kb) == 1)
		rr->have_data = true;
	/* null: not measured (--attach: the tree is no child of shmviz) */
	if (get_number(c, res, "cpu_user_s", REQUIRED | NULLABLE, 0, TIME_MAX * 4096,
		       &rr->cpu_user_s) != 1)
		rr->cpu_user_s = -1;
	if (get_number(c, res, "cpu_sys_s", REQUIRED | NULLABLE, 0, TIME_MAX * 4096,
		       &rr->cpu_sys_s) != 1)
		rr->cpu_sys_s = -1;
	if (get_number(c, res, "minflt", REQUIRED | INTEGER, 0, COUNT_MAX, &d) == 1)
		rr->minflt = (uint64_t)d;
	if (get_number(c, res, "majflt", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		rr->majflt = (uint64_t)d;
	if (get_number(c, res, "exit_status", OPTIONAL | NULLABLE | INTEGER, 0,
		       65535, &d) == 1) {
		rr->exited = true;
		rr->exit_status = (int)d;
	}
	pop(c, old);
	return !c->failed;
}

/* the kernel's own peak (optional: recordings before it have none) */
static bool load_kernel_peak(struct ctx *c, const cJSON *o, struct run *r)
{
	const cJSON *k = get_object(c, o, "kernel_peak", OPTIONAL);
	struct kernel_peak *kp = &r->kpeak;
	double d;
	size_t old;

	kp->kb = MODEL_KB_NONE;
	if (!k)
		return !c->failed;
	old = push_key(c, "kernel_peak");
	get_kb(c, k, "kb", OPTIONAL, &kp->kb);
	if (get_number(c, k, "cgroup_version", OPTIONAL | NULLABLE | INTEGER, 1, 2, &d) == 1)
		kp->version = (int)d;
	get_string(c, k, "cgroup", OPTIONAL | NULLABLE, kp->cgroup, sizeof(kp->cgroup));
	get_bool(c, k, "per_phase", OPTIONAL, &kp->per_phase);
	get_bool(c, k, "attached", OPTIONAL, &kp->attached);
	get_string(c, k, "reason", OPTIONAL | NULLABLE, kp->why, sizeof(kp->why));
	pop(c, old);
	return !c->failed;
}

/* one series of "decay" (decayjson.c); lost_kb and rate_kb_s are
 * derived from the others and computed again */
static void load_decay_fig(struct ctx *c, const cJSON *o, struct decay_fig *f)
{
	double d[8], derived = 0;
	static const char *const keys[] = {
		"start_s", "shared_start_kb", "private_start_kb", "end_s",
		"shared_end_kb", "private_end_kb", "min_s", "shared_min_kb",
	};

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (get_number(c, o, keys[i], REQUIRED | (i % 3 ? INTEGER : 0),
			       i % 3 ? -KB_MAX : 0, i % 3 ? KB_MAX : TIME_MAX, &d[i]) != 1)
			return;
	get_number(c, o, "lost_kb", OPTIONAL | INTEGER, 0, KB_MAX, &derived);
	get_number(c, o, "rate_kb_s", OPTIONAL, 0, KB_MAX * 1e6, &derived);
	decay_fig_start(f, d[0], (int64_t)d[1], (int64_t)d[2]);
	f->t_last = d[3];
	f->shared_last_kb = (int64_t)d[4];
	f->private_last_kb = (int64_t)d[5];
	f->t_min = d[6];
	f->shared_min_kb = (int64_t)d[7];
	f->halved = get_number(c, o, "half_life_s", REQUIRED | NULLABLE, 0, TIME_MAX,
			       &f->half_life_s) == 1;
}

static void load_decay_member(struct ctx *c, const cJSON *o, struct decay_proc *p)
{
	enum proc_role pr = ROLE_CHILD;
	double d;

	if (get_number(c, o, "pid", REQUIRED | INTEGER, 1, PID_LIMIT, &d) == 1)
		p->pid = (pid_t)d;
	if (get_number(c, o, "start_ticks", REQUIRED | INTEGER, 0, COUNT_MAX, &d) == 1)
		p->start_ticks = (uint64_t)d;
	get_role(c, o, &pr);
	p->role = (int)pr;
	load_decay_fig(c, o, &p->fig);
}

/* the sharing decay (optional: recordings before it have none); like the
 * peaks, it is folded again from the samples, and the recorded one is
 * kept only for a run recorded without samples (load_run) */
static bool load_decay(struct ctx *c, const cJSON *o, struct decay *d)
{
	const cJSON *dj = get_object(c, o, "decay", OPTIONAL), *t, *arr, *m;
	size_t old, i = 0;

	decay_init(d);
	if (!dj)
		return !c->failed;
	old = push_key(c, "decay");
	get_bool(c, dj, "too_many", OPTIONAL, &d->too_many);
	t = get_object(c, dj, "tree", REQUIRED | NULLABLE);
	arr = get_array(c, dj, "members", REQUIRED);
	if (t) {
		size_t old2 = push_key(c, "tree");

		load_decay_fig(c, t, &d->tree);
		pop(c, old2);
	}
	if (arr && cJSON_GetArraySize(arr) > DECAY_PROCS_MAX) {
		push_key(c, "members");
		bad(c, "more than %d members", DECAY_PROCS_MAX);
	}
	if (arr && !c->failed) {
		size_t old2 = push_key(c, "members");

		cJSON_ArrayForEach(m, arr) {
			size_t old3 = push_index(c, i);

			if (c->failed || !is_object_item(c, m))
				break;
			load_decay_member(c, m, &d->procs[i++]);
			pop(c, old3);
		}
		d->nprocs = i;
		pop(c, old2);
	}
	pop(c, old);
	return !c->failed;
}

/* --project's figures (optional: only with --project). They are the
 * consistent samples' (model.c), as they were live; only a run recorded
 * without samples takes the recorded ones. */
static bool load_projection(struct ctx *c, const cJSON *o, struct run *r)
{
	const cJSON *k = get_object(c, o, "projection", OPTIONAL);
	struct projection rec = { 0, MODEL_KB_NONE, MODEL_KB_NONE, 0 };
	int64_t pss;
	double d;
	size_t old;

	if (!k)
		return !c->failed;
	old = push_key(c, "projection");
	if (get_number(c, k, "workers", REQUIRED | INTEGER, 1, 1e6, &d) == 1)
		r->proj.workers = (int)d;
	get_kb(c, k, "shared_kb", REQUIRED, &rec.shared_kb);
	get_kb(c, k, "worker_private_kb", REQUIRED, &rec.private_kb);
	if (get_number(c, k, "worker_pid", REQUIRED | NULLABLE | INTEGER, 1,
		       PID_LIMIT, &d) == 1)
		rec.private_pid = (pid_t)d;
	get_kb(c, k, "pss_kb", REQUIRED, &pss);
	if (!r->nticks) {
		rec.workers = r->proj.workers;
		r->proj = rec;
	}
	pop(c, old);
	return !c->failed;
}

/* the recorded peaks: ΣRSS and the process count count with the samples';
 * the smaps peaks are used only for a run recorded without samples */
static bool load_peak(struct ctx *c, const cJSON *o, struct point *peak)
{
	const cJSON *p = get_object(c, o, "peak", REQUIRED);
	double d;
	size_t old;

	if (!p)
		return false;
	old = push_key(c, "peak");
	memset(peak, 0, sizeof(*peak));
	peak->pss_kb = MODEL_KB_NONE;
	/* null: no process's PSS could be read, or (schema 2) no sample
	 * was consistent (the samples say so too) */
	if (get_number(c, p, "pss_kb", REQUIRED | NULLABLE | INTEGER, 0, KB_MAX, &d) == 1)
		peak->pss_kb = (int64_t)d;
	if (get_number(c, p, "rss_sum_kb", REQUIRED | INTEGER, 0, KB_MAX, &d) == 1)
		peak->rss_kb = (int64_t)d;
	if (get_number(c, p, "uss_kb", REQUIRED | NULLABLE | INTEGER, 0, KB_MAX, &d) == 1)
		peak->uss_kb = (int64_t)d;
	if (get_number(c, p, "shared_dirty_kb", OPTIONAL | NULLABLE | INTEGER, 0, KB_MAX,
		       &d) == 1)
		peak->shared_dirty_kb = (int64_t)d;
	get_number(c, p, "consistent_samples", OPTIONAL | INTEGER, 0, COUNT_MAX, &d);
	peak->pss_bound_kb = MODEL_KB_NONE;
	get_kb(c, p, "pss_bound_kb", OPTIONAL, &peak->pss_bound_kb);
	if (get_number(c, p, "nprocs", OPTIONAL | INTEGER, 0, PID_LIMIT, &d) == 1)
		peak->nprocs = (int)d;
	pop(c, old);
	return !c->failed;
}

static bool load_proc(struct ctx *c, const cJSON *p, struct proc_row *w)
{
	char s[MODEL_COMM_MAX];
	double d;

	memset(w, 0, sizeof(*w));
	if (!is_object_item(c, p))
		return false;
	if (get_number(c, p, "pid", REQUIRED | INTEGER, 1, PID_LIMIT, &d) == 1)
		w->pid = (pid_t)d;
	if (get_number(c, p, "ppid", REQUIRED | INTEGER, 0, PID_LIMIT, &d) == 1)
		w->ppid = (pid_t)d;
	if (!get_role(c, p, &w->role))
		return false;
	get_string(c, p, "comm", REQUIRED, w->comm, sizeof(w->comm));
	get_figures(c, p, SMAPS_REQ, SMAPS_REQ, SMAPS_REQ, &w->mem);
	get_kb(c, p, "rss_now_kb", OPTIONAL, &w->rss_now_kb);
	get_kb(c, p, "rss_anon_kb", OPTIONAL, &w->rss_anon_kb);
	get_kb(c, p, "rss_file_kb", OPTIONAL, &w->rss_file_kb);
	get_kb(c, p, "rss_shmem_kb", OPTIONAL, &w->rss_shmem_kb);
	/* schema 2 and later: optional, unknown when absent */
	get_figures(c, p, SMAPS_REQ, 0, SMAPS_REQ, &w->mem);
	get_bool(c, p, "moved", OPTIONAL, &w->moved);
	w->est_error_kb = MODEL_KB_NONE;
	if (get_number(c, p, "est_error_kb", OPTIONAL | NULLABLE | INTEGER,
		       -KB_MAX, KB_MAX, &d) == 1)
		w->est_error_kb = (int64_t)d;
	w->state = '?';
	if (get_string(c, p, "state", OPTIONAL, s, sizeof(s)) == 1 && s[0] &&
	    !s[1])
		w->state = s[0];
	w->smaps = w->mem.pss >= 0 ? SMAPS_STATE_READ : SMAPS_STATE_NONE;
	if (get_string(c, p, "smaps", OPTIONAL, s, sizeof(s)) == 1 &&
	    !model_smaps_state_parse(s, &w->smaps)) {
		push_key(c, "smaps");
		bad(c, "'%s' is not one of none, read, exact, estimated, held, unreadable, gone", s);
		return false;
	}
	get_number(c, p, "smaps_t", OPTIONAL, 0, TIME_MAX, &w->smaps_t);
	get_number(c, p, "utime_s", OPTIONAL, 0, TIME_MAX * 4096, &w->utime_s);
	get_number(c, p, "stime_s", OPTIONAL, 0, TIME_MAX * 4096, &w->stime_s);
	if (get_number(c, p, "minflt", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		w->minflt = (uint64_t)d;
	if (get_number(c, p, "majflt", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		w->majflt = (uint64_t)d;
	if (get_number(c, p, "start_ticks", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		w->start_ticks = (uint64_t)d;
	return !c->failed;
}

/* A sample recorded before bounds, marked consistent: one moment when
 * every figure in it was read or exact (run_add_tick() checks), else of
 * unknown bound */
#define BOUND_FROM_FLAG (-2)

static bool load_total(struct ctx *c, const cJSON *s, int64_t *bound)
{
	const cJSON *t = get_object(c, s, "total", REQUIRED);
	bool consistent = true;
	int64_t kb;
	double d;
	size_t old;

	if (!t)
		return false;
	old = push_key(c, "total");
	get_kb(c, t, "pss_kb", REQUIRED, &kb);
	get_kb(c, t, "rss_kb", REQUIRED, &kb);
	get_kb(c, t, "uss_kb", REQUIRED, &kb);
	get_kb(c, t, "shared_dirty_kb", OPTIONAL, &kb);
	get_number(c, t, "nprocs", OPTIONAL | INTEGER, 0, PID_LIMIT, &d);
	get_bool(c, t, "pss_partial", OPTIONAL, &(bool){ false });
	get_bool(c, t, "pss_fresh", OPTIONAL, &(bool){ false });
	get_bool(c, t, "pss_estimated", OPTIONAL, &(bool){ false });
	get_bool(c, t, "pss_held", OPTIONAL, &(bool){ false });
	/* schema 1 did not know: its samples count as consistent when every
	 * figure in them was read at the tick (the model checks that);
	 * recordings before bounds say consistent or not, and no bound */
	get_bool(c, t, "consistent", OPTIONAL, &consistent);
	*bound = consistent ? BOUND_FROM_FLAG : MODEL_KB_NONE;
	if (get_kb(c, t, "pss_bound_kb", OPTIONAL, &kb) && kb >= 0)
		*bound = kb;
	c->members_partial = false;
	get_bool(c, t, "members_partial", OPTIONAL, &c->members_partial);
	pop(c, old);
	return !c->failed;
}

/* Adds a sample read from a recording to its run (one that may miss
 * members marked so again, its reason read with the run) */
static bool add_tick(struct ctx *c, struct run *r, double t, size_t n, int64_t bound)
{
	bool ok = bound == BOUND_FROM_FLAG ? run_add_tick(r, t, c->rows, n, true) :
		  run_add_tick_bounded(r, t, c->rows, n, bound);

	if (ok && c->members_partial)
		run_mark_missing(r, "");
	return ok;
}

/* schema 2: the pids that moved since the tick before (each row says the
 * same in its "moved"); checked for shape only */
static bool load_moved(struct ctx *c, const cJSON *s)
{
	const cJSON *arr = get_array(c, s, "moved", OPTIONAL), *v;
	size_t i = 0, old;

	if (!arr)
		return !c->failed;
	old = push_key(c, "moved");
	cJSON_ArrayForEach(v, arr) {
		size_t old2 = push_index(c, i++);

		if (!cJSON_IsNumber(v) || v->valuedouble < 1 ||
		    v->valuedouble > PID_LIMIT ||
		    v->valuedouble != (double)(int64_t)v->valuedouble) {
			bad(c, "not a pid");
			pop(c, old2);
			break;
		}
		pop(c, old2);
	}
	pop(c, old);
	return !c->failed;
}

/* One sample s (the path names it) into c->rows: every field checked,
 * its time not before *prev (then moved to it). */
static bool read_sample(struct ctx *c, const cJSON *s, double *prev,
			double *t, size_t *n, int64_t *bound)
{
	const cJSON *procs, *p;
	size_t j = 0, old3;

	*t = 0;
	*n = 0;
	*bound = MODEL_KB_NONE;
	if (!is_object_item(c, s) ||
	    get_number(c, s, "t", REQUIRED, 0, TIME_MAX, t) < 0)
		return false;
	if (*t < *prev) {
		push_key(c, "t");
		bad(c, "time goes backwards (%g s after %g s)", *t, *prev);
		return false;
	}
	*prev = *t;
	procs = get_array(c, s, "procs", REQUIRED);
	if (!procs)
		return false;
	old3 = push_key(c, "procs");
	cJSON_ArrayForEach(p, procs) {
		size_t old4 = push_index(c, j++);

		if (*n == c->rows_cap) {
			size_t cap = c->rows_cap ? c->rows_cap * 2 : 64;
			struct proc_row *nr = realloc(c->rows, cap * sizeof(*nr));

			if (!nr) {
				bad(c, "out of memory");
				return false;
			}
			c->rows = nr;
			c->rows_cap = cap;
		}
		if (!load_proc(c, p, &c->rows[(*n)++]))
			return false;
		pop(c, old4);
	}
	pop(c, old3);
	return load_total(c, s, bound) && load_moved(c, s);
}

static void set_root(struct run *r, const struct proc_row *rows, size_t n)
{
	if (r->root == 0) {
		for (size_t k = 0; k < n; k++)
			if (rows[k].role == ROLE_PARENT)
				r->root = rows[k].pid;
	}
}

static bool load_samples(struct ctx *c, const cJSON *o, struct run *r)
{
	const cJSON *arr = get_array(c, o, "samples", REQUIRED), *s;
	size_t i = 0, old, old2;
	double prev = 0;

	if (!arr)
		return false;
	old = push_key(c, "samples");
	cJSON_ArrayForEach(s, arr) {
		double t;
		size_t n;
		int64_t bound;

		old2 = push_index(c, i++);
		if (!read_sample(c, s, &prev, &t, &n, &bound))
			goto out;
		if (!add_tick(c, r, t, n, bound)) {
			bad(c, "out of memory");
			goto out;
		}
		set_root(r, c->rows, n);
		pop(c, old2);
	}
out:
	pop(c, old);
	return !c->failed;
}

/* ---- mappings (docs/recording.md, "Mappings") ---- */

/* "7f12a000-7f1ec000": a large anonymous mapping's range (mapgroups.h) */
static bool load_addr(struct ctx *c, const cJSON *o, struct map_group *g)
{
	char addr[64], end;
	unsigned long long a, b;

	if (get_string(c, o, "addr", OPTIONAL, addr, sizeof(addr)) != 1)
		return !c->failed;
	if (sscanf(addr, "%llx-%llx%c", &a, &b, &end) != 2 || a >= b) {
		push_key(c, "addr");
		bad(c, "'%s' is not an address range START-END (hexadecimal)", addr);
		return false;
	}
	g->start = a;
	g->end = b;
	return true;
}

static bool load_group(struct ctx *c, const cJSON *o, struct map_group *g)
{
	char kind[MODEL_NAME_MAX];
	double d;

	memset(g, 0, sizeof(*g));
	if (!is_object_item(c, o) ||
	    get_string(c, o, "kind", REQUIRED, kind, sizeof(kind)) < 0)
		return false;
	if (!mapping_kind_parse(kind, &g->kind)) {
		push_key(c, "kind");
		bad(c, "'%s' is not a kind of mapping", kind);
		return false;
	}
	if (get_string(c, o, "path", REQUIRED, g->path, sizeof(g->path)) < 0 ||
	    !get_bool(c, o, "deleted", OPTIONAL, &g->deleted) ||
	    !load_addr(c, o, g))
		return false;
	if (get_number(c, o, "mappings", REQUIRED | INTEGER, 1, 1 << 30, &d) == 1)
		g->nmaps = (int)d;
	g->nprocs = 1;
	smaps_clear(&g->mem);
	get_figures(c, o, SMAPS_MAP, SMAPS_MAP, SMAPS_MAP_REQ, &g->mem);
	return !c->failed;
}

static bool load_map_proc(struct ctx *c, const cJSON *o, struct map_snap *s,
			  size_t *groups_cap)
{
	struct map_proc *p = &s->procs[s->nprocs];
	const cJSON *arr, *g;
	char str[MODEL_COMM_MAX];
	size_t i = 0, old, old2;
	double d;

	memset(p, 0, sizeof(*p));
	if (!is_object_item(c, o))
		return false;
	if (get_number(c, o, "pid", REQUIRED | INTEGER, 1, PID_LIMIT, &d) == 1)
		p->pid = (pid_t)d;
	if (get_string(c, o, "role", REQUIRED, str, sizeof(str)) == 1 &&
	    !model_role_parse(str, &p->role)) {
		push_key(c, "role");
		bad(c, "'%s' is not one of parent, worker, helper, child", str);
		return false;
	}
	get_string(c, o, "comm", OPTIONAL, p->comm, sizeof(p->comm));
	p->smaps = SMAPS_STATE_READ;
	if (get_string(c, o, "smaps", OPTIONAL, str, sizeof(str)) == 1 &&
	    !model_smaps_state_parse(str, &p->smaps)) {
		push_key(c, "smaps");
		bad(c, "'%s' is not one of read, unreadable, gone", str);
		return false;
	}
	arr = get_array(c, o, "groups", REQUIRED);
	if (!arr)
		return false;
	p->first = s->ngroups;
	old = push_key(c, "groups");
	cJSON_ArrayForEach(g, arr) {
		old2 = push_index(c, i++);
		if (s->ngroups == *groups_cap) {
			size_t n = *groups_cap ? *groups_cap * 2 : 64;
			struct map_group *ng = realloc(s->groups, n * sizeof(*ng));

			if (!ng) {
				bad(c, "out of memory");
				break;
			}
			s->groups = ng;
			*groups_cap = n;
		}
		if (!load_group(c, g, &s->groups[s->ngroups]))
			break;
		s->ngroups++;
		pop(c, old2);
	}
	if (!c->failed)
		pop(c, old);
	p->n = s->ngroups - p->first;
	if (!c->failed)
		s->nprocs++;
	return !c->failed;
}

static bool load_mappings(struct ctx *c, const cJSON *o, struct run *r)
{
	const cJSON *arr = get_array(c, o, "mappings", OPTIONAL), *e;
	size_t i = 0, old, old2;
	double prev = 0;

	if (!arr)
		return !c->failed;
	old = push_key(c, "mappings");
	if (cJSON_GetArraySize(arr) > RUN_MSNAPS_MAX) {
		bad(c, "%d snapshots, at most %d", cJSON_GetArraySize(arr), RUN_MSNAPS_MAX);
		goto out;
	}
	cJSON_ArrayForEach(e, arr) {
		struct map_snap s;
		const cJSON *procs, *p;
		size_t k = 0, gcap = 0, old3;

		memset(&s, 0, sizeof(s));
		old2 = push_index(c, i++);
		if (!is_object_item(c, e) ||
		    get_number(c, e, "t", REQUIRED, 0, TIME_MAX, &s.t) < 0 ||
		    get_string(c, e, "phase", OPTIONAL, s.phase, sizeof(s.phase)) < 0)
			goto out;
		if (s.t < prev) {
			push_key(c, "t");
			bad(c, "time goes backwards (%g s after %g s)", s.t, prev);
			goto out;
		}
		s.t_end = s.t;
		/* peak is read to be checked; run_add_msnap() marks it again */
		if (get_number(c, e, "t_end", OPTIONAL, s.t, TIME_MAX, &s.t_end) < 0 ||
		    !get_bool(c, e, "peak", OPTIONAL, &s.peak))
			goto out;
		prev = s.t;
		procs = get_array(c, e, "procs", REQUIRED);
		if (!procs)
			goto out;
		old3 = push_key(c, "procs");
		if (cJSON_GetArraySize(procs) > 0) {
			s.procs = calloc((size_t)cJSON_GetArraySize(procs), sizeof(*s.procs));
			if (!s.procs) {
				bad(c, "out of memory");
				goto out;
			}
		}
		cJSON_ArrayForEach(p, procs) {
			size_t old4 = push_index(c, k++);

			if (!load_map_proc(c, p, &s, &gcap)) {
				map_snap_free(&s);
				goto out;
			}
			pop(c, old4);
		}
		pop(c, old3);
		if (!run_add_msnap(r, &s)) {
			bad(c, "out of memory");
			goto out;
		}
		pop(c, old2);
	}
out:
	pop(c, old);
	return !c->failed;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static bool load_run(struct ctx *c, const cJSON *o, struct model *m)
{
	char name[MODEL_NAME_MAX], label[MODEL_TEXT_MAX] = "",
	     detail[MODEL_TEXT_MAX] = "", state[MODEL_NAME_MAX];
	struct point peak;
	struct decay *decay = NULL;
	struct run *r;
	bool ok = false;
	double d;

	if (!is_object_item(c, o) ||
	    get_string(c, o, "name", REQUIRED, name, sizeof(name)) < 0)
		return false;
	if (!name[0]) {
		push_key(c, "name");
		bad(c, "the name is empty");
		return false;
	}
	if (get_string(c, o, "label", OPTIONAL, label, sizeof(label)) < 0 ||
	    get_string(c, o, "detail", OPTIONAL, detail, sizeof(detail)) < 0 ||
	    !get_bool(c, o, "ok", REQUIRED, &ok))
		return false;
	r = model_add_run(m, name, label[0] ? label : name, detail);
	if (!r) {
		bad(c, "more than %d runs", MODEL_MAX_RUNS);
		return false;
	}
	r->state = ok ? RUN_DONE : RUN_FAILED;
	switch (get_string(c, o, "state", OPTIONAL, state, sizeof(state))) {
	case -1:
		return false;
	case 1:
		if (!model_state_parse(state, &r->state)) {
			push_key(c, "state");
			bad(c, "'%s' is not one of waiting, running, done, failed", state);
			return false;
		}
		if ((r->state == RUN_DONE) != ok) {
			push_key(c, "ok");
			bad(c, "%s, but the state is %s", ok ? "true" : "false", state);
			return false;
		}
		break;
	default:
		break;
	}
	if (get_string(c, o, "cause", OPTIONAL | NULLABLE, r->cause,
		       sizeof(r->cause)) < 0 ||
	    get_string(c, o, "log", OPTIONAL | NULLABLE, r->log,
		       sizeof(r->log)) < 0)
		return false;
	if (get_number(c, o, "workers", OPTIONAL | INTEGER, 0, 65536, &d) == 1)
		r->workers = (int)d;
	get_number(c, o, "start_monotonic_s", OPTIONAL | NULLABLE, 0, 1e12,
		   &r->started_mono);
	if (get_number(c, o, "protocol_dropped", OPTIONAL | INTEGER, 0, COUNT_MAX, &d) == 1)
		r->proto_dropped = (uint64_t)d;
	if (get_string(c, o, "members_missing", OPTIONAL | NULLABLE, r->members_missing,
		       sizeof(r->members_missing)) < 0)
		return false;
	decay = malloc(sizeof(*decay));
	if (!decay) {
		bad(c, "out of memory");
		return false;
	}
	if (c->failed || !load_phases(c, o, r) || !load_result(c, o, r) ||
	    !load_peak(c, o, &peak) || !load_kernel_peak(c, o, r) ||
	    !load_decay(c, o, decay) || !load_samples(c, o, r) ||
	    !load_projection(c, o, r) || !load_mappings(c, o, r)) {
		free(decay);
		return false;
	}
	if (!r->nticks)
		r->decay = *decay;
	free(decay);
	r->peak.rss_kb = max64(r->peak.rss_kb, peak.rss_kb);
	/* the smaps peaks are the consistent samples' (model.c), as they
	 * were live; only a run recorded without samples takes the
	 * recorded ones */
	if (!r->nticks && peak.pss_kb >= 0) {
		r->peak.pss_kb = peak.pss_kb;
		r->peak.uss_kb = max64(0, peak.uss_kb);
		r->peak.shared_dirty_kb = max64(0, peak.shared_dirty_kb);
		r->peak.consistent = true;
		r->peak.pss_bound_kb = max64(0, peak.pss_bound_kb);
		r->nconsistent = 1;
		r->nbounded = 1;
	}
	if (peak.nprocs > r->peak.nprocs)
		r->peak.nprocs = peak.nprocs;
	return true;
}

static bool load_runs(struct ctx *c, const cJSON *root, struct model *m)
{
	const cJSON *arr = get_array(c, root, "runs", REQUIRED), *o;
	size_t i = 0, old;
	int n;

	if (!arr)
		return false;
	old = push_key(c, "runs");
	n = cJSON_GetArraySize(arr);
	if (n == 0)
		bad(c, "no run in the recording");
	else if (n > MODEL_MAX_RUNS)
		bad(c, "%d runs, at most %d", n, MODEL_MAX_RUNS);
	cJSON_ArrayForEach(o, arr) {
		size_t old2 = push_index(c, i++);

		if (c->failed || !load_run(c, o, m))
			break;
		pop(c, old2);
	}
	pop(c, old);
	return !c->failed;
}

/* --repeat: every round's figures (docs/recording.md, ".repeat"), into
 * the run of the same place and name; the statistics are computed again
 * from them */
static bool load_repeat(struct ctx *c, const cJSON *root, struct model *m)
{
	const cJSON *rep = get_object(c, root, "repeat", OPTIONAL | NULLABLE);
	const cJSON *runs, *o;
	size_t i = 0, old;

	if (!rep)
		return !c->failed;
	old = push_key(c, "repeat");
	/* (recordings before it held the first round) */
	m->shown_round = 1;
	{
		double k;

		if (get_number(c, rep, "shown_round", OPTIONAL | INTEGER, 1,
			       MODEL_ROUNDS_MAX, &k) == 1)
			m->shown_round = (int)k;
	}
	runs = get_array(c, rep, "runs", REQUIRED);
	if (runs && cJSON_GetArraySize(runs) != (int)m->nruns)
		bad(c, "%d runs, the recording has %zu", cJSON_GetArraySize(runs),
		    m->nruns);
	if (!runs || c->failed) {
		pop(c, old);
		return false;
	}
	push_key(c, "runs");
	cJSON_ArrayForEach(o, runs) {
		size_t old2 = push_index(c, i);
		struct run *r = &m->runs[i++];
		const cJSON *list = get_array(c, o, "rounds", REQUIRED), *x;
		char name[MODEL_NAME_MAX];
		size_t k = 0;

		if (get_string(c, o, "name", REQUIRED, name, sizeof(name)) != 1 ||
		    strcmp(name, r->name) != 0)
			bad(c, "the name is not the run's");
		if (list && cJSON_GetArraySize(list) > MODEL_ROUNDS_MAX)
			bad(c, "more than %d rounds", MODEL_ROUNDS_MAX);
		if (!list || c->failed)
			break;
		push_key(c, "rounds");
		cJSON_ArrayForEach(x, list) {
			struct round_figs *f = &r->rounds[k];
			size_t old3 = push_index(c, k++);
			double d = -1;
			bool ok = false;

			get_bool(c, x, "ok", REQUIRED, &ok);
			f->ok = ok;
			get_number(c, x, "wall_s", REQUIRED, 0, TIME_MAX, &f->wall_s);
			f->cpu_s = -1;
			get_number(c, x, "cpu_s", REQUIRED | NULLABLE, 0, TIME_MAX * 4096,
				   &f->cpu_s);
			if (get_number(c, x, "peak_pss_kb", REQUIRED | NULLABLE | INTEGER,
				       0, KB_MAX, &d) == 1)
				f->pss_kb = (int64_t)d;
			else
				f->pss_kb = MODEL_KB_NONE;
			if (get_number(c, x, "position", REQUIRED | INTEGER, 0,
				       MODEL_MAX_RUNS - 1, &d) == 1)
				f->position = (int)d;
			get_number(c, x, "start_monotonic_s", OPTIONAL, 0, 1e12,
				   &f->started_mono);
			if (c->failed)
				break;
			pop(c, old3);
		}
		r->nrounds = c->failed ? 0 : k;
		if (c->failed)
			break;
		pop(c, old2);
	}
	pop(c, old);
	return !c->failed;
}

static bool load_doc(struct ctx *c, const cJSON *root, struct model *m)
{
	double d;
	bool interrupted = false;

	if (!cJSON_IsObject(root)) {
		snprintf(c->err, c->errlen,
			 "not a shmviz recording: the document is %s, not an object",
			 type_name(root));
		return false;
	}
	if (!load_header(c, root, m) || !load_host(c, root, m) ||
	    !load_config(c, root, m) || !load_runs(c, root, m))
		return false;
	get_object(c, root, "summary", OPTIONAL | NULLABLE);
	if (!load_repeat(c, root, m) || !load_sampler(c, root, m) ||
	    !get_bool(c, root, "interrupted", REQUIRED, &interrupted))
		return false;
	m->interrupted = interrupted;
	if (get_number(c, root, "signal", OPTIONAL | NULLABLE | INTEGER, 1, 64,
		       &d) == 1)
		m->signal = (int)d;
	return !c->failed;
}

/* ---- the bytes ---- */

/* line and column (1-based, in bytes) of offset off */
static void where(const char *buf, size_t off, size_t *line, size_t *col)
{
	size_t start = 0;

	*line = 1;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	}
	*col = off - start + 1;
}

static size_t where_line(const char *buf, size_t off)
{
	size_t line, col;

	where(buf, off, &line, &col);
	return line;
}

/* Gate 1 (see the top of the file). *open is set to whether the bytes end
 * inside a string or with brackets open: a truncated document. */
static bool prescan(const char *buf, size_t len, bool *open, char *err,
		    size_t errlen)
{
	const unsigned char *u = (const unsigned char *)buf;
	size_t depth = 0, i = 0, line, col;
	bool in_str = false, esc = false, any = false;
	const char *what = NULL;

	while (i < len) {
		unsigned char ch = u[i];

		if (ch == 0) {
			what = "a NUL byte: not a text file";
			break;
		}
		if (ch >= 0x80) {
			size_t n = text_utf8_len(buf + i, len - i);

			if (!n) {
				what = "invalid UTF-8";
				break;
			}
			if (!in_str) {
				what = "a character outside any string";
				break;
			}
			esc = false;
			i += n;
			continue;
		}
		if (in_str) {
			if (esc)
				esc = false;
			else if (ch == '\\')
				esc = true;
			else if (ch == '"')
				in_str = false;
			else if (ch < 0x20) {
				what = "a control character inside a string";
				break;
			}
		} else {
			if (ch == '"') {
				in_str = true;
			} else if (ch == '[' || ch == '{') {
				if (++depth > REPLAY_MAX_DEPTH) {
					what = "nested more than " REPLAY_MAX_DEPTH_STR " levels deep";
					break;
				}
			} else if (ch == ']' || ch == '}') {
				if (depth)
					depth--;
			}
			if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
				any = true;
		}
		i++;
	}
	if (what) {
		where(buf, i, &line, &col);
		snprintf(err, errlen, "%s at line %zu, column %zu", what, line, col);
		return false;
	}
	if (!any) {
		snprintf(err, errlen, len ? "only blanks: no JSON in it" :
			 "empty: no JSON in it");
		return false;
	}
	*open = in_str || depth > 0;
	return true;
}

/* ---- gate 2: memory ----
 *
 * cJSON takes about 80 bytes a value: an array of small numbers costs 40
 * times its text. So before it parses, the value of every member whose
 * key the loader never reads is blanked in place, once it is checked to be
 * valid JSON: replaced by "null" and blanks, its newlines kept, so that an
 * error's line and column stay where they were, and cJSON builds one node
 * for it. What cJSON allocates is counted (cJSON_InitHooks, during the
 * load only) and capped; a failed allocation, the cap's or the system's
 * (ulimit -v), is reported as "out of memory", never as bad JSON. */

/* Every key the loader reads, by the key of the member that holds it (an
 * array's elements by the array's key; "" the top level). A member
 * anywhere else, even of a known name, is not read: it is blanked.
 * ANY_FIGURE in figures: every figure of the list. */
#define ANY_FIGURE UINT_MAX

static const struct {
	const char *parent;
	const char *keys; /* " k1 k2 ... " */
	unsigned figures; /* and the keys of the figures of the list
	                     (smaps_fields.h) whose flags have one of these
	                     bits; 0: none */
} known_keys[] = {
	{ "", " shmviz host config runs summary sampler interrupted signal repeat ", 0 },
	{ "repeat", " rounds shown_round runs ", 0 },
	{ "rounds", " round position start_monotonic_s ok wall_s cpu_s peak_pss_kb ", 0 },
	{ "wall_s", " median min max n ", 0 },
	{ "cpu_s", " median min max n ", 0 },
	{ "peak_pss_kb", " median min max n ", 0 },
	{ "shmviz", " version schema ", 0 },
	{ "host", " kernel machine cpus page_size mem_total_kb ", 0 },
	{ "config", " workers rows bytes interval_ms hold_s mode workload budget_pct cow_write_pct repeat ", 0 },
	{ "sampler", " cpu_s wall_s ticks pss_reads counter_reads scans rest_sweeps high_sweeps obj_ticks tick_max_ms exact_refreshes exact_drifted exact_drift_max_kb pss_interval_ms pss_read_ms counter_read_us scan_ms pss_cpu_s counter_cpu_s scan_cpu_s map_snaps map_reads map_cpu_s ", 0 },
	{ "runs", " name label detail ok state cause log workers start_monotonic_s protocol_dropped members_missing members_missing_samples phases result peak kernel_peak decay projection samples mappings rounds wall_s cpu_s peak_pss_kb ", 0 },
	{ "kernel_peak", " kb cgroup_version cgroup per_phase attached reason ", 0 },
	{ "decay", " too_many tree members ", 0 },
	{ "tree", " start_s shared_start_kb private_start_kb end_s shared_end_kb private_end_kb min_s shared_min_kb lost_kb rate_kb_s half_life_s ", 0 },
	{ "members", " pid start_ticks role start_s shared_start_kb private_start_kb end_s shared_end_kb private_end_kb min_s shared_min_kb lost_kb rate_kb_s half_life_s ", 0 },
	{ "projection", " workers shared_kb worker_private_kb worker_pid pss_kb ", 0 },
	{ "mappings", " t t_end phase peak procs ", 0 },
	{ "groups", " kind path deleted addr mappings ", SMAPS_MAP },
	{ "phases", " name start_s end_s kernel_peak_kb ", 0 },
	{ "result", " sum expected wall_s total_s compute_s compute_cpu_s hold_s tracemalloc_peak_kb data_kb cpu_user_s cpu_sys_s minflt majflt exit_status ", 0 },
	{ "peak", " pss_kb pss_bound_kb rss_sum_kb uss_kb shared_dirty_kb consistent_samples nprocs ", 0 },
	{ "samples", " t procs total moved ", 0 },
	{ "total", " pss_kb pss_bound_kb members_partial rss_kb uss_kb shared_dirty_kb nprocs pss_partial pss_fresh pss_estimated pss_held consistent ", 0 },
	{ "procs", " pid ppid role comm rss_now_kb rss_anon_kb rss_file_kb rss_shmem_kb moved est_error_kb state smaps smaps_t utime_s stime_s minflt majflt start_ticks groups ", ANY_FIGURE },
};

/* Whether key k (n bytes) is the key of a figure of the list that parent's
 * objects have */
static bool figure_key(int parent, const char *k, size_t n)
{
	int i;

	if (!known_keys[parent].figures)
		return false;
	i = smaps_field_by_json(k, n);
	return i >= 0 && (known_keys[parent].figures == ANY_FIGURE ||
			  (smaps_fields[i].flags & known_keys[parent].figures));
}

/* Whether the loader reads key k (n bytes, as written) inside parent; the
 * index of k's own entry as a parent in *child (-1: none) */
static bool known_key(int parent, const char *k, size_t n, int *child)
{
	char key[40];

	*child = -1;
	if (parent < 0 || n + 3 > sizeof(key))
		return false;
	if (memchr(k, '\\', n))
		return true; /* an escape may spell a known key: keep it whole */
	key[0] = ' ';
	memcpy(key + 1, k, n);
	key[n + 1] = ' ';
	key[n + 2] = '\0';
	if (!strstr(known_keys[parent].keys, key) && !figure_key(parent, k, n))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(known_keys); i++)
		if (strlen(known_keys[i].parent) == n &&
		    memcmp(known_keys[i].parent, k, n) == 0)
			*child = (int)i;
	return true;
}

static void skip_ws(const char *s, size_t len, size_t *i)
{
	while (*i < len && (s[*i] == ' ' || s[*i] == '\t' || s[*i] == '\n' ||
			    s[*i] == '\r'))
		(*i)++;
}

/* a JSON string at *i (its quotes included); false when it is not one */
static bool skip_string(const char *s, size_t len, size_t *i)
{
	if (*i >= len || s[*i] != '"')
		return false;
	for ((*i)++; *i < len; (*i)++) {
		unsigned char ch = (unsigned char)s[*i];

		if (ch == '"') {
			(*i)++;
			return true;
		}
		if (ch < 0x20)
			return false;
		if (ch == '\\') {
			(*i)++;
			if (*i >= len || !strchr("\"\\/bfnrtu", s[*i]))
				return false;
			if (s[*i] == 'u') {
				for (int k = 0; k < 4; k++) {
					(*i)++;
					if (*i >= len || !isxdigit((unsigned char)s[*i]))
						return false;
				}
			}
		}
	}
	return false;
}

static bool skip_number(const char *s, size_t len, size_t *i)
{
	size_t start = *i, digits;

	if (*i < len && s[*i] == '-')
		(*i)++;
	if (*i >= len || !isdigit((unsigned char)s[*i]))
		return false;
	if (s[*i] == '0')
		(*i)++;
	else
		while (*i < len && isdigit((unsigned char)s[*i]))
			(*i)++;
	if (*i < len && s[*i] == '.') {
		(*i)++;
		for (digits = 0; *i < len && isdigit((unsigned char)s[*i]); digits++)
			(*i)++;
		if (!digits)
			return false;
	}
	if (*i < len && (s[*i] == 'e' || s[*i] == 'E')) {
		(*i)++;
		if (*i < len && (s[*i] == '+' || s[*i] == '-'))
			(*i)++;
		for (digits = 0; *i < len && isdigit((unsigned char)s[*i]); digits++)
			(*i)++;
		if (!digits)
			return false;
	}
	return *i > start;
}

/* Walks one value at *i: ctx is the entry of known_keys[] its members are
 * read by (-1: none of them, or a value taken whole: an escaped key's);
 * blank: members the loader does not read are blanked (false: the value
 * is only checked). Returns false at the first thing that is not JSON:
 * the rest is left as it is, for cJSON to report. */
static bool walk_value(char *s, size_t len, size_t *i, int depth, int ctx,
		       bool blank)
{
	skip_ws(s, len, i);
	if (*i >= len || depth > REPLAY_MAX_DEPTH)
		return false;
	if (s[*i] == '{' || s[*i] == '[') {
		bool obj = s[*i] == '{';
		char close = obj ? '}' : ']';

		(*i)++;
		skip_ws(s, len, i);
		if (*i < len && s[*i] == close) {
			(*i)++;
			return true;
		}
		for (;;) {
			bool known = true;
			int child = -1;

			if (obj) {
				size_t k = *i;

				if (!skip_string(s, len, i))
					return false;
				if (blank)
					known = known_key(ctx, s + k + 1, *i - k - 2, &child);
				skip_ws(s, len, i);
				if (*i >= len || s[*i] != ':')
					return false;
				(*i)++;
				skip_ws(s, len, i);
				if (!known) {
					size_t v = *i;

					if (!walk_value(s, len, i, depth + 1, -1, false))
						return false;
					/* "null" and blanks, newlines kept */
					if (*i - v >= 4) {
						memcpy(s + v, "null", 4);
						for (size_t b = v + 4; b < *i; b++)
							if (s[b] != '\n')
								s[b] = ' ';
					}
				} else if (!walk_value(s, len, i, depth + 1, child,
						       blank && child >= 0)) {
					/* read whole: a scalar field, a key spelled
					 * with escapes, or a value only checked */
					return false;
				}
			} else if (!walk_value(s, len, i, depth + 1, ctx, blank)) {
				return false;
			}
			skip_ws(s, len, i);
			if (*i < len && s[*i] == ',') {
				(*i)++;
				skip_ws(s, len, i);
				continue;
			}
			if (*i < len && s[*i] == close) {
				(*i)++;
				return true;
			}
			return false;
		}
	}
	if (s[*i] == '"')
		return skip_string(s, len, i);
	if (len - *i >= 4 && (memcmp(s + *i, "true", 4) == 0 ||
			      memcmp(s + *i, "null", 4) == 0)) {
		*i += 4;
		return true;
	}
	if (len - *i >= 5 && memcmp(s + *i, "false", 5) == 0) {
		*i += 5;
		return true;
	}
	return skip_number(s, len, i);
}

/* what cJSON holds during a load: each block carries its size */
static size_t cjson_bytes, cjson_cap;
static bool cjson_out_of_memory;

static void *counted_malloc(size_t size)
{
	size_t *p;

	if (size > SIZE_MAX - 16 || cjson_bytes + size > cjson_cap) {
		cjson_out_of_memory = true;
		return NULL;
	}
	p = malloc(size + 16);
	if (!p) {
		cjson_out_of_memory = true;
		return NULL;
	}
	*p = size;
	cjson_bytes += size;
	return (char *)p + 16;
}

static void counted_free(void *ptr)
{
	size_t *p;

	if (!ptr)
		return;
	p = (size_t *)(void *)((char *)ptr - 16);
	cjson_bytes -= *p;
	free(p);
}

/* Checks and parses text (len bytes and a NUL after them; freed here as
 * soon as cJSON has parsed it), then walks the tree into m. */
static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The key found twice among the members of o, or NULL. */
static const char *duplicate_key(const cJSON *o)
{
	const char *small[32], **keys = small, **heap = NULL, *dup = NULL;
	size_t n = 0, k = 0;

	for (const cJSON *c = o->child; c; c = c->next)
		n++;
	if (n < 2)
		return NULL;
	if (n > ARRAY_SIZE(small)) {
		heap = malloc(n * sizeof(*heap));
		if (!heap)
			return NULL;
		keys = heap;
	}
	for (const cJSON *c = o->child; c; c = c->next)
		keys[k++] = c->string ? c->string : "";
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (size_t i = 1; i < n && !dup; i++)
		if (strcmp(keys[i - 1], keys[i]) == 0)
			dup = keys[i];
	free(heap);
	return dup;
}

/* Refuses an object with a key twice anywhere in the tree: readers
 * disagree on which one counts (cJSON the first, jq and Python the last),
 * so such a file would mean different things to different tools. path is
 * where j is (".runs[2]"); false with one line in err. */
static bool no_duplicates(const cJSON *j, char *path, size_t len, size_t cap,
			  char *err, size_t errlen)
{
	size_t i = 0;

	if (cJSON_IsObject(j)) {
		const char *dup = duplicate_key(j);

		if (dup) {
			char key[64];

			text_sanitize(key, sizeof(key), dup, strlen(dup), false);
			snprintf(err, errlen, "the key \"%s\" appears twice in one object (%s): a recording has each key once",
				 key, len ? path : "the top level");
			return false;
		}
	}
	if (!cJSON_IsObject(j) && !cJSON_IsArray(j))
		return true;
	for (const cJSON *c = j->child; c; c = c->next, i++) {
		int n;

		if (cJSON_IsArray(j))
			n = snprintf(path + len, cap - len, "[%zu]", i);
		else
			n = snprintf(path + len, cap - len, ".%.40s", c->string ? c->string : "");
		if (n < 0 || (size_t)n >= cap - len)
			n = (int)(cap - len - 1);
		if (!no_duplicates(c, path, len + (size_t)n, cap, err, errlen))
			return false;
		path[len] = '\0';
	}
	return true;
}

static int load(char *text, size_t len, struct model *m, char *err,
		size_t errlen)
{
	char path[512] = "";
	struct ctx c = { .err = err, .errlen = errlen };
	const char *end = NULL;
	cJSON *root = NULL;
	size_t last = len, line, col, off;
	bool open = false;

	cJSON_Hooks hooks = { counted_malloc, counted_free };
	int status = 0;

	if (!prescan(text, len, &open, err, errlen)) {
		free(text);
		return EXIT_BAD_RECORDING;
	}
	{
		size_t at = 0;

		walk_value(text, len, &at, 0, 0, true);
	}
	/* a recording's own members take about 8 times their text */
	cjson_bytes = 0;
	cjson_cap = REPLAY_PARSE_FACTOR * len + REPLAY_PARSE_SLACK;
	cjson_out_of_memory = false;
	cJSON_InitHooks(&hooks);
	root = cJSON_ParseWithLengthOpts(text, len + 1, &end, false);
	if (cjson_out_of_memory) {
		cJSON_Delete(root);
		cJSON_InitHooks(NULL);
		free(text);
		snprintf(err, errlen, "out of memory: loading it needs more than %zu MiB",
			 cjson_cap >> 20);
		return EXIT_BAD_RECORDING;
	}
	off = end && end >= text && end <= text + len ? (size_t)(end - text) : len;
	while (last > 0 && strchr(" \t\r\n", text[last - 1]))
		last--;
	if (!root || off < last) {
		where(text, off, &line, &col);
		if (root)
			snprintf(err, errlen, "more after the end of the JSON document, at line %zu, column %zu",
				 line, col);
		else if (open)
			snprintf(err, errlen, "truncated: the JSON ends at line %zu before the document is complete",
				 last ? where_line(text, last) : 1);
		else
			snprintf(err, errlen, "not valid JSON at line %zu, column %zu",
				 line, col);
		cJSON_Delete(root);
		cJSON_InitHooks(NULL);
		free(text);
		return EXIT_BAD_RECORDING;
	}
	free(text);
	if (!no_duplicates(root, path, 0, sizeof(path), err, errlen))
		status = EXIT_BAD_RECORDING;
	else
		load_doc(&c, root, m);
	cJSON_Delete(root);
	cJSON_InitHooks(NULL);
	if (status)
		return status;
	free(c.rows);
	if (c.failed || err[0]) {
		if (!err[0])
			snprintf(err, errlen, "invalid recording");
		model_finish(m);
		return EXIT_BAD_RECORDING;
	}
	return 0;
}

static int too_large(char *err, size_t errlen)
{
	snprintf(err, errlen, "larger than %d MiB: too large for a recording",
		 REPLAY_MAX_BYTES >> 20);
	return EXIT_BAD_RECORDING;
}

int replay_load_buffer(const char *data, size_t len, struct model *m,
		       char *err, size_t errlen)
{
	char *text;

	model_init(m, true);
	err[0] = '\0';
	if (len > REPLAY_MAX_BYTES)
		return too_large(err, errlen);
	text = malloc(len + 1);
	if (!text) {
		snprintf(err, errlen, "out of memory");
		return EXIT_BAD_RECORDING;
	}
	if (len)
		memcpy(text, data, len);
	text[len] = '\0';
	return load(text, len, m, err, errlen);
}

/* "name: " + msg, with the name made safe to print on one line */
static int fail_file(const char *path, char *err, size_t errlen,
		     const char *msg)
{
	char name[256];
	int n;

	text_sanitize(name, sizeof(name), path, strlen(path), false);
	n = snprintf(err, errlen, "%s: ", name);
	if (n > 0 && (size_t)n < errlen)
		snprintf(err + n, errlen - (size_t)n, "%s", msg);
	return EXIT_BAD_RECORDING;
}

int replay_load(const char *path, struct model *m, char *err, size_t errlen)
{
	return replay_load_signals(path, m, -1, err, errlen);
}

/* Waits until fd has data (true) or a stop signal came on sigfd (false,
 * *sig set). Other signals (SIGCHLD) are consumed. */
static bool wait_data(int fd, int sigfd, int *sig)
{
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = fd, .events = POLLIN },
			{ .fd = sigfd, .events = POLLIN },
		};
		struct signalfd_siginfo si;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return true; /* let read() say what is wrong */
		}
		if (pfd[0].revents)
			return true;
		while (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM ||
			    si.ssi_signo == SIGHUP) {
				*sig = (int)si.ssi_signo;
				return false;
			}
		}
	}
}

/* A stop signal (SIGINT, SIGTERM, SIGHUP) waiting on sigfd, without
 * waiting: true with *sig set. Others are consumed. */
static bool stop_heard(int sigfd, int *sig)
{
	struct pollfd pfd = { .fd = sigfd, .events = POLLIN };
	struct signalfd_siginfo si;

	if (sigfd < 0 || poll(&pfd, 1, 0) != 1)
		return false;
	while (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM ||
		    si.ssi_signo == SIGHUP) {
			*sig = (int)si.ssi_signo;
			return true;
		}
	}
	return false;
}

/* ---- long recordings: one sample at a time ----
 *
 * A recording longer than REPLAY_WHOLE_MAX is not parsed whole: a splitter
 * reads it a chunk at a time and cuts out each element of every
 * .runs[].samples, which passes the same gates as a whole document (the
 * bytes, cJSON under a cap, no key twice, every field checked) one sample
 * at a time. What is left (the skeleton: header, runs with empty samples,
 * summary, sampler; its newlines kept, so that an error's line is the
 * file's) is loaded as a whole document. Memory does not grow with the
 * file: a sample or the skeleton may take at most REPLAY_PART_MAX bytes of
 * text, and the frames a run keeps at most REPLAY_HELD_RUN_BYTES (below). */

#define SPLIT_DEPTH 4 /* the samples' array is at this depth */
#define SPLIT_KEY 12

struct splitter {
	unsigned depth;                 /* brackets open */
	char kind[SPLIT_DEPTH + 1];     /* '{' or '[' at each depth */
	bool expect_key[SPLIT_DEPTH + 1];
	char key[SPLIT_DEPTH + 1][SPLIT_KEY]; /* the member being read */
	char cur[SPLIT_KEY];            /* a key being read */
	size_t curlen;
	bool cur_bad, key_str, in_str, esc;
	bool runs_open, samples_open, in_elem, elem_done;
	size_t run, sample;             /* the run (0-based) and its sample */
	size_t line, elem_line;
	char *elem, *skel;
	size_t elen, ecap, slen, scap;
	bool keep_skel;
	/* recovery of a recording cut short: the skeleton's length at the
	 * last point it could be closed (after a sample, or a whole run) */
	bool recover, cut;
	enum { SAFE_NONE, SAFE_IN_SAMPLES, SAFE_AFTER_RUN } safe;
	size_t safe_len, safe_samples, cut_line;
	bool (*on_sample)(void *arg, struct ctx *c, size_t run, double t,
			  size_t n, int64_t bound);
	void *arg;
	struct ctx *c;
	double prev[MODEL_MAX_RUNS];
};

static bool split_put(char **buf, size_t *len, size_t *cap, char ch)
{
	if (*len + 2 > *cap) {
		size_t ncap = *cap ? *cap * 2 : 65536;
		char *nb;

		if (ncap > REPLAY_PART_MAX + 2)
			ncap = REPLAY_PART_MAX + 2;
		if (*len + 2 > ncap)
			return false;
		nb = realloc(*buf, ncap);
		if (!nb)
			return false;
		*buf = nb;
		*cap = ncap;
	}
	(*buf)[(*len)++] = ch;
	return true;
}

/* Parses one part (len bytes in text, a NUL after them) with the gates of
 * a whole document; the root in *root, to be deleted before
 * cJSON_InitHooks(NULL). known: its entry of known_keys. */
static bool parse_part(char *text, size_t len, int known, cJSON **root,
		       char *err, size_t errlen)
{
	cJSON_Hooks hooks = { counted_malloc, counted_free };
	char path[512] = "";
	const char *end = NULL;
	bool open = false;
	size_t at = 0, line, col;

	*root = NULL;
	if (!prescan(text, len, &open, err, errlen))
		return false;
	walk_value(text, len, &at, 0, known, true);
	cjson_bytes = 0;
	cjson_cap = REPLAY_PARSE_FACTOR * len + REPLAY_PARSE_SLACK;
	cjson_out_of_memory = false;
	cJSON_InitHooks(&hooks);
	*root = cJSON_ParseWithLengthOpts(text, len + 1, &end, false);
	if (cjson_out_of_memory || !*root) {
		cJSON_Delete(*root);
		*root = NULL;
		cJSON_InitHooks(NULL);
		if (cjson_out_of_memory) {
			snprintf(err, errlen, "out of memory: loading it needs more than %zu MiB",
				 cjson_cap >> 20);
		} else {
			where(text, end && end >= text && end <= text + len ?
			      (size_t)(end - text) : len, &line, &col);
			snprintf(err, errlen, "not valid JSON at line %zu, column %zu of the sample",
				 line, col);
		}
		return false;
	}
	if (!no_duplicates(*root, path, 0, sizeof(path), err, errlen)) {
		cJSON_Delete(*root);
		*root = NULL;
		cJSON_InitHooks(NULL);
		return false;
	}
	return true; /* the hooks stay until the root is deleted */
}

static int samples_known(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(known_keys); i++)
		if (strcmp(known_keys[i].parent, "samples") == 0)
			return (int)i;
	return -1;
}

/* the element just cut out: checked, read, handed on */
static bool split_emit(struct splitter *sp)
{
	struct ctx *c = sp->c;
	char msg[384];
	cJSON *root;
	double t;
	size_t n;
	int64_t bound;
	bool ok;

	if (sp->run >= MODEL_MAX_RUNS) {
		snprintf(c->err, c->errlen, "runs: more than %d runs", MODEL_MAX_RUNS);
		c->failed = true;
		return false;
	}
	sp->elem[sp->elen] = '\0';
	c->plen = 0;
	c->path[0] = '\0';
	push_key(c, "runs");
	push_index(c, sp->run);
	push_key(c, "samples");
	push_index(c, sp->sample);
	if (!parse_part(sp->elem, sp->elen, samples_known(), &root, msg,
			sizeof(msg))) {
		snprintf(c->err, c->errlen, "%s (from line %zu): %s", c->path,
			 sp->elem_line, msg);
		c->failed = true;
		return false;
	}
	ok = read_sample(c, root, &sp->prev[sp->run], &t, &n, &bound);
	cJSON_Delete(root);
	cJSON_InitHooks(NULL);
	/* the rows are read: cJSON is the caller's again */
	ok = ok && sp->on_sample(sp->arg, c, sp->run, t, n, bound);
	sp->sample++;
	if (ok) {
		sp->safe = SAFE_IN_SAMPLES;
		sp->safe_len = sp->slen;
		sp->safe_samples++;
	}
	return ok && !c->failed;
}

static bool split_fail(struct splitter *sp, const char *what)
{
	snprintf(sp->c->err, sp->c->errlen, "%s (at line %zu)", what, sp->line);
	sp->c->failed = true;
	return false;
}

/* a character inside a string: a key of ours is kept (escapes and
 * overlong keys are none) */
static void split_string_char(struct splitter *sp, char ch)
{
	if (sp->esc) {
		sp->esc = false;
	} else if (ch == '\\') {
		sp->esc = true;
		sp->cur_bad = true; /* an escaped key is no key of ours */
	} else if (ch == '"') {
		sp->in_str = false;
		if (sp->key_str)
			snprintf(sp->key[sp->depth], SPLIT_KEY, "%s",
				 sp->cur_bad ? "" : sp->cur);
	} else if (sp->key_str) {
		if (sp->curlen + 1 < SPLIT_KEY) {
			sp->cur[sp->curlen++] = ch;
			sp->cur[sp->curlen] = '\0';
		} else {
			sp->cur_bad = true;
		}
	}
}

/* a character outside strings: the nesting, the keys met, where the runs
 * and their samples open and close */
static bool split_structure(struct splitter *sp, char ch)
{
	switch (ch) {
	case '"':
		sp->in_str = true;
		sp->key_str = sp->depth >= 1 && sp->depth <= SPLIT_DEPTH &&
			      sp->kind[sp->depth] == '{' &&
			      sp->expect_key[sp->depth];
		sp->curlen = 0;
		sp->cur[0] = '\0';
		sp->cur_bad = false;
		break;
	case ':':
		if (sp->depth >= 1 && sp->depth <= SPLIT_DEPTH)
			sp->expect_key[sp->depth] = false;
		break;
	case ',':
		if (sp->depth >= 1 && sp->depth <= SPLIT_DEPTH &&
		    sp->kind[sp->depth] == '{')
			sp->expect_key[sp->depth] = true;
		break;
	case '{':
	case '[':
		if (sp->depth + 1 > REPLAY_MAX_DEPTH)
			return split_fail(sp, "nested more than " REPLAY_MAX_DEPTH_STR " levels deep");
		sp->depth++;
		if (sp->depth <= SPLIT_DEPTH) {
			unsigned d = sp->depth;

			sp->kind[d] = ch;
			sp->expect_key[d] = ch == '{';
			sp->key[d][0] = '\0';
			if (d == 2 && ch == '[' && sp->kind[1] == '{' &&
			    strcmp(sp->key[1], "runs") == 0) {
				sp->runs_open = true;
				sp->run = (size_t)-1;
			}
			if (d == 3 && ch == '{' && sp->runs_open)
				sp->run++;
			if (d == 4 && ch == '[' && sp->runs_open &&
			    sp->kind[3] == '{' &&
			    strcmp(sp->key[3], "samples") == 0) {
				sp->samples_open = true;
				sp->elem_done = false;
				sp->sample = 0;
				sp->safe = SAFE_IN_SAMPLES;
				sp->safe_len = sp->slen;
			}
		}
		break;
	case '}':
	case ']':
		if (!sp->depth)
			break; /* the skeleton's parser says what is wrong */
		if (sp->depth == SPLIT_DEPTH)
			sp->samples_open = false;
		if (sp->depth == 2)
			sp->runs_open = false;
		sp->depth--;
		if (sp->depth == 2 && sp->runs_open && ch == '}') {
			sp->safe = SAFE_AFTER_RUN;
			sp->safe_len = sp->slen;
		}
		break;
	default:
		break;
	}
	return true;
}

static bool split_feed(struct splitter *sp, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char ch = buf[i];
		bool structural = !sp->in_str;

		if (structural && sp->samples_open && sp->depth == SPLIT_DEPTH) {
			if (sp->in_elem && (ch == ',' || ch == ']')) {
				sp->in_elem = false;
				if (!split_emit(sp))
					return false;
				sp->elem_done = true;
			} else if (!sp->in_elem && ch != ',' && ch != ']' &&
				   ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
				if (sp->elem_done)
					return split_fail(sp, "not valid JSON: a sample without a comma before it");
				sp->in_elem = true;
				sp->elen = 0;
				sp->elem_line = sp->line;
			}
			if (ch == ',') {
				/* the skeleton keeps an empty array */
				if (!sp->elem_done)
					return split_fail(sp, "not valid JSON: a comma without a sample before it");
				sp->elem_done = false;
				continue;
			}
			if (ch == ']' && !sp->elem_done && sp->sample)
				return split_fail(sp, "not valid JSON: a comma before the end of the samples");
		}
		if (ch == '\n')
			sp->line++;
		if (sp->in_elem) {
			if (!split_put(&sp->elem, &sp->elen, &sp->ecap, ch))
				return split_fail(sp, "too large for a recording: a sample of more than " REPLAY_PART_MAX_STR " MiB (or out of memory)");
			if (ch == '\n' && sp->keep_skel &&
			    !split_put(&sp->skel, &sp->slen, &sp->scap, ch))
				return split_fail(sp, "too large for a recording: more than " REPLAY_PART_MAX_STR " MiB outside its samples (or out of memory)");
		} else if (sp->keep_skel &&
			   !split_put(&sp->skel, &sp->slen, &sp->scap, ch)) {
			return split_fail(sp, "too large for a recording: more than " REPLAY_PART_MAX_STR " MiB outside its samples (or out of memory)");
		}
		if (sp->in_str) {
			split_string_char(sp, ch);
			continue;
		}
		if (!split_structure(sp, ch))
			return false;
	}
	return true;
}

/* Reads fd (from its current offset) through a splitter; buf holds len
 * bytes read before. Returns 0, 128 + a signal heard on sigfd while a pipe
 * was silent, or EXIT_BAD_RECORDING with the reason in c->err. */
static int split_fd(struct splitter *sp, int fd, int sigfd, const char *buf,
		    size_t len)
{
	char *chunk;
	int status = 0;

	if (len && !split_feed(sp, buf, len))
		return EXIT_BAD_RECORDING;
	chunk = malloc(REPLAY_CHUNK);
	if (!chunk) {
		snprintf(sp->c->err, sp->c->errlen, "out of memory");
		return EXIT_BAD_RECORDING;
	}
	for (;;) {
		ssize_t n;
		int sig = 0;

		/* a long file takes minutes: a signal is heard between chunks */
		if (stop_heard(sigfd, &sig)) {
			snprintf(sp->c->err, sp->c->errlen, "interrupted while reading it");
			status = 128 + sig;
			break;
		}
		n = read(fd, chunk, REPLAY_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN && sigfd >= 0) {
			if (!wait_data(fd, sigfd, &sig)) {
				snprintf(sp->c->err, sp->c->errlen, "interrupted while reading it");
				status = 128 + sig;
				break;
			}
			continue;
		}
		if (n < 0) {
			snprintf(sp->c->err, sp->c->errlen, "cannot read the recording: %s",
				 strerror(errno));
			status = EXIT_BAD_RECORDING;
			break;
		}
		if (n == 0)
			break;
		if (!split_feed(sp, chunk, (size_t)n)) {
			status = EXIT_BAD_RECORDING;
			break;
		}
	}
	free(chunk);
	if (!status && (sp->depth || sp->in_str) && sp->recover &&
	    sp->safe != SAFE_NONE) {
		/* cut short: closed after its last complete sample (the run
		 * then being written, failed) or its last whole run */
		static const char run_end[] =
			"],\"name\":\"cut short\",\"ok\":false,\"state\":\"failed\","
			"\"cause\":\"the recording was cut short here\",\"phases\":[],"
			"\"result\":{\"sum\":null,\"expected\":null,\"wall_s\":null,"
			"\"compute_s\":null,\"cpu_user_s\":0,\"cpu_sys_s\":0,\"minflt\":0},"
			"\"peak\":{\"pss_kb\":null,\"rss_sum_kb\":0,\"uss_kb\":null}}";
		static const char doc_end[] = "],\"interrupted\":true,\"signal\":null}";
		const char *add[2] = { sp->safe == SAFE_IN_SAMPLES ? run_end : "", doc_end };

		sp->cut = true;
		sp->cut_line = sp->line;
		sp->slen = sp->keep_skel ? sp->safe_len : 0;
		for (int k = 0; k < 2 && sp->keep_skel; k++)
			for (const char *a = add[k]; *a; a++)
				if (!split_put(&sp->skel, &sp->slen, &sp->scap, *a))
					return EXIT_BAD_RECORDING;
		return 0;
	}
	if (!status && (sp->depth || sp->in_str)) {
		snprintf(sp->c->err, sp->c->errlen,
			 "truncated: the JSON ends at line %zu before the document is complete",
			 sp->line);
		status = EXIT_BAD_RECORDING;
	}
	return status;
}

/* ---- a long recording into the model: the frames thinned ---- */

struct staged {
	struct run runs[MODEL_MAX_RUNS];
	unsigned stride[MODEL_MAX_RUNS];  /* samples a frame kept stands for */
	bool provisional[MODEL_MAX_RUNS]; /* the last frame is kept only
	                                     until the next sample: a run's
	                                     last sample is always a frame */
	size_t rows_max;
};

/* Drops every other frame of r (the first kept), compacting the rows. */
static void thin(struct run *r)
{
	size_t j = 0, row = 0;

	for (size_t i = 0; i < r->nframes; i += 2) {
		struct frame f = r->frames[i];

		memmove(r->rows + row, r->rows + f.first, f.n * sizeof(*r->rows));
		f.first = row;
		row += f.n;
		r->frames[j++] = f;
	}
	r->nframes = j;
	r->nrows = row;
}

static bool stage_sample(void *arg, struct ctx *c, size_t run, double t,
			 size_t n, int64_t bound)
{
	struct staged *st = arg;
	struct run *r = &st->runs[run];
	size_t idx = r->nticks; /* this sample's index in the run */

	if (st->provisional[run]) {
		r->nframes--;
		r->nrows = r->frames[r->nframes].first;
		st->provisional[run] = false;
	}
	while (r->nframes > 1 && r->nrows + n > st->rows_max) {
		thin(r);
		st->stride[run] *= 2;
	}
	if (!add_tick(c, r, t, n, bound)) {
		bad(c, "out of memory");
		return false;
	}
	set_root(r, c->rows, n);
	st->provisional[run] = idx % st->stride[run] != 0;
	return true;
}

/* the staged frames into the run the skeleton made */
static void stage_merge(struct run *to, struct run *from)
{
	struct point recorded = to->peak;

	if (!from->nticks)
		return;
	free(to->points);
	free(to->frames);
	free(to->rows);
	free(to->peak_rows);
	to->peak_rows = from->peak_rows;
	to->npeak_rows = from->npeak_rows;
	to->peak_rows_cap = from->peak_rows_cap;
	to->peak_t = from->peak_t;
	to->points = from->points;
	to->npoints = from->npoints;
	to->points_cap = from->points_cap;
	to->point_stride = from->point_stride;
	to->stride_fill = from->stride_fill;
	to->frames = from->frames;
	to->nframes = from->nframes;
	to->frames_cap = from->frames_cap;
	to->rows = from->rows;
	to->nrows = from->nrows;
	to->rows_cap = from->rows_cap;
	to->nticks = from->nticks;
	to->t_now = from->t_now;
	to->peak = from->peak;
	to->nconsistent = from->nconsistent;
	to->nbounded = from->nbounded;
	to->decay = from->decay;
	to->peak.rss_kb = max64(to->peak.rss_kb, recorded.rss_kb);
	if (recorded.nprocs > to->peak.nprocs)
		to->peak.nprocs = recorded.nprocs;
	if (!to->root)
		to->root = from->root;
	from->points = NULL;
	from->frames = NULL;
	from->rows = NULL;
	from->peak_rows = NULL;
}

static void staged_free(struct staged *st)
{
	for (size_t i = 0; i < MODEL_MAX_RUNS; i++) {
		free(st->runs[i].points);
		free(st->runs[i].frames);
		free(st->runs[i].rows);
		free(st->runs[i].peak_rows);
	}
}

/* The rows a run keeps: the most whose array grown by doubling (from 16,
 * model.c) stays within REPLAY_HELD_RUN_BYTES. */
static size_t held_rows(void)
{
	size_t rows = 16;

	while (rows * 2 * sizeof(struct proc_row) <= REPLAY_HELD_RUN_BYTES)
		rows *= 2;
	return rows - 1;
}

/* A long recording: buf (len bytes already read, freed here), then the
 * rest of fd. */
static int load_stream(int fd, int sigfd, char *buf, size_t len,
		       struct model *m, bool recover, char *note, size_t notelen,
		       char *err, size_t errlen)
{
	struct ctx c = { .err = err, .errlen = errlen };
	struct splitter sp = { .keep_skel = true, .line = 1, .c = &c,
			       .recover = recover };
	struct staged *st = calloc(1, sizeof(*st));
	int status;

	err[0] = '\0';
	if (!st) {
		free(buf);
		snprintf(err, errlen, "out of memory");
		return EXIT_BAD_RECORDING;
	}
	st->rows_max = held_rows();
	for (size_t i = 0; i < MODEL_MAX_RUNS; i++) {
		st->runs[i].keep_frames = true;
		st->stride[i] = 1;
		st->runs[i].point_stride = 1;
	}
	sp.on_sample = stage_sample;
	sp.arg = st;
	status = split_fd(&sp, fd, sigfd, buf, len);
	free(buf);
	free(sp.elem);
	free(c.rows);
	if (status) {
		free(sp.skel);
		staged_free(st);
		free(st);
		return status;
	}
	if (!sp.skel)
		sp.skel = malloc(1);
	if (!sp.skel) {
		staged_free(st);
		free(st);
		snprintf(err, errlen, "out of memory");
		return EXIT_BAD_RECORDING;
	}
	sp.skel[sp.slen] = '\0';
	status = load(sp.skel, sp.slen, m, err, errlen);
	if (!status)
		for (size_t i = 0; i < m->nruns; i++)
			stage_merge(&m->runs[i], &st->runs[i]);
	if (!status && sp.cut && note)
		snprintf(note, notelen, "cut short at line %zu: %zu complete samples recovered%s",
			 sp.cut_line, sp.safe_samples,
			 sp.safe == SAFE_IN_SAMPLES ?
			 "; the run then being written is kept as \"cut short\", failed" : "");
	staged_free(st);
	free(st);
	return status;
}

/* ---- the samples again, for an export ---- */

struct stream_arg {
	replay_sample_fn fn;
	void *arg;
};

static bool pass_sample(void *arg, struct ctx *c, size_t run, double t,
			size_t n, int64_t bound)
{
	struct stream_arg *sa = arg;

	if (bound == BOUND_FROM_FLAG)
		bound = model_totals(t, c->rows, n).consistent ? 0 : MODEL_KB_NONE;
	if (!sa->fn(sa->arg, run, t, c->rows, n, bound)) {
		if (!c->failed) {
			c->failed = true;
			snprintf(c->err, c->errlen, "stopped");
		}
		return false;
	}
	return true;
}

int replay_stream_samples(const char *path, bool recover, replay_sample_fn fn,
			  void *arg, char *err, size_t errlen)
{
	char msg[384] = "";
	struct ctx c = { .err = msg, .errlen = sizeof(msg) };
	struct stream_arg sa = { fn, arg };
	struct splitter sp = { .line = 1, .c = &c, .on_sample = pass_sample,
			       .arg = &sa, .recover = recover };
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY), status;

	err[0] = '\0';
	if (fd < 0) {
		snprintf(msg, sizeof(msg), "cannot open the recording: %s",
			 strerror(errno));
		return fail_file(path, err, errlen, msg);
	}
	status = split_fd(&sp, fd, -1, NULL, 0);
	close(fd);
	free(sp.elem);
	free(c.rows);
	if (status && strcmp(msg, "stopped") != 0)
		return fail_file(path, err, errlen, msg);
	return status ? -1 : 0;
}

/* Reads the recording fd (st: its status) into *bufp, *lenp bytes with
 * room for a NUL after them, up to REPLAY_WHOLE_MAX and one byte more (a
 * longer one is streamed on from there). Returns 0, or the exit status of
 * a failure (fd closed, nothing kept, err set). */
static int read_whole(const char *path, int fd, const struct stat *st,
		      int sigfd, char **bufp, size_t *lenp, char *err,
		      size_t errlen)
{
	char msg[384];
	char *buf = NULL;
	size_t len = 0, cap = 0;

	/* room for one byte over the cap (to see it exceeded) and the NUL */
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *nb;

			if (S_ISREG(st->st_mode) && cap == 0 && st->st_size > 0)
				ncap = (size_t)st->st_size + 2;
			if (ncap > (size_t)REPLAY_WHOLE_MAX + 2)
				ncap = (size_t)REPLAY_WHOLE_MAX + 2;
			if (len + 1 >= ncap)
				break;  /* a long recording: streamed below */
			nb = realloc(buf, ncap);
			if (!nb) {
				free(buf);
				close(fd);
				return fail_file(path, err, errlen, "out of memory");
			}
			buf = nb;
			cap = ncap;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN && sigfd >= 0) {
			/* a pipe with nothing yet: wait for data or a signal */
			int sig = 0;

			if (!wait_data(fd, sigfd, &sig)) {
				free(buf);
				close(fd);
				fail_file(path, err, errlen, "interrupted while reading it");
				return 128 + sig;
			}
			continue;
		}
		if (n < 0) {
			snprintf(msg, sizeof(msg), "cannot read the recording: %s",
				 strerror(errno));
			free(buf);
			close(fd);
			return fail_file(path, err, errlen, msg);
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

static int load_file(const char *path, struct model *m, int sigfd,
		     bool recover, char *note, size_t notelen, char *err,
		     size_t errlen)
{
	char msg[384];
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int fd, status, flags;

	model_init(m, true);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(msg, sizeof(msg), "cannot open the recording: %s",
			 strerror(errno));
		return fail_file(path, err, errlen, msg);
	}
	if (fstat(fd, &st) != 0) {
		snprintf(msg, sizeof(msg), "cannot read the recording: %s",
			 strerror(errno));
		close(fd);
		return fail_file(path, err, errlen, msg);
	}
	if (S_ISDIR(st.st_mode) || !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))) {
		close(fd);
		return fail_file(path, err, errlen, S_ISDIR(st.st_mode) ?
				 "is a directory, not a recording" :
				 "not a regular file");
	}
	/* a pipe is read until its writer ends: with blocking reads, or,
	 * when signals are to be heard (sigfd), non-blocking ones and poll */
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0 && sigfd < 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	status = read_whole(path, fd, &st, sigfd, &buf, &len, err, errlen);
	if (status)
		return status;
	msg[0] = '\0';
	if (len > REPLAY_WHOLE_MAX || recover) {
		/* more than a whole parse may take: one sample at a time (and
		 * a recording cut short is recovered only so) */
		status = load_stream(fd, sigfd, buf, len, m, recover, note, notelen,
				     msg, sizeof(msg));
		close(fd);
		if (status > 128) {
			fail_file(path, err, errlen, msg);
			return status;
		}
		if (status) {
			model_finish(m);
			model_init(m, true);
			return fail_file(path, err, errlen, msg);
		}
		return 0;
	}
	close(fd);
	if (!buf) {
		/* an empty pipe: nothing was allocated */
		buf = malloc(1);
		if (!buf)
			return fail_file(path, err, errlen, "out of memory");
	}
	buf[len] = '\0';
	status = load(buf, len, m, msg, sizeof(msg));
	if (status)
		return fail_file(path, err, errlen, msg);
	return 0;
}

int replay_load_signals(const char *path, struct model *m, int sigfd,
			char *err, size_t errlen)
{
	return load_file(path, m, sigfd, false, NULL, 0, err, errlen);
}

int replay_load_recover(const char *path, struct model *m, int sigfd,
			char *note, size_t notelen, char *err, size_t errlen)
{
	note[0] = '\0';
	return load_file(path, m, sigfd, true, note, notelen, err, errlen);
}
