/*
 * record.c - streaming JSON recorder (see record.h and docs/recording.md).
 *
 * The document is written piecewise: cJSON prints every object, and only
 * the structure between them ("runs":[ ... ]) is written here. A run's
 * object is opened as {"samples":[ and every tick prints one sample object;
 * at the run's end the rest of its members are printed by cJSON from a
 * full object and spliced in after the samples.
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

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "src/core/mapgroups.h"
#include "src/report/summary.h"
#include "src/util/outpath.h"
#include "src/util/text.h"

/* bytes written at a time (glibc ignores a size without a buffer) */
#define RECORD_BUF 65536
/* the longest part of the target's name a temporary name keeps: ".NAME."
 * and 12 hex digits stay within NAME_MAX (255) */
#define TEMP_BASE_MAX 240

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

/* Opens the temporary file in rc->dir; returns the fd or -1 with errno. */
static int open_temp(struct recorder *rc, const char *base)
{
	int fd = open(rc->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);

	if (fd >= 0) {
		rc->anonymous = true;
		return fd;
	}
	/* file systems without O_TMPFILE say so in several ways */
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return -1;
	/* ".NAME.XXXXXX" within NAME_MAX: a long NAME is cut */
	if (asprintf(&rc->tmp, "%s/.%.*s.XXXXXX", rc->dir, TEMP_BASE_MAX, base) < 0) {
		rc->tmp = NULL;
		errno = ENOMEM;
		return -1;
	}
	fd = mkostemp(rc->tmp, O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		free(rc->tmp);
		rc->tmp = NULL;
		errno = e;
	}
	return fd;
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
	if (lstat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "cannot record to %s: it is a directory", rc->shown);
			goto fail;
		}
		if (S_ISLNK(st.st_mode) && !force) {
			snprintf(err, errlen, "refusing to record through the symlink %s (--force replaces it)",
				 rc->shown);
			goto fail;
		}
	}
	/* a FIFO, a device node, a socket: never replaced by a file */
	if (outpath_check(path, true, "cannot record to",
			  "--record - streams to standard output", err, errlen))
		goto fail;
	dircopy = strdup(path);
	basecopy = strdup(path);
	if (!dircopy || !basecopy)
		goto nomem;
	rc->dir = strdup(dirname(dircopy));
	if (!rc->dir)
		goto nomem;
	fd = open_temp(rc, basename(basecopy));
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

/* ---- building blocks ---- */

static void add_str(cJSON *o, const char *key, const char *raw)
{
	char clean[MODEL_TEXT_MAX * 3];

	text_sanitize(clean, sizeof(clean), raw, strlen(raw), false);
	cJSON_AddStringToObject(o, key, clean);
}

static void add_kb(cJSON *o, const char *key, int64_t kb)
{
	if (kb < 0)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddNumberToObject(o, key, (double)kb);
}

/* a signed figure; MODEL_KB_NONE is null */
static void add_kb_signed(cJSON *o, const char *key, int64_t kb)
{
	if (kb == MODEL_KB_NONE)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddNumberToObject(o, key, (double)kb);
}

static cJSON *proc_json(const struct proc_row *w)
{
	cJSON *o = cJSON_CreateObject();
	char state[2] = { w->state, '\0' };

	if (!o)
		return NULL;
	cJSON_AddNumberToObject(o, "pid", w->pid);
	cJSON_AddNumberToObject(o, "ppid", w->ppid);
	cJSON_AddStringToObject(o, "role", model_role_name(w->role));
	add_str(o, "comm", w->comm);
	add_str(o, "state", state);
	for (size_t i = 0; i < SMAPS_NFIELDS; i++)
		add_kb(o, smaps_fields[i].json, smaps_get(&w->mem, i));
	cJSON_AddStringToObject(o, "smaps", model_smaps_state_name(w->smaps));
	cJSON_AddBoolToObject(o, "moved", w->moved);
	add_kb_signed(o, "est_error_kb", w->est_error_kb);
	cJSON_AddNumberToObject(o, "smaps_t", w->smaps_t);
	add_kb(o, "rss_now_kb", w->rss_now_kb);
	add_kb(o, "rss_anon_kb", w->rss_anon_kb);
	add_kb(o, "rss_file_kb", w->rss_file_kb);
	add_kb(o, "rss_shmem_kb", w->rss_shmem_kb);
	cJSON_AddNumberToObject(o, "utime_s", w->utime_s);
	cJSON_AddNumberToObject(o, "stime_s", w->stime_s);
	cJSON_AddNumberToObject(o, "minflt", (double)w->minflt);
	cJSON_AddNumberToObject(o, "majflt", (double)w->majflt);
	cJSON_AddNumberToObject(o, "start_ticks", (double)w->start_ticks);
	return o;
}

static cJSON *total_json(const struct point *p)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	/* partial and 0: no process's smaps could be read, so no figure */
	add_kb(o, "pss_kb", p->pss_partial && p->pss_kb <= 0 ? MODEL_KB_NONE : p->pss_kb);
	add_kb(o, "rss_kb", p->rss_kb);
	add_kb(o, "uss_kb", p->pss_partial && p->uss_kb <= 0 ? MODEL_KB_NONE : p->uss_kb);
	add_kb(o, "shared_dirty_kb", p->shared_dirty_kb);
	cJSON_AddNumberToObject(o, "nprocs", p->nprocs);
	cJSON_AddBoolToObject(o, "pss_fresh", p->pss_fresh);
	cJSON_AddBoolToObject(o, "pss_partial", p->pss_partial);
	cJSON_AddBoolToObject(o, "consistent", p->consistent);
	add_kb(o, "pss_bound_kb", p->pss_bound_kb);
	cJSON_AddBoolToObject(o, "pss_estimated", p->pss_estimated);
	cJSON_AddBoolToObject(o, "pss_held", p->pss_held);
	if (p->members_partial)
		cJSON_AddBoolToObject(o, "members_partial", true);
	return o;
}

static cJSON *sample_json(const struct run *r, const struct frame *f)
{
	cJSON *o = cJSON_CreateObject(), *procs, *moved;
	const struct proc_row *rows = run_frame_rows(r, f);

	if (!o)
		return NULL;
	cJSON_AddNumberToObject(o, "t", f->t);
	procs = cJSON_AddArrayToObject(o, "procs");
	for (size_t i = 0; procs && i < f->n; i++)
		cJSON_AddItemToArray(procs, proc_json(&rows[i]));
	cJSON_AddItemToObject(o, "total", total_json(&f->total));
	/* the pids whose counters moved since the tick before: why a sample
	 * is not consistent */
	moved = cJSON_AddArrayToObject(o, "moved");
	for (size_t i = 0; moved && i < f->n; i++)
		if (rows[i].moved)
			cJSON_AddItemToArray(moved, cJSON_CreateNumber(rows[i].pid));
	return o;
}

static void add_group_figures(cJSON *o, const struct map_group *g)
{
	for (size_t i = 0; i < SMAPS_NFIELDS; i++)
		if (smaps_fields[i].flags & SMAPS_MAP)
			add_kb(o, smaps_fields[i].json, smaps_get(&g->mem, i));
}

static cJSON *group_json(const struct map_group *g, bool run)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "kind", mapping_kind_name(g->kind));
	add_str(o, "path", g->path);
	cJSON_AddBoolToObject(o, "deleted", g->deleted);
	if (g->end) {
		char addr[40];

		snprintf(addr, sizeof(addr), "%" PRIx64 "-%" PRIx64, g->start, g->end);
		cJSON_AddStringToObject(o, "addr", addr);
	}
	cJSON_AddNumberToObject(o, "mappings", g->nmaps);
	if (run)
		cJSON_AddNumberToObject(o, "processes", g->nprocs);
	add_group_figures(o, g);
	return o;
}

/* one snapshot of mappings groups (docs/recording.md, "Mappings") */
static cJSON *msnap_json(const struct map_snap *s)
{
	cJSON *o = cJSON_CreateObject(), *procs, *groups;
	struct map_group *sum = NULL;
	size_t nsum = 0;

	if (!o)
		return NULL;
	cJSON_AddNumberToObject(o, "t", s->t);
	cJSON_AddNumberToObject(o, "t_end", s->t_end);
	add_str(o, "phase", s->phase);
	cJSON_AddBoolToObject(o, "peak", s->peak);
	procs = cJSON_AddArrayToObject(o, "procs");
	for (size_t i = 0; procs && i < s->nprocs; i++) {
		const struct map_proc *p = &s->procs[i];
		cJSON *po = cJSON_CreateObject(), *pg;

		if (!po)
			break;
		cJSON_AddNumberToObject(po, "pid", p->pid);
		cJSON_AddStringToObject(po, "role", model_role_name(p->role));
		add_str(po, "comm", p->comm);
		cJSON_AddStringToObject(po, "smaps", model_smaps_state_name(p->smaps));
		pg = cJSON_AddArrayToObject(po, "groups");
		for (size_t k = 0; pg && k < p->n; k++)
			cJSON_AddItemToArray(pg, group_json(&s->groups[p->first + k], false));
		cJSON_AddItemToArray(procs, po);
	}
	groups = cJSON_AddArrayToObject(o, "groups");
	if (groups && mapgroups_sum(s, &sum, &nsum)) {
		for (size_t k = 0; k < nsum; k++)
			cJSON_AddItemToArray(groups, group_json(&sum[k], true));
		free(sum);
	}
	return o;
}

static void add_seconds(cJSON *o, const char *key, double s, bool known)
{
	if (known)
		cJSON_AddNumberToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

/* the fields of a run's "result" object res (done: the run ended) */
static void add_result(cJSON *res, const struct run *r, bool done)
{
	if (r->result.have_sum)
		cJSON_AddNumberToObject(res, "sum", r->result.sum);
	else
		cJSON_AddNullToObject(res, "sum");
	if (r->result.have_expected)
		cJSON_AddNumberToObject(res, "expected", r->result.expected);
	else
		cJSON_AddNullToObject(res, "expected");
	add_seconds(res, "wall_s", r->result.wall_s, done);
	add_seconds(res, "total_s", r->result.total_s, done);
	add_seconds(res, "compute_s", r->result.compute_s,
		    run_phase_find(r, "compute") != NULL);
	add_seconds(res, "compute_cpu_s", r->result.compute_cpu_s,
		    r->result.compute_cpu_s > 0);
	add_seconds(res, "hold_s", r->result.hold_s, done);
	if (r->result.have_tracemalloc)
		cJSON_AddNumberToObject(res, "tracemalloc_peak_kb",
					r->result.tracemalloc_peak_kb);
	else
		cJSON_AddNullToObject(res, "tracemalloc_peak_kb");
	if (r->result.have_data)
		cJSON_AddNumberToObject(res, "data_kb", r->result.data_kb);
	else
		cJSON_AddNullToObject(res, "data_kb");
	if (r->result.cpu_user_s >= 0) {
		cJSON_AddNumberToObject(res, "cpu_user_s", r->result.cpu_user_s);
		cJSON_AddNumberToObject(res, "cpu_sys_s", r->result.cpu_sys_s);
	} else {
		/* --attach: not measured */
		cJSON_AddNullToObject(res, "cpu_user_s");
		cJSON_AddNullToObject(res, "cpu_sys_s");
	}
	cJSON_AddNumberToObject(res, "minflt", (double)r->result.minflt);
	cJSON_AddNumberToObject(res, "majflt", (double)r->result.majflt);
	if (r->result.exited)
		cJSON_AddNumberToObject(res, "exit_status", r->result.exit_status);
	else
		cJSON_AddNullToObject(res, "exit_status");
}

/* the kernel's own peak of the run's cgroup (docs/recording.md) */
static void add_kernel_peak(cJSON *o, const struct run *r)
{
	const struct kernel_peak *k = &r->kpeak;
	cJSON *kp = cJSON_AddObjectToObject(o, "kernel_peak");

	if (!kp)
		return;
	add_kb(kp, "kb", k->kb);
	if (k->version)
		cJSON_AddNumberToObject(kp, "cgroup_version", k->version);
	else
		cJSON_AddNullToObject(kp, "cgroup_version");
	if (k->cgroup[0])
		add_str(kp, "cgroup", k->cgroup);
	else
		cJSON_AddNullToObject(kp, "cgroup");
	cJSON_AddBoolToObject(kp, "per_phase", k->per_phase);
	cJSON_AddBoolToObject(kp, "attached", k->attached);
	if (k->why[0])
		add_str(kp, "reason", k->why);
	else
		cJSON_AddNullToObject(kp, "reason");
}

/* --project N: the figures and ΣPSS projected (docs/recording.md,
 * "Projection") */
static void add_projection(cJSON *o, const struct run *r)
{
	cJSON *pj;

	if (r->proj.workers <= 0)
		return;
	pj = cJSON_AddObjectToObject(o, "projection");
	if (!pj)
		return;
	cJSON_AddNumberToObject(pj, "workers", r->proj.workers);
	add_kb(pj, "shared_kb", r->proj.shared_kb);
	add_kb(pj, "worker_private_kb", r->proj.private_kb);
	if (r->proj.private_kb >= 0)
		cJSON_AddNumberToObject(pj, "worker_pid", r->proj.private_pid);
	else
		cJSON_AddNullToObject(pj, "worker_pid");
	add_kb(pj, "pss_kb", run_projection_kb(r, r->proj.workers));
}

cJSON *record_run_json(const struct run *r, bool with_samples)
{
	cJSON *o = cJSON_CreateObject(), *phases, *res, *peak;
	bool done = r->state == RUN_DONE || r->state == RUN_FAILED;

	if (!o)
		return NULL;
	add_str(o, "name", r->name);
	add_str(o, "label", r->label);
	add_str(o, "detail", r->detail);
	cJSON_AddStringToObject(o, "state", model_state_name(r->state));
	cJSON_AddBoolToObject(o, "ok", r->state == RUN_DONE);
	if (r->cause[0])
		add_str(o, "cause", r->cause);
	else
		cJSON_AddNullToObject(o, "cause");
	cJSON_AddNumberToObject(o, "workers", r->workers);
	if (r->started_mono > 0)
		cJSON_AddNumberToObject(o, "start_monotonic_s", r->started_mono);
	else
		cJSON_AddNullToObject(o, "start_monotonic_s");
	if (r->log[0])
		add_str(o, "log", r->log);
	else
		cJSON_AddNullToObject(o, "log");
	cJSON_AddNumberToObject(o, "protocol_dropped", (double)r->proto_dropped);
	if (r->nmissing) {
		add_str(o, "members_missing", r->members_missing);
		cJSON_AddNumberToObject(o, "members_missing_samples", (double)r->nmissing);
	}
	phases = cJSON_AddArrayToObject(o, "phases");
	for (size_t i = 0; phases && i < r->nphases; i++) {
		cJSON *p = cJSON_CreateObject();

		add_str(p, "name", r->phases[i].name);
		cJSON_AddNumberToObject(p, "start_s", r->phases[i].start_s);
		add_seconds(p, "end_s", r->phases[i].end_s, r->phases[i].end_s >= 0);
		add_kb(p, "kernel_peak_kb", r->phases[i].kpeak_kb);
		cJSON_AddItemToArray(phases, p);
	}
	res = cJSON_AddObjectToObject(o, "result");
	if (res)
		add_result(res, r, done);
	peak = cJSON_AddObjectToObject(o, "peak");
	if (peak) {
		bool part = r->peak.pss_partial;
		/* the smaps peaks are those of the sample with the highest
		 * lower bound of ΣPSS: null when no sample had a bound, or
		 * when no smaps_rollup could be read (a lower bound when
		 * some could not) */
		bool none = !run_has_peak(r);

		add_kb(peak, "pss_kb", none || (part && r->peak.pss_kb <= 0) ?
		       MODEL_KB_NONE : r->peak.pss_kb);
		add_kb(peak, "pss_bound_kb", none ? MODEL_KB_NONE : r->peak.pss_bound_kb);
		cJSON_AddNumberToObject(peak, "rss_sum_kb", (double)r->peak.rss_kb);
		add_kb(peak, "uss_kb", none || (part && r->peak.uss_kb <= 0) ?
		       MODEL_KB_NONE : r->peak.uss_kb);
		cJSON_AddBoolToObject(peak, "pss_partial", part);
		add_kb(peak, "shared_dirty_kb", none ? MODEL_KB_NONE :
		       r->peak.shared_dirty_kb);
		cJSON_AddNumberToObject(peak, "nprocs", r->peak.nprocs);
		cJSON_AddNumberToObject(peak, "consistent_samples",
					(double)r->nconsistent);
	}
	add_kernel_peak(o, r);
	decayjson_add(o, r);
	add_projection(o, r);
	if (r->nmsnaps) {
		cJSON *maps = cJSON_AddArrayToObject(o, "mappings");

		for (size_t i = 0; maps && i < r->nmsnaps; i++)
			cJSON_AddItemToArray(maps, msnap_json(&r->msnaps[i]));
	}
	if (with_samples) {
		cJSON *samples = cJSON_AddArrayToObject(o, "samples");

		for (size_t i = 0; samples && i < r->nframes; i++)
			cJSON_AddItemToArray(samples, sample_json(r, &r->frames[i]));
	}
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
	cJSON_AddStringToObject(o, "base", m->nruns ? m->runs[0].name : "");
	add_ratio(o, "speedup", c.speedup);
	add_ratio(o, "peak_pss_ratio", c.pss_ratio);
	add_ratio(o, "peak_rss_ratio", c.rss_ratio);
	add_ratio(o, "peak_uss_ratio", c.uss_ratio);
	list = cJSON_AddArrayToObject(o, "comparisons");
	for (size_t i = 1; list && i < m->nruns; i++) {
		cJSON *e = cJSON_CreateObject();

		c = model_compare(&m->runs[0], &m->runs[i]);
		add_str(e, "run", m->runs[i].name);
		add_str(e, "against", m->runs[0].name);
		add_ratio(e, "speedup", c.speedup);
		add_ratio(e, "peak_pss_ratio", c.pss_ratio);
		add_ratio(e, "peak_rss_ratio", c.rss_ratio);
		add_ratio(e, "peak_uss_ratio", c.uss_ratio);
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

bool record_begin(struct recorder *rc, const struct model *m)
{
	cJSON *o = cJSON_CreateObject(), *sv, *host, *cfg;
	bool ok;

	if (!o) {
		set_error(rc, "cannot build JSON for", ENOMEM);
		return false;
	}
	sv = cJSON_AddObjectToObject(o, "shmviz");
	cJSON_AddStringToObject(sv, "version", m->version);
	cJSON_AddNumberToObject(sv, "schema", RECORD_SCHEMA);
	host = cJSON_AddObjectToObject(o, "host");
	add_str(host, "kernel", m->host.kernel);
	add_str(host, "machine", m->host.machine);
	cJSON_AddNumberToObject(host, "cpus", m->host.cpus);
	cJSON_AddNumberToObject(host, "page_size", (double)m->host.page_size);
	add_kb(host, "mem_total_kb", m->host.mem_total_kb);
	cfg = cJSON_AddObjectToObject(o, "config");
	cJSON_AddNumberToObject(cfg, "workers", m->config.workers);
	cJSON_AddNumberToObject(cfg, "rows", (double)m->config.rows);
	cJSON_AddNumberToObject(cfg, "bytes", (double)m->config.bytes);
	cJSON_AddNumberToObject(cfg, "interval_ms", m->config.interval_ms);
	cJSON_AddNumberToObject(cfg, "hold_s", m->config.hold_s);
	add_str(cfg, "mode", m->config.mode);
	add_str(cfg, "workload", m->config.workload);
	cJSON_AddNumberToObject(cfg, "budget_pct", m->config.budget_pct);
	cJSON_AddNumberToObject(cfg, "cow_write_pct", m->config.cow_write_pct);
	cJSON_AddNumberToObject(cfg, "repeat", m->config.repeat > 1 ? m->config.repeat : 1);
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
			ok = put(rc, s) && put(rc, ",\"runs\":[");
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
		return put(rc, "{\"samples\":[");
	}
	return put(rc, rc->runs_written ? ",{\"samples\":[" : "{\"samples\":[");
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
	ok = (!rc->nsamples || put(rc, ",")) && put(rc, "{\"t\":") && put(rc, num) &&
	     put(rc, ",\"procs\":[");
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
	ok = ok && put(rc, "],\"total\":") && put_json(rc, total, false) &&
	     put(rc, ",\"moved\":[");
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

/* Gives the anonymous temporary file a name of its own beside the target:
 * linkat never replaces, so a name someone else made is never taken. */
static bool name_temp(struct recorder *rc, int fd)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	for (int attempt = 0; attempt < 100; attempt++) {
		unsigned char r[6];
		char *base = strdup(rc->path), *name = NULL;

		if (!base || getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r) ||
		    asprintf(&name, "%s/.%.*s.%02x%02x%02x%02x%02x%02x", rc->dir,
			     TEMP_BASE_MAX, basename(base), r[0], r[1], r[2], r[3], r[4], r[5]) < 0) {
			free(base);
			set_error(rc, "cannot name the recording", ENOMEM);
			return false;
		}
		free(base);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0) {
			rc->tmp = name;
			return true;
		}
		free(name);
		if (errno != EEXIST) {
			set_error(rc, "cannot write", errno);
			return false;
		}
	}
	set_error(rc, "cannot name the recording", EEXIST);
	return false;
}

/* {median, min, max} of a figure over a run's rounds, null without */
static void add_round_stats(cJSON *o, const char *key, const struct run *r,
			    enum round_figure what)
{
	struct round_stats st;
	cJSON *s;

	if (!summary_round_stats(r, what, &st)) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	s = cJSON_AddObjectToObject(o, key);
	cJSON_AddNumberToObject(s, "median", st.median);
	cJSON_AddNumberToObject(s, "min", st.min);
	cJSON_AddNumberToObject(s, "max", st.max);
	cJSON_AddNumberToObject(s, "n", (double)st.n);
}

/* --repeat: every round's figures of every run, and their statistics
 * (docs/recording.md, ".repeat") */
static cJSON *repeat_json(const struct model *m)
{
	cJSON *o = cJSON_CreateObject(), *runs;

	cJSON_AddNumberToObject(o, "rounds", m->config.repeat);
	cJSON_AddNumberToObject(o, "shown_round",
				m->shown_round ? m->shown_round : m->round + 1);
	runs = cJSON_AddArrayToObject(o, "runs");
	for (size_t i = 0; runs && i < m->nruns; i++) {
		const struct run *r = &m->runs[i];
		cJSON *ro = cJSON_CreateObject(), *list;

		cJSON_AddItemToArray(runs, ro);
		cJSON_AddStringToObject(ro, "name", r->name);
		list = cJSON_AddArrayToObject(ro, "rounds");
		for (size_t k = 0; list && k < r->nrounds; k++) {
			const struct round_figs *f = &r->rounds[k];
			cJSON *x = cJSON_CreateObject();

			cJSON_AddItemToArray(list, x);
			cJSON_AddNumberToObject(x, "round", (double)k + 1);
			cJSON_AddNumberToObject(x, "position", f->position);
			cJSON_AddNumberToObject(x, "start_monotonic_s", f->started_mono);
			cJSON_AddBoolToObject(x, "ok", f->ok);
			cJSON_AddNumberToObject(x, "wall_s", f->wall_s);
			if (f->cpu_s >= 0)
				cJSON_AddNumberToObject(x, "cpu_s", f->cpu_s);
			else
				cJSON_AddNullToObject(x, "cpu_s");
			if (f->pss_kb >= 0)
				cJSON_AddNumberToObject(x, "peak_pss_kb", (double)f->pss_kb);
			else
				cJSON_AddNullToObject(x, "peak_pss_kb");
		}
		add_round_stats(ro, "wall_s", r, ROUND_WALL);
		add_round_stats(ro, "cpu_s", r, ROUND_CPU);
		add_round_stats(ro, "peak_pss_kb", r, ROUND_PSS);
	}
	return o;
}

/* the fields of the tail's "sampler" object: what sampling cost */
static void add_sampler(cJSON *sampler, const struct model *m)
{
	cJSON_AddNumberToObject(sampler, "cpu_s", m->sampler.cpu_s);
	cJSON_AddNumberToObject(sampler, "wall_s", m->sampler.wall_s);
	cJSON_AddNumberToObject(sampler, "cpu_pct", m->sampler.wall_s > 0 ?
				100.0 * m->sampler.cpu_s / m->sampler.wall_s : 0);
	cJSON_AddNumberToObject(sampler, "ticks", (double)m->sampler.ticks);
	cJSON_AddNumberToObject(sampler, "pss_reads", (double)m->sampler.pss_reads);
	cJSON_AddNumberToObject(sampler, "counter_reads",
				(double)m->sampler.counter_reads);
	cJSON_AddNumberToObject(sampler, "scans", (double)m->sampler.scans);
	cJSON_AddNumberToObject(sampler, "rest_sweeps", (double)m->sampler.rest_sweeps);
	cJSON_AddNumberToObject(sampler, "high_sweeps", (double)m->sampler.high_sweeps);
	cJSON_AddNumberToObject(sampler, "obj_ticks", (double)m->sampler.obj_ticks);
	cJSON_AddNumberToObject(sampler, "tick_max_ms", m->sampler.tick_max_ms);
	cJSON_AddNumberToObject(sampler, "exact_refreshes", (double)m->sampler.exact_refreshes);
	cJSON_AddNumberToObject(sampler, "exact_drifted", (double)m->sampler.exact_drifted);
	cJSON_AddNumberToObject(sampler, "exact_drift_max_kb",
				(double)m->sampler.exact_drift_max_kb);
	cJSON_AddNumberToObject(sampler, "interval_ms", m->config.interval_ms);
	/* over the whole session: the end of a run (exiting processes, cheap
	 * to read) says little about what the budget did */
	cJSON_AddNumberToObject(sampler, "pss_interval_ms",
				m->sampler.pss_interval_mean_ms);
	cJSON_AddNumberToObject(sampler, "budget_pct", m->config.budget_pct);
	cJSON_AddNumberToObject(sampler, "counter_read_us",
				m->sampler.counter_read_us);
	cJSON_AddNumberToObject(sampler, "scan_ms", m->sampler.scan_ms);
	cJSON_AddNumberToObject(sampler, "pss_read_ms", m->sampler.pss_read_mean_ms);
	cJSON_AddNumberToObject(sampler, "pss_cpu_s", m->sampler.pss_cpu_s);
	cJSON_AddNumberToObject(sampler, "counter_cpu_s", m->sampler.counter_cpu_s);
	cJSON_AddNumberToObject(sampler, "scan_cpu_s", m->sampler.scan_cpu_s);
	if (m->sampler.map_snaps) {
		cJSON_AddNumberToObject(sampler, "map_snaps", (double)m->sampler.map_snaps);
		cJSON_AddNumberToObject(sampler, "map_reads", (double)m->sampler.map_reads);
		cJSON_AddNumberToObject(sampler, "map_cpu_s", m->sampler.map_cpu_s);
	}
}

bool record_commit(struct recorder *rc, const struct model *m)
{
	cJSON *tail = cJSON_CreateObject(), *sampler;
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
	cJSON_AddItemToObject(tail, "summary", record_summary_json(m));
	if (m->config.repeat > 1)
		cJSON_AddItemToObject(tail, "repeat", repeat_json(m));
	sampler = cJSON_AddObjectToObject(tail, "sampler");
	add_sampler(sampler, m);
	cJSON_AddBoolToObject(tail, "interrupted", m->interrupted);
	if (m->signal)
		cJSON_AddNumberToObject(tail, "signal", m->signal);
	else
		cJSON_AddNullToObject(tail, "signal");
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
