/* Unit tests of the headless summary (src/report/summary.c): the cells of a
 * failed run, of a figure no process could be read for, and the one-line
 * comparison's direction. The whole table of real runs is compared with
 * their recording by tests/e2e/check_summary.py. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "src/report/decayrep.h"
#include "src/report/summary.h"

/* the cells of the summary row starting with label, joined by '|' */
static void row_of(const char *text, const char *label, char *out, size_t cap)
{
	const char *l = strstr(text, label);
	size_t n = 0;

	out[0] = '\0';
	if (!l)
		return;
	l += strlen(label);
	while (*l && *l != '\n' && n + 2 < cap) {
		while (*l == ' ')
			l++;
		if (!*l || *l == '\n')
			break;
		if (n)
			out[n++] = '|';
		/* a cell: up to two spaces or the end of the line */
		while (*l && *l != '\n' && !(l[0] == ' ' && l[1] == ' ') && n + 1 < cap)
			out[n++] = *l++;
		out[n] = '\0';
	}
}

/* the columns of s up to byte n (UTF-8: continuation bytes take none) */
static int cols_of(const char *s, size_t n)
{
	int c = 0;

	for (size_t i = 0; i < n && s[i]; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

#define TOKS_MAX 16
struct toks {
	size_t n;
	int end[TOKS_MAX];        /* the column after each token */
	char text[TOKS_MAX][64];
};

/* the stretches of line (up to its newline) holding no two spaces in a
 * row: a row's label, then its cells */
static void tokens(const char *line, struct toks *t)
{
	size_t len = strcspn(line, "\n"), i = 0;

	t->n = 0;
	while (i < len && t->n < TOKS_MAX) {
		size_t b;

		while (i < len && line[i] == ' ')
			i++;
		if (i >= len)
			break;
		b = i;
		while (i < len && !(line[i] == ' ' && (i + 1 >= len || line[i + 1] == ' ')))
			i++;
		snprintf(t->text[t->n], sizeof(t->text[0]), "%.*s", (int)(i - b), line + b);
		t->end[t->n++] = cols_of(line, i);
	}
}

/* Checks the table of text (its header: the line before "result") block
 * by block: every row's cells end where its block header's cells end (so
 * that a cell wider than the others never runs into the next one: two
 * spaces at least), no line is wider than cols (0: any), and the cells of
 * each row, block after block, are joined by '|' into rows[i] (labels[i]
 * its label) for the caller to compare with the whole table. Returns the
 * number of rows, 0 when something is out of place. */
static size_t table_check(const char *text, int cols, char labels[][64],
			  char rows[][512], size_t maxrows, size_t *blocks)
{
	const char *l = strstr(text, "\nresult "), *head;
	size_t nrows = 0;
	bool ok = true;

	*blocks = 0;
	if (!l)
		return 0;
	/* l + 1: the "result" line; its header the line before */
	head = l;
	while (head > text && head[-1] != '\n')
		head--;
	l = head;
	while (*l == ' ') {  /* a block: its header starts with the empty label */
		struct toks h;

		tokens(l, &h);
		(*blocks)++;
		for (l += strcspn(l, "\n") + 1; *l && *l != '\n'; l += strcspn(l, "\n") + 1) {
			struct toks r;
			size_t i, at = 0;
			int width = cols_of(l, strcspn(l, "\n"));

			if (cols && width > cols) {
				fprintf(stderr, "wider than %d columns: %.*s\n", cols,
					(int)strcspn(l, "\n"), l);
				ok = false;
			}
			tokens(l, &r);
			if (r.n < 2 || r.n > h.n + 1)
				ok = false;
			for (i = 1; i < r.n && i <= h.n; i++)
				if (r.end[i] != h.end[i - 1]) {
					fprintf(stderr, "out of its column: \"%s\" ends at %d, its header \"%s\" at %d\n",
						r.text[i], r.end[i], h.text[i - 1], h.end[i - 1]);
					ok = false;
				}
			/* the row of this label in an earlier block, or a new one */
			while (at < nrows && strcmp(labels[at], r.text[0]) != 0)
				at++;
			if (at == nrows) {
				if (nrows == maxrows || *blocks > 1)
					return 0;
				snprintf(labels[nrows], 64, "%s", r.text[0]);
				rows[nrows++][0] = '\0';
			}
			for (i = 1; i < r.n; i++) {
				size_t n = strlen(rows[at]);

				snprintf(rows[at] + n, 512 - n, "%s%s", n ? "|" : "", r.text[i]);
			}
		}
		if (*l == '\n' && l[1] == ' ')
			l++;  /* the next block */
		else
			break;
	}
	return ok ? nrows : 0;
}

static char *print_cols(const struct model *m, int cols)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	summary_header(f, m);
	summary_body_cols(f, m, cols);
	fclose(f);
	return buf;
}

/* Three runs (--mode all) whose cells are wider than the narrowest column
 * ("26-34× more", "copy-fork/shared", "watched 12.5 s"): the table laid
 * out by its widest cells, and at 80 columns in blocks, no cell cut. */
static void test_layout(void)
{
	static char labels[2][16][64], rows[2][16][512];
	struct model m;
	struct run *r[3];
	static const char *const names[] = { "shared", "copy", "copy-fork" };
	size_t n0, n80, blocks;
	char *wide, *narrow;

	model_init(&m, false);
	snprintf(m.config.workload, sizeof(m.config.workload), "native");
	for (size_t i = 0; i < 3; i++) {
		r[i] = model_add_run(&m, names[i], names[i], "");
		r[i]->state = RUN_DONE;
		r[i]->result.wall_s = 0.5 + 6.0 * (double)i;
		r[i]->result.cpu_user_s = 0.25;
		r[i]->nticks = r[i]->nconsistent = r[i]->nbounded = 3;
		r[i]->peak.pss_kb = 2048 << (2 * i);
		r[i]->peak.rss_kb = 6144 << i;
		r[i]->peak.uss_kb = 1024;
	}
	/* copy's peak is wide: 53440..69440 KiB over 2048, "26-34× more" */
	r[1]->peak.pss_kb = 61440;
	r[1]->peak.pss_bound_kb = 8000;
	wide = print_cols(&m, 0);
	narrow = print_cols(&m, 80);
	CHECK(wide && narrow);
	if (!wide || !narrow)
		goto out;
	n0 = table_check(wide, 0, labels[0], rows[0], 16, &blocks);
	CHECK_INT(n0, 8);
	CHECK_INT(blocks, 1);
	CHECK(strstr(wide, "26-34\xc3\x97 more") != NULL);
	CHECK(strstr(wide, "copy-fork/shared") != NULL);
	/* at 80 columns: the same rows and cells, in more than one block */
	n80 = table_check(narrow, 80, labels[1], rows[1], 16, &blocks);
	CHECK_INT(n80, n0);
	CHECK(blocks > 1);
	for (size_t i = 0; i < n0 && i < n80; i++) {
		CHECK_STR(labels[1][i], labels[0][i]);
		CHECK_STR(rows[1][i], rows[0][i]);
	}
	free(wide);
	free(narrow);
	/* one attached tree, watched for longer than the column is wide */
	snprintf(m.config.workload, sizeof(m.config.workload), "attach");
	m.nruns = 1;
	r[0]->result.wall_s = 12.5;
	wide = print_cols(&m, 0);
	CHECK(wide && table_check(wide, 0, labels[0], rows[0], 16, &blocks) == 8);
	CHECK(wide && strstr(wide, "watched 12.5 s") != NULL);
	free(wide);
out:
	model_finish(&m);
}

/* The notes under the table wrapped at cols: no line wider than cols but
 * for one that is a single word, no line ending inside a figure ("16
 * MiB", "2.4× more", "≥ 59 MiB"), and, each line that starts with the two
 * spaces of a continuation joined to the one before it by a space, the
 * same text as the notes printed without a limit. */
static void check_wrapped(const char *wide, const char *narrow, int cols)
{
	char *joined = calloc(1, strlen(narrow) + 1);
	size_t n = 0;

	CHECK(joined != NULL);
	if (!joined)
		return;
	for (const char *l = narrow; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != 0)) {
		size_t len = strcspn(l, "\n");
		const char *last = l + len;
		bool cont = len > 2 && l[0] == ' ' && l[1] == ' ' && l[2] != ' ';

		if (cols_of(l, len) > cols && memchr(l + 2, ' ', len - 2)) {
			fprintf(stderr, "wider than %d columns: %.*s\n", cols, (int)len, l);
			CHECK(false);
		}
		/* the last word of a line that goes on */
		while (last > l && last[-1] != ' ')
			last--;
		if (l[len] && l[len + 1] == ' ' && l[len + 2] == ' ' && l[len + 3] != ' ' &&
		    last < l + len && (strchr("0123456789", l[len - 1]) ||
				       strncmp(l + len - 2, "\xc3\x97", 2) == 0 ||
				       strncmp(last, "\xe2\x89\xa5", 3) == 0)) {
			fprintf(stderr, "a figure split: %.*s\n", (int)len, l);
			CHECK(false);
		}
		if (cont) {
			joined[n++] = ' ';
			memcpy(joined + n, l + 2, len - 2);
			n += len - 2;
		} else {
			if (n)
				joined[n++] = '\n';
			memcpy(joined + n, l, len);
			n += len;
		}
	}
	if (n && wide[strlen(wide) - 1] == '\n')
		joined[n++] = '\n';
	joined[n] = '\0';
	CHECK_STR(joined, wide);
	free(joined);
}

/* Two runs whose notes are longer than a line: the kernel's peak, a
 * projection, a wide peak, a long cause and a log path. */
static void test_notes(void)
{
	struct model m;
	struct run *r[2];
	char *wide, *narrow;
	int cols[] = { 80, 52, 30 };

	model_init(&m, false);
	snprintf(m.config.workload, sizeof(m.config.workload), "native");
	m.config.workers = 8;
	m.config.rows = 2000000;
	m.config.bytes = 48000000;
	m.config.interval_ms = 100;
	m.sampler.cpu_s = 0.15;
	m.sampler.wall_s = 20;
	m.sampler.pss_reads = 121;
	m.sampler.counter_reads = 864;
	m.sampler.pss_interval_mean_ms = 541;
	for (size_t i = 0; i < 2; i++) {
		r[i] = model_add_run(&m, i ? "copy" : "shared", i ? "copy" : "shared", "");
		r[i]->state = RUN_DONE;
		r[i]->result.wall_s = 0.5;
		r[i]->nticks = r[i]->nconsistent = r[i]->nbounded = 3;
		r[i]->peak.pss_kb = 2048 << (4 * i);
		r[i]->peak.rss_kb = 8192 << i;
		r[i]->peak.uss_kb = 1024;
		r[i]->kpeak.kb = 3000 << (4 * i);
		r[i]->proj.workers = 8;
		r[i]->proj.shared_kb = 150000;
		r[i]->proj.private_kb = 1200 << (3 * i);
		run_phase_begin(r[i], "hold", 0.4);
	}
	r[1]->peak.pss_bound_kb = 9000;
	r[1]->state = RUN_FAILED;
	snprintf(r[1]->cause, sizeof(r[1]->cause),
		 "worker 3 exited with status 1 after 2.4\xc3\x97 less than it should have taken, 16 MiB short");
	snprintf(r[1]->log, sizeof(r[1]->log),
		 "/tmp/shmviz-log-a-directory-name-longer-than-any-line-of-the-summary/copy.log");
	m.interrupted = true;
	wide = print_cols(&m, 0);
	CHECK(wide != NULL);
	/* the oracle: what the notes say, one line each */
	CHECK(wide && strstr(wide, "\nat 8 workers: 156 MiB shared, 221 MiB copy (a projection") != NULL);
	CHECK(wide && strstr(wide, "\nkernel peak (cgroup): the high-water mark") != NULL);
	CHECK(wide && strstr(wide, "\ncopy failed: worker 3 exited") != NULL);
	for (size_t k = 0; wide && k < sizeof(cols) / sizeof(cols[0]); k++) {
		narrow = print_cols(&m, cols[k]);
		CHECK(narrow != NULL);
		if (!narrow)
			break;
		/* the notes are wrapped: more lines than without a limit */
		CHECK(strstr(narrow, "\n  ") != NULL);
		if (cols[k] >= 80) {
			check_wrapped(wide, narrow, cols[k]);
		} else {
			/* (the table is in blocks: the notes alone) */
			const char *w = strstr(wide, "\n\nat 8 workers");
			const char *n = strstr(narrow, "\n\nat 8 workers");

			CHECK(w && n);
			if (w && n)
				check_wrapped(w + 2, n + 2, cols[k]);
		}
		free(narrow);
	}
	free(wide);
	model_finish(&m);
}

static char *print(const struct model *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	summary_print(f, m);
	fclose(f);
	return buf;
}

/* the decay line names the member that lost half first, and says why
 * when it is the parent (its page turns private once every worker has
 * copied it) */
static void test_decay_line(void)
{
	struct model m;
	struct run *r;
	char line[1024];

	model_init(&m, false);
	r = model_add_run(&m, "fork", "fork", "");
	decay_fig_start(&r->decay.tree, 1.0, 4096, 0);
	decay_fig_add(&r->decay.tree, 2.0, 1024, 3072);
	r->decay.nprocs = 2;
	r->decay.procs[0].pid = 10;
	r->decay.procs[0].role = ROLE_PARENT;
	decay_fig_start(&r->decay.procs[0].fig, 1.0, 2048, 0);
	decay_fig_add(&r->decay.procs[0].fig, 1.5, 0, 2048);
	r->decay.procs[1].pid = 11;
	r->decay.procs[1].role = ROLE_WORKER;
	decay_fig_start(&r->decay.procs[1].fig, 1.0, 2048, 0);
	decay_fig_add(&r->decay.procs[1].fig, 2.0, 0, 2048);
	decayrep_line(line, sizeof(line), r);
	CHECK(strstr(line, "first to lose half: 10 (parent), after 0.25 s (a page of the parent's turns private once every worker has copied it)") != NULL);
	/* a worker first: no such words */
	decay_fig_start(&r->decay.procs[1].fig, 1.0, 2048, 0);
	decay_fig_add(&r->decay.procs[1].fig, 1.2, 0, 2048);
	decayrep_line(line, sizeof(line), r);
	CHECK(strstr(line, "first to lose half: 11 (worker), after 0.10 s") != NULL);
	CHECK(strstr(line, "turns private") == NULL);
	model_finish(&m);
}

int main(void)
{
	struct model m;
	struct run *a, *b;
	char *text, cells[256], line[512];

	test_layout();
	test_notes();
	test_decay_line();
	model_init(&m, false);
	snprintf(m.config.workload, sizeof(m.config.workload), "native");
	a = model_add_run(&m, "shared", "shared", "");
	b = model_add_run(&m, "copy", "copy", "");
	a->state = RUN_DONE;
	a->result.wall_s = 0.5;
	a->result.cpu_user_s = 0.25;
	a->nticks = a->nconsistent = a->nbounded = 3;
	a->peak.pss_kb = 2048;
	a->peak.rss_kb = 6144;
	a->peak.uss_kb = 1024;
	/* copy failed after 0.2 s; none of its processes could be read */
	b->state = RUN_FAILED;
	b->result.wall_s = 0.2;
	b->result.cpu_user_s = 0.1;
	b->nticks = b->nconsistent = b->nbounded = 2;
	b->peak.pss_partial = true;
	b->peak.pss_kb = 0;
	b->peak.uss_kb = 0;
	b->peak.rss_kb = 3072;
	snprintf(b->cause, sizeof(b->cause), "a worker was killed");
	m.sampler.cpu_s = 0.5;
	m.sampler.wall_s = 10;
	m.config.budget_pct = 5;

	text = print(&m);
	CHECK(text != NULL);
	if (!text)
		return check_done();
	row_of(text, "result", cells, sizeof(cells));
	CHECK_STR(cells, "ok|failed");
	/* a failed run has no times, and no ratio to them */
	row_of(text, "wall time", cells, sizeof(cells));
	CHECK_STR(cells, "0.50 s|-|-");
	row_of(text, "CPU time", cells, sizeof(cells));
	CHECK_STR(cells, "0.25 s|-|-");
	/* no figure read: "?", never 0 */
	row_of(text, "peak \xce\xa3PSS", cells, sizeof(cells));
	CHECK_STR(cells, "2.0 MiB|?|?");
	row_of(text, "peak \xce\xa3USS", cells, sizeof(cells));
	CHECK_STR(cells, "1.0 MiB|?|?");
	/* ΣRSS comes from the counters: known, with its ratio */
	row_of(text, "peak \xce\xa3RSS", cells, sizeof(cells));
	CHECK_STR(cells, "6.0 MiB|3.0 MiB|2.0\xc3\x97 less");
	CHECK(strstr(text, "copy failed: a worker was killed") != NULL);
	/* ratios read as the strip says them: never "0.0043x" */
	{
		char f[SUMMARY_FACTOR_MAX];

		CHECK_STR(summary_factor(f, sizeof(f), 1.0 / 233, false), "233\xc3\x97 less");
		CHECK_STR(summary_factor(f, sizeof(f), 3.04, true), "3.0x more");
		CHECK_STR(summary_factor(f, sizeof(f), 1.02, false), "as much");
		CHECK_STR(summary_factor(f, sizeof(f), 0, false), "?");
	}
	CHECK(strstr(text, "+ and ?:") != NULL);
	CHECK(strstr(text, "sampler: 0.50 s CPU (5.0% of a core, budget 5.0%)") != NULL);
	/* no run had a hold phase: none is said to be left out */
	CHECK(strstr(text, "hold phase") == NULL);
	CHECK(strstr(text, "\xce\xa3RSS counts shared pages once per process") != NULL);
	free(text);
	/* a run with a hold: the wall time is said to leave it out */
	run_phase_begin(a, "hold", 0.4);
	text = print(&m);
	CHECK(text && strstr(text, "wall time leaves out the hold phase; ") != NULL);
	free(text);

	/* the one-line comparison says which way */
	b->state = RUN_DONE;
	b->result.wall_s = 2.0;
	b->peak.pss_partial = false;
	b->peak.pss_kb = 6144;
	summary_line(line, sizeof(line), a, b, true);
	CHECK(strstr(line, "shared 4.0x faster, 3.0x less memory") != NULL);
	b->result.wall_s = 0.25;
	b->peak.pss_kb = 1024;
	summary_line(line, sizeof(line), a, b, true);
	CHECK(strstr(line, "shared 2.0x slower, 2.0x more memory") != NULL);
	/* the same peak within a rounding: "as much", never "1.0x less" */
	b->peak.pss_kb = 2060;
	summary_line(line, sizeof(line), a, b, true);
	CHECK(strstr(line, "shared 2.0x slower, as much memory") != NULL);
	/* the same time within a rounding: "as fast", never "1.0x faster"
	 * beside a table that says "as much" (a --mode all cow run) */
	b->result.wall_s = 0.51;
	summary_line(line, sizeof(line), a, b, true);
	CHECK(strstr(line, "shared as fast, as much memory") != NULL);
	{
		char f[SUMMARY_FACTOR_MAX];

		CHECK_STR(summary_speed(f, sizeof(f), 0.96, false), "as fast");
		CHECK_STR(summary_speed(f, sizeof(f), 0.25, true), "4.0x faster");
		CHECK_STR(summary_speed(f, sizeof(f), 2.0, true), "2.0x slower");
	}
	b->result.wall_s = 0.25;
	b->peak.pss_kb = 1024;

	/* what the processes shared at the peak: ΣPSS - ΣUSS (2048 - 1024,
	 * 1024 - 0); an attached tree that still runs was watched, not "ok" */
	text = print(&m);
	row_of(text, "shared (\xce\xa3PSS-\xce\xa3USS)", cells, sizeof(cells));
	CHECK_STR(cells, "1.0 MiB|1.0 MiB|as much");
	free(text);
	/* a peak wider than one moment: its lower bound, and the ratio's
	 * range (59/2 and 61/2, 30x both: said once) */
	b->peak.pss_kb = 61440;
	b->peak.pss_bound_kb = 1024;
	text = print(&m);
	row_of(text, "peak \xce\xa3PSS", cells, sizeof(cells));
	CHECK_STR(cells, "2.0 MiB|\xe2\x89\xa5" "59 MiB|30\xc3\x97 more");
	free(text);
	/* a run the user stopped (q): "stopped", no time, said below, never
	 * "failed" */
	b->state = RUN_STOPPED;
	snprintf(b->cause, sizeof(b->cause), "stopped by the user");
	text = print(&m);
	row_of(text, "result", cells, sizeof(cells));
	CHECK_STR(cells, "ok|stopped");
	row_of(text, "wall time", cells, sizeof(cells));
	CHECK_STR(cells, "0.50 s|-|-");
	CHECK(text && strstr(text, "\ncopy: stopped by the user (q): its figures end there\n") != NULL);
	CHECK(text && strstr(text, "failed") == NULL);
	free(text);
	b->state = RUN_DONE;
	snprintf(m.config.workload, sizeof(m.config.workload), "attach");
	m.nruns = 1;
	text = print(&m);
	row_of(text, "result", cells, sizeof(cells));
	CHECK_STR(cells, "watched 0.50 s");
	free(text);
	model_finish(&m);
	return check_done();
}
