/*
 * outlog.h - a run's output log, bounded: the first OUTLOG_HEAD bytes and
 * the last OUTLOG_TAIL bytes of what the run wrote to its stdout and
 * stderr, with one line between them that says how many were dropped
 * (docs/architecture.md, "Processes of a session").
 *
 * The run writes into a pipe; shmviz drains it from the session loop (a
 * descriptor of its poll) and while it ends the run. The head goes to the
 * file as it comes; the tail is kept in memory (a ring of OUTLOG_TAIL
 * bytes) and written when the log is closed. A shmviz killed meanwhile
 * leaves the head only.
 */
#ifndef SHMVIZ_SRC_OUTLOG_H
#define SHMVIZ_SRC_OUTLOG_H

#if !defined(SHMVIZ_USES_RUN) && !defined(SHMVIZ_USES_ALL)
#error "src/run/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OUTLOG_HEAD (1u << 20)
#define OUTLOG_TAIL (1u << 20)

/* embedded in the runner: outlog_open(), outlog_close() */
struct outlog {
	int in;                   /* the pipe's read end, non-blocking; -1 */
	int out;                  /* the log file; -1 */
	int echo;                 /* every byte read written here too (the
	                             terminal: --show-output); -1 */
	uint64_t total;           /* bytes the run wrote */
	uint64_t head;            /* of them, written to the file */
	char *tail;               /* ring of OUTLOG_TAIL bytes (once the head
	                             is full) */
	size_t tail_at, tail_len; /* where the next byte goes; bytes held */
};

/* A log with nothing open (outlog_close() does nothing to it). */
void outlog_init(struct outlog *o);

/* Opens (creates, appends to) the file at path and makes the pipe;
 * *child_fd gets its write end (close-on-exec: dup2 it in the child, close
 * it in the parent after the fork). Returns false with a line in err. */
bool outlog_open(struct outlog *o, const char *path, int *child_fd,
		 char *err, size_t errlen);

/* Every byte read from now on is written to fd too, as it comes (a write
 * that fails is dropped: the log keeps it). */
void outlog_echo(struct outlog *o, int fd);

/* Reads what the pipe holds, at most max bytes (so that one turn of the
 * loop stays short), into the head or the tail. */
void outlog_drain(struct outlog *o, size_t max);

/* Drains what is left (without waiting for writers still alive), writes
 * the tail after a line saying how much was dropped, and closes all. */
void outlog_close(struct outlog *o);

#endif
