/*
 * captions.c - the lesson caption file: parsing, choosing the rule that
 * fits the moment, filling in placeholders (see captions.h and
 * docs/captions.md). Texts are checked once, at parse time: valid UTF-8,
 * no control character, only known placeholders.
 */
#include "src/report/captions.h"
#include "src/report/summary.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/util/fmt.h"
#include "src/util/text.h"

static const char *const var_names[CV_COUNT] = {
	[CV_SIZE] = "size",
	[CV_ROWS] = "rows",
	[CV_WORKERS] = "workers",
	[CV_PSS] = "pss",
	[CV_RSS] = "rss",
	[CV_USS] = "uss",
	[CV_SHARED] = "shared",
	[CV_PRIVATE] = "private",
	[CV_OVERCOUNT] = "overcount",
	[CV_NPROCS] = "nprocs",
	[CV_ELAPSED] = "elapsed",
	[CV_WALL] = "wall",
	[CV_PEAK_PSS] = "peak_pss",
	[CV_PEAK_RSS] = "peak_rss",
	[CV_SPEEDUP] = "speedup",
	[CV_MEMRATIO] = "memratio",
	[CV_RUNS] = "runs",
	[CV_COMPARE] = "compare",
	[CV_TRACEMALLOC] = "tracemalloc",
	[CV_KERNEL_PEAK] = "kernel_peak",
	[CV_DATA] = "data",
	[CV_WORKER_PRIVATE] = "worker_private",
	[CV_PREFORK] = "prefork",
	[CV_PYTHON] = "python",
	[CV_RUN] = "run",
	[CV_PHASE] = "phase",
	[CV_OTHER] = "other",
	[CV_DETAIL] = "detail",
	[CV_CAUSE] = "cause",
	[CV_FIRST] = "first",
	[CV_SECOND] = "second",
	[CV_FASTER] = "faster",
	[CV_LESSMEM] = "lessmem",
	[CV_N_WORKERS] = "n_workers",
	[CV_N_PROCS] = "n_procs",
};

enum var_kind { KIND_KB, KIND_COUNT, KIND_SECONDS, KIND_RATIO, KIND_STRING };

static enum var_kind var_kind(enum caption_var v)
{
	switch (v) {
	case CV_ROWS:
	case CV_WORKERS:
	case CV_NPROCS:
	case CV_RUNS:
	case CV_COMPARE:
	case CV_PREFORK:
	case CV_PYTHON:
		return KIND_COUNT;
	case CV_ELAPSED:
	case CV_WALL:
		return KIND_SECONDS;
	case CV_SPEEDUP:
	case CV_MEMRATIO:
		return KIND_RATIO;
	default:
		return v >= CV_NUM_COUNT ? KIND_STRING : KIND_KB;
	}
}

const char *captions_var_name(enum caption_var v)
{
	return (unsigned)v < CV_COUNT ? var_names[v] : NULL;
}

static int var_lookup(const char *s, size_t len)
{
	for (int i = 0; i < CV_COUNT; i++)
		if (strlen(var_names[i]) == len && memcmp(var_names[i], s, len) == 0)
			return i;
	return -1;
}

static bool fail(char *err, size_t errlen, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static bool fail(char *err, size_t errlen, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "line %d: %s", line, msg);
	return false;
}

void captions_finish(struct captions *c)
{
	if (!c)
		return;
	free(c->rules);
	c->rules = NULL;
	c->n = 0;
}

static const char *skip_space(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* next word of [s, end) up to a space or the colon; returns its end */
static const char *word(const char *s, const char *end)
{
	while (s < end && *s != ' ' && *s != '\t' && *s != ':')
		s++;
	return s;
}

static bool copy_word(char *dst, size_t cap, const char *s, const char *e)
{
	if (e <= s || (size_t)(e - s) >= cap)
		return false;
	memcpy(dst, s, (size_t)(e - s));
	dst[e - s] = '\0';
	return true;
}

/* "100M", "100MiB", "1.5G", "2", "0.5": memory in KiB (K=1, M, G, T
 * binary; written K, Ki or KiB alike) */
static bool parse_number(const char *s, const char *e, double *out)
{
	char buf[64], *end;
	double v, mul = 1;

	if (!copy_word(buf, sizeof(buf), s, e))
		return false;
	errno = 0;
	v = strtod(buf, &end);
	if (end == buf || errno || !isfinite(v))
		return false;
	if (*end) {
		switch (toupper((unsigned char)*end)) {
		case 'K':
			mul = 1;
			break;
		case 'M':
			mul = 1024;
			break;
		case 'G':
			mul = 1024.0 * 1024;
			break;
		case 'T':
			mul = 1024.0 * 1024 * 1024;
			break;
		default:
			return false;
		}
		if (end[1] && strcmp(end + 1, "i") != 0 && strcmp(end + 1, "iB") != 0)
			return false;
	}
	*out = v * mul;
	return true;
}

static bool check_text(const char *t, int line, char *err, size_t errlen)
{
	for (const char *p = t; (p = strchr(p, '{')); ) {
		const char *q = strchr(p, '}');

		if (!q)
			return fail(err, errlen, line, "'{' without '}'");
		if (var_lookup(p + 1, (size_t)(q - p - 1)) < 0) {
			char name[33]; /* at most 32 bytes, whole characters */

			text_sanitize(name, sizeof(name), p + 1, (size_t)(q - p - 1), false);
			return fail(err, errlen, line, "unknown placeholder {%s}", name);
		}
		p = q + 1;
	}
	return true;
}

static bool parse_line(const char *s, const char *end, int line,
		       struct caption_rule *r, char *err, size_t errlen)
{
	const char *colon = memchr(s, ':', (size_t)(end - s)), *e;

	memset(r, 0, sizeof(*r));
	r->line = line;
	if (!colon)
		return fail(err, errlen, line, "expected 'RUN PHASE: text' (no ':')");
	e = word(s, colon);
	if (!copy_word(r->run, sizeof(r->run), s, e))
		return fail(err, errlen, line, "expected a run name ('shared', 'copy', '*', 'all') before ':'");
	s = skip_space(e, colon);
	e = word(s, colon);
	if (!copy_word(r->phase, sizeof(r->phase), s, e))
		return fail(err, errlen, line, "expected a phase ('attach', 'done', '*') after the run name");
	s = skip_space(e, colon);
	if (s < colon) {
		int v;

		e = word(s, colon);
		if (e - s != 2 || memcmp(s, "if", 2) != 0)
			return fail(err, errlen, line, "expected 'if' or ':' after the phase");
		s = skip_space(e, colon);
		e = s;
		while (e < colon && (isalnum((unsigned char)*e) || *e == '_'))
			e++;
		v = var_lookup(s, (size_t)(e - s));
		if (v < 0 || var_kind((enum caption_var)v) == KIND_STRING)
			return fail(err, errlen, line, "unknown number '%.*s' in the condition",
				    (int)(e - s > 32 ? 32 : e - s), s);
		r->var = (enum caption_var)v;
		s = skip_space(e, colon);
		e = s;
		while (e < colon && strchr("<>=!", *e))
			e++;
		if (!copy_word(r->op, sizeof(r->op), s, e) ||
		    (strcmp(r->op, "<") != 0 && strcmp(r->op, "<=") != 0 &&
		     strcmp(r->op, ">") != 0 && strcmp(r->op, ">=") != 0 &&
		     strcmp(r->op, "=") != 0 && strcmp(r->op, "!=") != 0))
			return fail(err, errlen, line, "expected <, <=, >, >=, = or != in the condition");
		s = skip_space(e, colon);
		e = word(s, colon);
		if (!parse_number(s, e, &r->value))
			return fail(err, errlen, line, "expected a number (like 100M or 0.5) in the condition");
		if (skip_space(e, colon) != colon)
			return fail(err, errlen, line, "unexpected words before ':'");
		r->has_cond = true;
	}
	s = skip_space(colon + 1, end);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	if (s == end)
		return fail(err, errlen, line, "the caption text after ':' is empty");
	if ((size_t)(end - s) >= sizeof(r->text))
		return fail(err, errlen, line, "the caption is longer than %zu bytes",
			    sizeof(r->text) - 1);
	memcpy(r->text, s, (size_t)(end - s));
	r->text[end - s] = '\0';
	for (char *p = r->text; *p; p++)
		if (*p == '\t')
			*p = ' ';
	if (!text_is_clean(r->text, strlen(r->text)))
		return fail(err, errlen, line, "not valid UTF-8, or a control character");
	return check_text(r->text, line, err, errlen);
}

bool captions_parse(const char *text, size_t len, struct captions *c,
		    char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	size_t cap = 0;
	int line = 0;

	c->rules = NULL;
	c->n = 0;
	/* a UTF-8 byte order mark, as some editors write */
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *s;

		line++;
		if (memchr(p, '\0', (size_t)(le - p))) {
			captions_finish(c);
			return fail(err, errlen, line, "a NUL byte: is this a text file?");
		}
		s = skip_space(p, le);
		if (s < le && *s != '#' && !(le - s == 1 && *s == '\r')) {
			if (c->n == CAPTIONS_RULES_MAX) {
				captions_finish(c);
				return fail(err, errlen, line, "more than %d captions", CAPTIONS_RULES_MAX);
			}
			if (c->n == cap) {
				size_t ncap = cap ? cap * 2 : 32;
				struct caption_rule *nr = realloc(c->rules, ncap * sizeof(*nr));

				if (!nr) {
					captions_finish(c);
					return fail(err, errlen, line, "out of memory");
				}
				c->rules = nr;
				cap = ncap;
			}
			if (!parse_line(s, le, line, &c->rules[c->n], err, errlen)) {
				captions_finish(c);
				return false;
			}
			c->n++;
		}
		p = nl ? nl + 1 : end;
	}
	return true;
}

bool captions_load(const char *path, struct captions *c, char *err,
		   size_t errlen)
{
	/* non-blocking open: a FIFO without a writer must not hang it */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	FILE *f;
	char *buf;
	size_t n;
	bool ok;

	c->rules = NULL;
	c->n = 0;
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: %s", path, S_ISDIR(st.st_mode) ?
			 "is a directory" : "not a regular file (a caption file is read twice: a FIFO or a device cannot be)");
		close(fd);
		return false;
	}
	f = fdopen(fd, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return false;
	}
	buf = malloc(CAPTIONS_FILE_MAX + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return false;
	}
	n = fread(buf, 1, CAPTIONS_FILE_MAX + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno ? errno : EIO));
		ok = false;
	} else if (n > CAPTIONS_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", path, CAPTIONS_FILE_MAX);
		ok = false;
	} else {
		char e[256];

		ok = captions_parse(buf, n, c, e, sizeof(e));
		if (!ok)
			snprintf(err, errlen, "%s %s", path, e);
	}
	free(buf);
	fclose(f);
	return ok;
}

static void set_num(struct caption_ctx *ctx, enum caption_var v, double x)
{
	ctx->num[v] = x;
	ctx->have[v] = true;
}

static void set_str(struct caption_ctx *ctx, enum caption_var v, const char *s)
{
	text_sanitize(ctx->str[v - CV_NUM_COUNT], sizeof(ctx->str[0]), s,
		      strlen(s), ctx->ascii);
}

/* the figures of the totals p */
static void context_point(struct caption_ctx *ctx, const struct point *p)
{
	set_num(ctx, CV_RSS, (double)p->rss_kb);
	set_num(ctx, CV_NPROCS, p->nprocs);
	{
		char n[48];

		snprintf(n, sizeof(n), "%d process%s", p->nprocs,
			 p->nprocs == 1 ? "" : "es");
		set_str(ctx, CV_N_PROCS, n);
	}
	if (!p->pss_partial || p->pss_kb > 0) {
		double shared = (double)(p->pss_kb - p->uss_kb);

		ctx->approx = !p->consistent;
		set_num(ctx, CV_PSS, (double)p->pss_kb);
		set_num(ctx, CV_USS, (double)p->uss_kb);
		set_num(ctx, CV_PRIVATE, (double)p->uss_kb);
		set_num(ctx, CV_SHARED, shared < 0 ? 0 : shared);
		set_num(ctx, CV_OVERCOUNT, (double)(p->rss_kb > p->pss_kb ?
					 p->rss_kb - p->pss_kb : 0));
	}
}

/* the comparison of the first two runs, a and b */
static void context_compare(struct caption_ctx *ctx, const struct run *a,
			    const struct run *b, bool ascii)
{
	struct comparison cmp = model_compare(a, b);

	set_str(ctx, CV_SECOND, b->name);
	if (cmp.ready && cmp.speedup > 0)
		set_num(ctx, CV_SPEEDUP, cmp.speedup);
	if (cmp.ready && cmp.pss_ratio > 0)
		set_num(ctx, CV_MEMRATIO, cmp.pss_ratio);
	if (cmp.ready) {
		/* in the direction that reads as a number above 1, as the
		 * strip says it: never "0.0× its memory" */
		char rt[FMT_SIZE_MAX], words[MODEL_TEXT_MAX];

		if (cmp.speedup > 0)
			/* a's time over b's: "as fast" where it reads 1.0 */
			set_str(ctx, CV_FASTER, summary_speed(words, sizeof(words),
							      1 / cmp.speedup, ascii));
		if (!run_has_peak(a) || !run_has_peak(b) || cmp.pss_ratio <= 0) {
			set_str(ctx, CV_LESSMEM, "not sampled");
		} else {
			fmt_ratio(rt, sizeof(rt), cmp.pss_ratio >= 1 ? cmp.pss_ratio :
				  1 / cmp.pss_ratio, ascii);
			if (!strcmp(rt, ascii ? "1.0x" : "1.0\xc3\x97"))
				snprintf(words, sizeof(words), "as much");
			else
				snprintf(words, sizeof(words), "%s %s", rt,
					 cmp.pss_ratio >= 1 ? "less" : "more");
			set_str(ctx, CV_LESSMEM, words);
		}
	}
}

void captions_context(struct caption_ctx *ctx, const struct model *m,
		      const struct run *r, const struct point *p,
		      const char *phase, double elapsed, bool ascii)
{
	const struct run *a = m->nruns > 0 ? &m->runs[0] : NULL;
	const struct run *b = m->nruns > 1 ? &m->runs[1] : NULL;

	memset(ctx, 0, sizeof(*ctx));
	ctx->ascii = ascii;
	if (m->config.bytes) {
		uint64_t kb = m->config.bytes / 1024; /* whole kB */

		set_num(ctx, CV_SIZE, (double)kb);
	}
	if (m->config.rows)
		set_num(ctx, CV_ROWS, (double)m->config.rows);
	if (r && r->workers > 0)
		set_num(ctx, CV_WORKERS, r->workers);
	else if (m->config.workers > 0)
		set_num(ctx, CV_WORKERS, m->config.workers);
	if (ctx->have[CV_WORKERS]) {
		char n[48];

		snprintf(n, sizeof(n), "%.0f worker%s", ctx->num[CV_WORKERS],
			 ctx->num[CV_WORKERS] == 1 ? "" : "s");
		set_str(ctx, CV_N_WORKERS, n);
	}
	if (p)
		context_point(ctx, p);
	if (elapsed >= 0)
		set_num(ctx, CV_ELAPSED, elapsed);
	if (r) {
		if (r->state == RUN_DONE)
			set_num(ctx, CV_WALL, r->result.wall_s);
		if (r->nticks) {
			set_num(ctx, CV_PEAK_PSS, (double)r->peak.pss_kb);
			set_num(ctx, CV_PEAK_RSS, (double)r->peak.rss_kb);
		}
		if (r->result.have_tracemalloc)
			set_num(ctx, CV_TRACEMALLOC, r->result.tracemalloc_peak_kb);
		if (r->kpeak.kb >= 0)
			set_num(ctx, CV_KERNEL_PEAK, (double)r->kpeak.kb);
		if (r->result.have_data)
			set_num(ctx, CV_DATA, r->result.data_kb);
		if (r->proj.private_kb >= 0)
			set_num(ctx, CV_WORKER_PRIVATE, (double)r->proj.private_kb);
		set_str(ctx, CV_RUN, r->name);
		set_str(ctx, CV_DETAIL, r->detail);
		set_str(ctx, CV_CAUSE, r->cause);
		if (a && b)
			set_str(ctx, CV_OTHER, r == a ? b->name : a->name);
	}
	set_str(ctx, CV_PHASE, phase ? phase : "");
	set_num(ctx, CV_RUNS, (double)m->nruns);
	set_num(ctx, CV_COMPARE, strcmp(m->config.workload, "compare") == 0);
	set_num(ctx, CV_PREFORK, strcmp(m->config.workload, "prefork") == 0);
	set_num(ctx, CV_PYTHON, strcmp(m->config.workload, "python") == 0);
	if (a)
		set_str(ctx, CV_FIRST, a->name);
	if (b)
		context_compare(ctx, a, b, ascii);
}

static bool holds(const struct caption_rule *r, const struct caption_ctx *ctx)
{
	double x;

	if (!r->has_cond)
		return true;
	if (!ctx->have[r->var])
		return false;
	x = ctx->num[r->var];
	if (!strcmp(r->op, "<"))
		return x < r->value;
	if (!strcmp(r->op, "<="))
		return x <= r->value;
	if (!strcmp(r->op, ">"))
		return x > r->value;
	if (!strcmp(r->op, ">="))
		return x >= r->value;
	if (!strcmp(r->op, "="))
		return x == r->value;
	return x != r->value;
}

const struct caption_rule *captions_pick(const struct captions *c,
					 const char *run, const char *phase,
					 enum run_state state, bool all_done,
					 const struct caption_ctx *ctx)
{
	const char *sname = state == RUN_RUNNING ? "running" : model_state_name(state);

	for (size_t i = 0; c && i < c->n; i++) {
		const struct caption_rule *r = &c->rules[i];

		if (!strcmp(r->run, "all")) {
			if (!all_done)
				continue;
		} else if (all_done || (strcmp(r->run, "*") != 0 && strcmp(r->run, run) != 0)) {
			continue;
		}
		if (strcmp(r->phase, "*") != 0 && strcmp(r->phase, sname) != 0 &&
		    !((state == RUN_RUNNING || state == RUN_WAITING) && phase &&
		      strcmp(r->phase, phase) == 0))
			continue;
		if (holds(r, ctx))
			return r;
	}
	return NULL;
}

static size_t put(char *out, size_t cap, size_t at, const char *s)
{
	size_t n = strlen(s);

	if (at + n >= cap) {
		/* never cut a UTF-8 character in half */
		n = cap - 1 - at;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out + at, s, n);
	out[at + n] = '\0';
	return at + n;
}

void captions_expand(char *out, size_t cap, const char *text,
		     const struct caption_ctx *ctx)
{
	size_t at = 0;

	if (!cap)
		return;
	out[0] = '\0';
	while (*text && at + 1 < cap) {
		const char *q;
		int v;

		if (*text != '{' || !(q = strchr(text, '}')) ||
		    (v = var_lookup(text + 1, (size_t)(q - text - 1))) < 0) {
			/* a plain character; ASCII mode replaces the others */
			size_t n = 1;
			char one[8];

			while (((unsigned char)text[n] & 0xc0) == 0x80)
				n++;
			if (ctx->ascii && (unsigned char)*text >= 0x80)
				at = put(out, cap, at, "?");
			else {
				memcpy(one, text, n);
				one[n] = '\0';
				at = put(out, cap, at, one);
			}
			text += n;
			continue;
		}
		{
			char buf[MODEL_TEXT_MAX];
			enum var_kind k = var_kind((enum caption_var)v);

			if (k == KIND_STRING) {
				snprintf(buf, sizeof(buf), "%s", ctx->str[v - CV_NUM_COUNT]);
				if (!buf[0])
					snprintf(buf, sizeof(buf), "?");
			} else if (!ctx->have[v]) {
				snprintf(buf, sizeof(buf), "?");
			} else if (k == KIND_KB) {
				/* a figure of PSS reads wider than one moment */
				bool about = ctx->approx && (v == CV_PSS || v == CV_USS ||
							     v == CV_SHARED || v == CV_PRIVATE ||
							     v == CV_OVERCOUNT);
				size_t n = about ? (size_t)snprintf(buf, sizeof(buf), "%s",
								  ctx->ascii ? "~" : "\xe2\x89\x88") : 0;

				fmt_kb_long(buf + n, sizeof(buf) - n, (int64_t)ctx->num[v]);
			} else if (k == KIND_SECONDS) {
				fmt_seconds(buf, sizeof(buf), ctx->num[v]);
			} else if (k == KIND_RATIO) {
				fmt_ratio(buf, sizeof(buf), ctx->num[v], ctx->ascii);
			} else {
				snprintf(buf, sizeof(buf), "%.0f", ctx->num[v]);
			}
			at = put(out, cap, at, buf);
			text = q + 1;
		}
	}
}
