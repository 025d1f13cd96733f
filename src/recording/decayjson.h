/*
 * decayjson.h - a run's sharing decay (src/core/decay.h) as the JSON
 * object "decay" of its recording (docs/recording.md, "Sharing that
 * decays"). The loader reads it back in replay.c (load_decay()); its
 * members are the rows of schema.h.
 */
#ifndef SHMVIZ_SRC_DECAYJSON_H
#define SHMVIZ_SRC_DECAYJSON_H

#if !defined(SHMVIZ_USES_RECORDING) && !defined(SHMVIZ_USES_ALL)
#error "src/recording/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <cjson/cJSON.h>

#include "src/core/model.h"

/* Adds "decay" to the run object o. */
void decayjson_add(cJSON *o, const struct run *r);

#endif
