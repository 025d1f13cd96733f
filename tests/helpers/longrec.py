#!/usr/bin/env python3
"""longrec.py - writes a long shmviz recording (schema 2) to standard output.

    longrec.py SECONDS PROCS [RUNS] [--facts FILE]

RUNS runs (default 2: shared, copy), each of SECONDS samples one second
apart, each sample holding PROCS processes (a parent and PROCS - 1
workers) whose figures follow a fixed pattern. The recording is written a
sample at a time, so it can be far larger than this script's memory.
--facts FILE writes what a reader must find, as JSON: the rows, samples
and the highest consistent sum of PSS (and of RSS) of each run.
"""
import json
import sys


def proc(run, k, i, nprocs):
    pid = 1000 + run * 1000 + k
    rss = 4000 + (i * 7 + k * 13) % 5000
    pss = rss // 2 + (i % 11)
    shared = rss - pss
    row = {
        "pid": pid, "ppid": 999 + run * 1000 if k else 1,
        "role": "parent" if k == 0 else "worker",
        "comm": "shmviz-w%d" % k if k else "shmviz-run%d" % run,
        "state": "S", "rss_kb": rss, "pss_kb": pss, "pss_shmem_kb": shared // 2,
        "shared_clean_kb": shared // 2, "shared_dirty_kb": shared - shared // 2,
        "private_clean_kb": 4, "private_dirty_kb": pss - 4 if pss > 4 else 0,
        "swap_kb": 0, "pss_anon_kb": pss // 2, "pss_file_kb": pss - pss // 2,
        "anonymous_kb": rss // 2, "smaps": "read", "moved": False,
        "est_error_kb": None, "smaps_t": float(i), "rss_now_kb": rss,
        "rss_anon_kb": rss // 2, "rss_file_kb": rss - rss // 2,
        "rss_shmem_kb": 0, "utime_s": i * 0.01, "stime_s": 0.0,
        "minflt": i, "majflt": 0, "start_ticks": 100 + k,
    }
    return row


def main():
    args = [a for a in sys.argv[1:]]
    facts_path = None
    if "--facts" in args:
        j = args.index("--facts")
        facts_path = args[j + 1]
        del args[j:j + 2]
    seconds, nprocs = int(args[0]), int(args[1])
    nruns = int(args[2]) if len(args) > 2 else 2
    names = ["shared", "copy", "cow", "extra"][:nruns]
    out = sys.stdout
    w = out.write
    head = {
        "shmviz": {"version": "longrec", "schema": 2},
        "host": {"kernel": "6.1.0", "machine": "x86_64", "cpus": 2,
                 "page_size": 4096, "mem_total_kb": 8000000},
        "config": {"workers": nprocs - 1, "rows": 1000, "bytes": 24000,
                   "interval_ms": 1000, "hold_s": 1, "mode": "both",
                   "workload": "native", "budget_pct": 5, "cow_write_pct": 0},
    }
    w(json.dumps(head)[:-1] + ',"runs":[')
    facts = {"runs": []}
    for run, name in enumerate(names):
        if run:
            w(",")
        w('{"samples":[')
        peak_pss = peak_rss = 0
        for i in range(seconds):
            procs = [proc(run, k, i, nprocs) for k in range(nprocs)]
            tp = sum(p["pss_kb"] for p in procs)
            tr = sum(p["rss_kb"] for p in procs)
            tu = sum(p["private_clean_kb"] + p["private_dirty_kb"] for p in procs)
            peak_pss, peak_rss = max(peak_pss, tp), max(peak_rss, tr)
            s = {"t": float(i), "procs": procs,
                 "total": {"pss_kb": tp, "rss_kb": tr, "uss_kb": tu,
                           "shared_dirty_kb": 0, "nprocs": nprocs,
                           "pss_fresh": True, "pss_partial": False,
                           "consistent": True, "pss_estimated": False,
                           "pss_held": False},
                 "moved": []}
            if i:
                w(",")
            w(json.dumps(s, separators=(",", ":")))
        end = float(seconds)
        rest = {
            "name": name, "label": name, "detail": "%d processes" % nprocs,
            "state": "done", "ok": True, "cause": None, "workers": nprocs - 1,
            "start_monotonic_s": 100.0 + run * (end + 1), "log": None,
            "phases": [{"name": "fill", "start_s": 0.0, "end_s": end / 2},
                       {"name": "hold", "start_s": end / 2, "end_s": end}],
            "result": {"sum": 1, "expected": 1, "wall_s": end, "total_s": end,
                       "compute_s": 1.0, "hold_s": 1.0, "cpu_user_s": 1.0,
                       "cpu_sys_s": 1.0, "minflt": 1, "majflt": 0,
                       "exit_status": 0},
            "peak": {"pss_kb": peak_pss, "rss_sum_kb": peak_rss, "uss_kb": 1,
                     "pss_partial": False, "shared_dirty_kb": 0,
                     "nprocs": nprocs, "consistent_samples": seconds},
        }
        w("]," + json.dumps(rest)[1:])
        facts["runs"].append({"name": name, "samples": seconds,
                              "rows": seconds * nprocs, "peak_pss_kb": peak_pss,
                              "peak_rss_kb": peak_rss, "end_s": end})
    tail = {"summary": {"base": "shared", "speedup": 1.0, "peak_pss_ratio": 1.0,
                        "peak_rss_ratio": 1.0, "peak_uss_ratio": 1.0,
                        "comparisons": []},
            # what a session of that length at rest has counted: every
            # figure of many digits (an exact figure read again every
            # 2 s, a drift of megabytes)
            "sampler": {"cpu_s": seconds * 0.0123456, "wall_s": seconds * nruns,
                        "cpu_pct": 1.23456, "ticks": seconds * nruns,
                        "pss_reads": seconds * nprocs, "counter_reads": seconds * nprocs * 2,
                        "scans": seconds, "rest_sweeps": seconds // 3, "high_sweeps": seconds // 5,
                        "exact_refreshes": seconds // 2, "exact_drifted": seconds // 7,
                        "exact_drift_max_kb": 123456,
                        "interval_ms": 1000, "pss_interval_ms": 1234.5678,
                        "budget_pct": 5, "counter_read_us": 12.345678, "scan_ms": 1.2345678,
                        "pss_read_ms": 1.2345678, "pss_cpu_s": seconds * 0.00123456,
                        "counter_cpu_s": seconds * 0.000123456,
                        "scan_cpu_s": seconds * 0.0000123456},
            "interrupted": False, "signal": None}
    w("]," + json.dumps(tail)[1:] + "\n")
    out.flush()
    if facts_path:
        with open(facts_path, "w") as f:
            json.dump(facts, f)


if __name__ == "__main__":
    main()
