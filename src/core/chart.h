/*
 * chart.h - the arithmetic of a memory chart, one for the TUI's graphs
 * (ui/) and the pictures of --plot (src/report/plot.c): what is stacked
 * of a sample, the scales and their ticks and labels, the marks of a
 * sample not one moment and of the hold, and which colour role a phase
 * takes (docs/architecture.md rule 9). No curses, no cairo: plain numbers,
 * unit-tested by tests/unit/test_chart.c.
 *
 * Memory figures are kB, times are seconds since a run started.
 */
#ifndef SHMVIZ_SRC_CHART_H
#define SHMVIZ_SRC_CHART_H

#if !defined(SHMVIZ_USES_CORE) && !defined(SHMVIZ_USES_ALL)
#error "src/core/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/core/model.h"
#include "src/core/palette.h"

/* What a chart stacks (the lower part is always ΣUSS, the private part):
 *   PSS: ΣUSS + (ΣPSS − ΣUSS) = ΣPSS, line ΣRSS
 *   RSS: ΣUSS + (ΣRSS − ΣUSS) = ΣRSS, line ΣPSS
 *   USS: ΣUSS alone,                  line ΣPSS
 * The picture of --plot draws PSS. */
enum chart_metric {
	CHART_PSS,
	CHART_RSS,
	CHART_USS,
	CHART_METRICS,
};

const char *chart_metric_name(enum chart_metric m);

/* The three series a chart draws from one sample, by metric; an unknown
 * figure (MODEL_KB_NONE) counts as 0, so nothing is drawn below the axis. */
struct chart_stack {
	int64_t lower;   /* private part, kB */
	int64_t upper;   /* shared part stacked on it, kB */
	int64_t line;    /* the line drawn over both, kB */
	bool approx;     /* the sample is not one moment (its ΣPSS bound
	                    unknown or over 1%: docs/recording.md, "Bounds"):
	                    estimated or held figures, marked (a shade in the
	                    TUI, a veil in the picture) */
};
struct chart_stack chart_stack(const struct point *p, enum chart_metric m);

/* The stack's top (lower + upper) and the highest of it and the line. */
int64_t chart_stack_top(const struct chart_stack *s);
int64_t chart_stack_high(const struct chart_stack *s);

/* ---- scales ---- */

/* The TUI's memory axis: a nice top of kB, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8
 * times a power of ten of K, M, G, T or P (the unit fmt_kb() prints it
 * in), at least peak_kb and at least 1 MiB. Never overflows. */
int64_t chart_kb_top(int64_t peak_kb);

/* The TUI's time axis: a nice end at least t (s), at least 1 s, and the
 * step of its ticks (2 to 5 ticks, a step of seconds or minutes). */
double chart_time_top(double t, double *step);

/* A tick label of the TUI's time axis, short: "0.25s", "1.25s", "30s",
 * "2m" (minutes from two on). */
void chart_time_label(char *buf, size_t size, double t);

/* An axis of the picture: ticks at 0, step, 2 step, ... up to max. */
struct chart_axis {
	double max;             /* the axis's end, on a tick */
	double step;            /* between ticks, 1, 2 or 5 times a power of ten
	                           of the unit */
	double unit;            /* the labels' unit (kB for memory, 1 for s) */
	const char *unit_name;  /* "KiB", "MiB", "GiB", "TiB"; "" for time */
};

/* A memory axis over [0, top_kb] with about n ticks, a little headroom
 * above top_kb, labels under 4096 of their unit. */
struct chart_axis chart_kb_axis(double top_kb, int n);

/* A time axis over [0, t] (s) with about n ticks, ending on a tick. */
struct chart_axis chart_time_axis(double t, int n);

/* The ticks of an axis (0 included); at most CHART_TICKS_MAX + 1. */
#define CHART_TICKS_MAX 20
int chart_ticks(const struct chart_axis *a);

/* Tick k's label: its value in the axis's unit with as many decimals as
 * the step needs ("0", "2.5", "1000"), then the unit's name when it has
 * one ("512 MiB"). At most CHART_LABEL_MAX bytes with the NUL. */
#define CHART_LABEL_MAX 24
void chart_tick_label(char *buf, size_t size, const struct chart_axis *a, int k);

/* ---- marks ---- */

/* The hold phase of a run (a steady state kept to be seen, left out of
 * the wall time the comparison gives) as it stood at t_view: [*t0, *t1).
 * False when the run had no hold by t_view. Charts draw a break at *t0
 * and hatch the rest. */
bool chart_hold_span(const struct run *r, double t_view, double *t0, double *t1);

/* The colour role of a phase in the picture, by its name: the workloads'
 * phases each their own, any other one of THEME_PHASE_OTHER_*, by a hash
 * of its name (the same name always the same role). */
enum theme_role chart_phase_role(const char *name);

#endif
