/*
 * record.h - the headless sink: a JSON recording written as the runs go.
 *
 * Samples are streamed to a temporary file in the target's directory
 * (mode 0600; O_TMPFILE, which has no name until the commit, or else
 * mkostemp with O_EXCL), so shmviz's memory does not grow with the length
 * of a recording; the file is fsync'd and renamed over the target only when
 * it is complete, so the target appears whole or not at all, and an
 * existing target is replaced only then.
 * Every value is printed by cJSON; strings are made valid UTF-8 first.
 * The format is described in docs/recording.md (schema RECORD_SCHEMA).
 */
#ifndef SHMVIZ_SRC_RECORD_H
#define SHMVIZ_SRC_RECORD_H

#if !defined(SHMVIZ_USES_RECORDING) && !defined(SHMVIZ_USES_ALL)
#error "src/recording/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>

#include "src/core/model.h"

#define RECORD_SCHEMA 2

struct recorder;

/* Opens the temporary file beside path ("-": standard output). Refuses a
 * directory, and a symlink unless force. Returns NULL with one line in err.
 * Free with record_destroy(). */
struct recorder *record_create(const char *path, bool force, char *err,
			       size_t errlen);

/* Each returns false when writing failed (see record_error()). */
bool record_begin(struct recorder *rc, const struct model *m);
/* --repeat: the run that begins next is runs[run] of round round (from
 * 0). Every round is kept (in an unnamed temporary file beside the
 * target); the commit writes the runs of the round the model shows
 * (model.shown_round, else the newest). */
void record_round(struct recorder *rc, int round, size_t run);
bool record_run_begin(struct recorder *rc, const struct run *r);
bool record_tick(struct recorder *rc, const struct run *r);
bool record_run_end(struct recorder *rc, const struct run *r);

/* Closes a run left open (its end never reached the sink), writes the
 * runs that never started, the summary and the sampler figures, then
 * fsyncs and renames the file into place. */
bool record_commit(struct recorder *rc, const struct model *m);

/* The first write error, as one line; "" when none. */
const char *record_error(const struct recorder *rc);

/* Removes the temporary file if it was not committed, and frees rc. NULL
 * is accepted. */
void record_destroy(struct recorder *rc);

/* Builders shared with tests and the loader: cJSON objects of one part of
 * a recording. The caller frees them with cJSON_Delete(). */
struct cJSON;
struct cJSON *record_run_json(const struct run *r, bool with_samples);
struct cJSON *record_summary_json(const struct model *m);

#endif
