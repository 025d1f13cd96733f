/*
 * summary.c - the table printed after a headless run, and the one-line
 * comparison shared with the TUI.
 *
 * Text given by the user or by other programs (a command's words, a run's
 * name, a cause, a log path under TMPDIR) may hold escape sequences: all
 * of it is printed through text_sanitize(), as the TUI and the recording
 * show it, so that nothing of it drives the terminal.
 */
#include "src/report/summary.h"
#include "src/report/decayrep.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/util/fmt.h"
#include "src/util/macros.h"
#include "src/util/text.h"

#define COLW 11   /* the narrowest value column */
#define LABELW 21 /* "kernel peak (cgroup)" and a space */
#define TAB_ROWS 32
#define TAB_COLS (2 * MODEL_MAX_RUNS - 1)
#define TAB_CELL 96

/* The table is laid out once all its cells are known: each column as wide
 * as its widest cell and a space (so that two cells are always two spaces
 * apart: "watched 3.68 s", "26-34× more" never run into the next), at
 * least COLW; wider than the terminal, its columns go on in a block of
 * their own below, each row under its label again (a cell is never cut). */
struct tab {
	size_t nrows;
	struct tab_row {
		char label[TAB_CELL];
		size_t ncells;
		char cell[TAB_COLS][TAB_CELL];
	} rows[TAB_ROWS];
};

/* --ascii or a locale not UTF-8 (summary_set_ascii) */
static bool ascii_out;

void summary_set_ascii(bool on)
{
	ascii_out = on;
}

/* s made safe to print (docs/architecture.md rule 8's "hostile input"),
 * in ASCII when so asked: the table's widths are those of what is shown */
static const char *clean(char *buf, size_t size, const char *s)
{
	text_sanitize(buf, size, s, strlen(s), false);
	if (ascii_out) {
		char tmp[MODEL_TEXT_MAX * 4];
		size_t n = strlen(buf);

		n = n < sizeof(tmp) ? n : sizeof(tmp) - 1;
		memcpy(tmp, buf, n);
		tmp[n] = '\0';
		text_to_ascii(buf, size, tmp);
	}
	return buf;
}

/* a new row of the table, under the label raw */
static void tab_row(struct tab *t, const char *raw)
{
	struct tab_row *r;

	if (t->nrows >= TAB_ROWS)
		return;
	r = &t->rows[t->nrows++];
	r->ncells = 0;
	clean(r->label, sizeof(r->label), raw);
}

/* the next cell of the newest row */
static void cell(struct tab *t, const char *raw)
{
	struct tab_row *r = t->nrows ? &t->rows[t->nrows - 1] : NULL;

	if (!r || r->ncells >= TAB_COLS)
		return;
	clean(r->cell[r->ncells++], TAB_CELL, raw);
}

static void pad(FILE *f, int n)
{
	while (n-- > 0)
		fputc(' ', f);
}

static void label(FILE *f, const char *raw)
{
	char buf[MODEL_TEXT_MAX];
	const char *s = clean(buf, sizeof(buf), raw);

	fputs(s, f);
	pad(f, LABELW - text_columns(s));
}

/* the rows of t, columns [c0, c1): a row without a cell there is left out
 * of a block after the first */
static void tab_block(FILE *f, const struct tab *t, const int *w, int labw,
		      size_t c0, size_t c1)
{
	for (size_t i = 0; i < t->nrows; i++) {
		const struct tab_row *r = &t->rows[i];

		if (c0 && r->ncells <= c0)
			continue;
		fputs(r->label, f);
		pad(f, labw - text_columns(r->label));
		for (size_t c = c0; c < c1 && c < r->ncells; c++) {
			pad(f, 1 + w[c] - text_columns(r->cell[c]));
			fputs(r->cell[c], f);
		}
		fputc('\n', f);
	}
}

/* t in blocks of the columns that fit in cols (0: no limit) */
static void tab_print(FILE *f, const struct tab *t, int cols)
{
	int w[TAB_COLS] = { 0 }, labw = LABELW;
	size_t ncols = 0;

	for (size_t i = 0; i < t->nrows; i++) {
		const struct tab_row *r = &t->rows[i];

		if (text_columns(r->label) + 1 > labw)
			labw = text_columns(r->label) + 1;
		for (size_t c = 0; c < r->ncells; c++)
			if (text_columns(r->cell[c]) + 1 > w[c])
				w[c] = text_columns(r->cell[c]) + 1;
		if (r->ncells > ncols)
			ncols = r->ncells;
	}
	for (size_t c = 0; c < ncols; c++)
		if (w[c] < COLW)
			w[c] = COLW;
	for (size_t c0 = 0, c1; c0 < ncols; c0 = c1) {
		int used = labw + 1 + w[c0];

		for (c1 = c0 + 1; c1 < ncols && (cols <= 0 || used + 1 + w[c1] <= cols); c1++)
			used += 1 + w[c1];
		if (c0)
			fputc('\n', f);
		tab_block(f, t, w, labw, c0, c1);
	}
}

/* the descriptor under a summary stream that has none (summary_set_width_fd) */
static int width_fd = -1;

void summary_set_width_fd(int fd)
{
	width_fd = fd;
}

/* the columns the table and notes may take: the terminal's when f (or
 * the descriptor under it) is one, else $COLUMNS when set, else as many
 * as they need */
static int out_columns(FILE *f)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	int fd = fileno(f) >= 0 ? fileno(f) : width_fd;
	char *end;
	long n;

	if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (!env || !*env)
		return 0;
	n = strtol(env, &end, 10);
	return *end || n <= 0 || n > 10000 ? 0 : (int)n;
}

/* A line of text under the table (or the header): wrapped at spaces to
 * the columns the summary may take, never inside a word or a figure
 * (text_wrap()), each line after its first indented by NOTE_INDENT
 * spaces; made safe and, when so asked, ASCII before it is measured.
 * Built in pieces by note_add(), out at note_end(). */
#define NOTE_MAX 8192
#define NOTE_INDENT 2

struct note {
	size_t n;
	char text[NOTE_MAX];
};

static void note_add(struct note *nt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note_add(struct note *nt, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (nt->n >= sizeof(nt->text) - 1)
		return;
	va_start(ap, fmt);
	k = vsnprintf(nt->text + nt->n, sizeof(nt->text) - nt->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		nt->n += (size_t)k < sizeof(nt->text) - nt->n ? (size_t)k :
			 sizeof(nt->text) - 1 - nt->n;
}

static void note_end(FILE *f, struct note *nt, int cols)
{
	char safe[NOTE_MAX], out[NOTE_MAX];
	const char *s = out;
	bool first = true;

	text_sanitize(safe, sizeof(safe), nt->text, nt->n, false);
	if (ascii_out)
		text_to_ascii(out, sizeof(out), safe);
	else
		memcpy(out, safe, strlen(safe) + 1);
	do {
		int w = first ? cols : cols - NOTE_INDENT;
		size_t len = text_wrap(s, cols > 0 && w < 1 ? 1 : w);

		if (!first)
			pad(f, NOTE_INDENT);
		fwrite(s, 1, len, f);
		fputc('\n', f);
		s += len;
		while (*s == ' ')
			s++;
		first = false;
	} while (*s);
	nt->n = 0;
	nt->text[0] = '\0';
}

static void note(FILE *f, int cols, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void note(FILE *f, int cols, const char *fmt, ...)
{
	struct note nt;
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(nt.text, sizeof(nt.text), fmt, ap);
	va_end(ap);
	nt.n = k < 0 ? 0 : (size_t)k < sizeof(nt.text) ? (size_t)k : sizeof(nt.text) - 1;
	note_end(f, &nt, cols);
}

static void row_seconds(struct tab *t, const struct model *m, const char *what,
			double (*get)(const struct run *))
{
	char buf[SUMMARY_FACTOR_MAX];

	tab_row(t, what);
	for (size_t i = 0; i < m->nruns; i++) {
		const struct run *r = &m->runs[i];

		cell(t, r->state == RUN_DONE && get(r) >= 0 ?
			fmt_seconds(buf, sizeof(buf), get(r)) : "-");
	}
	for (size_t i = 1; i < m->nruns; i++) {
		const struct run *a = &m->runs[0], *b = &m->runs[i];

		if (a->state == RUN_DONE && b->state == RUN_DONE && get(a) > 0 &&
		    get(b) >= 0)
			cell(t, summary_factor(buf, sizeof(buf), get(b) / get(a), false));
		else
			cell(t, "-");
	}
}

/* "3.0× more" for r, "3.0× less" for 1/r, tie where the two read the
 * same to a decimal; "?" for no ratio */
static char *ratio_words(char *buf, size_t size, double r, bool ascii,
			 const char *tie, const char *up, const char *down)
{
	char f[FMT_SIZE_MAX];

	if (!(r > 0) || !isfinite(r)) {
		snprintf(buf, size, "?");
		return buf;
	}
	fmt_ratio(f, sizeof(f), r >= 1 ? r : 1 / r, ascii);
	if (strncmp(f, "1.0", 3) == 0 && !isdigit((unsigned char)f[3]))
		snprintf(buf, size, "%s", tie);
	else
		snprintf(buf, size, "%s %s", f, r > 1 ? up : down);
	return buf;
}

char *summary_factor(char *buf, size_t size, double r, bool ascii)
{
	return ratio_words(buf, size, r, ascii, "as much", "more", "less");
}

char *summary_speed(char *buf, size_t size, double r, bool ascii)
{
	return ratio_words(buf, size, r, ascii, "as fast", "slower", "faster");
}

static int64_t get_pss(const struct run *r);

/* the range of b's peak ΣPSS over a's, from both peaks' bounds, in
 * words: "2.9-3.1× more", "2.9-3.1× less"; "0.9-1.1×" across 1 */
static char *ratio_range(char *buf, size_t size, const struct run *a, const struct run *b)
{
	struct comparison c = model_compare(a, b);
	char lo[FMT_SIZE_MAX], hi[FMT_SIZE_MAX];
	double l = c.pss_ratio_lo, h = c.pss_ratio_hi;
	bool less = h < 1, more = l > 1;

	if (l <= 0 || h <= 0) {
		snprintf(buf, size, "?");
		return buf;
	}
	fmt_ratio(lo, sizeof(lo), less ? 1 / h : l, false);
	fmt_ratio(hi, sizeof(hi), less ? 1 / l : h, false);
	/* "2.9×" and "3.1×": "2.9-3.1× less"; "3.1×" twice: "3.1× less" */
	lo[strcspn(lo, "\xc3")] = '\0';
	if (strncmp(lo, hi, strlen(lo)) == 0 && hi[strlen(lo)] == '\xc3')
		lo[0] = '\0';
	snprintf(buf, size, "%.*s%s%.*s%s", FMT_SIZE_MAX / 2, lo, lo[0] ? "-" : "",
		 FMT_SIZE_MAX / 2, hi, less ? " less" : more ? " more" : "");
	return buf;
}

/* whether any sample of the run held a process's memory: a run that
 * ended before its first sample (or was seen only as a zombie) has no
 * figure at all (n/c), not a peak of 0 */
static bool run_seen(const struct run *r)
{
	return r->peak.rss_kb > 0;
}

/* smaps figures (PSS, USS): a run where some process could not be read
 * has a lower bound, marked "+", or no figure at all, "?" — never a 0; a
 * run without a consistent sample (too short, always moving) has none:
 * "n/c", explained below the table */

static void row_kb(struct tab *t, const struct model *m, const char *what,
		   int64_t (*get)(const struct run *), bool from_smaps)
{
	char buf[2 * FMT_SIZE_MAX + 8];

	tab_row(t, what);
	for (size_t i = 0; i < m->nruns; i++) {
		const struct run *r = &m->runs[i];
		bool partial = from_smaps && r->peak.pss_partial;

		if (!r->nticks) {
			cell(t, "-");
		} else if ((from_smaps && !run_has_peak(r)) || !run_seen(r)) {
			/* never a process sampled: no figure, not 0 */
			cell(t, "n/c");
		} else if (partial && get(r) <= 0) {
			cell(t, "?");
		} else {
			char kb[FMT_SIZE_MAX];

			fmt_kb_long(kb, sizeof(kb), get(r));
			/* a peak wider than one moment: its lower bound */
			snprintf(buf, sizeof(buf), "%s%s%s",
				 get == get_pss && run_peak_wide(r) ? "\xe2\x89\xa5" : "",
				 kb, partial ? "+" : "");
			cell(t, buf);
		}
	}
	for (size_t i = 1; i < m->nruns; i++) {
		const struct run *a = &m->runs[0], *b = &m->runs[i];

		if (a->nticks && b->nticks &&
		    ((from_smaps && (!run_has_peak(a) || !run_has_peak(b))) ||
		     !run_seen(a) || !run_seen(b)))
			cell(t, "-");
		else if (from_smaps && a->nticks && b->nticks &&
		    (a->peak.pss_partial || b->peak.pss_partial))
			cell(t, "?");
		else if (get == get_pss && a->nticks && b->nticks &&
			 (run_peak_wide(a) || run_peak_wide(b)))
			cell(t, ratio_range(buf, sizeof(buf), a, b));
		else if (a->nticks && b->nticks && get(a) > 0)
			cell(t, summary_factor(buf, sizeof(buf),
					       (double)get(b) / (double)get(a), false));
		else
			cell(t, "-");
	}
}

/* sharing that decays (src/core/decay.h): what the shared part of ΣPSS
 * lost, how fast, and its half-life, for runs whose sharing decayed */
static void rows_decay(struct tab *t, const struct model *m)
{
	char buf[FMT_SIZE_MAX];
	size_t shown = 0;

	for (size_t i = 0; i < m->nruns; i++)
		shown += decayrep_shown(&m->runs[i]);
	if (!shown)
		return;
	tab_row(t, "shared part lost");
	for (size_t i = 0; i < m->nruns; i++)
		cell(t, m->runs[i].decay.tree.known ?
			fmt_kb_long(buf, sizeof(buf), decay_lost_kb(&m->runs[i].decay.tree)) : "-");
	tab_row(t, "lost at");
	for (size_t i = 0; i < m->nruns; i++)
		cell(t, decayrep_rate(buf, sizeof(buf), &m->runs[i].decay.tree));
	tab_row(t, "shared half-life");
	for (size_t i = 0; i < m->nruns; i++)
		cell(t, decayrep_half_life(buf, sizeof(buf), &m->runs[i].decay.tree));
}

static void decay_notes(FILE *f, const struct model *m, int cols)
{
	char line[DECAYREP_LINE_MAX], text[DECAYREP_LINE_MAX * 3];

	for (size_t i = 0; i < m->nruns; i++)
		if (decayrep_shown(&m->runs[i]))
			note(f, cols, "sharing decay of %s",
				clean(text, sizeof(text),
				      decayrep_line(line, sizeof(line), &m->runs[i])));
}

static bool any_hold(const struct model *m)
{
	for (size_t i = 0; i < m->nruns; i++)
		if (run_phase_find(&m->runs[i], "hold"))
			return true;
	return false;
}

static bool any_tracemalloc(const struct model *m)
{
	for (size_t i = 0; i < m->nruns; i++)
		if (m->runs[i].result.have_tracemalloc)
			return true;
	return false;
}

/* tracemalloc's peak beside ΣPSS: "-" where the run did not report it */
static void row_tracemalloc(struct tab *t, const struct model *m)
{
	char buf[FMT_SIZE_MAX];

	tab_row(t, "tracemalloc");
	for (size_t i = 0; i < m->nruns; i++) {
		const struct run_result *rr = &m->runs[i].result;

		cell(t, rr->have_tracemalloc ?
			fmt_kb_long(buf, sizeof(buf), (int64_t)(rr->tracemalloc_peak_kb + 0.5)) : "-");
	}
	for (size_t i = 1; i < m->nruns; i++) {
		const struct run_result *a = &m->runs[0].result, *b = &m->runs[i].result;

		if (a->have_tracemalloc && b->have_tracemalloc && a->tracemalloc_peak_kb > 0)
			cell(t, summary_factor(buf, sizeof(buf),
					       b->tracemalloc_peak_kb / a->tracemalloc_peak_kb, false));
		else
			cell(t, "-");
	}
}

static bool any_kpeak(const struct model *m)
{
	for (size_t i = 0; i < m->nruns; i++)
		if (m->runs[i].kpeak.kb >= 0)
			return true;
	return false;
}

/* the kernel's own peak of each run's cgroup, beside the sampled ones:
 * "-" where the run had none */
static void row_kpeak(struct tab *t, const struct model *m)
{
	char buf[SUMMARY_FACTOR_MAX];

	tab_row(t, "kernel peak (cgroup)");
	for (size_t i = 0; i < m->nruns; i++) {
		int64_t kb = m->runs[i].kpeak.kb;

		cell(t, kb >= 0 ? fmt_kb_long(buf, sizeof(buf), kb) : "-");
	}
	for (size_t i = 1; i < m->nruns; i++) {
		int64_t a = m->runs[0].kpeak.kb, b = m->runs[i].kpeak.kb;

		cell(t, a > 0 && b >= 0 ?
			summary_factor(buf, sizeof(buf), (double)b / (double)a, false) : "-");
	}
}

/* what the kernel's peak is, and why it differs from ΣPSS */
static void kpeak_notes(FILE *f, const struct model *m, int cols)
{
	bool whole = false;

	if (!any_kpeak(m))
		return;
	note(f, cols, "kernel peak (cgroup): the high-water mark the kernel charged the run's memory cgroup: page cache, page tables and kernel memory too, and a shared segment once, to the cgroup of the process that first touched it; \xce\xa3PSS divides shared pages among the processes that map them.");
	for (size_t i = 0; i < m->nruns; i++) {
		const struct kernel_peak *k = &m->runs[i].kpeak;

		if (k->kb < 0)
			continue;
		if (k->attached)
			note(f, cols, "kernel peak of %s: its own cgroup %s holds exactly the tree; its peak since the cgroup was made, not only while watched",
				m->runs[i].name, k->cgroup);
		else if (!k->per_phase)
			whole = true;
	}
	if (whole)
		note(f, cols, "kernel peak: one figure for the whole run (cgroup v2 memory.peak cannot be reset before Linux 6.12)");
}

static double get_wall(const struct run *r) { return r->result.wall_s; }
/* a run without a compute phase (a command of the user's) has none */
static double get_compute(const struct run *r)
{
	return run_phase_find(r, "compute") ? r->result.compute_s : -1;
}
static double get_cpu(const struct run *r)
{
	return r->result.cpu_user_s + r->result.cpu_sys_s;
}
/* the lowest a peak ΣPSS may be: never below 0 */
static int64_t peak_low(const struct run *r)
{
	int64_t lo = r->peak.pss_kb - r->peak.pss_bound_kb;

	return lo > 0 ? lo : 0;
}

/* the peak ΣPSS the table shows: its lower bound when it is wide */
static int64_t get_pss(const struct run *r)
{
	return run_peak_wide(r) ? peak_low(r) : r->peak.pss_kb;
}

char *summary_peak_text(char *buf, size_t size, const struct run *r, bool brief)
{
	char lo[FMT_SIZE_MAX], hi[FMT_SIZE_MAX];
	char *(*fmt)(char *, size_t, int64_t) = brief ? fmt_kb : fmt_kb_long;

	if (!run_has_peak(r)) {
		snprintf(buf, size, "not sampled");
	} else if (run_peak_wide(r) && brief) {
		/* a strip has no room for the range: the lower bound, marked */
		fmt(lo, sizeof(lo), peak_low(r));
		snprintf(buf, size, "\xe2\x89\xa5%s", lo);
	} else if (run_peak_wide(r)) {
		fmt(lo, sizeof(lo), peak_low(r));
		if (run_peak_high_kb(r) >= 0)
			fmt(hi, sizeof(hi), run_peak_high_kb(r));
		else /* a chain of samples broken: no upper end */
			snprintf(hi, sizeof(hi), "?");
		snprintf(buf, size, "\xe2\x89\xa5 %s (\xe2\x89\xa4 %s)", lo, hi);
	} else {
		fmt(buf, size, r->peak.pss_kb);
	}
	return buf;
}
static int64_t get_rss(const struct run *r) { return r->peak.rss_kb; }
static int64_t get_uss(const struct run *r) { return r->peak.uss_kb; }

/* what the peak sample's processes share: ΣPSS - ΣUSS */
static int64_t get_shared(const struct run *r)
{
	if (r->peak.pss_kb < 0 || r->peak.uss_kb < 0)
		return MODEL_KB_NONE;
	return r->peak.pss_kb - r->peak.uss_kb;
}

static bool own_program(const struct model *m)
{
	return strcmp(m->config.workload, "command") == 0 ||
	       strcmp(m->config.workload, "attach") == 0;
}

static int64_t row_uss(const struct proc_row *p)
{
	if (p->mem.private_clean < 0 || p->mem.private_dirty < 0)
		return MODEL_KB_NONE;
	return p->mem.private_clean + p->mem.private_dirty;
}

static int cmp_row_pss(const void *a, const void *b)
{
	const struct proc_row *x = a, *y = b;

	if (x->mem.pss != y->mem.pss)
		return x->mem.pss < y->mem.pss ? 1 : -1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

#define PEAK_PROCS_MAX 10

/* "which process": the rows of each run's peak sample by PSS, as smem
 * prints them (a command's or an attached tree's own program) */
static void print_peak_procs(FILE *f, const struct run *r)
{
	char comm[MODEL_COMM_MAX * 3], t[FMT_SIZE_MAX], v[3][FMT_SIZE_MAX];
	struct proc_row *rows;
	size_t n = 0;

	if (!r->npeak_rows || !(rows = malloc(r->npeak_rows * sizeof(*rows))))
		return;
	/* the processes that held memory then: not those exited */
	for (size_t i = 0; i < r->npeak_rows; i++)
		if (r->peak_rows[i].state != 'x' && r->peak_rows[i].smaps != SMAPS_STATE_GONE)
			rows[n++] = r->peak_rows[i];
	qsort(rows, n, sizeof(*rows), cmp_row_pss);
	fprintf(f, "\n%s at its peak \xce\xa3PSS (%s): %zu process%s\n",
		clean(comm, sizeof(comm), r->name), fmt_seconds(t, sizeof(t), r->peak_t),
		n, n == 1 ? "" : "es");
	fprintf(f, "%8s %-7s %10s %10s %10s  %s\n", "pid", "role", "PSS", "USS", "RSS", "command");
	for (size_t i = 0; i < n && i < PEAK_PROCS_MAX; i++)
		fprintf(f, "%8d %-7s %10s %10s %10s  %s\n", (int)rows[i].pid,
			model_role_name(rows[i].role),
			fmt_kb_long(v[0], sizeof(v[0]), rows[i].mem.pss),
			fmt_kb_long(v[1], sizeof(v[1]), row_uss(&rows[i])),
			fmt_kb_long(v[2], sizeof(v[2]), rows[i].rss_now_kb),
			clean(comm, sizeof(comm), rows[i].comm));
	if (n > PEAK_PROCS_MAX)
		fprintf(f, "%8s and %zu more\n", "", n - PEAK_PROCS_MAX);
	fputc('\n', f);
	free(rows);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

bool summary_round_stats(const struct run *r, enum round_figure what,
			 struct round_stats *out)
{
	double v[MODEL_ROUNDS_MAX];
	size_t n = 0;

	for (size_t i = 0; i < r->nrounds && i < MODEL_ROUNDS_MAX; i++) {
		const struct round_figs *f = &r->rounds[i];
		double x = what == ROUND_WALL ? f->wall_s :
			   what == ROUND_CPU ? f->cpu_s : (double)f->pss_kb;

		if (f->ok && x >= 0)
			v[n++] = x;
	}
	memset(out, 0, sizeof(*out));
	if (!n)
		return false;
	qsort(v, n, sizeof(v[0]), cmp_double);
	out->n = n;
	out->min = v[0];
	out->max = v[n - 1];
	out->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return true;
}

void summary_rounds_line(char *buf, size_t size, const struct model *m,
			 bool ascii)
{
	size_t rounds = 0, len;

	buf[0] = '\0';
	for (size_t i = 0; i < m->nruns; i++)
		if (m->runs[i].nrounds > rounds)
			rounds = m->runs[i].nrounds;
	if (m->config.repeat <= 1 || !rounds)
		return;
	snprintf(buf, size, "%zu of %d rounds, median [min, max]:", rounds,
		 m->config.repeat);
	for (size_t i = 0; i < m->nruns; i++) {
		struct round_stats w, p;
		char a[FMT_SIZE_MAX], b[FMT_SIZE_MAX], c[FMT_SIZE_MAX], d[FMT_SIZE_MAX];

		len = strlen(buf);
		if (!summary_round_stats(&m->runs[i], ROUND_WALL, &w))
			continue;
		if (!summary_round_stats(&m->runs[i], ROUND_PSS, &p))
			p.median = -1;
		snprintf(buf + len, size - len, "%s %s %s [%s, %s], peak %s", i ? (ascii ? " --" : " \xe2\x80\x94") : "",
			 m->runs[i].name, fmt_seconds(a, sizeof(a), w.median),
			 fmt_seconds(b, sizeof(b), w.min), fmt_seconds(c, sizeof(c), w.max),
			 fmt_kb_long(d, sizeof(d), (int64_t)p.median));
	}
}

/* --repeat: median [min, max] of each run's wall time, CPU time and peak
 * ΣPSS over its rounds, and a warning when the times vary too much. */
static void print_rounds(FILE *f, const struct model *m, int cols)
{
	static const struct {
		enum round_figure what;
		const char *name;
	} rows[] = {
		{ ROUND_WALL, "wall time" },
		{ ROUND_CPU, "CPU time" },
		{ ROUND_PSS, "peak \xce\xa3PSS" },
	};
	size_t rounds = 0;

	for (size_t i = 0; i < m->nruns; i++)
		if (m->runs[i].nrounds > rounds)
			rounds = m->runs[i].nrounds;
	if (m->config.repeat <= 1 || !rounds)
		return;
	if (m->shown_round)
		note(f, cols, "%zu of %d rounds, the order of the runs alternating (the table above, the recording, its replay and picture: round %d, the median one)",
			rounds, m->config.repeat, m->shown_round);
	else
		note(f, cols, "%zu of %d rounds, the order of the runs alternating (the table above, the recording, its replay and picture: round %d, the newest)",
			rounds, m->config.repeat, m->round + 1);
	label(f, "median [min, max]");
	fputc('\n', f);
	for (size_t k = 0; k < ARRAY_SIZE(rows); k++) {
		for (size_t i = 0; i < m->nruns; i++) {
			struct round_stats st;
			char a[FMT_SIZE_MAX], b[FMT_SIZE_MAX], c[FMT_SIZE_MAX];
			char rn[MODEL_NAME_MAX * 3];

			if (!summary_round_stats(&m->runs[i], rows[k].what, &st))
				continue;
			clean(rn, sizeof(rn), m->runs[i].name);
			/* (Σ is two bytes and one column: one more byte of
			 * padding keeps the columns) */
			if (rows[k].what == ROUND_PSS)
				fprintf(f, "  %-15s %-10s %s [%s, %s]\n", rows[k].name,
					rn,
					fmt_kb_long(a, sizeof(a), (int64_t)st.median),
					fmt_kb_long(b, sizeof(b), (int64_t)st.min),
					fmt_kb_long(c, sizeof(c), (int64_t)st.max));
			else
				fprintf(f, "  %-14s %-10s %s [%s, %s]\n", rows[k].name,
					rn,
					fmt_seconds(a, sizeof(a), st.median),
					fmt_seconds(b, sizeof(b), st.min),
					fmt_seconds(c, sizeof(c), st.max));
		}
	}
	for (size_t k = 0; k < 2; k++) {
		for (size_t i = 0; i < m->nruns; i++) {
			struct round_stats st;

			if (summary_round_stats(&m->runs[i], rows[k].what, &st) &&
			    st.min > 0 && st.max / st.min > ROUND_NOISE_RATIO)
				note(f, cols, "warning: the %s of %s varies %.2fx between rounds (more than %.1fx): something else disturbed them; quiet the machine or add rounds",
					rows[k].name, m->runs[i].name, st.max / st.min,
					ROUND_NOISE_RATIO);
		}
	}
}

void summary_print(FILE *f, const struct model *m)
{
	summary_header(f, m);
	summary_body(f, m);
}

const char *summary_unit(const struct model *m)
{
	return strcmp(m->config.workload, "prefork") == 0 ? "objects" : "rows";
}

void summary_header(FILE *f, const struct model *m)
{
	char text[MODEL_TEXT_MAX * 3];
	int cols = out_columns(f);

	if (!m->nruns)
		return;
	if (strcmp(m->config.workload, "command") == 0 ||
	    strcmp(m->config.workload, "attach") == 0)
		note(f, cols, "shmviz %s: %s, sampled every %d ms",
			m->version, clean(text, sizeof(text), m->runs[0].label),
			m->config.interval_ms);
	else if (strcmp(m->config.workload, "compare") != 0) {
		char a[FMT_SIZE_MAX];

		note(f, cols, "shmviz %s: %s workload, %d worker%s, %llu %s (%s), sampled every %d ms",
			m->version, m->config.workload, m->config.workers,
			m->config.workers == 1 ? "" : "s",
			(unsigned long long)m->config.rows, summary_unit(m),
			fmt_kb_long(a, sizeof(a), (int64_t)(m->config.bytes / 1024)),
			m->config.interval_ms);
	}
	else
		note(f, cols, "shmviz %s: two commands, sampled every %d ms",
		     m->version, m->config.interval_ms);
	fputc('\n', f);
}

/* The blank line under the table, then, with --project N, each run's
 * ΣPSS projected for N workers from its own figures (model.h, struct
 * projection), said to be a projection */
static void table_end(FILE *f, const struct model *m, int cols)
{
	char a[FMT_SIZE_MAX], rn[MODEL_NAME_MAX * 3];
	int n = m->nruns ? m->runs[0].proj.workers : 0;
	struct note nt = { 0 };

	fputc('\n', f);
	if (n <= 0)
		return;
	note_add(&nt, "at %d worker%s:", n, n == 1 ? "" : "s");
	for (size_t i = 0; i < m->nruns; i++) {
		int64_t kb = run_projection_kb(&m->runs[i], n);

		note_add(&nt, "%s %s %s", i ? "," : "",
			 kb < 0 ? "not sampled" : fmt_kb_long(a, sizeof(a), kb),
			 clean(rn, sizeof(rn), m->runs[i].name));
	}
	note_add(&nt, " (a projection, not a measure: each run's shared part once + %d \xc3\x97 its worst worker's private part, from its consistent samples)",
		 n);
	note_end(f, &nt, cols);
}

/* a command's or an attached tree's: why watching ended, which process */
static void print_own(FILE *f, const struct model *m, int cols)
{
	char text[MODEL_TEXT_MAX * 3], rn[MODEL_NAME_MAX * 3];

	for (size_t i = 0; own_program(m) && i < m->nruns; i++)
		if (strcmp(m->config.workload, "attach") == 0 && m->runs[i].cause[0])
			note(f, cols, "%s: %s", clean(rn, sizeof(rn), m->runs[i].name),
			     clean(text, sizeof(text), m->runs[i].cause));
	for (size_t i = 0; own_program(m) && i < m->nruns; i++)
		print_peak_procs(f, &m->runs[i]);
}

/* ok, a command's own exit status or signal, an attached tree watched */
static void row_result(struct tab *t, const struct model *m)
{
	tab_row(t, "result");
	for (size_t i = 0; i < m->nruns; i++) {
		const struct run_result *res = &m->runs[i].result;
		char how[32];

		/* a command that ran to its end with a status of its own */
		if (m->runs[i].state == RUN_DONE && res->exited &&
		    res->exit_status != 0) {
			if (WIFEXITED(res->exit_status))
				snprintf(how, sizeof(how), "exit %d",
					 WEXITSTATUS(res->exit_status));
			else
				snprintf(how, sizeof(how), "SIG%s",
					 sigabbrev_np(WTERMSIG(res->exit_status)) ?
					 sigabbrev_np(WTERMSIG(res->exit_status)) : "?");
			cell(t, how);
			continue;
		}
		/* an attached tree may still run: it was watched, not ended */
		if (m->runs[i].state == RUN_DONE && strcmp(m->config.workload, "attach") == 0) {
			char w[FMT_SIZE_MAX];

			snprintf(how, sizeof(how), "watched %s",
				 fmt_seconds(w, sizeof(w), res->wall_s));
			cell(t, how);
			continue;
		}
		cell(t, m->runs[i].state == RUN_DONE ? "ok" :
			model_state_name(m->runs[i].state));
	}
}

/* the table of the runs' figures, every later run against the first */
static void summary_table(FILE *f, const struct model *m, int cols)
{
	char name[2 * MODEL_NAME_MAX + 2];
	struct tab *t = calloc(1, sizeof(*t));

	if (!t)
		return;
	tab_row(t, "");
	for (size_t i = 0; i < m->nruns; i++)
		cell(t, m->runs[i].name);
	for (size_t i = 1; i < m->nruns; i++) {
		snprintf(name, sizeof(name), "%s/%s", m->runs[i].name, m->runs[0].name);
		cell(t, name);
	}
	row_result(t, m);
	row_seconds(t, m, "wall time", get_wall);
	row_seconds(t, m, "compute time", get_compute);
	row_seconds(t, m, "CPU time", get_cpu);
	row_kb(t, m, "peak \xce\xa3PSS", get_pss, true);
	row_kb(t, m, "peak \xce\xa3RSS", get_rss, false);
	row_kb(t, m, "peak \xce\xa3USS", get_uss, true);
	row_kb(t, m, "shared (\xce\xa3PSS-\xce\xa3USS)", get_shared, true);
	if (any_kpeak(m))
		row_kpeak(t, m);
	if (any_tracemalloc(m))
		row_tracemalloc(t, m);
	rows_decay(t, m);
	tab_print(f, t, cols);
	free(t);
}

void summary_body(FILE *f, const struct model *m)
{
	summary_body_cols(f, m, out_columns(f));
}

/* what the table's marks mean: "+", "?", "≥", "n/c" */
static void marks_notes(FILE *f, const struct model *m, int cols)
{
	for (size_t i = 0; i < m->nruns; i++) {
		if (m->runs[i].nticks && m->runs[i].peak.pss_partial) {
			note(f, cols, "+ and ?: some processes' smaps_rollup could not be read (not dumpable, another user's): a lower bound, or no figure");
			break;
		}
	}
	for (size_t i = 0; i < m->nruns; i++) {
		char pk[SUMMARY_PEAK_MAX];

		const struct run *r = &m->runs[i];

		if (!r->nticks || !run_peak_wide(r))
			continue;
		if (run_peak_high_kb(r) < 0)
			note(f, cols, "\xe2\x89\xa5: %s's peak \xce\xa3PSS %s: the chain of samples broke (a sample missed members, or a process joined with no figure), so the moments around it have no upper end (docs/recording.md, \"The peak's upper end\")",
			     r->name, summary_peak_text(pk, sizeof(pk), r, false));
		else if (r->peak.pss_bound_kb > model_bound_tight_kb(r->peak.pss_kb))
			note(f, cols, "\xe2\x89\xa5: %s's peak \xce\xa3PSS %s: the tree moved while it was read, so the sum of its reads is that far from one moment (docs/recording.md, \"Bounds\")",
			     r->name, summary_peak_text(pk, sizeof(pk), r, false));
		else
			note(f, cols, "\xe2\x89\xa5: %s's peak \xce\xa3PSS %s: the highest sample read at one moment is the first, but samples read while its processes moved, or the faults and RSS of its processes between samples, allow the second (docs/recording.md, \"The peak's upper end\")",
			     r->name, summary_peak_text(pk, sizeof(pk), r, false));
	}
	for (size_t i = 0; i < m->nruns; i++) {
		if (m->runs[i].nticks && !run_has_peak(&m->runs[i])) {
			note(f, cols, "n/c: no sample with a bound (a member joined during every sweep of reads, or the run was too short): no smaps peak to show");
			break;
		}
	}
}

/* a run under SHORT_RUN_S: its time is mostly the start of processes and
 * the scheduler's, so the time ratios between runs are noise */
#define SHORT_RUN_S 0.1

static void short_notes(FILE *f, const struct model *m, int cols)
{
	const struct run *low = NULL;
	char w[FMT_SIZE_MAX], rn[MODEL_NAME_MAX * 3];
	size_t done = 0;

	for (size_t i = 0; i < m->nruns; i++) {
		const struct run *r = &m->runs[i];

		if (r->state != RUN_DONE || !(r->result.wall_s > 0))
			continue;
		done++;
		if (!low || r->result.wall_s < low->result.wall_s)
			low = r;
	}
	if (done >= 2 && low->result.wall_s < SHORT_RUN_S)
		note(f, cols, "warning: %s ran %s: a run this short is mostly the start of its processes and the scheduler, so the time ratios say little; make the runs longer (more rows: -n) or add rounds (--repeat)",
		     clean(rn, sizeof(rn), low->name),
		     fmt_seconds(w, sizeof(w), low->result.wall_s));
}

/* each run's missing processes, failure and log */
static void run_notes(FILE *f, const struct model *m, int cols)
{
	char text[MODEL_PATH_MAX * 3], rn[MODEL_NAME_MAX * 3];

	for (size_t i = 0; i < m->nruns; i++)
		if (m->runs[i].nmissing)
			note(f, cols, "%s: %zu samples may miss processes (marked partial): %s",
			     m->runs[i].name, m->runs[i].nmissing, m->runs[i].members_missing);
	for (size_t i = 0; i < m->nruns; i++)
		if (m->runs[i].state == RUN_FAILED)
			note(f, cols, "%s failed: %s",
			     clean(rn, sizeof(rn), m->runs[i].name),
			     clean(text, sizeof(text), m->runs[i].cause[0] ?
				   m->runs[i].cause : "no cause given"));
	for (size_t i = 0; i < m->nruns; i++)
		if (m->runs[i].state == RUN_STOPPED)
			note(f, cols, "%s: stopped by the user (q): its figures end there",
			     clean(rn, sizeof(rn), m->runs[i].name));
	for (size_t i = 0; i < m->nruns; i++)
		if (m->runs[i].log[0] && m->runs[i].state != RUN_WAITING)
			note(f, cols, "output of %s: %s",
			     clean(rn, sizeof(rn), m->runs[i].name),
			     clean(text, sizeof(text), m->runs[i].log));
}

/* the last lines: what ΣRSS and ΣPSS count, the sampler's cost */
static void closing_notes(FILE *f, const struct model *m, int cols)
{
	struct note nt = { 0 };

	/* the hold is said only where a run had one (a command or an
	 * attached server has none to leave out) */
	if (any_hold(m))
		note_add(&nt, "wall time leaves out the hold phase; ");
	note_add(&nt, "\xce\xa3RSS counts shared pages once per process, \xce\xa3PSS divides them among the processes.");
	note_end(f, &nt, cols);
	note_add(&nt, "sampler: %.2f s CPU (%.1f%% of a core, budget %.1f%%), %llu PSS reads, %llu counter reads",
		 m->sampler.cpu_s,
		 m->sampler.wall_s > 0 ? 100 * m->sampler.cpu_s / m->sampler.wall_s : 0,
		 m->config.budget_pct, (unsigned long long)m->sampler.pss_reads,
		 (unsigned long long)m->sampler.counter_reads);
	/* an average of PSS intervals only where PSS was read twice */
	if (m->sampler.pss_reads > 1)
		note_add(&nt, ", PSS every %.0f ms on average", m->sampler.pss_interval_mean_ms);
	note_end(f, &nt, cols);
	if (m->interrupted)
		note(f, cols, "interrupted: the recording holds what was sampled until then");
}

void summary_body_cols(FILE *f, const struct model *m, int cols)
{
	if (!m->nruns)
		return;
	summary_table(f, m, cols);
	table_end(f, m, cols);
	kpeak_notes(f, m, cols);
	decay_notes(f, m, cols);
	if (any_tracemalloc(m))
		note(f, cols, "tracemalloc: the peak of the parent's Python heap alone, what the original write-up measured: it sees neither the workers nor the shared segment.");
	marks_notes(f, m, cols);
	short_notes(f, m, cols);
	run_notes(f, m, cols);
	print_own(f, m, cols);
	print_rounds(f, m, cols);
	closing_notes(f, m, cols);
}

void summary_line(char *buf, size_t size, const struct run *a,
		  const struct run *b, bool ascii)
{
	struct comparison c = model_compare(a, b);
	char ta[FMT_SIZE_MAX], tb[FMT_SIZE_MAX], pa[SUMMARY_PEAK_MAX], pb[SUMMARY_PEAK_MAX];
	char rs[SUMMARY_FACTOR_MAX], rm[FMT_SIZE_MAX];
	const char *dash = ascii ? "--" : "\xe2\x80\x94";

	if (!c.ready) {
		buf[0] = '\0';
		return;
	}
	fmt_seconds(ta, sizeof(ta), a->result.wall_s);
	fmt_seconds(tb, sizeof(tb), b->result.wall_s);
	/* a peak that was never sampled is unknown, never 0 */
	summary_peak_text(pa, sizeof(pa), a, false);
	summary_peak_text(pb, sizeof(pb), b, false);
	/* a's time over b's: "2.6× faster", "as fast" where it reads 1.0 */
	summary_speed(rs, sizeof(rs), c.speedup > 0 ? 1 / c.speedup : 0, ascii);
	if (c.pss_ratio >= 1)
		fmt_ratio(rm, sizeof(rm), c.pss_ratio, ascii);
	else
		fmt_ratio(rm, sizeof(rm), c.pss_ratio > 0 ? 1 / c.pss_ratio : 0, ascii);
	if (c.pss_ratio > 0 && strncmp(rm, "1.0", 3) == 0 && !isdigit((unsigned char)rm[3]))
		/* "1.0x less memory" is "as much" (summary_factor()) */
		snprintf(buf, size, "%s %s, peak %s %s %s %s, peak %s: %s %s, as much memory",
			 a->name, ta, pa, dash, b->name, tb, pb, a->name, rs);
	else if (c.pss_ratio > 0)
		snprintf(buf, size, "%s %s, peak %s %s %s %s, peak %s: %s %s, %s %s memory",
			 a->name, ta, pa, dash, b->name, tb, pb, a->name, rs, rm,
			 c.pss_ratio >= 1 ? "less" : "more");
	else
		snprintf(buf, size, "%s %s, peak %s %s %s %s, peak %s: %s %s, memory not compared",
			 a->name, ta, pa, dash, b->name, tb, pb, a->name, rs);
}
