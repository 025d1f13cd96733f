/*
 * summary.h - the human summary of a session: one column a run, one row a
 * figure (wall time, compute time, peak ΣPSS, ΣRSS, ΣUSS), and the ratio
 * of every later run to the first.
 */
#ifndef SHMVIZ_SRC_SUMMARY_H
#define SHMVIZ_SRC_SUMMARY_H

#include <stdio.h>

#include "src/model.h"

void summary_print(FILE *f, const struct model *m);

/* The two parts of summary_print(): the header line (the session's
 * settings, then an empty line), known from the start, and the table and
 * notes, known at the end. */
void summary_header(FILE *f, const struct model *m);
void summary_body(FILE *f, const struct model *m);

/* One line comparing two finished runs, as the TUI's strip shows it:
 * "shared 0.06 s, peak 245 MiB — copy 2.41 s, peak 1.2 GiB: 40× faster,
 * 4.9× less memory". Writes "" when either is not done. */
void summary_line(char *buf, size_t size, const struct run *a,
		  const struct run *b, bool ascii);

#endif
