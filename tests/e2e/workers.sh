#!/bin/bash
# A worker that dies mid-run, at each phase: killed (SIGKILL) or crashing
# (SIGSEGV, SIGABRT). The run fails with a cause that names the worker, its
# pid and the signal; the other workload still runs to the end; nothing
# hangs, nothing is left. In the copy transfer the parent is blocked
# writing into the dead worker's full pipe: it gets EPIPE (SIGPIPE is
# ignored), never a deadlock.
#
# SHMVIZ_FAULT=PHASE:SIGNAL makes worker 1 raise SIGNAL in PHASE (see
# src/workload/workload.h); the last cases kill a worker and the workload's parent
# from outside with kill -9.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

F="$PY $SRCDIR/tests/e2e/faults.py"
J="$TMP/r.json"

# check_runs 'SHARED_OK|CAUSE-REGEX' 'COPY_OK|CAUSE-REGEX'
check_runs() {
	$PY - "$J" "$1" "$2" <<'EOF' || fail "recording: $(cat "$TMP/check")"
import json, re, sys
d = json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))
runs = {r["name"]: r for r in d["runs"]}
out = open(sys.argv[1] + ".check", "w")
bad = False
for name, want in (("shared", sys.argv[2]), ("copy", sys.argv[3])):
    r = runs[name]
    if want == "ok":
        good = r["ok"] and r["state"] == "done" and r["result"]["sum"] == r["result"]["expected"]
    else:
        good = not r["ok"] and r["state"] == "failed" and re.search(want, r["cause"] or "")
    if not good:
        bad = True
        print(f"{name}: ok={r['ok']} state={r['state']} cause={r['cause']!r}, expected {want!r}", file=out)
sys.exit(1 if bad else 0)
EOF
}
ln -sf "$J.check" "$TMP/check"

fault() { # PHASE SIGNAL [shmviz options]
	phase=$1 sig=$2
	shift 2
	rm -f "$J"
	SHMVIZ_FAULT="$phase:$sig" run --record "$J" -w 2 -n 2M -i 20 "$@"
	[ "$rc" = 1 ] || fail "fault $phase:$sig: exit $rc, expected 1 (stderr: $(cat "$TMP/err"))"
	no_leftovers
}

W1="worker 1 \\(pid [0-9]+\\) was killed by signal"

fault attach 9 --hold 0
check_runs "$W1 9 \\(Killed\\) during attach" ok

fault transfer 9 --hold 0
check_runs ok "$W1 9 \\(Killed\\) during transfer"

fault compute 11 --hold 0
check_runs "$W1 11 \\(Segmentation fault\\) during compute" \
	"$W1 11 \\(Segmentation fault\\) during compute"

fault hold 6 --hold 1
check_runs "$W1 6 \\(Aborted\\) during hold" "$W1 6 \\(Aborted\\) during hold"

# kill -9 from outside: a worker of the first run during its hold (once
# shmviz has the workload's "phase hold": every worker has computed)
rm -f "$J"
$F run --at phase:shared:hold --signal KILL --target worker \
	--out "$TMP/out" --err "$TMP/err" -- \
	"$SHMVIZ" --record "$J" -w 2 -n 2M --hold 3 -i 20 >"$TMP/launch"
how=$(tail -n 1 "$TMP/launch")
victim=$(sed -n 's/^target //p' "$TMP/launch")
[ "$how" = "exit 1" ] || fail "kill -9 of worker $victim: $how"
check_runs "worker [12] \\(pid $victim\\) was killed by signal 9 \\(Killed\\) during hold" ok
no_leftovers

# kill -9 of the workload's parent while its segment exists: its workers
# die with it, shmviz unlinks the segment it announced, the copy run goes on
rm -f "$J"
$F run --at segment --signal KILL --target workload \
	--out "$TMP/out" --err "$TMP/err" -- \
	"$SHMVIZ" --record "$J" -w 2 -n 20M --hold 0 -i 20 >"$TMP/launch"
how=$(tail -n 1 "$TMP/launch")
[ "$how" = "exit 1" ] || fail "kill -9 of the workload: $how"
check_runs "the shared workload was killed by signal 9" ok
no_leftovers
echo ok
