/*
 * chart.c - the arithmetic of a memory chart (see chart.h): stacking,
 * scales, ticks and labels, the hold's span, the phases' colour roles.
 *
 * Every nice number here is one of a ladder of mantissas times a power of
 * ten (nice()): the TUI's memory top the smallest of 1, 1.5, ... 10 at
 * least the figure, the picture's steps the nearest of 1, 2, 5, 10. Time
 * steps of the TUI are a ladder of their own (seconds, then minutes).
 */
#include "src/core/chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "src/util/macros.h"

const char *chart_metric_name(enum chart_metric m)
{
	switch (m) {
	case CHART_PSS:
		return "PSS";
	case CHART_RSS:
		return "RSS";
	case CHART_USS:
		return "USS";
	case CHART_METRICS:
		break;
	}
	return "?";
}

static int64_t nonneg(int64_t v)
{
	return v < 0 ? 0 : v;
}

struct chart_stack chart_stack(const struct point *p, enum chart_metric m)
{
	struct chart_stack v = { .lower = nonneg(p->uss_kb),
				 .approx = !p->consistent };

	switch (m) {
	case CHART_RSS:
		v.upper = nonneg(p->rss_kb - v.lower);
		v.line = nonneg(p->pss_kb);
		break;
	case CHART_USS:
		v.line = nonneg(p->pss_kb);
		break;
	case CHART_PSS:
	case CHART_METRICS:
		v.upper = nonneg(p->pss_kb - v.lower);
		v.line = nonneg(p->rss_kb);
		break;
	}
	return v;
}

int64_t chart_stack_top(const struct chart_stack *s)
{
	return s->lower + s->upper;
}

int64_t chart_stack_high(const struct chart_stack *s)
{
	int64_t top = chart_stack_top(s);

	return s->line > top ? s->line : top;
}

/* v (> 0) made a mantissa of the ladder (ascending, from 1, ending with
 * 10) times a power of ten: the smallest at least v, or (nearest) the one
 * whose span between the midpoints to its neighbours holds v */
static double nice(double v, const double *mant, size_t n, bool nearest)
{
	double p10 = pow(10.0, floor(log10(v))), f = v / p10;

	for (size_t i = 0; i + 1 < n; i++) {
		if (nearest ? f < (mant[i] + mant[i + 1]) / 2 :
			      mant[i] * p10 >= v * (1 - 1e-12))
			return mant[i] * p10;
	}
	return mant[n - 1] * p10;
}

int64_t chart_kb_top(int64_t peak_kb)
{
	static const double mant[] = { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 };
	double v = (double)(peak_kb < 1024 ? 1024 : peak_kb), unit = 1, top;

	/* in the unit fmt_kb() will print it in, so the label stays round */
	while (v / unit >= 1024.0 && unit < 1099511627776.0) /* up to P */
		unit *= 1024.0;
	top = nice(v / unit, mant, ARRAY_SIZE(mant), false) * unit;
	if (top >= 9.2e18)
		return INT64_MAX;
	if (top < (double)peak_kb)
		return peak_kb;
	return (int64_t)ceil(top);
}

double chart_time_top(double t, double *step)
{
	static const double steps[] = {
		0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 15, 20, 30, 60, 120, 300,
		600, 900, 1200, 1800, 3600, 7200, 14400, 28800, 86400,
	};
	double s = steps[ARRAY_SIZE(steps) - 1];

	if (!isfinite(t) || t < 1)
		t = 1;
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
		if (ceil(t / steps[i] - 1e-9) <= 5) {
			s = steps[i];
			break;
		}
	}
	if (step)
		*step = s;
	return ceil(t / s - 1e-9) * s;
}

void chart_time_label(char *buf, size_t size, double t)
{
	if (t >= 120 && fmod(t, 60) == 0)
		snprintf(buf, size, "%.0fm", t / 60);
	else  /* six digits: 1.25 is "1.25s", 3 * 0.2 "0.6s" */
		snprintf(buf, size, "%gs", t);
}

/* A step of 1, 2 or 5 times a power of ten giving about n ticks over range */
static double step_of(double range, int n)
{
	static const double mant[] = { 1, 2, 5, 10 };

	return nice(range / n, mant, ARRAY_SIZE(mant), true);
}

struct chart_axis chart_kb_axis(double top_kb, int n)
{
	static const double units[] = { 1, 1024, 1048576, 1073741824.0 };
	static const char *const names[] = { "KiB", "MiB", "GiB", "TiB" };
	struct chart_axis a;
	size_t u = 0;

	/* at least a kilobyte, so the step stays a normal number */
	if (!(top_kb >= 1))
		top_kb = 1024;
	while (u + 1 < ARRAY_SIZE(units) && top_kb / units[u] >= 4096)
		u++;
	a.unit = units[u];
	a.unit_name = names[u];
	a.step = step_of(top_kb / a.unit, n) * a.unit;
	/* a little headroom above the highest figure, on a tick */
	a.max = ceil(top_kb * 1.06 / a.step) * a.step;
	return a;
}

struct chart_axis chart_time_axis(double t, int n)
{
	struct chart_axis a = { .unit = 1, .unit_name = "" };

	/* at least a millisecond, so the step stays a normal number */
	if (!(t >= 0.001))
		t = t > 0 ? 0.001 : 1;
	a.step = step_of(t, n);
	a.max = ceil(t / a.step - 1e-9) * a.step;
	return a;
}

int chart_ticks(const struct chart_axis *a)
{
	int k = 0;

	while (k <= CHART_TICKS_MAX && k * a->step <= a->max + a->step / 2)
		k++;
	return k;
}

void chart_tick_label(char *buf, size_t size, const struct chart_axis *a, int k)
{
	double step = a->step / a->unit;
	int decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);

	if (decimals > 6)
		decimals = 6;
	snprintf(buf, size, "%.*f%s%s", decimals, k * a->step / a->unit,
		 a->unit_name[0] ? " " : "", a->unit_name);
}

bool chart_hold_span(const struct run *r, double t_view, double *t0, double *t1)
{
	const struct phase *h = run_phase_find(r, "hold");

	if (!h || h->start_s > t_view)
		return false;
	*t0 = h->start_s;
	*t1 = h->end_s < 0 || h->end_s > t_view ? t_view : h->end_s;
	return true;
}

enum theme_role chart_phase_role(const char *name)
{
	static const struct {
		const char *name;
		enum theme_role role;
	} named[] = {
		{ "spawn", THEME_PHASE_SPAWN },
		{ "fill", THEME_PHASE_FILL },
		{ "attach", THEME_PHASE_ATTACH },
		{ "transfer", THEME_PHASE_TRANSFER },
		{ "fork", THEME_PHASE_ATTACH },  /* the copy's attach */
		{ "write", THEME_PHASE_WRITE },
		{ "compute", THEME_PHASE_COMPUTE },
		{ "hold", THEME_PHASE_HOLD },
		{ "exit", THEME_PHASE_EXIT },
	};
	static const enum theme_role other[] = {
		THEME_PHASE_OTHER_0, THEME_PHASE_OTHER_1, THEME_PHASE_OTHER_2,
		THEME_PHASE_OTHER_3,
	};
	unsigned h = 5381;

	for (size_t i = 0; i < ARRAY_SIZE(named); i++)
		if (strcmp(name, named[i].name) == 0)
			return named[i].role;
	for (const char *p = name; *p; p++)
		h = h * 33 + (unsigned char)*p;
	return other[h % ARRAY_SIZE(other)];
}
