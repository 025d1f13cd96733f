/*
 * parse.h - strict parsing of numbers given as text (options, a workload's
 * arguments, environment variables): the whole string or nothing.
 */
#ifndef SHMVIZ_UTIL_PARSE_H
#define SHMVIZ_UTIL_PARSE_H

#if !defined(SHMVIZ_USES_UTIL) && !defined(SHMVIZ_USES_ALL)
#error "src/util/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stdint.h>

/* Parses a count with an optional k/M/G suffix (10^3, 10^6, 10^9) and an
 * optional fraction before it ("2M", "1.5M", "250k", "10000000").
 * Returns false for empty, negative, garbage, overflow. */
bool parse_count(const char *s, uint64_t *out);

/* Parses a whole number in [min, max]; false otherwise. */
bool parse_int(const char *s, long min, long max, long *out);

/* Parses a decimal number in [min, max]; false otherwise. */
bool parse_double(const char *s, double min, double max, double *out);

#endif
