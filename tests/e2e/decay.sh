#!/bin/bash
# Sharing that decays (src/core/decay.h): decayfork forks WORKERS children
# that copy a MIB MiB region of their parent in STEPS equal slices, the
# tree standing still (and checkpointed) between steps. Checked:
# - at each still moment, the split the sizes give: each worker has
#   copied k slices (its shared part down and its Private_Dirty up by
#   k x slice), the tree's shared part of ΣPSS down by k x slice and its
#   ΣUSS up by (WORKERS + 1) x k x slice (the parent's originals are its
#   own again);
# - the recorded decay (runs[].decay: the window, what was lost, the rate
#   and the half-life, of the tree and of every member) equal to what
#   tests/helpers/decaycheck.py folds again from the recording's samples,
#   and the tree's loss the whole region;
# - the summary says the same rate and half-life;
# - the TUI's decay view (key d) of a replay of the recording says them
#   too, for the tree, and has a line for every member; so does the
#   plot's description (SVG);
# - live: the view open while a recorded run goes (--record on a
#   terminal) ends on the figures of that recording.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux_lib.sh"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
DECAYFORK=${DECAYFORK:?DECAYFORK must name tests/helpers/decayfork}
MIB=32 WORKERS=2 STEPS=4

run --record "$TMP/d.json" -i 50 -- "$DECAYFORK" $MIB $WORKERS $STEPS
[ "$rc" = 0 ] || fail "decayfork: exit $rc: $(cat "$TMP/err")"
no_leftovers
"$PY" "$SRCDIR/tests/helpers/decaycheck.py" "$TMP/d.json" >"$TMP/fold" ||
	fail "the recorded decay is not the samples' (above)"
note "recomputed: $(cat "$TMP/fold")"
# the summary's decay rows (what was lost, its rate, the half-life) are
# the recorded ones, which decaycheck.py just folded again from the samples
$PY "$SRCDIR/tests/e2e/check_summary.py" "$TMP/out" "$TMP/d.json" >&2 || fail "the summary's decay rows"

$PY - "$TMP/d.json" $MIB $WORKERS $STEPS <<'PYEOF' || fail "the decay is not the sizes'"
import json, sys
d = json.load(open(sys.argv[1]))
mib, workers, steps = (int(a) for a in sys.argv[2:5])
r = d["runs"][0]
slice_kb = mib * 1024 // steps
# a few pages of a stack or of libc's data may be copied besides
TOL = 64
phases = {p["name"]: p for p in r["phases"]}
bad = []

def still(k):
    """the last sample of one moment with every figure read in still k"""
    p = phases[f"still{k}"]
    ss = [s for s in r["samples"] if p["start_s"] <= s["t"] and
          (p["end_s"] is None or s["t"] <= p["end_s"]) and s["total"]["consistent"] and
          all(q["smaps"] in ("read", "exact") for q in s["procs"])]
    if not ss:
        bad.append(f"no sample of one moment in still{k}")
        return None
    return ss[-1]

def split(s):
    pss = sum(q["pss_kb"] for q in s["procs"])
    uss = sum(q["private_clean_kb"] + q["private_dirty_kb"] for q in s["procs"])
    w = {q["pid"]: (q["shared_clean_kb"] + q["shared_dirty_kb"], q["private_dirty_kb"])
         for q in s["procs"] if q["role"] == "worker"}
    return pss - uss, uss, w

s0 = still(0)
if s0:
    sh0, uss0, w0 = split(s0)
    if len(w0) != workers:
        bad.append(f"{len(w0)} workers in still0, {workers} forked")
    for k in range(1, steps + 1):
        s = still(k)
        if not s:
            continue
        sh, uss, w = split(s)
        cases = [(f"still{k}: tree's shared part", sh, sh0 - k * slice_kb),
                 (f"still{k}: tree's ΣUSS", uss, uss0 + (workers + 1) * k * slice_kb)]
        for pid, (wsh, wpd) in w.items():
            cases.append((f"still{k}: worker {pid}'s shared", wsh, w0[pid][0] - k * slice_kb))
            cases.append((f"still{k}: worker {pid}'s Private_Dirty", wpd, w0[pid][1] + k * slice_kb))
        for what, got, want in cases:
            if abs(got - want) > TOL * (workers + 1):
                bad.append(f"{what} {got} KiB, the sizes give {want}")
        print(f"# still{k} at {s['t']:.3f} s: shared part {sh} KiB, ΣUSS {uss} KiB", file=sys.stderr)
t = r["decay"]["tree"]
if abs(t["lost_kb"] - mib * 1024) > TOL * (workers + 1):
    bad.append(f"the tree lost {t['lost_kb']} KiB of its shared part, the region is {mib * 1024}")
if t["half_life_s"] is None:
    bad.append("no half-life: the whole region was copied")
elif t["start_s"] + t["half_life_s"] < phases["dirty1"]["start_s"]:
    bad.append("half of the shared part was gone before the first slice was copied")
for b in bad:
    print("check failed:", b)
sys.exit(1 if bad else 0)
PYEOF

# the rate and half-life of a fold (decaycheck.py's line in $1) as the
# views say them: one decimal of MiB/s, fmt_seconds() of src/util/fmt.c
said() {
	read -r _ _ _ _ _ _ rate half <"$1"
	want_rate=$("$PY" -c 'import sys; print(f"{float(sys.argv[1]) / 1024:.1f} MiB/s")' "$rate")
	want_half=$("$PY" -c 'import sys; h = float(sys.argv[1]); print(f"{h * 1e3:.0f} ms" if h < 0.1 else f"{h:.2f} s" if h < 10 else f"{h:.1f} s")' "$half")
}

# the summary says the recorded figures
said "$TMP/fold"
grep -q "^lost at  *$want_rate\$" "$TMP/out" ||
	fail "the summary's rate is not $want_rate: $(grep -a 'lost at' "$TMP/out")"
grep -q "^shared half-life  *$want_half\$" "$TMP/out" ||
	fail "the summary's half-life is not $want_half: $(grep -a 'half-life' "$TMP/out")"
grep -q "^sharing decay of decayfork: .* lost at $want_rate, half gone after $want_half" "$TMP/out" ||
	fail "no decay line in the summary: $(cat "$TMP/out")"
# "first to lose half": the member of the recording that halved first,
# its role, and for the parent why (its page turns private once every
# worker has copied it)
"$PY" - "$TMP/d.json" "$TMP/out" <<'PYEOF' || fail "the summary's first to lose half"
import json, re, sys
run = json.load(open(sys.argv[1]))["runs"][0]
ms = [m for m in run["decay"]["members"] if m["half_life_s"] is not None and m["lost_kb"] > 0]
line = next(l for l in open(sys.argv[2], encoding="utf-8") if l.startswith("sharing decay of "))
m = re.search(r"first to lose half: (\d+) \((\w+)\), after [^ ]+ ?(.*)$", line.rstrip("\n"))
if not ms:
    assert m is None, line
else:
    first = min(ms, key=lambda x: x["half_life_s"])
    assert m and int(m.group(1)) == first["pid"] and m.group(2) == first["role"], (line, first)
    assert ("turns private once every worker has copied it" in m.group(3)) == \
        (first["role"] == "parent"), (line, first["role"])
    print("# first to lose half:", first["pid"], first["role"], file=sys.stderr)
PYEOF
"$SHMVIZ" --plot "$TMP/d.json" -o "$TMP/d.svg" 2>"$TMP/err" || fail "--plot: $(cat "$TMP/err")"
grep -q "Sharing decay of decayfork: .* lost at $want_rate, half gone after $want_half" "$TMP/d.svg" ||
	fail "the plot's description does not say the decay: $(grep -o '<desc>.*' "$TMP/d.svg")"

# the decay view of the replay: the whole recording's figures
start v 150 32 -- --replay "$TMP/d.json" --speed 0.25
wait_for v "decayfork"
keys v d
wait_for v "sharing decay"
grep -Eq "│ *tree .* at $want_rate +half-life $want_half" "$TMP/screen" ||
	fail "the decay view's tree line does not say $want_rate and $want_half: $(cat "$TMP/screen")"
# a line for every member, named by its pid and its role in the samples
# (the short name: par, wkr, hlp, chd)
for pr in $("$PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
roles = {p["pid"]: p["role"] for s in r["samples"] for p in s["procs"]}
short = {"parent": "par", "worker": "wkr", "helper": "hlp", "child": "chd"}
print(" ".join("%d:%s" % (m["pid"], short[roles[m["pid"]]]) for m in r["decay"]["members"]))' "$TMP/d.json"); do
	grep -Eq "│ *${pr%%:*} ${pr#*:} " "$TMP/screen" ||
		fail "no line of member ${pr%%:*} (${pr#*:}) in the decay view: $(cat "$TMP/screen")"
done
keys v Escape
wait_for v "╭─ decayfork"
grep -q "sharing decay" "$TMP/screen" && fail "Esc left the decay view open: $(cat "$TMP/screen")"
keys v q
wait_exit v
[ "$rc" = 0 ] || fail "the replay exited $rc"

# at 80x24, the smallest size: the loss, its rate and half-life still
# whole on the tree's line (the private part and the bar give way)
start n 80 24 -- --replay "$TMP/d.json" --speed 0.25
wait_for n "decayfork"
keys n d
wait_for n "sharing decay"
grep -Eq "│ *tree .* lost [^ ]+ at $want_rate +half-life $want_half *│" "$TMP/screen" ||
	fail "80 columns: the decay view's tree line is cut before its rate and half-life: $(cat "$TMP/screen")"
keys n q
wait_exit n
[ "$rc" = 0 ] || fail "the 80-column replay exited $rc"

# live: d before the fork; the window closes when the workers exit
start l 150 32 -- --record "$TMP/l.json" -i 50 -- "$DECAYFORK" $MIB $WORKERS $STEPS
wait_for l "decayfork"
keys l d
wait_for l "sharing decay"
wait_for l "a process left: closed"
cp "$TMP/screen" "$TMP/live"
keys l q
wait_exit l
[ "$rc" = 0 ] || fail "the live run exited $rc: $(cat "$TMP/err.l")"
"$PY" "$SRCDIR/tests/helpers/decaycheck.py" "$TMP/l.json" >"$TMP/lfold" ||
	fail "live: the recorded decay is not the samples' (above)"
said "$TMP/lfold"
grep -Eq "│ *tree .* at $want_rate +half-life $want_half" "$TMP/live" ||
	fail "live: the decay view's tree line does not say $want_rate and $want_half: $(cat "$TMP/live")"
no_leftovers
echo "ok"
