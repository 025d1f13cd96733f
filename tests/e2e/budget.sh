#!/bin/bash
# The sampler's budget and the figure states it leads to (issue 18). What
# the budget costs in CPU is a benchmark figure (tests/bench/bench.py,
# part "budget": a churning tree at --budget 2, a held tree); the token
# bucket's arithmetic is tests/unit/test_budget.c, on a clock the test
# gives. Here, what holds whatever the machine's load:
# - a copy-on-write worker shares its anonymous pages with its parent, so
#   no estimate follows it between reads (src/sample/estimate.c): while it
#   writes, under a budget too small to read it again, its figures are
#   "held" (the last read, kept and marked), never "estimated" until a
#   read finds every page its own, and the totals say pss_held;
# - a tree at rest is exact, not read again at every tick (a refresh of
#   one member at a time, each at most every 2 s);
# - the recording's .sampler figures agree with each other.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

# one worker writes, page after page over some 2.5 s, the 128 MiB it
# shares with its parent after fork (tests/helpers/cowslow.c: it pauses
# 1 ms every 16 pages, so many ticks see it move, on any machine); a budget
# of 1% pays for a read now and then, not at every tick (a smaller one
# spaces the ticks themselves out: their counters alone cost more)
COWSLOW=${COWSLOW:?COWSLOW must name tests/helpers/cowslow}
run --record "$TMP/cow.json" -i 20 --budget 1 -- "$COWSLOW" 128
[ "$rc" = 0 ] || fail "cow: exit $rc: $(cat "$TMP/err")"
no_leftovers
$PY - "$TMP/cow.json" <<'EOF' || fail "figure states of the cow run"
import collections, json, sys
d = json.load(open(sys.argv[1]))
r = d["runs"][0]
states = collections.Counter()
held_totals = 0
bad = []
write = next((p for p in r["phases"] if p["name"] == "write"), None)
last_read = {}
for s in r["samples"]:
    held = False
    for p in s["procs"]:
        if p["role"] != "worker":
            held = held or p["smaps"] == "held"
            continue
        states[p["smaps"]] += 1
        held = held or p["smaps"] == "held"
        # while it shares what it has not copied yet, never estimated;
        # once a read finds all 128 MiB its own (CI7 under a hog: the
        # worker read as it finished, then estimated as it exited) an
        # estimate may follow it
        done = last_read.get(p["pid"], 0) >= 128 * 1024 - 1024
        if p["smaps"] == "estimated" and not done:
            bad.append(f"t={s['t']:.3f}: worker {p['pid']} estimated while it shares")
        if p["smaps"] == "read":
            last_read[p["pid"]] = p["private_dirty_kb"] or 0
    if held:
        held_totals += 1
        if not s["total"]["pss_held"]:
            bad.append(f"t={s['t']:.3f}: a held figure, yet total.pss_held false")
moving = [s for s in r["samples"]
          if any(p["role"] == "worker" and p["moved"] for p in s["procs"])]
print(f"# cow worker's figure states: {dict(states)}; {held_totals} samples with a held "
      f"figure; {len(moving)} with the worker moving", file=sys.stderr)
if write is None:
    bad.append("no write phase")
if len(moving) < 3:
    bad.append(f"only {len(moving)} samples saw the worker move: the moment was not made")
if not states["held"]:
    bad.append(f"{len(moving)} samples saw the worker move under a budget of 1%, "
               "yet its figure was never held")
for b in bad[:20]:
    print(b)
sys.exit(1 if bad else 0)
EOF
# a tree at rest (the hold of a shared run) is exact: read again one
# member at a time, each at most every 2 s (src/sample/sampler.c,
# choose_refresh), not at every tick because the budget would pay for it
run --record "$TMP/rest.json" --mode shared -n 1M -w 2 --hold 3 -i 50
[ "$rc" = 0 ] || fail "rest: exit $rc: $(cat "$TMP/err")"
no_leftovers
$PY - "$TMP/rest.json" <<'EOF' || fail "a tree at rest was read again and again"
import collections, json, sys
d = json.load(open(sys.argv[1]))
r = d["runs"][0]
hold = next(p for p in r["phases"] if p["name"] == "hold")
states = collections.Counter()
for s in r["samples"]:
    # the first 0.3 s of the hold: the last moves of the attach settle
    if hold["start_s"] + 0.3 <= s["t"] <= hold["end_s"]:
        for p in s["procs"]:
            states[p["smaps"]] += 1
n = sum(states.values())
print(f"# at rest: {dict(states)}", file=sys.stderr)
if n < 60:
    print(f"only {n} figures in the hold")
    sys.exit(1)
if states["read"] > n // 5:
    print(f"{states['read']} of {n} figures at rest were read at their tick: "
          "exact figures are read again at every tick")
    sys.exit(1)
EOF
# the .sampler figures agree with each other in every recording made here
for f in "$TMP/cow.json" "$TMP/rest.json"; do
	$PY - "$f" <<'PYEOF' || fail "$f: .sampler"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["sampler"]
bad = []
if abs(s["cpu_pct"] - 100 * s["cpu_s"] / s["wall_s"]) > 1e-9 * max(1, s["cpu_pct"]):
    bad.append(f"cpu_pct {s['cpu_pct']} is not 100 x cpu_s {s['cpu_s']} / wall_s {s['wall_s']}")
if s["pss_cpu_s"] + s["counter_cpu_s"] + s["scan_cpu_s"] > s["cpu_s"] + 1e-6:
    bad.append(f"the reads' CPU ({s['pss_cpu_s']} + {s['counter_cpu_s']} + {s['scan_cpu_s']}) "
               f"exceeds shmviz's own ({s['cpu_s']})")
if s["pss_reads"] and abs(s["pss_read_ms"] - 1000 * s["pss_cpu_s"] / s["pss_reads"]) > 1e-6:
    bad.append(f"pss_read_ms {s['pss_read_ms']} is not pss_cpu_s / pss_reads")
nsamples = sum(len(r["samples"]) for r in d["runs"])
if s["ticks"] < nsamples:
    bad.append(f"{s['ticks']} ticks for {nsamples} samples")
if s["interval_ms"] != d["config"]["interval_ms"] or s["budget_pct"] != d["config"]["budget_pct"]:
    bad.append("interval or budget differs from config")
for b in bad:
    print("check failed:", b)
sys.exit(1 if bad else 0)
PYEOF
done

echo ok
