/*
 * decayrep.h - a run's sharing decay (src/core/decay.h) in words, as the
 * summary, the TUI's decay view and the plot say it: the rate the shared
 * part of ΣPSS is lost at, MiB/s, and its half-life.
 */
#ifndef SHMVIZ_SRC_DECAYREP_H
#define SHMVIZ_SRC_DECAYREP_H

#if !defined(SHMVIZ_USES_REPORT) && !defined(SHMVIZ_USES_ALL)
#error "src/report/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>

#include "src/core/model.h"

/* The least loss worth a line of the summary and the plot: below it a
 * tree's sharing did not decay (the pages of a stack, a library). */
#define DECAYREP_SHOWN_KB 1024

/* Whether the run's tree lost at least DECAYREP_SHOWN_KB of its shared
 * part in its window. */
bool decayrep_shown(const struct run *r);

/* "15.3 MiB/s" (one decimal, MiB = 1024 KiB); "-" without a window. */
char *decayrep_rate(char *buf, size_t size, const struct decay_fig *f);
/* "1.00 s" (fmt_seconds()); "not yet" when the shared part never fell to
 * half; "-" without a window. */
char *decayrep_half_life(char *buf, size_t size, const struct decay_fig *f);

/* One line for the run: "decayfork: shared part of ΣPSS 32 MiB at 0.66 s,
 * 88 KiB at 2.76 s: 32 MiB lost at 15.3 MiB/s, half gone after 1.00 s;
 * first to lose half: 10350 (worker), after 0.98 s". "" without a
 * window. */
#define DECAYREP_LINE_MAX 512
char *decayrep_line(char *buf, size_t size, const struct run *r);

#endif
