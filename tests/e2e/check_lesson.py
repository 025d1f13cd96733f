#!/usr/bin/env python3
"""check_lesson.py [--replay] RECORDING CAPTIONS STOPS: the stops of a live --lesson
against its recording. STOPS holds one stop a line, as the screen showed
it: RUN<TAB>PHASE<TAB>STRIP<TAB>CAPTION (the status strip "N processes ·
ΣPSS X, ΣRSS Y" and the caption's first line).

- The lesson stopped at the end of every phase the recording holds, in
  order, each run after the other, showing that phase (the one that ended)
  by name.
- Each caption is one of that phase's rules in CAPTIONS (run or *, the
  phase): its words before the first placeholder.
- Each stop froze a bounded sample of the phase that ended: the strip's
  process count, ΣPSS and ΣRSS are those of a recorded sample of that run
  whose bound is within one moment (1% or 256 KiB), taken inside that
  phase (or just after its end with every process stopped, state T: the
  tree as the stop froze it); a caption's memory figures are that
  sample's too.

--replay: STOPS holds POSITION<TAB>CAPTION a stop of --replay --lesson: the
runs play one after the other in the order they ran (start_monotonic_s),
and it stops at the end of each of their phases (position: the runs
before it, then the phase's end), with that phase's caption; with a third
column (the strip), its figures are those of the phase's newest sample of
one moment, else of the sample the phase's end took (the first after it)
when that one is of one moment.
"""
import json
import re
import sys

UNITS = "KMGTP"


def scale(kb):
    v, u = float(kb), 0
    while v >= 1024.0 and u + 1 < len(UNITS):
        v /= 1024.0
        u += 1
    return v, u


def fmt_kb(kb):  # src/util/fmt.c fmt_kb
    if kb == 0:
        return "0"
    v, u = scale(kb)
    return f"{v:.1f}{UNITS[u]}" if v < 9.95 and u > 0 else f"{v:.0f}{UNITS[u]}"


def fmt_kb_long(kb):  # fmt_kb_long
    v, u = scale(kb)
    return f"{v:.1f} {UNITS[u]}iB" if v < 9.95 and u > 0 else f"{v:.0f} {UNITS[u]}iB"


def tight(pss):  # model_bound_tight_kb
    return max(pss * 1 // 100, 256)


def rules(path):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        head, text = line.split(":", 1)
        words = head.split()
        out.append((words[0], words[1], text.strip()))
    return out


def caption_of(caps, run, phase, caption):
    prefixes = [t.split("{")[0].strip() for (rn, pn, t) in caps
                if rn in (run, "*") and pn == phase]
    assert prefixes, f"no caption rule for {run} {phase}"
    assert any(caption.startswith(p[:len(caption)]) if len(caption) < len(p)
               else caption.startswith(p) for p in prefixes), \
        f"{run} {phase}: caption {caption!r} is none of {prefixes}"


def replay(d, caps, stops):
    want, at = [], 0.0
    for r in sorted(d["runs"], key=lambda r: r["start_monotonic_s"] or 0):
        for p in r["phases"]:
            if p["end_s"] and p["end_s"] > 0:
                want.append(("%.3f" % (at + p["end_s"]), r["name"], p["name"]))
        # a run lasts until its last sample, or its tree's exit if later
        # (ui/view.c, view_run_length)
        at += max(r["result"]["total_s"] or 0,
                  r["samples"][-1]["t"] if r["samples"] else 0)
    got = [s[0] for s in stops]
    # the position a stop prints is the phase's end less a microsecond,
    # to the millisecond
    assert len(got) == len(want) and all(abs(float(g) - float(w[0])) <= 0.0011
                                         for g, w in zip(got, want)), \
        f"replay stops {got}\nphase ends {want}"
    runs = {r["name"]: r for r in d["runs"]}
    for (pos, run, phase), stop in zip(want, stops):
        caption_of(caps, run, phase, stop[1])
        print(f"# replay {pos}: {run} {phase}", file=sys.stderr)
        if len(stop) > 2 and stop[2]:
            replay_strip(runs[run], phase, pos, stop[2])


def one_moment(s):
    b = s["total"]["pss_bound_kb"]
    return b is not None and b <= tight(s["total"]["pss_kb"])


def replay_strip(r, phase, pos, strip):
    """the figures a --replay --lesson stop at the end of a phase shows:
    the phase's newest sample of one moment, else the sample its end
    took (the first after it) when it is of one moment, else any"""
    k = [i for i, p in enumerate(r["phases"]) if p["name"] == phase][0]
    ph = r["phases"][k]
    inside = [s for s in r["samples"] if ph["start_s"] <= s["t"] <= ph["end_s"] and one_moment(s)]
    after = [s for s in r["samples"] if s["t"] > ph["end_s"]]
    want = inside[-1] if inside else after[0] if after and one_moment(after[0]) else None
    if want is None or phase == "exit":
        return
    m = re.search(r"(\d+) process(?:es)? · ΣPSS (\S+), ΣRSS (\S+)", strip)
    assert m, f"{r['name']} {phase}: no figures in the strip {strip!r}"
    t = want["total"]
    shown = (int(m.group(1)), m.group(2), m.group(3))
    assert shown == (t["nprocs"], fmt_kb(t["pss_kb"]), fmt_kb(t["rss_kb"])), \
        (f"{r['name']} {phase}: the stop showed {shown}, the sample of one moment "
         f"at {want['t']:.3f} s says {(t['nprocs'], fmt_kb(t['pss_kb']), fmt_kb(t['rss_kb']))}")


def main():
    if sys.argv[1] == "--replay":
        d = json.load(open(sys.argv[2]))
        replay(d, rules(sys.argv[3]),
               [l.rstrip("\n").split("\t") for l in open(sys.argv[4], encoding="utf-8") if l.strip()])
        return
    d = json.load(open(sys.argv[1]))
    caps = rules(sys.argv[2])
    stops = [l.rstrip("\n").split("\t") for l in open(sys.argv[3], encoding="utf-8") if l.strip()]
    want = [(r["name"], p["name"]) for r in d["runs"] for p in r["phases"]]
    got = [(s[0], s[1]) for s in stops]
    assert got == want, f"stops {got}\nphases {want}"
    runs = {r["name"]: r for r in d["runs"]}
    seen = {}
    for run, phase, strip, caption in stops:
        r = runs[run]
        k = seen.get(run, 0)
        seen[run] = k + 1
        ph = r["phases"][k]
        caption_of(caps, run, phase, caption)
        m = re.search(r"(\d+) process(?:es)? · ΣPSS (\S+), ΣRSS (\S+)", strip)
        assert m, f"{run} {phase}: no figures in the strip {strip!r}"
        n, pss, rss = int(m.group(1)), m.group(2), m.group(3)
        # inside the phase (the checkpoint before the line that ended it),
        # or, for a tree that did not get one, a sample after its end
        # of the tree standing still (every process in state T), before
        # the next phase's end
        nxt = r["phases"][k + 1]["end_s"] if k + 1 < len(r["phases"]) else float("inf")
        after = [s for s in r["samples"] if ph["end_s"] + 1e-9 < s["t"] <= nxt
                 and all(p["state"] in ("T", "t", "Z", "X") for p in s["procs"])]
        cands = [s for s in r["samples"]
                 if (ph["start_s"] - 1e-9 <= s["t"] <= ph["end_s"] + 1e-9 or s in after)
                 and s["total"]["pss_bound_kb"] is not None
                 and s["total"]["pss_bound_kb"] <= tight(s["total"]["pss_kb"])
                 and s["total"]["nprocs"] == n and fmt_kb(s["total"]["pss_kb"]) == pss
                 and fmt_kb(s["total"]["rss_kb"]) == rss]
        assert cands, (f"{run} {phase}: the stop showed {n} processes, ΣPSS {pss}, "
                       f"ΣRSS {rss}: no bounded sample of the phase "
                       f"[{ph['start_s']:.3f}, {ph['end_s']:.3f}] says so; samples: " +
                       "; ".join(f"{s['t']:.3f} {s['total']['nprocs']} {s['total']['pss_kb']} "
                                 f"{s['total']['rss_kb']} ±{s['total']['pss_bound_kb']} "
                                 + "".join(p['state'] for p in s['procs'])
                                 for s in r["samples"]
                                 if ph["start_s"] - 0.2 <= s["t"] <= ph["end_s"] + 0.2))
        for num in re.findall(r"\d+(?:\.\d+)? [KMGT]iB", caption):
            assert any(num in (fmt_kb_long(s["total"]["pss_kb"]),
                               fmt_kb_long(s["total"]["rss_kb"]),
                               fmt_kb_long(max(s["total"]["rss_kb"] - s["total"]["pss_kb"], 0)))
                       for s in cands) or num == fmt_kb_long(d["config"]["bytes"] // 1024), \
                f"{run} {phase}: caption figure {num} is not the stop's sample's"
        print(f"# {run} {phase}: {n} processes, ΣPSS {pss}, ΣRSS {rss} "
              f"(bounded samples of the phase: {len(cands)})", file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"check failed: {e}", file=sys.stderr)
        sys.exit(1)
