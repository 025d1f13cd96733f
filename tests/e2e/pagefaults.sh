#!/bin/bash
# Page faults against what the workload did: tests/helpers/touch writes
# every byte of MIB MiB of fresh memory in itself and in each of its
# children, with transparent huge pages off for the tree (prctl
# PR_SET_THP_DISABLE, kept across fork and exec): every 4 KiB page is a
# fault of its own. So each process's minflt (from its stat) in a sample of
# the hold phase is at least MIB x 256; the run's result.minflt (the tree's
# rusage) at least the sum of the processes' at any sample, and so at least
# PROCS x MIB x 256. majflt counts faults that read from disk: nothing here
# says how many, only that it is a count (>= 0).
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
TOUCH=${TOUCH:?TOUCH must name tests/helpers/touch}
MIB=32 CHILDREN=2

page=$(getconf PAGESIZE)
[ "$page" = 4096 ] || skip "the page size is $page, not 4096: the fault count of a MiB differs"
# the command: THP off, then touch itself (exec: the tree's root is touch)
run --record "$TMP/f.json" -i 50 -- "$PY" -c '
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(41, 1, 0, 0, 0) != 0:   # PR_SET_THP_DISABLE
    sys.exit("prctl(PR_SET_THP_DISABLE): errno %d" % ctypes.get_errno())
os.execv(sys.argv[1], sys.argv[1:])
' "$TOUCH" $MIB 0.4 $CHILDREN
[ "$rc" = 0 ] || fail "exit $rc: $(cat "$TMP/err")"
"$PY" "$SRCDIR/tests/e2e/check_recording.py" "$TMP/f.json" >&2 || fail "the recording is not valid"
no_leftovers
"$PY" - "$TMP/f.json" $MIB $((CHILDREN + 1)) <<'PYEOF' >&2 || fail "the fault counts are not what touch did"
import json, sys
d = json.load(open(sys.argv[1]))
mib, procs = int(sys.argv[2]), int(sys.argv[3])
pages = mib * 1024 // 4
r = d["runs"][0]
hold = next(p for p in r["phases"] if p["name"] == "hold")
# the samples of the hold with every process: each has touched its MiB
full = [s for s in r["samples"] if hold["start_s"] <= s["t"] <= hold["end_s"]
        and len([p for p in s["procs"] if p["state"] not in ("x", "Z")]) == procs]
assert full, "no sample of the hold phase with %d processes" % procs
for s in full:
    for p in s["procs"]:
        assert p["minflt"] >= pages, ("pid %d at %.3f s: minflt %d, touched %d pages"
                                      % (p["pid"], s["t"], p["minflt"], pages))
        assert isinstance(p["majflt"], int) and p["majflt"] >= 0, p["majflt"]
res = r["result"]
most = max(sum(p["minflt"] for p in s["procs"]) for s in r["samples"])
assert res["minflt"] >= most, ("result.minflt %d, yet a sample's processes had %d" % (res["minflt"], most))
assert res["minflt"] >= procs * pages, (res["minflt"], procs * pages)
assert isinstance(res["majflt"], int) and res["majflt"] >= 0, res["majflt"]
print("# minflt: result %d, the processes' most at once %d, touched %d pages in each of %d"
      % (res["minflt"], most, pages, procs))
PYEOF
echo "ok: the fault counts hold what touch wrote"
