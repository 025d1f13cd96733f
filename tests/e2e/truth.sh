#!/bin/bash
# The truth suite (docs/recording.md, "Consistent samples"): the headline
# numbers hold whatever the moment a sample was taken, on a quiet machine
# and with a CPU hog on every core.
# - every shared run's peak ΣPSS is at most the segment plus 2 MiB a
#   process (a sum of reads taken while workers attached or exited used to
#   exceed anything the machine held: 134 MB for a 94 MB segment);
# - the copy/shared peak ratio stays within ±5% of its median for each
#   worker count;
# - a consistent sample's ΣPSS is the sum of its rows, and the peak is the
#   highest consistent sample.
# The number of runs is kept small (TRUTH_RUNS, default 3 a worker count
# and load) for CI; run it with more by hand.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

N=${TRUTH_RUNS:-3}
ROWS=4000000
HOGS=()
stop_hogs() {
	for p in "${HOGS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${HOGS[@]}"; do wait "$p" 2>/dev/null; done
	HOGS=()
}
trap 'stop_hogs; cleanup' EXIT

i=0
for load in quiet hog; do
	if [ $load = hog ]; then
		# one busy loop a core, bounded in time, killed below
		for _ in $(seq "$(nproc)"); do
			timeout 600 sh -c 'while :; do :; done' &
			HOGS+=($!)
		done
	fi
	for w in 2 4; do
		for _ in $(seq "$N"); do
			i=$((i + 1))
			run --record "$TMP/t$i.json" --mode both -n $ROWS -w $w --hold 1.0 -i 50
			[ "$rc" = 0 ] || fail "$load -w $w: exit $rc: $(cat "$TMP/err")"
			echo "$load $w $TMP/t$i.json" >>"$TMP/list"
		done
	done
	stop_hogs
done
no_leftovers

$PY - "$TMP/list" "$ROWS" <<'PYEOF' || fail "truth checks"
import json, statistics, sys
rows = int(sys.argv[2])
S = rows * 24 / 1024
bad = []
ratios = {}
for line in open(sys.argv[1]):
    load, w, path = line.split()
    w = int(w)
    d = json.load(open(path))
    runs = {r["name"]: r for r in d["runs"]}
    for r in d["runs"]:
        best = None
        for s in r["samples"]:
            t = s["total"]
            if not t["consistent"] or not s["procs"]:
                continue
            alive = [p for p in s["procs"] if p["smaps"] not in ("gone",)]
            for p in alive:
                if p["smaps"] not in ("read", "exact", "unreadable"):
                    bad.append(f"{path} {r['name']} t={s['t']}: consistent with a {p['smaps']} figure")
            tot = sum(p["pss_kb"] for p in alive if p["pss_kb"] is not None)
            if tot != t["pss_kb"]:
                bad.append(f"{path} {r['name']} t={s['t']}: ΣPSS {t['pss_kb']} is not its rows' {tot}")
            best = max(best or 0, t["pss_kb"])
        if r["peak"]["pss_kb"] != best:
            bad.append(f"{path} {r['name']}: peak {r['peak']['pss_kb']} is not the highest consistent sample {best}")
    sp = runs["shared"]["peak"]["pss_kb"]
    limit = S + 2048 * (w + 1)
    print(f"# {load} -w {w}: shared peak ΣPSS {sp} kB (segment {S:.0f}, bound {limit:.0f}), "
          f"copy {runs['copy']['peak']['pss_kb']} kB", file=sys.stderr)
    if sp is None or sp > limit:
        bad.append(f"{path}: {load} -w {w}: shared peak ΣPSS {sp} kB > segment + 2 MiB a process ({limit:.0f})")
        continue
    ratios.setdefault((load, w), []).append(runs["copy"]["peak"]["pss_kb"] / sp)
for key, rs in ratios.items():
    med = statistics.median(rs)
    for x in rs:
        if abs(x - med) > 0.05 * med:
            bad.append(f"{key}: copy/shared ratio {x:.3f} is more than 5% from the median {med:.3f} ({rs})")
    print(f"# {key}: copy/shared peak ratios {['%.3f' % x for x in rs]}", file=sys.stderr)
for b in bad[:30]:
    print("check failed:", b)
sys.exit(1 if bad else 0)
PYEOF
echo ok
