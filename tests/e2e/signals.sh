#!/bin/bash
# Signals at every moment of a headless run, and SIGKILL of shmviz itself:
#
# - SIGINT, SIGTERM and SIGHUP during start-up (pending before shmviz has
#   any handler), while the shared segment exists, during the copy
#   transfer, and while recording the hold phase: the tree is stopped and
#   reaped, the segment unlinked, the recording finalised whole with
#   "interrupted": true and the signal, and shmviz exits 128+N;
# - SIGKILL of shmviz while the segment exists: the workload still unlinks
#   it (its parent-death signal is SIGTERM) and every worker dies;
# - SIGKILL of shmviz and of the workload at once, so that nobody can
#   unlink: the next shmviz removes the stale segment and says so.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

F="$PY $SRCDIR/tests/e2e/faults.py"
J="$TMP/r.json"
BIG=20M      # 480 MB: the segment and the transfer last long enough to see

# launch [faults.py options] -- shmviz args: sets $how (exit N / signal N)
launch() {
	rm -f "$J"
	$F run --out "$TMP/out" --err "$TMP/err" "$@" >"$TMP/launch" ||
		fail "faults.py $*: $(cat "$TMP/launch")"
	how=$(tail -n 1 "$TMP/launch")
}

# expect_interrupted SIG [jq-like python check on d]
expect_interrupted() {
	sig=$1 check=${2:-True}
	num=$(kill -l "$sig")
	[ "$how" = "exit $((128 + num))" ] ||
		fail "SIG$sig: $how, expected exit $((128 + num)) (stderr: $(cat "$TMP/err"))"
	$PY - "$J" "$num" <<EOF || fail "SIG$sig: recording check: $check"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))
assert d["interrupted"] is True and d["signal"] == int(sys.argv[2]), d.get("interrupted")
assert $check
EOF
	no_leftovers
}

# 1. start-up: the signal is pending before main() runs
for sig in INT TERM HUP; do
	launch --pending "$sig" -- "$SHMVIZ" --record "$J" -w 2 -n 200k --hold 0
	expect_interrupted "$sig" \
		'all(r["state"] == "waiting" and r["samples"] == [] for r in d["runs"])'
done

# 1b. at moments spread over start-up: before main() has blocked the
#     signals the default action kills shmviz, with nothing made yet;
#     after, the loop sees it. Either way nothing is left.
for d in 0 0.001 0.002 0.005 0.01 0.02 0.05 0.1; do
	launch --at delay:$d --signal TERM -- "$SHMVIZ" --record "$J" -w 2 -n 200k --hold 0
	case $how in
	"signal 15") [ -e "$J" ] && fail "killed at start-up, yet $J exists" ;;
	"exit 143") expect_interrupted TERM ;;
	"exit 0") ;; # done before the signal came: a whole recording
	*) fail "SIGTERM after ${d}s: $how (stderr: $(cat "$TMP/err"))" ;;
	esac
	no_leftovers
done

# 2. while the shared segment exists (fill, before every worker attached)
launch --at segment --signal TERM -- \
	"$SHMVIZ" --record "$J" --mode shared -w 2 -n $BIG --hold 0
expect_interrupted TERM \
	'd["runs"][0]["state"] == "failed" and "interrupted" in d["runs"][0]["cause"]'

# 3. during the copy transfer: a worker holds part of the table
launch --at rss:shmviz-w:50000 --signal INT -- \
	"$SHMVIZ" --record "$J" --mode copy -w 2 -n $BIG --hold 0 -i 20
expect_interrupted INT \
	'any(p["name"] == "transfer" for p in d["runs"][0]["phases"]) and len(d["runs"][0]["samples"]) > 0'

# 4. while recording the hold phase of the first run (shmviz has read its
#    "phase hold", and sampled it since); the second run never starts
launch --at phase:shared:hold+0.3 --signal HUP -- \
	"$SHMVIZ" --record "$J" -w 2 -n 200k --hold 30 -i 20
expect_interrupted HUP \
	'd["runs"][0]["phases"][-1]["name"] == "hold" and d["runs"][1]["state"] == "waiting" and any(s["t"] >= d["runs"][0]["phases"][-1]["start_s"] for s in d["runs"][0]["samples"])'

# 5. SIGKILL of shmviz while the segment exists: nothing outlives it
launch --at segment --signal KILL -- \
	"$SHMVIZ" --record "$J" --mode shared -w 2 -n $BIG --hold 0
[ "$how" = "signal 9" ] || fail "SIGKILL: $how"
[ -e "$J" ] && fail "SIGKILL: a recording appeared"
no_leftovers # processes, segments, temporary files

# 6. SIGKILL of shmviz, its workload and its guard at once (the guard
#    would unlink the run's segment: tests/e2e/lesson_kill.sh): the segment
#    is left, and the next start removes it, saying so. All are stopped
#    before any is killed (faults.py), so none can unlink; the workload still runs
#    while faults.py finds it, and could in principle get past its attach
#    phase (and unlink) by then: up to three tries, each reported, and no
#    segment left after all three is a failure, never a skip.
stale="" tries=""
for try in 1 2 3; do
	launch --at segment --signal KILL --target all+guard -- \
		"$SHMVIZ" --record "$J" --mode shared -w 2 -n $BIG --hold 0
	[ "$how" = "signal 9" ] || fail "SIGKILL of both: $how"
	ntargets=$(grep -c '^target ' "$TMP/launch")
	[ "$ntargets" = 3 ] ||
		fail "SIGKILL of all: $ntargets processes signalled, not shmviz, its workload and its guard: $(cat "$TMP/launch")"
	i=0
	while [ -n "$(tagged_pids)" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ -z "$(tagged_pids)" ] || fail "SIGKILL of both: processes left: $(tagged_pids)"
	stale=$(ls /dev/shm)
	[ -n "$stale" ] && break
	tries="$tries; try $try: no segment left ($(grep '^at ' "$TMP/launch"))"
	note "part 6, try $try: the segment was gone after the SIGKILL of both ($(tr '\n' ' ' <"$TMP/launch"))"
done
[ -n "$stale" ] || fail "part 6: SIGKILL of shmviz and its workload at once never left the segment to remove$tries"
run --record "$J" --mode shared -w 1 -n 10k --hold 0
[ "$rc" = 0 ] || fail "after a stale segment: exit $rc: $(cat "$TMP/err")"
grep -q "removed stale segment /dev/shm/$stale (its creator, pid [0-9]*, is gone)" "$TMP/err" ||
	fail "the stale segment removal was not reported: $(cat "$TMP/err")"
no_leftovers
echo ok
