#!/usr/bin/env python3
"""decaycheck.py - the sharing decay of a recording (runs[].decay) against
the recording's own samples: the fold of src/core/decay.h written again
here, from its definition, and run over runs[].samples; every recorded
figure must be what the samples give.

    decaycheck.py RECORDING [RUN]     exit 0: equal, 1: not (says what)

Prints, for each run checked, one line of the figures it recomputed:
    RUN start_s shared0_kb min_s shared_min_kb lost_kb rate_kb_s half_life_s
(half_life_s "none" when the shared part never fell to half).
"""
import json
import sys

FIGS = ("pss_kb", "shared_clean_kb", "shared_dirty_kb", "private_clean_kb",
        "private_dirty_kb")


def member(p):
    return p.get("state") != "x" and p.get("smaps") != "gone"


def shared_private(p):
    return (p["shared_clean_kb"] + p["shared_dirty_kb"],
            p["private_clean_kb"] + p["private_dirty_kb"])


class Fig:
    """one series of a window: the definitions of src/core/decay.h"""

    def __init__(self, t, shared, private):
        self.t0, self.shared0, self.private0 = t, shared, private
        self.t_last, self.shared_last, self.private_last = t, shared, private
        self.t_min, self.shared_min = t, shared
        self.series = [(t, shared)]
        self.half = None

    def add(self, t, shared, private):
        self.series.append((t, shared))
        if shared < self.shared_min:
            # the end of the fall: the first sample within 1% of what was
            # lost above the lowest
            self.shared_min = shared
            line = shared + (self.shared0 - shared) // 100
            self.t_min = next(x for x, kb in self.series if kb <= line)
        if self.half is None and self.shared0 > 0 and 2 * shared <= self.shared0:
            at = t
            if self.shared_last > shared and t > self.t_last:
                at = self.t_last + (self.shared_last - self.shared0 / 2) / \
                    (self.shared_last - shared) * (t - self.t_last)
            self.half = at - self.t0
        self.t_last, self.shared_last, self.private_last = t, shared, private

    def lost(self):
        return max(0, self.shared0 - self.shared_min)

    def rate(self):
        lost = self.lost()
        return lost / (self.t_min - self.t0) if lost > 0 and self.t_min > self.t0 else 0.0


def fold(samples, counted=False):
    """(tree Fig or None, {(pid, start_ticks): Fig}) over the samples, and
    when counted the list of (sample, window number) of the samples that
    counted in a window (the first is 1; each join starts the next)"""
    prev, pending, closed = set(), False, False
    tree, procs, used, windows = None, {}, [], 0
    for s in samples:
        rows = [p for p in s["procs"] if member(p)]
        cur = {(p["pid"], p.get("start_ticks", 0)) for p in rows}
        joined, left = bool(cur - prev), bool(prev - cur)
        prev = cur
        if joined:
            pending, closed = True, False
        elif left and not pending:
            closed = True
        if not s["total"].get("consistent", True) or closed or not rows:
            continue
        if any(p.get(k) is None for p in rows for k in FIGS):
            continue
        pss = sum(p["pss_kb"] for p in rows)
        uss = sum(p["private_clean_kb"] + p["private_dirty_kb"] for p in rows)
        if pending:
            pending = False
            windows += 1
            used.append((s, windows))
            tree = Fig(s["t"], pss - uss, uss)
            procs = {(p["pid"], p.get("start_ticks", 0)): Fig(s["t"], *shared_private(p))
                     for p in rows}
            continue
        used.append((s, windows))
        tree.add(s["t"], pss - uss, uss)
        for p in rows:
            f = procs.get((p["pid"], p.get("start_ticks", 0)))
            if f:
                f.add(s["t"], *shared_private(p))
    return (tree, procs, used) if counted else (tree, procs)


def near(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def compare(what, f, rec, bad):
    want = {"start_s": f.t0, "shared_start_kb": f.shared0, "private_start_kb": f.private0,
            "end_s": f.t_last, "shared_end_kb": f.shared_last,
            "private_end_kb": f.private_last, "min_s": f.t_min,
            "shared_min_kb": f.shared_min, "lost_kb": f.lost(), "rate_kb_s": f.rate()}
    for k, v in want.items():
        if rec.get(k) is None or not near(rec[k], v):
            bad.append(f"{what}.{k}: recorded {rec.get(k)}, the samples give {v}")
    h = rec.get("half_life_s")
    if (h is None) != (f.half is None) or (h is not None and not near(h, f.half)):
        bad.append(f"{what}.half_life_s: recorded {h}, the samples give {f.half}")


def check_run(r, bad):
    tree, procs = fold(r["samples"])
    d = r.get("decay")
    if d is None:
        bad.append(f"{r['name']}: no decay recorded")
        return
    if tree is None:
        if d["tree"] is not None:
            bad.append(f"{r['name']}: a decay recorded, none in the samples")
        return
    if d["tree"] is None:
        bad.append(f"{r['name']}: no decay recorded, the samples have one")
        return
    compare(f"{r['name']}.tree", tree, d["tree"], bad)
    rec = {(m["pid"], m["start_ticks"]): m for m in d["members"]}
    if set(rec) != set(procs):
        bad.append(f"{r['name']}: members {sorted(rec)}, the samples give {sorted(procs)}")
    for key, f in procs.items():
        if key in rec:
            compare(f"{r['name']}.members[{key[0]}]", f, rec[key], bad)
    half = "none" if tree.half is None else repr(tree.half)
    print(r["name"], repr(tree.t0), tree.shared0, repr(tree.t_min), tree.shared_min,
          tree.lost(), repr(tree.rate()), half)


def main():
    doc = json.load(open(sys.argv[1]))
    bad = []
    for r in doc["runs"]:
        if len(sys.argv) < 3 or r["name"] == sys.argv[2]:
            check_run(r, bad)
    for b in bad:
        print("decaycheck:", b, file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
