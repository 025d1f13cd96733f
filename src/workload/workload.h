/*
 * workload.h - the native workloads: the experiment in C.
 *
 * shmviz runs a workload as its own child by executing a program of its
 * own, shmviz-workload (main.c beside this file; found by assets.h):
 *   shmviz-workload MODE ROWS WORKERS HOLD_S COW_WRITE_PCT
 * so that the workload's parent starts from a fresh image, and a small
 * one: nothing of shmviz's memory in it, and no library but libc and libm
 * mapped in it and its workers (docs/architecture.md, "Processes"). That
 * parent starts the workers and reports its phases through the phase
 * protocol (protocol.h):
 *
 *   shared: spawn, fill (shm_open + posix_fallocate + fill), attach
 *           (workers map the segment read-only; unlinked once all are
 *           attached), compute, hold, exit
 *   copy:   spawn, fill (private memory), transfer (the whole table through
 *           a pipe into each worker's own buffer), compute, hold, exit
 *   cow:    fill, spawn (fork: workers share the parent's pages
 *           copy-on-write), write (each worker writes COW_WRITE_PCT of the
 *           pages; only when > 0), compute, hold, exit
 *
 * Exit status of the workload parent: 0 ok, 1 failed (a worker died, a
 * wrong sum), 4 environment (no memory, /dev/shm full).
 *
 * Testing aid: with SHMVIZ_FAULT=PHASE:SIGNAL in the environment, worker 1
 * raises SIGNAL (a number) in PHASE (attach, transfer, write, compute,
 * hold), so the tests can crash or kill a worker at a known point.
 */
#ifndef SHMVIZ_SRC_WORKLOAD_H
#define SHMVIZ_SRC_WORKLOAD_H

#if !defined(SHMVIZ_USES_WORKLOAD) && !defined(SHMVIZ_USES_ALL)
#error "src/workload/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

/* the program's file name, in the build directory and installed */
#define WORKLOAD_PROGRAM "shmviz-workload"
#define WORKLOAD_SHM_PREFIX "/shmviz-"

/* The workload of "shmviz-workload MODE ...": argv[0] is the program's
 * name. Returns the exit status. */
int workload_main(int argc, char **argv);

#endif
