/*
 * sampler.h - one tick of sampling: which processes form the tree, which
 * figures to read this time, and the CPU budget that decides.
 *
 * Every tick reads the cheap counters (stat, status) of every process of
 * the tree. smaps_rollup (PSS) costs milliseconds a process for large
 * mappings, so the sampler measures what its reads cost and spaces PSS
 * reads out to keep its own CPU time within the budget; a process new to
 * the tree is read at once all the same.
 */
#ifndef SHMVIZ_SRC_SAMPLER_H
#define SHMVIZ_SRC_SAMPLER_H

#if !defined(SHMVIZ_USES_SAMPLE) && !defined(SHMVIZ_USES_ALL)
#error "src/sample/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "src/core/model.h"

struct sampler;

/* Creates a sampler; NULL with one line in err when libproc2 cannot read
 * /proc. Free with sampler_destroy(). */
struct sampler *sampler_create(int interval_ms, double budget_pct,
			       char *err, size_t errlen);
void sampler_destroy(struct sampler *s);

/* Starts sampling a new run whose tree has root. */
void sampler_begin(struct sampler *s, pid_t root);

/* After sampler_begin: shmviz reaps the run's tree (on: not --attach), and
 * base is its RUSAGE_CHILDREN faults (minor + major) when the run began:
 * each sample then carries the faults of the processes it reaped since
 * (the peak's upper end, src/core/upper.h). */
void sampler_count_reaped(struct sampler *s, bool on, uint64_t base);

/* After sampler_begin: the run's tree lives in the memory cgroup of
 * directory path (version 1 or 2), made for it and entered by its root
 * before its exec (src/run/cgrun.h), so that every process of the cgroup
 * is a member and no /proc scan is needed: one read of its cgroup.procs
 * finds the new ones. NULL: /proc scans (--attach, no cgroup). */
void sampler_use_cgroup(struct sampler *s, const char *path, int version);

/* A process announced by the workload (protocol "role"). */
void sampler_set_role(struct sampler *s, pid_t pid, enum proc_role role);

/* Reads the tree and appends one tick to r; force_pss reads PSS whatever
 * the budget says (a phase boundary). t_call is the run time at
 * mono_call, a proto_now() reading the caller took: the sample's time is
 * the run time of the moment its counters were read (later than the call
 * by what the tick waited before them), never before r's newest sample.
 * Returns false when out of memory. */
bool sampler_tick(struct sampler *s, struct run *r, double t_call,
		  double mono_call, bool force_pss);

int sampler_interval_ms(const struct sampler *s);
void sampler_set_interval(struct sampler *s, int ms);

/* CPU seconds the sampler may spend now; negative when in debt. */
double sampler_tokens(const struct sampler *s);

/* Counts a snapshot of smaps mappings (src/core/mapgroups.h) of nreads
 * processes that took cpu_s, taken between ticks, and pays its CPU from
 * the budget at once, as a read is paid: fewer PSS reads follow it. */
void sampler_note_mappings(struct sampler *s, size_t nreads, double cpu_s);

/* Pays the CPU spent since the last payment from the budget at once (a
 * snapshot of mappings given up half-way). */
void sampler_pay(struct sampler *s);

/* What the sampler did so far. */
void sampler_get_stats(const struct sampler *s, struct sampler_stats *out);

#endif
