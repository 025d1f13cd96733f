/*
 * schema.h - the recording defined once: one table per recorded object
 * (docs/recording.md; docs/architecture.md rule 13).
 *
 * Every member of every object of a recording is one row of its object's
 * list below: X(id, key, type, flags, where, lo, hi, unit, doc). From the
 * tables come the writer (record.c: schema_put() writes the rows that have
 * a member, the code only what holds objects and arrays), the reader
 * (replay.c: schema_get() reads and checks them), the keys the replay's
 * memory gate keeps (jsonscan.c walks the tree of tables), the CSV columns
 * and the trace's counters (export.c), and tests/unit/test_schema.c holds
 * docs/recording.md's tables (each under a "<!-- schema: NAME -->" line)
 * to them. A new figure is one row here and one line there.
 *
 *   id     the row's name: SCHEMA_<OBJECT>_<id> is its index
 *   key    the member's JSON key (the CSV column has the same name)
 *   type   ST_* below: how the member is written and read
 *   flags  SF_* below
 *   where  AT(member) of the object's C struct (SCHEMA_T where the table
 *          is made, schema.c), AT_HAVE(member, bool): known only when the
 *          bool is true; NOWHERE: written and read by code; CHILD(obj):
 *          the object or array elements' table
 *   lo, hi the range a reader accepts (numbers; 0, 0: any)
 *   unit   "KiB", "s", "ms", "%", "" ...
 *   doc    one line: what the member means
 *
 * A member added later must be optional (no SF_REQ), so that older
 * recordings load, with it unknown.
 */
#ifndef SHMVIZ_SRC_SCHEMA_H
#define SHMVIZ_SRC_SCHEMA_H

#if !defined(SHMVIZ_USES_RECORDING) && !defined(SHMVIZ_USES_ALL)
#error "src/recording/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/core/limits.h"
#include "src/core/model.h"

struct cJSON;

enum schema_type {
	ST_INT,     /* int (pid_t too): a whole number */
	ST_LONG,    /* long */
	ST_U64,     /* uint64_t */
	ST_I64,     /* int64_t: a kB figure, MODEL_KB_NONE unknown */
	ST_DBL,     /* double */
	ST_BOOL,
	ST_TEXT,    /* char[]: made valid UTF-8, control characters replaced */
	ST_CHAR,    /* a char: a state letter as a string of one */
	ST_ROLE,    /* enum proc_role by name (an int) */
	ST_SMAPS,   /* enum smaps_state by name */
	ST_STATE,   /* enum run_state by name */
	ST_FIGURES, /* the figures of the smaps list (smaps_fields.h) whose
	               flags have the bits lo (0: all); required: those with
	               the bits hi (0: none) */
	ST_OBJECT,  /* an object: CHILD its table */
	ST_ARRAY,   /* an array of objects (CHILD), or of numbers (none) */
	ST_MERGE,   /* no member: CHILD's members are this object's too */
};

/* flags */
#define SF_REQ     (1u << 0)  /* a reader needs it */
#define SF_NULL    (1u << 1)  /* null is allowed: unknown */
#define SF_NEG     (1u << 2)  /* numbers: a negative value is written as
                                 null, and read back unknown as -1 */
#define SF_POS     (1u << 3)  /* numbers: 0 and less are written null */
#define SF_SIGNED  (1u << 4)  /* ST_I64: only MODEL_KB_NONE is null */
#define SF_EMPTY   (1u << 5)  /* ST_TEXT: "" is written null */
#define SF_OMIT    (1u << 6)  /* written only when not 0, false or "" */
#define SF_AFTER   (1u << 7)  /* written only when the row before was */
#define SF_DERIVED (1u << 8)  /* computed by the writer from others: the
                                 reader checks it and keeps nothing */
#define SF_BLANK   (1u << 10) /* derived, and not even checked: the
                                 reader's memory gate blanks it */
#define SF_CODE    (1u << 9)  /* read by code (its checks are more than a
                                 range), its key from here */
/* the column of the CSV export (from 1; 0: none), process rows */
#define SF_CSV(n)  ((unsigned)(n) << 16)
#define SF_CSV_OF(flags) ((flags) >> 16)

struct schema_object;

struct schema_field {
	const char *key;
	enum schema_type type;
	unsigned flags;
	size_t off, size;      /* the member; size 0: none */
	size_t have;           /* offset + 1 of the bool saying it is known */
	const struct schema_object *child;
	double lo, hi;
	const char *unit;
	const char *doc;
};

/* What the result and projection rows say beside the run's own figures:
 * whether those the run ends with are known */
struct result_view {
	struct run_result r;
	bool done;      /* the run ended: its times are known */
	bool compute;   /* it had a compute phase */
};
struct projection_view {
	struct projection p;
	bool known;     /* a worker had its figures: its pid is known */
};

struct schema_object {
	const char *name;      /* as docs/recording.md names its table */
	const struct schema_field *fields;
	size_t n;
};

#define KB_MAX_ REC_KB_MAX
#define TIME_MAX_ REC_TIME_MAX
#define COUNT_MAX_ 9007199254740992.0 /* 2^53 */
#define PID_MAX_ 4194304.0            /* the kernel's PID_MAX_LIMIT */

/* ---- the tables ---- */

#define SCHEMA_TOP(X) \
	X(shmviz, "shmviz", ST_OBJECT, SF_REQ, CHILD(header), 0, 0, "", "the writer") \
	X(host, "host", ST_OBJECT, SF_REQ, CHILD(host), 0, 0, "", "the machine") \
	X(config, "config", ST_OBJECT, SF_REQ, CHILD(config), 0, 0, "", "the options") \
	X(runs, "runs", ST_ARRAY, SF_REQ, CHILD(run), 0, 0, "", "one object a run, in the order they ran") \
	X(summary, "summary", ST_OBJECT, SF_DERIVED | SF_NULL, CHILD(summary), 0, 0, "", "comparisons of every run with the first") \
	X(repeat, "repeat", ST_OBJECT, SF_NULL, CHILD(repeat), 0, 0, "", "only with --repeat N > 1") \
	X(sampler, "sampler", ST_OBJECT, 0, CHILD(sampler), 0, 0, "", "what the sampler did") \
	X(interrupted, "interrupted", ST_BOOL, SF_REQ, AT(interrupted), 0, 0, "", "a signal or an error of shmviz's own cut the session short") \
	X(signal, "signal", ST_INT, SF_NULL | SF_POS, AT(signal), 1, 64, "", "that signal; null: none")

#define SCHEMA_HEADER(X) \
	X(version, "version", ST_TEXT, 0, AT(version), 0, 0, "", "shmviz version that wrote the file") \
	X(schema, "schema", ST_INT, SF_REQ | SF_CODE, NOWHERE, -1e9, 1e9, "", "the format's number")

#define SCHEMA_HOST(X) \
	X(kernel, "kernel", ST_TEXT, SF_REQ, AT(kernel), 0, 0, "", "uname -r") \
	X(machine, "machine", ST_TEXT, 0, AT(machine), 0, 0, "", "uname -m") \
	X(cpus, "cpus", ST_INT, SF_REQ, AT(cpus), 1, 1 << 20, "", "online CPUs") \
	X(page_size, "page_size", ST_LONG, SF_REQ, AT(page_size), 512, 1 << 30, "bytes", "page size") \
	X(mem_total_kb, "mem_total_kb", ST_I64, SF_REQ | SF_NULL, AT(mem_total_kb), 0, KB_MAX_, "KiB", "MemTotal")

#define SCHEMA_CONFIG(X) \
	X(workers, "workers", ST_INT, SF_REQ, AT(workers), 0, REC_WORKERS_MAX, "", "workers a run (-w)") \
	X(rows, "rows", ST_U64, SF_REQ, AT(rows), 0, COUNT_MAX_, "", "records of the table (-n)") \
	X(bytes, "bytes", ST_U64, SF_REQ, AT(bytes), 0, COUNT_MAX_, "bytes", "table size") \
	X(interval_ms, "interval_ms", ST_INT, SF_REQ, AT(interval_ms), 1, 3600000, "ms", "sampling interval (-i)") \
	X(hold_s, "hold_s", ST_DBL, SF_REQ, AT(hold_s), 0, TIME_MAX_, "s", "--hold") \
	X(mode, "mode", ST_TEXT, SF_REQ, AT(mode), 0, 0, "", "the mode") \
	X(workload, "workload", ST_TEXT, SF_REQ, AT(workload), 0, 0, "", "the workload") \
	X(budget_pct, "budget_pct", ST_DBL, 0, AT(budget_pct), 0, 100, "%", "--budget, % of one core") \
	X(cow_write_pct, "cow_write_pct", ST_INT, 0, AT(cow_write_pct), 0, 100, "%", "--cow-write") \
	X(repeat, "repeat", ST_INT, 0, AT(repeat), 1, MODEL_ROUNDS_MAX, "", "--repeat: rounds (1 without)")

#define SCHEMA_RUN(X) \
	X(name, "name", ST_TEXT, SF_REQ | SF_CODE, AT(name), 0, 0, "", "the run's name") \
	X(label, "label", ST_TEXT, SF_CODE, AT(label), 0, 0, "", "what ran") \
	X(detail, "detail", ST_TEXT, SF_CODE, AT(detail), 0, 0, "", "what ran, in detail") \
	X(state, "state", ST_STATE, SF_CODE, AT(state), 0, 0, "", "done, failed, stopped, waiting") \
	X(ok, "ok", ST_BOOL, SF_REQ | SF_CODE, NOWHERE, 0, 0, "", "state is done") \
	X(cause, "cause", ST_TEXT, SF_NULL | SF_EMPTY, AT(cause), 0, 0, "", "why it failed") \
	X(workers, "workers", ST_INT, 0, AT(workers), 0, REC_WORKERS_MAX, "", "workers of this run") \
	X(start_monotonic_s, "start_monotonic_s", ST_DBL, SF_NULL | SF_POS, AT(started_mono), 0, 1e12, "s", "CLOCK_MONOTONIC at the run's t = 0") \
	X(log, "log", ST_TEXT, SF_NULL | SF_EMPTY, AT(log), 0, 0, "", "file of the run's output") \
	X(protocol_dropped, "protocol_dropped", ST_U64, 0, AT(proto_dropped), 0, COUNT_MAX_, "", "protocol messages dropped") \
	X(members_missing, "members_missing", ST_TEXT, SF_NULL | SF_OMIT, AT(members_missing), 0, 0, "", "why some sample may miss members") \
	X(members_missing_samples, "members_missing_samples", ST_U64, SF_DERIVED, NOWHERE, 0, COUNT_MAX_, "", "samples marked total.members_partial") \
	X(phases, "phases", ST_ARRAY, SF_REQ, CHILD(phase), 0, 0, "", "the phases") \
	X(result, "result", ST_OBJECT, SF_REQ, CHILD(result), 0, 0, "", "the run's result") \
	X(peak, "peak", ST_OBJECT, SF_REQ, CHILD(peak), 0, 0, "", "the run's peaks") \
	X(kernel_peak, "kernel_peak", ST_OBJECT, 0, CHILD(kernel_peak), 0, 0, "", "the kernel's own peak") \
	X(decay, "decay", ST_OBJECT, 0, CHILD(decay), 0, 0, "", "the sharing decay") \
	X(projection, "projection", ST_OBJECT, 0, CHILD(projection), 0, 0, "", "only with --project N") \
	X(mappings, "mappings", ST_ARRAY, 0, CHILD(msnap), 0, 0, "", "only with --mappings") \
	X(samples, "samples", ST_ARRAY, SF_REQ, CHILD(sample), 0, 0, "", "one object a tick")

#define SCHEMA_PHASE(X) \
	X(name, "name", ST_TEXT, SF_REQ, AT(name), 0, 0, "", "the phase") \
	X(start_s, "start_s", ST_DBL, SF_REQ, AT(start_s), 0, TIME_MAX_, "s", "its start") \
	X(end_s, "end_s", ST_DBL, SF_REQ | SF_NULL | SF_NEG, AT(end_s), 0, TIME_MAX_, "s", "its end; null: never ended") \
	X(kernel_peak_kb, "kernel_peak_kb", ST_I64, SF_NULL, AT(kpeak_kb), 0, KB_MAX_, "KiB", "the kernel's peak during the phase")

/* (SCHEMA_T: struct result_view, schema.c) */
#define SCHEMA_RESULT(X) \
	X(sum, "sum", ST_DBL, SF_REQ | SF_NULL, AT_HAVE(r.sum, r.have_sum), -REC_SUM_MAX, REC_SUM_MAX, "", "the workers' NaN-skipping sum") \
	X(expected, "expected", ST_DBL, SF_REQ | SF_NULL, AT_HAVE(r.expected, r.have_expected), -REC_SUM_MAX, REC_SUM_MAX, "", "what it must be") \
	X(wall_s, "wall_s", ST_DBL, SF_REQ | SF_NULL, AT_HAVE(r.wall_s, done), 0, TIME_MAX_, "s", "start to exit without the hold") \
	X(total_s, "total_s", ST_DBL, SF_NULL, AT_HAVE(r.total_s, done), 0, TIME_MAX_, "s", "start to exit, hold included") \
	X(compute_s, "compute_s", ST_DBL, SF_REQ | SF_NULL, AT_HAVE(r.compute_s, compute), 0, TIME_MAX_, "s", "span of the compute phase") \
	X(compute_cpu_s, "compute_cpu_s", ST_DBL, SF_NULL | SF_POS, AT(r.compute_cpu_s), 0, TIME_MAX_, "s", "CPU of the slowest worker's compute") \
	X(hold_s, "hold_s", ST_DBL, SF_NULL, AT_HAVE(r.hold_s, done), 0, TIME_MAX_, "s", "length of the hold phase") \
	X(tracemalloc_peak_kb, "tracemalloc_peak_kb", ST_DBL, SF_NULL, AT_HAVE(r.tracemalloc_peak_kb, r.have_tracemalloc), 0, KB_MAX_, "KiB", "the Python parent's heap peak") \
	X(data_kb, "data_kb", ST_DBL, SF_NULL, AT_HAVE(r.data_kb, r.have_data), 0, KB_MAX_, "KiB", "the data the program reported building") \
	X(cpu_user_s, "cpu_user_s", ST_DBL, SF_REQ | SF_NULL | SF_NEG, AT(r.cpu_user_s), 0, TIME_MAX_ * 4096, "s", "user CPU of the whole tree") \
	X(cpu_sys_s, "cpu_sys_s", ST_DBL, SF_REQ | SF_NULL | SF_NEG, AT(r.cpu_sys_s), 0, TIME_MAX_ * 4096, "s", "system CPU of the whole tree") \
	X(minflt, "minflt", ST_U64, SF_REQ, AT(r.minflt), 0, COUNT_MAX_, "", "minor faults of the tree") \
	X(majflt, "majflt", ST_U64, 0, AT(r.majflt), 0, COUNT_MAX_, "", "major faults of the tree") \
	X(exit_status, "exit_status", ST_INT, SF_NULL, AT_HAVE(r.exit_status, r.exited), 0, 65535, "", "wait status of the root")

/* (SCHEMA_T: struct point, the run's peak; record.c writes the smaps
 * peaks null when the run has none) */
#define SCHEMA_PEAK(X) \
	X(pss_kb, "pss_kb", ST_I64, SF_REQ | SF_NULL, AT(pss_kb), 0, KB_MAX_, "KiB", "ΣPSS of the peak sample") \
	X(pss_bound_kb, "pss_bound_kb", ST_I64, SF_NULL, AT(pss_bound_kb), 0, KB_MAX_, "KiB", "that sample's bound") \
	X(pss_high_kb, "pss_high_kb", ST_I64, SF_DERIVED | SF_NULL, NOWHERE, 0, KB_MAX_, "KiB", "the highest the peak ΣPSS may be") \
	X(rss_sum_kb, "rss_sum_kb", ST_I64, SF_REQ, AT(rss_kb), 0, KB_MAX_, "KiB", "highest ΣRSS") \
	X(uss_kb, "uss_kb", ST_I64, SF_REQ | SF_NULL, AT(uss_kb), 0, KB_MAX_, "KiB", "ΣUSS of the peak sample") \
	X(pss_partial, "pss_partial", ST_BOOL, SF_DERIVED | SF_BLANK, AT(pss_partial), 0, 0, "", "some sample's ΣPSS was partial") \
	X(shared_dirty_kb, "shared_dirty_kb", ST_I64, SF_NULL, AT(shared_dirty_kb), 0, KB_MAX_, "KiB", "ΣShared_Dirty of the peak sample") \
	X(nprocs, "nprocs", ST_INT, 0, AT(nprocs), 0, PID_MAX_, "", "most processes at once") \
	X(consistent_samples, "consistent_samples", ST_U64, SF_DERIVED, NOWHERE, 0, COUNT_MAX_, "", "samples that were one moment")

#define SCHEMA_KPEAK(X) \
	X(kb, "kb", ST_I64, SF_NULL, AT(kb), 0, KB_MAX_, "KiB", "the kernel's peak of the run's cgroup") \
	X(cgroup_version, "cgroup_version", ST_INT, SF_NULL | SF_POS, AT(version), 1, 2, "", "the cgroup's hierarchy") \
	X(cgroup, "cgroup", ST_TEXT, SF_NULL | SF_EMPTY, AT(cgroup), 0, 0, "", "the cgroup's directory") \
	X(per_phase, "per_phase", ST_BOOL, 0, AT(per_phase), 0, 0, "", "reset at each phase's start") \
	X(attached, "attached", ST_BOOL, 0, AT(attached), 0, 0, "", "--attach: the tree's own cgroup") \
	X(reason, "reason", ST_TEXT, SF_NULL | SF_EMPTY, AT(why), 0, 0, "", "why there is no kernel peak")

#define SCHEMA_DECAY(X) \
	X(too_many, "too_many", ST_BOOL, 0, AT(too_many), 0, 0, "", "more than 512 processes: no window") \
	X(tree, "tree", ST_OBJECT, SF_REQ | SF_NULL, CHILD(decay_fig), 0, 0, "", "the tree's series") \
	X(members, "members", ST_ARRAY, SF_REQ, CHILD(decay_member), 0, 0, "", "a series a member")

#define SCHEMA_DECAY_FIG(X) \
	X(start_s, "start_s", ST_DBL, SF_REQ, AT(t0), 0, TIME_MAX_, "s", "the window's first sample") \
	X(shared_start_kb, "shared_start_kb", ST_I64, SF_REQ | SF_SIGNED, AT(shared0_kb), -KB_MAX_, KB_MAX_, "KiB", "the shared figure then") \
	X(private_start_kb, "private_start_kb", ST_I64, SF_REQ | SF_SIGNED, AT(private0_kb), -KB_MAX_, KB_MAX_, "KiB", "the private figure then") \
	X(end_s, "end_s", ST_DBL, SF_REQ, AT(t_last), 0, TIME_MAX_, "s", "the window's newest sample") \
	X(shared_end_kb, "shared_end_kb", ST_I64, SF_REQ | SF_SIGNED, AT(shared_last_kb), -KB_MAX_, KB_MAX_, "KiB", "the shared figure then") \
	X(private_end_kb, "private_end_kb", ST_I64, SF_REQ | SF_SIGNED, AT(private_last_kb), -KB_MAX_, KB_MAX_, "KiB", "the private figure then") \
	X(min_s, "min_s", ST_DBL, SF_REQ, AT(t_min), 0, TIME_MAX_, "s", "the end of the fall: the first sample within 1% of lost_kb above the lowest") \
	X(shared_min_kb, "shared_min_kb", ST_I64, SF_REQ | SF_SIGNED, AT(shared_min_kb), -KB_MAX_, KB_MAX_, "KiB", "the lowest shared figure") \
	X(lost_kb, "lost_kb", ST_I64, SF_DERIVED, NOWHERE, 0, KB_MAX_, "KiB", "shared_start_kb - shared_min_kb") \
	X(rate_kb_s, "rate_kb_s", ST_DBL, SF_DERIVED, NOWHERE, 0, KB_MAX_ * 1e6, "KiB/s", "lost_kb / (min_s - start_s)") \
	X(half_life_s, "half_life_s", ST_DBL, SF_REQ | SF_NULL, AT_HAVE(half_life_s, halved), 0, TIME_MAX_, "s", "until the shared figure halved")

#define SCHEMA_DECAY_MEMBER(X) \
	X(pid, "pid", ST_INT, SF_REQ, AT(pid), 1, PID_MAX_, "", "the member") \
	X(start_ticks, "start_ticks", ST_U64, SF_REQ, AT(start_ticks), 0, COUNT_MAX_, "", "its start time") \
	X(role, "role", ST_ROLE, SF_REQ, AT(role), 0, 0, "", "its role (the newest told)") \
	X(fig, "", ST_MERGE, 0, AT_CHILD(fig, decay_fig), 0, 0, "", "its series")

#define SCHEMA_PROJECTION(X) \
	X(workers, "workers", ST_INT, SF_REQ, AT(p.workers), 1, 1e6, "", "N") \
	X(shared_kb, "shared_kb", ST_I64, SF_REQ | SF_NULL, AT(p.shared_kb), 0, KB_MAX_, "KiB", "what the workers share, once") \
	X(worker_private_kb, "worker_private_kb", ST_I64, SF_REQ | SF_NULL, AT(p.private_kb), 0, KB_MAX_, "KiB", "the largest USS of one worker") \
	X(worker_pid, "worker_pid", ST_INT, SF_REQ | SF_NULL, AT_HAVE(p.private_pid, known), 1, PID_MAX_, "", "that worker") \
	X(pss_kb, "pss_kb", ST_I64, SF_REQ | SF_NULL | SF_DERIVED, NOWHERE, 0, KB_MAX_, "KiB", "shared_kb + workers x worker_private_kb")

#define SCHEMA_SAMPLE(X) \
	X(t, "t", ST_DBL, SF_REQ, NOWHERE, 0, TIME_MAX_, "s", "since the run started, when its counters were read; never goes back") \
	X(procs, "procs", ST_ARRAY, SF_REQ, CHILD(proc), 0, 0, "", "the processes") \
	X(total, "total", ST_OBJECT, SF_REQ, CHILD(total), 0, 0, "", "the tree's totals") \
	X(moved, "moved", ST_ARRAY, 0, NOWHERE, 1, PID_MAX_, "", "pids whose counters changed since the tick before")

#define SCHEMA_PROC(X) \
	X(pid, "pid", ST_INT, SF_REQ | SF_CSV(1), AT(pid), 1, PID_MAX_, "", "process id") \
	X(ppid, "ppid", ST_INT, SF_REQ | SF_CSV(2), AT(ppid), 0, PID_MAX_, "", "parent's") \
	X(role, "role", ST_ROLE, SF_REQ | SF_CSV(3), AT(role), 0, 0, "", "parent, worker, helper, child") \
	X(comm, "comm", ST_TEXT, SF_REQ | SF_CSV(4), AT(comm), 0, 0, "", "process name") \
	X(state, "state", ST_CHAR, SF_CSV(5), AT(state), 0, 0, "", "the state letter of stat") \
	X(figures, "", ST_FIGURES, SF_CSV(7), AT(mem), 0, SMAPS_REQ, "KiB", "the smaps_rollup figures") \
	X(smaps, "smaps", ST_SMAPS, SF_CSV(6), AT(smaps), 0, 0, "", "the figure state") \
	X(moved, "moved", ST_BOOL, SF_CSV(18), AT(moved), 0, 0, "", "its counters changed since the tick before") \
	X(est_error_kb, "est_error_kb", ST_I64, SF_NULL | SF_SIGNED | SF_CSV(19), AT(est_error_kb), -KB_MAX_, KB_MAX_, "KiB", "read Pss minus the estimate") \
	X(smaps_t, "smaps_t", ST_DBL, SF_CSV(12), AT(smaps_t), 0, TIME_MAX_, "s", "run time of the smaps_rollup read") \
	X(rss_now_kb, "rss_now_kb", ST_I64, SF_NULL | SF_CSV(8), AT(rss_now_kb), 0, KB_MAX_, "KiB", "status VmRSS at this tick") \
	X(rss_anon_kb, "rss_anon_kb", ST_I64, SF_NULL | SF_CSV(9), AT(rss_anon_kb), 0, KB_MAX_, "KiB", "status RssAnon") \
	X(rss_file_kb, "rss_file_kb", ST_I64, SF_NULL | SF_CSV(10), AT(rss_file_kb), 0, KB_MAX_, "KiB", "status RssFile") \
	X(rss_shmem_kb, "rss_shmem_kb", ST_I64, SF_NULL | SF_CSV(11), AT(rss_shmem_kb), 0, KB_MAX_, "KiB", "status RssShmem") \
	X(utime_s, "utime_s", ST_DBL, SF_CSV(13), AT(utime_s), 0, TIME_MAX_ * 4096, "s", "user CPU") \
	X(stime_s, "stime_s", ST_DBL, SF_CSV(14), AT(stime_s), 0, TIME_MAX_ * 4096, "s", "system CPU") \
	X(minflt, "minflt", ST_U64, SF_CSV(15), AT(minflt), 0, COUNT_MAX_, "", "minor faults") \
	X(majflt, "majflt", ST_U64, SF_CSV(16), AT(majflt), 0, COUNT_MAX_, "", "major faults") \
	X(child_faults, "child_faults", ST_U64, SF_OMIT, AT(child_faults), 0, COUNT_MAX_, "", "faults of the children it reaped") \
	X(start_ticks, "start_ticks", ST_U64, SF_CSV(17), AT(start_ticks), 0, COUNT_MAX_, "", "start time: with pid, the identity")

/* (SCHEMA_T: struct point) */
#define SCHEMA_TOTAL(X) \
	X(pss_kb, "pss_kb", ST_I64, SF_REQ | SF_NULL | SF_DERIVED, AT(pss_kb), 0, KB_MAX_, "KiB", "ΣPSS") \
	X(rss_kb, "rss_kb", ST_I64, SF_REQ | SF_NULL | SF_DERIVED, AT(rss_kb), 0, KB_MAX_, "KiB", "ΣRSS") \
	X(uss_kb, "uss_kb", ST_I64, SF_REQ | SF_NULL | SF_DERIVED, AT(uss_kb), 0, KB_MAX_, "KiB", "ΣUSS") \
	X(shared_dirty_kb, "shared_dirty_kb", ST_I64, SF_NULL | SF_DERIVED, AT(shared_dirty_kb), 0, KB_MAX_, "KiB", "ΣShared_Dirty") \
	X(nprocs, "nprocs", ST_INT, SF_DERIVED, AT(nprocs), 0, PID_MAX_, "", "processes counted") \
	X(pss_fresh, "pss_fresh", ST_BOOL, SF_DERIVED, AT(pss_fresh), 0, 0, "", "every PSS figure read at this tick") \
	X(pss_partial, "pss_partial", ST_BOOL, SF_DERIVED | SF_BLANK, AT(pss_partial), 0, 0, "", "some process's PSS is unknown") \
	X(consistent, "consistent", ST_BOOL, 0, AT(consistent), 0, 0, "", "one moment of the tree") \
	X(pss_bound_kb, "pss_bound_kb", ST_I64, SF_NULL, AT(pss_bound_kb), 0, KB_MAX_, "KiB", "how far pss_kb may be from one moment") \
	X(pss_estimated, "pss_estimated", ST_BOOL, SF_DERIVED, AT(pss_estimated), 0, 0, "", "some figure is estimated") \
	X(pss_held, "pss_held", ST_BOOL, SF_DERIVED, AT(pss_held), 0, 0, "", "some figure is held") \
	X(members_partial, "members_partial", ST_BOOL, SF_OMIT, AT(members_partial), 0, 0, "", "some process could not be read at all") \
	X(reaped_faults, "reaped_faults", ST_I64, SF_NULL, AT(reaped_faults), 0, COUNT_MAX_, "", "faults of the processes shmviz reaped since the run began") \
	X(thp_kb, "thp_kb", ST_I64, SF_NULL, AT(thp_kb), 0, KB_MAX_ * 1024, "KiB", "huge pages faulted on the machine since boot")

#define SCHEMA_MSNAP(X) \
	X(t, "t", ST_DBL, SF_REQ | SF_CODE, AT(t), 0, TIME_MAX_, "s", "run time of the first read") \
	X(t_end, "t_end", ST_DBL, SF_CODE, AT(t_end), 0, TIME_MAX_, "s", "when the last read ended") \
	X(phase, "phase", ST_TEXT, 0, AT(phase), 0, 0, "", "the phase then") \
	X(peak, "peak", ST_BOOL, 0, AT(peak), 0, 0, "", "the snapshot read nearest the peak sample") \
	X(procs, "procs", ST_ARRAY, SF_REQ, CHILD(map_proc), 0, 0, "", "every process of the tree not yet gone") \
	X(groups, "groups", ST_ARRAY, SF_DERIVED | SF_BLANK, CHILD(group), 0, 0, "", "the groups summed across the processes")

#define SCHEMA_MAP_PROC(X) \
	X(pid, "pid", ST_INT, SF_REQ, AT(pid), 1, PID_MAX_, "", "the process") \
	X(role, "role", ST_ROLE, SF_REQ, AT(role), 0, 0, "", "its role") \
	X(comm, "comm", ST_TEXT, 0, AT(comm), 0, 0, "", "its name") \
	X(smaps, "smaps", ST_SMAPS, 0, AT(smaps), 0, 0, "", "read, unreadable or gone") \
	X(groups, "groups", ST_ARRAY, SF_REQ, CHILD(group), 0, 0, "", "its groups, largest PSS first")

#define SCHEMA_GROUP(X) \
	X(kind, "kind", ST_TEXT, SF_REQ | SF_CODE, NOWHERE, 0, 0, "", "file, shm, memfd, shared-anon, anon, heap, stack, special") \
	X(path, "path", ST_TEXT, SF_REQ, AT(path), 0, 0, "", "as the kernel prints it") \
	X(deleted, "deleted", ST_BOOL, 0, AT(deleted), 0, 0, "", "the kernel marked the path (deleted)") \
	X(addr, "addr", ST_TEXT, SF_CODE, NOWHERE, 0, 0, "", "a large anonymous mapping's range START-END") \
	X(mappings, "mappings", ST_INT, SF_REQ, AT(nmaps), 1, 1 << 30, "", "mappings folded into the group") \
	X(processes, "processes", ST_INT, SF_CODE, NOWHERE, 0, PID_MAX_, "", "(run groups) processes that map it") \
	X(figures, "", ST_FIGURES, 0, AT(mem), SMAPS_MAP, SMAPS_MAP_REQ, "KiB", "the sums of its mappings' figures")

#define SCHEMA_SUMMARY(X) \
	X(base, "base", ST_TEXT, 0, NOWHERE, 0, 0, "", "the first run") \
	X(speedup, "speedup", ST_DBL, SF_NULL, NOWHERE, 0, 0, "", "second run's wall_s / first run's") \
	X(peak_pss_ratio, "peak_pss_ratio", ST_DBL, SF_NULL, NOWHERE, 0, 0, "", "second run's peak.pss_kb / first run's") \
	X(peak_rss_ratio, "peak_rss_ratio", ST_DBL, SF_NULL, NOWHERE, 0, 0, "", "the same for ΣRSS") \
	X(peak_uss_ratio, "peak_uss_ratio", ST_DBL, SF_NULL, NOWHERE, 0, 0, "", "the same for ΣUSS") \
	X(comparisons, "comparisons", ST_ARRAY, 0, CHILD(comparison), 0, 0, "", "every run after the first against it")

#define SCHEMA_COMPARISON(X) \
	X(run, "run", ST_TEXT, 0, NOWHERE, 0, 0, "", "the run") \
	X(against, "against", ST_TEXT, 0, NOWHERE, 0, 0, "", "the first run") \
	X(speedup, "speedup", ST_DBL, SF_NULL, NOWHERE, 0, 0, "", "wall_s ratio") \
	X(peak_pss_ratio, "peak_pss_ratio", ST_DBL, SF_NULL, NOWHERE, 0, 0, "", "peak ΣPSS ratio") \
	X(peak_rss_ratio, "peak_rss_ratio", ST_DBL, SF_NULL, NOWHERE, 0, 0, "", "peak ΣRSS ratio") \
	X(peak_uss_ratio, "peak_uss_ratio", ST_DBL, SF_NULL, NOWHERE, 0, 0, "", "peak ΣUSS ratio")

#define SCHEMA_REPEAT(X) \
	X(rounds, "rounds", ST_INT, SF_DERIVED, NOWHERE, 0, 0, "", "N") \
	X(shown_round, "shown_round", ST_INT, SF_CODE, NOWHERE, 1, MODEL_ROUNDS_MAX, "", "the round .runs[] hold, from 1") \
	X(runs, "runs", ST_ARRAY, SF_REQ, CHILD(repeat_run), 0, 0, "", "one a run, in the order of .runs[]")

#define SCHEMA_REPEAT_RUN(X) \
	X(name, "name", ST_TEXT, SF_REQ | SF_CODE, NOWHERE, 0, 0, "", "the run's name") \
	X(rounds, "rounds", ST_ARRAY, SF_REQ, CHILD(round), 0, 0, "", "every round that ended") \
	X(wall_s, "wall_s", ST_OBJECT, SF_DERIVED | SF_NULL, CHILD(stats), 0, 0, "s", "over the rounds that ended ok") \
	X(cpu_s, "cpu_s", ST_OBJECT, SF_DERIVED | SF_NULL, CHILD(stats), 0, 0, "s", "the same of cpu_s") \
	X(peak_pss_kb, "peak_pss_kb", ST_OBJECT, SF_DERIVED | SF_NULL, CHILD(stats), 0, 0, "KiB", "the same of peak_pss_kb")

#define SCHEMA_ROUND(X) \
	X(round, "round", ST_INT, SF_DERIVED, NOWHERE, 0, 0, "", "its number, from 1") \
	X(position, "position", ST_INT, SF_REQ, AT(position), 0, MODEL_MAX_RUNS - 1, "", "0: it started first in its round") \
	X(start_monotonic_s, "start_monotonic_s", ST_DBL, 0, AT(started_mono), 0, 1e12, "s", "CLOCK_MONOTONIC of its start") \
	X(ok, "ok", ST_BOOL, SF_REQ, AT(ok), 0, 0, "", "state done") \
	X(wall_s, "wall_s", ST_DBL, SF_REQ, AT(wall_s), 0, TIME_MAX_, "s", "its wall time") \
	X(cpu_s, "cpu_s", ST_DBL, SF_REQ | SF_NULL | SF_NEG, AT(cpu_s), 0, TIME_MAX_ * 4096, "s", "its CPU time") \
	X(peak_pss_kb, "peak_pss_kb", ST_I64, SF_REQ | SF_NULL, AT(pss_kb), 0, KB_MAX_, "KiB", "its peak ΣPSS")

#define SCHEMA_STATS(X) \
	X(median, "median", ST_DBL, 0, AT(median), 0, 0, "", "the median") \
	X(min, "min", ST_DBL, 0, AT(min), 0, 0, "", "the least") \
	X(max, "max", ST_DBL, 0, AT(max), 0, 0, "", "the most") \
	X(n, "n", ST_U64, 0, AT(n), 0, 0, "", "rounds with the figure")

/* (SCHEMA_T: struct model; the sampler's figures, and the config's
 * interval and budget again) */
#define SCHEMA_SAMPLER(X) \
	X(cpu_s, "cpu_s", ST_DBL, 0, AT(sampler.cpu_s), 0, TIME_MAX_, "s", "shmviz's own CPU time while sampling") \
	X(wall_s, "wall_s", ST_DBL, 0, AT(sampler.wall_s), 0, TIME_MAX_, "s", "the time sampled") \
	X(cpu_pct, "cpu_pct", ST_DBL, SF_DERIVED | SF_BLANK, NOWHERE, 0, 0, "%", "cpu_s / wall_s") \
	X(ticks, "ticks", ST_U64, 0, AT(sampler.ticks), 0, COUNT_MAX_, "", "samples taken") \
	X(pss_reads, "pss_reads", ST_U64, 0, AT(sampler.pss_reads), 0, COUNT_MAX_, "", "smaps_rollup reads") \
	X(counter_reads, "counter_reads", ST_U64, 0, AT(sampler.counter_reads), 0, COUNT_MAX_, "", "stat + status reads") \
	X(scans, "scans", ST_U64, 0, AT(sampler.scans), 0, COUNT_MAX_, "", "looks for new members: /proc scans, or reads of the run's cgroup.procs") \
	X(rest_sweeps, "rest_sweeps", ST_U64, 0, AT(sampler.rest_sweeps), 0, COUNT_MAX_, "", "sweeps of a tree at rest in debt") \
	X(high_sweeps, "high_sweeps", ST_U64, 0, AT(sampler.high_sweeps), 0, COUNT_MAX_, "", "sweeps at a new high or a plateau of the tree's RSS") \
	X(obj_ticks, "obj_ticks", ST_U64, 0, AT(sampler.obj_ticks), 0, COUNT_MAX_, "", "samples whose ΣPss_Shmem came from the objects' sizes") \
	X(tick_max_ms, "tick_max_ms", ST_DBL, 0, AT(sampler.tick_max_ms), 0, TIME_MAX_ * 1000, "ms", "the longest tick of the sampler") \
	X(exact_refreshes, "exact_refreshes", ST_U64, 0, AT(sampler.exact_refreshes), 0, COUNT_MAX_, "", "exact figures read again at rest") \
	X(exact_drifted, "exact_drifted", ST_U64, 0, AT(sampler.exact_drifted), 0, COUNT_MAX_, "", "of those, the ones that had changed") \
	X(exact_drift_max_kb, "exact_drift_max_kb", ST_I64, 0, AT(sampler.exact_drift_max_kb), 0, COUNT_MAX_, "KiB", "the largest change of PSS found") \
	X(interval_ms, "interval_ms", ST_INT, SF_DERIVED | SF_BLANK, AT(config.interval_ms), 0, 0, "ms", "the sampling interval") \
	X(pss_interval_ms, "pss_interval_ms", ST_DBL, 0, AT(sampler.pss_interval_mean_ms), 0, TIME_MAX_ * 1000, "ms", "mean time between two PSS reads of one process") \
	X(budget_pct, "budget_pct", ST_DBL, SF_DERIVED | SF_BLANK, AT(config.budget_pct), 0, 0, "%", "the budget") \
	X(counter_read_us, "counter_read_us", ST_DBL, 0, AT(sampler.counter_read_us), 0, TIME_MAX_ * 1e6, "us", "CPU cost of one counters read") \
	X(scan_ms, "scan_ms", ST_DBL, 0, AT(sampler.scan_ms), 0, TIME_MAX_ * 1000, "ms", "CPU cost of one look for new members") \
	X(pss_read_ms, "pss_read_ms", ST_DBL, 0, AT(sampler.pss_read_mean_ms), 0, TIME_MAX_ * 1000, "ms", "mean CPU cost of one smaps_rollup read") \
	X(pss_cpu_s, "pss_cpu_s", ST_DBL, 0, AT(sampler.pss_cpu_s), 0, TIME_MAX_, "s", "CPU of smaps_rollup reads") \
	X(counter_cpu_s, "counter_cpu_s", ST_DBL, 0, AT(sampler.counter_cpu_s), 0, TIME_MAX_, "s", "CPU of counter reads") \
	X(scan_cpu_s, "scan_cpu_s", ST_DBL, 0, AT(sampler.scan_cpu_s), 0, TIME_MAX_, "s", "CPU of the looks for new members") \
	X(map_snaps, "map_snaps", ST_U64, SF_OMIT, AT(sampler.map_snaps), 0, COUNT_MAX_, "", "--mappings: snapshots taken") \
	X(map_reads, "map_reads", ST_U64, SF_AFTER, AT(sampler.map_reads), 0, COUNT_MAX_, "", "--mappings: /proc/PID/smaps reads") \
	X(map_cpu_s, "map_cpu_s", ST_DBL, SF_AFTER, AT(sampler.map_cpu_s), 0, TIME_MAX_, "s", "--mappings: their CPU time")

/* The CSV export (export.c): a row a process a sample; these columns
 * besides the process's (those of SCHEMA_PROC with SF_CSV) */
#define SCHEMA_CSV(X) \
	X(run, "run", ST_TEXT, SF_CSV(1), NOWHERE, 0, 0, "", "the run's name") \
	X(t, "t", ST_DBL, SF_CSV(2), NOWHERE, 0, 0, "s", "the sample's time") \
	X(uss_kb, "uss_kb", ST_I64, SF_NULL, NOWHERE, 0, 0, "KiB", "private_clean_kb + private_dirty_kb (after pss_kb)") \
	X(consistent, "consistent", ST_BOOL, 0, NOWHERE, 0, 0, "", "the sample's total.consistent") \
	X(pss_bound_kb, "pss_bound_kb", ST_I64, SF_NULL, NOWHERE, 0, 0, "KiB", "the sample's total.pss_bound_kb") \
	X(shared_kb, "shared_kb", ST_I64, SF_NULL, NOWHERE, 0, 0, "KiB", "shared_clean_kb + shared_dirty_kb") \
	X(decay_window, "decay_window", ST_INT, SF_NULL, NOWHERE, 0, 0, "", "the window of the run's decay the sample counts in")

/* The trace export (export.c): the document, its events and counters */
#define SCHEMA_TRACE(X) \
	X(traceEvents, "traceEvents", ST_ARRAY, 0, CHILD(trace_event), 0, 0, "", "the events") \
	X(displayTimeUnit, "displayTimeUnit", ST_TEXT, 0, NOWHERE, 0, 0, "", "ms") \
	X(metadata, "metadata", ST_OBJECT, 0, CHILD(trace_meta), 0, 0, "", "shmviz and summary")

#define SCHEMA_TRACE_EVENT(X) \
	X(ph, "ph", ST_TEXT, 0, NOWHERE, 0, 0, "", "M, X or C") \
	X(name, "name", ST_TEXT, 0, NOWHERE, 0, 0, "", "the event's name") \
	X(ts, "ts", ST_DBL, 0, NOWHERE, 0, 0, "us", "its time") \
	X(pid, "pid", ST_INT, 0, NOWHERE, 0, 0, "", "its track") \
	X(tid, "tid", ST_INT, 0, NOWHERE, 0, 0, "", "its thread") \
	X(dur, "dur", ST_DBL, 0, NOWHERE, 0, 0, "us", "a slice's length") \
	X(cat, "cat", ST_TEXT, 0, NOWHERE, 0, 0, "", "phase") \
	X(args, "args", ST_OBJECT, 0, NOWHERE, 0, 0, "", "its arguments")

/* a process's counter "mem": these arguments; the run's "total": the
 * sample total's pss_kb, rss_kb, uss_kb, pss_bound_kb and nprocs */
#define SCHEMA_TRACE_MEM(X) \
	X(rss_kb, "rss_kb", ST_I64, 0, NOWHERE, 0, 0, "KiB", "Rss") \
	X(pss_kb, "pss_kb", ST_I64, 0, NOWHERE, 0, 0, "KiB", "Pss") \
	X(uss_kb, "uss_kb", ST_I64, 0, NOWHERE, 0, 0, "KiB", "Private_Clean + Private_Dirty") \
	X(shared_kb, "shared_kb", ST_I64, 0, NOWHERE, 0, 0, "KiB", "Shared_Clean + Shared_Dirty") \
	X(pss_shared_kb, "pss_shared_kb", ST_I64, 0, NOWHERE, 0, 0, "KiB", "PSS - USS")

/* the arguments of a metadata event (process_name, thread_name, ...) */
#define SCHEMA_TRACE_ARGS(X) \
	X(name, "name", ST_TEXT, 0, NOWHERE, 0, 0, "", "a track's name") \
	X(sort_index, "sort_index", ST_DBL, 0, NOWHERE, 0, 0, "", "a track's place") \
	X(labels, "labels", ST_TEXT, 0, NOWHERE, 0, 0, "", "a track's labels")

#define SCHEMA_TRACE_META(X) \
	X(shmviz, "shmviz", ST_OBJECT, 0, NOWHERE, 0, 0, "", "version, schema, mode, workload, interval_ms") \
	X(summary, "summary", ST_OBJECT, 0, CHILD(summary), 0, 0, "", "the recording's .summary")

/* every object: SCHEMA_O(lower name, upper name) */
#define SCHEMA_OBJECTS(O) \
	O(top, TOP) O(header, HEADER) O(host, HOST) O(config, CONFIG) \
	O(run, RUN) O(phase, PHASE) O(result, RESULT) O(peak, PEAK) \
	O(kernel_peak, KPEAK) O(decay, DECAY) O(decay_fig, DECAY_FIG) \
	O(decay_member, DECAY_MEMBER) O(projection, PROJECTION) \
	O(sample, SAMPLE) O(proc, PROC) O(total, TOTAL) O(msnap, MSNAP) \
	O(map_proc, MAP_PROC) O(group, GROUP) O(summary, SUMMARY) \
	O(comparison, COMPARISON) O(repeat, REPEAT) \
	O(repeat_run, REPEAT_RUN) O(round, ROUND) O(stats, STATS) \
	O(sampler, SAMPLER) O(csv, CSV) O(trace, TRACE) \
	O(trace_event, TRACE_EVENT) O(trace_mem, TRACE_MEM) \
	O(trace_args, TRACE_ARGS) O(trace_meta, TRACE_META)

#define SCHEMA_DECLARE_(lower, upper) \
	extern const struct schema_object schema_##lower;
SCHEMA_OBJECTS(SCHEMA_DECLARE_)
#undef SCHEMA_DECLARE_

/* SCHEMA_run_name, ...: the index of each row in its table (one macro an
 * object: a row's id cannot be pasted to the object's name otherwise) */
#define SR_top(id, ...) SCHEMA_top_##id,
#define SR_header(id, ...) SCHEMA_header_##id,
#define SR_host(id, ...) SCHEMA_host_##id,
#define SR_config(id, ...) SCHEMA_config_##id,
#define SR_run(id, ...) SCHEMA_run_##id,
#define SR_phase(id, ...) SCHEMA_phase_##id,
#define SR_result(id, ...) SCHEMA_result_##id,
#define SR_peak(id, ...) SCHEMA_peak_##id,
#define SR_kernel_peak(id, ...) SCHEMA_kernel_peak_##id,
#define SR_decay(id, ...) SCHEMA_decay_##id,
#define SR_decay_fig(id, ...) SCHEMA_decay_fig_##id,
#define SR_decay_member(id, ...) SCHEMA_decay_member_##id,
#define SR_projection(id, ...) SCHEMA_projection_##id,
#define SR_sample(id, ...) SCHEMA_sample_##id,
#define SR_proc(id, ...) SCHEMA_proc_##id,
#define SR_total(id, ...) SCHEMA_total_##id,
#define SR_msnap(id, ...) SCHEMA_msnap_##id,
#define SR_map_proc(id, ...) SCHEMA_map_proc_##id,
#define SR_group(id, ...) SCHEMA_group_##id,
#define SR_summary(id, ...) SCHEMA_summary_##id,
#define SR_comparison(id, ...) SCHEMA_comparison_##id,
#define SR_repeat(id, ...) SCHEMA_repeat_##id,
#define SR_repeat_run(id, ...) SCHEMA_repeat_run_##id,
#define SR_round(id, ...) SCHEMA_round_##id,
#define SR_stats(id, ...) SCHEMA_stats_##id,
#define SR_sampler(id, ...) SCHEMA_sampler_##id,
#define SR_csv(id, ...) SCHEMA_csv_##id,
#define SR_trace(id, ...) SCHEMA_trace_##id,
#define SR_trace_event(id, ...) SCHEMA_trace_event_##id,
#define SR_trace_mem(id, ...) SCHEMA_trace_mem_##id,
#define SR_trace_meta(id, ...) SCHEMA_trace_meta_##id,
#define SR_trace_args(id, ...) SCHEMA_trace_args_##id,
#define SCHEMA_ENUM_(lower, upper) \
	enum { SCHEMA_##upper(SR_##lower) SCHEMA_##lower##_N };
SCHEMA_OBJECTS(SCHEMA_ENUM_)
#undef SCHEMA_ENUM_

/* The row id of object lower, and its key: K(run, phases) is "phases". */
#define F(lower, id) (&schema_##lower.fields[SCHEMA_##lower##_##id])
#define K(lower, id) (F(lower, id)->key)

/* ---- the walk ---- */

/* Called for the rows of an object that code writes (those without a
 * member: objects, arrays, what is computed) in their place: adds the
 * row's member to o, or nothing. */
typedef void (*schema_put_fn)(struct cJSON *o, const struct schema_object *obj,
			      size_t row, const void *base, void *arg);

/* Writes the rows of obj that have a member, from base (the object's C
 * struct), into o in the table's order; the others through fn (NULL:
 * left out). */
void schema_put(struct cJSON *o, const struct schema_object *obj,
		const void *base, schema_put_fn fn, void *arg);
/* The same of the rows from first to before end. */
void schema_put_rows(struct cJSON *o, const struct schema_object *obj,
		     size_t first, size_t end, const void *base,
		     schema_put_fn fn, void *arg);
/* One row's value as schema_put() writes it, into o. */
void schema_put_row(struct cJSON *o, const struct schema_field *f,
		    const void *base);

/* The state of a read: where it is (a JSON path), and the first problem. */
struct schema_ctx {
	char path[256];
	size_t plen;
	char *err;
	size_t errlen;
	bool failed;
	struct proc_row *rows;   /* scratch for one sample */
	size_t rows_cap;
	bool members_partial;    /* the sample just read may miss members */
	int64_t reaped_faults;   /* its total.reaped_faults, -1: unknown */
	int64_t thp_kb;          /* its total.thp_kb, -1: unknown */
};

void schema_bad(struct schema_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
size_t schema_push_key(struct schema_ctx *c, const char *key);
size_t schema_push_index(struct schema_ctx *c, size_t i);
void schema_pop(struct schema_ctx *c, size_t old);
const char *schema_type_name(const struct cJSON *v);

/* Reads the rows of obj that have a member (not SF_CODE) from o into base,
 * each checked (presence, type, range); a row absent or null leaves its
 * member unknown (MODEL_KB_NONE, -1 with SF_NEG, its "have" false) or else
 * as it was. SF_DERIVED rows are checked, objects and arrays for their
 * kind, and nothing is kept of them. False at the first problem (in c). */
bool schema_get(struct schema_ctx *c, const struct cJSON *o,
		const struct schema_object *obj, void *base);

/* One row of schema_get(), whatever its flags */
void schema_get_row(struct schema_ctx *c, const struct cJSON *o,
		    const struct schema_field *f, void *base);
/* Reading one member by its row (for SF_CODE rows): a number (1 read,
 * 0 absent or null, -1 an error), a string made safe (the same), an
 * object or array (NULL when absent, or an error). */
int schema_get_number(struct schema_ctx *c, const struct cJSON *o,
		      const struct schema_field *f, double *out);
int schema_get_string(struct schema_ctx *c, const struct cJSON *o,
		      const struct schema_field *f, char *dst, size_t cap);
bool schema_get_bool(struct schema_ctx *c, const struct cJSON *o,
		     const struct schema_field *f, bool *out);
const struct cJSON *schema_get_object(struct schema_ctx *c, const struct cJSON *o,
				      const struct schema_field *f);
const struct cJSON *schema_get_array(struct schema_ctx *c, const struct cJSON *o,
				     const struct schema_field *f);
/* an element of an array that must be an object */
bool schema_is_object_item(struct schema_ctx *c, const struct cJSON *v);

/* The row of obj whose key is k (n bytes), its figure's index in *fig
 * (for a key of the smaps list; -1 otherwise); NULL: none (rows of
 * ST_MERGE count as the object's own). */
const struct schema_field *schema_find(const struct schema_object *obj,
				       const char *k, size_t n, int *fig);

#endif
