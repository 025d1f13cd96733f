#!/bin/bash
# The hold apart, and one clock. The graph draws a break where the hold
# phase begins and hatches the hold's empty cells, so the length before the
# break is the time the comparison gives: the break's column is the hold's
# start on the time axis (read from the axis's own ticks), in every pane.
# A pane's header gives the time of its phase as the phase bar does (the
# phase's own length so far), never the time since the run started.
# In a replay, at its end and paused in the middle.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

run --record "$TMP/r.json" -w 2 -n 1M -i 50 --hold 1
[ "$rc" = 0 ] || fail "record: exit $rc: $(cat "$TMP/err")"
no_leftovers

# the break of each pane where the recording's hold begins
start e 120 32 -- --replay "$TMP/r.json"
keys e End
wait_for e "⏸ "
wait_for e "done in .*done in"
"$PY" - "$TMP/r.json" "$TMP/screen" <<'PYEOF' || fail "the hold is not drawn apart where it begins"
import json, math, re, sys
d = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().split("\n")
axis = next(i for i, l in enumerate(lines) if "└" in l)
top = next(i for i, l in enumerate(lines) if "┤" in l)
starts = [m.start() for m in re.finditer("└", lines[axis])]
assert len(starts) == len(d["runs"]), (starts, lines[axis])
for r, s in zip(d["runs"], starts):
    gx = s + 1
    row = lines[axis]
    # the axis runs to the pane's border
    gw = row.index("│", gx) - gx
    # t_max from the last tick: x = gx + round(t / t_max * gw) - 1
    ticks = [(m.start(), float(m.group(1))) for m in re.finditer(r"([0-9.]+)s(?=┴)", row[gx:gx + gw])]
    x, t = ticks[-1]
    x = gx + x + len(re.match(r"[0-9.]+s", row[gx + x:]).group(0))
    t_max = t * gw / (x - gx + 1)
    hold = next(p for p in r["phases"] if p["name"] == "hold")
    want = math.ceil(hold["start_s"] / t_max * gw - 0.5)
    graph = [lines[k][gx:gx + gw] for k in range(top, axis)]
    cols = [c for c in range(gw) if all(g[c] == "┊" for g in graph)]
    assert len(cols) == 1, (r["name"], cols, graph)
    assert abs(cols[0] - want) <= 1, (r["name"], cols[0], want, t_max)
    # hatched after the break, nowhere before it: every empty cell of the
    # hold (between the break and the hold's end) is hatched; a hold whose
    # area fills its columns to the top has none to hatch
    end = min(gw, math.ceil(hold["end_s"] / t_max * gw - 0.5))
    empty = [g[c] for g in graph for c in range(cols[0] + 1, max(cols[0] + 1, end - 1))
             if g[c] in " ╱"]
    assert all(c == "╱" for c in empty), (r["name"], end, graph)
    assert not any("╱" in g[:cols[0]] for g in graph), (r["name"], graph)
    print(r["name"], "break at column", cols[0], "of", gw, "hold from", hold["start_s"])
PYEOF
keys e q
wait_exit e

# paused in the middle: each header's phase and its own length so far
start m 120 32 -- --replay "$TMP/r.json"
keys m Space
wait_for m "⏸ "
keys m Home
for i in 1 2 3 4 5 6 7 8; do keys m "]"; done
keys_settle m
pos=$(replay_position m)
"$PY" - "$TMP/r.json" "$TMP/screen" "$pos" <<'PYEOF' || fail "a header's time is not its phase's"
import json, re, sys
d = json.load(open(sys.argv[1]))
screen = open(sys.argv[2]).read()
pos = float(sys.argv[3])
for r in d["runs"]:
    m = re.search(r"╭─ %s .*? (\w+) ([0-9.]+) (m?s) ─" % re.escape(r["name"]), screen)
    assert m, (r["name"], screen)
    name, v = m.group(1), float(m.group(2)) / (1000 if m.group(3) == "ms" else 1)
    ph = [p for p in r["phases"] if p["start_s"] <= pos and (p["end_s"] is None or pos < p["end_s"])]
    assert ph and ph[-1]["name"] == name, (r["name"], name, ph, pos)
    want = pos - ph[-1]["start_s"]
    # the position printed to 1 ms, the header to 10 ms
    assert abs(v - want) <= 0.0106, (r["name"], name, v, want, pos)
    print(r["name"], name, v, "at", pos)
PYEOF
keys m q
wait_exit m
no_leftovers
echo ok
