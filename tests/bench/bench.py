#!/usr/bin/env python3
"""The benchmark of issue 6: measures every figure in one run and prints a
table of ratios and budget checks with the machine it ran on.

Started by tests/bench/run.sh (which builds and installs the peers). Needs
SHMVIZ (the binary) and SHMVIZ_BENCH (tests/bench/shmviz-bench) in the
environment. --short runs every part on small sizes, to see by hand that
each still runs; its figures are printed but no bound is judged (at those
sizes fixed costs dominate: the full-size bounds do not apply).
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

SHMVIZ = os.environ.get("SHMVIZ", "")
BENCH = os.environ.get("SHMVIZ_BENCH", "")
# tests/helpers/shmfork, built beside shmviz (tests/shmfork in the build)
SHMFORK = os.environ.get("SHMFORK") or os.path.join(
    os.path.dirname(SHMVIZ), "tests", "shmfork")


def kv(text):
    """'key value' lines into a dict of floats (or strings)."""
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                out[parts[0]] = float(parts[1])
            except ValueError:
                out[parts[0]] = parts[1]
    return out


def run_bench(*args, timeout=900):
    r = subprocess.run([BENCH, *map(str, args)], capture_output=True,
                       text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"shmviz-bench {' '.join(map(str, args))}: "
                           f"{r.stderr.strip() or r.returncode}")
    return kv(r.stdout)


class Tree:
    """A tree like a shared workload's, kept alive while in use."""

    def __init__(self, procs, mb):
        self.p = subprocess.Popen([BENCH, "tree", str(procs), str(mb)],
                                  stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        line = self.p.stdout.readline().split()
        if len(line) != 2 or line[0] != "root":
            self.close()
            raise RuntimeError("the bench tree did not start")
        self.root = int(line[1])
        self.pids = [self.root] + descendants(self.root)

    def close(self):
        if self.p.stdin:
            self.p.stdin.close()
        self.p.wait(timeout=30)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def descendants(root):
    kids = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", errors="replace") as f:
                st = f.read()
        except OSError:
            continue
        ppid = int(st[st.rindex(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(name))
    out, queue = [], [root]
    while queue:
        for k in kids.get(queue.pop(), []):
            out.append(k)
            queue.append(k)
    return out


def child_cpu(argv, reps, **kw):
    """Median CPU time (user + system, of the process and anything it
    waited for) and wall time of running argv reps times."""
    cpu, wall = [], []
    for _ in range(reps):
        t0 = time.monotonic()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, **kw)
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        wall.append(time.monotonic() - t0)
        err = p.stderr.read().decode(errors="replace")
        p.stderr.close()
        if p.returncode != 0:
            raise RuntimeError(f"{argv[0]} exited {p.returncode}: {err.strip()}")
        cpu.append(ru.ru_utime + ru.ru_stime)
    return statistics.median(cpu), statistics.median(wall)


def shmviz_watch(tmp, name, args):
    """Runs shmviz --record under shmviz-bench watch: its own CPU time
    (children excluded) and RSS, and the recording."""
    rec = os.path.join(tmp, name + ".json")
    out = os.path.join(tmp, name + ".watch")
    r = subprocess.run([BENCH, "watch", out, "--", SHMVIZ, "--record", rec,
                        *map(str, args)], capture_output=True, text=True,
                       timeout=7200)
    if r.returncode != 0:
        raise RuntimeError(f"shmviz {' '.join(map(str, args))} exited "
                           f"{r.returncode}: {r.stderr.strip()[-500:]}")
    with open(out) as f:
        w = kv(f.read())
    with open(rec) as f:
        d = json.load(f)
    return w, d


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // 1024
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    return (f"{platform.node()}: {os.cpu_count()} x {cpu}, {mem} MiB, "
            f"kernel {platform.release()}, load {load} at the start")


class Table:
    def __init__(self, short):
        self.rows = []
        self.short = short

    def add(self, num, what, value, bound, ok, note=""):
        """ok: True, False, or None (no bound: for information)."""
        if self.short:
            verdict = "(not judged: short)" if ok is not None else ""
        else:
            verdict = "" if ok is None else ("ok" if ok else "MISSED")
        self.rows.append((num, what, value, bound, verdict, note))
        print(f"  [{num}] {what}: {value} (bound {bound or '-'}) {verdict} {note}",
              file=sys.stderr, flush=True)

    def missed(self):
        return [r for r in self.rows if r[4] == "MISSED"]

    def render(self):
        head = ("#", "figure", "measured", "bound", "verdict")
        w = [max(len(str(r[i])) for r in self.rows + [head]) for i in range(5)]
        line = lambda r: "| " + " | ".join(str(r[i]).ljust(w[i]) for i in range(5)) + " |"
        out = [line(head), "|" + "|".join("-" * (x + 2) for x in w) + "|"]
        out += [line(r) for r in self.rows]
        notes = [f"[{r[0]}] {r[1]}: {r[5]}" for r in self.rows if r[5]]
        return "\n".join(out), notes


def part_smaps(t, a, tree):
    """A /proc/PID/smaps read folded into groups (the mappings views,
    --mappings) against a smaps_rollup read of the same process: the
    tree's root, which maps the shared table."""
    r = run_bench("smaps", tree.root, a.reps)
    t.add("1", f"smaps read + groups / smaps_rollup read, same process "
          f"({r['smaps_mappings']:.0f} mappings in {r['smaps_groups']:.0f} groups, "
          f"{r['smaps_bytes'] / 1024:.0f} KiB of text; {r['smaps_us']:.0f} vs "
          f"{r['rollup_us']:.0f} us)",
          f"{r['smaps_ratio']:.2f}x", "", None,
          "what a mappings snapshot costs a process against a PSS read: "
          "paid from the sampler's budget")
    return r


def part_groups(t, a, tmp):
    """Folding mappings into groups (src/core/mapgroups.c) at 5k, 20k and
    65k mappings of distinct files, two processes each: the time per
    mapping stays flat when folding is linear (a search through the groups
    made it grow with the mappings: 10x from 5k to 65k)."""
    sizes = (1000, 2000, 4000) if a.short else (5000, 20000, 65000)
    base = None
    for n in sizes:
        r = run_bench("groups", n, 3 if a.short else 5)
        per = r["groups_us_per_mapping"]
        base = base or per
        t.add("3", f"mapping groups: {n} mappings of distinct files x 2 processes, "
              f"folded and summed ({r['groups_compares_per_mapping']:.2f} key "
              f"comparisons a mapping)",
              f"{per:.3f} us a mapping ({per / base:.2f}x the {sizes[0]}'s)",
              "<= 2x the smallest's", per <= 2 * base if not a.short else None,
              "linear: the time per mapping does not grow with the mappings")


def part_tick(t, a, tree):
    r = run_bench("tick", tree.root, a.reps)
    t.add("1", f"full tick: sampler / plain loop ({len(tree.pids)} procs x {a.mb} MB; "
          f"{r['full_shmviz_us']:.0f} vs {r['full_plain_us']:.0f} us)",
          f"{r['full_ratio']:.3f}x", "<= 1.10x", r["full_ratio"] <= 1.10)
    t.add("1", f"counters tick: sampler / plain stat+status loop "
          f"({r['counters_shmviz_us']:.0f} vs {r['counters_plain_us']:.0f} us)",
          f"{r['counters_ratio']:.3f}x", "", None,
          "the sampler's own work (scans, bookkeeping) on top of the reads")
    t.add("1", "probe alone (procs.c), full / plain",
          f"{r['probe_full_ratio']:.3f}x", "", None)
    t.add("1", "probe alone (procs.c), counters / plain",
          f"{r['probe_counters_ratio']:.3f}x", "", None)
    return r


def part_scan(t, a, tree):
    r = run_bench("scan", tree.root, a.reps)
    t.add("3", f"incremental /proc scan / counters of the tree "
          f"({r['scan_incremental_us']:.0f} vs {r['scan_counters_us']:.0f} us)",
          f"{r['scan_incremental_us'] / r['scan_counters_us']:.3f}x", "< 1x",
          r["scan_incremental_us"] < r["scan_counters_us"])
    t.add("3", f"full /proc scan ({int(r['scan_threads_system'])} tasks on the "
          f"machine) / counters of the tree",
          f"{r['scan_full_us'] / r['scan_counters_us']:.2f}x", "", None,
          "run once a run; later scans are incremental")
    return r


def part_budget(t, a, tmp):
    args = ["--mode", "shared", "-w", str(a.procs - 1), "-n", a.rows,
            "--hold", a.hold, "-i", "20"]
    w, d = shmviz_watch(tmp, "budget", args)
    s = d["sampler"]
    budget = s["budget_pct"]
    own = 100.0 * w["watch_cpu_s"] / w["watch_wall_s"]
    t.add("2", f"shmviz's own CPU, {a.procs} procs x {a.mb} MB, "
          f"--interval 20, {w['watch_wall_s']:.1f} s "
          f"({w['watch_cpu_s']:.3f} s CPU, children excluded)",
          f"{own:.2f}% of a core", f"<= {budget + 1:g}%", own <= budget + 1)
    t.add("2", "the same as the recording's .sampler says",
          f"{s['cpu_pct']:.2f}% ({s['pss_reads']} PSS reads, "
          f"{s['counter_reads']} counter reads, PSS every "
          f"{s['pss_interval_ms']:.0f} ms, {s['pss_read_ms']:.2f} ms a read)",
          "", None)
    run = d["runs"][0]
    times = [x["t"] for x in run["samples"]]
    gaps = [b - a for a, b in zip(times, times[1:])]
    iv = s["interval_ms"] / 1000
    on_time = sum(1 for g in gaps if g <= 1.5 * iv) / max(1, len(gaps))
    t.add("2", "counter ticks: gaps within 1.5 x --interval",
          f"{100 * on_time:.1f}% (longest gap {1e3 * max(gaps, default=0):.0f} ms)",
          "", None, "at a phase boundary every process's smaps_rollup is "
          "read in one tick, and on two cores the workloads compete with "
          "shmviz: a tick whose time has passed is skipped, not made up")
    hold = [p for p in run["phases"] if p["name"] == "hold"]
    if hold and hold[0]["end_s"] is not None:
        h0, h1 = hold[0]["start_s"], hold[0]["end_s"]
        fresh = [x["t"] for x in run["samples"]
                 if x["total"]["pss_fresh"] and h0 + 1 <= x["t"] <= h1]
        if len(fresh) >= 2:
            mean = (fresh[-1] - fresh[0]) / (len(fresh) - 1)
            t.add("2", "PSS interval seen in the hold phase (steady state)",
                  f"{1e3 * mean:.0f} ms", "", None,
                  "the status line and .sampler.pss_interval_ms give the "
                  "budget's steady-state estimate")
    # a tree that never stops moving (tests/helpers/churn.c) wants a
    # smaps_rollup read of every member at every tick: the budget, not
    # the tree, must limit them (formerly asserted by tests/e2e/budget.sh,
    # where a machine's load decided it)
    churn = os.path.join(os.path.dirname(os.path.dirname(BENCH)), "churn")
    if os.access(churn, os.X_OK):
        wc, dc = shmviz_watch(tmp, "budget-churn", [
            "-i", "50", "--budget", "2", "--compare", f"{churn} 64 3 6", "true"])
        sc = dc["sampler"]
        ownc = 100.0 * wc["watch_cpu_s"] / wc["watch_wall_s"]
        pssc = 100.0 * sc["pss_cpu_s"] / max(1e-9, sc["wall_s"])
        t.add("2", f"shmviz's own CPU, a churning tree (churn 64 3 6), --budget 2 "
              f"-i 50, {wc['watch_wall_s']:.1f} s", f"{ownc:.2f}% of a core",
              "<= 3%", ownc <= 3)
        t.add("2", "the same, smaps_rollup reads alone (.sampler.pss_cpu_s / wall_s)",
              f"{pssc:.2f}% ({sc['pss_reads']} reads in {sc['ticks']} ticks)",
              "<= 2%", pssc <= 2)
    per_tick_counters = s["counter_cpu_s"] / max(1, s["ticks"])
    per_tick_scan = s["scan_cpu_s"] / max(1, s["ticks"])
    t.add("3", f"scans amortised per tick / counters per tick, in that run "
          f"({s['scans']} scans, {1e6 * per_tick_scan:.1f} vs "
          f"{1e6 * per_tick_counters:.0f} us)",
          f"{per_tick_scan / per_tick_counters:.3f}x", "< 1x",
          per_tick_scan < per_tick_counters)
    return w, d


def watch_schedstat(argv):
    """Runs argv, reading its CPU time (ns, /proc/PID/schedstat) every
    0.1 s; returns the readings [(CLOCK_MONOTONIC, ns)]."""
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    reads = []
    while p.poll() is None:
        try:
            with open(f"/proc/{p.pid}/schedstat") as f:
                reads.append((time.monotonic(), int(f.read().split()[0])))
        except (OSError, ValueError, IndexError):
            pass
        time.sleep(0.1)
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    if p.returncode != 0:
        raise RuntimeError(f"shmviz exited {p.returncode}: {err.strip()[-300:]}")
    return reads


def cpu_between(reads, a, b):
    """CPU share of a core between CLOCK_MONOTONIC a and b, from readings."""
    w = [x for x in reads if a <= x[0] <= b]
    if len(w) < 2 or w[-1][0] <= w[0][0]:
        return None, 0
    return (w[-1][1] - w[0][1]) / 1e9 / (w[-1][0] - w[0][0]), w[-1][0] - w[0][0]


def is_read(p):
    # schema 1 recordings (a baseline binary) say "fresh" for a read
    return p.get("smaps") in ("read", "fresh")


def hold_window(run):
    h = [p for p in run["phases"] if p["name"] == "hold"]
    if not h or h[0]["end_s"] is None:
        return None
    return h[0]["start_s"] + 1.0, h[0]["end_s"] - 0.5


def held_tree(rec, argv):
    """Runs shmviz --record rec with argv (a shared run with a hold) under
    watch_schedstat; returns the recording, the hold's samples (its first
    second and last half second left out), shmviz's own CPU share over
    them and their span, and the shares of exact-or-read figures and of
    consistent samples in them."""
    reads = watch_schedstat([SHMVIZ, "--record", rec, *argv])
    with open(rec) as f:
        d = json.load(f)
    run = d["runs"][0]
    t0 = run["start_monotonic_s"]
    lo, hi = hold_window(run)
    share, span = cpu_between(reads, t0 + lo, t0 + hi)
    hold = [x for x in run["samples"] if lo <= x["t"] <= hi]
    figs = [p["smaps"] for x in hold for p in x["procs"]]
    exact = sum(1 for f in figs if f in ("exact", "read")) / max(1, len(figs))
    cons = sum(1 for x in hold if x["total"]["consistent"]) / max(1, len(hold))
    return d, hold, share, span, exact, cons


def part_steady(t, a, tmp):
    """Issue 10: steady state, every PSS exact, CPU from outside."""
    d, hold, share, span, exact, cons = held_tree(
        os.path.join(tmp, "steady.json"),
        ["--mode", "shared", "-w", str(a.procs - 1), "-n", a.rows, "--hold",
         a.steady_hold, "-i", "20"])
    s = d["sampler"]
    t.add("10", f"steady state: shmviz's own CPU in the hold, {a.procs} procs x "
          f"{a.mb} MB, --interval 20 ({span:.1f} s from /proc/PID/schedstat)",
          f"{100 * share:.2f}% of a core", "<= 0.5%", share <= 0.005,
          "every member's stat is read every tick and every sample recorded: "
          "the floor of a 20 ms tick")
    t.add("10", "the same: hold figures exact or read / samples consistent",
          f"{100 * exact:.1f}% / {100 * cons:.1f}%",
          "100%", exact == 1 and len(hold) > 0)
    t.add("10", "the same: exact figures read again, changed, largest change",
          f"{s.get('exact_refreshes', 0)}, {s.get('exact_drifted', 0)}, "
          f"{s.get('exact_drift_max_kb', 0)} kB", "", None,
          "pages shared with processes outside the tree (libraries) change "
          "share when those start or exit")


def phase_staleness(run):
    """Per phase: the mean age (s) of the PSS figures published, a figure
    read at its tick or exact (true without a read) counting 0, and an
    estimated or held one the time since its read; schema 1 recordings (a
    baseline binary) count t - smaps_t for every figure."""
    out = {}
    for ph in run["phases"]:
        a, b = ph["start_s"], ph["end_s"]
        if b is None:
            continue
        ages = []
        for x in run["samples"]:
            if not a <= x["t"] <= b:
                continue
            for p in x["procs"]:
                st = p.get("smaps")
                if st in ("gone", "unreadable", None) or p.get("smaps_t") is None:
                    continue
                ages.append(0.0 if st in ("read", "exact") else max(0.0, x["t"] - p["smaps_t"]))
        if ages:
            out[ph["name"]] = statistics.mean(ages)
    return out


def part_changing(t, a, tmp):
    """Issue 10: PSS reads while the tree changes, default budget; against a
    baseline binary (SHMVIZ_BASELINE) when one is named."""
    bins = [("now", SHMVIZ)]
    if os.environ.get("SHMVIZ_BASELINE"):
        bins.append(("baseline", os.environ["SHMVIZ_BASELINE"]))
    res = {}
    for name, binary in bins:
        per = {}
        for k in range(a.rounds):
            rec = os.path.join(tmp, f"changing-{name}-{k}.json")
            r = subprocess.run([binary, "--record", rec, "--mode", "both", "-n",
                                a.rows, "--hold", "0.5"], capture_output=True,
                               text=True, timeout=600)
            if r.returncode != 0:
                raise RuntimeError(f"{name}: exit {r.returncode}: {r.stderr[-300:]}")
            with open(rec) as f:
                d = json.load(f)
            for run in d["runs"]:
                for ph, age in phase_staleness(run).items():
                    per.setdefault((run["name"], ph), []).append(age)
        res[name] = {k: statistics.median(v) for k, v in per.items()}
    for key in sorted(res["now"]):
        if key[1] not in ("fill", "attach", "transfer", "compute", "exit"):
            continue
        now = res["now"][key]
        txt = f"{1e3 * now:.0f} ms"
        ok, bound = None, ""
        if "baseline" in res and key in res["baseline"]:
            base = res["baseline"][key]
            txt += f" (baseline {1e3 * base:.0f} ms)"
            # not worse: at most the baseline plus one default interval
            bound = "<= baseline + 100 ms"
            ok = now <= base + 0.1
        t.add("10", f"changing state: mean age of the PSS figures shown in {key[0]}'s "
              f"{key[1]} phase, default budget (median of {a.rounds})", txt, bound, ok,
              "a figure read at its tick or exact counts 0; estimated or held, "
              "the time since its read")


def pct(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, int(q * len(v)))] if v else None


def part_estimates(t, a, tmp):
    """Issue 17: the error of the estimates between reads, per phase, where a
    read replaced one (est_error_kb), as a share of the tree's ΣPSS then."""
    runs = [("native copy", ["--mode", "copy", "-n", a.rows]),
            ("native shared", ["--mode", "shared", "-n", a.rows]),
            ("native cow, 30% written", ["--mode", "cow", "--cow-write", "30",
                                         "-n", a.rows])]
    py = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else "python3"
    if subprocess.run([py, "-c", "import numpy"], capture_output=True).returncode == 0:
        runs.append(("python copy", ["--workload", "python", "--mode", "copy",
                                     "-n", a.py_rows]))
    for name, args in runs:
        errs = {}
        for k in range(a.rounds):
            rec = os.path.join(tmp, f"est-{k}.json")
            r = subprocess.run([SHMVIZ, "--record", rec, "-i", "20", "--hold", "0.5",
                                *args], capture_output=True, text=True, timeout=900)
            if r.returncode != 0:
                raise RuntimeError(f"{name}: exit {r.returncode}: {r.stderr[-300:]}")
            with open(rec) as f:
                run = json.load(f)["runs"][0]
            for x in run["samples"]:
                tot = x["total"]["pss_kb"]
                ph = [p["name"] for p in run["phases"]
                      if p["start_s"] <= x["t"] and (p["end_s"] is None or x["t"] <= p["end_s"])]
                for p in x["procs"]:
                    e = p.get("est_error_kb")
                    if e is not None and tot:
                        errs.setdefault(ph[-1] if ph else "(before the first phase)", []).append(abs(e) / tot)
        if not errs:
            t.add("17", f"estimate error, {name}, -i 20: no read replaced an estimate",
                  "-", "", None)
        for ph, v in sorted(errs.items()):
            p95 = pct(v, 0.95)
            t.add("17", f"estimate error, {name}, {ph} phase, -i 20 "
                  f"({len(v)} reads after estimates, {a.rounds} runs): median / p95 of ΣPSS",
                  f"{100 * statistics.median(v):.2f}% / {100 * p95:.2f}%", "p95 <= 5%",
                  p95 <= 0.05)


def part_scale(t, a, tmp):
    """Issue 10: 64 processes x 32 MB shared, held, default budget."""
    rows = str(a.scale_mb * 1024 * 1024 // 24)
    d, hold, share, span, exact, cons = held_tree(
        os.path.join(tmp, "scale.json"),
        ["--mode", "shared", "-w", str(a.scale_procs - 1), "-n", rows, "--hold",
         a.steady_hold])
    whole = d["sampler"]["cpu_pct"]
    ages = [x["t"] - p["smaps_t"] for x in hold for p in x["procs"]
            if p.get("smaps_t") is not None]
    t.add("10", f"scale: {a.scale_procs} procs x {a.scale_mb} MB shared, held: "
          f"shmviz's CPU in the hold / whole run",
          f"{100 * share:.2f}% / {whole:.2f}% of a core", "", None)
    t.add("10", "scale: hold figures exact or read / samples consistent / "
          "mean age of a figure's read",
          f"{100 * exact:.1f}% / "
          f"{100 * cons:.1f}% / "
          f"{statistics.mean(ages) if ages else float('nan'):.1f} s", "", None,
          "an exact figure is as true as a read: its age is how long nothing moved")


def bounded(x):
    """Whether a sample's ΣPSS is known within 1% (or 256 KiB)."""
    tot = x["total"]
    b, p = tot.get("pss_bound_kb"), tot.get("pss_kb")
    return b is not None and p is not None and b <= max(256, 0.01 * p)


def window_shares(reads, window):
    """shmviz's CPU share of a core over every window of `window` s in the
    readings (one starting at each reading); returns the largest and where
    it starts (s after the first reading)."""
    worst, at = 0.0, 0.0
    j = 0
    for i, (ti, ci) in enumerate(reads):
        while j < len(reads) and reads[j][0] < ti + window:
            j += 1
        if j >= len(reads):
            # a run shorter than the window: the whole run
            if i == 0 and len(reads) > 1 and reads[-1][0] > ti:
                worst = (reads[-1][1] - ci) / 1e9 / (reads[-1][0] - ti)
            break
        tj, cj = reads[j]
        share = (cj - ci) / 1e9 / (tj - ti)
        if share > worst:
            worst, at = share, ti - reads[0][0]
    return worst, at


def part_bigtree(t, a, tmp):
    """Issue 23 item 4: hundreds of processes sharing gigabytes
    (tests/helpers/shmfork: MIB of shared anonymous memory written by the
    parent, N children that read every page, a hold), default budget (5%)
    and interval (100 ms): shmviz's CPU over every 10 s window, its longest
    tick, and how often ΣPSS was known within 1%."""
    mib, n, hold = a.big
    rec = os.path.join(tmp, "bigtree.json")
    reads = watch_schedstat([SHMVIZ, "--record", rec, "--", SHMFORK,
                             str(mib), str(n), str(hold)])
    with open(rec) as f:
        d = json.load(f)
    run, s = d["runs"][0], d["sampler"]
    budget = s["budget_pct"]
    worst, at = window_shares(reads, 10.0)
    t.add("23", f"bigtree: {n + 1} procs sharing {mib} MiB: shmviz's CPU over "
          f"every 10 s window, the worst (at {at:.0f} s of {reads[-1][0] - reads[0][0]:.0f} s)",
          f"{100 * worst:.2f}% of a core", f"<= {budget + 1:g}%",
          worst <= (budget + 1) / 100,
          "from /proc/PID/schedstat every 0.1 s: everything shmviz did")
    t.add("23", "bigtree: the sampler's longest tick (interval 100 ms)",
          f"{s.get('tick_max_ms', float('nan')):.0f} ms", "<= 200 ms",
          s.get("tick_max_ms", 1e9) <= 2 * s["interval_ms"])
    ph = {p["name"]: p for p in run["phases"]}
    lo = ph["map"]["start_s"]
    hi = ph["hold"]["end_s"] if "hold" in ph and ph["hold"]["end_s"] else run["samples"][-1]["t"]
    span = [x for x in run["samples"] if lo <= x["t"] <= hi]
    times = [lo] + [x["t"] for x in span if bounded(x)] + [hi]
    gap = max(b - a_ for a_, b in zip(times, times[1:]))
    t.add("23", f"bigtree: the longest time without a ΣPSS bound within 1%, map and "
          f"hold phases ({hi - lo:.0f} s; {sum(map(bounded, span))} of {len(span)} "
          f"samples bounded)", f"{gap:.2f} s", "<= 2 s", gap <= 2.0,
          "the run's exit (processes tearing 2 GiB down) is left out: "
          "members that exit take shares with them")
    peak = run["peak"]
    t.add("23", "bigtree: peak ΣPSS / the shared memory the tree held; samples whose "
          "ΣPss_Shmem came from the objects' sizes",
          f"{peak['pss_kb'] / 1024:.0f} MiB (±{(peak.get('pss_bound_kb') or 0) / 1024:.1f}) / "
          f"{mib} MiB; {s.get('obj_ticks', 0)} of {s['ticks']}", "", None,
          f"{s['pss_reads']} smaps_rollup reads of {s['pss_read_ms']:.1f} ms on average")


def phase_span(run, name):
    ph = [p for p in run["phases"] if p["name"] == name]
    if not ph or ph[0]["end_s"] is None:
        return None
    return ph[0]["end_s"] - ph[0]["start_s"]


def part_workloads(t, a, tmp):
    """Rounds of (nansum, plain pipe copy, shmviz --mode both): the machine
    is shared, so each figure is compared with its baseline measured next
    to it, and the medians over the rounds are reported."""
    rec = os.path.join(tmp, "both.json")
    nans, pipes, ccpu, rates, copy_ccpu = [], [], [], [], []
    for _ in range(a.rounds):
        nans.append(run_bench("nansum", a.mb, 3)["nansum_cpu_s"])
        pipes.append(run_bench("pipe", a.mb, 1)["pipe_bytes_per_s"])
        r = subprocess.run([SHMVIZ, "--record", rec, "--mode", "both", "-n",
                            a.rows, "--hold", "0"], capture_output=True,
                           text=True, timeout=1800)
        if r.returncode != 0:
            raise RuntimeError(f"shmviz --mode both exited {r.returncode}: "
                               f"{r.stderr[-500:]}")
        with open(rec) as f:
            d = json.load(f)
        runs = {x["name"]: x for x in d["runs"]}
        shared, copy = runs["shared"], runs["copy"]
        ccpu.append(shared["result"]["compute_cpu_s"])
        copy_ccpu.append(copy["result"]["compute_cpu_s"] or 0)
        rates.append(d["config"]["bytes"] * copy["workers"] /
                     phase_span(copy, "transfer"))
    med = statistics.median
    ratio = med(c / n for c, n in zip(ccpu, nans))
    t.add("4", f"shared compute CPU per worker (slowest of {shared['workers']}) / "
          f"one in-process nansum ({1e3 * med(ccpu):.1f} vs "
          f"{1e3 * med(nans):.1f} ms; median of {a.rounds})",
          f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5)
    rratio = med(r / p for r, p in zip(rates, pipes))
    t.add("4", f"copy transfer / plain pipe copy ({copy['workers']} x "
          f"{d['config']['bytes'] / 1e6:.0f} MB at {med(rates) / 1e6:.0f} MB/s "
          f"vs {med(pipes) / 1e6:.0f} MB/s; median of {a.rounds})",
          f"{rratio:.2f}x", ">= 0.5x", rratio >= 0.5)
    if all(copy_ccpu):
        t.add("4", "copy compute CPU per worker / one in-process nansum",
              f"{med(c / n for c, n in zip(copy_ccpu, nans)):.2f}x", "", None)


def part_ui(t, a, tmp):
    frame = os.environ.get("SHMVIZ_FRAME_BENCH", "")
    if not frame or not os.access(frame, os.X_OK):
        t.add("5", "TUI frame 200x50 on a pseudo-terminal, median", "not measured",
              "<= 1 ms", None, "no TUI frame benchmark in this build "
              "(ui/tui.c is a placeholder on this branch)")
        return
    r = subprocess.run([frame, str(a.frames)], capture_output=True, text=True,
                       timeout=600)
    if r.returncode != 0:
        raise RuntimeError(f"frame bench exited {r.returncode}: {r.stderr[-500:]}")
    f = kv(r.stdout)
    t.add("5", f"TUI frame 200x50 on a pseudo-terminal, median of "
          f"{int(f['frames'])} ({f['frame_bytes']:.0f} bytes a frame)",
          f"{f['frame_median_ms']:.3f} ms", "<= 1 ms", f["frame_median_ms"] <= 1.0)


def part_rss(t, a, tmp):
    args = ["--mode", "shared", "-w", "2", "-n", "200k", "--hold",
            a.rss_s, "-i", "100"]
    w, d = shmviz_watch(tmp, "rss", args)
    peak = max(w["watch_hwm_kb"], w["watch_rss_max_kb"])
    t.add("5", f"shmviz's own RSS through a {w['watch_wall_s'] / 60:.1f}-minute "
          f"recording at 100 ms (peak; {d['sampler']['ticks']} ticks)",
          f"{peak / 1024:.1f} MB", "< 16 MB", peak < 16 * 1024)
    mins = sorted(int(k[len("watch_rss_min"):-3]) for k in w
                  if k.startswith("watch_rss_min"))
    if mins:
        at = {m: w[f"watch_rss_min{m}_kb"] for m in mins}
        t.add("5", "RSS at each minute, kB",
              " ".join(f"{m}:{at[m]:.0f}" for m in mins), "", None,
              "the model keeps at most MODEL_POINTS_MAX (4096) graph points a "
              "run (then neighbours merge) and only the newest frame; the "
              "recorder streams each sample out; so RSS grows until tick 4096 "
              "(6.8 minutes at 100 ms) and then stays flat")
        late = [m for m in mins if m >= 7]
        if len(late) >= 2:
            grow = at[late[-1]] - at[late[0]]
            t.add("5", f"RSS growth from minute {late[0]} to minute {late[-1]} "
                  "(past the graph's point cap)", f"{grow:+.0f} kB", "", None)


def part_peers(t, a, tree, tick):
    have = {p: shutil.which(p) for p in ("smem", "smemstat")}
    shm_full = tick["full_shmviz_us"] / 1e6
    shm_cnt = tick["counters_shmviz_us"] / 1e6
    pids = ",".join(map(str, tree.pids))
    env = dict(os.environ, LC_ALL="C")
    for name, argv in (("smemstat", ["smemstat", "-p", pids, "-q", "-o",
                                     "/dev/null"]),
                       ("smem", ["smem", "-P", "^" + BENCH + " tree"])):
        if not have[name]:
            t.add("6", f"{name} reading the same {len(tree.pids)} processes once",
                  "not installed", "", None, "run.sh installs it unless --no-install")
            continue
        cpu, wall = child_cpu(argv, 3, env=env)
        t.add("6", f"{name} reading the same {len(tree.pids)} processes once "
              f"({1e3 * cpu:.1f} ms CPU, {1e3 * wall:.0f} ms wall) / shmviz full tick "
              f"({1e3 * shm_full:.1f} ms)",
              f"{cpu / shm_full:.2f}x", "", None,
              "" if name != "smem" else
              "smem is Python: its CPU includes the interpreter's start and a "
              "cmdline read of every process it filters")
    if have["smemstat"] or have["smem"]:
        t.add("6", "shmviz counters-only tick (what runs between PSS passes)",
              f"{1e3 * shm_cnt:.2f} ms", "", None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--short", action="store_true",
                    help="small sizes, no bounds judged")
    ap.add_argument("--markdown", help="also write the table to this file")
    ap.add_argument("--truth", action="store_true",
                    help="only the parts of issue 10 (steady, changing, scale)")
    ap.add_argument("--only", action="append", default=[], metavar="PART",
                    help="only this part (e.g. estimates, steady; repeatable)")
    a = ap.parse_args()
    if not SHMVIZ or not BENCH:
        sys.exit("bench.py: SHMVIZ and SHMVIZ_BENCH must name the binaries "
                 "(tests/bench/run.sh sets them)")
    a.procs = 5
    if a.short:
        a.mb, a.rows, a.reps, a.hold, a.rss_s, a.frames, a.rounds = \
            8, "350k", 10, "1", "2", 50, 1
        a.steady_hold, a.scale_procs, a.scale_mb = "3", 8, 4
        a.big = (64, 20, 3)
        a.py_rows = "200k"
    else:
        a.mb, a.rows, a.reps, a.hold, a.rss_s, a.frames, a.rounds = \
            240, "10M", 200, "10", "600", 1000, 5
        a.steady_hold, a.scale_procs, a.scale_mb = "20", 64, 32
        a.big = (2048, 200, 40)
        a.py_rows = "2M"
    # -n rows are 24 bytes: 10M rows and 350k rows are the tree's 240 and 8 MB
    t = Table(a.short)
    started = datetime.datetime.now().astimezone()
    where = machine()
    print(f"shmviz benchmark, {started:%Y-%m-%d %H:%M %Z}: {where}", file=sys.stderr)
    failed = []
    tmp = tempfile.mkdtemp(prefix="shmviz-bench-")
    try:
        tick = None
        if a.only:
            for name in a.only:
                part = globals().get("part_" + name)
                if not part or name in ("tick", "scan", "peers"):
                    raise SystemExit(f"bench.py: --only {name}: no such part "
                                     "(tick, scan and peers run together)")
                try:
                    part(t, a, tmp)
                except Exception as e:
                    failed.append(f"{part.__name__}: {e}")
            raise StopIteration
        if a.truth:
            for part in (part_steady, part_changing, part_scale, part_estimates):
                try:
                    part(t, a, tmp)
                except Exception as e:
                    failed.append(f"{part.__name__}: {e}")
            raise StopIteration
        with Tree(a.procs, a.mb) as tree:
            for part in (part_tick, part_smaps, part_scan):
                try:
                    r = part(t, a, tree)
                    if part is part_tick:
                        tick = r
                except Exception as e:  # one part failing still prints the rest
                    failed.append(f"{part.__name__}: {e}")
            if tick:
                try:
                    part_peers(t, a, tree, tick)
                except Exception as e:
                    failed.append(f"part_peers: {e}")
        for part in (part_budget, part_steady, part_changing, part_scale, part_bigtree,
                     part_estimates, part_workloads, part_groups, part_ui, part_rss):
            try:
                part(t, a, tmp)
            except Exception as e:
                failed.append(f"{part.__name__}: {e}")
    except StopIteration:
        pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    table, notes = t.render()
    mode = "short mode: sizes too small to judge, no bound judged" if a.short else "full"
    text = [f"shmviz benchmark ({mode}), {started:%Y-%m-%d %H:%M %Z}",
            f"machine: {where}", "", table, ""]
    if notes:
        text += ["notes:"] + [f"- {n}" for n in notes] + [""]
    for f in failed:
        text.append(f"FAILED TO RUN: {f}")
    print("\n".join(text))
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write("\n".join(text) + "\n")
    if failed:
        return 1
    if not a.short and t.missed():
        return 3
    return 0


if __name__ == "__main__":
    # stopped: unwind, so that the tree is stopped and the temporary
    # directory removed by the with and finally blocks
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))
    sys.exit(main())
