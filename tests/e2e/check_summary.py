"""Checks the summary a headless run prints against its recording: every
cell of the table (result, wall, compute and CPU time, peak ΣPSS, ΣRSS,
ΣUSS, the shared part, the kernel's peak, tracemalloc, the sharing decay
and the ratio columns), the projection line, the rounds' median [min,
max] (from the recorded rounds), the sampler line and the header (its
workers counted in the samples, its size from -n) are what the recording's
figures print as (the rules of src/report/summary.c and src/util/fmt.c, written again
here), so a row printing another figure, a ratio upside down or a wrong
unit fails.

With --cols N (a summary printed for N columns: a terminal's width or
$COLUMNS), no line may be wider than N unless it is one word, and the text
is read as one wide table and one line a note: the table's blocks joined
row by row, each note's lines (those after its first start with two
spaces) joined by a space (unfold()).

usage: check_summary.py SUMMARY.txt RECORDING.json [--cols N]
Exit 0 when every cell matches; prints each mismatch otherwise."""

import json
import math
import re
import sys

LABEL_W = 21   # the label column, at least


def fmt_kb_long(kb):
    if kb < 0:
        return "unreadable"
    v, u, units = float(kb), 0, "KMGTP"
    while v >= 1024.0 and u + 1 < len(units):
        v /= 1024.0
        u += 1
    if v < 9.95 and u > 0:
        return f"{v:.1f} {units[u]}iB"
    return f"{v:.0f} {units[u]}iB"


def fmt_seconds(s):
    if not math.isfinite(s) or s < 0:
        return "?"
    if s < 0.001:
        return f"{s * 1e6:.0f} us"
    if s < 0.1:
        return f"{s * 1e3:.0f} ms"
    if s < 10:
        return f"{s:.2f} s"
    if s < 100:
        return f"{s:.1f} s"
    if s < 600:
        return f"{s:.0f} s"
    return f"{int(s / 60)} m {int(math.fmod(s, 60)):02d} s"


def fmt_ratio(r):
    """fmt_ratio (src/util/fmt.c): below 0.095 two significant digits
    (1/115 is 0.0087x, never 0.0x)"""
    if not math.isfinite(r) or r <= 0:
        return "?"
    if r < 0.095:
        # two significant digits: 1/115 is 0.0087x, never 0.0x
        return "%.2gx" % r
    return f"{r:.1f}x" if r < 10 else f"{r:.0f}x"


def factor(r):
    """summary_factor (src/report/summary.c): b/a as the strip says it,
    "233× less", "3.0× more", "as much" """
    if not math.isfinite(r) or r <= 0:
        return "?"
    f = fmt_ratio(r if r >= 1 else 1 / r).replace("x", "\u00d7")
    return "as much" if f == "1.0\u00d7" else f + (" more" if r >= 1 else " less")


def factor_range(lo, hi):
    """ratio_range: "2.9-3.1× less", "2.9-3.1× more", "0.9-1.1×" across 1,
    "3.1× less" when both ends read the same"""
    less, more = hi < 1, lo > 1
    a = fmt_ratio(1 / hi if less else lo)
    b = fmt_ratio(1 / lo if less else hi).replace("x", "\u00d7")
    a = a[:a.index("x")]
    # the same figure twice is one: "3.1× less"
    return ("" if b.startswith(a + "\u00d7") else a + "-") + b + \
        (" less" if less else " more" if more else "")


def peak_table(r):
    """the processes of the sample of the run's smaps peak (the highest
    ΣPSS - bound, the first such; src/core/model.c), by PSS, as the
    summary prints them for a command or an attached tree"""
    best, best_lo = None, None
    for s in r["samples"]:
        t = s["total"]
        alive = [p for p in s["procs"] if p["state"] != "x" and p["smaps"] != "gone"]
        if t["pss_bound_kb"] is None or t["pss_kb"] is None or not alive:
            continue
        lo = t["pss_kb"] - t["pss_bound_kb"]
        if best is None or lo > best_lo:
            best, best_lo = s, lo
    if best is None:
        return []
    procs = [p for p in best["procs"] if p["state"] != "x" and p["smaps"] != "gone"]
    procs.sort(key=lambda p: (-(p["pss_kb"] if p["pss_kb"] is not None else -1), p["pid"]))
    n = len(procs)
    out = [f"{r['name']} at its peak ΣPSS ({fmt_seconds(best['t'])}): {n} process{'' if n == 1 else 'es'}",
           "%8s %-7s %10s %10s %10s  %s" % ("pid", "role", "PSS", "USS", "RSS", "command")]

    def kb(v):
        return fmt_kb_long(-1 if v is None else v)
    for p in procs[:10]:
        pc, pd = p["private_clean_kb"], p["private_dirty_kb"]
        uss = None if pc is None or pd is None else pc + pd
        out.append("%8d %-7s %10s %10s %10s  %s" % (p["pid"], p["role"], kb(p["pss_kb"]), kb(uss),
                                                   kb(p["rss_now_kb"]), p["comm"]))
    if n > 10:
        out.append("%8s and %d more" % ("", n - 10))
    return out


def tokens(line):
    """(start, end, text) of each stretch of the line that holds no two
    spaces in a row: a label or a cell"""
    return [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", line)]


def cells(line, header):
    """the cells of a row of the table after its label, each checked to
    end where the header's cell of its column ends (cells right-aligned
    under their header, two spaces apart at least: a cell that runs into
    the next reads as one and is out of its column); None when not"""
    toks = tokens(line)
    if line[:1] != " ":
        toks = toks[1:]
    ends = [e for _, e, _ in tokens(header)]
    if len(toks) > len(ends) or toks and toks[0][0] < LABEL_W:
        return None
    if any(e != ends[k] for k, (_, e, _) in enumerate(toks)):
        return None
    return [t for _, _, t in toks]


def unfold(text, cols, failures):
    """text printed for cols columns as it reads without a limit: the
    table's blocks (each under a header of its own that starts with the
    empty label) joined, the wrapped notes joined; each line wider than
    cols with a space in it is a failure (but a row of the peak's
    processes, whose command is never cut)"""
    def width_ok(line):
        if len(line) > cols and " " in line.strip():
            failures.append(f"wider than {cols} columns: {line!r}")

    hidx = next((k for k, l in enumerate(text) if l.startswith("result ")), 0) - 1
    if hidx < 0:
        return text
    end = hidx
    while end < len(text) and text[end].strip():
        end += 1
    table = text[hidx:end]
    # the label column: its widest label and a space, LABEL_W at least
    labw = max([LABEL_W] + [len(tokens(t)[0][2]) + 1 for t in table[1:] if tokens(t)])
    out = []
    for line in text[:hidx]:   # the header line
        if re.match(r"  \S", line) and out and out[-1].strip():
            out[-1] += " " + line[2:]
        else:
            out.append(line)
    i = end
    # a block below: a blank line, then a header of the empty label
    while i + 1 < len(text) and text[i] == "" and text[i + 1].startswith(" " * labw) and \
            text[i + 1].strip():
        width = len(table[0])
        j = i + 1
        rows = {}
        while j < len(text) and text[j].strip():
            rows[text[j][:labw].strip()] = text[j][labw:]
            j += 1
        table = [t.ljust(width) + rows.pop(t[:labw].strip(), "") for t in table]
        if rows:
            failures.append(f"rows of a block not in the first: {sorted(rows)}")
        i = j
    for line in text[:i]:
        width_ok(line)
    out += table
    procs = rounds = False
    for line in text[i:]:
        if line.startswith("median [min, max]"):
            rounds = True
        elif " at its peak \u03a3PSS (" in line:
            procs = True
        elif not line.strip():
            procs = False
        elif not line.startswith("  "):
            rounds = False
        if not procs:
            width_ok(line)
        if re.match(r"  \S", line) and not rounds and not procs and out and out[-1].strip():
            out[-1] += " " + line[2:]
        else:
            out.append(line)
    return out


# bytes of one unit of -n (docs/workloads.md): a native or Python record of
# 24 bytes, a prefork str object of 80
UNIT_BYTES = {"native": (24, "rows"), "python": (24, "rows"), "prefork": (80, "objects")}


def header(text, d, failures, screen):
    """the summary's first line (summary_header): the workload, its
    workers counted in the samples (workers of the native workload), its
    -n and the table's size from -n's bytes a unit (never the recorded
    size taken on trust), the interval. A terminal's capture (screen:
    --cols) may have scrolled it away: there only a header shown counts"""
    cfg = d["config"]
    got = [l for l in text if l.startswith("shmviz ") and ", sampled every " in l]
    if screen and not got:
        return
    head = "shmviz %s: " % d["shmviz"]["version"]
    tail = ", sampled every %d ms" % cfg["interval_ms"]
    wl = cfg["workload"]
    if wl in ("command", "attach"):
        want = head + d["runs"][0]["label"] + tail
        if any(ord(c) < 0x20 or c == "\x7f" for c in want):
            return  # a label with controls is shown sanitized (hostiletext.sh)
    elif wl == "compare":
        want = head + "two commands" + tail
    elif wl in UNIT_BYTES:
        size, unit = UNIT_BYTES[wl]
        workers = cfg["workers"]
        if wl == "native":
            n = max((sum(p["role"] == "worker" for p in s["procs"])
                     for r in d["runs"] for s in r["samples"]), default=0)
            if n != workers:
                failures.append(f"config.workers {workers}, the samples hold {n} workers")
        if cfg["bytes"] != cfg["rows"] * size:
            failures.append(f"config.bytes {cfg['bytes']}, {cfg['rows']} {unit} of {size} bytes "
                            f"are {cfg['rows'] * size}")
        want = head + "%s workload, %d worker%s, %d %s (%s)" % (
            wl, workers, "" if workers == 1 else "s", cfg["rows"], unit,
            fmt_kb_long(cfg["rows"] * size // 1024)) + tail
    else:
        failures.append(f"workload {wl!r}: no header known")
        return
    if got[:1] != [want]:
        failures.append(f"header: printed {got[:1]}, the run gives [{want!r}]")


def main():
    text = open(sys.argv[1], encoding="utf-8").read().splitlines()
    with open(sys.argv[2], encoding="utf-8") as f:
        d = json.load(f)
    runs = d["runs"]
    failures = []
    if len(sys.argv) > 4 and sys.argv[3] == "--cols":
        text = unfold(text, int(sys.argv[4]), failures)

    # the header row has an empty label: the line before "result"
    hidx = next((i for i, l in enumerate(text) if l.startswith("result ")), 0) - 1
    head = text[hidx] if hidx >= 0 else ""

    def row(label):
        for line in text:
            if line.startswith(label) and line[len(label):LABEL_W].strip() == "":
                got = cells(line, head)
                if got is None:
                    failures.append(f"row '{label}' is not aligned under the header:\n{head}\n{line}")
                return got
        failures.append(f"no row '{label}'")
        return None

    def done(r):
        return r["state"] == "done"

    def has_compute(r):
        return any(p["name"] == "compute" for p in r["phases"])

    def seconds(r, what):
        res = r["result"]
        if what == "wall":
            return res["wall_s"] if res["wall_s"] is not None else -1
        if what == "compute":
            return res["compute_s"] if has_compute(r) else -1
        if res["cpu_user_s"] is None or res["cpu_sys_s"] is None:
            return -1   # an attached tree: no child of shmviz, not measured
        return res["cpu_user_s"] + res["cpu_sys_s"]

    def want_seconds(what):
        out = [fmt_seconds(seconds(r, what)) if done(r) and seconds(r, what) >= 0
               else "-" for r in runs]
        a = runs[0]
        for b in runs[1:]:
            ga, gb = seconds(a, what), seconds(b, what)
            out.append(factor(gb / ga) if done(a) and done(b) and ga > 0 and gb >= 0
                       else "-")
        return out

    def kb_of(r, key):
        if key == "shared":
            # what the peak sample's processes share: ΣPSS - ΣUSS
            pss, uss = r["peak"]["pss_kb"], r["peak"]["uss_kb"]
            return -1 if pss is None or uss is None else pss - uss
        v = r["peak"][key]
        return -1 if v is None else v

    def has_peak(r):
        # a sample with a known bound (docs/recording.md, "Bounds");
        # recordings before bounds: a consistent sample
        if "pss_bound_kb" in r["peak"]:
            return r["peak"]["pss_bound_kb"] is not None
        return bool(r["peak"]["consistent_samples"])

    def high(r):
        # the peak's upper end (docs/recording.md, "The peak's upper end",
        # check_recording.py checks it against the samples); None: a chain
        # of samples broke (null), older recordings: the peak's own
        pk = r["peak"]
        own = pk["pss_kb"] + pk["pss_bound_kb"]
        if "pss_high_kb" not in pk:
            return own
        return None if pk["pss_high_kb"] is None else max(own, pk["pss_high_kb"])

    def wide(r):
        pk = r["peak"]
        if not has_peak(r) or pk.get("pss_bound_kb") is None or pk["pss_kb"] is None:
            return False
        tight = max(pk["pss_kb"] // 100, 256)
        return pk["pss_bound_kb"] > tight or high(r) is None or high(r) > pk["pss_kb"] + tight

    def low(r):
        return max(0, r["peak"]["pss_kb"] - r["peak"]["pss_bound_kb"])

    def seen(r):
        # a sample held a process's memory: else no figure (n/c), not 0
        return (r["peak"]["rss_sum_kb"] or 0) > 0

    def want_kb(key, from_smaps):
        out = []
        for r in runs:
            partial = from_smaps and r["peak"]["pss_partial"]
            ticks = len(r["samples"])
            if not ticks:
                out.append("-")
            elif (from_smaps and not has_peak(r)) or not seen(r):
                # never a process sampled: no figure, not 0
                out.append("n/c")
            elif partial and kb_of(r, key) <= 0:
                out.append("?")
            elif key == "pss_kb" and wide(r):
                # a peak wider than one moment: its lower bound
                out.append("\u2265" + fmt_kb_long(low(r)) + ("+" if partial else ""))
            else:
                out.append(fmt_kb_long(kb_of(r, key)) + ("+" if partial else ""))
        a = runs[0]
        for b in runs[1:]:
            both = len(a["samples"]) and len(b["samples"])
            if both and ((from_smaps and (not has_peak(a) or not has_peak(b))) or
                         not seen(a) or not seen(b)):
                out.append("-")
            elif from_smaps and both and (a["peak"]["pss_partial"] or
                                          b["peak"]["pss_partial"]):
                out.append("?")
            elif key == "pss_kb" and both and (wide(a) or wide(b)):
                ahi, bhi = high(a), high(b)
                if low(a) <= 0 or low(b) <= 0 or ahi is None or bhi is None:
                    out.append("?")
                else:
                    out.append(factor_range(low(b) / ahi, bhi / low(a)))
            elif both and kb_of(a, key) > 0:
                out.append(factor(kb_of(b, key) / kb_of(a, key)))
            else:
                out.append("-")
        return out

    names = [r["name"] for r in runs]
    names_want = names + [f"{r['name']}/{runs[0]['name']}" for r in runs[1:]]
    checks = [
        ("", names_want),
        ("result", [("watched " + fmt_seconds(r["result"]["wall_s"])
                     if d["config"]["workload"] == "attach" else "ok")
                    if done(r) else r["state"] for r in runs]),
        ("wall time", want_seconds("wall")),
        ("compute time", want_seconds("compute")),
        ("CPU time", want_seconds("cpu")),
        ("peak ΣPSS", want_kb("pss_kb", True)),
        ("peak ΣRSS", want_kb("rss_sum_kb", False)),
        ("peak ΣUSS", want_kb("uss_kb", True)),
        ("shared (ΣPSS-ΣUSS)", want_kb("shared", True)),
    ]
    # the kernel's peak of each run's cgroup (runs[].kernel_peak.kb), a
    # row only when a run has one: "-" where a run has none
    kpk = [(r.get("kernel_peak") or {}).get("kb") for r in runs]
    if any(k is not None for k in kpk):
        want = [fmt_kb_long(k) if k is not None else "-" for k in kpk]
        want += [factor(b / kpk[0]) if kpk[0] is not None and kpk[0] > 0 and b is not None
                 else "-" for b in kpk[1:]]
        checks.append(("kernel peak (cgroup)", want))
    elif any(l.startswith("kernel peak (cgroup) ") for l in text):
        failures.append("a kernel peak row, yet no run has a kernel peak")
    # tracemalloc's peak (result.tracemalloc_peak_kb), rounded to a KiB
    tm = [r["result"].get("tracemalloc_peak_kb") for r in runs]
    if any(t is not None for t in tm):
        want = [fmt_kb_long(int(t + 0.5)) if t is not None else "-" for t in tm]
        want += [factor(b / tm[0]) if tm[0] is not None and tm[0] > 0 and b is not None
                 else "-" for b in tm[1:]]
        checks.append(("tracemalloc", want))
    elif any(l.startswith("tracemalloc ") for l in text):
        failures.append("a tracemalloc row, yet no run reported tracemalloc")
    # the sharing decay (runs[].decay.tree), rows only when a run's tree
    # lost 1 MiB or more of its shared part (DECAYREP_SHOWN_KB)
    trees = [(r.get("decay") or {}).get("tree") for r in runs]
    if any(t is not None and t["shared_start_kb"] - t["shared_min_kb"] >= 1024 for t in trees):
        checks.append(("shared part lost",
                       [fmt_kb_long(t["shared_start_kb"] - t["shared_min_kb"]) if t else "-"
                        for t in trees]))
        checks.append(("lost at", ["%.1f MiB/s" % (t["rate_kb_s"] / 1024) if t else "-"
                                   for t in trees]))
        checks.append(("shared half-life",
                       [("not yet" if t["half_life_s"] is None else fmt_seconds(t["half_life_s"]))
                        if t else "-" for t in trees]))
    elif any(l.startswith(("shared part lost ", "lost at ", "shared half-life ")) for l in text):
        failures.append("decay rows, yet no run's tree lost 1 MiB of its shared part")
    # the header row has an empty label: the line before "result"
    # every row of the table, those not checked below too (the kernel's
    # peak, the decay's "lost at 14.5 MiB/s"), under its header's columns
    for line in text[hidx + 1:]:
        if not line.strip():
            break
        if cells(line, head) is None:
            failures.append(f"a row is not aligned under the header:\n{head}\n{line}")
    for label, want in checks:
        got = cells(head, head) if label == "" else row(label)
        if got is not None and got != want:
            failures.append(f"row '{label or 'names'}': printed {got}, the recording says {want}")

    if d["config"]["workload"] in ("command", "attach"):
        for r in runs:
            want = peak_table(r)
            at = next((i for i, l in enumerate(text) if l == want[0]), None)
            got = text[at:at + len(want)] if at is not None else []
            if got != want:
                failures.append(f"peak table of {r['name']}: printed {got}, the recording says {want}")

    # --project N: each run's projection, computed here from its parts
    # (runs[].projection: shared_kb + N x worker_private_kb)
    pj = [r.get("projection") for r in runs]
    got = [l for l in text if l.startswith("at ") and "(a projection" in l]
    if any(pj):
        n = pj[0]["workers"]

        def proj(p):
            if p is None or p["shared_kb"] is None or p["worker_private_kb"] is None:
                return "not sampled"
            return fmt_kb_long(p["shared_kb"] + n * p["worker_private_kb"])
        want = "at %d worker%s: %s (a projection, not a measure: each run's shared part " \
            "once + %d \u00d7 its worst worker's private part, from its consistent samples)" % (
                n, "" if n == 1 else "s",
                ", ".join("%s %s" % (proj(p), r["name"]) for p, r in zip(pj, runs)), n)
        if got != [want]:
            failures.append(f"projection: printed {got}, the recording says [{want!r}]")
    elif got:
        failures.append(f"a projection line without --project: {got}")

    # --repeat N: each run's median [min, max] over its rounds, computed
    # here from the recorded rounds (not the recorded statistics)
    rep = d.get("repeat")
    if rep and d["config"].get("repeat", 1) > 1:
        def med(v):
            v = sorted(v)
            k = len(v)
            return v[k // 2] if k % 2 else (v[k // 2 - 1] + v[k // 2]) / 2
        want = []
        for key, name in (("wall_s", "wall time"), ("cpu_s", "CPU time"),
                          ("peak_pss_kb", "peak \u03a3PSS")):
            for r in rep["runs"]:
                v = [x[key] for x in r["rounds"] if x["ok"] and x[key] is not None and x[key] >= 0]
                if not v:
                    continue
                # (the label's column is 14 wide on the screen: Σ is one)
                if key == "peak_pss_kb":
                    f = [fmt_kb_long(int(x)) for x in (med(v), min(v), max(v))]
                else:
                    f = [fmt_seconds(x) for x in (med(v), min(v), max(v))]
                want.append("  %-14s %-10s %s [%s, %s]" % (name, r["name"], *f))
        at = next((i for i, l in enumerate(text) if l.startswith("median [min, max]")), None)
        got = text[at + 1:at + 1 + len(want)] if at is not None else []
        if got != want:
            failures.append(f"rounds: printed {got}, the recorded rounds give {want}")

    header(text, d, failures, "--cols" in sys.argv)

    s, budget = d["sampler"], d["sampler"]["budget_pct"]
    pct = 100 * s["cpu_s"] / s["wall_s"] if s["wall_s"] > 0 else 0
    want = (f"sampler: {s['cpu_s']:.2f} s CPU ({pct:.1f}% of a core, budget {budget:.1f}%), "
            f"{s['pss_reads']} PSS reads, {s['counter_reads']} counter reads")
    if s["pss_reads"] > 1:
        want += f", PSS every {s['pss_interval_ms']:.0f} ms on average"
    got = [l for l in text if l.startswith("sampler: ")]
    if got != [want]:
        failures.append(f"sampler line: printed {got}, the recording says [{want!r}]")
    # a comparison whose shortest done run took under 0.1 s warns that
    # its time ratios are noise, naming that run (summary.c short_notes)
    timed = [r for r in runs if done(r) and (r["result"]["wall_s"] or 0) > 0]
    low = min(timed, key=lambda r: r["result"]["wall_s"]) if timed else None
    want = []
    if len(timed) >= 2 and low["result"]["wall_s"] < 0.1:
        want = ["warning: %s ran %s: a run this short is mostly the start of its processes"
                % (low["name"], fmt_seconds(low["result"]["wall_s"]))]
    got = [l.split(" and the scheduler")[0] for l in text if "a run this short" in l]
    if got != want:
        failures.append(f"short-run warning: printed {got}, the recording gives {want}")
    # a wide peak's note: its range and why (summary.c marks_notes)
    want = []
    for r in runs:
        if not r["samples"] or not wide(r):
            continue
        pk = r["peak"]
        why = ("the chain of samples broke (a sample missed members, or a process joined with no figure)"
               if high(r) is None
               else "the tree moved while it was read" if pk["pss_bound_kb"] > max(pk["pss_kb"] // 100, 256)
               else "the highest sample read at one moment is the first")
        want.append("\u2265: %s's peak \u03a3PSS \u2265 %s (\u2264 %s): %s"
                    % (r["name"], fmt_kb_long(max(0, pk["pss_kb"] - pk["pss_bound_kb"])),
                       "?" if high(r) is None else fmt_kb_long(high(r)), why))
    got = [l.split(", so the sum")[0].split(", but samples read")[0].split(", so the moments")[0]
           for l in text if l.startswith("\u2265: ")]
    if got != want:
        failures.append(f"peak range notes: printed {got}, the recording gives {want}")
    for f in failures:
        print("summary check failed:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
