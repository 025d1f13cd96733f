"""Checks the figures of a TUI screen (a tmux capture of the live session
that --record wrote RECORDING) against the recording's samples, each
figure's value, unit and sign rendered again here with the rules of
src/util/fmt.c (K/M/G of four columns, README "Units"):

- the title line: workers (the recording's worker processes counted), rows
  and the table's size (rows x 24 bytes, docs/workloads.md), the metric;
- each pane's header: its detail (the recorded one; its worker count the
  workers of the run's samples), a done run's wall time, a running run's
  phase and its time in it (which identifies the sample the pane shows);
- each pane's legend: private (ΣUSS), shared (ΣPSS - ΣUSS), = ΣPSS, ΣRSS
  and its overcount (ΣRSS - ΣPSS), the "hold:"/"peak:" tag of an ended run;
- each pane's process table: every row's PID, role, RSS (status VmRSS),
  PSS, Shared_Clean, Shared_Dirty, Private_Dirty and state, and how many
  processes are left out;
- the strip: once every run is done, the verdict line (times, peaks,
  factors and their words); while paused in a run, its phase, process
  count, ΣPSS, ΣRSS and the other runs' words.

A pane shows, for an ended run, the frame ui/view.c keeps (the last of the
hold phase with every process, else the one of the highest ΣPSS); for a
run paused while running, its newest sample at the pause: the sample whose
time in its phase the header shows (any of them, when two print alike).

usage: check_screen.py SCREEN RECORDING [--rows N]
Exit 0 when every figure matches (at least one pane's figures checked);
prints each mismatch otherwise."""

import json
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_summary import factor, fmt_kb_long, fmt_ratio, fmt_seconds  # noqa: E402
from peakhigh import peak_high  # noqa: E402

SIG = "\u03a3"
VAL = r"(?:[0-9.]+[KMGTP]|0|\?)"


def fmt_kb(kb):
    """fmt_kb (src/util/fmt.c): a size in five columns at most"""
    if kb is None or kb < 0:
        return "?"
    if kb == 0:
        return "0"
    v, u, units = float(kb), 0, "KMGTP"
    while v >= 1024.0 and u + 1 < len(units):
        v /= 1024.0
        u += 1
    if v < 9.95 and u > 0:
        return f"{v:.1f}{units[u]}"
    return f"{v:.0f}{units[u]}"


def fmt_kb_cell(kb):
    """fmt_kb_cell (src/util/fmt.c): a table's cell, in four columns"""
    if kb is None or kb <= 0:
        return fmt_kb(kb)
    v, u, units = float(kb), 0, "KMGTP"
    while v >= 1024.0 and u + 1 < len(units):
        v /= 1024.0
        u += 1
    if v >= 999.5 and u + 1 < len(units):
        v /= 1024.0
        u += 1
    if v < 9.95 and u > 0:
        return f"{v:.1f}{units[u]}"
    return f"{v:.0f}{units[u]}"


def nonneg(v):
    return 0 if v is None or v < 0 else v


def kb(v):
    return -1 if v is None else v


def ratio(r):
    return fmt_ratio(r).replace("x", "\u00d7")


# ---------------------------------------------------------------- screen

def panes(lines):
    """every box on the screen: (header line, inner lines)"""
    out = []
    for y, line in enumerate(lines):
        for x, ch in enumerate(line):
            if ch != "\u256d":
                continue
            e = line.find("\u256e", x)
            if e < 0:
                continue
            inner = []
            for y2 in range(y + 1, len(lines)):
                row = lines[y2].ljust(e + 1)
                if row[x] == "\u2570":
                    break
                inner.append(row[x + 1:e])
            out.append((line[x:e + 1], inner))
    return out


# ------------------------------------------------------------- the frame

def phase_named(run, name):
    for p in run["phases"]:
        if p["name"] == name:
            return p
    return None


def kept_frame(run):
    """ui/view.c consider(): the last frame in the hold phase with every
    process seen so far, else the first of the highest ΣPSS"""
    hold = phase_named(run, "hold")
    best, best_hold, most = None, False, 0
    for s in run["samples"]:
        most = max(most, s["total"]["nprocs"])
        if not s["procs"]:
            continue
        inh = bool(hold) and s["t"] >= hold["start_s"] and \
            (hold["end_s"] is None or hold["end_s"] < 0 or s["t"] <= hold["end_s"]) and \
            s["total"]["nprocs"] >= most
        if inh or (not best_hold and (best is None or kb(s["total"]["pss_kb"]) > kb(best["total"]["pss_kb"]))):
            best, best_hold = s, inh
    return best, best_hold


def running_frames(run, phase, shown):
    """the samples a paused pane may show: its header says PHASE and the
    time since that phase began, as fmt_seconds() prints it"""
    out = []
    for s in run["samples"]:
        if phase == "starting":
            starts = [0.0] if not any(p["start_s"] <= s["t"] for p in run["phases"]) else []
        else:
            starts = [p["start_s"] for p in run["phases"] if p["name"] == phase and p["start_s"] <= s["t"]]
        if any(fmt_seconds(max(0.0, s["t"] - st)) == shown for st in starts):
            out.append(s)
    return out


# -------------------------------------------------------------- the pane

COLS = {"RSS": "rss", "PSS": "pss_kb", "Shr_Cln": "shared_clean_kb", "ShCl": "shared_clean_kb",
        "Shr_Drt": "shared_dirty_kb", "ShDr": "shared_dirty_kb",
        "Prv_Drt": "private_dirty_kb", "PvDr": "private_dirty_kb"}
ROLE_SHORT = {"parent": "par", "worker": "wkr", "helper": "hlp", "child": "chd"}
SMAPS_LONG = {"unreadable": "unreadable", "gone": "zombie", "held": "held", "none": "not read",
              "estimated": "estimated", "exact": "exact", "read": "read", "fresh": "read"}
SMAPS_SHORT = {"unreadable": "?", "gone": "Z", "held": "~", "none": ".", "estimated": "~",
               "exact": "", "read": "", "fresh": ""}


def state_text(p, ended, short):
    st = "x" if ended else p["state"]
    if st == "x":
        return "x" if short else "exited"
    if p["smaps"] == "unreadable" and not short:
        return "unreadable"
    return st + (SMAPS_SHORT[p["smaps"]] if short else " " + SMAPS_LONG[p["smaps"]])


def cell_kb(p, key):
    """ui/table.c mem_value(): RSS is status VmRSS where read; an
    unreadable process has no smaps figure"""
    if key == "rss":
        if p.get("rss_now_kb") is not None and p["rss_now_kb"] >= 0:
            return p["rss_now_kb"]
        key = "rss_kb"
    elif p["smaps"] == "unreadable":
        return -1
    return kb(p[key])


def check_pane(inner, s, tag, ended, errs):
    """the legend and the table of a pane showing sample s"""
    t = s["total"]
    text = [r.rstrip() for r in inner]
    # legend line 2 (metric PSS): the line, what top says
    l2 = [i for i, r in enumerate(text) if re.search(SIG + "RSS ", r)]
    if not l2:
        errs.append("no legend line with %sRSS" % SIG)
        return
    i2 = l2[-1]
    pss, uss, rss = nonneg(t["pss_kb"]), nonneg(t["uss_kb"]), t["rss_kb"]
    over = max(0, rss - (t["pss_kb"] if t["pss_kb"] is not None and t["pss_kb"] > 0 else 0))
    m = re.search(SIG + r"RSS (%s)(?:: what top says, (%s) too much| \(top\): (%s) overcount|, \+(%s))?(?:\s|$)"
                  % (VAL, VAL, VAL, VAL), text[i2])
    if not m:
        errs.append("legend line 2 unread: %r" % text[i2])
    else:
        if m.group(1) != fmt_kb(rss):
            errs.append("legend %sRSS %s, the sample's %s (%d KiB)" % (SIG, m.group(1), fmt_kb(rss), rss))
        shown_over = m.group(2) or m.group(3) or m.group(4)
        if shown_over is None and len(text[i2]) < 40:
            pass    # the shortest form: no overcount
        elif shown_over != fmt_kb(over):
            errs.append("legend overcount %s, %sRSS - %sPSS is %s (%d KiB)" % (shown_over, SIG, SIG, fmt_kb(over), over))
    # legend line 1: the area
    l1 = text[i2 - 1] if i2 else ""
    m = re.search(r"(?:(hold|peak): )?(?:private|prv) (%s)\s+\S (?:shared|shr) (%s)\s+= ?%sPSS (%s\+?)(?:\s|$)"
                  % (VAL, VAL, SIG, VAL), l1)
    if not m:
        errs.append("legend line 1 unread: %r" % l1)
    else:
        shared = nonneg(pss - uss) if t["pss_kb"] is not None else 0
        want = (fmt_kb(uss), fmt_kb(shared), fmt_kb(uss + shared) + ("+" if t["pss_partial"] else ""))
        got = (m.group(2), m.group(3), m.group(4))
        if got != want:
            errs.append("legend private/shared/%sPSS %s, the sample's %s (ΣUSS %d, ΣPSS %s KiB)"
                        % (SIG, got, want, uss, t["pss_kb"]))
        if m.group(1) and m.group(1) != tag:
            errs.append("legend tag '%s:', the frame is %s" % (m.group(1), tag or "no kept frame"))
    # the table
    head = [i for i, r in enumerate(text) if r.split()[:1] == ["PID"]]
    if not head:
        errs.append("no process table")
        return
    cols = text[head[0]].split()
    short = "St" in cols
    procs = {p["pid"]: p for p in s["procs"]}
    shown, more = 0, 0
    for r in text[head[0] + 1:]:
        tok = r.split()
        if not tok:
            continue
        mm = re.search(r"(?:\u2026|\.\.\.) (\d+) more processes", r)
        if mm:
            more = int(mm.group(1))
            break
        if not tok[0].isdigit():
            break
        shown += 1
        pid = int(tok[0])
        p = procs.get(pid)
        if p is None:
            errs.append("table row of pid %d, not in the sample at %.3f s" % (pid, s["t"]))
            continue
        k = 1
        for c in cols[1:]:
            if c == "ROLE":
                want = ROLE_SHORT.get(p["role"], p["role"]) if short else p["role"]
                if tok[k] != want:
                    errs.append("pid %d: ROLE %s, recorded %s" % (pid, tok[k], p["role"]))
                k += 1
            elif c in COLS:
                want = fmt_kb_cell(cell_kb(p, COLS[c]))
                if tok[k] != want:
                    errs.append("pid %d: %s %s, the sample's %s (%d KiB)" % (pid, c, tok[k], want, cell_kb(p, COLS[c])))
                k += 1
            elif c in ("STATE", "St"):
                rest = tok[k:-1] if "NAME" in cols else tok[k:]
                want = state_text(p, ended, short)
                if " ".join(rest) != want:
                    errs.append("pid %d: state '%s', the sample's '%s' (%s, %s)"
                                % (pid, " ".join(rest), want, p["state"], p["smaps"]))
            elif c == "NAME":
                if not p["comm"].startswith(tok[-1].rstrip(".\u2026")):
                    errs.append("pid %d: name %s, recorded %s" % (pid, tok[-1], p["comm"]))
    if shown + more != len(s["procs"]):
        errs.append("table: %d rows and %d more, the sample at %.3f s has %d processes"
                    % (shown, more, s["t"], len(s["procs"])))
    if not shown:
        errs.append("table: no process row")


# ------------------------------------------------------------- the strip

def has_peak(r):
    return r["peak"].get("pss_bound_kb") is not None and r["peak"]["pss_kb"] is not None


def peak_of(r, page_kb=4):
    """the run r with its smaps peak taken from its samples, not from its
    recorded peak: the sample of the highest lower bound of ΣPSS (live
    processes, a known bound), the first such (src/core/model.c), and its
    upper end from the samples' counters (check_recording.peak_high)"""
    best = None
    for s in r["samples"]:
        t = s["total"]
        live = any(p.get("smaps") != "gone" for p in s["procs"])
        if t.get("pss_bound_kb") is None or t.get("pss_kb") is None or not t["nprocs"] or not live:
            continue
        if best is None or t["pss_kb"] - t["pss_bound_kb"] > best["pss_kb"] - best["pss_bound_kb"]:
            best = t
    out = {"peak": {"pss_kb": best and best["pss_kb"],
                    "pss_bound_kb": best and best["pss_bound_kb"]}}
    out["peak"]["pss_high_kb"] = peak_high(dict(r, peak=out["peak"]), page_kb) if best else None
    out["peak"]["high_unknown"] = bool(best) and out["peak"]["pss_high_kb"] is None
    return out


def peak_text(r, brief):
    """summary_peak_text (src/report/summary.c)"""
    f = fmt_kb if brief else fmt_kb_long
    pk = r["peak"]
    if not has_peak(r):
        return "not sampled"
    lo = max(0, pk["pss_kb"] - pk["pss_bound_kb"])
    tight = max(pk["pss_kb"] // 100, 256)
    hi = pk["pss_kb"] + pk["pss_bound_kb"]
    # a chain of samples broken: no upper end (null where the key is)
    unknown = pk.get("high_unknown", "pss_high_kb" in pk and pk["pss_high_kb"] is None)
    if pk.get("pss_high_kb") is not None and pk["pss_high_kb"] > hi:
        hi = pk["pss_high_kb"]
    if pk["pss_bound_kb"] > tight or unknown or hi > pk["pss_kb"] + tight:
        return "\u2265" + f(lo) if brief else "\u2265 %s (\u2264 %s)" % (f(lo), "?" if unknown else f(hi))
    return f(pk["pss_kb"])


def speed_words(r):
    """summary_speed (src/report/summary.c): "2.8× slower" for r, "2.8×
    faster" for 1/r, "as fast" where the factor reads 1.0"""
    if not math.isfinite(r) or r <= 0:
        return "?"
    f = ratio(r if r >= 1 else 1 / r)
    return "as fast" if f == "1.0\u00d7" else f + (" slower" if r > 1 else " faster")


def verdict_parts(a, b):
    """model_compare() of b against a: b's time against a's in words, a's
    against b's, the ΣPSS ratio"""
    wa, wb = a["result"]["wall_s"], b["result"]["wall_s"]
    speed = wb / wa if wa > 0 else 0
    mem = 0
    if has_peak(a) and has_peak(b) and a["peak"]["pss_kb"] > 0:
        mem = b["peak"]["pss_kb"] / a["peak"]["pss_kb"]
    return speed_words(speed), speed_words(1 / speed if speed > 0 else 0), mem


def verdict(a, b, terse, than):
    """verdict() (ui/screen.c): "copy 2.8× slower, 3.0× more memory",
    "cow as fast as shared, as much memory" """
    slow, _, mem = verdict_parts(a, b)
    word = "mem" if terse else "memory"
    m = "%s not sampled" % word if mem <= 0 else "%s %s" % (factor(mem), word)
    link = (" as " if slow == "as fast" else " than ") + a["name"] if than else ""
    return "%s %s%s, %s" % (b["name"], slow, link, m)


def strip_forms(runs):
    """summary_line, compact_line and the verdicts (ui/screen.c
    strip_verdicts) of every run done: the longest that fits is drawn"""
    a, b = runs[0], runs[1]
    _, fast, mem = verdict_parts(a, b)
    rm = ratio(mem if mem >= 1 else 1 / mem if mem > 0 else 0)
    if mem > 0 and rm == "1.0\u00d7":
        words = "as much memory"
    elif mem > 0:
        words = "%s %s memory" % (rm, "less" if mem >= 1 else "more")
    else:
        words = "memory not compared"
    wa, wb = fmt_seconds(a["result"]["wall_s"]), fmt_seconds(b["result"]["wall_s"])
    long = "%s %s, peak %s \u2014 %s %s, peak %s: %s %s, %s" % (
        a["name"], wa, peak_text(a, False), b["name"], wb, peak_text(b, False), a["name"], fast, words)
    # compact_line: summary_factor of a's peak over b's
    compact = "%s %s, %s \u2502 %s %s, %s: %s %s, %s memory" % (
        a["name"], wa, peak_text(a, True), b["name"], wb, peak_text(b, True), a["name"], fast,
        factor(1 / mem) if mem > 0 else "?")
    # the later runs: "· cow 0.14 s, peak 24 MiB: 2.0× faster than shared, as much memory"
    later = "".join(" \u00b7 %s %s, peak %s: %s" % (
        r["name"], fmt_seconds(r["result"]["wall_s"]), peak_text(r, False),
        verdict(a, r, False, True)[len(r["name"]) + 1:]) for r in runs[2:])
    each = [verdict(a, r, False, False) for r in runs[1:]]
    terse = [verdict(a, r, True, False) for r in runs[1:]]
    dot = " \u00b7 "
    return (long + later, compact + later, "vs %s: %s" % (a["name"], dot.join(each)),
            "vs %s: %s" % (a["name"], dot.join(terse)), dot.join(terse))


def main():
    args = sys.argv[1:]
    rows = None
    if "--rows" in args:
        i = args.index("--rows")
        rows = int(args[i + 1])
        del args[i:i + 2]
    lines = open(args[0], encoding="utf-8").read().splitlines()
    with open(args[1], encoding="utf-8") as f:
        d = json.load(f)
    runs = {r["name"]: r for r in d["runs"]}
    errs = []
    checked = []
    paused = any("PAUSED" in line for line in lines)

    # the title line
    title = lines[0] if lines else ""
    cfg = d["config"]
    if cfg.get("workload") == "native" and cfg.get("rows"):
        workers = max((sum(p["role"] == "worker" for p in s["procs"])
                       for r in d["runs"] for s in r["samples"]), default=0)
        if workers != cfg["workers"]:
            errs.append("the recording's samples hold %d workers, its config %d" % (workers, cfg["workers"]))
        n = rows if rows is not None else cfg["rows"]
        if n != cfg["rows"]:
            errs.append("config.rows %d, the test asked %d" % (cfg["rows"], n))
        w = "%d worker%s" % (workers, "" if workers == 1 else "s")
        size = fmt_kb_long(n * 24 // 1024)
        long = "\u00b7 %s \u00b7 %d rows (%s)" % (w, n, size)
        brief = "\u00b7 %s \u00b7 %s of data" % (w, size)
        if long not in title and brief not in title:
            errs.append("title %r: want '%s' or '%s'" % (title, long, brief))
        checked.append("title")
    if not re.search(r"graph: PSS\s*$", title):
        errs.append("title %r does not end with the metric PSS" % title)

    # each pane
    running = {}
    for header, inner in panes(lines):
        m = re.match(r"\u256d\u2500 (\S+) ", header)
        if not m or m.group(1) not in runs:
            continue
        r = runs[m.group(1)]
        # the detail, whole or its first part: its worker count is the
        # workers the run's samples hold
        md = re.match(r"\u256d\u2500 \S+ \u00b7 (.+?) \u2500", header)
        if md:
            shown = md.group(1)
            if not (r["detail"] == shown or r["detail"].split(",")[0] == shown or
                    (shown.endswith("\u2026") and r["detail"].startswith(shown[:-1]))):
                errs.append("%s: header detail %r, recorded %r" % (r["name"], shown, r["detail"]))
            mw = re.search(r"\b(\d+) workers?\b", shown)
            if mw:
                n = max((sum(p["role"] == "worker" for p in s["procs"]) for s in r["samples"]), default=0)
                if int(mw.group(1)) != n:
                    errs.append("%s: header says %s, its samples hold %d workers" % (r["name"], mw.group(0), n))
        mdone = re.search(r"\u2500 (?:done in |done )?([0-9.]+ (?:us|ms|s)) \u2500\u256e$", header)
        mrun = re.search(r"\u2500 (\S+) ([0-9.]+ (?:us|ms|s)) \u2500\u256e$", header)
        if r["state"] == "done" and mdone and (not paused or not mrun or mrun.group(1) in ("done", "in")):
            want = fmt_seconds(r["result"]["wall_s"])
            if mdone.group(1) != want:
                errs.append("%s: header says done %s, its wall time %s (%.4f s)"
                            % (r["name"], mdone.group(1), want, r["result"]["wall_s"]))
            s, hold = kept_frame(r)
            if s is None:
                continue
            perr = []
            check_pane(inner, s, "hold" if hold else "peak", True, perr)
            errs.extend("%s (ended, frame at %.3f s): %s" % (r["name"], s["t"], e) for e in perr)
            checked.append(r["name"] + " ended")
        elif mrun and paused and any("no sample yet" in x for x in inner):
            continue    # a run begun, not yet sampled: no figure to check
        elif mrun and paused:
            phase, shown = mrun.group(1), mrun.group(2)
            cands = running_frames(r, phase, shown)
            if not cands:
                errs.append("%s: header says %s %s, no sample is at that time in a phase %s"
                            % (r["name"], phase, shown, phase))
                continue
            best = None
            for s in cands:
                perr = []
                check_pane(inner, s, None, False, perr)
                if best is None or len(perr) < len(best[1]):
                    best = (s, perr)
            if best[1]:
                errs.extend("%s (paused in %s at %s, sample at %.3f s): %s"
                            % (r["name"], phase, shown, best[0]["t"], e) for e in best[1])
            running[r["name"]] = (phase, cands)
            checked.append(r["name"] + " paused")
        elif re.search(r"waiting|not started", header):
            continue
        else:
            errs.append("%s: header %r not understood (run %s)" % (r["name"], header, r["state"]))

    # the strip
    names = [r["name"] for r in d["runs"]]
    if paused and running:
        line = next((x for x in lines if x.lstrip().startswith("\u25b6 ")), "")
        name = next(iter(running))
        phase, cands = running[name]
        m = re.search(r"\u25b6 (\S+): (\S+) \u00b7 (\d+) process(es)? \u00b7 %sPSS (\u2248?)(%s), %sRSS (%s)(.*)$"
                      % (SIG, VAL, SIG, VAL), line)
        if not m:
            errs.append("strip unread: %r" % line)
        else:
            ok = False
            for s in cands:
                t = s["total"]
                n = t["nprocs"]
                want = (name, phase, str(n), "" if n == 1 else "es",
                        "" if t["consistent"] else "\u2248", fmt_kb(t["pss_kb"]), fmt_kb(t["rss_kb"]))
                ok = ok or m.groups()[:7] == want
            if not ok:
                errs.append("strip %r: the samples at that time say %s" % (
                    m.group(0), [(s["total"]["nprocs"], fmt_kb(s["total"]["pss_kb"]),
                                  fmt_kb(s["total"]["rss_kb"]), s["total"]["consistent"]) for s in cands]))
            rest = m.group(8)
            idx = names.index(name)
            want = ""
            for k, r in enumerate(d["runs"]):
                if k < idx:
                    want += " \u00b7 %s done in %s" % (r["name"], fmt_seconds(r["result"]["wall_s"]))
                elif k > idx:
                    want += " \u00b7 %s next" % r["name"]
            if rest.rstrip() != want:
                errs.append("strip after the running run %r, want %r" % (rest.rstrip(), want))
            checked.append("strip paused")
    elif not paused and len(d["runs"]) >= 2 and all(r["state"] == "done" for r in d["runs"]):
        forms = strip_forms(d["runs"])
        seen = [x.strip() for x in lines if re.search(r"\b(faster|slower|as fast)\b", x)]
        if not any(x in forms for x in seen):
            errs.append("strip %r, the recording's runs give %r" % (seen, forms))
        checked.append("strip")

    if not any(c.endswith(("ended", "paused")) for c in checked):
        errs.append("no pane's figures were checked: %s" % checked)
    for e in errs:
        print("check_screen:", e)
    if not errs:
        print("# check_screen: %s: every figure matches" % ", ".join(checked))
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
