/*
 * smaps.h - the memory figures of /proc/PID/smaps_rollup, and a plain-text
 * parser for them.
 *
 * The live sampler reads smaps_rollup through libproc2 (procs.c); this parser
 * reads the same text from a file or a buffer so that fixtures captured on
 * other kernels can drive the tests, and so that the benchmark has a plain
 * reader to compare against.
 */
#ifndef SHMVIZ_PROBES_SMAPS_H
#define SHMVIZ_PROBES_SMAPS_H

#if !defined(SHMVIZ_USES_PROBES) && !defined(SHMVIZ_USES_ALL)
#error "probes/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probes/smaps_fields.h"   /* struct smaps_kb, SMAPS_NONE */

/* Sets every figure to SMAPS_NONE. */
void smaps_clear(struct smaps_kb *s);

/* Parses smaps_rollup text of len bytes (need not be NUL-terminated).
 * Lines it does not know are skipped. Returns 0, or -EINVAL when the text
 * holds neither Rss nor Pss (not smaps_rollup text at all). */
int smaps_parse(const char *text, size_t len, struct smaps_kb *out);

/* One line [p, eol) of smaps or smaps_rollup text: when it is "Key: <n> kB"
 * with the key of a figure of the list whose flags have all of the bits of
 * need (0: any figure), stores the figure in out and returns true. A figure
 * that does not parse is left as it was. */
bool smaps_parse_line(const char *p, const char *eol, unsigned need,
		      struct smaps_kb *out);

/* Reads and parses /proc/PID/smaps_rollup with open/read/close.
 * Returns 0, -ENOENT or -ESRCH when the process is gone, -EACCES when it
 * may not be read, -EINVAL for an empty or foreign file (a zombie), or
 * another -errno. */
int smaps_read(pid_t pid, struct smaps_kb *out);

#endif
