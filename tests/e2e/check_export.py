#!/usr/bin/env python3
"""check_export.py - checks shmviz's exports against the recording they came from.

    check_export.py RECORDING [--csv FILE] [--trace FILE] [--facts FILE]

--csv: pandas.read_csv(FILE) with no options; one row a process a sample,
in the recording's order, every figure equal to the recording's (unknown:
NaN), every name (run, comm) as the recording has it, but that a name
beginning with '=', '+', '-', '@', a tab or a carriage return (which a
spreadsheet would read as a formula) begins with a "'" first.

--trace: Chrome trace-event JSON, read by a parser written here from the
format's description (the Trace Event Format document): the JSON Object
Format ({"traceEvents": [...]}, other keys allowed); every event has "ph",
"ts" (a number) and "pid" (an integer); counter events ("C") carry args
whose values are all numbers; complete events ("X") have a "dur" >= 0;
duration events ("B"/"E") match per (pid, tid); the slices of one track
nest (a slice that starts inside another ends inside it); metadata events
("M") name processes and threads. Then against the recording: one counter
event a process a sample with its figures, one run-total counter a sample
equal to the recording's total, one phase slice a phase, every process
named with its comm and role, the comparison in "metadata" and in each
later run's process_labels (its ratios computed from the runs' figures).

--facts: the JSON tests/helpers/longrec.py wrote: rows and peaks to find
(for a recording too large to read here whole).
"""
import csv
import importlib.util
import json
import math
import os
import sys

import_error = None
try:
    import pandas as pd
except ImportError as e:  # a failure: quickstart installs it
    import_error = e

PID_STEP = 10000000  # EXPORT_TRACE_PID



def cell(text):
    """what the CSV holds of a text: a "'" before a formula's first character"""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

def fail(msg):
    print("check_export: " + msg, file=sys.stderr)
    sys.exit(1)


def kb(v):
    return None if v is None else int(v)


def rows_of(rec):
    """(run name, sample, proc) in the file's order."""
    for r in rec["runs"]:
        for s in r["samples"]:
            for p in s["procs"]:
                yield r, s, p


FIGURES = ["rss_kb", "pss_kb", "pss_shmem_kb", "shared_clean_kb",
           "shared_dirty_kb", "private_clean_kb", "private_dirty_kb",
           "swap_kb", "pss_anon_kb", "pss_file_kb", "anonymous_kb",
           "rss_now_kb", "rss_anon_kb", "rss_file_kb", "rss_shmem_kb"]


def same(a, b):
    if b is None:
        return a is None or (isinstance(a, float) and math.isnan(a))
    return a == b


def check_csv(path, rec, facts):
    if import_error:
        fail("pandas is missing (" + str(import_error) + ")")
    df = pd.read_csv(path)
    if rec is None:
        want = sum(r["rows"] for r in facts["runs"])
        if len(df) != want:
            fail(f"{path}: {len(df)} rows, the recording has {want}")
        for r in facts["runs"]:
            d = df[df["run"] == cell(r["name"])]
            if len(d) != r["rows"]:
                fail(f"{path}: run {r['name']}: {len(d)} rows, want {r['rows']}")
            peak = d.groupby("t")["pss_kb"].sum().max()
            if peak != r["peak_pss_kb"]:
                fail(f"{path}: run {r['name']}: highest sum of pss_kb {peak}, want {r['peak_pss_kb']}")
        return len(df)
    want = list(rows_of(rec))
    if len(df) != len(want):
        fail(f"{path}: {len(df)} rows, the recording has {len(want)}")
    cols = list(df.columns)
    for c in ["run", "t", "pid", "ppid", "role", "comm", "state", "smaps",
              "uss_kb", "utime_s", "minflt", "start_ticks", "consistent"] + FIGURES:
        if c not in cols:
            fail(f"{path}: no column {c}")
    recs = df.to_dict("records")
    for i, ((r, s, p), row) in enumerate(zip(want, recs)):
        where = f"{path}: row {i + 2}"
        if row["run"] != cell(r["name"]):
            fail(f"{where}: run {row['run']!r}, want {r['name']!r}")
        if row["comm"] != cell(p["comm"]):
            fail(f"{where}: comm {row['comm']!r}, want {p['comm']!r}")
        if row["role"] != p["role"] or row["pid"] != p["pid"] or row["ppid"] != p["ppid"]:
            fail(f"{where}: role/pid/ppid {row['role']} {row['pid']} {row['ppid']}, want {p['role']} {p['pid']} {p['ppid']}")
        # pandas' default float parser is not exact (some 1e-14); the
        # text itself is checked exactly below
        if not math.isclose(row["t"], s["t"], rel_tol=1e-12, abs_tol=0):
            fail(f"{where}: t {row['t']!r}, want {s['t']!r}")
        for f in FIGURES:
            if not same(row[f], kb(p.get(f))):
                fail(f"{where}: {f} {row[f]!r}, want {p.get(f)!r}")
        pc, pd_ = p.get("private_clean_kb"), p.get("private_dirty_kb")
        uss = None if pc is None or pd_ is None else pc + pd_
        if not same(row["uss_kb"], uss):
            fail(f"{where}: uss_kb {row['uss_kb']!r}, want {uss!r}")
        if row["minflt"] != p.get("minflt", 0) or row["start_ticks"] != p.get("start_ticks", 0):
            fail(f"{where}: minflt/start_ticks differ")
        smaps = p.get("smaps", "read" if p.get("pss_kb") is not None else "none")
        if smaps == "fresh":
            smaps = "read"
        if row["smaps"] != smaps:
            fail(f"{where}: smaps {row['smaps']!r}, want {smaps!r}")
        if bool(row["consistent"]) != bool(s["total"].get("consistent", True)) and \
                s["total"].get("consistent") is not None:
            fail(f"{where}: consistent {row['consistent']!r}")
    check_csv_text(path, rec, want)
    return len(df)


def smaps_figures(rec):
    """the smaps_rollup figures of procs[], in the recording's order: the
    keys between state and smaps"""
    for _, _, p in rows_of(rec):
        keys = list(p)
        return keys[keys.index("state") + 1:keys.index("smaps")]
    return FIGURES[:11]


def csv_columns(rec):
    """every column of the CSV and how to compute it from the recording
    (docs/recording.md, "CSV")"""
    def uss(p):
        pc, pd_ = p.get("private_clean_kb"), p.get("private_dirty_kb")
        return None if pc is None or pd_ is None else pc + pd_

    def state(p):
        st = p.get("state")
        return "" if st in (None, "?") else st

    def smaps(p):
        st = p.get("smaps", "read" if p.get("pss_kb") is not None else "none")
        return "read" if st == "fresh" else st

    cols = [("run", lambda r, s, p: r["name"]), ("t", lambda r, s, p: s["t"])]
    cols += [(k, lambda r, s, p, k=k: p[k]) for k in ("pid", "ppid", "role", "comm")]
    cols += [("state", lambda r, s, p: state(p)), ("smaps", lambda r, s, p: smaps(p))]
    for k in smaps_figures(rec):
        cols.append((k, lambda r, s, p, k=k: p.get(k)))
        if k == "pss_kb":
            cols.append(("uss_kb", lambda r, s, p: uss(p)))
    for k in ("rss_now_kb", "rss_anon_kb", "rss_file_kb", "rss_shmem_kb", "smaps_t",
              "utime_s", "stime_s", "minflt", "majflt", "start_ticks", "moved",
              "est_error_kb"):
        cols.append((k, lambda r, s, p, k=k: p.get(k)))
    cols.append(("consistent", lambda r, s, p: s["total"]["consistent"]))
    cols.append(("pss_bound_kb", lambda r, s, p: bound_of(s)))

    def shared(p):
        sc, sd = p.get("shared_clean_kb"), p.get("shared_dirty_kb")
        return None if sc is None or sd is None else sc + sd

    cols.append(("shared_kb", lambda r, s, p: shared(p)))
    windows = decay_windows(rec)
    cols.append(("decay_window", lambda r, s, p: windows.get(id(s))))
    return cols


def decay_windows(rec):
    """the window each sample counts in of its run's sharing decay, as
    tests/helpers/decaycheck.py folds them: {id of the sample: number}"""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers",
                        "decaycheck.py")
    spec = importlib.util.spec_from_file_location("decaycheck", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = {}
    for r in rec["runs"]:
        out.update({id(s): n for s, n in mod.fold(r["samples"], counted=True)[2]})
    return out


def bound_of(s):
    """a sample's ΣPSS bound as the recording gives it; a recording made
    before bounds: 0 for a consistent sample, unknown otherwise"""
    t = s["total"]
    if "pss_bound_kb" in t:
        return t["pss_bound_kb"]
    return 0 if t.get("consistent", True) else None


def field_is(text, v):
    """a CSV field against the recording's value: unknown is empty, a
    boolean true/false, an integer in digits, a number read back exactly"""
    if v is None:
        return text == ""
    if isinstance(v, bool):
        return text == ("true" if v else "false")
    if isinstance(v, str):
        return text == cell(v)
    if isinstance(v, int):
        return text == str(v)
    try:
        return float(text) == v
    except ValueError:
        return False


def check_csv_text(path, rec, want):
    """the text: RFC 4180 read by Python's csv module; every column of
    every record equal to what the recording says, computed here"""
    with open(path, newline="", encoding="utf-8") as f:
        text = list(csv.reader(f))
    if len(text) != len(want) + 1:
        fail(f"{path}: {len(text) - 1} records by the csv module, {len(want)} rows")
    cols = csv_columns(rec)
    if text[0] != [c for c, _ in cols]:
        fail(f"{path}: columns {text[0]}, want {[c for c, _ in cols]}")
    for i, ((r, s, p), rowt) in enumerate(zip(want, text[1:])):
        if len(rowt) != len(cols):
            fail(f"{path}: record {i + 2}: {len(rowt)} fields, want {len(cols)}")
        for (c, get), field in zip(cols, rowt):
            v = get(r, s, p)
            if not field_is(field, v):
                fail(f"{path}: record {i + 2} ({r['name']} t={s['t']} pid {p['pid']}): "
                     f"{c} {field!r}, the recording's {v!r}")


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def parse_trace(path):
    """The format's rules; returns the events."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if isinstance(doc, list):
        events = doc
    elif isinstance(doc, dict) and isinstance(doc.get("traceEvents"), list):
        events = doc["traceEvents"]
    else:
        fail(f"{path}: neither an array of events nor an object with traceEvents")
    stacks = {}      # (pid, tid) -> open B events
    slices = {}      # (pid, tid) -> [(start, end)]
    for i, e in enumerate(events):
        where = f"{path}: event {i}"
        if not isinstance(e, dict):
            fail(f"{where}: not an object")
        for k in ("ph", "ts", "pid"):
            if k not in e:
                fail(f"{where}: no {k}: {e}")
        ph = e["ph"]
        if not isinstance(ph, str) or len(ph) != 1:
            fail(f"{where}: ph {ph!r} is not one letter")
        if not is_num(e["ts"]) or e["ts"] < 0:
            fail(f"{where}: ts {e['ts']!r} is not a number >= 0")
        if not isinstance(e["pid"], int) or isinstance(e["pid"], bool):
            fail(f"{where}: pid {e['pid']!r} is not an integer")
        if "tid" in e and (not isinstance(e["tid"], int) or isinstance(e["tid"], bool)):
            fail(f"{where}: tid {e['tid']!r} is not an integer")
        if "name" in e and not isinstance(e["name"], str):
            fail(f"{where}: name is not a string")
        track = (e["pid"], e.get("tid", 0))
        if ph == "C":
            args = e.get("args")
            if not isinstance(args, dict) or not args:
                fail(f"{where}: a counter without args")
            for k, v in args.items():
                if not is_num(v):
                    fail(f"{where}: counter arg {k} = {v!r} is not a number")
        elif ph == "X":
            if not is_num(e.get("dur")) or e["dur"] < 0:
                fail(f"{where}: a complete event without a dur >= 0")
            slices.setdefault(track, []).append((e["ts"], e["ts"] + e["dur"], i))
        elif ph == "B":
            stacks.setdefault(track, []).append(e)
        elif ph == "E":
            st = stacks.get(track)
            if not st:
                fail(f"{where}: an end without a begin on {track}")
            b = st.pop()
            if e["ts"] < b["ts"]:
                fail(f"{where}: ends before it began")
            slices.setdefault(track, []).append((b["ts"], e["ts"], i))
        elif ph == "M":
            if e.get("name") not in ("process_name", "process_labels",
                                     "process_sort_index", "thread_name",
                                     "thread_sort_index"):
                fail(f"{where}: unknown metadata event {e.get('name')!r}")
            if not isinstance(e.get("args"), dict):
                fail(f"{where}: metadata without args")
        elif ph not in "iInbesftPOND":
            fail(f"{where}: unknown phase {ph!r}")
    for track, st in stacks.items():
        if st:
            fail(f"{path}: {len(st)} begin events never ended on {track}")
    for track, sl in slices.items():
        sl.sort(key=lambda x: (x[0], -x[1]))
        open_ = []
        for start, end, i in sl:
            while open_ and open_[-1] <= start:
                open_.pop()
            if open_ and end > open_[-1]:
                fail(f"{path}: event {i} on {track} overlaps a slice it does not nest in")
            open_.append(end)
    return doc, events


def mem_args(p):
    """a process's mem counter computed from its figures in the recording
    (docs/recording.md, "Trace"): an unknown figure is left out"""
    rss, pss = p.get("rss_kb"), p.get("pss_kb")
    pc, pd_ = p.get("private_clean_kb"), p.get("private_dirty_kb")
    sc, sd = p.get("shared_clean_kb"), p.get("shared_dirty_kb")
    uss = None if pc is None or pd_ is None else pc + pd_
    if rss is None and pss is None and uss is None:
        return {}
    args = {"rss_kb": rss, "pss_kb": pss, "uss_kb": uss,
            "shared_kb": None if sc is None or sd is None else sc + sd,
            "pss_shared_kb": None if pss is None or uss is None else max(pss - uss, 0)}
    return {k: v for k, v in args.items() if v is not None}


def check_trace(path, rec, facts, csv_rows):
    doc, events = parse_trace(path)
    names = {}
    for e in events:
        if e["ph"] == "M" and e["name"] == "process_name":
            names.setdefault(e["pid"], []).append(e["args"]["name"])
    counters = [e for e in events if e["ph"] == "C" and e["name"] == "mem"]
    totals = [e for e in events if e["ph"] == "C" and e["name"] == "total"]
    phases = [e for e in events if e["ph"] == "X"]
    if rec is None:
        for k, r in enumerate(facts["runs"]):
            base = (k + 1) * PID_STEP
            mine = [e for e in totals if e["pid"] == base]
            if len(mine) != r["samples"]:
                fail(f"{path}: run {r['name']}: {len(mine)} totals, want {r['samples']}")
            peak = max(e["args"]["pss_kb"] for e in mine)
            if peak != r["peak_pss_kb"]:
                fail(f"{path}: run {r['name']}: peak total {peak}, want {r['peak_pss_kb']}")
        if len(counters) != sum(r["rows"] for r in facts["runs"]):
            fail(f"{path}: {len(counters)} process counters")
        return
    # the one time line (docs/recording.md, "Trace"): when every run has
    # a start_monotonic_s, run i's t = 0 at it less the earliest run's
    # (else end to end, a second apart: not checked here)
    starts = [r.get("start_monotonic_s") for r in rec["runs"]]
    mono = all(is_num(x) and x > 0 for x in starts)
    it = iter(counters)
    for k, r in enumerate(rec["runs"]):
        base = (k + 1) * PID_STEP
        for s, e in zip(r["samples"] if mono else [],
                        [e for e in totals if e["pid"] == base]):
            offset = starts[k] - min(starts)
            want_ts = math.floor((offset + s["t"]) * 1e6 + 0.5)
            if abs(e["ts"] - want_ts) > 1:
                fail(f"{path}: run {r['name']} t={s['t']}: total at {e['ts']} us, "
                     f"the recording's time line puts it at {want_ts} us")
        if base not in names or r["name"] not in names[base][-1]:
            fail(f"{path}: run {r['name']} has no named track")
        mine = [e for e in totals if e["pid"] == base]
        if len(mine) != len(r["samples"]):
            fail(f"{path}: run {r['name']}: {len(mine)} totals, {len(r['samples'])} samples")
        for s, e in zip(r["samples"], mine):
            want = {k: s["total"][k] for k in ("pss_kb", "rss_kb", "uss_kb", "nprocs")
                    if s["total"][k] is not None}
            if bound_of(s) is not None:
                want["pss_bound_kb"] = bound_of(s)
            if e["args"] != want:
                fail(f"{path}: run {r['name']} t={s['t']}: total {e['args']}, the recording's {want}")
        rp = [e for e in phases if e["pid"] == base]
        if [e["name"] for e in rp] != [p["name"] for p in r["phases"]]:
            fail(f"{path}: run {r['name']}: phases {[e['name'] for e in rp]}, recording {[p['name'] for p in r['phases']]}")
        # where and how long, in µs, measured from the run's first sample
        # (each time rounded to a µs: 1 µs either way)
        if r["samples"]:
            t0, ts0 = r["samples"][0]["t"], mine[0]["ts"]
            end_run = r["samples"][-1]["t"]
            for p, e in zip(r["phases"], rp):
                end = p["end_s"] if p["end_s"] is not None else max(end_run, p["start_s"])
                if abs(e["ts"] - ts0 - (p["start_s"] - t0) * 1e6) > 1.01 or \
                        abs(e["dur"] - (end - p["start_s"]) * 1e6) > 2.01:
                    fail(f"{path}: run {r['name']}: phase {p['name']} at {e['ts'] - ts0} us for {e['dur']} us, "
                         f"recording {(p['start_s'] - t0) * 1e6} for {(end - p['start_s']) * 1e6}")
        for j, s in enumerate(r["samples"]):
            for p in s["procs"]:
                want = mem_args(p)
                if not want:
                    continue
                e = next(it, None)
                if e is None:
                    fail(f"{path}: fewer process counters than rows")
                if e["pid"] != base + p["pid"]:
                    fail(f"{path}: counter of pid {e['pid']}, want {base + p['pid']}")
                if e["ts"] != mine[j]["ts"]:
                    fail(f"{path}: pid {p['pid']} t={s['t']}: counter at {e['ts']}, its sample's total at {mine[j]['ts']}")
                if e["args"] != want:
                    fail(f"{path}: pid {p['pid']} t={s['t']}: mem {e['args']}, from the recording {want}")
                # named (again, when its comm or role changed) as it is
                nm = names.get(e["pid"], [])
                if p["comm"] + " (" + p["role"] + ", pid " + str(p["pid"]) + ", run " + r["name"] + ")" not in nm:
                    fail(f"{path}: pid {p['pid']} named {nm!r}, comm {p['comm']!r} role {p['role']}")
    if next(it, None) is not None:
        fail(f"{path}: more process counters than rows")
    # each later run's track is labelled with its comparison against the
    # first, each ratio computed here from the two runs' recorded wall
    # times and peaks (model_compare: 0 where a figure is missing)
    labels = {e["pid"]: e["args"].get("labels") for e in events
              if e["ph"] == "M" and e["name"] == "process_labels"}
    runs = rec["runs"]
    a = runs[0]

    def ratio(x, y):
        return y / x if x is not None and y is not None and x > 0 else 0.0
    for k, b in enumerate(runs[1:], 1):
        base = (k + 1) * PID_STEP
        if a["state"] != "done" or b["state"] != "done":
            if base in labels:
                fail(f"{path}: run {b['name']} labelled {labels[base]!r}, yet not both runs are done")
            continue
        bounded = a["peak"].get("pss_bound_kb") is not None and b["peak"].get("pss_bound_kb") is not None
        want = ("against %s: speedup %.2f, peak PSS ratio %.2f, peak RSS ratio %.2f, "
                "peak USS ratio %.2f" % (
                    a["name"], ratio(a["result"]["wall_s"], b["result"]["wall_s"]),
                    ratio(a["peak"]["pss_kb"], b["peak"]["pss_kb"]) if bounded else 0.0,
                    ratio(a["peak"]["rss_sum_kb"], b["peak"]["rss_sum_kb"]),
                    ratio(a["peak"]["uss_kb"], b["peak"]["uss_kb"]) if bounded else 0.0))
        if labels.get(base) != want:
            fail(f"{path}: run {b['name']} labelled {labels.get(base)!r}, its figures give {want!r}")
    md = doc.get("metadata", {}) if isinstance(doc, dict) else {}
    # the comparison: the recording's, its ratios computed again from the
    # recorded times (equal but maybe for the last bit)
    got = md.get("summary", {}).get("comparisons", [])
    want = rec["summary"].get("comparisons", [])
    if len(got) != len(want):
        fail(f"{path}: {len(got)} comparisons in metadata, the recording has {len(want)}")
    for x, y in zip(got, want):
        for k, v in y.items():
            if not (x.get(k) == v or (is_num(v) and is_num(x.get(k)) and
                                      math.isclose(x[k], v, rel_tol=1e-12))):
                fail(f"{path}: metadata comparison {k}: {x.get(k)!r}, the recording's {v!r}")
    print(f"# {path}: {len(events)} events, {len(counters)} process counters, "
          f"{len(totals)} totals, {len(phases)} phases, {len(names)} named tracks",
          file=sys.stderr)


def main():
    args = sys.argv[1:]
    rec_path = args.pop(0)
    opts = dict(zip(args[::2], args[1::2]))
    facts = None
    rec = None
    if "--facts" in opts:
        with open(opts["--facts"]) as f:
            facts = json.load(f)
    else:
        with open(rec_path, encoding="utf-8") as f:
            rec = json.load(f)
    n = None
    if "--csv" in opts:
        n = check_csv(opts["--csv"], rec, facts)
        print(f"# {opts['--csv']}: {n} rows as the recording's", file=sys.stderr)
    if "--trace" in opts:
        check_trace(opts["--trace"], rec, facts, n)


if __name__ == "__main__":
    main()
