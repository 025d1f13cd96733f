#!/bin/bash
# The original Python experiment (assets/experiment.py) for real: numpy, a
# ProcessPoolExecutor, multiprocessing.shared_memory. The trees must hold
# the pool's workers (grandchildren of shmviz) and the resource tracker,
# the sums must check, the copy run's peak ΣPSS must be above the shared
# run's, and nothing may be left: no process, no segment, no semaphore,
# no "leaked shared_memory objects" warning.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"

[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3 (quickstart installs python3-numpy)"
/usr/bin/python3 -c 'import numpy' 2>/dev/null || skip "no numpy for /usr/bin/python3 (install python3-numpy)"

W=2
ROWS=300000
run --record "$TMP/py.json" --workload python -n $ROWS -w $W --hold 0.5 -i 50
[ "$rc" = 0 ] || fail "python: exit $rc: $(cat "$TMP/err") $(cat "$TMP"/shmviz-log-*/*.log)"
grep -q "copy/shared" "$TMP/out" || fail "python: no summary: $(cat "$TMP/out")"
no_leftovers
$PY "$SRCDIR/tests/e2e/check_recording.py" "$TMP/py.json" --runs shared,copy >&2 ||
	fail "python recording schema"
$PY "$SRCDIR/tests/e2e/check_workloads.py" python "$TMP/py.json" --workers $W \
	--rows $ROWS >&2 || fail "python checks"
# tracemalloc's peak (the parent's Python heap, the original write-up's
# figure) is in the recording and the summary, below each run's ΣPSS; the
# shared run's is below the table it hands out (it never sees the segment)
$PY - "$TMP/py.json" "$ROWS" <<'PYEOF' || fail "tracemalloc figure"
import json, sys
d = json.load(open(sys.argv[1]))
table_kb = int(sys.argv[2]) * 24 / 1024
for r in d["runs"]:
    t, pss = r["result"]["tracemalloc_peak_kb"], r["peak"]["pss_kb"]
    print("# %s: tracemalloc %.1f KiB, peak PSS %s KiB" % (r["name"], t, pss), file=sys.stderr)
    assert t is not None and t >= 0, ("no tracemalloc figure", r["name"], t)
    assert pss is not None and t < pss, ("tracemalloc not below PSS", r["name"], t, pss)
    if r["name"] == "shared":
        assert t < table_kb, ("shared: tracemalloc sees the table?", t, table_kb)
PYEOF
grep -q "^tracemalloc " "$TMP/out" || fail "no tracemalloc row in the summary: $(cat "$TMP/out")"
$PY "$SRCDIR/tests/e2e/check_summary.py" "$TMP/out" "$TMP/py.json" >&2 || fail "the summary's tracemalloc row"
# the plot's description names it
"$SHMVIZ" --plot "$TMP/py.json" -o "$TMP/py.svg" </dev/null &&
	grep -q "shared: tracemalloc saw [0-9.]* [KMG]iB" "$TMP/py.svg" ||
	fail "the plot does not give tracemalloc's figure"

# the logs are named in the summary, and hold no warning or traceback
for name in shared copy; do
	log=$(sed -n "s/^output of $name: //p" "$TMP/out")
	[ -f "$log" ] || fail "no log of $name in the summary"
	grep -qi "leaked\|warning\|traceback" "$log" && fail "$name log: $(cat "$log")"
done

# a worker killed while the segment is linked (between its creation in
# fill and the unlink after attach): the run fails naming the worker, the
# creator unlinks the segment all the same, and nothing is left
tagged_workers() {
	pgrep -f "spawn_main" | while read -r p; do
		tr '\0' '\n' 2>/dev/null < /proc/$p/environ | grep -qx "SHMVIZ_TEST_TAG=$TAG" && echo "$p"
	done
}
(
	for i in $(seq 600); do
		w=$(tagged_workers | head -n 1)
		[ -n "$w" ] && break
		sleep 0.05
	done
	for i in $(seq 1000); do
		if ls /dev/shm | grep -q '^shmviz-'; then
			kill -9 "$w"
			exit 0
		fi
		sleep 0.01
	done
) &
killer=$!
run --record "$TMP/dead.json" --workload python --mode shared -n 3M -w $W --hold 3
wait $killer
[ "$rc" = 1 ] || fail "a killed worker: exit $rc, expected 1: $(cat "$TMP/err")"
grep -q "shared failed: worker [0-9] (pid [0-9]*) was killed by signal 9 (SIGKILL) during" "$TMP/out" ||
	fail "a killed worker: no cause naming it: $(cat "$TMP/out")"
note "$(grep "shared failed" "$TMP/out")"
no_leftovers
log=$(sed -n "s/^output of shared: //p" "$TMP/out")
grep -qi "leaked\|resource_tracker\|traceback" "$log" && fail "killed worker log: $(cat "$log")"

# SIGTERM to shmviz in the middle of a Python run: 143, nothing left
"$SHMVIZ" --record "$TMP/term.json" --workload python --mode shared -n 200k -w $W --hold 30 \
	>"$TMP/out" 2>"$TMP/err" </dev/null &
pid=$!
# the segment lives only until every worker has attached: wait instead for
# the tree (shmviz, the Python parent, its workers), then for the hold
for i in $(seq 400); do [ "$(tagged_pids | wc -l)" -ge $((W + 2)) ] && break; sleep 0.05; done
sleep 2
kill -0 $pid 2>/dev/null || fail "SIGTERM: shmviz ended before the signal: $(cat "$TMP/err")"
kill -TERM $pid
wait $pid
rc=$?
[ "$rc" = 143 ] || fail "SIGTERM: exit $rc: $(cat "$TMP/err")"
no_leftovers

# SIGINT at six moments of the copy run (from the transfer to the hold):
# 130 each time, and no semaphore of the pool left in /dev/shm (the
# resource tracker may be killed before it unlinks them: shmviz does)
for d in 0.1 0.3 0.5 0.8 1.2 1.6; do
	"$SHMVIZ" --record "$TMP/int.json" --workload python --mode copy -n 2M -w $W --hold 1 \
		>"$TMP/out" 2>"$TMP/err" </dev/null &
	pid=$!
	# the copy run has begun once its pool is up: the parent, its workers
	# and the resource tracker
	for i in $(seq 400); do
		[ "$(for p in $(tagged_pids); do cat /proc/$p/comm 2>/dev/null; echo; done | grep -c '^python3$')" -ge $((W + 2)) ] && break
		sleep 0.05
	done
	sleep "$d"
	kill -INT $pid
	wait $pid
	rc=$?
	[ "$rc" = 130 ] || fail "SIGINT after $d s of the copy run: exit $rc: $(cat "$TMP/err")"
	no_leftovers
	left=$(ls /dev/shm)
	[ -z "$left" ] || fail "SIGINT after $d s of the copy run: left in /dev/shm: $left"
done

# what is missing is named, with its package, before anything runs
expect_error 4 "python3-numpy" --record "$TMP/x.json" --workload python --python /nonexistent/python3 -n 1k
printf '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n' > "$TMP/nonumpy"
chmod +x "$TMP/nonumpy"
expect_error 4 "cannot import (install python3-numpy" --record "$TMP/x.json" \
	--workload python --python "$TMP/nonumpy" -n 1k
export SHMVIZ_PYTHON="$TMP/nonumpy"
expect_error 4 "python3-numpy" --record "$TMP/x.json" --workload python -n 1k
# a program that exits 0 is no interpreter: the check must see numpy run
export SHMVIZ_PYTHON=/bin/echo
expect_error 4 "/bin/echo is not a working Python with numpy" --record "$TMP/x.json" \
	--workload python -n 1k
export SHMVIZ_PYTHON=/bin/true
expect_error 4 "/bin/true is not a working Python with numpy" --record "$TMP/x.json" \
	--workload python -n 1k
unset SHMVIZ_PYTHON
# one that passes the check and then never runs the experiment: both runs
# fail, they never reported a result
printf '#!/bin/sh\ncase "$1 $2" in "-I -c") exec /usr/bin/python3 "$@" ;; esac\nexit 0\n' > "$TMP/fakepy"
chmod +x "$TMP/fakepy"
run --record "$TMP/fake.json" --workload python --python "$TMP/fakepy" -n 1k -w 1 --hold 0
[ "$rc" = 1 ] || fail "a run without a result: exit $rc, expected 1: $(cat "$TMP/err")"
$PY - "$TMP/fake.json" <<'EOF2' || fail "a run without a result is ok in the recording"
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
assert [r["ok"] for r in runs] == [False, False], [(r["name"], r["ok"]) for r in runs]
for r in runs:
    assert "without reporting its result" in r["cause"], r["cause"]
EOF2
no_leftovers
expect_error 2 "python has no cow" --record "$TMP/x.json" --workload python --mode cow
[ -e "$TMP/x.json" ] && fail "a refused run wrote a recording"
ls "$TMP" | grep -q '^shmviz-log-' && [ "$(ls "$TMP"/shmviz-log-* | wc -l)" -gt 0 ] && {
	# only the directories of the runs above, each with its logs
	for d in "$TMP"/shmviz-log-*; do [ -n "$(ls "$d")" ] || fail "empty log directory $d left"; done
}
echo ok
