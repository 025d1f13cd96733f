#!/bin/bash
# The mappings views through tmux, live and in a replay: j selects a
# process of the table and Enter opens its mapping groups (the segment
# first, by PSS), t the groups of the run with the processes that map each
# under it (the segment mapped by W+1), Esc goes back to the panes; a
# recording without mappings says so; q quits with 0 and the terminal
# restored, nothing left behind.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"

export LANG=C.UTF-8 LC_ALL=C.UTF-8
W=2

# both views on name and figures; $1 the session
views() {
	keys "$1" j
	keys "$1" Enter
	wait_for "$1" "mappings shared"
	wait_for "$1" "pid [0-9]+ parent .*groups, by PSS"
	# live, a read of the hold comes within the budget while the view is
	# open (a second at most)
	wait_for "$1" "shm +/dev/shm/shmviz-"
	# the parent's largest group by PSS is the segment, first under the
	# heading
	grep -A1 "PSS   RSS  ShCl  ShDr" "$TMP/screen" | tail -n 1 | grep -q "shm *\/dev\/shm\/shmviz-" ||
		fail "$1: the segment is not the first group of the parent: $(cat "$TMP/screen")"
	keys "$1" t
	wait_for "$1" "groups of run shared across its $((W + 1)) processes"
	# live, the view shows the newest read: one of the hold comes within
	# the budget while it is open
	wait_for "$1" "^│ +[0-9.]+[KMG]? .* $((W + 1)) +shm +/dev/shm/shmviz-"
	[ "$(grep -c "[├└]─ [0-9]* \(par\|wkr\)" "$TMP/screen")" -ge $((W + 1)) ] ||
		fail "$1: the segment's processes are not under it: $(cat "$TMP/screen")"
	keys "$1" Escape
	wait_for "$1" "╭─ shared ·"
	grep -q "mapping groups\|groups, by PSS" "$TMP/screen" && fail "$1: Esc left a view open: $(cat "$TMP/screen")"
	return 0
}

# --- live: in the hold of the shared run --------------------------------
start a 110 34 -- -w $W -n 1M --hold 600 --mode shared
wait_for a "─ hold [0-9.]+ m?s ─"
views a
keys a q
wait_exit a
[ "$rc" = 0 ] || fail "live: exit $rc: $(cat "$TMP/err.a")"
[ "$restored" = restored ] || fail "live: terminal modes not restored"
no_leftovers

# --- replay of a recording with --mappings ------------------------------
run --record "$TMP/m.json" --mappings -w $W -n 1M --hold 1 --mode shared
[ "$rc" = 0 ] || fail "recording: exit $rc: $(cat "$TMP/err")"
start r 110 34 -- --replay "$TMP/m.json"
wait_for r "[▶⏸] [0-9.]+ s"
keys r Space
keys r End
wait_for r "⏸"
# the hold: the last snapshot before the exit phase
hold_t=$($PY -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]; print([p["start_s"] for p in r["phases"] if p["name"]=="hold"][0])' "$TMP/m.json")
keys r Home
i=0
while ! screen_of r | grep -Eq "─ hold [0-9.]+ m?s ─" && [ $i -lt 400 ]; do keys r Right; sleep 0.05; i=$((i + 1)); done
wait_for r "─ hold [0-9.]+ m?s ─"
views r
keys r q
wait_exit r
[ "$rc" = 0 ] || fail "replay: exit $rc: $(cat "$TMP/err.r")"
[ "$restored" = restored ] || fail "replay: terminal modes not restored"
note "hold of the recording began at $hold_t s"

# a recording without --mappings: the view says so
run --record "$TMP/plain.json" -w $W -n 100k --hold 0.2 --mode shared
[ "$rc" = 0 ] || fail "plain recording: exit $rc: $(cat "$TMP/err")"
start n 100 30 -- --replay "$TMP/plain.json"
wait_for n "[▶⏸] [0-9.]+ s"
keys n t
wait_for n "no mappings in this recording \\(shmviz --record FILE --mappings\\)"
keys n Escape
wait_for n "╭─ shared ·"
keys n q
wait_exit n
[ "$rc" = 0 ] || fail "replay without mappings: exit $rc"
no_leftovers
