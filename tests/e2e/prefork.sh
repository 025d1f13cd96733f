#!/bin/bash
# --workload prefork for real (assets/prefork.py): a parent builds small
# str objects, forks workers that only read them. From the recording's own
# samples: in the fork and frozen runs each worker's Private_Dirty grows to
# most of the data the parent reported building (reference counts are
# written in place: reading copies the pages); in the numpy and shm runs
# it stays below 5% of the same strings as objects (the fork run's data). --project 32: each run's projection is its
# shared part once + 32 x its worst worker's private part, recomputed here
# from the samples. Nothing may be left: no process, no segment.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"

[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3 (quickstart installs python3-numpy)"
/usr/bin/python3 -c 'import numpy' 2>/dev/null || skip "no numpy for /usr/bin/python3 (install python3-numpy)"

W=2
N=1000000
# (at $COLUMNS=80, an outside test's width: the long notes wrap there,
# never inside a word or a figure, and read whole again in $TMP/flat)
COLUMNS=80 run --record "$TMP/p.json" --workload prefork -n $N -w $W --duration 0.5 \
	--hold 0.3 -i 50 --project 32
[ "$rc" = 0 ] || fail "prefork: exit $rc: $(cat "$TMP/err") $(cat "$TMP"/shmviz-log-*/*.log)"
no_leftovers
$PY - "$TMP/out" "$SRCDIR/tests/e2e" > "$TMP/flat" <<'PYEOF' || fail "the summary is wider than 80 columns: $(cat "$TMP/out")"
import sys
sys.path.insert(0, sys.argv[2])
from check_summary import unfold
bad = []
print("\n".join(unfold(open(sys.argv[1], encoding="utf-8").read().splitlines(), 80, bad)))
sys.exit(1 if bad else 0)
PYEOF
grep -q "^  " "$TMP/out" || fail "no note wrapped at 80 columns: $(cat "$TMP/out")"
grep -q "^at 32 workers: .* fork, .* frozen, .* numpy, .* shm (a projection" "$TMP/flat" ||
	fail "no projection line in the summary: $(cat "$TMP/out")"
# -n counts objects here, not rows of a table
head -1 "$TMP/flat" | grep -q "^shmviz .*: prefork workload, $W workers, $N objects (" ||
	fail "the summary's first line does not count objects: $(head -1 "$TMP/flat")"
# four runs, three ratios, the projection line and the decay's rows: every
# cell under its header, each figure the recording's (which the checks
# below compute again from the samples)
$PY "$SRCDIR/tests/e2e/check_summary.py" "$TMP/out" "$TMP/p.json" --cols 80 >&2 ||
	fail "the summary against the recording"
# the picture's title counts objects too (1,000,000 as the plot groups it)
"$SHMVIZ" --plot "$TMP/p.json" -o "$TMP/p.svg" 2>"$TMP/err" || fail "prefork plot: $(cat "$TMP/err")"
grep -q "<title>shmviz: fork vs frozen vs numpy vs shm: $W workers, $($PY -c "print(f'{$N:,}')") objects (" "$TMP/p.svg" ||
	fail "the plot's title does not count objects: $(grep -o '<title>[^<]*' "$TMP/p.svg")"
$PY "$SRCDIR/tests/e2e/check_recording.py" "$TMP/p.json" >&2 ||
	fail "prefork recording schema"
$PY - "$TMP/p.json" "$N" "$W" <<'PYEOF' || fail "prefork figures"
import json, sys
d = json.load(open(sys.argv[1]))
n, w = int(sys.argv[2]), int(sys.argv[3])
runs = {r["name"]: r for r in d["runs"]}
assert list(runs) == ["fork", "frozen", "numpy", "shm"], list(runs)
objects_kb = runs["fork"]["result"]["data_kb"]
for name, r in runs.items():
    assert r["ok"], (name, r["cause"])
    # the workload's four phases, between the interpreter's start and the
    # tree's exit (every moment of the run belongs to a phase)
    names = [p["name"] for p in r["phases"]]
    assert names[0] == "start" and names[-1] == "exit" and \
        names[1:-1] == ["build", "fork", "read", "hold"], (name, r["phases"])
    data_kb = r["result"]["data_kb"]
    assert data_kb and data_kb > 0, (name, "no data_kb", data_kb)
    # each worker's Private_Dirty over the run: its first figure (just
    # forked) and its largest
    first, most = {}, {}
    for s in r["samples"]:
        for p in s["procs"]:
            pd = p["private_dirty_kb"]
            if p["role"] != "worker" or pd is None or p["smaps"] not in ("read", "exact"):
                continue
            first.setdefault(p["pid"], pd)
            most[p["pid"]] = max(most.get(p["pid"], 0), pd)
    assert len(most) == w, (name, "workers seen", sorted(most))
    for pid in most:
        print("# %s: worker %d Private_Dirty %d -> %d KiB, data %d KiB" %
              (name, pid, first[pid], most[pid], data_kb), file=sys.stderr)
        if name in ("fork", "frozen"):
            # the strings are copied, the list's pointers are only read
            assert most[pid] >= 0.8 * data_kb, (name, pid, most[pid], data_kb)
        else:
            # the same strings as Python objects are the fork run's data;
            # what a worker holds here is its interpreter's own (1.8 MiB
            # measured), whatever the data's size
            assert most[pid] < 0.05 * objects_kb, (name, pid, most[pid], objects_kb)
    # the projection, from the run's consistent samples
    shared = private = wpid = None
    for s in r["samples"]:
        t = s["total"]
        if not t["consistent"] or t["pss_kb"] is None or t["pss_partial"]:
            continue
        wu = 0
        for p in s["procs"]:
            pc, pd = p["private_clean_kb"], p["private_dirty_kb"]
            if (p["role"] not in ("worker", "child") or p["state"] == "x" or
                    p["smaps"] == "gone" or pc is None or pd is None):
                continue
            wu += pc + pd
            # the worst worker: the first to hold the largest USS
            if private is None or pc + pd > private:
                private, wpid = pc + pd, p["pid"]
        shared = t["pss_kb"] - wu if shared is None else max(shared, t["pss_kb"] - wu)
    # the sharing that decays: the workload checkpoints once its workers
    # have forked and before they read, so the decay starts from that
    # moment with the data shared (ΣPSS - ΣUSS holds it), and in the fork
    # and frozen runs most of it is lost (docs/recording.md, "Decay")
    dt = (r.get("decay") or {}).get("tree")
    assert dt, (name, "no decay recorded")
    read = [p for p in r["phases"] if p["name"] == "read"][0]
    assert dt["start_s"] <= read["start_s"] + 0.5 * (read["end_s"] - read["start_s"]), \
        (name, "the decay starts late", dt["start_s"], read)
    print("# %s: decay from %.2f s: shared %d -> %d KiB, lost %d KiB" %
          (name, dt["start_s"], dt["shared_start_kb"], dt["shared_min_kb"], dt["lost_kb"]),
          file=sys.stderr)
    if name in ("fork", "frozen"):
        assert dt["shared_start_kb"] >= 0.8 * data_kb, (name, dt, data_kb)
        assert dt["lost_kb"] >= 0.7 * data_kb, (name, dt, data_kb)
        assert dt["lost_kb"] == dt["shared_start_kb"] - dt["shared_min_kb"], dt
    pj = r["projection"]
    want = shared + 32 * private
    print("# %s: projection %s, from the samples %d + 32 x %d = %d KiB" %
          (name, pj, shared, private, want), file=sys.stderr)
    # the same samples, the same sums: each figure exactly
    assert pj["workers"] == 32, pj
    assert (pj["shared_kb"], pj["worker_private_kb"], pj["worker_pid"], pj["pss_kb"]) == \
        (shared, private, wpid, want), (name, pj, (shared, private, wpid, want))
PYEOF
for name in fork frozen numpy shm; do
	log=$(sed -n "s/^output of $name: //p" "$TMP/flat")
	[ -f "$log" ] || fail "no log of $name in the summary"
	grep -qi "leaked\|warning\|traceback" "$log" && fail "$name log: $(cat "$log")"
done

# the options: --mode is refused, --duration is its reading time
expect_error 2 "--mode is not for --workload prefork" --record "$TMP/x.json" \
	--workload prefork --mode copy
expect_error 2 "--project needs --record" --workload prefork --project 4
# an interpreter without numpy: the two numpy runs are left out, said once
printf '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n' > "$TMP/nonumpy"
chmod +x "$TMP/nonumpy"
run --record "$TMP/nn.json" --workload prefork --python "$TMP/nonumpy" \
	-n 1000 -w 1 --duration 0.1 --hold 0
[ "$rc" = 0 ] || fail "prefork without numpy: exit $rc: $(cat "$TMP/err")"
grep -q "cannot import numpy: the numpy and shm runs are left out" "$TMP/err" ||
	fail "no word of the runs left out: $(cat "$TMP/err")"
$PY -c 'import json,sys; r=[x["name"] for x in json.load(open(sys.argv[1]))["runs"]]; sys.exit(r != ["fork", "frozen"])' \
	"$TMP/nn.json" || fail "without numpy: runs other than fork, frozen"
no_leftovers
echo "ok prefork"
