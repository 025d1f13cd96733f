#!/bin/bash
# Few descriptors (ulimit -n 24: a run itself needs 20, its pipes, log,
# cgroup and signals) and a tree of 301 processes: a member
# that cannot be read for want of a descriptor is not a process that
# exited. Every sample taken once the test saw all 301 in /proc either
# holds all 301 or is marked "members_partial" with the run saying why
# ("members_missing", and a line of the summary): never a whole-looking
# sample with members missing. The stat descriptors shmviz keeps are
# sized from the descriptors really free, so here all are read.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"
N=300

(
	ulimit -n 24 || exit 77
	exec "$SHMVIZ" --record "$TMP/r.json" -i 100 -- sh -c \
		"for i in \$(seq $N); do sleep 600 & done; echo forked; wait"
) >"$TMP/out" 2>"$TMP/err" </dev/null &
pid=$!
# the tree is whole once the test counts 300 sleeps of its own in /proc
deadline=$((SECONDS + 120))
while :; do
	n=0
	for p in $(tagged_pids); do
		[ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] && n=$((n + 1))
	done
	[ $n -ge $N ] && break
	[ $SECONDS -lt $deadline ] || { kill -9 $pid; fail "the tree never had $N sleeps ($n)"; }
	kill -0 $pid 2>/dev/null || fail "shmviz ended early: $(cat "$TMP/err")"
	sleep 0.2
done
whole=$($PY -c 'import time; print(time.monotonic())')
# let it take samples of the whole tree (20 ticks at least; no figure of
# time is judged)
sleep 2
kill -INT $pid
wait $pid
rc=$?
[ "$rc" = 130 ] || fail "exit $rc after SIGINT, expected 130: $(cat "$TMP/err")"
$PY - "$TMP/r.json" "$whole" $((N + 1)) "$TMP/out" <<'PYEOF' || fail "see above"
import json, sys
r = json.load(open(sys.argv[1])); whole = float(sys.argv[2]); n = int(sys.argv[3])
run = r["runs"][0]
t0 = run["start_monotonic_s"]
after = [s for s in run["samples"] if t0 + s["t"] > whole + 0.05]
if len(after) < 3:
    sys.exit(f"only {len(after)} samples after the tree was whole")
bad = [(round(s["t"], 2), s["total"]["nprocs"], len(s["procs"])) for s in after
       if len(s["procs"]) != n and not s["total"].get("members_partial")]
partial = [s for s in after if s["total"].get("members_partial")]
print(f"# {len(after)} samples of the whole tree: {len(after) - len(partial) - len(bad)} "
      f"with all {n}, {len(partial)} marked partial, {len(bad)} missing members unmarked",
      file=sys.stderr)
if bad:
    sys.exit(f"samples missing members and not marked partial (t, nprocs, procs): {bad[:8]}")
if partial:
    why = run.get("members_missing") or ""
    assert "could not be read" in why, run.get("members_missing")
    assert run.get("members_missing_samples", 0) >= len(partial), run.get("members_missing_samples")
    for s in partial:
        assert not s["total"]["consistent"] and s["total"]["pss_partial"], s["total"]
    assert "may miss processes" in open(sys.argv[4]).read()
PYEOF
no_leftovers
echo ok
