#!/bin/bash
# Replay labels say what the moment shows: at Home both pane titles read
# "not started yet" and the caption says so without a "?"; stepping from
# the end back to the start, no title ever reads "starting" once a run
# has begun (after the exit phase it reads "exited"), and no caption
# shows an unknown "?".
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"

export LANG=C.UTF-8 LC_ALL=C.UTF-8

run --record "$TMP/r.json" -w 2 -n 200k -i 20 --hold 0.2
[ "$rc" = 0 ] || fail "recording: exit $rc: $(cat "$TMP/err")"
no_leftovers

titles() { grep -E '^╭' "$TMP/screen"; }
caption() { grep -F ' › ' "$TMP/screen" || true; }

start p 120 32 -- --replay "$TMP/r.json"
wait_for p "[▶⏸] [0-9.]+ s / [0-9.]+ s"
keys p Space
wait_for p "⏸ "
keys p Home
wait_for p "⏸ 0.000 s"
keys_settle p
titles > "$TMP/t0"
[ "$(grep -o 'not started yet' "$TMP/t0" | wc -l)" = 2 ] || fail "Home: the titles do not both say 'not started yet': $(cat "$TMP/t0")"
caption > "$TMP/c0"
grep -q "not started yet" "$TMP/c0" || fail "Home: the caption does not say the run has not started: $(cat "$TMP/c0")"
grep -q '?' "$TMP/c0" && fail "Home: an unknown '?' in the caption: $(cat "$TMP/c0")"

# from the end back to the start, one sample a step; "starting" (a run
# whose tree exists but has announced no phase) only before every run's
# first phase began
first=$("$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(max(r["phases"][0]["start_s"] for r in d["runs"]))' "$TMP/r.json")
keys p End
keys_settle p
titles | grep -q "done in" || fail "End: no 'done in' title: $(titles)"
steps=0 exited=0 last=""
while [ $steps -lt 400 ]; do
	keys p Left
	keys_settle p
	pos=$(replay_position p)
	titles > "$TMP/t"
	grep -q "starting" "$TMP/t" &&
		awk -v p="$pos" -v f="$first" 'BEGIN { exit !(p > f + 0.0005) }' &&
		fail "at $pos s a title reads 'starting': $(cat "$TMP/t")"
	grep -q "exited" "$TMP/t" && exited=$((exited + 1))
	caption > "$TMP/c"
	grep -q '?' "$TMP/c" && fail "at $pos s an unknown '?' in the caption: $(cat "$TMP/c")"
	[ "$pos" = "0.000" ] && break
	[ "$pos" = "$last" ] && break
	last=$pos steps=$((steps + 1))
done
[ "$pos" = "0.000" ] || fail "stepping back never reached 0 (at $pos after $steps steps)"
# a moment after the exit phase and before the run's end is shown as
# such when the recording has a sample there
want=$("$PY" - "$TMP/r.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
n = 0
for r in d["runs"]:
    end = r["phases"][-1]["end_s"]
    length = max(r["result"]["total_s"], r["samples"][-1]["t"])
    n += sum(1 for s in r["samples"] if end is not None and end <= s["t"] < length)
print(n)
PY
)
note "$steps steps back, $exited with an 'exited' title; samples after an exit phase, before the end: $want"
[ "$want" = 0 ] || [ "$exited" -gt 0 ] || fail "the recording has $want samples after an exit phase, yet no title said 'exited'"
keys p q
wait_exit p
[ "$rc" = 0 ] || fail "q: exit $rc"
[ "$restored" = restored ] || fail "terminal modes not restored"
no_leftovers
echo "ok: not started yet, exited, done; no '?' in captions"
