#!/bin/bash
# Whose processes a recording holds, and what --attach accepts:
# - root recording a tree of another user (nobody, through setpriv) with
#   --attach and --mappings: the recording and its CSV export are 0600
#   under umask 022, though /proc hid that tree from everyone else; a tree
#   of root's own gets 0644, as the umask says; a command run as -- that
#   becomes nobody (setpriv, then exec) makes a 0600 recording too;
# - --attach TID, TID a thread that is not its process's leader: refused
#   up front, one line naming the process (exit 2), nothing written.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
id nobody >/dev/null 2>&1 || skip "no user nobody"
command -v setpriv >/dev/null || skip "no setpriv (util-linux)"
umask 022
chmod 755 "$TMP"   # nobody's sleep needs no file of ours, but its cwd may be here
NOBODY=$(id -u nobody)

TREES=()
trap 'for t in "${TREES[@]}"; do pkill -KILL -s "$t" 2>/dev/null; done; cleanup' EXIT

# a tree of two sleeps (root and child), a session of its own, without the
# test's tag; its root's pid in $tree once its uid is $1's
start_tree() { # UID [PREFIX...]
	local want=$1
	shift
	env -u SHMVIZ_TEST_TAG setsid "$@" sh -c 'sleep 120 & exec sleep 120' </dev/null >/dev/null 2>&1 &
	tree=$!
	TREES+=("$tree")
	for _ in $(seq 200); do
		[ "$(awk '/^Uid:/ { print $3 }' "/proc/$tree/status" 2>/dev/null)" = "$want" ] &&
			[ "$(cat "/proc/$tree/comm" 2>/dev/null)" = sleep ] &&
			[ -n "$(pgrep -P "$tree")" ] && return 0
		sleep 0.05
	done
	fail "the tree as uid $want did not start"
}

# the recording holds the tree's processes (pids the test knows)
holds_tree() { # JSON ROOT
	$PY - "$1" "$2" <<'PYEOF' || fail "$1 does not hold the tree of $2"
import json, sys
d = json.load(open(sys.argv[1]))
pids = {p["pid"] for r in d["runs"] for s in r["samples"] for p in s["procs"]}
assert int(sys.argv[2]) in pids and len(pids) == 2, pids
PYEOF
}

for who in nobody root; do
	if [ $who = nobody ]; then
		start_tree "$NOBODY" setpriv --reuid=nobody --regid=nogroup --clear-groups --
		want=600
	else
		start_tree 0
		want=644
	fi
	run --record "$TMP/$who.json" --export-csv "$TMP/$who.csv" --attach "$tree" \
		--duration 0.5 -i 50 --mappings
	[ "$rc" = 0 ] || fail "attach to $who's tree: exit $rc: $(cat "$TMP/err")"
	holds_tree "$TMP/$who.json" "$tree"
	got="$(stat -c %a "$TMP/$who.json") $(stat -c %a "$TMP/$who.csv")"
	[ "$got" = "$want $want" ] || fail "attach to $who's tree: modes $got, want $want $want"
	no_leftovers
done

# a command that becomes nobody: once the recording holds it as nobody's
# sleep, the file is 0600
run --record "$TMP/cmd.json" -i 50 -- setpriv --reuid=nobody --regid=nogroup --clear-groups -- sleep 0.6
[ "$rc" = 0 ] || fail "-- setpriv: exit $rc: $(cat "$TMP/err")"
if $PY -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if any(p["comm"] == "sleep" for r in d["runs"] for s in r["samples"] for p in s["procs"]) else 1)' "$TMP/cmd.json"; then
	[ "$(stat -c %a "$TMP/cmd.json")" = 600 ] || fail "-- setpriv: mode $(stat -c %a "$TMP/cmd.json"), want 600"
else
	note "the run never sampled nobody's sleep: the -- case proves nothing"
fi
no_leftovers

# --attach TID: a thread of a process (python: a second thread waiting)
env -u SHMVIZ_TEST_TAG setsid $PY -c '
import threading, time
threading.Thread(target=threading.Event().wait, daemon=True).start()
time.sleep(120)' </dev/null >/dev/null 2>&1 &
proc=$!
TREES+=("$proc")
tid=
for _ in $(seq 200); do
	tid=$(ls "/proc/$proc/task" 2>/dev/null | grep -vx "$proc" | head -1)
	[ -n "$tid" ] && break
	sleep 0.05
done
[ -n "$tid" ] || fail "the thread did not start"
expect_error 2 "^shmviz: --attach: $tid is a thread of process $proc, not a process: attach to $proc$" \
	--record "$TMP/t.json" --attach "$tid" --duration 0.5
[ -e "$TMP/t.json" ] && fail "--attach TID wrote a recording"
[ -s "$TMP/out" ] && fail "--attach TID ran: $(cat "$TMP/out")"
# its process is accepted
run --record "$TMP/t.json" --attach "$proc" --duration 0.3 -i 50
[ "$rc" = 0 ] || fail "--attach $proc: exit $rc: $(cat "$TMP/err")"
echo ok
