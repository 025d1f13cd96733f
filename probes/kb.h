/*
 * kb.h - the numbers of /proc files written "Name:   <n> kB" (status,
 * smaps_rollup): one parser for both.
 */
#ifndef SHMVIZ_PROBES_KB_H
#define SHMVIZ_PROBES_KB_H

#if !defined(SHMVIZ_USES_PROBES) && !defined(SHMVIZ_USES_ALL)
#error "probes/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stdint.h>

/* Parses the decimal number at p (up to end), skipping leading blanks.
 * Returns false, leaving *out alone, when there is no number or it would
 * overflow int64_t. */
bool kb_parse(const char *p, const char *end, int64_t *out);

#endif
