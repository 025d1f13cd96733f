/*
 * readfile.h - reading a small file (a /proc or cgroup file) whole into a
 * buffer of the caller's.
 */
#ifndef SHMVIZ_UTIL_READFILE_H
#define SHMVIZ_UTIL_READFILE_H

#if !defined(SHMVIZ_USES_UTIL) && !defined(SHMVIZ_USES_ALL)
#error "src/util/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stddef.h>
#include <sys/types.h>

/* Reads the file at path (relative to the directory dirfd, or AT_FDCWD;
 * an absolute path ignores dirfd) into buf: at most size - 1 bytes, then
 * a NUL. Reads on after short reads and EINTR until the end of the file
 * or a full buffer. Returns the length read, or -errno. It allocates
 * nothing, so the guard process calls it too. */
ssize_t readfile(int dirfd, const char *path, char *buf, size_t size);

#endif
