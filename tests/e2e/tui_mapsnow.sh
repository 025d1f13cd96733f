#!/bin/bash
# Enter on a process (and t) read its mappings at once, not when the
# budget next allows (docs/architecture.md, "Mappings"). At --budget 0.1
# the token bucket holds 1 ms of CPU (a second's budget) and a snapshot of
# three processes mapping 256 MiB each costs several: once the hold's
# snapshot was paid, the budget never pays for another. So the view,
# opened after the hold began, shows a snapshot read after it was opened
# only because it was read at once; the 256 MiB anonymous mapping is its
# own row, mapped by the three processes.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
SHMFORK=${SHMFORK:?SHMFORK must name tests/helpers/shmfork}

start a 120 34 SHMFORK_PRIVATE=1 -- --record "$TMP/r.json" --budget 0.1 -i 100 -- "$SHMFORK" 256 2 600
# the pane's title gives the hold's own length: the run's time now is the
# hold's start (from the recording, once it ends) and that length
wait_for a "─ hold [0-9.]+ s ─"
held=$(grep -Eo "─ hold [0-9.]+ s ─" "$TMP/screen" | head -1 | awk '{print $3}')
[ -n "$held" ] || fail "no time in the pane's title: $(cat "$TMP/screen")"
keys a t
wait_for a "groups of run shmfork across its 3 processes"
wait_for a "read at [0-9.]+ s, phase hold"
at=$(grep -Eo "read at [0-9.]+ s, phase hold" "$TMP/screen" | awk '{print $3}')
grep -Eq "anon +\[anon\] [0-9a-f]+-[0-9a-f]+, 256 MiB, shared" "$TMP/screen" ||
	fail "no row of the 256 MiB mapping: $(cat "$TMP/screen")"
grep -EA3 "anon +\[anon\] [0-9a-f]+-[0-9a-f]+, 256 MiB" "$TMP/screen" | grep -c "[├└]─" | grep -q 3 ||
	fail "the 256 MiB mapping is not under its 3 processes: $(cat "$TMP/screen")"
# Enter on a process: its own groups, read at once again
keys a Escape
wait_for a "╭─ shmfork"
keys a j
keys a Enter
wait_for a "pid [0-9]+ (parent|worker) \(shmfork\): [0-9]+ groups, by PSS"
# it first shows the snapshot of $at s, the newest there is, until the one
# read at once comes (never, were it left to the budget: 60 s at most)
i=0
while :; do
	wait_for a "read at [0-9.]+ s, phase hold"
	at2=$(grep -Eo "read at [0-9.]+ s, phase hold" "$TMP/screen" | awk '{print $3}')
	awk -v a="$at2" -v n="$at" 'BEGIN { exit !(a > n) }' && break
	i=$((i + 1))
	[ $i -lt 300 ] || fail "Enter shows the snapshot of $at s still, none read at once: $(cat "$TMP/screen")"
	sleep 0.2
done
grep -Eq "anon +\[anon\] [0-9a-f]+-[0-9a-f]+, 256 MiB, shared" "$TMP/screen" ||
	fail "no row of the 256 MiB mapping in the process's view: $(cat "$TMP/screen")"
keys a q
wait_exit a
[ "$rc" = 0 ] || [ "$rc" = 130 ] || fail "exit $rc: $(cat "$TMP/err.a")"
no_leftovers
now=$("$PY" -c 'import json, sys; r = json.load(open(sys.argv[1]))["runs"][0]; print([p["start_s"] for p in r["phases"] if p["name"] == "hold"][0] + float(sys.argv[2]))' "$TMP/r.json" "$held")
note "t pressed at $now s or later; the view showed a snapshot read at $at s"
# read after the key, not the hold's own snapshot before it
awk -v a="$at" -v n="$now" 'BEGIN { exit !(a >= n) }' ||
	fail "the view showed a snapshot read at $at s, before t was pressed ($now s)"
