/*
 * clock.h - the clocks the program reads, as seconds in a double.
 *
 * The session's timeline, the protocol's timestamps and the views' notes
 * use the monotonic clock; the sampler and the benchmark charge their own
 * work by CPU time, of the whole process or of the calling thread. None of
 * these allocates, so the guard process may call them too.
 */
#ifndef SHMVIZ_UTIL_CLOCK_H
#define SHMVIZ_UTIL_CLOCK_H

#if !defined(SHMVIZ_USES_UTIL) && !defined(SHMVIZ_USES_ALL)
#error "src/util/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

/* CLOCK_MONOTONIC */
double clock_mono_s(void);
/* CLOCK_REALTIME: seconds since the epoch, as file times are */
double clock_real_s(void);

/* CLOCK_PROCESS_CPUTIME_ID: the CPU time of every thread of the process */
double clock_cpu_process_s(void);

/* CLOCK_THREAD_CPUTIME_ID: the CPU time of the calling thread */
double clock_cpu_thread_s(void);

#endif
