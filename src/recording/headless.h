/*
 * headless.h - the sink of `shmviz --record`: streams the recording,
 * prints the summary's header when the session starts (so a pipe sees it
 * first) and, when stderr is a terminal, one progress line there (run,
 * phase, elapsed time, ΣPSS now), rewritten in place and cleared at the
 * end. The summary's table follows at the end (main.c).
 */
#ifndef SHMVIZ_SRC_HEADLESS_H
#define SHMVIZ_SRC_HEADLESS_H

#if !defined(SHMVIZ_USES_RECORDING) && !defined(SHMVIZ_USES_ALL)
#error "src/recording/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stdio.h>

#include "src/core/sink.h"
#include "src/recording/record.h"

struct headless {
	struct recorder *rec;
	FILE *summary;          /* stdout, or stderr when recording to stdout;
	                           NULL: no summary (--quiet) */
	FILE *progress;         /* a terminal for the progress line, or NULL */
	bool header_done;       /* the summary's header is out */
	bool shown;             /* a progress line is on the terminal */
	double last_mono;       /* when it was last drawn */
	struct sink inner;      /* headless_tee(): the TUI that shows the
	                           session recorded */
};

struct sink headless_sink(struct headless *h);

/* The recorder and the TUI on one session (--record FILE on a terminal):
 * every event is recorded, then shown by inner, which also takes the
 * keys. No header or progress line is printed meanwhile (the terminal is
 * the TUI's); the summary follows once it has ended. */
struct sink headless_tee(struct headless *h, struct sink inner);

/* The progress line as it would be drawn now, at most cols columns
 * (without the terminal's control sequences). */
void headless_progress_text(char *buf, size_t size, const struct model *m,
			    const struct run *r, size_t cols);

/* Clears the progress line, if one is shown (before anything else is
 * written to the terminal). */
void headless_clear(struct headless *h);

#endif
