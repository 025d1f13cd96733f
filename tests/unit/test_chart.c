/*
 * Unit tests of the chart (src/core/chart.c), the arithmetic the TUI's
 * graphs and the pictures of --plot share: the stack of every metric sums
 * to the figure it stands for; the scales of ranges from a kilobyte to
 * petabytes and from a millisecond to days end on nice ticks above the
 * data, in few ticks, with labels that fit their space, differ from tick
 * to tick and read back as the tick's value; the hold's span; the
 * picture's phases' colour roles.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "src/core/chart.h"
#include "src/core/model.h"
#include "src/util/fmt.h"
#include "src/util/text.h"

static struct point fig(int64_t rss, int64_t pss, int64_t uss, bool consistent)
{
	return (struct point){ .rss_kb = rss, .pss_kb = pss, .uss_kb = uss,
			       .nprocs = 1, .consistent = consistent };
}

/* figures of up to 2^40 kB from a fixed sequence (an LCG: the same
 * figures every run) */
static int64_t figure(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return (int64_t)(*x >> 24);
}

/* The parts stacked sum to the figure the metric names, the line is the
 * other figure, and an unknown figure draws nothing below the axis. */
static void test_stack(void)
{
	struct chart_stack s;
	uint64_t x = 7;

	for (int i = 0; i < 100000; i++) {
		int64_t uss = figure(&x);
		int64_t pss = uss + figure(&x);
		int64_t rss = pss + figure(&x);
		struct point p = fig(rss, pss, uss, i % 3 != 0);

		s = chart_stack(&p, CHART_PSS);
		CHECK_INT(s.lower, uss);
		CHECK_INT(chart_stack_top(&s), pss);
		CHECK_INT(s.line, rss);
		CHECK_INT(chart_stack_high(&s), rss);
		CHECK(s.approx == !p.consistent);
		s = chart_stack(&p, CHART_RSS);
		CHECK_INT(s.lower, uss);
		CHECK_INT(chart_stack_top(&s), rss);
		CHECK_INT(s.line, pss);
		s = chart_stack(&p, CHART_USS);
		CHECK_INT(s.lower, uss);
		CHECK_INT(s.upper, 0);
		CHECK_INT(s.line, pss);
	}
	/* ΣPSS below ΣUSS (sums of reads at different moments): the stack
	 * is ΣUSS, never a negative shared part */
	s = chart_stack(&(struct point){ .rss_kb = 50, .pss_kb = 30, .uss_kb = 40 }, CHART_PSS);
	CHECK_INT(s.lower, 40);
	CHECK_INT(s.upper, 0);
	/* unknown figures: nothing below 0 */
	s = chart_stack(&(struct point){ .rss_kb = MODEL_KB_NONE, .pss_kb = 30,
					 .uss_kb = MODEL_KB_NONE }, CHART_PSS);
	CHECK_INT(s.lower, 0);
	CHECK_INT(s.upper, 30);
	CHECK_INT(s.line, 0);
	s = chart_stack(&(struct point){ .rss_kb = MODEL_KB_NONE, .pss_kb = MODEL_KB_NONE,
					 .uss_kb = MODEL_KB_NONE }, CHART_RSS);
	CHECK(s.lower == 0 && s.upper == 0 && s.line == 0);
	CHECK_STR(chart_metric_name(CHART_PSS), "PSS");
	CHECK_STR(chart_metric_name(CHART_USS), "USS");
}

/* 1, 2 or 5 times a power of ten */
static bool is_nice(double v)
{
	double p10 = pow(10, floor(log10(v))), f = v / p10;

	return fabs(f - 1) < 1e-9 || fabs(f - 2) < 1e-9 || fabs(f - 5) < 1e-9 ||
	       fabs(f - 10) < 1e-9;
}

/* An axis of the picture over [0, top] asked for about n ticks: checks,
 * returns the widest label */
static size_t check_axis(const struct chart_axis *a, double top, int n)
{
	int ticks = chart_ticks(a);
	size_t widest = 0;
	char prev[CHART_LABEL_MAX] = "";

	CHECK(is_nice(a->step / a->unit));
	CHECK(a->max >= top);                         /* holds the data */
	CHECK(a->max <= top * 1.06 + a->step * 1.0001);  /* by a tick at most */
	CHECK(fabs(a->max / a->step - round(a->max / a->step)) < 1e-6);  /* on a tick */
	CHECK(ticks >= 2 && ticks <= 2 * n + 2);      /* about n */
	/* a memory axis's numbers stay under 4096 of its unit, but TiB */
	if (a->unit_name[0] && strcmp(a->unit_name, "TiB") != 0)
		CHECK(a->max / a->unit < 4096 * 1.06 + a->step / a->unit);
	for (int k = 0; k < ticks; k++) {
		char lab[CHART_LABEL_MAX], big[64];
		double v;

		chart_tick_label(lab, sizeof(lab), a, k);
		/* the buffer never cuts it */
		chart_tick_label(big, sizeof(big), a, k);
		CHECK_STR(lab, big);
		/* it reads back as the tick's value, in its unit */
		v = strtod(lab, NULL);
		CHECK(fabs(v - k * a->step / a->unit) <= 1e-9 * (1 + v));
		CHECK(strcmp(lab, prev) != 0);
		if (a->unit_name[0])
			CHECK(strstr(lab, a->unit_name) != NULL);
		snprintf(prev, sizeof(prev), "%s", lab);
		if (strlen(lab) > widest)
			widest = strlen(lab);
	}
	return widest;
}

/* The picture's axes: memory from 1 kB to 8 PiB, time from a millisecond
 * to four months, 2 to 6 ticks */
static void test_axes(void)
{
	size_t kb_widest = 0, t_widest = 0;

	for (int i = 0; i < 95; i++) {
		double top = pow(1.37, i);  /* to 8 PiB */

		for (int n = 2; n <= 6; n++) {
			struct chart_axis a = chart_kb_axis(top, n);
			size_t w = check_axis(&a, top, n);

			if (w > kb_widest)
				kb_widest = w;
		}
	}
	for (int i = 0; i < 111; i++) {
		double t = 0.001 * pow(1.23, i);  /* to four months */

		for (int n = 2; n <= 6; n++) {
			struct chart_axis a = chart_time_axis(t, n);
			size_t w = check_axis(&a, t, n);

			CHECK(a.unit == 1 && !a.unit_name[0]);
			if (w > t_widest)
				t_widest = w;
		}
	}
	/* "4400 MiB", "0.08 KiB"; "5000000" (s) */
	printf("# widest labels: memory %zu, time %zu\n", kb_widest, t_widest);
	CHECK(kb_widest <= 8);
	CHECK(t_widest <= 8);
	/* known axes */
	{
		struct chart_axis a = chart_kb_axis(234375, 5);
		char lab[CHART_LABEL_MAX];

		CHECK_STR(a.unit_name, "MiB");
		CHECK_NEAR(a.step, 50 * 1024, 1e-9);
		CHECK_NEAR(a.max, 250 * 1024, 1e-9);
		chart_tick_label(lab, sizeof(lab), &a, 3);
		CHECK_STR(lab, "150 MiB");
		a = chart_time_axis(2.4, 6);
		CHECK_NEAR(a.step, 0.5, 1e-12);
		CHECK_NEAR(a.max, 2.5, 1e-12);
		chart_tick_label(lab, sizeof(lab), &a, 3);
		CHECK_STR(lab, "1.5");
		a = chart_kb_axis(0, 4);
		CHECK(a.max >= 1024 && a.step > 0);
		a = chart_time_axis(-1, 4);
		CHECK(a.max >= 1 && a.step > 0);
		a = chart_time_axis(NAN, 4);
		CHECK(a.max >= 1 && a.step > 0);
	}
}

/* The TUI's memory axis: labelled at its top and half of it in
 * LAYOUT's five columns (ui/layout.c: label_w 6, one for the tick) */
static void test_kb_top(void)
{
	char b[FMT_SIZE_MAX];
	int widest = 0;

	/* zero and tiny: at least 1 MiB */
	CHECK_INT(chart_kb_top(0), 1024);
	CHECK_INT(chart_kb_top(-5), 1024);
	CHECK_INT(chart_kb_top(1), 1024);
	/* a round label in fmt_kb's unit */
	CHECK_STR(fmt_kb(b, sizeof(b), chart_kb_top(143 * 1024)), "150M");
	CHECK_STR(fmt_kb(b, sizeof(b), chart_kb_top(246 * 1024)), "250M");
	CHECK_STR(fmt_kb(b, sizeof(b), chart_kb_top(1210 * 1024)), "1.5G");
	CHECK_INT(chart_kb_top(200 * 1024), 200 * 1024);
	/* never below the peak, never overflowing */
	for (int64_t v = 1; v < (INT64_MAX / 3); v = v * 3 + 7)
		CHECK(chart_kb_top(v) >= v);
	CHECK(chart_kb_top(INT64_MAX) == INT64_MAX);
	CHECK(chart_kb_top(INT64_MAX / 2) >= INT64_MAX / 2);
	/* from a kilobyte to a petabyte: at most a quarter above the peak
	 * past 4 MiB, labels of five columns */
	for (int i = 0; i < 2141; i++) {
		int64_t peak = (int64_t)pow(1.013, i), top = chart_kb_top(peak);
		int w = text_columns(fmt_kb(b, sizeof(b), top));
		int h = text_columns(fmt_kb(b, sizeof(b), top / 2));

		if (peak > 4096)
			CHECK((double)top <= (double)peak * 1.5);
		CHECK(w <= 5 && h <= 5);
		widest = w > widest ? w : widest;
		widest = h > widest ? h : widest;
	}
	printf("# widest TUI memory label: %d\n", widest);
}

/* The TUI's time axis: a tick's label reads back as its time, differs
 * from the one before, and stays short */
static void test_time_top(void)
{
	static const struct {
		double t;
		const char *text;
	} labels[] = { { 0.25, "0.25s" }, { 1.25, "1.25s" }, { 0.4, "0.4s" },
		       { 1.5, "1.5s" }, { 30, "30s" }, { 120, "2m" }, { 90, "90s" } };
	double step;
	char b[16];

	CHECK_NEAR(chart_time_top(0, &step), 1.0, 1e-9);
	CHECK_NEAR(step, 0.2, 1e-9);
	CHECK_NEAR(chart_time_top(1.3, &step), 1.5, 1e-9);
	CHECK_NEAR(step, 0.5, 1e-9);
	CHECK_NEAR(chart_time_top(2.0, &step), 2.0, 1e-9);
	CHECK_NEAR(chart_time_top(102, &step), 120, 1e-9);
	CHECK(chart_time_top(1e9, &step) >= 1e9);
	CHECK(chart_time_top(-1, NULL) == 1);

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		chart_time_label(b, sizeof(b), labels[i].t);
		CHECK_STR(b, labels[i].text);
	}

	/* every run from a moment to a week */
	for (int i = 0; i < 367; i++) {
		double t = 0.01 * pow(1.05, i);  /* to a week */
		double top = chart_time_top(t, &step);
		int ticks = 0;
		char prev[16] = "";

		CHECK(top >= t && top >= 1);
		for (int k = 1; k * step <= top + 1e-9; k++) {
			double at = k * step, v;
			char *end;

			chart_time_label(b, sizeof(b), at);
			CHECK(strlen(b) <= 6);
			v = strtod(b, &end);
			if (*end == 'm')
				v *= 60;
			else
				CHECK(*end == 's');
			CHECK(fabs(v - at) <= 1e-9 * at);
			if (fabs(v - at) > 1e-9 * at)
				fprintf(stderr, "# %g s: %s\n", at, b);
			CHECK(strcmp(prev, b) != 0);
			snprintf(prev, sizeof(prev), "%s", b);
			ticks++;
		}
		/* 2 to 5 ticks up to a day, then a tick a day */
		if (t <= 5 * 86400)
			CHECK(ticks >= 1 && ticks <= 5);
	}
}

static void test_hold(void)
{
	struct model m;
	struct run *r;
	double t0 = -1, t1 = -1;

	model_init(&m, true);
	r = model_add_run(&m, "shared", "shared", "");
	run_phase_begin(r, "fill", 0.0);
	CHECK(!chart_hold_span(r, 1.0, &t0, &t1));
	run_phase_begin(r, "hold", 0.98);
	/* not begun at the view's time */
	CHECK(!chart_hold_span(r, 0.9, &t0, &t1));
	/* open: up to the view's time */
	CHECK(chart_hold_span(r, 1.5, &t0, &t1));
	CHECK_NEAR(t0, 0.98, 1e-12);
	CHECK_NEAR(t1, 1.5, 1e-12);
	run_phase_begin(r, "exit", 1.98);
	/* ended: up to its end, or the view's time before it */
	CHECK(chart_hold_span(r, 3.0, &t0, &t1));
	CHECK_NEAR(t1, 1.98, 1e-12);
	CHECK(chart_hold_span(r, 1.2, &t0, &t1));
	CHECK_NEAR(t1, 1.2, 1e-12);
	model_finish(&m);
}

/* The picture's phases: the workloads' each a role of its own (fork is
 * the copy's attach), any other name always the same one of four */
static void test_phase_roles(void)
{
	static const char *const named[] = { "spawn", "fill", "attach", "transfer",
					     "write", "compute", "hold", "exit" };
	bool seen[THEME_COUNT] = { false };

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		enum theme_role r = chart_phase_role(named[i]);

		CHECK(r >= THEME_PHASE_HOLD && r < THEME_PHASE_OTHER_0);
		CHECK(!seen[r]);
		seen[r] = true;
	}
	CHECK_INT(chart_phase_role("fork"), chart_phase_role("attach"));
	CHECK_INT(chart_phase_role("hold"), THEME_PHASE_HOLD);
	for (int i = 0; i < 200; i++) {
		char name[16];
		enum theme_role r;

		snprintf(name, sizeof(name), "p%d", i);
		r = chart_phase_role(name);
		CHECK(r >= THEME_PHASE_OTHER_0 && r <= THEME_PHASE_OTHER_3);
		CHECK_INT(chart_phase_role(name), r);
		seen[r] = true;
	}
	for (int r = THEME_PHASE_OTHER_0; r <= THEME_PHASE_OTHER_3; r++)
		CHECK(seen[r]);
	CHECK(chart_phase_role("") >= THEME_PHASE_OTHER_0);
}

int main(void)
{
	test_stack();
	test_axes();
	test_kb_top();
	test_time_top();
	test_hold();
	test_phase_roles();
	return check_done();
}
