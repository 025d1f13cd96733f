#!/bin/bash
# A run's times are its own, not shmviz's scheduling: shmviz stopped
# (SIGSTOP, as SIGTSTP does) while its run ends still records the run as
# ending when it did, not when shmviz came back and reaped it. The test
# makes that moment itself: shmviz is stopped before the run can end, and
# continued only once the test has seen the run's root end (a zombie,
# since its reaper is stopped) and a second more has passed; the recorded
# end must come before the test saw the root gone, never after it.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"

mono() { "$PY" -c 'import time; print(time.monotonic())'; }
state_of() { awk '{sub(/.*\) /, ""); print $1}' "/proc/$1/stat" 2>/dev/null; }
# tagged_comm NAME: the pid of this test's process named NAME
tagged_comm() {
	for p in $(tagged_pids); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$1" ] && { echo "$p"; return; }
	done
}
# child_comm PARENT NAME: the pid of PARENT's child named NAME, a zombie
# included (a loaded machine may let the workload end before the test
# looks; a zombie has no environ to carry the test's tag)
# (cat, not awk over the files: Debian's awk, mawk, gives up at the first
# process that ended between the glob and its read, on a busy machine)
child_comm() {
	cat /proc/[0-9]*/stat 2>/dev/null |
		awk -v pp="$1" -v c="($2)" '$2 == c && $4 == pp { print $1; exit }'
}
# wait_gone PID: until PID is a zombie or gone (a hang guard of 60 s)
wait_gone() {
	for _ in $(seq 6000); do
		case $(state_of "$1") in Z | "") return 0 ;; esac
		sleep 0.01
	done
	fail "pid $1 never ended"
}
# check_end JSON T_GONE T_START_LIMIT: the run ended (start + total) before
# the test saw its root gone, and after the test let it go
check_end() {
	"$PY" - "$1" "$2" "$3" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["runs"][0]
gone, go = float(sys.argv[2]), float(sys.argv[3])
end = a["start_monotonic_s"] + a["result"]["total_s"]
print(f"# total {a['result']['total_s']:.3f} s: the run ended {gone - end:.3f} s before the test "
      f"saw its root gone, {end - go:.3f} s after the test let it go", file=sys.stderr)
assert end <= gone + 0.05, f"the run's end {end:.3f} is after its root was seen gone at {gone:.3f}"
assert end >= go, f"the run's end {end:.3f} is before the test let it end at {go:.3f}"
assert a["result"]["wall_s"] <= a["result"]["total_s"], a["result"]
PY
}

# 1. a command that waits for the test's word, then runs 0.5 s
"$SHMVIZ" --record "$TMP/r.json" -i 50 \
	--compare "sh -c 'until [ -e $TMP/go ]; do sleep 0.01; done; sleep 0.5'" true \
	>"$TMP/out" 2>"$TMP/err" </dev/null &
pid=$!
for _ in $(seq 3000); do
	root=$(tagged_comm sh)
	[ -n "$root" ] && break
	sleep 0.01
done
[ -n "$root" ] || fail "the command never started"
# (the guard was told of the root before its exec: the sh found by its
# tag is known to it, whatever shmviz does next; e2e guardfork)
kill -STOP $pid   # SIGTSTP of an orphaned process group would be discarded
i=0; until [ "$(state_of $pid)" = T ] || [ $i -ge 600 ]; do sleep 0.01; i=$((i + 1)); done
[ "$(state_of $pid)" = T ] || fail "shmviz was not stopped (state $(state_of $pid))"
go=$(mono)
: >"$TMP/go"
wait_gone "$root"
gone=$(mono)
sleep 1
kill -CONT $pid
wait $pid
rc=$?
[ "$rc" = 0 ] || fail "exit $rc: $(cat "$TMP/err")"
check_end "$TMP/r.json" "$gone" "$go" || fail "the run's times came from shmviz's scheduling"
no_leftovers

# 2. the native workload: its phases are stamped by itself, its end by the
#    guard's pidfd; shmviz is stopped as soon as the segment exists
"$SHMVIZ" --record "$TMP/n.json" -i 50 --mode shared -n 1M -w 1 --hold 0.3 \
	>"$TMP/out" 2>"$TMP/err" </dev/null &
pid=$!
for _ in $(seq 3000); do [ -n "$(ls /dev/shm)" ] && break; sleep 0.01; done
kill -STOP $pid
go=$(mono)
root=$(child_comm $pid shmviz-shared)
[ -n "$root" ] || fail "native: no workload root while its segment exists"
wait_gone "$root"
gone=$(mono)
sleep 1
kill -CONT $pid
wait $pid
rc=$?
[ "$rc" = 0 ] || fail "native: exit $rc: $(cat "$TMP/err")"
check_end "$TMP/n.json" "$gone" 0 || fail "native: the run's times came from shmviz's scheduling"
no_leftovers
echo ok
