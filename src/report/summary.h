/*
 * summary.h - the human summary of a session: one column a run, one row a
 * figure (wall time, compute time, peak ΣPSS, ΣRSS, ΣUSS), and the ratio
 * of every later run to the first.
 */
#ifndef SHMVIZ_SRC_SUMMARY_H
#define SHMVIZ_SRC_SUMMARY_H

#if !defined(SHMVIZ_USES_REPORT) && !defined(SHMVIZ_USES_ALL)
#error "src/report/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stdio.h>

#include "src/core/model.h"
#include "src/util/fmt.h"

void summary_print(FILE *f, const struct model *m);

/* The table's cells in ASCII (--ascii, or a locale not UTF-8); the rest
 * of the text is the caller's to transliterate (text_to_ascii()) */
void summary_set_ascii(bool on);
/* The descriptor whose terminal's width the summary takes when its
 * stream has none (the --ascii stream over stdout); -1: none. */
void summary_set_width_fd(int fd);

/* --repeat: a figure over the rounds of a run that ended done */
enum round_figure { ROUND_WALL, ROUND_CPU, ROUND_PSS };
struct round_stats {
	size_t n;              /* rounds with the figure */
	double median, min, max;
};
/* False when no round has the figure. */
bool summary_round_stats(const struct run *r, enum round_figure what,
			 struct round_stats *out);
/* --repeat, once rounds ended: "2 of 3 rounds, median [min, max]: shared
 * 0.18 s [0.13 s, 0.20 s], peak 25 MiB - copy ..."; "" before. */
void summary_rounds_line(char *buf, size_t size, const struct model *m,
			 bool ascii);

/* The noise limit: max/min of a run's wall or CPU time beyond it is
 * warned of (the rounds were disturbed). */
#define ROUND_NOISE_RATIO 1.5
/* The two parts of summary_print(): the header line (the session's
 * settings, then an empty line), known from the start, and the table and
 * notes, known at the end. */
void summary_header(FILE *f, const struct model *m);
/* what -n counts in the session's workload: "rows" of the table, or
 * "objects" (--workload prefork's Python objects) */
const char *summary_unit(const struct model *m);

/* A run's peak ΣPSS as every view says it: "93 MiB" when it is one
 * moment, "≥ 95 MiB (≤ 285 MiB)" when its bound is wider (the highest
 * lower bound, and that sample's upper one), "not sampled" without one;
 * fmt_kb() units when brief, and then a wide peak as its lower bound
 * alone ("≥93M"). */
/* A ratio r = b / a in words that read as a factor of 1 or more, as the
 * TUI's comparison strip says it: "233Ã less" (r = 0.0043), "3.0Ã
 * more", "as much" (within the 1.0 that fmt_ratio prints), "?" when r is
 * not a ratio. ascii: "x". */
#define SUMMARY_FACTOR_MAX (FMT_SIZE_MAX + 16)
char *summary_factor(char *buf, size_t size, double r, bool ascii);
/* A time ratio r (one run's time over another's) in words: "2.6× faster"
 * (r = 0.38), "3.0× slower", "as fast" where the factor reads 1.0, "?"
 * when r is not a ratio. */
char *summary_speed(char *buf, size_t size, double r, bool ascii);

#define SUMMARY_PEAK_MAX (2 * FMT_SIZE_MAX + 16)
char *summary_peak_text(char *buf, size_t size, const struct run *r, bool brief);
void summary_body(FILE *f, const struct model *m);
/* summary_body() with its table in cols columns (0: no limit): the
 * columns that do not fit go on in a block below, and each note below the
 * table wraps at spaces in cols columns, never inside a word or a figure
 * (text_wrap()), its lines after the first indented by two spaces.
 * summary_body() and summary_header() take the terminal's width when f
 * (or the descriptor of summary_set_width_fd()) is one, else $COLUMNS,
 * else no limit. */
void summary_body_cols(FILE *f, const struct model *m, int cols);

/* One line comparing two finished runs, as the TUI's strip shows it:
 * "shared 0.06 s, peak 245 MiB — copy 2.41 s, peak 1.2 GiB: 40× faster,
 * 4.9× less memory". Writes "" when either is not done. */
void summary_line(char *buf, size_t size, const struct run *a,
		  const struct run *b, bool ascii);

#endif
