#!/bin/bash
# A program's own phase time stamps (docs/protocol.md, "T") are kept
# between the last phase boundary and the moment shmviz reads the line, so
# that a stamp of another clock (time.time(): decades ahead of
# CLOCK_MONOTONIC) or of before the phase in progress began still makes a
# recording that --plot and the exports read (their reader refuses phases
# out of order, one that ends before it starts, a time beyond 10^6 s).
# The program notes its own CLOCK_MONOTONIC around each line; the
# recording's phases must lie where those say:
#   a (no stamp): read after it was written, before the program's next line;
#   b, stamped 10 s before a began: begins where a began;
#   c, stamped with time.time(): read after it was written, before the
#     program exited; d, stamped 10^300 s: likewise;
#   end, stamped 0: d ends where it began.
# Results beyond what a recording holds (10^300 KiB of data, 10^5
# workers) are dropped as they come: the values said before them stay.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
J="$TMP/r.json"
cat >"$TMP/prog.py" <<'PYEOF'
import json, os, sys, time
fd = int(os.environ["SHMVIZ_PHASE_FD"])
notes = {}
def say(line, key):
    notes[key + "_before"] = time.monotonic()
    os.write(fd, (line + "\n").encode())
    time.sleep(0.2)
    notes[key + "_after"] = time.monotonic()
say("phase a", "a")
say("phase b %.6f" % (notes["a_before"] - 10), "b")
say("phase c %.6f" % time.time(), "c")
say("phase d 1e300", "d")
say("end 0", "end")
for line in ("data_kb 1234", "tracemalloc_peak_kb 5678", "compute_cpu_s 0.5",
             "workers 3", "data_kb 1e300", "tracemalloc_peak_kb 2e12",
             "compute_cpu_s 1e300", "workers 100000", "sum 12.5", "expected 12.5",
             "sum 1e301", "expected -1e301"):
    os.write(fd, ("result " + line + "\n").encode())
json.dump(notes, open(sys.argv[1], "w"))
PYEOF
run --record "$J" -q -- "$PY" "$TMP/prog.py" "$TMP/notes.json"
[ "$rc" = 0 ] || fail "exit $rc: $(cat "$TMP/err")"
no_leftovers
for how in "--plot $J -o $TMP/p.svg" "--replay $J --export-csv $TMP/r.csv"; do
	# shellcheck disable=SC2086
	run $how
	[ "$rc" = 0 ] || fail "shmviz $how: exit $rc: $(cat "$TMP/err")"
done
$PY - "$J" "$TMP/notes.json" <<'PYEOF' || fail "the phases"
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
n = json.load(open(sys.argv[2]))
t0 = r["start_monotonic_s"]
ph = {p["name"]: p for p in r["phases"]}
for name in "abcd":
    assert name in ph, (name, r["phases"])
def within(name, key):
    at = ph[name]["start_s"] + t0
    # the stamps are kept to the microsecond: a little slack either side
    assert n[key + "_before"] - 1e-3 <= at <= n[key + "_after"] + 1e-3, (name, at, n)
within("a", "a")
assert ph["b"]["start_s"] == ph["a"]["start_s"], ("b", ph["b"], ph["a"])
within("c", "c")
within("d", "d")
assert ph["d"]["end_s"] == ph["d"]["start_s"], ("d", ph["d"])
names = [p["name"] for p in r["phases"]]
assert names.index("a") < names.index("b") < names.index("c") < names.index("d"), names
res = r["result"]
got = (res["data_kb"], res["tracemalloc_peak_kb"], res["compute_cpu_s"], r["workers"])
assert got == (1234, 5678, 0.5, 3), got
assert (res["sum"], res["expected"]) == (12.5, 12.5), (res["sum"], res["expected"])
prev = 0
for p in r["phases"]:
    assert prev <= p["start_s"] <= p["end_s"] <= r["result"]["total_s"], (p, r["result"]["total_s"])
    prev = p["start_s"]
PYEOF
exit 0
