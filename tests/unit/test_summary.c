/* Unit tests of the headless summary (src/report/summary.c): the cells of a
 * failed run, of a figure no process could be read for, and the one-line
 * comparison's direction. The whole table of real runs is compared with
 * their recording by tests/e2e/check_summary.py. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
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

int main(void)
{
	struct model m;
	struct run *a, *b;
	char *text, cells[256], line[512];

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
	snprintf(m.config.workload, sizeof(m.config.workload), "attach");
	m.nruns = 1;
	text = print(&m);
	row_of(text, "result", cells, sizeof(cells));
	CHECK_STR(cells, "watched 0.50 s");
	free(text);
	model_finish(&m);
	return check_done();
}
