#!/bin/bash
# --lesson: live, the run stops as each phase ends (its tree stopped, the
# phase that ended named, with its caption, a LESSON badge) until space, at
# every phase the recording then holds, in order; each stop shows a bounded
# sample of the phase that ended (check_lesson.py: the strip's figures are
# a recorded sample's of one moment, inside that phase); the time it stood
# still is left out of the run's timeline. --replay --lesson plays the runs
# in the order they ran and stops at the end of each of their phases.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
ARGS=(-w 2 -n 1M --hold 0.3)

# a baseline: the same session without pauses
run --record "$TMP/base.json" "${ARGS[@]}"
[ "$rc" = 0 ] || fail "baseline: exit $rc: $(cat "$TMP/err")"
no_leftovers
base=$("$PY" -c 'import json,sys; print(max(r["result"]["total_s"] for r in json.load(open(sys.argv[1]))["runs"]))' "$TMP/base.json")
nph=$("$PY" -c 'import json,sys; print(min(len(r["phases"]) for r in json.load(open(sys.argv[1]))["runs"]))' "$TMP/base.json")
# each pause long enough that the pauses of a run, were they counted,
# would make it three times the baseline's longest run
P=$(awk -v b="$base" -v n="$nph" 'BEGIN { p = 3 * b / n + 0.1; if (p < 0.5) p = 0.5; printf "%.2f", p }')
note "baseline: longest run $base s, $nph phases; pause $P s at each boundary"

start L 120 32 -- --lesson --record "$TMP/l.json" "${ARGS[@]}"
seen=""
i=0
while [ $i -lt 60 ]; do
	wait_for L "LESSON: space goes on|shared .* — copy "
	grep -q "LESSON: space goes on" "$TMP/screen" || break
	# the run stopped: its tree's processes are in state T
	# (the screen may be a frame ahead of the signal's delivery: look for
	# up to 5 s, a bound against a hang, not a timing check)
	# (at the exit boundary the tree may have ended before the stop
	# reached it: nothing alive is nothing to stop)
	stopped=0 alive=1 k=0
	while [ "$stopped" = 0 ] && [ "$alive" -gt 0 ] && [ $k -lt 100 ]; do
		alive=0
		for p in $(tagged_pids); do
			case "$(cat /proc/$p/comm 2>/dev/null)" in shmviz-shared|shmviz-copy|shmviz-w*) ;; *) continue ;; esac
			st=$(awk '{sub(/.*\) /, ""); print $1}' "/proc/$p/stat" 2>/dev/null)
			case "$st" in ''|Z|X) continue ;; esac
			alive=$((alive + 1))
			[ "$st" = T ] && stopped=$((stopped + 1))
		done
		[ "$stopped" = 0 ] && [ "$alive" -gt 0 ] && sleep 0.05
		k=$((k + 1))
	done
	[ "$stopped" -gt 0 ] || [ "$alive" = 0 ] || fail "LESSON shown, yet no process of the run is stopped: $(grep -E '^╭' "$TMP/screen")"
	title=$(grep -E '^╭' "$TMP/screen")
	ph=$(echo "$title" | grep -Eo '─ [a-z]+ [0-9.]+ [mu]?s ─' | head -1 | awk '{print $2}')
	[ -n "$ph" ] || fail "no phase in the titles at a lesson stop: $title"
	grep -q '^ › ' "$TMP/screen" || fail "no caption at the lesson stop of $ph"
	seen="$seen $ph"
	# the run stopped, its strip ("▶ shared: hold · 3 processes · ΣPSS
	# ...") and the caption's first line
	strip=$(grep -E '^ *▶ [a-z]+: ' "$TMP/screen" | head -1)
	runname=$(echo "$strip" | sed -E 's/^ *▶ ([a-z]+): .*/\1/')
	# the length the header gives the phase that ended
	printf '%s\t%s\t%s\n' "$runname" "$ph" \
		"$(echo "$title" | grep -Eo '─ [a-z]+ [0-9.]+ [mu]?s ─' | head -1 | awk '{print $3, $4}')" >> "$TMP/stoptimes"
	printf '%s\t%s\t%s\t%s\n' "$runname" "$ph" "$strip" \
		"$(grep '^ › ' "$TMP/screen" | head -1 | sed 's/^ › //; s/ *$//')" >> "$TMP/stops"
	sleep "$P"
	keys L Space
	# the next screen: a new stop or the end
	j=0
	while [ $j -lt 100 ]; do
		screen_of L > "$TMP/screen"
		t2=$(grep -E '^╭' "$TMP/screen")
		[ "$t2" != "$title" ] && break
		sleep 0.05
		j=$((j + 1))
	done
	i=$((i + 1))
done
wait_for L "shared .* — copy "
# the runs ended: their processes exited, none is shown stopped (T) as the
# lesson's stops left the frames kept
grep -E '│ *[0-9]+ +(par|wkr|hlp|chd) +([^ │]+ +){5}T( |│)' "$TMP/screen" &&
	fail "an ended run shows a process stopped: $(cat "$TMP/screen")"
grep -Eq '│ *[0-9]+ +(par|wkr|hlp|chd) +([^ │]+ +){5}x( |│)' "$TMP/screen" ||
	fail "an ended run's processes are not shown exited: $(cat "$TMP/screen")"
keys L q
wait_exit L
[ "$rc" = 0 ] || fail "lesson: exit $rc: $(cat "$TMP/err.L")"
no_leftovers
"$PY" "$SRCDIR/tests/e2e/check_recording.py" "$TMP/l.json" --runs shared,copy >&2 || fail "lesson recording"
want=$("$PY" -c 'import json,sys; print(" ".join(p["name"] for r in json.load(open(sys.argv[1]))["runs"] for p in r["phases"]))' "$TMP/l.json")
note "stops:$seen"
note "phases: $want"
[ "${seen# }" = "$want" ] || fail "the lesson stopped at
 $seen
but the recording's phases are
 $want"
"$PY" "$SRCDIR/tests/e2e/check_lesson.py" "$TMP/l.json" "$SRCDIR/assets/captions.txt" "$TMP/stops" ||
	fail "the lesson's stops against the recording: $(cat "$TMP/stops")"
# each stop gave the phase that ended its length as the recording holds it
# (end - start, to the header's precision), the one its phase row gives
# once the stop is let go: never a shorter one, up to the sample shown
"$PY" - "$TMP/l.json" "$TMP/stoptimes" "$SRCDIR/tests/e2e" <<'PY' || fail "a stop's phase length is not the recorded phase's"
import json, sys
sys.path.insert(0, sys.argv[3])
from check_summary import fmt_seconds  # src/util/fmt.c's rules, once
d = json.load(open(sys.argv[1]))


seen = {}
bad = []
for line in open(sys.argv[2]):
    run, ph, shown = line.rstrip("\n").split("\t")
    r = next(x for x in d["runs"] if x["name"] == run)
    k = seen.get(run, 0)
    seen[run] = k + 1
    p = r["phases"][k]
    want = fmt_seconds(p["end_s"] - p["start_s"])
    print("# %s %s: shown %s, recorded %s" % (run, ph, shown, want), file=sys.stderr)
    # the exit phase goes on after its stop (the end line) until the
    # tree has exited: no longer than it was recorded
    last = k + 1 == len(r["phases"]) and ph == "exit"
    v = float(shown.split()[0]) / {"s": 1, "ms": 1e3, "us": 1e6}[shown.split()[1]]
    if p["name"] != ph or (shown != want and not (last and v <= p["end_s"] - p["start_s"] + 0.0051)):
        bad.append((run, ph, shown, p["name"], want))
assert not bad, bad
PY
n=$(echo "$want" | wc -w)
"$PY" - "$TMP/l.json" "$P" <<'PY' || fail "the pauses are in the runs' times"
import json, sys
d = json.load(open(sys.argv[1])); p = float(sys.argv[2])
for r in d["runs"]:
    paused = p * len(r["phases"])
    t = r["result"]["total_s"]
    print("# %s: total %.3f s, paused %.1f s" % (r["name"], t, paused), file=sys.stderr)
    assert t < paused, (r["name"], t, paused)
    # and the hold lasted what --hold asked, the stops left out (a stop
    # of the tree within the hold once used it up: 0.04 s for 1 s)
    hold = [x["end_s"] - x["start_s"] for x in r["phases"] if x["name"] == "hold"]
    print("# %s: hold %s s (--hold 0.3)" % (r["name"], hold), file=sys.stderr)
    assert hold and hold[0] >= 0.3 - 0.005, (r["name"], "hold", hold)
PY

# --replay --lesson: the runs one after the other, in the order they ran,
# a stop at the end of each of their phases with that phase's caption, and
# the strip's figures those of the phase's newest sample of one moment, or
# of the sample its end took (check_lesson.py --replay)
replay_stops() { # NAME RECORDING OUT
	start "$1" 120 32 -- --replay "$2" --lesson
	: > "$3"
	n=0
	while :; do
		wait_for "$1" "LESSON: space goes on|⏸ [0-9.]+ s / [0-9.]+ s  1x  q"
		grep -q "LESSON" "$TMP/screen" || break
		pos=$(grep -Eo '⏸ [0-9.]+ s' "$TMP/screen" | awk '{print $2}')
		printf '%s\t%s\t%s\n' "$pos" "$(grep '^ › ' "$TMP/screen" | head -1 | sed 's/^ › //; s/ *$//')" \
			"$(grep -E '^ *▶ [a-z]+: ' "$TMP/screen" | head -1)" >> "$3"
		n=$((n + 1))
		[ $n -le 40 ] || fail "replay: more than 40 stops: $(cat "$3")"
		cp "$TMP/screen" "$TMP/before"
		keys "$1" Space
		# the next stop (two ends may print alike: the screen changes)
		k=0
		while [ $k -lt 200 ]; do
			screen_of "$1" > "$TMP/now"
			cmp -s "$TMP/now" "$TMP/before" || break
			sleep 0.05
			k=$((k + 1))
		done
		# and drawn whole: a capture taken while tmux was still painting
		# the next stop could show its strip with the stop before's
		# caption (a loaded machine), and be taken for a stop of its own
		k=0
		while [ $k -lt 40 ]; do
			sleep 0.1
			screen_of "$1" > "$TMP/again"
			cmp -s "$TMP/now" "$TMP/again" && break
			cp "$TMP/again" "$TMP/now"
			k=$((k + 1))
		done
	done
	keys "$1" q
	wait_exit "$1"
}
replay_stops R "$TMP/l.json" "$TMP/rstops"
"$PY" "$SRCDIR/tests/e2e/check_lesson.py" --replay "$TMP/l.json" "$SRCDIR/assets/captions.txt" "$TMP/rstops" ||
	fail "replay stops: $(cat "$TMP/rstops")"
# a recording one phase of which has no sample of one moment (as a 229
# MiB attach whose every sweep saw pages being mapped; made so here from
# the baseline: its shared attach's samples marked wider than one moment):
# the stop at its end shows the sample its end took, not one half-way
"$PY" - "$TMP/base.json" "$TMP/wide.json" <<'PY' || fail "no wide recording"
import json, sys
d = json.load(open(sys.argv[1]))
r = next(x for x in d["runs"] if x["name"] == "shared")
ph = next(p for p in r["phases"] if p["name"] == "attach")
n = 0
for s in r["samples"]:
    if ph["start_s"] <= s["t"] <= ph["end_s"]:
        s["total"]["pss_bound_kb"] = max(s["total"]["pss_kb"] // 2, 1024)
        s["total"]["consistent"] = False
        n += 1
after = [s for s in r["samples"] if s["t"] > ph["end_s"]]
print("# %d samples of shared's attach made wide; the first after its end at %.3f s" %
      (n, after[0]["t"]), file=sys.stderr)
json.dump(d, open(sys.argv[2], "w"))
PY
replay_stops W "$TMP/wide.json" "$TMP/wstops"
"$PY" "$SRCDIR/tests/e2e/check_lesson.py" --replay "$TMP/wide.json" "$SRCDIR/assets/captions.txt" "$TMP/wstops" ||
	fail "replay stops of a phase without a sample of one moment: $(cat "$TMP/wstops")"
no_leftovers
echo "ok: lesson stops at every boundary, live and in a replay"
