/*
 * phase.h - the phase protocol (docs/protocol.md) as the small test
 * programs speak it: a line to the descriptor shmviz names in
 * SHMVIZ_PHASE_FD, nothing when it names none or the pipe is gone.
 */
#ifndef SHMVIZ_TESTS_PHASE_H
#define SHMVIZ_TESTS_PHASE_H

/* Takes the descriptor from SHMVIZ_PHASE_FD, if set. */
void phase_open(void);

/* Forgets the descriptor (in a forked child, which must not write). */
void phase_close(void);

/* "checkpoint": asks shmviz to sample the tree now and waits for its
 * answer, at most wait_ms; 1 when it came (docs/protocol.md) */
int checkpoint(int wait_ms);

/* One protocol line: "phase NAME", or "role PID worker" when pid > 0. */
void say(const char *phase, long pid);

/* Sleeps s seconds, through signals that interrupt it. */
void sleep_s(double s);

#endif
