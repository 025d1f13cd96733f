#!/bin/bash
# --record FILE on a terminal: the TUI shows the session while it is
# recorded (a REC badge, r off so the file keeps the session shown); q
# ends it with the file written and the summary printed; the recording
# replays to the very comparison line the screen showed, peaks and times.
# --headless keeps the TUI off on a terminal. With a CPU hog on every
# core too.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

strip_of() { grep -E '^ shared .* — copy ' "$1" | head -1 | sed 's/ *$//'; }

session() { # NAME
	local nm=$1
	rm -f "$TMP/$nm.json"
	start "$nm" 120 32 -- --record "$TMP/$nm.json" -w 2 -n 1M --hold 0.3
	wait_for "$nm" "REC"
	wait_for "$nm" "shared .* — copy .*(faster|slower|as fast)"
	live=$(strip_of "$TMP/screen")
	[ -n "$live" ] || fail "$nm: no comparison on the screen"
	grep -q "r rerun" "$TMP/screen" && fail "$nm: r is offered while recording"
	keys "$nm" r
	keys_settle "$nm"
	wait_for "$nm" "shared .* — copy "
	[ "$(strip_of "$TMP/screen")" = "$live" ] || fail "$nm: r changed the session: $(strip_of "$TMP/screen")"
	[ -e "$TMP/$nm.json" ] && fail "$nm: the recording is there before the session ended"
	keys "$nm" q
	wait_exit "$nm"
	[ "$rc" = 0 ] || fail "$nm: exit $rc: $(cat "$TMP/err.$nm")"
	[ "$restored" = restored ] || fail "$nm: terminal modes not restored"
	screen_of "$nm" > "$TMP/after.$nm"
	grep -q '^peak ΣPSS' "$TMP/after.$nm" || fail "$nm: no summary after the TUI: $(cat "$TMP/after.$nm")"
	[ -s "$TMP/$nm.json" ] || fail "$nm: no recording"
	"$PY" "$SRCDIR/tests/e2e/check_recording.py" "$TMP/$nm.json" --runs shared,copy >&2 ||
		fail "$nm: the recording is not valid"
	[ -n "${HOGGING:-}" ] || no_leftovers
	# the summary's peaks are the strip's
	for run in shared copy; do
		# a range ("≥ 27 MiB (≤ 33 MiB)") is its lower end in the table
		want=$(echo "$live" | grep -Eo "$run [^,]+, peak (≥ )?[0-9.]+ [KMG]iB" | sed 's/.*peak //; s/^≥ /≥/')
		got=$(sed -n 's/^peak ΣPSS *//p' "$TMP/after.$nm" | awk -F '  +' -v c=$([ $run = shared ] && echo 1 || echo 2) '{ print $c }')
		[ -n "$want" ] && [ "$want" = "$got" ] || fail "$nm: $run peak on screen '$want', in the summary '$got'"
	done
	# the replay's end shows what the screen showed
	start "r$nm" 120 32 -- --replay "$TMP/$nm.json"
	keys "r$nm" End
	wait_for "r$nm" "⏸ "
	wait_for "r$nm" "shared .* — copy "
	replayed=$(strip_of "$TMP/screen")
	[ "$replayed" = "$live" ] || fail "$nm: the replay ends with
  $replayed
while the screen showed
  $live"
	keys "r$nm" q
	wait_exit "r$nm"
	note "$nm: $live"
}

session quiet
start_hogs 300
HOGGING=1
session hogs
stop_hogs
HOGGING=
no_leftovers

# --repeat: once every round ended, the strip gives the verdict of the
# round the summary's table and the recording hold (the median one), its
# times and peaks those of the recording's runs[]
rm -f "$TMP/rep.json"
start R 120 32 -- --record "$TMP/rep.json" --repeat 3 -w 2 -n 1M --hold 0
# (the strip is shown from the first round on: the rounds' line under it
# says they all ended)
wait_for R "3 of 3 rounds, median \[min, max\]: shared "
live=$(strip_of "$TMP/screen")
echo "$live" | grep -Eq "shared .* — copy .*(faster|slower|as fast)" ||
	fail "--repeat: no verdict over the rounds line: $(cat "$TMP/screen")"
keys R q
wait_exit R
[ "$rc" = 0 ] || fail "--repeat: exit $rc: $(cat "$TMP/err.R")"
screen_of R > "$TMP/after.R"
"$PY" - "$TMP/rep.json" "$live" "$TMP/after.R" <<'PYEOF' || fail "--repeat: the strip is not the recorded round"
import json, re, sys
d = json.load(open(sys.argv[1]))
live, after = sys.argv[2], open(sys.argv[3]).read()
def secs(s):
    if s < 0.1: return "%.0f ms" % (s * 1e3)
    return "%.2f s" % s if s < 10 else "%.1f s" % s
k = d["repeat"]["shown_round"]
for r in d["runs"]:
    # the strip names each run with its time
    assert re.search(r"\b%s %s\b" % (r["name"], re.escape(secs(r["result"]["wall_s"]))), live), (r["name"], secs(r["result"]["wall_s"]), live)
    wall = [x["wall_s"] for x in d["repeat"]["runs"][[q["name"] for q in d["runs"]].index(r["name"])]["rounds"]]
    assert wall[k - 1] == r["result"]["wall_s"], (wall, k)
assert "round %d, the median one" % k in " ".join(after.split()), after
PYEOF
no_leftovers

# q in the middle of a run (the shared run's hold of 60 s): the run was
# stopped by the user, not failed: its state "stopped" in the recording
# (ok false, its cause said, the session not interrupted, copy never
# started), exit 0, the summary's result cell "stopped" and its note; the
# recording replays (--plot says the run stopped)
rm -f "$TMP/q.json"
start Q 120 40 -- --record "$TMP/q.json" -w 2 -n 1M --hold 60
wait_for Q "─ hold [0-9.]+ m?s ─"
keys Q q
wait_exit Q
[ "$rc" = 0 ] || fail "q mid-run: exit $rc: $(cat "$TMP/err.Q")"
screen_of Q | sed 's/ *$//' > "$TMP/after.Q"
"$PY" - "$TMP/q.json" "$TMP/after.Q" <<'PYEOF' || fail "q mid-run: $(cat "$TMP/after.Q")"
import json, re, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
a, b = d["runs"]
assert (a["state"], a["ok"], a["cause"]) == ("stopped", False, "stopped by the user"), (a["state"], a["ok"], a["cause"])
assert b["state"] == "waiting" and not b["ok"], b["state"]
assert d["interrupted"] is False and d["signal"] is None, (d["interrupted"], d["signal"])
assert re.search(r"^result +stopped +waiting$", text, re.M), "no result row 'stopped waiting'"
assert "shared: stopped by the user (q): its figures end there" in " ".join(text.split()), "no note"
assert "failed" not in text, "a run said to have failed"
PYEOF
"$PY" "$SRCDIR/tests/e2e/check_summary.py" "$TMP/after.Q" "$TMP/q.json" --cols 120 >&2 ||
	fail "q mid-run: the summary against the recording"
"$SHMVIZ" --plot "$TMP/q.json" -o "$TMP/q.svg" 2>"$TMP/err" || fail "q mid-run: no plot: $(cat "$TMP/err")"
grep -q "shared (stopped by the user): " "$TMP/q.svg" || fail "q mid-run: the plot's description does not say the run was stopped"
# its replay's end: the pane's header says who stopped the run, not a failure
start rQ 120 40 -- --replay "$TMP/q.json"
keys rQ End
wait_for rQ "⏸ "
wait_for rQ "shared .* stopped by the user"
grep -q "failed" "$TMP/screen" && fail "q mid-run: the replay says failed: $(cat "$TMP/screen")"
keys rQ q
wait_exit rQ
no_leftovers
# one run, stopped: every run ended, yet the caption is the stopped run's
# (never the comparison's "done"), its ΣPSS the replay's last sample's
rm -f "$TMP/q1.json"
start Q1 120 40 -- --record "$TMP/q1.json" --mode shared -w 2 -n 1M --hold 60
wait_for Q1 "─ hold [0-9.]+ m?s ─"
keys Q1 q
wait_exit Q1
start rQ1 120 40 -- --replay "$TMP/q1.json"
keys rQ1 End
wait_for rQ1 "⏸ "
wait_for rQ1 "shared was stopped by the user \(q\): its figures end there"
keys rQ1 q
wait_exit rQ1
"$PY" - "$TMP/q1.json" "$TMP/screen" <<'PYEOF' || fail "one run stopped: the caption: $(cat "$TMP/screen")"
import json, re, sys
r = json.load(open(sys.argv[1]))["runs"][0]
text = " ".join(open(sys.argv[2]).read().split())
kb = [s["total"]["pss_kb"] for s in r["samples"] if s["total"]["pss_kb"] is not None][-1]
v, u = float(kb), 0
while v >= 1024 and u < 4:
    v, u = v / 1024, u + 1
want = (f"{v:.1f} {'KMGTP'[u]}iB" if v < 9.95 and u else f"{v:.0f} {'KMGTP'[u]}iB")
m = re.search(r"shared was stopped by the user \(q\): its figures end there, ΣPSS (\S+ \S+)\.", text)
assert m and m.group(1) == want, (m and m.group(1), want)
PYEOF
no_leftovers

# --headless: no TUI on a terminal
start H 120 32 -- --record "$TMP/h.json" -w 1 -n 100k --hold 0 --headless
wait_exit H
[ "$rc" = 0 ] || fail "--headless: exit $rc: $(cat "$TMP/err.H")"
screen_of H > "$TMP/h.screen"
grep -q "q quit" "$TMP/h.screen" && fail "--headless: the TUI came up"
grep -q '^peak ΣPSS' "$TMP/h.screen" || fail "--headless: no summary: $(cat "$TMP/h.screen")"
[ -s "$TMP/h.json" ] || fail "--headless: no recording"
no_leftovers

# on a terminal of 70 columns (not $COLUMNS: the terminal's own width),
# in UTF-8 and in ASCII (whose stream has no descriptor of its own): the
# summary's notes wrap at spaces within the 70 columns, so the terminal
# never wraps a line (capture-pane -J joins what the terminal wrapped),
# and read whole again they are the recording's figures
for how in utf8 ascii; do
	rm -f "$TMP/n.json"
	start N 70 45 -- --record "$TMP/n.json" -w 1 -n 100k --hold 0.2 --headless \
		$([ $how = ascii ] && echo --ascii)
	wait_exit N
	[ "$rc" = 0 ] || fail "70 columns, $how: exit $rc: $(cat "$TMP/err.N")"
	tmx capture-pane -p -J -t N | sed 's/ *$//' > "$TMP/n.screen"
	grep -q "^  " "$TMP/n.screen" || fail "70 columns, $how: no note wrapped: $(cat "$TMP/n.screen")"
	if [ $how = utf8 ]; then
		"$PY" "$SRCDIR/tests/e2e/check_summary.py" "$TMP/n.screen" "$TMP/n.json" --cols 70 >&2 ||
			fail "70 columns: the summary on the terminal: $(cat "$TMP/n.screen")"
	else
		"$PY" - "$TMP/n.screen" "$TMP/n.json" <<'PYEOF' || fail "70 columns, ASCII: $(cat "$TMP/n.screen")"
import json, sys
text = open(sys.argv[1], encoding="utf-8").read().splitlines()
s = json.load(open(sys.argv[2]))["sampler"]
assert all(len(l) <= 70 for l in text), [l for l in text if len(l) > 70]
assert all(c < "\x7f" for l in text for c in l), "not ASCII"
at = next(i for i, l in enumerate(text) if l.startswith("sampler: "))
line = text[at]
for l in text[at + 1:]:
    if not l.startswith("  "):
        break
    line += " " + l[2:]
want = "sampler: %.2f s CPU (%.1f%% of a core, budget %.1f%%), %d PSS reads, %d counter reads" % (
    s["cpu_s"], 100 * s["cpu_s"] / s["wall_s"] if s["wall_s"] > 0 else 0, s["budget_pct"],
    s["pss_reads"], s["counter_reads"])
if s["pss_reads"] > 1:
    want += ", PSS every %.0f ms on average" % s["pss_interval_ms"]
assert line == want, (line, want)
PYEOF
	fi
	no_leftovers
done
echo "ok: recorded as shown, replays the same"
