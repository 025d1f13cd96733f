/*
 * protocol.h - the phase protocol: lines a workload writes to shmviz.
 *
 * shmviz passes a pipe to every program it runs and names it in the
 * environment: SHMVIZ_PHASE_FD=N. A program that wants its phases on the
 * timeline writes lines of UTF-8 text to that descriptor, one message a
 * line, at most PROTO_LINE_MAX bytes (docs/protocol.md):
 *
 *   phase NAME [T]      phase NAME begins (and the previous one ends)
 *   end [T]             the open phase ends
 *   role PID ROLE       PID is a worker or a helper (else: child)
 *   segment NAME        the program created POSIX shm segment NAME;
 *                       shmviz unlinks it if the program dies first
 *   unlinked NAME       the program unlinked NAME itself
 *   result KEY NUMBER   sum, expected, compute_cpu_s, …
 *   fail TEXT           the program failed; TEXT says why
 *
 * T is CLOCK_MONOTONIC in seconds (Python: time.monotonic()); without it
 * shmviz stamps the line when it reads it. Unknown messages are ignored.
 */
#ifndef SHMVIZ_SRC_PROTOCOL_H
#define SHMVIZ_SRC_PROTOCOL_H

#if !defined(SHMVIZ_USES_CORE) && !defined(SHMVIZ_USES_ALL)
#error "src/core/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PROTO_LINE_MAX 512
#define PROTO_ENV "SHMVIZ_PHASE_FD"
/* the read end of the answer to "checkpoint": a byte once the tree has
 * been sampled (docs/protocol.md) */
#define PROTO_ACK_ENV "SHMVIZ_ACK_FD"
/* "1" under --lesson: the tree is stopped and shown as each phase ends,
 * so a program checkpoints before each phase line (docs/protocol.md) */
#define PROTO_LESSON_ENV "SHMVIZ_LESSON"

enum proto_kind {
	PROTO_UNKNOWN,
	PROTO_PHASE,
	PROTO_END,
	PROTO_ROLE,
	PROTO_SEGMENT,
	PROTO_UNLINKED,
	PROTO_RESULT,
	PROTO_FAIL,
	PROTO_CHECKPOINT,
};

struct proto_msg {
	enum proto_kind kind;
	char name[64];         /* phase name, role, segment or result key */
	char text[PROTO_LINE_MAX]; /* fail text */
	double t;              /* CLOCK_MONOTONIC s, or < 0 when not given */
	double value;          /* result value */
	pid_t pid;             /* role */
};

/* Parses one line (no newline). Returns false for a malformed known
 * message; unknown verbs parse as PROTO_UNKNOWN. */
bool proto_parse(const char *line, struct proto_msg *msg);

/* Line splitter over a non-blocking fd. */
struct proto_reader {
	char buf[PROTO_LINE_MAX * 2];
	size_t len;
	bool overlong;   /* discarding the rest of a line too long */
};

/* Reads what the fd has, at most max bytes, and calls fn for each
 * complete line; *nread (may be NULL) gets the bytes read. Returns 1 while
 * the fd is open (data may remain when max was reached), 0 at end of file,
 * -errno on error. */
int proto_read(struct proto_reader *r, int fd, size_t max, size_t *nread,
	       void (*fn)(void *ctx, const char *line), void *ctx);

/* Writes one message line (printf format, no newline) in one write(2).
 * Returns 0 or -errno. A no-op when fd < 0. */
int proto_emit(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The clock of the protocol's timestamps: clock_mono_s() (CLOCK_MONOTONIC
 * now, seconds). */
double proto_now(void);

#endif
