/*
 * limits.h - the bounds of what shmviz accepts (option values, replay
 * speeds) and the ladder of sampling intervals, shared by the command line,
 * the workloads that parse their own arguments, the session and the TUI.
 */
#ifndef SHMVIZ_CORE_LIMITS_H
#define SHMVIZ_CORE_LIMITS_H

#if !defined(SHMVIZ_USES_CORE) && !defined(SHMVIZ_USES_ALL)
#error "src/core/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>

#define CLI_DURATION_MAX 86400.0
#define CLI_REPEAT_MAX 100
#define CLI_PROJECT_MAX 100000   /* --project N workers */

#define CLI_WORKERS_MAX 256
#define CLI_ROWS_MAX 1000000000ULL /* 22.4 GiB of records */
#define CLI_INTERVAL_MIN 10
#define CLI_INTERVAL_MAX 10000
#define CLI_HOLD_MAX 3600.0
#define CLI_SPEED_MIN 0.0625    /* replay speed factors */
#define CLI_SPEED_MAX 64.0

/* The largest figures a recording holds (src/recording/schema.h): its
 * reader refuses one beyond them, so a protocol result beyond them is
 * never taken (src/run/session.c) */
#define REC_KB_MAX 1099511627776.0 /* 1 PiB in KiB */
#define REC_TIME_MAX 1.0e6         /* s */
#define REC_WORKERS_MAX 65536
#define REC_SUM_MAX 1.0e300        /* a result's sum and expected, +/- */

/* The sampling interval after + (faster: shorter) or - from ms, on the
 * ladder 10, 20, 50, 100, 200, 500 ms, 1, 2, 5, 10 s: the next step below
 * or above ms (an ms between two steps goes to the nearer one in that
 * direction), ms itself at either end. */
int interval_step(int ms, bool faster);

#endif
