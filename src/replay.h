/*
 * replay.h - loading a recording back into a model (every frame kept), for
 * --replay and --plot. Files may come from anywhere: the loader caps the
 * size it reads and the nesting depth, checks every field's presence, type
 * and range, and refuses with one line naming the problem and its JSON
 * path ("runs[1].samples[40].t: time goes backwards").
 */
#ifndef SHMVIZ_SRC_REPLAY_H
#define SHMVIZ_SRC_REPLAY_H

#include <stddef.h>

#include "src/model.h"

/* Loads path into m (initialised here with keep_frames; free it with
 * model_finish() whatever the result). Returns 0, or EXIT_BAD_RECORDING (3)
 * with one line in err. */
int replay_load(const char *path, struct model *m, char *err, size_t errlen);

/* The same from a buffer (the fuzzer's entry). */
int replay_load_buffer(const char *data, size_t len, struct model *m,
		       char *err, size_t errlen);

#endif
