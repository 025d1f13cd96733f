/*
 * command.h - finding a program as execvp(3) will, before anything runs:
 * so that a --compare command or an interpreter that cannot be run is
 * refused up front (127 not found, 126 not executable) rather than after
 * the first run.
 */
#ifndef SHMVIZ_SRC_COMMAND_H
#define SHMVIZ_SRC_COMMAND_H

#if !defined(SHMVIZ_USES_RUN) && !defined(SHMVIZ_USES_ALL)
#error "src/run/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stddef.h>

/* Looks prog up: a name with a slash as it is, any other in $PATH (or the
 * system's default path when PATH is unset). Returns 0 and the file in
 * out; or EXIT_NOT_FOUND (127) or EXIT_NOT_EXECUTABLE (126) with the
 * reason in err ("not found in PATH", "is a directory", "is not
 * executable"), for the caller to put in its own line. */
int command_resolve(const char *prog, char *out, size_t size, char *err,
		    size_t errlen);

#endif
