/*
 * record.c - streaming JSON recorder (see record.h and docs/recording.md).
 *
 * The document is written piecewise: cJSON prints every object, built by
 * walking its table of schema.h (schema_put(): the rows that have a member
 * by themselves, the arrays and objects through the put_* callbacks here),
 * and only the structure between them (the runs' array, a run's samples)
 * is written here, its punctuation by hand and its keys from the tables
 * (put_key()). A run's object is opened with its samples' array and every
 * tick prints one sample object; at the run's end the rest of its members
 * are printed by cJSON from a full object and spliced in after them.
 *
 * The temporary file is made with O_TMPFILE where the file system allows
 * (mode 0600, in the target's directory): it has no name until the commit,
 * so even a SIGKILL of shmviz leaves nothing behind. At the commit it gets
 * a fresh name (linkat: fails rather than replace) and is renamed over the
 * target. Elsewhere mkostemp (0600, O_EXCL) makes a named one, removed on
 * every way out but SIGKILL.
 *
 * The committed file gets the mode the umask gives, unless a process it
 * holds was not the caller's own (root recording another user's tree with
 * --attach and --mappings: paths and names /proc hides from everyone
 * else): then 0600. A process's owner is the owner of /proc/PID (its
 * effective uid; root for one that is not dumpable), looked at when its
 * row is first written and whenever its name changes (an exec of a setuid
 * program): a stat, never on a row written unchanged.
 */
#include "src/recording/record.h"
#include "src/recording/decayjson.h"
#include "src/recording/schema.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "src/core/mapgroups.h"
#include "src/report/summary.h"
#include "src/util/outpath.h"
#include "src/util/text.h"

/* bytes written at a time (glibc ignores a size without a buffer) */
#define RECORD_BUF 65536

struct recorder {
	FILE *f;
	char *buf;         /* f's buffer, freed after f is closed */
	char *path;        /* target */
	char *dir;         /* the target's directory */
	char *tmp;         /* temporary file's name, NULL while it has none */
	bool anonymous;    /* O_TMPFILE: no name until the commit */
	bool to_stdout;
	bool committed;
	bool foreign;      /* holds a process that is not the caller's own */
	bool begun;        /* the header is written */
	bool in_run;
	size_t nsamples;   /* of the open run */
	size_t runs_written;
	/* --repeat: every round's runs go to the spool (an unnamed file
	 * beside the target), each run's object at spans[round][run]; the
	 * commit copies those of the round the model shows */
	FILE *spool;
	int round;         /* of the run that begins next */
	size_t run;        /* its index in runs[] */
	struct span {
		long off, end; /* end 0: the run's object is not whole */
	} (*spans)[MODEL_MAX_RUNS];
	/* the previous sample's processes as printed: a row unchanged since
	 * (a tree at rest) is written from here, not printed again */
	struct printed_proc {
		struct proc_row row;
		char *json;
	} *printed;
	size_t nprinted, printed_cap;
	char shown[OUTPATH_SHOWN_MAX + 1]; /* the path as error lines show it */
	char error[1024];
};

static void forget_printed(struct recorder *rc)
{
	for (size_t i = 0; i < rc->nprinted; i++)
		free(rc->printed[i].json);
	rc->nprinted = 0;
}

static void set_error(struct recorder *rc, const char *what, int err)
{
	if (!rc->error[0])
		snprintf(rc->error, sizeof(rc->error), "%s %s: %s", what,
			 rc->to_stdout ? "standard output" : rc->shown,
			 strerror(err));
}

const char *record_error(const struct recorder *rc)
{
	return rc->error;
}

struct recorder *record_create(const char *path, bool force, char *err,
			       size_t errlen)
{
	struct recorder *rc = calloc(1, sizeof(*rc));
	struct stat st;
	char *dircopy = NULL, *basecopy = NULL;
	int fd = -1;

	if (!rc)
		goto nomem;
	if (strcmp(path, "-") == 0) {
		rc->to_stdout = true;
		rc->f = stdout;
		return rc;
	}
	rc->path = strdup(path);
	if (!rc->path)
		goto nomem;
	text_shown(rc->shown, sizeof(rc->shown), path, OUTPATH_SHOWN_MAX);
	/* a directory, a FIFO, a device node, a socket, a symlink to a stream
	 * (/dev/stdout): never replaced by a file */
	if (outpath_check(path, true, "cannot record to",
			  "--record - streams to standard output", err, errlen))
		goto fail;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && !force) {
		snprintf(err, errlen, "refusing to record through the symlink %s (--force replaces it)",
			 rc->shown);
		goto fail;
	}
	dircopy = strdup(path);
	basecopy = strdup(path);
	if (!dircopy || !basecopy)
		goto nomem;
	rc->dir = strdup(dirname(dircopy));
	if (!rc->dir)
		goto nomem;
	fd = outpath_temp(rc->dir, basename(basecopy), &rc->tmp);
	rc->anonymous = fd >= 0 && !rc->tmp;
	if (fd < 0) {
		snprintf(err, errlen, "cannot record to %s: %s", rc->shown, strerror(errno));
		goto fail;
	}
	rc->f = fdopen(fd, "w");
	if (!rc->f) {
		snprintf(err, errlen, "cannot record to %s: %s", rc->shown, strerror(errno));
		close(fd);
		goto fail;
	}
	/* a sample is a few kB: write 64 kB at a time, not one a tick (the
	 * file is a temporary one until the commit, so nothing is lost) */
	rc->buf = malloc(RECORD_BUF);
	if (rc->buf)
		setvbuf(rc->f, rc->buf, _IOFBF, RECORD_BUF);
	free(dircopy);
	free(basecopy);
	return rc;
nomem:
	snprintf(err, errlen, "out of memory");
fail:
	free(dircopy);
	free(basecopy);
	record_destroy(rc);
	return NULL;
}

void record_destroy(struct recorder *rc)
{
	if (!rc)
		return;
	if (rc->f && !rc->to_stdout)
		fclose(rc->f);
	if (rc->spool)
		fclose(rc->spool);
	free(rc->spans);
	if (rc->tmp && !rc->committed)
		unlink(rc->tmp);
	free(rc->tmp);
	free(rc->path);
	free(rc->dir);
	forget_printed(rc);
	free(rc->printed);
	free(rc->buf);
	free(rc);
}

static bool put(struct recorder *rc, const char *s)
{
	if (rc->error[0])
		return false;
	if (fputs(s, rc->in_run && rc->spool ? rc->spool : rc->f) == EOF) {
		set_error(rc, "cannot write", errno ? errno : EIO);
		return false;
	}
	return true;
}

/* pre "key": post, the key from the tables (schema.h) */
static bool put_key(struct recorder *rc, const char *pre, const char *key,
		    const char *post)
{
	return put(rc, pre) && put(rc, "\"") && put(rc, key) && put(rc, "\":") &&
	       put(rc, post);
}

/* Prints obj and writes it whole (members_only: without its braces). */
static bool put_json(struct recorder *rc, const cJSON *obj, bool members_only)
{
	char *s = cJSON_PrintUnformatted(obj);
	bool ok;

	if (!s) {
		set_error(rc, "cannot print JSON for", ENOMEM);
		return false;
	}
	if (members_only) {
		size_t len = strlen(s);

		if (len < 2) {
			free(s);
			return true;
		}
		s[len - 1] = '\0';
		ok = len == 2 || (put(rc, ",") && put(rc, s + 1));
	} else {
		ok = put(rc, s);
	}
	free(s);
	return ok;
}

/* ---- the objects, from the tables (schema.h) ---- */

static cJSON *proc_json(const struct proc_row *w)
{
	cJSON *o = cJSON_CreateObject();

	schema_put(o, &schema_proc, w, NULL, NULL);
	return o;
}

static cJSON *total_json(const struct point *p)
{
	cJSON *o = cJSON_CreateObject();
	struct point v = *p;

	/* partial and 0: no process's smaps could be read, so no figure */
	if (v.pss_partial && v.pss_kb <= 0)
		v.pss_kb = MODEL_KB_NONE;
	if (v.pss_partial && v.uss_kb <= 0)
		v.uss_kb = MODEL_KB_NONE;
	schema_put(o, &schema_total, &v, NULL, NULL);
	return o;
}

/* the pids whose counters moved since the tick before: why a sample is
 * not consistent */
static void add_moved(cJSON *o, const struct proc_row *rows, size_t n)
{
	cJSON *moved = cJSON_AddArrayToObject(o, K(sample, moved));

	for (size_t i = 0; moved && i < n; i++)
		if (rows[i].moved)
			cJSON_AddItemToArray(moved, cJSON_CreateNumber(rows[i].pid));
}

static void put_sample(cJSON *o, const struct schema_object *obj, size_t row,
		       const void *base, void *arg)
{
	const struct frame *f = base;
	const struct proc_row *rows = run_frame_rows(arg, f);
	cJSON *procs;

	(void)obj;
	switch (row) {
	case SCHEMA_sample_t:
		cJSON_AddNumberToObject(o, K(sample, t), f->t);
		break;
	case SCHEMA_sample_procs:
		procs = cJSON_AddArrayToObject(o, K(sample, procs));
		for (size_t i = 0; procs && i < f->n; i++)
			cJSON_AddItemToArray(procs, proc_json(&rows[i]));
		break;
	case SCHEMA_sample_total:
		cJSON_AddItemToObject(o, K(sample, total), total_json(&f->total));
		break;
	default:
		add_moved(o, rows, f->n);
		break;
	}
}

static cJSON *sample_json(const struct run *r, const struct frame *f)
{
	cJSON *o = cJSON_CreateObject();

	schema_put(o, &schema_sample, f, put_sample, (void *)r);
	return o;
}

/* a group's kind, its range, and (run groups) its processes */
static void put_group(cJSON *o, const struct schema_object *obj, size_t row,
		      const void *base, void *arg)
{
	const struct map_group *g = base;
	char addr[40];

	(void)obj;
	if (row == SCHEMA_group_kind) {
		cJSON_AddStringToObject(o, K(group, kind), mapping_kind_name(g->kind));
	} else if (row == SCHEMA_group_addr && g->end) {
		snprintf(addr, sizeof(addr), "%" PRIx64 "-%" PRIx64, g->start, g->end);
		cJSON_AddStringToObject(o, K(group, addr), addr);
	} else if (row == SCHEMA_group_processes && *(const bool *)arg) {
		cJSON_AddNumberToObject(o, K(group, processes), g->nprocs);
	}
}

static cJSON *group_json(const struct map_group *g, bool run)
{
	cJSON *o = cJSON_CreateObject();

	schema_put(o, &schema_group, g, put_group, &run);
	return o;
}

static void put_map_proc(cJSON *o, const struct schema_object *obj, size_t row,
			 const void *base, void *arg)
{
	const struct map_proc *p = base;
	const struct map_snap *s = arg;
	cJSON *pg = cJSON_AddArrayToObject(o, K(map_proc, groups));

	(void)obj;
	(void)row;
	for (size_t k = 0; pg && k < p->n; k++)
		cJSON_AddItemToArray(pg, group_json(&s->groups[p->first + k], false));
}

static void put_msnap(cJSON *o, const struct schema_object *obj, size_t row,
		      const void *base, void *arg)
{
	const struct map_snap *s = base;
	struct map_group *sum = NULL;
	size_t nsum = 0;
	cJSON *list;

	(void)obj;
	(void)arg;
	if (row == SCHEMA_msnap_procs) {
		list = cJSON_AddArrayToObject(o, K(msnap, procs));
		for (size_t i = 0; list && i < s->nprocs; i++) {
			cJSON *po = cJSON_CreateObject();

			schema_put(po, &schema_map_proc, &s->procs[i], put_map_proc,
				   (void *)s);
			cJSON_AddItemToArray(list, po);
		}
	} else if (row == SCHEMA_msnap_groups) {
		list = cJSON_AddArrayToObject(o, K(msnap, groups));
		if (list && mapgroups_sum(s, &sum, &nsum)) {
			for (size_t k = 0; k < nsum; k++)
				cJSON_AddItemToArray(list, group_json(&sum[k], true));
			free(sum);
		}
	}
}

/* one snapshot of mappings groups (docs/recording.md, "Mappings") */
static cJSON *msnap_json(const struct map_snap *s)
{
	cJSON *o = cJSON_CreateObject();

	schema_put(o, &schema_msnap, s, put_msnap, NULL);
	return o;
}

/* an object of the run of one table, at key */
static void add_object(cJSON *o, const char *key, const struct schema_object *obj,
		       const void *base)
{
	cJSON *x = cJSON_AddObjectToObject(o, key);

	schema_put(x, obj, base, NULL, NULL);
}

static void add_result(cJSON *o, const struct run *r)
{
	struct result_view v = {
		.r = r->result,
		.done = run_state_ended(r->state),
		.compute = run_phase_find(r, "compute") != NULL,
	};

	add_object(o, K(run, result), &schema_result, &v);
}

/* the peak's rows computed from the run: its upper end (null without a
 * peak) and its consistent samples */
static void put_peak(cJSON *o, const struct schema_object *obj, size_t row,
		     const void *base, void *arg)
{
	const struct run *r = arg;
	int64_t hi = run_peak_high_kb(r);

	(void)obj;
	(void)base;
	/* null with the peak's ΣPSS (add_peak) */
	if (row == SCHEMA_peak_pss_high_kb && hi >= 0 &&
	    !(r->peak.pss_partial && r->peak.pss_kb <= 0))
		cJSON_AddNumberToObject(o, K(peak, pss_high_kb), (double)hi);
	else if (row == SCHEMA_peak_pss_high_kb)
		cJSON_AddNullToObject(o, K(peak, pss_high_kb));
	else if (row == SCHEMA_peak_consistent_samples)
		cJSON_AddNumberToObject(o, K(peak, consistent_samples), (double)r->nconsistent);
}

/* the smaps peaks are those of the sample with the highest lower bound
 * of ΣPSS: null when no sample had a bound, or when no smaps_rollup could
 * be read (a lower bound when some could not) */
static void add_peak(cJSON *o, const struct run *r)
{
	struct point v = r->peak;
	bool none = !run_has_peak(r);

	if (none || (v.pss_partial && v.pss_kb <= 0))
		v.pss_kb = MODEL_KB_NONE;
	if (none || (v.pss_partial && v.uss_kb <= 0))
		v.uss_kb = MODEL_KB_NONE;
	if (none) {
		v.pss_bound_kb = MODEL_KB_NONE;
		v.shared_dirty_kb = MODEL_KB_NONE;
	}
	schema_put(cJSON_AddObjectToObject(o, K(run, peak)), &schema_peak, &v,
		   put_peak, (void *)r);
}

/* --project N: the figures and ΣPSS projected (docs/recording.md,
 * "Projection") */
static void add_projection(cJSON *o, const struct run *r)
{
	struct projection_view v = { r->proj, r->proj.private_kb >= 0 };
	cJSON *pj;

	if (r->proj.workers <= 0)
		return;
	pj = cJSON_AddObjectToObject(o, K(run, projection));
	schema_put(pj, &schema_projection, &v, NULL, NULL);
	if (pj) {
		int64_t pss = run_projection_kb(r, r->proj.workers);

		if (pss < 0)
			cJSON_AddNullToObject(pj, K(projection, pss_kb));
		else
			cJSON_AddNumberToObject(pj, K(projection, pss_kb), (double)pss);
	}
}

static void add_list(cJSON *o, const char *key, const struct schema_object *obj,
		     const void *items, size_t size, size_t n)
{
	cJSON *list = cJSON_AddArrayToObject(o, key);

	for (size_t i = 0; list && i < n; i++) {
		cJSON *x = cJSON_CreateObject();

		schema_put(x, obj, (const char *)items + i * size, NULL, NULL);
		cJSON_AddItemToArray(list, x);
	}
}

static void put_run(cJSON *o, const struct schema_object *obj, size_t row,
		    const void *base, void *arg)
{
	const struct run *r = base;
	cJSON *list;

	(void)obj;
	switch (row) {
	case SCHEMA_run_ok:
		cJSON_AddBoolToObject(o, K(run, ok), r->state == RUN_DONE);
		break;
	case SCHEMA_run_members_missing_samples:
		if (r->nmissing)
			cJSON_AddNumberToObject(o, K(run, members_missing_samples),
						(double)r->nmissing);
		break;
	case SCHEMA_run_phases:
		add_list(o, K(run, phases), &schema_phase, r->phases,
			 sizeof(r->phases[0]), r->nphases);
		break;
	case SCHEMA_run_result:
		add_result(o, r);
		break;
	case SCHEMA_run_peak:
		add_peak(o, r);
		break;
	case SCHEMA_run_kernel_peak:
		add_object(o, K(run, kernel_peak), &schema_kernel_peak, &r->kpeak);
		break;
	case SCHEMA_run_decay:
		decayjson_add(o, r);
		break;
	case SCHEMA_run_projection:
		add_projection(o, r);
		break;
	case SCHEMA_run_mappings:
		list = r->nmsnaps ? cJSON_AddArrayToObject(o, K(run, mappings)) : NULL;
		for (size_t i = 0; list && i < r->nmsnaps; i++)
			cJSON_AddItemToArray(list, msnap_json(&r->msnaps[i]));
		break;
	case SCHEMA_run_samples:
		list = *(const bool *)arg ? cJSON_AddArrayToObject(o, K(run, samples)) : NULL;
		for (size_t i = 0; list && i < r->nframes; i++)
			cJSON_AddItemToArray(list, sample_json(r, &r->frames[i]));
		break;
	default:
		break;
	}
}

cJSON *record_run_json(const struct run *r, bool with_samples)
{
	cJSON *o = cJSON_CreateObject();

	schema_put(o, &schema_run, r, put_run, &with_samples);
	return o;
}

static void add_ratio(cJSON *o, const char *key, double v)
{
	if (v > 0)
		cJSON_AddNumberToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

cJSON *record_summary_json(const struct model *m)
{
	cJSON *o = cJSON_CreateObject(), *list;
	struct comparison c = { 0 };

	if (!o)
		return NULL;
	if (m->nruns >= 2)
		c = model_compare(&m->runs[0], &m->runs[1]);
	cJSON_AddStringToObject(o, K(summary, base), m->nruns ? m->runs[0].name : "");
	add_ratio(o, K(summary, speedup), c.speedup);
	add_ratio(o, K(summary, peak_pss_ratio), c.pss_ratio);
	add_ratio(o, K(summary, peak_rss_ratio), c.rss_ratio);
	add_ratio(o, K(summary, peak_uss_ratio), c.uss_ratio);
	list = cJSON_AddArrayToObject(o, K(summary, comparisons));
	for (size_t i = 1; list && i < m->nruns; i++) {
		cJSON *e = cJSON_CreateObject();

		c = model_compare(&m->runs[0], &m->runs[i]);
		cJSON_AddStringToObject(e, K(comparison, run), m->runs[i].name);
		cJSON_AddStringToObject(e, K(comparison, against), m->runs[0].name);
		add_ratio(e, K(comparison, speedup), c.speedup);
		add_ratio(e, K(comparison, peak_pss_ratio), c.pss_ratio);
		add_ratio(e, K(comparison, peak_rss_ratio), c.rss_ratio);
		add_ratio(e, K(comparison, peak_uss_ratio), c.uss_ratio);
		cJSON_AddItemToArray(list, e);
	}
	return o;
}

/* ---- the stream ---- */

/* --repeat: the spool, in the target's directory as the recording is
 * (the standard temporary directory for standard output) */
static bool open_spool(struct recorder *rc)
{
	int fd = rc->dir ? open(rc->dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600) : -1;

	rc->spool = fd >= 0 ? fdopen(fd, "w+") : tmpfile();
	if (!rc->spool && fd >= 0)
		close(fd);
	rc->spans = calloc(MODEL_ROUNDS_MAX, sizeof(*rc->spans));
	if (!rc->spool || !rc->spans) {
		set_error(rc, "cannot make a temporary file for the rounds of",
			  errno ? errno : ENOMEM);
		return false;
	}
	return true;
}

static struct span *span_of(struct recorder *rc, int round, size_t run)
{
	if (!rc->spans || round < 0 || round >= MODEL_ROUNDS_MAX ||
	    run >= MODEL_MAX_RUNS)
		return NULL;
	return &rc->spans[round][run];
}

/* Copies run i of the round shown from the spool into the recording;
 * false when it has none whole there. */
static bool copy_span(struct recorder *rc, int round, size_t i, bool *ok)
{
	struct span *sp = span_of(rc, round, i);
	char buf[RECORD_BUF];
	long left;

	if (!sp || sp->end <= sp->off)
		return false;
	if (fflush(rc->spool) != 0 || fseek(rc->spool, sp->off, SEEK_SET) != 0) {
		set_error(rc, "cannot read the rounds of", errno);
		*ok = false;
		return true;
	}
	*ok = *ok && put(rc, i ? "," : "");
	for (left = sp->end - sp->off; *ok && left > 0;) {
		size_t want = left < (long)sizeof(buf) ? (size_t)left : sizeof(buf);
		size_t got = fread(buf, 1, want, rc->spool);

		if (!got || fwrite(buf, 1, got, rc->f) != got) {
			set_error(rc, "cannot write", errno ? errno : EIO);
			*ok = false;
		}
		left -= (long)got;
	}
	fseek(rc->spool, 0, SEEK_END);
	return true;
}

/* --repeat: the runs of the round the model shows, in the order of
 * runs[]; a run that has none there never began in it */
static bool put_round(struct recorder *rc, const struct model *m)
{
	int round = m->shown_round ? m->shown_round - 1 : m->round;
	bool ok = true;

	if (rc->in_run)
		ok = record_run_end(rc, &m->runs[rc->run]);
	for (size_t i = 0; ok && i < m->nruns; i++) {
		cJSON *o;

		if (copy_span(rc, round, i, &ok))
			continue;
		o = record_run_json(&m->runs[i], true);
		if (!o)
			set_error(rc, "cannot build JSON for", ENOMEM);
		ok = o && put(rc, i ? "," : "") && put_json(rc, o, false);
		cJSON_Delete(o);
	}
	rc->runs_written = m->nruns;
	return ok;
}

/* the members before "runs": the writer, the host, the options */
static void put_head(cJSON *o, const struct schema_object *obj, size_t row,
		     const void *base, void *arg)
{
	const struct model *m = base;
	struct model_config cfg = m->config;
	cJSON *x;

	(void)obj;
	(void)arg;
	if (row == SCHEMA_top_shmviz) {
		x = cJSON_AddObjectToObject(o, K(top, shmviz));
		schema_put(x, &schema_header, m, NULL, NULL);
		cJSON_AddNumberToObject(x, K(header, schema), RECORD_SCHEMA);
	} else if (row == SCHEMA_top_host) {
		add_object(o, K(top, host), &schema_host, &m->host);
	} else if (row == SCHEMA_top_config) {
		if (cfg.repeat < 1)
			cfg.repeat = 1;
		add_object(o, K(top, config), &schema_config, &cfg);
	}
}

bool record_begin(struct recorder *rc, const struct model *m)
{
	cJSON *o = cJSON_CreateObject();
	bool ok;

	if (!o) {
		set_error(rc, "cannot build JSON for", ENOMEM);
		return false;
	}
	schema_put_rows(o, &schema_top, 0, SCHEMA_top_runs, m, put_head, NULL);
	if (m->config.repeat > 1 && !open_spool(rc)) {
		cJSON_Delete(o);
		return false;
	}
	/* the header object, left open for "runs" */
	{
		char *s = cJSON_PrintUnformatted(o);
		size_t len = s ? strlen(s) : 0;

		ok = s && len >= 2;
		if (!ok)
			set_error(rc, "cannot print JSON for", ENOMEM);
		if (ok) {
			s[len - 1] = '\0';
			ok = put(rc, s) && put_key(rc, ",", K(top, runs), "[");
		}
		rc->begun = ok;
		free(s);
	}
	cJSON_Delete(o);
	return ok;
}

void record_round(struct recorder *rc, int round, size_t run)
{
	rc->round = round;
	rc->run = run;
}

bool record_run_begin(struct recorder *rc, const struct run *r)
{
	(void)r;
	rc->in_run = true;
	rc->nsamples = 0;
	forget_printed(rc);
	if (rc->spool) {
		struct span *sp = span_of(rc, rc->round, rc->run);

		if (sp) {
			sp->off = ftell(rc->spool);
			sp->end = 0;
		}
		return put_key(rc, "{", K(run, samples), "[");
	}
	return put_key(rc, rc->runs_written ? ",{" : "{", K(run, samples), "[");
}

/* a number as cJSON prints it (cJSON's own printer: the decimal point is
 * '.' whatever LC_NUMERIC says, and the digits are the ones sample_json()
 * would write); false when out of memory */
static bool print_number(char *buf, size_t size, double d)
{
	cJSON *n = cJSON_CreateNumber(d);
	char *s = n ? cJSON_PrintUnformatted(n) : NULL;

	cJSON_Delete(n);
	if (!s)
		return false;
	snprintf(buf, size, "%s", s);
	free(s);
	return true;
}

/* The JSON of row i of the sample: the previous sample's text when the row
 * is the same, byte for byte; NULL when out of memory. */
static const char *proc_text(struct recorder *rc, size_t i, const struct proc_row *row)
{
	struct printed_proc *pp;
	cJSON *o;
	char *s;

	if (i < rc->nprinted && memcmp(&rc->printed[i].row, row, sizeof(*row)) == 0)
		return rc->printed[i].json;
	if (i >= rc->printed_cap) {
		size_t cap = rc->printed_cap ? rc->printed_cap * 2 : 16;
		struct printed_proc *p;

		while (cap <= i)
			cap *= 2;
		p = realloc(rc->printed, cap * sizeof(*p));
		if (!p)
			return NULL;
		rc->printed = p;
		rc->printed_cap = cap;
	}
	o = proc_json(row);
	s = o ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	if (!s)
		return NULL;
	while (rc->nprinted <= i) {
		rc->printed[rc->nprinted].json = NULL;
		rc->nprinted++;
	}
	pp = &rc->printed[i];
	free(pp->json);
	pp->json = s;
	memcpy(&pp->row, row, sizeof(*row));
	return s;
}

/* Notes whether row i, about to be written, is a process of another user
 * (see the top of the file): looked at for a process not in the same
 * place of the previous sample, or renamed since. */
static void note_owner(struct recorder *rc, size_t i, const struct proc_row *row)
{
	const struct proc_row *was = i < rc->nprinted ? &rc->printed[i].row : NULL;
	char path[32];
	struct stat st;

	if (rc->foreign || (was && was->pid == row->pid &&
			    was->start_ticks == row->start_ticks &&
			    strcmp(was->comm, row->comm) == 0))
		return;
	snprintf(path, sizeof(path), "/proc/%d", (int)row->pid);
	/* (one gone already is not known: it was sampled as the caller's) */
	if (stat(path, &st) == 0 && st.st_uid != geteuid())
		rc->foreign = true;
}

/* One sample, {t, procs, total, moved}: the same text sample_json() would
 * print, written piecewise. */
bool record_tick(struct recorder *rc, const struct run *r)
{
	const struct frame *f = run_frame_at(r, -1);
	const struct proc_row *rows;
	char num[40];
	cJSON *total;
	bool ok, first = true;

	if (!f || !rc->in_run)
		return true;
	rows = run_frame_rows(r, f);
	if (!print_number(num, sizeof(num), f->t)) {
		set_error(rc, "cannot build JSON for", ENOMEM);
		return false;
	}
	ok = (!rc->nsamples || put(rc, ",")) && put_key(rc, "{", K(sample, t), num) &&
	     put_key(rc, ",", K(sample, procs), "[");
	for (size_t i = 0; ok && i < f->n; i++) {
		const char *s;

		note_owner(rc, i, &rows[i]);
		s = proc_text(rc, i, &rows[i]);

		if (!s) {
			set_error(rc, "cannot build JSON for", ENOMEM);
			return false;
		}
		ok = (i == 0 || put(rc, ",")) && put(rc, s);
	}
	if (ok && rc->nprinted > f->n) {
		/* fewer processes than before: forget the rest */
		for (size_t i = f->n; i < rc->nprinted; i++)
			free(rc->printed[i].json);
		rc->nprinted = f->n;
	}
	total = ok ? total_json(&f->total) : NULL;
	if (ok && !total) {
		set_error(rc, "cannot build JSON for", ENOMEM);
		return false;
	}
	ok = ok && put_key(rc, "],", K(sample, total), "") &&
	     put_json(rc, total, false) && put_key(rc, ",", K(sample, moved), "[");
	cJSON_Delete(total);
	/* the pids whose counters moved since the tick before: why a sample
	 * is not consistent */
	for (size_t i = 0; ok && i < f->n; i++) {
		if (!rows[i].moved)
			continue;
		snprintf(num, sizeof(num), "%s%d", first ? "" : ",", (int)rows[i].pid);
		first = false;
		ok = put(rc, num);
	}
	ok = ok && put(rc, "]}");
	rc->nsamples++;
	return ok;
}

bool record_run_end(struct recorder *rc, const struct run *r)
{
	cJSON *o;
	bool ok;

	if (!rc->in_run)
		return true;
	o = record_run_json(r, false);
	if (!o)
		set_error(rc, "cannot build JSON for", ENOMEM);
	ok = o && put(rc, "]") && put_json(rc, o, true) && put(rc, "}");
	cJSON_Delete(o);
	if (ok && rc->spool) {
		struct span *sp = span_of(rc, rc->round, rc->run);

		if (sp)
			sp->end = ftell(rc->spool);
	}
	rc->in_run = false;
	rc->runs_written++;
	return ok;
}

/* Gives the anonymous temporary file a name of its own beside the target
 * (outpath_temp_name(): a name someone else made is never taken). */
static bool name_temp(struct recorder *rc, int fd)
{
	char *base = strdup(rc->path);
	int e = base ? outpath_temp_name(fd, rc->dir, basename(base), &rc->tmp) : ENOMEM;

	free(base);
	if (e)
		set_error(rc, e == EEXIST || e == ENOMEM ? "cannot name the recording" :
			  "cannot write", e);
	return !e;
}

/* {median, min, max, n} of a figure over a run's rounds, null without */
static void add_round_stats(cJSON *o, const char *key, const struct run *r,
			    enum round_figure what)
{
	struct round_stats st;

	if (!summary_round_stats(r, what, &st))
		cJSON_AddNullToObject(o, key);
	else
		add_object(o, key, &schema_stats, &st);
}

static void put_round_no(cJSON *o, const struct schema_object *obj, size_t row,
		      const void *base, void *arg)
{
	(void)obj;
	(void)base;
	if (row == SCHEMA_round_round)
		cJSON_AddNumberToObject(o, K(round, round), (double)*(const size_t *)arg);
}

static void put_repeat_run(cJSON *o, const struct schema_object *obj, size_t row,
			   const void *base, void *arg)
{
	const struct run *r = base;
	cJSON *list;

	(void)obj;
	(void)arg;
	switch (row) {
	case SCHEMA_repeat_run_name:
		cJSON_AddStringToObject(o, K(repeat_run, name), r->name);
		break;
	case SCHEMA_repeat_run_rounds:
		list = cJSON_AddArrayToObject(o, K(repeat_run, rounds));
		for (size_t k = 0; list && k < r->nrounds; k++) {
			cJSON *x = cJSON_CreateObject();
			size_t n = k + 1;

			cJSON_AddItemToArray(list, x);
			schema_put(x, &schema_round, &r->rounds[k], put_round_no, &n);
		}
		break;
	case SCHEMA_repeat_run_wall_s:
		add_round_stats(o, K(repeat_run, wall_s), r, ROUND_WALL);
		break;
	case SCHEMA_repeat_run_cpu_s:
		add_round_stats(o, K(repeat_run, cpu_s), r, ROUND_CPU);
		break;
	default:
		add_round_stats(o, K(repeat_run, peak_pss_kb), r, ROUND_PSS);
		break;
	}
}

/* --repeat: every round's figures of every run, and their statistics
 * (docs/recording.md, ".repeat") */
static cJSON *repeat_json(const struct model *m)
{
	cJSON *o = cJSON_CreateObject(), *runs;

	cJSON_AddNumberToObject(o, K(repeat, rounds), m->config.repeat);
	cJSON_AddNumberToObject(o, K(repeat, shown_round),
				m->shown_round ? m->shown_round : m->round + 1);
	runs = cJSON_AddArrayToObject(o, K(repeat, runs));
	for (size_t i = 0; runs && i < m->nruns; i++) {
		cJSON *ro = cJSON_CreateObject();

		cJSON_AddItemToArray(runs, ro);
		schema_put(ro, &schema_repeat_run, &m->runs[i], put_repeat_run, NULL);
	}
	return o;
}

/* the sampler's share of a core */
static void put_sampler(cJSON *o, const struct schema_object *obj, size_t row,
			const void *base, void *arg)
{
	const struct model *m = base;

	(void)obj;
	(void)arg;
	if (row == SCHEMA_sampler_cpu_pct)
		cJSON_AddNumberToObject(o, K(sampler, cpu_pct), m->sampler.wall_s > 0 ?
					100.0 * m->sampler.cpu_s / m->sampler.wall_s : 0);
}

/* the members after "runs": summary, repeat, sampler, interrupted, signal */
static void put_tail(cJSON *o, const struct schema_object *obj, size_t row,
		     const void *base, void *arg)
{
	const struct model *m = base;

	(void)obj;
	(void)arg;
	if (row == SCHEMA_top_summary)
		cJSON_AddItemToObject(o, K(top, summary), record_summary_json(m));
	else if (row == SCHEMA_top_repeat && m->config.repeat > 1)
		cJSON_AddItemToObject(o, K(top, repeat), repeat_json(m));
	else if (row == SCHEMA_top_sampler)
		schema_put(cJSON_AddObjectToObject(o, K(top, sampler)), &schema_sampler,
			   m, put_sampler, NULL);
}

bool record_commit(struct recorder *rc, const struct model *m)
{
	cJSON *tail = cJSON_CreateObject();
	bool ok = true;
	mode_t mask;
	int fd;

	/* a document without its header is no recording: never committed */
	if (!rc->begun) {
		cJSON_Delete(tail);
		if (!rc->error[0])
			snprintf(rc->error, sizeof(rc->error),
				 "nothing was recorded: the session never began");
		return false;
	}
	/* a run whose end the sink was never told (the session stopped on
	 * an error of its own first) is closed here: the document stays
	 * whole instead of holding an open samples array */
	if (rc->spool)
		ok = put_round(rc, m);
	else if (rc->in_run && rc->runs_written < m->nruns)
		ok = record_run_end(rc, &m->runs[rc->runs_written]);
	/* runs that never started are still listed, empty */
	for (size_t i = rc->runs_written; i < m->nruns; i++) {
		cJSON *o = record_run_json(&m->runs[i], true);

		if (!o)
			set_error(rc, "cannot build JSON for", ENOMEM);
		ok = ok && o && put(rc, rc->runs_written ? "," : "") &&
		     put_json(rc, o, false);
		cJSON_Delete(o);
		rc->runs_written++;
	}
	if (!tail) {
		set_error(rc, "cannot build JSON for", ENOMEM);
		return false;
	}
	schema_put_rows(tail, &schema_top, SCHEMA_top_runs + 1, SCHEMA_top_N, m,
			put_tail, NULL);
	ok = ok && put(rc, "]") && put_json(rc, tail, true) && put(rc, "}\n");
	cJSON_Delete(tail);
	if (!ok)
		return false;
	if (fflush(rc->f) != 0) {
		set_error(rc, "cannot write", errno);
		return false;
	}
	if (rc->to_stdout) {
		rc->committed = true;
		return true;
	}
	fd = fileno(rc->f);
	if (fsync(fd) != 0) {
		set_error(rc, "cannot sync", errno);
		return false;
	}
	/* the mode a plain creat(2) would give; 0600 for what /proc hid
	 * from everyone but the caller */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, rc->foreign ? 0600 : 0666 & ~mask) != 0) {
		set_error(rc, "cannot set the mode of", errno);
		return false;
	}
	if (rc->anonymous && !name_temp(rc, fd))
		return false;
	if (rename(rc->tmp, rc->path) != 0) {
		int e = errno;
		char kept[OUTPATH_SHOWN_MAX + 1];

		/* the recording is whole: it stays under its temporary name,
		 * and the error line says which */
		rc->committed = true;
		text_shown(kept, sizeof(kept), rc->tmp, OUTPATH_SHOWN_MAX);
		snprintf(rc->error, sizeof(rc->error),
			 "cannot rename the recording to %s: %s (it is kept as %s)",
			 rc->shown, strerror(e), kept);
		return false;
	}
	rc->committed = true;
	return true;
}
