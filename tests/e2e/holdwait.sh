#!/bin/bash
# The workloads hold their peak until shmviz has sampled it: a shmviz
# starved on a loaded machine (here: stopped, as the test makes it) must
# still find every worker holding the table, not a tree already gone
# (docs/protocol.md, "Checkpoints"). The test stops shmviz as soon as the
# shared run's segment exists, lets the workload go on for 3 s (much
# more than its 0.2 s hold), then continues shmviz: the hold must have
# lasted until after that moment, and the run's peak must be one moment
# of the segment mapped by every process. Then the same for the Python
# workload's hold.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"

mono() { "$PY" -c 'import time; print(time.monotonic())'; }
state_of() { awk '{sub(/.*\) /, ""); print $1}' "/proc/$1/stat" 2>/dev/null; }

# stopped_run JSON ROWS ARGS...: shmviz stopped from the segment's
# creation for 3 s; prints the monotonic time it was continued
stopped_run() {
	json=$1
	shift
	"$SHMVIZ" --record "$json" -i 50 --mode shared -w 2 --hold 0.2 "$@" \
		>"$TMP/out" 2>"$TMP/err" </dev/null &
	pid=$!
	for _ in $(seq 6000); do ls /dev/shm | grep -q '^shmviz-' && break; sleep 0.01; done
	ls /dev/shm | grep -q '^shmviz-' || fail "$*: no segment ever existed"
	kill -STOP $pid
	i=0; until [ "$(state_of $pid)" = T ] || [ $i -ge 600 ]; do sleep 0.01; i=$((i + 1)); done
	[ "$(state_of $pid)" = T ] || fail "shmviz was not stopped (state $(state_of $pid))"
	sleep 3
	go=$(mono)
	kill -CONT $pid
	wait $pid
	rc=$?
	[ "$rc" = 0 ] || fail "$*: exit $rc: $(cat "$TMP/err")"
	no_leftovers
}

# check JSON GO TABLE_KB: the hold ended after GO; the peak is one moment
# holding the segment
check() {
	"$PY" - "$1" "$2" "$3" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
go, table = float(sys.argv[2]), float(sys.argv[3])
hold = [p for p in r["phases"] if p["name"] == "hold"]
assert hold, "no hold phase"
end = r["start_monotonic_s"] + hold[0]["end_s"]
print(f"# hold {hold[0]['start_s']:.3f}-{hold[0]['end_s']:.3f} s, ended {end - go:+.3f} s "
      f"after shmviz was continued; peak {r['peak']}", file=sys.stderr)
assert end >= go, f"the hold ended {go - end:.3f} s before shmviz could sample it"
pk = r["peak"]
assert pk["pss_kb"] is not None and pk["pss_bound_kb"] is not None, pk
assert pk["pss_bound_kb"] <= max(256, pk["pss_kb"] / 100), f"the peak is not one moment: {pk}"
assert pk["pss_kb"] >= table, f"peak ΣPSS {pk['pss_kb']} kB below the segment {table:.0f} kB"
PY
}

stopped_run "$TMP/n.json" -n 1M
check "$TMP/n.json" "$go" "$((1000000 * 24 / 1024))" || fail "native: the hold did not wait for shmviz's sample"

if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
	stopped_run "$TMP/p.json" -n 200k --workload python
	check "$TMP/p.json" "$go" "$((200000 * 24 / 1024))" || fail "python: the hold did not wait for shmviz's sample"
else
	fail "no numpy for /usr/bin/python3 (quickstart installs python3-numpy)"
fi
echo ok
