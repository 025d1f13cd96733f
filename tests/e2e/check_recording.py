"""Checks a shmviz recording: every documented field with its type, and
the memory figures of native runs against what the kernel must report.

usage: check_recording.py FILE [--workers W --rows N --runs a,b]
Exit 0 when every check holds; prints each failure otherwise."""

import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peakhigh import peak_high  # noqa: E402

PAGE_KB = 4
# the error of one status RSS counter (a per-CPU counter since Linux 6.2:
# percpu_counter_batch = max(32, 2 x CPUs) pages on each CPU)
_CPUS = os.cpu_count() or 1
RSS_SLACK_KB = max(32, 2 * _CPUS) * _CPUS * PAGE_KB
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


NUM = (int, float)
OPT_NUM = (int, float, type(None))

SCHEMA = {
    "shmviz": {"version": str, "schema": int},
    "host": {"kernel": str, "machine": str, "cpus": int, "page_size": int, "mem_total_kb": NUM},
    "config": {"workers": int, "rows": int, "bytes": int, "interval_ms": int,
               "hold_s": NUM, "mode": str, "workload": str},
    "summary": {"speedup": OPT_NUM, "peak_pss_ratio": OPT_NUM},
    "sampler": {"cpu_s": NUM, "wall_s": NUM, "cpu_pct": NUM, "pss_reads": int,
                "counter_reads": int, "pss_interval_ms": NUM,
                "pss_read_ms": NUM, "counter_read_us": NUM, "scans": int},
}
RUN = {"name": str, "label": str, "detail": str, "state": str, "ok": bool,
       "cause": (str, type(None)), "workers": int, "start_monotonic_s": OPT_NUM,
       "log": (str, type(None)), "phases": list, "result": dict, "peak": dict,
       "samples": list}
PHASE = {"name": str, "start_s": NUM, "end_s": OPT_NUM}
RESULT = {"sum": OPT_NUM, "expected": OPT_NUM, "wall_s": OPT_NUM,
          "total_s": OPT_NUM, "compute_s": OPT_NUM, "compute_cpu_s": OPT_NUM,
          "hold_s": OPT_NUM, "tracemalloc_peak_kb": OPT_NUM, "cpu_user_s": OPT_NUM, "cpu_sys_s": OPT_NUM,
          "minflt": int, "majflt": int, "exit_status": (int, type(None))}
PEAK = {"pss_kb": OPT_NUM, "pss_bound_kb": OPT_NUM, "pss_high_kb": OPT_NUM, "rss_sum_kb": NUM, "uss_kb": OPT_NUM,
        "consistent_samples": int,
        "pss_partial": bool, "shared_dirty_kb": OPT_NUM, "nprocs": int}
SAMPLE = {"t": NUM, "procs": list, "total": dict, "moved": list}
PROC = {"pid": int, "ppid": int, "role": str, "comm": str, "rss_kb": OPT_NUM,
        "pss_kb": OPT_NUM, "pss_shmem_kb": OPT_NUM, "shared_clean_kb": OPT_NUM,
        "shared_dirty_kb": OPT_NUM, "private_clean_kb": OPT_NUM,
        "private_dirty_kb": OPT_NUM, "swap_kb": OPT_NUM, "state": str,
        "smaps": str, "pss_anon_kb": OPT_NUM, "pss_file_kb": OPT_NUM,
        "anonymous_kb": OPT_NUM, "moved": bool, "est_error_kb": OPT_NUM,
        "smaps_t": NUM, "rss_now_kb": OPT_NUM, "rss_anon_kb": OPT_NUM,
        "rss_file_kb": OPT_NUM, "rss_shmem_kb": OPT_NUM, "utime_s": NUM,
        "stime_s": NUM, "minflt": int, "majflt": int, "start_ticks": int}
TOTAL = {"pss_kb": NUM, "rss_kb": NUM, "uss_kb": NUM, "shared_dirty_kb": NUM,
         "nprocs": int, "pss_fresh": bool, "pss_partial": bool, "consistent": bool,
         "pss_bound_kb": OPT_NUM, "pss_estimated": bool, "pss_held": bool,
         "reaped_faults": OPT_NUM, "thp_kb": OPT_NUM}
SMAPS_FIGURES = ("rss_kb", "pss_kb", "pss_shmem_kb", "shared_clean_kb",
                 "shared_dirty_kb", "private_clean_kb", "private_dirty_kb",
                 "swap_kb", "pss_anon_kb", "pss_file_kb", "anonymous_kb")
STATES = ("none", "read", "exact", "estimated", "held", "unreadable", "gone")


def fields(obj, spec, where):
    check(isinstance(obj, dict), f"{where} is not an object")
    if not isinstance(obj, dict):
        return
    for key, typ in spec.items():
        check(key in obj, f"{where}.{key} is missing")
        if key in obj:
            v = obj[key]
            ok = isinstance(v, typ) and not (typ is int and isinstance(v, bool))
            check(ok, f"{where}.{key} = {v!r} is not {typ}")


def schema(d):
    for key, spec in SCHEMA.items():
        fields(d.get(key), spec, "." + key)
    check(isinstance(d.get("interrupted"), bool), ".interrupted is not a boolean")
    check(d["shmviz"]["schema"] == 2, "schema is not 2")
    for i, r in enumerate(d.get("runs", [])):
        w = f".runs[{i}]"
        fields(r, RUN, w)
        for j, p in enumerate(r["phases"]):
            fields(p, PHASE, f"{w}.phases[{j}]")
        fields(r["result"], RESULT, w + ".result")
        fields(r["peak"], PEAK, w + ".peak")
        peak_of_samples(r, w, d["host"]["page_size"] // 1024)
        last_t = -1
        for j, s in enumerate(r["samples"]):
            fields(s, SAMPLE, f"{w}.samples[{j}]")
            check(s["t"] >= last_t, f"{w}.samples[{j}].t goes back in time")
            last_t = s["t"]
            fields(s["total"], TOTAL, f"{w}.samples[{j}].total")
            for k, p in enumerate(s["procs"]):
                fields(p, PROC, f"{w}.samples[{j}].procs[{k}]")
                check(p["role"] in ("parent", "worker", "helper", "child"),
                      f"role {p['role']}")
            flags(s, f"{w}.samples[{j}]")
        check(r["ok"] == (r["state"] == "done"), f"{w}: ok {r['ok']}, state {r['state']}")
        cpu(d, r, w)
        times(r, w)
        detail(d, r, w)
        has_compute = any(p["name"] == "compute" for p in r["phases"])
        check((r["result"]["compute_s"] is not None) == has_compute,
              f"{w}.result.compute_s {r['result']['compute_s']} with"
              f"{'' if has_compute else 'out'} a compute phase")


def host(d):
    """.host: this machine's, as the test reads it (the recordings checked
    here are made on it a moment before): uname, sysconf, /proc/meminfo"""
    h, u = d["host"], os.uname()
    with open("/proc/meminfo") as f:
        mem = next(int(l.split()[1]) for l in f if l.startswith("MemTotal:"))
    want = {"kernel": u.release, "machine": u.machine,
            "cpus": os.sysconf("SC_NPROCESSORS_ONLN"),
            "page_size": os.sysconf("SC_PAGE_SIZE"), "mem_total_kb": mem}
    for k, v in want.items():
        check(h.get(k) == v, f".host.{k} {h.get(k)!r}, this machine's {v!r}")


def ratios(d):
    """.summary: every run after the first against the first, each ratio
    computed here from the two runs' recorded figures (src/core/model.c
    model_compare: null unless both runs are done and the first's figure
    is above 0; the smaps ratios only where both runs have a peak with a
    known bound); the top-level ratios are the second run's"""
    runs, sm = d["runs"], d.get("summary")
    if not isinstance(sm, dict):
        return
    check(sm.get("base") == (runs[0]["name"] if runs else ""),
          f".summary.base {sm.get('base')!r}, the first run {runs[0]['name'] if runs else ''!r}")

    def want(a, b):
        out = dict.fromkeys(("speedup", "peak_pss_ratio", "peak_rss_ratio", "peak_uss_ratio"))
        if a["state"] != "done" or b["state"] != "done":
            return out

        def ratio(x, y):
            return y / x if isinstance(x, NUM) and isinstance(y, NUM) and x > 0 and y > 0 else None
        out["speedup"] = ratio(a["result"]["wall_s"], b["result"]["wall_s"])
        out["peak_rss_ratio"] = ratio(a["peak"]["rss_sum_kb"], b["peak"]["rss_sum_kb"])
        if a["peak"].get("pss_bound_kb") is not None and b["peak"].get("pss_bound_kb") is not None:
            out["peak_pss_ratio"] = ratio(a["peak"]["pss_kb"], b["peak"]["pss_kb"])
            out["peak_uss_ratio"] = ratio(a["peak"]["uss_kb"], b["peak"]["uss_kb"])
        return out

    def same(x, y):
        return x == y or (isinstance(x, NUM) and isinstance(y, NUM) and
                          math.isclose(x, y, rel_tol=1e-12))
    comps = sm.get("comparisons", [])
    check(len(comps) == max(len(runs) - 1, 0),
          f".summary.comparisons: {len(comps)} for {len(runs)} runs")
    for i, c in enumerate(comps[:len(runs) - 1]):
        b = runs[i + 1]
        check(c.get("run") == b["name"] and c.get("against") == runs[0]["name"],
              f".summary.comparisons[{i}]: {c.get('run')!r} against {c.get('against')!r}")
        for k, v in want(runs[0], b).items():
            check(same(c.get(k), v), f".summary.comparisons[{i}].{k} {c.get(k)!r}, "
                  f"the runs' figures give {v!r}")
    top = want(runs[0], runs[1]) if len(runs) >= 2 else \
        dict.fromkeys(("speedup", "peak_pss_ratio", "peak_rss_ratio", "peak_uss_ratio"))
    for k, v in top.items():
        check(same(sm.get(k), v), f".summary.{k} {sm.get(k)!r}, the runs' figures give {v!r}")


def detail(d, r, w):
    """a native run's detail names its workers, and the share its workers
    write (--cow-write) for the cow run alone"""
    c = d["config"]
    if c["workload"] != "native":
        return
    n, pct = c["workers"], c.get("cow_write_pct", 0)
    check(r["detail"].endswith(f", {n} worker{'' if n == 1 else 's'}"),
          f"{w}: detail {r['detail']!r} with {n} workers")
    check((f"{pct}% written" in r["detail"]) == (r["name"] == "cow" and pct > 0),
          f"{w}: detail {r['detail']!r} with --cow-write {pct}")


def times(r, w):
    """wall time: total time less the hold phase, as the recorded phases
    give it (docs/recording.md, "result"); the hold's length is hold_s"""
    res = r["result"]
    if r["state"] != "done" or not isinstance(res.get("total_s"), NUM) or \
            not isinstance(res.get("wall_s"), NUM):
        return
    hold = sum(p["end_s"] - p["start_s"] for p in r["phases"]
               if p["name"] == "hold" and isinstance(p["end_s"], NUM))
    check(abs(res["wall_s"] - (res["total_s"] - hold)) < 1e-6,
          f"{w}: wall_s {res['wall_s']}, total_s {res['total_s']} less the hold phase's {hold}")
    if isinstance(res.get("hold_s"), NUM):
        check(abs(res["hold_s"] - hold) < 1e-6, f"{w}: hold_s {res['hold_s']}, the hold phase lasted {hold}")
    # compute_s: the span of the compute phase
    comp = [p for p in r["phases"] if p["name"] == "compute" and isinstance(p["end_s"], NUM)]
    if comp and isinstance(res.get("compute_s"), NUM):
        span = sum(p["end_s"] - p["start_s"] for p in comp)
        check(abs(res["compute_s"] - span) < 1e-6,
              f"{w}: compute_s {res['compute_s']}, the compute phase lasted {span}")
    # every moment of the run belongs to one phase: they follow each
    # other from 0 to total_s (the tree's exit after the last line is the
    # exit phase's), so the phases outside the hold add up to wall_s
    ph = r["phases"]
    if ph:
        ends = [0.0] + [p["end_s"] for p in ph]
        for j, p in enumerate(ph):
            check(abs(p["start_s"] - ends[j]) < 1e-6,
                  f"{w}.phases[{j}] {p['name']} starts at {p['start_s']}, "
                  f"the moment before ends at {ends[j]}")
        check(abs(ph[-1]["end_s"] - res["total_s"]) < 1e-6,
              f"{w}: the last phase {ph[-1]['name']} ends at {ph[-1]['end_s']}, "
              f"the run at {res['total_s']}")
        outside = sum(p["end_s"] - p["start_s"] for p in ph if p["name"] != "hold")
        check(abs(outside - res["wall_s"]) < 1e-6,
              f"{w}: the phases outside the hold add up to {outside}, wall_s {res['wall_s']}")


def cpu(d, r, w):
    """CPU time: null for --attach (getrusage cannot see a tree that is no
    child of shmviz, docs/recording.md), else a number no smaller than what
    the tree's processes had used by any sample (their /proc/PID/stat
    utime and stime, whole clock ticks: never above what the kernel adds to
    the reaper's rusage when they are reaped)"""
    res = r["result"]
    user, sys_ = res.get("cpu_user_s"), res.get("cpu_sys_s")
    if d["config"]["workload"] == "attach":
        check(user is None and sys_ is None,
              f"{w}: --attach, yet CPU time user {user} sys {sys_} (not measured: null)")
        return
    check(isinstance(user, NUM) and isinstance(sys_, NUM) and user >= 0 and sys_ >= 0,
          f"{w}: CPU time user {user} sys {sys_} is not a number >= 0")
    if r["state"] != "done" or not isinstance(user, NUM) or not isinstance(sys_, NUM):
        return
    for s in r["samples"]:
        u = sum(p["utime_s"] for p in s["procs"])
        st = sum(p["stime_s"] for p in s["procs"])
        check(u <= user + 0.011 and st <= sys_ + 0.011,
              f"{w} t={s['t']}: the processes had used {u:.2f} s user {st:.2f} s system, "
              f"more than the run's CPU time {user:.3f} / {sys_:.3f}")


def flags(s, where):
    """a total's flags say what its processes' figure states are"""
    counted = [p for p in s["procs"]
               if p.get("state") != "x" and p.get("smaps") != "gone"]
    st = [p.get("smaps") for p in counted]
    for p in s["procs"]:
        check(p.get("smaps") in STATES, f"{where}: figure state {p.get('smaps')!r}")
        # no address space (gone) or refused (unreadable): no figure, never
        # the last one read
        if p.get("smaps") in ("gone", "unreadable", "none"):
            for k in SMAPS_FIGURES:
                check(p.get(k) is None,
                      f"{where}: pid {p.get('pid')} {p.get('smaps')}, yet {k} = {p.get(k)}")
    t = s["total"]
    check(t.get("pss_held") == ("held" in st),
          f"{where}: total.pss_held {t.get('pss_held')}, states {st}")
    check(t.get("pss_estimated") == ("estimated" in st),
          f"{where}: total.pss_estimated {t.get('pss_estimated')}, states {st}")
    check(t.get("pss_fresh") == all(x == "read" for x in st),
          f"{where}: total.pss_fresh {t.get('pss_fresh')}, states {st}")
    # one moment: a known bound within 1% of ΣPSS or 256 KiB
    # (docs/recording.md, "Bounds"); a member never read has no bound
    b = t.get("pss_bound_kb")
    tight = b is not None and t.get("pss_kb") is not None and \
        b <= max(t["pss_kb"] // 100, 256)
    check(bool(t.get("consistent")) == tight,
          f"{where}: consistent {t.get('consistent')}, bound {b} of ΣPSS {t.get('pss_kb')}")
    check(b is None or b >= 0, f"{where}: negative bound {b}")
    check(b is None or "none" not in st, f"{where}: a bound {b} with a member never read")
    check(t.get("nprocs") == len([p for p in s["procs"] if p.get("state") != "x"]),
          f"{where}: total.nprocs {t.get('nprocs')}")
    sums(s, counted, where)


def sums(s, counted, where):
    """the totals are sums over the processes counted (not exited, not
    gone), computed here from procs[] (docs/recording.md, "samples"): a
    held figure counts at most the process's RSS of the tick; ΣRSS from
    the counters (VmRSS), else the smaps figure"""
    t = s["total"]

    def cap(p, v):
        now = p.get("rss_now_kb")
        return min(v, now) if p.get("smaps") == "held" and now is not None and now >= 0 else v
    pss = [cap(p, p["pss_kb"]) for p in counted if p.get("pss_kb") is not None]
    partial = any(p.get("pss_kb") is None for p in counted)
    check(t.get("pss_partial") == partial, f"{where}: total.pss_partial {t.get('pss_partial')}, "
          f"unknown PSS among the processes: {partial}")
    if t.get("pss_kb") is not None:
        check(t["pss_kb"] == sum(pss), f"{where}: total.pss_kb {t['pss_kb']}, the processes' "
              f"PSS add up to {sum(pss)}")
    if t.get("uss_kb") is not None:
        uss = sum(cap(p, p["private_clean_kb"] + p["private_dirty_kb"]) for p in counted
                  if p.get("private_clean_kb") is not None and p.get("private_dirty_kb") is not None)
        check(t["uss_kb"] == uss, f"{where}: total.uss_kb {t['uss_kb']}, the processes' USS add up to {uss}")
    rss = sum(p["rss_now_kb"] if p.get("rss_now_kb") is not None and p["rss_now_kb"] >= 0
              else p.get("rss_kb") or 0 for p in counted)
    check(t.get("rss_kb") == rss, f"{where}: total.rss_kb {t.get('rss_kb')}, the processes' RSS add up to {rss}")
    sd = sum(cap(p, p["shared_dirty_kb"]) for p in counted if p.get("shared_dirty_kb") is not None)
    check(t.get("shared_dirty_kb") == sd,
          f"{where}: total.shared_dirty_kb {t.get('shared_dirty_kb')}, the processes' add up to {sd}")



def faults_sig(s):
    """what the tree's fault counters were at a sample: its members and
    each one's own and reaped children's faults, and what shmviz reaped"""
    return (s["total"].get("reaped_faults"),
            sorted((p["pid"], p["minflt"] + p["majflt"], p.get("child_faults") or 0)
                   for p in s["procs"]))


def thp_read(r, w):
    """total.thp_kb is read only where a fault counter of the tree moved
    since the sample before (docs/recording.md, "The peak's upper end"):
    between two samples whose counters are the same (counters only rise,
    so no sample thinned out between them differed), it is null"""
    ss = r["samples"]
    # the first sample reads it, where the machine has huge pages (an
    # attach's first sample comes after the tree's start: it reads too)
    if ss and os.path.exists("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"):
        check(ss[0]["total"].get("thp_kb") is not None,
              f"{w}: the first sample at {ss[0]['t']} s did not read the machine's huge pages")
    for a, b in zip(ss, ss[1:]):
        if faults_sig(a) == faults_sig(b):
            check(b["total"].get("thp_kb") is None,
                  f"{w}: the sample at {b['t']} s read the machine's huge pages "
                  f"({b['total'].get('thp_kb')} KiB) though no fault counter of the tree moved")


def high_of(r, pk, w, page_kb):
    """peak.pss_high_kb against the doc's recurrence over the samples'
    counters (peakhigh.py): null where a chain broke or without a peak"""
    want = peak_high(r, page_kb)
    check(pk["pss_high_kb"] == want,
          f"{w}.peak: pss_high_kb {pk['pss_high_kb']}, the samples' counters give {want}")


def peak_of_samples(r, w, page_kb=4):
    """the peak is the sample with the highest lower bound of ΣPSS (among
    samples of live processes with a known bound), its ΣUSS that sample's,
    and consistent_samples counts the tight ones (docs/recording.md)"""
    best = None
    tight = 0
    for s in r["samples"]:
        t = s["total"]
        live = any(p.get("smaps") != "gone" for p in s["procs"])
        if t.get("pss_bound_kb") is None or t.get("pss_kb") is None or not t["nprocs"] or not live:
            continue
        tight += bool(t["consistent"])
        if best is None or t["pss_kb"] - t["pss_bound_kb"] > best["pss_kb"] - best["pss_bound_kb"]:
            best = t
    pk = r["peak"]
    # null together: a run never sampled with memory (docs/recording.md)
    check((pk["pss_kb"] is None) == (pk["uss_kb"] is None),
          f"{w}.peak: pss_kb {pk['pss_kb']} and uss_kb {pk['uss_kb']}: one null, not both")
    if "pss_bound_kb" not in pk or not r["samples"]:
        return  # recorded before bounds, or without samples
    # ΣRSS and the process count: the highest of any sample, bounded or not
    rss = max(s["total"]["rss_kb"] for s in r["samples"])
    check(pk["rss_sum_kb"] == rss, f"{w}.peak: rss_sum_kb {pk['rss_sum_kb']}, the samples' highest ΣRSS {rss}")
    nprocs = max(s["total"]["nprocs"] for s in r["samples"])
    check(pk.get("nprocs") == nprocs, f"{w}.peak: nprocs {pk.get('nprocs')}, the samples' most {nprocs}")
    if best is None:
        check(pk["pss_kb"] is None, f"{w}.peak: pss_kb {pk['pss_kb']} without a bounded sample")
        return
    if "pss_high_kb" in pk:
        high_of(r, pk, w, page_kb)
        thp_read(r, w)
    if pk["pss_partial"]:
        return
    check((pk["pss_kb"], pk["pss_bound_kb"], pk["uss_kb"], pk.get("shared_dirty_kb")) ==
          (best["pss_kb"], best["pss_bound_kb"], best["uss_kb"], best["shared_dirty_kb"]),
          f"{w}.peak: pss {pk['pss_kb']} ± {pk['pss_bound_kb']}, uss {pk['uss_kb']}, "
          f"shared_dirty {pk.get('shared_dirty_kb')}; the samples' highest lower bound is "
          f"{best['pss_kb']} ± {best['pss_bound_kb']}, uss {best['uss_kb']}, "
          f"shared_dirty {best['shared_dirty_kb']}")
    check(pk["consistent_samples"] == tight,
          f"{w}.peak: consistent_samples {pk['consistent_samples']}, the samples have {tight}")


def phase(r, name):
    for p in r["phases"]:
        if p["name"] == name:
            return p
    return None


def steady(r, name):
    """samples with consistent PSS inside phase name: a sample's time is
    its counters' moment (after any wait of its tick), and its reads are
    bounded against them, so one stamped in the phase shows the phase
    (ends included: a phase ends when its workload says so, before it
    changes anything)"""
    p = phase(r, name)
    check(p is not None, f"{r['name']} has no {name} phase")
    if p is None:
        return []
    return [s for s in r["samples"]
            if p["start_s"] <= s["t"] <= (p["end_s"] or 1e9)
            and s["total"]["consistent"]]


def shared_run(r, W, S_kb):
    n = W + 1
    ss = steady(r, "hold")
    check(ss, "shared: no sample with consistent PSS during hold")
    for s in ss:
        procs = s["procs"]
        workers = [p for p in procs if p["role"] == "worker"]
        check(len(workers) == W, f"shared t={s['t']}: {len(workers)} workers")
        shmem = sum(p["pss_shmem_kb"] for p in procs)
        check(abs(shmem - S_kb) <= PAGE_KB * len(procs) + PAGE_KB,
              f"shared t={s['t']}: ΣPss_Shmem {shmem} kB, segment {S_kb} kB")
        for p in workers:
            share = S_kb / n
            check(abs(p["pss_shmem_kb"] - share) <= 2 * PAGE_KB,
                  f"worker {p['pid']}: Pss_Shmem {p['pss_shmem_kb']} != S/(W+1) {share:.0f}")
            uss = p["private_clean_kb"] + p["private_dirty_kb"]
            other = p["pss_kb"] - p["pss_shmem_kb"]
            check(other >= 0 and other - uss <= 4096,
                  f"worker {p['pid']}: Pss {p['pss_kb']} is not S/(W+1) + private ({uss}) + little")
            check(p["shared_dirty_kb"] >= S_kb - PAGE_KB,
                  f"worker {p['pid']}: Shared_Dirty {p['shared_dirty_kb']} < segment")
        # ΣRSS counts the segment once a process: every member's RssShmem
        # is the whole segment (the status counters are per-CPU
        # approximations since Linux 6.2: up to 64 pages a counter on
        # these 2-core machines), and ΣRSS is the sum of the members' RSS
        # counters, whatever else (a sanitizer's shadow) they hold
        rss = s["total"]["rss_kb"]
        check(rss == sum(p["rss_now_kb"] for p in procs),
              f"shared t={s['t']}: ΣRSS {rss} kB is not the sum of the RSS counters")
        for p in procs:
            check(abs(p["rss_shmem_kb"] - S_kb) <= RSS_SLACK_KB,
                  f"shared t={s['t']}: {p['role']} {p['pid']} RssShmem "
                  f"{p['rss_shmem_kb']} kB is not the segment {S_kb} kB")
        shmem = sum(p["rss_shmem_kb"] for p in procs)
        check(rss >= shmem and abs(shmem - n * S_kb) <= n * RSS_SLACK_KB,
              f"shared t={s['t']}: ΣRssShmem {shmem} kB is not {n}·S = {n * S_kb} kB")


def copy_run(r, W, S_kb):
    seen = {}
    for s in r["samples"]:
        for p in s["procs"]:
            if p["role"] == "worker" and p["private_dirty_kb"] is not None:
                seen[p["pid"]] = max(seen.get(p["pid"], 0), p["private_dirty_kb"])
    check(len(seen) == W, f"copy: {len(seen)} workers seen, expected {W}")
    for pid, pd in seen.items():
        check(pd >= S_kb, f"copy worker {pid}: Private_Dirty peaked at {pd} kB < {S_kb} kB")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--workers", type=int)
    ap.add_argument("--rows", type=int)
    ap.add_argument("--runs", default="")
    a = ap.parse_args()
    with open(a.file, encoding="utf-8") as f:
        d = json.load(f)
    schema(d)
    host(d)
    ratios(d)
    names = [r["name"] for r in d["runs"]]
    if a.runs:
        check(names == a.runs.split(","), f"runs {names}, expected {a.runs}")
    if a.workers and a.rows:
        S_kb = a.rows * 24 / 1024
        check(d["config"]["workers"] == a.workers, "config.workers")
        check(d["config"]["rows"] == a.rows, "config.rows")
        check(d["config"]["bytes"] == a.rows * 24, "config.bytes")
        byname = {r["name"]: r for r in d["runs"]}
        for r in d["runs"]:
            check(r["ok"], f"{r['name']} failed: {r.get('cause')}")
            check(r["result"]["sum"] == r["result"]["expected"] == math.ceil(a.rows / 2),
                  f"{r['name']}: sum {r['result']['sum']}")
        if "shared" in byname:
            shared_run(byname["shared"], a.workers, S_kb)
        if "copy" in byname:
            copy_run(byname["copy"], a.workers, S_kb)
        if "shared" in byname and "copy" in byname:
            sp, cp = byname["shared"]["peak"]["pss_kb"], byname["copy"]["peak"]["pss_kb"]
            check(sp < cp / 2, f"shared peak ΣPSS {sp} is not under half of copy's {cp}")
            check(d["summary"]["peak_pss_ratio"] and
                  abs(d["summary"]["peak_pss_ratio"] - cp / sp) < 1e-6,
                  "summary.peak_pss_ratio is not copy/shared")
    for f in failures[:40]:
        print("check failed:", f)
    if len(failures) > 40:
        print(f"... and {len(failures) - 40} more")
    sys.exit(1 if failures else 0)


main()
