/*
 * cmdline.h - a process's command line, /proc/PID/cmdline, as one line:
 * what the process tree alone does not say of a process (a Python
 * interpreter that is multiprocessing's worker, its resource tracker).
 */
#ifndef SHMVIZ_PROBES_CMDLINE_H
#define SHMVIZ_PROBES_CMDLINE_H

#if !defined(SHMVIZ_USES_PROBES) && !defined(SHMVIZ_USES_ALL)
#error "probes/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stddef.h>
#include <sys/types.h>

/* Reads the command line of pid into buf (at most size - 1 bytes, cut if
 * longer), its words separated by one space. Returns the length, 0 for a
 * zombie or a kernel thread, -errno (-ENOENT: gone, -EACCES). */
int cmdline_read(pid_t pid, char *buf, size_t size);

#endif
