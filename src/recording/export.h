/*
 * export.h - a recording in the formats other tools open (--export-csv,
 * --export-trace; docs/recording.md, "Exports").
 *
 * The metadata (runs, phases, results, the comparison) comes from a model;
 * the samples are read again from the recording, one at a time
 * (replay_stream_samples), so an export of a recording of hours holds no
 * more than one sample. The file is written beside its target (O_TMPFILE
 * where the file system has it, else a named temporary file) and renamed
 * over it when complete: it appears whole or not at all.
 */
#ifndef SHMVIZ_SRC_EXPORT_H
#define SHMVIZ_SRC_EXPORT_H

#if !defined(SHMVIZ_USES_RECORDING) && !defined(SHMVIZ_USES_ALL)
#error "src/recording/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>

#include "src/core/model.h"

enum export_format {
	EXPORT_CSV,    /* one row a process a sample, RFC 4180 */
	EXPORT_TRACE,  /* Chrome trace-event JSON (Perfetto, chrome://tracing) */
};

/* In the trace, a run's processes have the pid (run + 1) * EXPORT_TRACE_PID
 * + pid, and the run's own track (totals, phases) (run + 1) *
 * EXPORT_TRACE_PID: a pid is below the kernel's limit of 2^22. */
#define EXPORT_TRACE_PID 10000000

/* Writes the export of the recording at rec_path (whose runs m holds; recover:
 * m was loaded by replay_load_recover()) to out_path. sigfd (a signalfd, -1: none) is polled as the samples go:
 * SIGINT, SIGTERM or SIGHUP stop the export (nothing is left) and 128 +
 * the signal is returned. Returns 0, or an exit status with one line in
 * err: EXIT_BAD_RECORDING (the recording), EXIT_ENVIRONMENT (a write
 * failed: a full disk, a file size limit). */
int export_write(enum export_format fmt, const struct model *m,
		 const char *rec_path, bool recover, const char *out_path,
		 int sigfd, char *err, size_t errlen);

#endif
