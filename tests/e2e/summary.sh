#!/bin/bash
# What the summary and the sampler say, against the recording and the
# kernel:
# 1. every cell of the summary table (times, peaks, ratios) and the sampler
#    line is the recording's figure, as printed (rounding allowed, no more);
# 2. a tight CPU budget (1% of a core) on a tree held for 10 s (the reads a
#    phase boundary takes in debt are paid back by then): the
#    sampler's cpu_pct, and shmviz's own CPU from /proc/PID/schedstat (its
#    thread's clock, the workload excluded), stay within the budget + 1
#    point;
# 3. figure states where they must be: a fork copy-on-write run with writes
#    has `held` figures (its anonymous memory is shared: no estimate), a
#    copy run read sparingly has `estimated` ones, and a held tree `exact`.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

# --- 1. the summary against the recording --------------------------------
run --record "$TMP/s.json" --mode both -n 2M -w 2 --hold 0.5
[ "$rc" = 0 ] || fail "summary run: exit $rc: $(cat "$TMP/err")"
cp "$TMP/out" "$TMP/summary.txt"
$PY - "$TMP/s.json" "$TMP/summary.txt" <<'PYEOF' || fail "summary cells"
import json, re, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
runs = d["runs"]
bad = []
UNITS = {"KiB": 1, "MiB": 1024, "GiB": 1024 ** 2, "TiB": 1024 ** 3}

def kb_of(cell):
    m = re.fullmatch(r"([0-9.]+) (KiB|MiB|GiB|TiB)", cell)
    return float(m.group(1)) * UNITS[m.group(2)] if m else None

def s_of(cell):
    m = re.fullmatch(r"([0-9.]+) (ms|s)", cell)
    return float(m.group(1)) / (1000 if m.group(2) == "ms" else 1) if m else None

rows = {}
for line in text.splitlines():
    for label in ("wall time", "compute time", "CPU time", "peak ΣPSS", "peak ΣRSS", "peak ΣUSS"):
        if line.startswith(label) and label not in rows:
            rows[label] = re.split(r"\s{2,}", line[len(label):].strip())
if len(rows) != 6:
    bad.append(f"table rows missing: {sorted(rows)}")
want = {
    "wall time": [r["result"]["wall_s"] for r in runs],
    "compute time": [r["result"]["compute_s"] for r in runs],
    "CPU time": [r["result"]["cpu_user_s"] + r["result"]["cpu_sys_s"] for r in runs],
    "peak ΣPSS": [r["peak"]["pss_kb"] for r in runs],
    "peak ΣRSS": [r["peak"]["rss_sum_kb"] for r in runs],
    "peak ΣUSS": [r["peak"]["uss_kb"] for r in runs],
}
ratio_key = {"wall time": "speedup", "peak ΣPSS": "peak_pss_ratio",
             "peak ΣRSS": "peak_rss_ratio", "peak ΣUSS": "peak_uss_ratio"}
comp = d["summary"]["comparisons"][0]
for label, cells in rows.items():
    if len(cells) < 3:
        bad.append(f"{label}: cells {cells}")
        continue
    for i in range(2):
        shown = s_of(cells[i]) if "time" in label else kb_of(cells[i])
        true = want[label][i]
        # the cell is rounded to what it shows: 2 significant digits at least
        if shown is None or true is None or abs(shown - true) > 0.05 * true + (0.0006 if "time" in label else 0.6):
            bad.append(f"{label} of {runs[i]['name']}: shown '{cells[i]}', recorded {true}")
    # the ratio column: the second run over the first, as recorded
    m = re.fullmatch(r"([0-9.]+)x", cells[2])
    a, b = want[label]
    if a and b:
        true = b / a
        dec = len(m.group(1).split(".")[1]) if m and "." in m.group(1) else 0
        if not m or abs(float(m.group(1)) - true) > 0.5 * 10 ** -dec + 1e-6:
            bad.append(f"{label} ratio: shown '{cells[2]}', recorded {true:.3f}")
    if label in ratio_key and a and b and abs(comp[ratio_key[label]] - b / a) > 1e-6 * b / a:
        bad.append(f"summary.{ratio_key[label]} {comp[ratio_key[label]]} is not {b / a}")
s = d["sampler"]
m = re.search(r"sampler: ([0-9.]+) s CPU \(([0-9.]+)% of a core, budget ([0-9.]+)%\), "
              r"([0-9]+) PSS reads, ([0-9]+) counter reads", text)
if not m:
    bad.append("no sampler line")
else:
    if abs(float(m.group(1)) - s["cpu_s"]) > 0.006:
        bad.append(f"sampler CPU shown {m.group(1)}, recorded {s['cpu_s']}")
    if abs(float(m.group(2)) - s["cpu_pct"]) > 0.051:
        bad.append(f"sampler % shown {m.group(2)}, recorded {s['cpu_pct']}")
    if float(m.group(3)) != s["budget_pct"]:
        bad.append(f"budget shown {m.group(3)}, recorded {s['budget_pct']}")
    if int(m.group(4)) != s["pss_reads"] or int(m.group(5)) != s["counter_reads"]:
        bad.append(f"reads shown {m.group(4)}/{m.group(5)}, recorded {s['pss_reads']}/{s['counter_reads']}")
for b in bad:
    print("check failed:", b)
sys.exit(1 if bad else 0)
PYEOF

# --- 2. a tight budget, from inside and from outside ---------------------
"$SHMVIZ" --record "$TMP/b.json" --mode shared -n 4M -w 4 --hold 10 -i 100 --budget 1 \
	>"$TMP/out" 2>"$TMP/err" </dev/null &
SPID=$!
: > "$TMP/sched"
while kill -0 $SPID 2>/dev/null; do
	read -r ns _ < "/proc/$SPID/schedstat" 2>/dev/null && echo "$(date +%s.%N) $ns" >> "$TMP/sched"
	sleep 0.1
done
wait $SPID
rc=$?
[ "$rc" = 0 ] || fail "budget run: exit $rc: $(cat "$TMP/err")"
$PY - "$TMP/b.json" "$TMP/sched" <<'PYEOF' || fail "budget"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["sampler"]
reads = [tuple(map(float, l.split())) for l in open(sys.argv[2]) if len(l.split()) == 2]
bad = []
if s["cpu_pct"] > s["budget_pct"] + 1:
    bad.append(f"sampler cpu_pct {s['cpu_pct']:.2f}% over the budget {s['budget_pct']}% + 1")
if len(reads) < 20:
    bad.append(f"only {len(reads)} readings of shmviz's CPU clock")
else:
    # from the first reading to the last: start-up (loading, the table's
    # fill) included, as the budget counts it
    own = (reads[-1][1] - reads[0][1]) / 1e9 / (reads[-1][0] - reads[0][0]) * 100
    print(f"# budget 1%: sampler says {s['cpu_pct']:.2f}%, schedstat {own:.2f}% over "
          f"{reads[-1][0] - reads[0][0]:.1f} s, {s['pss_reads']} PSS reads", file=sys.stderr)
    if own > s["budget_pct"] + 1:
        bad.append(f"shmviz's own CPU {own:.2f}% over the budget {s['budget_pct']}% + 1")
for b in bad:
    print("check failed:", b)
sys.exit(1 if bad else 0)
PYEOF

# --- 3. figure states where they must be ---------------------------------
run --record "$TMP/cow.json" --mode cow --cow-write 30 -n 4M -w 2 -i 20 --hold 1
[ "$rc" = 0 ] || fail "cow run: exit $rc: $(cat "$TMP/err")"
run --record "$TMP/copy.json" --mode copy -n 4M -w 2 -i 20 --hold 1
[ "$rc" = 0 ] || fail "copy run: exit $rc: $(cat "$TMP/err")"
no_leftovers
$PY - "$TMP/cow.json" "$TMP/copy.json" <<'PYEOF' || fail "figure states"
import json, sys
from collections import Counter
bad = []
def states(path, phases):
    r = json.load(open(path))["runs"][0]
    span = [(p["start_s"], p["end_s"]) for p in r["phases"] if p["name"] in phases]
    return Counter(p["smaps"] for x in r["samples"] for p in x["procs"]
                   if any(a <= x["t"] <= (b if b is not None else 1e9) for a, b in span)), r
cow, r = states(sys.argv[1], ("write", "compute"))
print(f"# cow write/compute: {dict(cow)}", file=sys.stderr)
if cow["held"] < 1:
    bad.append(f"cow with writes: no held figure in write/compute ({dict(cow)})")
if cow["estimated"] and any(p["smaps"] == "estimated" and p["role"] == "worker"
                            and p["pss_anon_kb"] is not None
                            for x in r["samples"] for p in x["procs"]
                            if x["t"] > [q for q in r["phases"] if q["name"] == "write"][0]["start_s"] + 0.1
                            and p["anonymous_kb"] - p["pss_anon_kb"] > 4096):
    bad.append("cow: a worker sharing anonymous memory was estimated")
copy, _ = states(sys.argv[2], ("transfer",))
hold, _ = states(sys.argv[2], ("hold",))
print(f"# copy transfer: {dict(copy)}; hold: {dict(hold)}", file=sys.stderr)
if copy["estimated"] < 1:
    bad.append(f"copy transfer: no estimated figure ({dict(copy)})")
if hold["exact"] < 1:
    bad.append(f"copy hold: no exact figure ({dict(hold)})")
for b in bad:
    print("check failed:", b)
sys.exit(1 if bad else 0)
PYEOF
echo ok
