/*
 * stream.c - the streaming and the thinning of the replay loader: a
 * recording longer than REPLAY_WHOLE_MAX (or one cut short, to recover)
 * read one sample at a time, the frames a run keeps thinned, and the
 * samples read again, one at a time, for an export.
 */
#include "src/recording/stream.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "src/recording/jsonscan.h"
#include "src/recording/record.h"
#include "src/util/exits.h"

/* Waits until fd has data (true) or a stop signal came on sigfd (false,
 * *sig set). Other signals (SIGCHLD) are consumed. */
bool stream_wait_data(int fd, int sigfd, int *sig)
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
bool stream_stop_heard(int sigfd, int *sig)
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

/* ---- a recording cut short: the rest of its document ----
 *
 * Printed by cJSON from the tables: the run then being written closed as
 * one "cut short", failed; the document closed as interrupted. */

/* text of obj's members after "],", and "}" */
static char *members_closed(cJSON *o)
{
	char *s = o ? cJSON_PrintUnformatted(o) : NULL, *out = NULL;
	size_t len = s ? strlen(s) : 0;

	if (s && len >= 2 && asprintf(&out, "],%.*s}", (int)(len - 2), s + 1) < 0)
		out = NULL;
	free(s);
	cJSON_Delete(o);
	return out;
}

static char *cut_run_end(void)
{
	struct run *r = calloc(1, sizeof(*r));
	char *s;

	if (!r)
		return NULL;
	snprintf(r->name, sizeof(r->name), "cut short");
	snprintf(r->cause, sizeof(r->cause), "the recording was cut short here");
	r->state = RUN_FAILED;
	r->result.cpu_user_s = r->result.cpu_sys_s = 0;
	r->kpeak.kb = MODEL_KB_NONE;
	s = members_closed(record_run_json(r, false));
	free(r);
	return s;
}

static char *cut_doc_end(void)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddBoolToObject(o, K(top, interrupted), true);
	cJSON_AddNullToObject(o, K(top, signal));
	return members_closed(o);
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
	bool opened;                    /* the document's '{' was met */
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
	bool (*on_sample)(void *arg, struct schema_ctx *c, size_t run, double t,
			  size_t n, int64_t bound);
	void *arg;
	struct schema_ctx *c;
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

/* the element just cut out: checked, read, handed on */
static bool split_emit(struct splitter *sp)
{
	struct schema_ctx *c = sp->c;
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
	schema_push_key(c, K(top, runs));
	schema_push_index(c, sp->run);
	schema_push_key(c, K(run, samples));
	schema_push_index(c, sp->sample);
	root = jsonscan_parse(sp->elem, sp->elen, &schema_sample, false, msg,
			      sizeof(msg));
	if (!root) {
		snprintf(c->err, c->errlen, "%s (from line %zu): %s", c->path,
			 sp->elem_line, msg);
		c->failed = true;
		return false;
	}
	ok = replay_read_sample(c, root, &sp->prev[sp->run], &t, &n, &bound);
	jsonscan_free(root);
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
	/* outside the document: a recording is one object, so anything but
	 * white space before its '{' is not one (random bytes say so here,
	 * not as brackets nested too deep); after it, the skeleton's parser
	 * says what is wrong */
	if (!sp->depth && !sp->opened && ch != ' ' && ch != '\t' &&
	    ch != '\n' && ch != '\r') {
		if (ch != '{')
			return split_fail(sp, "not valid JSON: a recording begins with '{'");
		sp->opened = true;
	}
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
			    strcmp(sp->key[1], K(top, runs)) == 0) {
				sp->runs_open = true;
				sp->run = (size_t)-1;
			}
			if (d == 3 && ch == '{' && sp->runs_open)
				sp->run++;
			if (d == 4 && ch == '[' && sp->runs_open &&
			    sp->kind[3] == '{' &&
			    strcmp(sp->key[3], K(run, samples)) == 0) {
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
		if (stream_stop_heard(sigfd, &sig)) {
			snprintf(sp->c->err, sp->c->errlen, "interrupted while reading it");
			status = 128 + sig;
			break;
		}
		n = read(fd, chunk, REPLAY_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN && sigfd >= 0) {
			if (!stream_wait_data(fd, sigfd, &sig)) {
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
		char *add[2] = { NULL, NULL };
		bool ok;

		if (sp->safe == SAFE_IN_SAMPLES)
			add[0] = cut_run_end();
		add[1] = cut_doc_end();
		ok = add[1] && (sp->safe != SAFE_IN_SAMPLES || add[0]);
		sp->cut = true;
		sp->cut_line = sp->line;
		sp->slen = sp->keep_skel ? sp->safe_len : 0;
		for (int k = 0; ok && k < 2 && sp->keep_skel; k++)
			for (const char *a = add[k]; a && *a && ok; a++)
				ok = split_put(&sp->skel, &sp->slen, &sp->scap, *a);
		free(add[0]);
		free(add[1]);
		if (!ok)
			snprintf(sp->c->err, sp->c->errlen, "out of memory");
		return ok ? 0 : EXIT_BAD_RECORDING;
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
	size_t frames_max; /* frames cost memory with no row too (a tree
	                      gone: samples of no process) */
	const struct splitter *sp; /* its skeleton so far: the host's page */
	bool paged;        /* the runs' page size set from it */
};

/* host.page_size from the skeleton read so far (the host object comes
 * before the runs in a recording); 0: not found */
static long skel_page_size(const char *s, size_t len)
{
	static const char host[] = "\"host\"", key[] = "\"page_size\"";
	const char *h = memmem(s, len, host, sizeof(host) - 1), *k, *end = s + len;
	long v = 0;

	if (!h)
		return 0;
	k = memmem(h, (size_t)(end - h), key, sizeof(key) - 1);
	if (!k)
		return 0;
	for (k += sizeof(key) - 1; k < end && (*k == ' ' || *k == ':' || *k == '\n' || *k == '\t'); k++)
		;
	for (; k < end && *k >= '0' && *k <= '9' && v < (1L << 30); k++)
		v = v * 10 + (*k - '0');
	return v >= 512 && !(v & (v - 1)) ? v : 0;
}

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

static bool stage_sample(void *arg, struct schema_ctx *c, size_t run, double t,
			 size_t n, int64_t bound)
{
	struct staged *st = arg;
	struct run *r = &st->runs[run];
	size_t idx = r->nticks; /* this sample's index in the run */

	if (!st->paged) {
		/* the upper end counts faults in the recording's pages */
		long page = skel_page_size(st->sp->skel, st->sp->slen);

		for (size_t i = 0; page && i < MODEL_MAX_RUNS; i++)
			upper_init(&st->runs[i].upper, page);
		st->paged = true;
	}
	if (st->provisional[run]) {
		r->nframes--;
		r->nrows = r->frames[r->nframes].first;
		st->provisional[run] = false;
	}
	while (r->nframes > 1 &&
	       (r->nrows + n > st->rows_max || r->nframes >= st->frames_max)) {
		thin(r);
		st->stride[run] *= 2;
	}
	if (!replay_add_tick(c, r, t, n, bound)) {
		schema_bad(c, "out of memory");
		return false;
	}
	replay_set_root(r, c->rows, n);
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
	upper_free(&to->upper);
	to->upper = from->upper;
	from->upper.prev = from->upper.next = NULL;
	if (recorded.rss_kb > to->peak.rss_kb)
		to->peak.rss_kb = recorded.rss_kb;
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
		upper_free(&st->runs[i].upper);
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
int stream_load(int fd, int sigfd, char *buf, size_t len,
		       struct model *m, bool recover, char *note, size_t notelen,
		       char *err, size_t errlen)
{
	struct schema_ctx c = { .err = err, .errlen = errlen };
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
	st->frames_max = REPLAY_HELD_RUN_BYTES / sizeof(struct frame);
	for (size_t i = 0; i < MODEL_MAX_RUNS; i++) {
		upper_init(&st->runs[i].upper, 4096); /* until the host is read */
		st->runs[i].keep_frames = true;
		st->stride[i] = 1;
		st->runs[i].point_stride = 1;
	}
	sp.on_sample = stage_sample;
	sp.arg = st;
	st->sp = &sp;
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
	status = replay_load_text(sp.skel, sp.slen, m, err, errlen);
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

static bool pass_sample(void *arg, struct schema_ctx *c, size_t run, double t,
			size_t n, int64_t bound)
{
	struct stream_arg *sa = arg;

	if (bound == REPLAY_BOUND_FROM_FLAG)
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

int stream_samples(const char *path, bool recover, replay_sample_fn fn,
		   void *arg, char *err, size_t errlen)
{
	char msg[384] = "";
	struct schema_ctx c = { .err = msg, .errlen = sizeof(msg) };
	struct stream_arg sa = { fn, arg };
	struct splitter sp = { .line = 1, .c = &c, .on_sample = pass_sample,
			       .arg = &sa, .recover = recover };
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY), status;

	err[0] = '\0';
	if (fd < 0) {
		snprintf(msg, sizeof(msg), "cannot open the recording: %s",
			 strerror(errno));
		return replay_fail_file(path, err, errlen, msg);
	}
	status = split_fd(&sp, fd, -1, NULL, 0);
	close(fd);
	free(sp.elem);
	free(c.rows);
	if (status && strcmp(msg, "stopped") != 0)
		return replay_fail_file(path, err, errlen, msg);
	return status ? -1 : 0;
}

