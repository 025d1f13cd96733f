/*
 * assets.h - where shmviz finds its run-time files (the Python workload,
 * the lesson captions): $SHMVIZ_ASSETS when set; the source tree's assets/
 * when the binary runs from its build directory; the data directory of the
 * installed tree the binary is in (also when staged with meson install
 * --destdir or moved); else the configured data directory (meson's
 * datadir/shmviz). The programs shmviz runs are found much the same way,
 * but never through the environment (assets_program).
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

/* Writes into buf the full path of the program name shmviz runs (the
 * native workloads' shmviz-workload): beside the running binary (in the
 * build directory), else in the program directory of the installed tree
 * the binary is in (meson's libexecdir/shmviz, also when staged or
 * moved), else in the configured one; never from the environment, PATH
 * or the current directory. The first of those that exists must pass
 * assets_program_ok(). Returns false with one line in err: none found,
 * or why the one found is refused. */
bool assets_program(const char *name, char *buf, size_t size, char *err,
		    size_t errlen);

/* Whether path may be run by shmviz, which may run as root: a regular
 * file (not a symbolic link), executable, owned by root, the effective
 * user or the owner of shmviz's binary, not writable by its group or
 * others, in a directory no one else can change (it and every directory
 * above it owned so, not writable by group or others unless sticky).
 * Returns false with the reason (which names path) in why. */
bool assets_program_ok(const char *path, char *why, size_t whylen);

#endif
