#!/bin/bash
# The phase row labels every phase, not only fill and hold: each phase's
# segment (to scale, laid out as layout_phasebar() does, from the
# recording's phases and the time axis's own end) begins with its name and
# the phase's own length ("parse 0.41 s") where both fit with a cell to
# spare, else its name, cut to the segment. The lengths are the recorded
# phases' (end - start, printed as fmt_seconds() does), computed here.
# A command of four phases of its own (every one wide enough for its
# length) in one wide pane, and the native workload's two panes.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

check_row() {  # RECORDING SCREEN MIN_WITH_LENGTH: the phase rows
	"$PY" - "$1" "$2" "$3" "$SRCDIR/tests/e2e" <<'PYEOF'
import json, math, re, sys
d = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().split("\n")
need = int(sys.argv[3])


sys.path.insert(0, sys.argv[4])
from check_summary import fmt_seconds  # src/util/fmt.c's rules, once


def nice_time(t):
    """chart_time_top (src/core/chart.c): the time axis's end"""
    steps = [0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 15, 20, 30, 60, 120, 300]
    t = max(t, 1)
    s = next(x for x in steps if math.ceil(t / x - 1e-9) <= 5)
    return math.ceil(t / s - 1e-9) * s


# every pane's axis runs over the same time: the longest run's life
t_max = nice_time(max(max(r["result"]["total_s"] or 0, r["samples"][-1]["t"]) for r in d["runs"]))
axis = next(i for i, l in enumerate(lines) if "└" in l)
row = next(i for i in range(axis + 1, len(lines)) if "phase " in lines[i])
starts = [m.start() for m in re.finditer("└", lines[axis])]
assert len(starts) == len(d["runs"]), (starts, lines[axis])
with_length = 0
for r, s in zip(d["runs"], starts):
    gx = s + 1
    gw = lines[axis].index("│", gx) - gx
    # the axis's last tick is its end: t_max, as computed here (its
    # label exact: "1.25s", src/core/chart.c)
    last = re.findall(r"([0-9.]+)s┴$", lines[axis][gx:gx + gw])
    assert last and abs(float(last[-1]) - t_max) < 1e-9, (r["name"], last, t_max)
    want = [" "] * gw
    segs, prev = [], 0
    for p in r["phases"]:
        st, e = p["start_s"], p["end_s"]
        x0 = max(math.floor(st / t_max * gw + 0.5), prev)
        x1 = max(math.floor(e / t_max * gw + 0.5), x0)
        if e > st and x1 == x0:
            x1 = x0 + 1
        x1 = min(x1, gw)
        if x0 >= gw:
            break
        segs.append((x0, x1, p))
        prev = x1
    for k, (x0, x1, p) in enumerate(segs):
        w = x1 - x0
        if w <= 0:
            continue
        label = "%s %s" % (p["name"], fmt_seconds(p["end_s"] - p["start_s"]))
        if len(label) >= w:
            label = p["name"]
        else:
            with_length += 1
        if len(label) < w or k + 1 == len(segs):
            want[x0:x0 + w] = list(label[:w].ljust(w))
        elif w > 1:
            want[x0:x0 + w - 1] = list(label[:w - 1].ljust(w - 1))
        print(r["name"], p["name"], "columns", x0, x1, "label", repr(label[:w]))
    got = lines[row][gx:gx + gw]
    assert got.rstrip() == "".join(want).rstrip(), (r["name"], got, "".join(want))
assert with_length >= need, (with_length, need)
print("phase rows as the recording says; labels with their length:", with_length)
PYEOF
}

# a command's own four phases, each 0.4 s: every label with its length
run --record "$TMP/c.json" -i 50 -- sh -c 'for p in load parse index serve; do
	echo "phase $p" >&"$SHMVIZ_PHASE_FD"; sleep 0.4; done; echo end >&"$SHMVIZ_PHASE_FD"'
[ "$rc" = 0 ] || fail "command: exit $rc: $(cat "$TMP/err")"
no_leftovers
start c 100 32 -- --replay "$TMP/c.json"
keys c End
wait_for c "⏸ "
wait_for c "done in"
check_row "$TMP/c.json" "$TMP/screen" 4 || fail "the command's phase row: $(cat "$TMP/screen")"
keys c q
wait_exit c

# the native workload: spawn, fill, attach/transfer, compute, hold, exit
run --record "$TMP/r.json" -w 2 -n 3M -i 50 --hold 0.5
[ "$rc" = 0 ] || fail "record: exit $rc: $(cat "$TMP/err")"
no_leftovers
start e 200 40 -- --replay "$TMP/r.json"
keys e End
wait_for e "⏸ "
wait_for e "done in .*done in"
check_row "$TMP/r.json" "$TMP/screen" 2 || fail "the workload's phase rows: $(cat "$TMP/screen")"
keys e q
wait_exit e
no_leftovers
echo ok
