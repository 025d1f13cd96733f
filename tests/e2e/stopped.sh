#!/bin/bash
# A run's times are its own, not shmviz's scheduling: shmviz stopped
# (SIGSTOP, as SIGTSTP does) for 2.5 s while its run ends still records the run as ending
# when it did (within an interval), not when shmviz came back and reaped
# it.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"

# a command that runs 0.5 s, sampled every 50 ms
"$SHMVIZ" --record "$TMP/r.json" -i 50 --compare 'sleep 0.5' true \
	>"$TMP/out" 2>"$TMP/err" </dev/null &
pid=$!
for i in $(seq 100); do
	[ -n "$(for p in $(tagged_pids); do [ "$(cat /proc/$p/comm)" = sleep ] && echo $p; done)" ] && break
	sleep 0.02
done
sleep 0.1
kill -STOP $pid   # SIGTSTP of an orphaned process group would be discarded
sleep 2.5
state=$(awk '{sub(/.*\) /, ""); print $1}' /proc/$pid/stat)
kill -CONT $pid
[ "$state" = T ] || fail "shmviz was not stopped (state $state): nothing tested"
wait $pid
rc=$?
[ "$rc" = 0 ] || fail "exit $rc: $(cat "$TMP/err")"
$PY - "$TMP/r.json" <<'PY' || fail "the run's times came from shmviz's scheduling"
import json, sys
a = json.load(open(sys.argv[1]))["runs"][0]
wall, total = a["result"]["wall_s"], a["result"]["total_s"]
run = [p for p in a["phases"] if p["name"] == "run"][0]
assert 0.45 <= total <= 0.5 + 0.05 + 0.25, f"total {total:.2f} s for a 0.5 s run"
assert wall <= total, (wall, total)
assert run["end_s"] <= 0.8, f"the run phase ended at {run['end_s']:.2f} s"
print(f"# total {total:.3f} s, run phase to {run['end_s']:.3f} s", file=sys.stderr)
PY
no_leftovers

# the native workload: its phases are stamped by itself; its end too now
"$SHMVIZ" --record "$TMP/n.json" -i 50 --mode shared -n 1M -w 1 --hold 0.3 \
	>"$TMP/out" 2>"$TMP/err" </dev/null &
pid=$!
for i in $(seq 200); do [ -n "$(ls /dev/shm)" ] && break; sleep 0.01; done
kill -STOP $pid
sleep 2.5
kill -CONT $pid
wait $pid
rc=$?
[ "$rc" = 0 ] || fail "native: exit $rc: $(cat "$TMP/err")"
$PY - "$TMP/n.json" <<'PY' || fail "native: the run's times came from shmviz's scheduling"
import json, sys
a = json.load(open(sys.argv[1]))["runs"][0]
total, wall = a["result"]["total_s"], a["result"]["wall_s"]
last = a["phases"][-1]
assert total - last["start_s"] < 0.3, f"total {total:.2f} s, the last phase ({last['name']}) began at {last['start_s']:.2f} s"
assert total < 2, f"total {total:.2f} s"
print(f"# native: total {total:.3f} s, wall {wall:.3f} s, {last['name']} from {last['start_s']:.3f} s", file=sys.stderr)
PY
no_leftovers
echo ok
