/*
 * replay.h - loading a recording back into a model (every frame kept), for
 * --replay and --plot. Files may come from anywhere: the loader caps the
 * size it reads and the nesting depth, checks every field's presence, type
 * and range, and refuses with one line naming the problem and its JSON
 * path ("runs[1].samples[40].t: time goes backwards").
 */
#ifndef SHMVIZ_SRC_REPLAY_H
#define SHMVIZ_SRC_REPLAY_H

#if !defined(SHMVIZ_USES_RECORDING) && !defined(SHMVIZ_USES_ALL)
#error "src/recording/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>

#include "src/core/model.h"

/* The most a recording may have: 64 MiB. A sample takes about 450 bytes
 * a process, so at the default 100 ms this holds some 80 minutes of a run
 * of 3 processes (a minute of 256 workers), far more than the runs last.
 * Parsed, a recording takes about seven times its size in memory
 * (measured: 59 MiB, 432 MB at the peak), so the cap bounds that too. */
#define REPLAY_MAX_BYTES (64 << 20)
/* A recording of more than REPLAY_WHOLE_MAX bytes (a file or a pipe) is
 * read one sample at a time (replay.c, "long recordings"), whatever its
 * length: a sample, and all that is not a sample, may each take at most
 * REPLAY_MAX_BYTES of text (a real one takes kB), and each run keeps
 * frames of at most REPLAY_HELD_RUN_BYTES (every other one dropped when
 * more come; the totals, peaks and the graph series still count every
 * sample). So a recording written by shmviz loads in at most some 64 MiB
 * however long it is (tests/bench/longrec.sh measures it). */
#define REPLAY_WHOLE_MAX (4u << 20)
#define REPLAY_PART_MAX ((size_t)REPLAY_MAX_BYTES)
#define REPLAY_PART_MAX_STR "64"
#define REPLAY_HELD_RUN_BYTES (8u << 20)
#define REPLAY_CHUNK (1u << 20)
/* The deepest nesting of arrays and objects accepted, checked before cJSON
 * parses; a recording nests 7 deep (runs, samples, procs). */
#define REPLAY_MAX_DEPTH 32
#define REPLAY_MAX_DEPTH_STR "32"
/* What cJSON may hold while a recording loads: this many times its text,
 * and this many bytes more (members the loader does not read are blanked
 * first and cost nothing) */
#define REPLAY_PARSE_FACTOR 8
#define REPLAY_PARSE_SLACK (16u << 20)

/* Loads path into m (initialised here with keep_frames; free it with
 * model_finish() whatever the result). Returns 0, or EXIT_BAD_RECORDING (3)
 * with one line in err. */
int replay_load(const char *path, struct model *m, char *err, size_t errlen);

/* The same, and while the file has nothing to read (a pipe whose writer
 * is silent) SIGINT, SIGTERM or SIGHUP on sigfd (a signalfd; -1: none)
 * stop the load: returns 128 + the signal then, with "interrupted" in err.
 * Data ready is read first: a regular file is never interrupted. */
int replay_load_signals(const char *path, struct model *m, int sigfd,
			char *err, size_t errlen);

/* Reads the samples of the recording at path again, one at a time, for an
 * export (recover: as replay_load_recover() read it): fn(arg, run index,
 * t, rows, n, bound_kb: the sample's ΣPSS bound, MODEL_KB_NONE unknown) for each, in the file's order; fn returns false
 * to stop (then -1 is returned). Returns 0, -1, or EXIT_BAD_RECORDING with
 * one line in err. */
struct proc_row;
typedef bool (*replay_sample_fn)(void *arg, size_t run, double t,
				 const struct proc_row *rows, size_t n,
				 int64_t bound_kb);
int replay_stream_samples(const char *path, bool recover, replay_sample_fn fn,
			  void *arg, char *err, size_t errlen);

/* replay_load_signals() that recovers a recording cut short (a shmviz
 * killed while it wrote to a stream, --record - > FILE): it is read a
 * sample at a time and ends after its last complete sample; a run cut in
 * its samples is kept, named "cut short" and failed, and the recording is
 * marked interrupted. note says what was recovered ("" when the recording
 * was whole). With recover, replay_stream_samples() stops at the same
 * place without an error. */
int replay_load_recover(const char *path, struct model *m, int sigfd,
			char *note, size_t notelen, char *err, size_t errlen);

/* The same from a buffer (the fuzzer's entry). */
int replay_load_buffer(const char *data, size_t len, struct model *m,
		       char *err, size_t errlen);

/* ---- within src/recording/ (stream.c reads samples as replay.c does) ---- */

struct schema_ctx;
struct cJSON;

/* A sample recorded before bounds, marked consistent: one moment when
 * every figure in it was read or exact (run_add_tick() checks), else of
 * unknown bound */
#define REPLAY_BOUND_FROM_FLAG (-2)

/* One sample s (the path names it) into c->rows: every field checked,
 * its time not before *prev (then moved to it). */
bool replay_read_sample(struct schema_ctx *c, const struct cJSON *s,
			double *prev, double *t, size_t *n, int64_t *bound);
/* Adds the sample read (c->rows) to r; false when out of memory. */
bool replay_add_tick(struct schema_ctx *c, struct run *r, double t, size_t n,
		     int64_t bound);
/* r's root: the parent of rows, when it has none yet */
void replay_set_root(struct run *r, const struct proc_row *rows, size_t n);
/* A whole document, text (len bytes and a NUL after them; freed here),
 * into m. Returns 0 or EXIT_BAD_RECORDING with one line in err. */
int replay_load_text(char *text, size_t len, struct model *m, char *err,
		     size_t errlen);
/* "path: msg" into err, the path made safe; returns EXIT_BAD_RECORDING */
int replay_fail_file(const char *path, char *err, size_t errlen,
		     const char *msg);

#endif
