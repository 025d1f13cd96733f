/*
 * assets.h - where shmviz finds its run-time files (the Python workload,
 * the lesson captions): $SHMVIZ_ASSETS when set; the source tree's assets/
 * when the binary runs from its build directory; the data directory of the
 * installed tree the binary is in (also when staged with meson install
 * --destdir or moved); else the configured data directory (meson's
 * datadir/shmviz).
 */
#ifndef SHMVIZ_SRC_ASSETS_H
#define SHMVIZ_SRC_ASSETS_H

#if !defined(SHMVIZ_USES_UTIL) && !defined(SHMVIZ_USES_ALL)
#error "src/util/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>

/* Writes the full path of asset name into buf. Returns false when it does
 * not fit; whether the file exists is the caller's to check. */
bool assets_path(const char *name, char *buf, size_t size);

/* The directory assets are taken from (for messages). */
const char *assets_dir(void);

#endif
