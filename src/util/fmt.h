/*
 * fmt.h - numbers for people: sizes, durations, ratios.
 *
 * Sizes are binary (1 MiB = 1024 KiB) and written with the short units top
 * uses: "512K", "6.0M", "240M", "1.2G"; the long forms say "MiB". All
 * functions write into the caller's buffer and return it.
 */
#ifndef SHMVIZ_SRC_FMT_H
#define SHMVIZ_SRC_FMT_H

#if !defined(SHMVIZ_USES_UTIL) && !defined(SHMVIZ_USES_ALL)
#error "src/util/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stddef.h>
#include <stdint.h>

#define FMT_SIZE_MAX 32

/* kB as "0", "512K", "6.0M", "240M", "1.2G", "12G", "3.4T"; a negative
 * value (unknown) as "?". At most 5 columns below 1000 PiB. */
char *fmt_kb(char *buf, size_t size, int64_t kb);

/* fmt_kb() in at most 4 columns below 1000 PiB, for a table's cells:
 * 1000 to 1023 of a unit as 1.0 of the next ("1020K" is "1.0M"). */
char *fmt_kb_cell(char *buf, size_t size, int64_t kb);

/* kB as "512 KiB", "6.0 MiB", "240 MiB", "1.2 GiB"; negative as "unreadable". */
char *fmt_kb_long(char *buf, size_t size, int64_t kb);

/* seconds as "850 us", "58 ms", "0.41 s", "2.4 s", "102 s", "3 m 20 s". */
char *fmt_seconds(char *buf, size_t size, double s);

/* a ratio as "40×" ("40x" when ascii), "1.5×", "0.8×"; non-finite as "?". */
char *fmt_ratio(char *buf, size_t size, double r, int ascii);

#endif
