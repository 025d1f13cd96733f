"""Checks recordings of the Python, cow and --compare workloads against what
the kernel must report. Prints each failure; exit 0 when all checks hold.

usage:
  check_workloads.py python FILE --workers W --rows N
  check_workloads.py cow FILE0 FILE50 FILE100 --workers W --rows N
  check_workloads.py compare FILE --mib A,B [--labels a,b] [--procs PA,PB]
"""

import argparse
import json
import math
import os
import sys

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def phase(r, name):
    for p in r["phases"]:
        if p["name"] == name:
            return p
    return None


def fresh_in(r, name):
    """samples inside phase name whose PSS figures were all read then"""
    p = phase(r, name)
    if not check(p is not None, f"{r['name']}: no {name} phase"):
        return []
    end = p["end_s"] if p["end_s"] is not None else 1e18
    return [s for s in r["samples"]
            if p["start_s"] <= s["t"] <= end and s["total"]["consistent"]]


def sum_field(s, key):
    return sum(p[key] for p in s["procs"] if p[key] is not None)


def python(a):
    d = load(a.files[0])
    check(d["config"]["workload"] == "python", "config.workload is not python")
    runs = {r["name"]: r for r in d["runs"]}
    check(list(runs) == ["shared", "copy"], f"runs {list(runs)}")
    for name, r in runs.items():
        check(r["ok"], f"{name} failed: {r.get('cause')}")
        check(r["workers"] == a.workers, f"{name}: workers {r['workers']}")
        res = r["result"]
        check(res["sum"] == res["expected"] == math.ceil(a.rows / 2),
              f"{name}: sum {res['sum']}, expected {res['expected']}")
        want = ["start", "spawn", "fill", "attach" if name == "shared" else "transfer",
                "compute", "hold", "exit"]
        check([p["name"] for p in r["phases"]] == want,
              f"{name}: phases {[p['name'] for p in r['phases']]}")
        check(r["log"] and os.path.isfile(r["log"]), f"{name}: no log file {r['log']}")
        # the tree: the root, the pool's W workers (its children, so
        # grandchildren of shmviz) and the resource tracker
        root = r["samples"][0]["procs"][0]["pid"] if r["samples"] else None
        best = 0
        for s in r["samples"]:
            procs = s["procs"]
            workers = [p for p in procs if p["role"] == "worker"]
            helpers = [p for p in procs if p["role"] == "helper"]
            parents = [p for p in procs if p["role"] == "parent"]
            if len(workers) == a.workers and helpers and parents:
                best += 1
                check(all(p["ppid"] == parents[0]["pid"] for p in workers + helpers),
                      f"{name} t={s['t']}: a worker or the helper is not the root's child")
                # the totals are over every process of the tree
                check(s["total"]["nprocs"] == len(procs),
                      f"{name} t={s['t']}: nprocs {s['total']['nprocs']} != {len(procs)}")
                if s["total"]["consistent"]:
                    check(abs(s["total"]["pss_kb"] - sum_field(s, "pss_kb")) <= 1,
                          f"{name} t={s['t']}: ΣPSS is not the sum over the tree")
        check(best > 0, f"{name}: no sample shows the root, {a.workers} workers "
                        f"and the resource tracker (helper)")
        check(root is not None, f"{name}: no samples")
    S_kb = a.rows * 24 / 1024
    if "shared" in runs:
        # every worker maps the whole segment while it holds it
        for s in fresh_in(runs["shared"], "hold"):
            for p in s["procs"]:
                if p["role"] == "worker":
                    check(p["shared_dirty_kb"] >= S_kb - 4,
                          f"shared worker {p['pid']}: Shared_Dirty {p['shared_dirty_kb']} kB "
                          f"< segment {S_kb:.0f} kB")
            shmem = sum_field(s, "pss_shmem_kb")
            check(abs(shmem - S_kb) <= 4 * (len(s["procs"]) + 1) + 64,
                  f"shared t={s['t']}: ΣPss_Shmem {shmem} kB is not the segment {S_kb:.0f} kB")
    if "copy" in runs:
        seen, last_role = {}, {}
        for s in runs["copy"]["samples"]:
            for p in s["procs"]:
                last_role[p["pid"]] = p["role"]
                if p["role"] == "worker" and p["private_dirty_kb"] is not None:
                    seen[p["pid"]] = max(seen.get(p["pid"], 0), p["private_dirty_kb"])
        # a resource tracker forked and not yet exec'd has its parent's
        # command line and may be taken for a worker until read again: its
        # last sample names it helper (as roles.sh allows)
        seen = {pid: pd for pid, pd in seen.items() if last_role[pid] == "worker"}
        check(len(seen) == a.workers, f"copy: {len(seen)} workers seen, {a.workers} started")
        for pid, pd in seen.items():
            check(pd >= S_kb, f"copy worker {pid}: Private_Dirty peaked at {pd} kB "
                              f"< table {S_kb:.0f} kB")
    if "shared" in runs and "copy" in runs:
        sp = runs["shared"]["peak"]["pss_kb"]
        cp = runs["copy"]["peak"]["pss_kb"]
        check(cp > sp, f"copy peak ΣPSS {cp} kB is not above shared's {sp} kB")
        print(f"# python: peak ΣPSS shared {sp} kB, copy {cp} kB ({cp / sp:.1f}x); "
              f"wall shared {runs['shared']['result']['wall_s']:.2f} s, "
              f"copy {runs['copy']['result']['wall_s']:.2f} s")


def cow(a):
    S_kb = a.rows * 24 / 1024
    n = a.workers + 1
    got = []
    for path, pct in zip(a.files, (0, 50, 100)):
        d = load(path)
        r = d["runs"][0]
        check(r["name"] == "cow", f"{path}: run {r['name']}")
        check(r["ok"], f"cow {pct}%: failed: {r.get('cause')}")
        check(r["result"]["sum"] == r["result"]["expected"] == math.ceil(a.rows / 2),
              f"cow {pct}%: sum {r['result']['sum']}")
        want = ["start", "fill", "spawn"] + (["write"] if pct else []) + ["compute", "hold", "exit"]
        check([p["name"] for p in r["phases"]] == want,
              f"cow {pct}%: phases {[p['name'] for p in r['phases']]}")
        ss = [s for s in fresh_in(r, "hold")
              if sum(p["role"] == "worker" for p in s["procs"]) == a.workers]
        if not check(ss, f"cow {pct}%: no sample of the whole tree during hold"):
            got.append((0, 0))
            continue
        s = ss[len(ss) // 2]
        sd = sum_field(s, "shared_dirty_kb")
        pd = sum_field(s, "private_dirty_kb")
        got.append((sd, pd))
        # each of the W+1 processes maps the table: at 0% all of it
        # shared (the rest of the figures below is the processes' own
        # memory, the same in each run: compared across runs)
        if pct == 0:
            check(sd >= 0.98 * n * S_kb,
                  f"cow 0%: ΣShared_Dirty {sd} kB < {n} x table {S_kb:.0f} kB")
        print(f"# cow --cow-write {pct}: ΣShared_Dirty {sd} kB, ΣPrivate_Dirty {pd} kB, "
              f"ΣPSS {s['total']['pss_kb']} kB")
    if len(got) == 3:
        # pct% of the table's pages copied in every process (the parent's
        # originals too, as every worker wrote the same pages)
        for (sd, pd), pct in zip(got[1:], (50, 100)):
            moved = n * S_kb * pct / 100
            check(abs((got[0][0] - sd) - moved) <= 0.05 * moved + n * 256,
                  f"cow {pct}%: ΣShared_Dirty fell by {got[0][0] - sd} kB, "
                  f"expected about {moved:.0f} kB")
            check(abs((pd - got[0][1]) - moved) <= 0.05 * moved + n * 256,
                  f"cow {pct}%: ΣPrivate_Dirty rose by {pd - got[0][1]} kB, "
                  f"expected about {moved:.0f} kB")
        check(got[0][0] > got[1][0] > got[2][0],
              f"Shared_Dirty does not fall as --cow-write grows: {[g[0] for g in got]}")
        check(got[0][1] < got[1][1] < got[2][1],
              f"Private_Dirty does not rise as --cow-write grows: {[g[1] for g in got]}")


def compare(a):
    d = load(a.files[0])
    mib = [int(x) for x in a.mib.split(",")]
    procs = [int(x) for x in a.procs.split(",")] if a.procs else [1, 1]
    names = a.labels.split(",") if a.labels else ["A", "B"]
    check(d["config"]["workload"] == "compare", "config.workload is not compare")
    check([r["name"] for r in d["runs"]] == names,
          f"runs {[r['name'] for r in d['runs']]}, expected {names}")
    for r, m, n in zip(d["runs"], mib, procs):
        check(r["ok"], f"{r['name']} failed: {r.get('cause')}")
        want_kb = m * 1024 * n
        peak = r["peak"]["pss_kb"]
        check(abs(peak - want_kb) <= 0.1 * want_kb,
              f"{r['name']}: peak ΣPSS {peak} kB is not within 10% of {want_kb} kB")
        check(r["peak"]["nprocs"] == n, f"{r['name']}: {r['peak']['nprocs']} processes, "
                                        f"expected {n}")
        names_seen = [p["name"] for p in r["phases"]]
        check(names_seen[:1] == ["run"], f"{r['name']}: phases {names_seen} do not start with run")
        check(r["phases"][0]["start_s"] == 0, f"{r['name']}: run does not start at 0")
        check(all(p["end_s"] is not None for p in r["phases"]),
              f"{r['name']}: a phase is still open")
        check(r["result"]["exit_status"] == 0, f"{r['name']}: exit status")
        check(r["log"] and os.path.isfile(r["log"]), f"{r['name']}: no log file")
        print(f"# compare {r['name']}: {n} x {m} MiB touched, peak ΣPSS {peak} kB "
              f"({peak / want_kb * 100:.1f}%), phases {names_seen}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=("python", "cow", "compare"))
    ap.add_argument("files", nargs="+")
    ap.add_argument("--workers", type=int)
    ap.add_argument("--rows", type=int)
    ap.add_argument("--mib")
    ap.add_argument("--procs")
    ap.add_argument("--labels")
    a = ap.parse_args()
    {"python": python, "cow": cow, "compare": compare}[a.what](a)
    for f in failures[:40]:
        print("check failed:", f)
    sys.exit(1 if failures else 0)


main()
