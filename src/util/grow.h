/*
 * grow.h - room in an array that grows by doubling.
 */
#ifndef SHMVIZ_UTIL_GROW_H
#define SHMVIZ_UTIL_GROW_H

#if !defined(SHMVIZ_USES_UTIL) && !defined(SHMVIZ_USES_ALL)
#error "src/util/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>

/* Makes *p (of *cap elements of size bytes) hold at least need elements:
 * a capacity doubled from *cap (from 16 when 0) until it does, the
 * elements kept. false: out of memory or a size past SIZE_MAX, *p and *cap
 * as they were. */
bool grow(void **p, size_t *cap, size_t need, size_t size);

#endif
