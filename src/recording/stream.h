/*
 * stream.h - a long recording read one sample at a time (stream.c): into
 * a model whose frames are thinned, or handed to an export.
 */
#ifndef SHMVIZ_SRC_STREAM_H
#define SHMVIZ_SRC_STREAM_H

#if !defined(SHMVIZ_USES_RECORDING) && !defined(SHMVIZ_USES_ALL)
#error "src/recording/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>

#include "src/recording/replay.h"
#include "src/recording/schema.h"

/* Waits until fd has data (true) or a stop signal (SIGINT, SIGTERM,
 * SIGHUP) came on sigfd (false, *sig set); other signals are consumed. */
bool stream_wait_data(int fd, int sigfd, int *sig);
/* A stop signal waiting on sigfd (-1: none), without waiting. */
bool stream_stop_heard(int sigfd, int *sig);

/* A long recording into m (initialised): buf (len bytes already read,
 * freed here), then the rest of fd; recover: one cut short is closed
 * after its last complete sample, and note says so. Returns 0, 128 + a
 * signal, or EXIT_BAD_RECORDING with one line in err. */
int stream_load(int fd, int sigfd, char *buf, size_t len, struct model *m,
		bool recover, char *note, size_t notelen, char *err,
		size_t errlen);

/* replay_stream_samples() (replay.h) */
int stream_samples(const char *path, bool recover, replay_sample_fn fn,
		   void *arg, char *err, size_t errlen);

#endif
