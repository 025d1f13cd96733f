/*
 * export.c - CSV and Chrome trace-event exports of a recording (see
 * export.h; the formats are described in docs/recording.md, "Exports").
 */
#include "src/recording/export.h"

#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <libgen.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "src/recording/record.h"
#include "src/recording/replay.h"
#include "src/recording/schema.h"
#include "src/util/exits.h"
#include "src/util/macros.h"
#include "src/util/outpath.h"
#include "src/util/text.h"

#define EXPORT_BUF 65536
/* samples between two looks at the signals */
#define SIGNAL_EVERY 64

/* a process seen in the trace: its name is written again when it changes */
struct seen {
	size_t run;
	pid_t pid;          /* 0: a free slot */
	enum proc_role role;
	char comm[MODEL_COMM_MAX];
};

struct exporter {
	enum export_format fmt;
	const struct model *m;
	FILE *f;
	char *buf;
	int sigfd;
	int sig;            /* a stop signal heard */
	size_t nsamples;
	bool failed;        /* a write failed (errno kept in werr) */
	bool changed;       /* a sample of a run the recording did not have */
	int werr;
	bool first_event;
	double offset_s[MODEL_MAX_RUNS]; /* a run's t = 0 on the trace */
	struct seen *seen;
	size_t nseen, seen_cap;  /* seen_cap: a power of two */
	struct decay *decay;     /* CSV: each run's sharing decay, folded
	                            again sample by sample (decay_window) */
};

static void fail(struct exporter *ex, int err)
{
	ex->failed = true;
	ex->werr = err ? err : EIO;
}

static void put(struct exporter *ex, const char *s)
{
	if (!ex->failed && fputs(s, ex->f) == EOF)
		fail(ex, errno);
}

/* "key": (the key from the tables, schema.h) */
static void put_key(struct exporter *ex, const char *key)
{
	put(ex, "\"");
	put(ex, key);
	put(ex, "\":");
}

static void putf(struct exporter *ex, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void putf(struct exporter *ex, const char *fmt, ...)
{
	va_list ap;

	if (ex->failed)
		return;
	va_start(ap, fmt);
	if (vfprintf(ex->f, fmt, ap) < 0)
		fail(ex, errno);
	va_end(ap);
}

/* ---- CSV (RFC 4180: CRLF line ends, every text field quoted, a quote
 * doubled) ---- */

/* A text cell, quoted (RFC 4180). A cell a spreadsheet would read as a
 * formula (one that begins with '=', '+', '-', '@', a tab or a carriage
 * return: a process may name itself "=1+2" or "@SUM(1+1)*cmd|") begins
 * with a "'" instead, as OWASP's advice on CSV injection has it: the
 * spreadsheet shows the text, and a reader drops the one "'" (docs/
 * recording.md, "CSV"). */
static void csv_text(struct exporter *ex, const char *s)
{
	put(ex, "\"");
	if (*s && strchr("=+-@\t\r", *s))
		put(ex, "'");
	for (const char *p = s; *p && !ex->failed; p++) {
		if (*p == '"')
			put(ex, "\"\"");
		else if (fputc(*p, ex->f) == EOF)
			fail(ex, errno);
	}
	put(ex, "\"");
}

/* a kB figure; unknown is an empty field (pandas: NaN) */
static void csv_kb(struct exporter *ex, int64_t kb)
{
	if (kb < 0)
		put(ex, ",");
	else
		putf(ex, ",%" PRId64, kb);
}

/* a number as the recording has it: the shortest of %.15g and %.17g
 * that reads back the same (cJSON's rule) */
static void csv_num(struct exporter *ex, double d)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.15g", d);
	if (strtod(buf, NULL) != d)
		snprintf(buf, sizeof(buf), "%.17g", d);
	putf(ex, ",%s", buf);
}

/* The columns (docs/recording.md, "CSV"): the rows of SCHEMA_CSV with a
 * place (run, t), the process's rows of SCHEMA_PROC in the order of their
 * SF_CSV (the figures of the list, uss_kb after pss_kb), then the other
 * rows of SCHEMA_CSV. */
static void csv_columns(const struct schema_field **cols, size_t *n)
{
	*n = 0;
	for (unsigned rank = 1; rank <= schema_proc.n; rank++)
		for (size_t i = 0; i < schema_proc.n; i++)
			if (SF_CSV_OF(schema_proc.fields[i].flags) == rank)
				cols[(*n)++] = &schema_proc.fields[i];
}

static void csv_header(struct exporter *ex)
{
	const struct schema_field *cols[SCHEMA_proc_N];
	size_t n;

	csv_columns(cols, &n);
	putf(ex, "%s,%s", K(csv, run), K(csv, t));
	for (size_t c = 0; c < n; c++) {
		if (cols[c]->type != ST_FIGURES) {
			putf(ex, ",%s", cols[c]->key);
			continue;
		}
		for (size_t i = 0; i < SMAPS_NFIELDS; i++) {
			putf(ex, ",%s", smaps_fields[i].json);
			if (i == SMAPS_I_pss)
				putf(ex, ",%s", K(csv, uss_kb));
		}
	}
	for (size_t i = 0; i < schema_csv.n; i++)
		if (!SF_CSV_OF(schema_csv.fields[i].flags) && i != SCHEMA_csv_uss_kb)
			putf(ex, ",%s", schema_csv.fields[i].key);
	put(ex, "\r\n");
}

/* one cell of a process row, as its type says */
static void csv_cell(struct exporter *ex, const struct schema_field *f,
		     const struct proc_row *w)
{
	const void *p = (const char *)w + f->off;
	char state[2] = { w->state, '\0' };
	int64_t uss = w->mem.private_clean < 0 || w->mem.private_dirty < 0 ?
		      -1 : w->mem.private_clean + w->mem.private_dirty;

	switch (f->type) {
	case ST_FIGURES:
		for (size_t i = 0; i < SMAPS_NFIELDS; i++) {
			csv_kb(ex, smaps_get(&w->mem, i));
			if (i == SMAPS_I_pss)
				csv_kb(ex, uss);
		}
		return;
	case ST_INT:
		putf(ex, ",%d", *(const int *)p);
		return;
	case ST_U64:
		putf(ex, ",%" PRIu64, *(const uint64_t *)p);
		return;
	case ST_I64:
		if (*(const int64_t *)p == MODEL_KB_NONE ||
		    (!(f->flags & SF_SIGNED) && *(const int64_t *)p < 0))
			put(ex, ",");
		else
			putf(ex, ",%" PRId64, *(const int64_t *)p);
		return;
	case ST_DBL:
		csv_num(ex, *(const double *)p);
		return;
	case ST_BOOL:
		putf(ex, ",%s", *(const bool *)p ? "true" : "false");
		return;
	default:
		break;
	}
	put(ex, ",");
	if (f->type == ST_ROLE)
		csv_text(ex, model_role_name(w->role));
	else if (f->type == ST_SMAPS)
		csv_text(ex, model_smaps_state_name(w->smaps));
	else if (f->type == ST_CHAR)
		csv_text(ex, w->state && w->state != '?' ? state : "");
	else
		csv_text(ex, p);
}

static void csv_sample(struct exporter *ex, size_t run, double t,
		       const struct proc_row *rows, size_t n, int64_t bound)
{
	const struct run *r = &ex->m->runs[run];
	/* one moment: the sample's ΣPSS within its bound's tight width, as
	 * the model judges it (model_bound_tight_kb) */
	struct point tot = model_totals(t, rows, n);
	bool consistent = bound >= 0 && tot.pss_kb >= 0 &&
			  bound <= model_bound_tight_kb(tot.pss_kb);
	/* the sample counts in the run's decay (src/core/decay.h) */
	bool window = decay_tick(&ex->decay[run], t, rows, n, consistent);
	const struct schema_field *cols[SCHEMA_proc_N];
	size_t ncols;

	csv_columns(cols, &ncols);
	for (size_t k = 0; k < n && !ex->failed; k++) {
		const struct proc_row *w = &rows[k];

		csv_text(ex, r->name);
		csv_num(ex, t);
		for (size_t c = 0; c < ncols; c++)
			csv_cell(ex, cols[c], w);
		putf(ex, ",%s", consistent ? "true" : "false");
		csv_kb(ex, bound);
		/* the process's shared figure of the decay (decay.h) */
		csv_kb(ex, w->mem.shared_dirty < 0 || w->mem.shared_clean < 0 ? -1 :
		       w->mem.shared_dirty + w->mem.shared_clean);
		if (window)
			putf(ex, ",%u", ex->decay[run].windows);
		else
			put(ex, ",");
		put(ex, "\r\n");
	}
}

/* ---- trace-event JSON: {"traceEvents":[...],"displayTimeUnit":"ms",
 * "metadata":{...}}, every event printed by cJSON ---- */

static void event(struct exporter *ex, cJSON *e)
{
	char *s = e ? cJSON_PrintUnformatted(e) : NULL;

	cJSON_Delete(e);
	if (!s) {
		fail(ex, ENOMEM);
		return;
	}
	put(ex, ex->first_event ? "\n" : ",\n");
	put(ex, s);
	ex->first_event = false;
	free(s);
}

static cJSON *new_event(const char *ph, const char *name, double ts_us,
			int pid, int tid)
{
	cJSON *e = cJSON_CreateObject();

	if (!e)
		return NULL;
	cJSON_AddStringToObject(e, K(trace_event, ph), ph);
	cJSON_AddStringToObject(e, K(trace_event, name), name);
	cJSON_AddNumberToObject(e, K(trace_event, ts), ts_us);
	cJSON_AddNumberToObject(e, K(trace_event, pid), pid);
	cJSON_AddNumberToObject(e, K(trace_event, tid), tid);
	return e;
}

/* a metadata event: process_name, process_labels, process_sort_index,
 * thread_name */
static void meta(struct exporter *ex, const char *what, int pid, int tid,
		 const char *key, const char *s, double v)
{
	cJSON *e = new_event("M", what, 0, pid, tid), *args;

	if (!e) {
		event(ex, NULL);
		return;
	}
	args = cJSON_AddObjectToObject(e, K(trace_event, args));
	if (s)
		cJSON_AddStringToObject(args, key, s);
	else
		cJSON_AddNumberToObject(args, key, v);
	event(ex, e);
}

static int run_pid(size_t run)
{
	return (int)(run + 1) * EXPORT_TRACE_PID;
}

static double ts_us(const struct exporter *ex, size_t run, double t)
{
	return floor((ex->offset_s[run] + t) * 1e6 + 0.5);
}

static void add_kb(cJSON *args, const char *key, int64_t kb)
{
	if (kb >= 0)
		cJSON_AddNumberToObject(args, key, (double)kb);
}

/* the run's track: its name, its place, the comparison as labels */
static void trace_runs(struct exporter *ex)
{
	const struct model *m = ex->m;
	double next = 0, base = 0;
	bool mono = m->nruns > 0;

	/* runs one after the other on one time line: from their monotonic
	 * start times when every run has one, else end to end */
	for (size_t i = 0; i < m->nruns; i++)
		if (m->runs[i].started_mono <= 0)
			mono = false;
	if (mono) {
		base = m->runs[0].started_mono;
		for (size_t i = 1; i < m->nruns; i++)
			if (m->runs[i].started_mono < base)
				base = m->runs[i].started_mono;
	}
	for (size_t i = 0; i < m->nruns; i++) {
		const struct run *r = &m->runs[i];
		char name[MODEL_NAME_MAX + 2 * MODEL_TEXT_MAX + 16];

		ex->offset_s[i] = mono ? r->started_mono - base : next;
		next = ex->offset_s[i] + r->t_now + 1;
		snprintf(name, sizeof(name), "run %s: %s%s%s", r->name, r->label,
			 r->detail[0] ? ", " : "", r->detail);
		meta(ex, "process_name", run_pid(i), run_pid(i), K(trace_args, name),
		     name, 0);
		meta(ex, "process_sort_index", run_pid(i), run_pid(i),
		     K(trace_args, sort_index), NULL, (double)(i + 1) * EXPORT_TRACE_PID);
		meta(ex, "thread_name", run_pid(i), run_pid(i), K(trace_args, name),
		     "phases", 0);
		if (i > 0) {
			struct comparison c = model_compare(&m->runs[0], r);
			char label[256];

			if (c.ready) {
				snprintf(label, sizeof(label),
					 "against %s: speedup %.2f, peak PSS ratio %.2f, peak RSS ratio %.2f, peak USS ratio %.2f",
					 m->runs[0].name, c.speedup, c.pss_ratio,
					 c.rss_ratio, c.uss_ratio);
				meta(ex, "process_labels", run_pid(i), run_pid(i),
				     K(trace_args, labels), label, 0);
			}
		}
	}
}

/* the phases as complete slices (X) on the run's track: one after the
 * other, never overlapping; one that never ended lasts to the run's end */
static void trace_phases(struct exporter *ex)
{
	const struct model *m = ex->m;

	for (size_t i = 0; i < m->nruns; i++) {
		const struct run *r = &m->runs[i];

		for (size_t k = 0; k < r->nphases; k++) {
			const struct phase *p = &r->phases[k];
			double end = p->end_s >= p->start_s ? p->end_s : r->t_now;
			cJSON *e;

			if (end < p->start_s)
				end = p->start_s;
			e = new_event("X", p->name, ts_us(ex, i, p->start_s),
				      run_pid(i), run_pid(i));
			if (e) {
				cJSON_AddNumberToObject(e, K(trace_event, dur),
							ts_us(ex, i, end) - ts_us(ex, i, p->start_s));
				cJSON_AddStringToObject(e, K(trace_event, cat), "phase");
			}
			event(ex, e);
		}
	}
}

static uint64_t seen_hash(size_t run, pid_t pid)
{
	uint64_t h = (uint64_t)pid * 0x9e3779b97f4a7c15ULL + run;

	return h ^ (h >> 29);
}

/* The slot of (run, pid), added when new; NULL when out of memory. */
static struct seen *seen_find(struct exporter *ex, size_t run, pid_t pid,
			      bool *fresh)
{
	size_t mask;

	*fresh = false;
	if ((ex->nseen + 1) * 2 > ex->seen_cap) {
		size_t cap = ex->seen_cap ? ex->seen_cap * 2 : 256;
		struct seen *ns = calloc(cap, sizeof(*ns));

		if (!ns)
			return NULL;
		for (size_t i = 0; i < ex->seen_cap; i++) {
			struct seen *o = &ex->seen[i];
			size_t j;

			if (!o->pid)
				continue;
			for (j = seen_hash(o->run, o->pid) & (cap - 1); ns[j].pid;
			     j = (j + 1) & (cap - 1))
				;
			ns[j] = *o;
		}
		free(ex->seen);
		ex->seen = ns;
		ex->seen_cap = cap;
	}
	mask = ex->seen_cap - 1;
	for (size_t j = seen_hash(run, pid) & mask;; j = (j + 1) & mask) {
		struct seen *s = &ex->seen[j];

		if (s->pid == pid && s->run == run)
			return s;
		if (!s->pid) {
			s->pid = pid;
			s->run = run;
			ex->nseen++;
			*fresh = true;
			return s;
		}
	}
}

static void trace_sample(struct exporter *ex, size_t run, double t,
			 const struct proc_row *rows, size_t n, int64_t bound)
{
	struct point tot = model_totals(t, rows, n);
	double ts = ts_us(ex, run, t);
	cJSON *e, *args;

	for (size_t k = 0; k < n && !ex->failed; k++) {
		const struct proc_row *w = &rows[k];
		int pid = run_pid(run) + (int)w->pid;
		bool fresh;
		struct seen *s = seen_find(ex, run, w->pid, &fresh);
		int64_t uss = w->mem.private_clean < 0 || w->mem.private_dirty < 0 ?
			      -1 : w->mem.private_clean + w->mem.private_dirty;

		if (!s) {
			event(ex, NULL);
			return;
		}
		if (fresh || s->role != w->role || strcmp(s->comm, w->comm) != 0) {
			char name[MODEL_COMM_MAX + MODEL_NAME_MAX + 48];

			snprintf(name, sizeof(name), "%s (%s, pid %d, run %s)",
				 w->comm, model_role_name(w->role), (int)w->pid,
				 ex->m->runs[run].name);
			meta(ex, "process_name", pid, pid, K(trace_args, name), name, 0);
			if (fresh)
				meta(ex, "process_sort_index", pid, pid,
				     K(trace_args, sort_index), NULL,
				     (double)run_pid(run) + w->pid);
			s->role = w->role;
			snprintf(s->comm, sizeof(s->comm), "%s", w->comm);
		}
		if (w->mem.rss < 0 && w->mem.pss < 0 && uss < 0)
			continue; /* nothing known: no counter */
		e = new_event("C", "mem", ts, pid, pid);
		args = e ? cJSON_AddObjectToObject(e, K(trace_event, args)) : NULL;
		if (args) {
			add_kb(args, K(trace_mem, rss_kb), w->mem.rss);
			add_kb(args, K(trace_mem, pss_kb), w->mem.pss);
			add_kb(args, K(trace_mem, uss_kb), uss);
			if (w->mem.shared_clean >= 0 && w->mem.shared_dirty >= 0)
				add_kb(args, K(trace_mem, shared_kb),
				       w->mem.shared_clean + w->mem.shared_dirty);
			if (w->mem.pss >= 0 && uss >= 0)
				add_kb(args, K(trace_mem, pss_shared_kb),
				       w->mem.pss > uss ? w->mem.pss - uss : 0);
		}
		event(ex, args ? e : (cJSON_Delete(e), NULL));
	}
	if (ex->failed)
		return;
	e = new_event("C", "total", ts, run_pid(run), run_pid(run));
	args = e ? cJSON_AddObjectToObject(e, K(trace_event, args)) : NULL;
	if (args) {
		/* the sample's total, as the recording has it */
		add_kb(args, K(total, pss_kb), tot.pss_kb);
		add_kb(args, K(total, rss_kb), tot.rss_kb);
		add_kb(args, K(total, uss_kb), tot.uss_kb);
		add_kb(args, K(total, pss_bound_kb), bound);
		cJSON_AddNumberToObject(args, K(total, nprocs), tot.nprocs);
	}
	event(ex, args ? e : (cJSON_Delete(e), NULL));
}

static void trace_end(struct exporter *ex)
{
	cJSON *md = cJSON_CreateObject(), *sv;
	char *s;

	if (!md) {
		event(ex, NULL);
		return;
	}
	sv = cJSON_AddObjectToObject(md, K(trace_meta, shmviz));
	if (sv) {
		cJSON_AddStringToObject(sv, K(header, version), ex->m->version);
		cJSON_AddNumberToObject(sv, K(header, schema), RECORD_SCHEMA);
		cJSON_AddStringToObject(sv, K(config, mode), ex->m->config.mode);
		cJSON_AddStringToObject(sv, K(config, workload), ex->m->config.workload);
		cJSON_AddNumberToObject(sv, K(config, interval_ms), ex->m->config.interval_ms);
	}
	cJSON_AddItemToObject(md, K(trace_meta, summary), record_summary_json(ex->m));
	s = cJSON_PrintUnformatted(md);
	cJSON_Delete(md);
	if (!s) {
		event(ex, NULL);
		return;
	}
	put(ex, "\n],");
	put_key(ex, K(trace, displayTimeUnit));
	put(ex, "\"ms\",");
	put_key(ex, K(trace, metadata));
	put(ex, s);
	put(ex, "}\n");
	free(s);
}

/* ---- the samples ---- */

static bool stop_signal(struct exporter *ex)
{
	struct pollfd pfd = { .fd = ex->sigfd, .events = POLLIN };
	struct signalfd_siginfo si;

	if (ex->sigfd < 0 || poll(&pfd, 1, 0) != 1)
		return false;
	while (read(ex->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM ||
		    si.ssi_signo == SIGHUP) {
			ex->sig = (int)si.ssi_signo;
			return true;
		}
	}
	return false;
}

static bool on_sample(void *arg, size_t run, double t,
		      const struct proc_row *rows, size_t n, int64_t bound)
{
	struct exporter *ex = arg;

	if (run >= ex->m->nruns) {
		/* the file changed since it was loaded */
		ex->changed = true;
		return false;
	}
	if (++ex->nsamples % SIGNAL_EVERY == 0 && stop_signal(ex))
		return false;
	if (ex->fmt == EXPORT_CSV)
		csv_sample(ex, run, t, rows, n, bound);
	else
		trace_sample(ex, run, t, rows, n, bound);
	return !ex->failed;
}

/* ---- the file ---- */

/* Gives the whole export in fd its mode and its name out_path (through
 * *tmp, which it frees once used). Returns 0 or EXIT_ENVIRONMENT with err
 * said; *tmp is left for the caller to remove only when the file was not
 * renamed for a reason of its own: a failed rename keeps it, and says
 * where. */
static int commit(int fd, const char *rec_path, const char *dir,
		  const char *base, const char *out_path, char **tmp,
		  char *err, size_t errlen)
{
	char shown[OUTPATH_SHOWN_MAX + 1], kept[OUTPATH_SHOWN_MAX + 1];
	int e;

	text_shown(shown, sizeof(shown), out_path, OUTPATH_SHOWN_MAX);
	/* the mode a plain creat(2) would give, as private as the recording */
	e = fchmod(fd, outpath_mode(rec_path)) != 0 ? errno : 0;
	if (!e && !*tmp)
		e = outpath_temp_name(fd, dir, base, tmp);
	if (e) {
		snprintf(err, errlen, "cannot write %s: %s", shown, strerror(e));
		return EXIT_ENVIRONMENT;
	}
	if (rename(*tmp, out_path) != 0) {
		/* the export is whole: it stays under its temporary name */
		e = errno;
		text_shown(kept, sizeof(kept), *tmp, OUTPATH_SHOWN_MAX);
		snprintf(err, errlen, "cannot write %s: %s (the export is kept as %s)",
			 shown, strerror(e), kept);
	}
	free(*tmp);
	*tmp = NULL;
	return e ? EXIT_ENVIRONMENT : 0;
}

int export_write(enum export_format fmt, const struct model *m,
		 const char *rec_path, bool recover, const char *out_path,
		 int sigfd, char *err, size_t errlen)
{
	struct exporter ex = { .fmt = fmt, .m = m, .sigfd = sigfd,
			       .first_event = true };
	char shown[OUTPATH_SHOWN_MAX + 1], *dircopy = strdup(out_path),
	     *basecopy = strdup(out_path), *tmp = NULL, *dir, *base;
	int fd = -1, status = 0;

	err[0] = '\0';
	text_shown(shown, sizeof(shown), out_path, OUTPATH_SHOWN_MAX);
	if (!dircopy || !basecopy) {
		snprintf(err, errlen, "cannot export to %s: out of memory", shown);
		status = EXIT_ENVIRONMENT;
		goto out;
	}
	dir = dirname(dircopy);
	base = basename(basecopy);
	fd = outpath_temp(dir, base, &tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot export to %s: %s", shown, strerror(errno));
		status = EXIT_USAGE;
		goto out;
	}
	ex.f = fdopen(fd, "w");
	if (!ex.f) {
		snprintf(err, errlen, "cannot export to %s: %s", shown, strerror(errno));
		close(fd);
		status = EXIT_ENVIRONMENT;
		goto out;
	}
	ex.buf = malloc(EXPORT_BUF);
	if (ex.buf)
		setvbuf(ex.f, ex.buf, _IOFBF, EXPORT_BUF);
	ex.decay = calloc(MODEL_MAX_RUNS, sizeof(*ex.decay));
	if (!ex.decay) {
		snprintf(err, errlen, "cannot export to %s: out of memory", shown);
		status = EXIT_ENVIRONMENT;
		goto out;
	}
	if (fmt == EXPORT_CSV) {
		csv_header(&ex);
	} else {
		put(&ex, "{");
		put_key(&ex, K(trace, traceEvents));
		put(&ex, "[");
		trace_runs(&ex);
		trace_phases(&ex);
	}
	status = replay_stream_samples(rec_path, recover, on_sample, &ex, err,
				       errlen);
	if (ex.sig) {
		snprintf(err, errlen, "interrupted");
		status = 128 + ex.sig;
		goto out;
	}
	if (status > 0)
		goto out; /* the recording: err says why */
	if (status < 0 && ex.changed) {
		snprintf(err, errlen, "cannot export to %s: the recording changed while it was read",
			 shown);
		status = EXIT_BAD_RECORDING;
		goto out;
	}
	if (fmt == EXPORT_TRACE)
		trace_end(&ex);
	if (!ex.failed && (fflush(ex.f) != 0 || fsync(fileno(ex.f)) != 0))
		fail(&ex, errno);
	if (ex.failed) {
		snprintf(err, errlen, "cannot write %s: %s", shown, strerror(ex.werr));
		status = EXIT_ENVIRONMENT;
		goto out;
	}
	status = commit(fileno(ex.f), rec_path, dir, base, out_path, &tmp,
			err, errlen);
out:
	if (ex.f)
		fclose(ex.f);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(ex.buf);
	free(ex.seen);
	free(ex.decay);
	free(dircopy);
	free(basecopy);
	return status;
}
