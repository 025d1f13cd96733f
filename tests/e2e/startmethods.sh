#!/bin/bash
# --workload python --mode all: shared beside the copy run with each start
# method. fork's workers inherit the parent's table: it is in their shared
# pages (Shared_Dirty holds the whole table) and not in their private
# ones; spawn's and forkserver's workers are handed a copy: the table is
# in their private pages. The run details name the method and the
# interpreter's default. With a CPU hog on every core.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"

[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3 (quickstart installs python3-numpy)"
/usr/bin/python3 -c 'import numpy' 2>/dev/null || skip "no numpy for /usr/bin/python3 (install python3-numpy)"
DEFAULT=$(/usr/bin/python3 -c 'import multiprocessing as m; print(m.get_start_method())')

ROWS=1000000
start_hogs 300
# a hold of 2 s: a tree at rest is swept at most once a second, and a
# consistent sample of the hold is what the checks read (with the hogs a
# 0.5 s hold had none once)
run --record "$TMP/all.json" --workload python --mode all -n $ROWS -w 2 --hold 2 -i 50
stop_hogs
[ "$rc" = 0 ] || fail "exit $rc: $(cat "$TMP/err") $(cat "$TMP"/shmviz-log-*/*.log)"
no_leftovers
for name in shared copy-fork copy-spawn copy-forkserver; do
	log=$(sed -n "s/^output of $name: //p" "$TMP/out")
	[ -f "$log" ] || fail "no log of $name in the summary"
	grep -qi "leaked\|traceback" "$log" && fail "$name log: $(cat "$log")"
done
$PY - "$TMP/all.json" $ROWS "$DEFAULT" <<'PYEOF' >&2 || fail "the start methods"
import json, sys
d = json.load(open(sys.argv[1]))
rows, default = int(sys.argv[2]), sys.argv[3]
table_kb = rows * 24 / 1024  # 24-byte records (experiment.py's ROW)
runs = {r["name"]: r for r in d["runs"]}
assert list(runs) == ["shared", "copy-fork", "copy-spawn", "copy-forkserver"], list(runs)
def workers(name):
    """Each worker's figures in the consistent samples of the hold phase."""
    r = runs[name]
    assert r["state"] == "done", (name, r["cause"])
    method = name.split("-")[1] if "-" in name else "spawn"
    assert f"{method} (default: {default})" in r["detail"], r["detail"]
    assert f"--start-method {method}" in r["label"], r["label"]
    hold = [p for p in r["phases"] if p["name"] == "hold"][0]
    out = [p for s in r["samples"]
           if hold["start_s"] <= s["t"] <= hold["end_s"] and s["total"]["consistent"]
           for p in s["procs"] if p["role"] == "worker" and p["smaps"] in ("read", "exact")]
    assert out, f"{name}: no worker read in a consistent sample of the hold phase"
    return out
fork = workers("copy-fork")
for p in fork:
    # the inherited table: in the shared pages, whole
    assert p["shared_dirty_kb"] >= table_kb, ("fork", p)
for name in ("copy-spawn", "copy-forkserver"):
    for p in workers(name):
        # a copy of its own: private, whole; nothing of it shared
        assert p["private_dirty_kb"] >= table_kb, (name, p)
        assert p["shared_dirty_kb"] < table_kb, (name, p)
        # and a forked worker holds no such copy privately: a spawned
        # worker's private pages exceed any fork worker's by the table
        assert all(p["private_dirty_kb"] - f["private_dirty_kb"] >= table_kb for f in fork), \
            (name, p["private_dirty_kb"], [f["private_dirty_kb"] for f in fork])
print("table %.0f kB; fork workers Shared_Dirty %s Private_Dirty %s" %
      (table_kb, sorted({p["shared_dirty_kb"] for p in fork})[:3],
       sorted({p["private_dirty_kb"] for p in fork})[:3]))
PYEOF

# a start method is for the Python workload only; cow stays native
expect_error 2 "only for --workload python" --record "$TMP/x.json" --start-method fork
expect_error 2 "not one of fork, spawn, forkserver" --record "$TMP/x.json" --workload python --start-method vfork
expect_error 2 "no cow mode" --record "$TMP/x.json" --workload python --mode cow
echo ok
