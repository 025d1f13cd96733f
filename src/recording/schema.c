/*
 * schema.c - the schema walk: the tables of schema.h made into arrays,
 * and the one writer and the one reader of their rows (see schema.h).
 *
 * Data model: a row says where its member lies in the object's C struct
 * (an offset and a size), so one loop writes every row of an object with
 * cJSON and one loop reads it back, checked; the rows code writes (the
 * arrays, the objects, what is computed) are handed to a callback in
 * their place, so that the members keep the table's order.
 *
 * The reader's checks (presence, type, range, a whole number) name the
 * JSON path of what is wrong: "runs[1].samples[40].t: time goes
 * backwards ...".
 */
#include "src/recording/schema.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "src/core/mapgroups.h"
#include "src/report/summary.h"
#include "src/util/macros.h"
#include "src/util/text.h"

/* ---- the tables ---- */

#define AT(m) .off = offsetof(SCHEMA_T, m), .size = sizeof(((SCHEMA_T *)0)->m)
#define AT_HAVE(m, h) AT(m), .have = offsetof(SCHEMA_T, h) + 1
#define AT_CHILD(m, o) AT(m), .child = &schema_##o
#define NOWHERE .size = 0
#define CHILD(o) .child = &schema_##o
#define ROW_(id, k, t, fl, where, l, h, u, d) \
	{ .key = k, .type = t, .flags = fl, where, .lo = l, .hi = h, .unit = u, .doc = d },
#define TABLE_(lower, upper, name) \
	static const struct schema_field lower##_rows[] = { SCHEMA_##upper(ROW_) }; \
	const struct schema_object schema_##lower = { name, lower##_rows, ARRAY_SIZE(lower##_rows) };

#define SCHEMA_T struct model
TABLE_(top, TOP, "top")
TABLE_(header, HEADER, "shmviz")
TABLE_(sampler, SAMPLER, "sampler")
#undef SCHEMA_T
#define SCHEMA_T struct host_info
TABLE_(host, HOST, "host")
#undef SCHEMA_T
#define SCHEMA_T struct model_config
TABLE_(config, CONFIG, "config")
#undef SCHEMA_T
#define SCHEMA_T struct run
TABLE_(run, RUN, "run")
#undef SCHEMA_T
#define SCHEMA_T struct phase
TABLE_(phase, PHASE, "phase")
#undef SCHEMA_T
#define SCHEMA_T struct result_view
TABLE_(result, RESULT, "result")
#undef SCHEMA_T
#define SCHEMA_T struct point
TABLE_(peak, PEAK, "peak")
TABLE_(total, TOTAL, "total")
#undef SCHEMA_T
#define SCHEMA_T struct kernel_peak
TABLE_(kernel_peak, KPEAK, "kernel_peak")
#undef SCHEMA_T
#define SCHEMA_T struct decay
TABLE_(decay, DECAY, "decay")
#undef SCHEMA_T
#define SCHEMA_T struct decay_fig
TABLE_(decay_fig, DECAY_FIG, "decay_fig")
#undef SCHEMA_T
#define SCHEMA_T struct decay_proc
TABLE_(decay_member, DECAY_MEMBER, "decay_member")
#undef SCHEMA_T
#define SCHEMA_T struct projection_view
TABLE_(projection, PROJECTION, "projection")
#undef SCHEMA_T
#define SCHEMA_T struct proc_row
TABLE_(proc, PROC, "proc")
#undef SCHEMA_T
#define SCHEMA_T struct map_snap
TABLE_(msnap, MSNAP, "mappings")
#undef SCHEMA_T
#define SCHEMA_T struct map_proc
TABLE_(map_proc, MAP_PROC, "map_proc")
#undef SCHEMA_T
#define SCHEMA_T struct map_group
TABLE_(group, GROUP, "group")
#undef SCHEMA_T
#define SCHEMA_T struct round_figs
TABLE_(round, ROUND, "round")
#undef SCHEMA_T
#define SCHEMA_T struct round_stats
TABLE_(stats, STATS, "stats")
#undef SCHEMA_T
/* objects written by code alone */
#define SCHEMA_T char
TABLE_(sample, SAMPLE, "sample")
TABLE_(summary, SUMMARY, "summary")
TABLE_(comparison, COMPARISON, "comparison")
TABLE_(repeat, REPEAT, "repeat")
TABLE_(repeat_run, REPEAT_RUN, "repeat_run")
TABLE_(csv, CSV, "csv")
TABLE_(trace, TRACE, "trace")
TABLE_(trace_event, TRACE_EVENT, "trace_event")
TABLE_(trace_mem, TRACE_MEM, "trace_mem")
TABLE_(trace_args, TRACE_ARGS, "trace_args")
TABLE_(trace_meta, TRACE_META, "trace_meta")
#undef SCHEMA_T

/* ---- the writer ---- */

static const void *at(const void *base, const struct schema_field *f)
{
	return (const char *)base + f->off;
}

static int64_t int_of(const void *base, const struct schema_field *f)
{
	const void *p = at(base, f);

	switch (f->type) {
	case ST_INT:
	case ST_ROLE:
		return *(const int *)p;
	case ST_LONG:
		return *(const long *)p;
	case ST_I64:
		return *(const int64_t *)p;
	case ST_U64:
		return (int64_t)*(const uint64_t *)p;
	case ST_BOOL:
		return *(const bool *)p;
	default:
		return 0;
	}
}

static bool known(const void *base, const struct schema_field *f)
{
	return !f->have || *((const bool *)base + f->have - 1);
}

/* Whether the row's value is written null */
static bool is_null(const void *base, const struct schema_field *f)
{
	if (!known(base, f))
		return true;
	if (f->type == ST_DBL) {
		double d = *(const double *)at(base, f);

		return ((f->flags & SF_NEG) && d < 0) || ((f->flags & SF_POS) && d <= 0);
	}
	if (f->type == ST_TEXT)
		return (f->flags & SF_EMPTY) && !*(const char *)at(base, f);
	if (f->type == ST_I64) {
		int64_t v = int_of(base, f);

		return v == MODEL_KB_NONE || (!(f->flags & SF_SIGNED) && v < 0);
	}
	if (f->type == ST_INT || f->type == ST_LONG) {
		int64_t v = int_of(base, f);

		return ((f->flags & SF_NEG) && v < 0) || ((f->flags & SF_POS) && v <= 0);
	}
	return false;
}

/* SF_OMIT: nothing to say */
static bool is_empty(const void *base, const struct schema_field *f)
{
	if (f->type == ST_TEXT)
		return !*(const char *)at(base, f);
	if (f->type == ST_DBL)
		return *(const double *)at(base, f) == 0;
	return int_of(base, f) == 0;
}

static void put_text(cJSON *o, const char *key, const char *raw)
{
	char clean[MODEL_TEXT_MAX * 3];

	text_sanitize(clean, sizeof(clean), raw, strlen(raw), false);
	cJSON_AddStringToObject(o, key, clean);
}

static void put_figures(cJSON *o, const struct schema_field *f, const void *base)
{
	const struct smaps_kb *mem = at(base, f);

	for (size_t i = 0; i < SMAPS_NFIELDS; i++) {
		int64_t v = smaps_get(mem, i);

		if (f->lo && !(smaps_fields[i].flags & (unsigned)f->lo))
			continue;
		if (v < 0)
			cJSON_AddNullToObject(o, smaps_fields[i].json);
		else
			cJSON_AddNumberToObject(o, smaps_fields[i].json, (double)v);
	}
}

void schema_put_row(cJSON *o, const struct schema_field *f, const void *base)
{
	const void *p = at(base, f);
	char letter[2];

	if (f->type == ST_FIGURES) {
		put_figures(o, f, base);
		return;
	}
	if (f->type == ST_MERGE) {
		schema_put(o, f->child, p, NULL, NULL);
		return;
	}
	if (is_null(base, f)) {
		cJSON_AddNullToObject(o, f->key);
		return;
	}
	switch (f->type) {
	case ST_DBL:
		cJSON_AddNumberToObject(o, f->key, *(const double *)p);
		break;
	case ST_BOOL:
		cJSON_AddBoolToObject(o, f->key, *(const bool *)p);
		break;
	case ST_TEXT:
		put_text(o, f->key, p);
		break;
	case ST_CHAR:
		letter[0] = *(const char *)p;
		letter[1] = '\0';
		put_text(o, f->key, letter);
		break;
	case ST_ROLE:
		cJSON_AddStringToObject(o, f->key, model_role_name((enum proc_role)*(const int *)p));
		break;
	case ST_SMAPS:
		cJSON_AddStringToObject(o, f->key,
					model_smaps_state_name(*(const enum smaps_state *)p));
		break;
	case ST_STATE:
		cJSON_AddStringToObject(o, f->key, model_state_name(*(const enum run_state *)p));
		break;
	default:
		cJSON_AddNumberToObject(o, f->key, (double)int_of(base, f));
		break;
	}
}

void schema_put(cJSON *o, const struct schema_object *obj, const void *base,
		schema_put_fn fn, void *arg)
{
	schema_put_rows(o, obj, 0, obj->n, base, fn, arg);
}

void schema_put_rows(cJSON *o, const struct schema_object *obj, size_t first,
		     size_t end, const void *base, schema_put_fn fn, void *arg)
{
	bool wrote = false;

	for (size_t i = first; o && i < end; i++) {
		const struct schema_field *f = &obj->fields[i];
		bool mine = f->size && f->type != ST_OBJECT && f->type != ST_ARRAY;

		if (!mine) {
			if (fn)
				fn(o, obj, i, base, arg);
			wrote = true;
			continue;
		}
		if (((f->flags & SF_AFTER) && !wrote) ||
		    ((f->flags & SF_OMIT) && is_empty(base, f))) {
			wrote = false;
			continue;
		}
		schema_put_row(o, f, base);
		wrote = true;
	}
}

/* ---- the reader's path and problems ---- */

void schema_bad(struct schema_ctx *c, const char *fmt, ...)
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

static size_t push(struct schema_ctx *c, int n)
{
	size_t old = c->plen;

	if (n > 0)
		c->plen += (size_t)n < sizeof(c->path) - c->plen ?
			   (size_t)n : sizeof(c->path) - c->plen - 1;
	return old;
}

/* Appends ".key" (or "key" at the top) to the path; returns the length to
 * restore with schema_pop(). */
size_t schema_push_key(struct schema_ctx *c, const char *key)
{
	return push(c, snprintf(c->path + c->plen, sizeof(c->path) - c->plen,
				"%s%s", c->plen ? "." : "", key));
}

size_t schema_push_index(struct schema_ctx *c, size_t i)
{
	return push(c, snprintf(c->path + c->plen, sizeof(c->path) - c->plen,
				"[%zu]", i));
}

void schema_pop(struct schema_ctx *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

const char *schema_type_name(const cJSON *v)
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

/* ---- the reader ---- */

static bool whole(const struct schema_field *f)
{
	return f->type != ST_DBL;
}

/* The member key of o: NULL when absent (an error when required) or null
 * (an error unless nullable). */
static const cJSON *member(struct schema_ctx *c, const cJSON *o, const char *key,
			   bool req, bool nullable)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	size_t old;

	if (c->failed)
		return NULL;
	if (v && !cJSON_IsNull(v))
		return v;
	if ((!v && req) || (v && !nullable)) {
		old = schema_push_key(c, key);
		schema_bad(c, v ? "null where a value is needed" : "missing");
		schema_pop(c, old);
	}
	return NULL;
}

static const cJSON *row_member(struct schema_ctx *c, const cJSON *o,
			       const struct schema_field *f)
{
	return member(c, o, f->key, f->flags & SF_REQ, f->flags & SF_NULL);
}

static int check_number(struct schema_ctx *c, const cJSON *v, double min,
			double max, bool integer, double *out)
{
	char a[32], b[32], x[32];
	double d;

	if (!cJSON_IsNumber(v)) {
		schema_bad(c, "%s where a number is needed", schema_type_name(v));
		return -1;
	}
	d = v->valuedouble;
	if (!isfinite(d)) {
		schema_bad(c, "the number is too large");
		return -1;
	}
	if (d < 0 && min >= 0) {
		schema_bad(c, "%s is negative", show(x, sizeof(x), d));
		return -1;
	}
	if (d < min || d > max) {
		schema_bad(c, "%s is out of range (%s to %s)", show(x, sizeof(x), d),
			   show(a, sizeof(a), min), show(b, sizeof(b), max));
		return -1;
	}
	if (integer && d != floor(d)) {
		schema_bad(c, "%g is not a whole number", d);
		return -1;
	}
	*out = d;
	return 1;
}

int schema_get_number(struct schema_ctx *c, const cJSON *o,
		      const struct schema_field *f, double *out)
{
	const cJSON *v = row_member(c, o, f);
	size_t old;
	int got;

	if (!v)
		return c->failed ? -1 : 0;
	old = schema_push_key(c, f->key);
	got = check_number(c, v, f->lo < f->hi ? f->lo : -1e300,
			   f->lo < f->hi ? f->hi : 1e300, whole(f), out);
	schema_pop(c, old);
	return got;
}

/* A string, made safe to show (control characters replaced) and cut to
 * cap bytes on a character boundary. */
int schema_get_string(struct schema_ctx *c, const cJSON *o,
		      const struct schema_field *f, char *dst, size_t cap)
{
	const cJSON *v = row_member(c, o, f);
	size_t old;

	if (!v)
		return c->failed ? -1 : 0;
	if (!cJSON_IsString(v) || !v->valuestring) {
		old = schema_push_key(c, f->key);
		schema_bad(c, "%s where a string is needed", schema_type_name(v));
		schema_pop(c, old);
		return -1;
	}
	text_sanitize(dst, cap, v->valuestring, strlen(v->valuestring), false);
	return 1;
}

bool schema_get_bool(struct schema_ctx *c, const cJSON *o,
		     const struct schema_field *f, bool *out)
{
	const cJSON *v = row_member(c, o, f);
	size_t old;

	if (!v)
		return !c->failed;
	if (!cJSON_IsBool(v)) {
		old = schema_push_key(c, f->key);
		schema_bad(c, "%s where true or false is needed", schema_type_name(v));
		schema_pop(c, old);
		return false;
	}
	*out = cJSON_IsTrue(v);
	return true;
}

static const cJSON *get_kind(struct schema_ctx *c, const cJSON *o,
			     const struct schema_field *f,
			     cJSON_bool (*is)(const cJSON *), const char *kind)
{
	const cJSON *v = row_member(c, o, f);
	size_t old;

	if (v && !is(v)) {
		old = schema_push_key(c, f->key);
		schema_bad(c, "%s where %s is needed", schema_type_name(v), kind);
		schema_pop(c, old);
		return NULL;
	}
	return v;
}

const cJSON *schema_get_object(struct schema_ctx *c, const cJSON *o,
			       const struct schema_field *f)
{
	return get_kind(c, o, f, cJSON_IsObject, "an object");
}

const cJSON *schema_get_array(struct schema_ctx *c, const cJSON *o,
			      const struct schema_field *f)
{
	return get_kind(c, o, f, cJSON_IsArray, "an array");
}

bool schema_is_object_item(struct schema_ctx *c, const cJSON *v)
{
	if (cJSON_IsObject(v))
		return true;
	schema_bad(c, "%s where an object is needed", schema_type_name(v));
	return false;
}

/* The figures of the smaps list a row of ST_FIGURES holds */
static void get_figures(struct schema_ctx *c, const cJSON *o,
			const struct schema_field *f, struct smaps_kb *out)
{
	for (size_t i = 0; i < SMAPS_NFIELDS; i++) {
		unsigned fl = smaps_fields[i].flags;
		struct schema_field one = {
			.key = smaps_fields[i].json, .type = ST_I64,
			.flags = SF_NULL | ((fl & (unsigned)f->hi) == (unsigned)f->hi &&
					    f->hi ? SF_REQ : 0),
			.lo = 0, .hi = KB_MAX_,
		};
		double d = 0;

		if (f->lo && !(fl & (unsigned)f->lo))
			continue;
		smaps_set(out, i, schema_get_number(c, o, &one, &d) == 1 ?
			  (int64_t)d : MODEL_KB_NONE);
	}
}

/* a name of an enum: the parser, and the names it takes for the message */
static bool get_name(struct schema_ctx *c, const cJSON *o,
		     const struct schema_field *f, void *p)
{
	char s[MODEL_NAME_MAX];
	const char *names = "";
	bool ok = true;
	size_t old;

	if (schema_get_string(c, o, f, s, sizeof(s)) != 1)
		return !c->failed;
	if (f->type == ST_ROLE) {
		enum proc_role r;

		names = "parent, worker, helper, child";
		ok = model_role_parse(s, &r);
		if (ok)
			*(int *)p = (int)r;
	} else if (f->type == ST_SMAPS) {
		names = "none, read, exact, estimated, held, unreadable, gone";
		ok = model_smaps_state_parse(s, p);
	} else {
		names = "waiting, running, done, failed, stopped";
		ok = model_state_parse(s, p);
	}
	if (!ok) {
		old = schema_push_key(c, f->key);
		schema_bad(c, "'%s' is not one of %s", s, names);
		schema_pop(c, old);
	}
	return ok;
}

static void set_number(const struct schema_field *f, void *p, double d)
{
	switch (f->type) {
	case ST_INT:
		*(int *)p = (int)d;
		break;
	case ST_LONG:
		*(long *)p = (long)d;
		break;
	case ST_U64:
		*(uint64_t *)p = (uint64_t)d;
		break;
	case ST_I64:
		*(int64_t *)p = (int64_t)d;
		break;
	default:
		*(double *)p = d;
		break;
	}
}

/* One row into its member */
void schema_get_row(struct schema_ctx *c, const cJSON *o,
		    const struct schema_field *f, void *base)
{
	void *p = (char *)base + f->off;
	double d = 0;
	char letter[8];
	int got;

	switch (f->type) {
	case ST_FIGURES:
		get_figures(c, o, f, p);
		return;
	case ST_MERGE:
		schema_get(c, o, f->child, p);
		return;
	case ST_BOOL:
		schema_get_bool(c, o, f, p);
		return;
	case ST_TEXT:
		schema_get_string(c, o, f, p, f->size);
		return;
	case ST_CHAR:
		if (schema_get_string(c, o, f, letter, sizeof(letter)) == 1 &&
		    letter[0] && !letter[1])
			*(char *)p = letter[0];
		return;
	case ST_ROLE:
	case ST_SMAPS:
	case ST_STATE:
		get_name(c, o, f, p);
		return;
	default:
		break;
	}
	got = schema_get_number(c, o, f, &d);
	if (f->have)
		*((bool *)base + f->have - 1) = got == 1;
	if (got == 1)
		set_number(f, p, d);
	else if (f->type == ST_I64)
		*(int64_t *)p = MODEL_KB_NONE;
	else if (f->flags & SF_NEG)
		set_number(f, p, -1);
}

/* A derived row: checked, nothing kept */
static void check_row(struct schema_ctx *c, const cJSON *o,
		      const struct schema_field *f)
{
	char text[MODEL_TEXT_MAX];
	double d;
	bool b;

	switch (f->type) {
	case ST_OBJECT:
		schema_get_object(c, o, f);
		break;
	case ST_ARRAY:
		schema_get_array(c, o, f);
		break;
	case ST_BOOL:
		schema_get_bool(c, o, f, &b);
		break;
	case ST_TEXT:
		schema_get_string(c, o, f, text, sizeof(text));
		break;
	default:
		schema_get_number(c, o, f, &d);
		break;
	}
}

bool schema_get(struct schema_ctx *c, const cJSON *o,
		const struct schema_object *obj, void *base)
{
	for (size_t i = 0; i < obj->n && !c->failed; i++) {
		const struct schema_field *f = &obj->fields[i];

		if (f->flags & (SF_CODE | SF_BLANK))
			continue;
		if (f->flags & SF_DERIVED)
			check_row(c, o, f);
		else if (f->size && f->type != ST_OBJECT && f->type != ST_ARRAY)
			schema_get_row(c, o, f, base);
	}
	return !c->failed;
}

/* ---- keys ---- */

const struct schema_field *schema_find(const struct schema_object *obj,
				       const char *k, size_t n, int *fig)
{
	*fig = -1;
	for (size_t i = 0; i < obj->n; i++) {
		const struct schema_field *f = &obj->fields[i];

		if (f->type == ST_MERGE) {
			const struct schema_field *in = schema_find(f->child, k, n, fig);

			if (in)
				return in;
		} else if (f->type == ST_FIGURES) {
			int s = smaps_field_by_json(k, n);

			if (s >= 0 && (!f->lo || (smaps_fields[s].flags & (unsigned)f->lo))) {
				*fig = s;
				return f;
			}
		} else if (strlen(f->key) == n && memcmp(f->key, k, n) == 0) {
			return f;
		}
	}
	return NULL;
}
