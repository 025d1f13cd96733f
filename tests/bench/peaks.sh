#!/bin/sh
# tests/bench/peaks.sh - short peaks (docs/recording.md, "Bounds"): runs of
# `--record -n ROWS --hold 0.2` (-w 2 twelve times and -w 4 six times, on a
# quiet machine and again with a CPU hog on every core), and for each run
# the headline peak ΣPSS against the kernel's own peak of the run's cgroup
# and against the workload's known sizes (the segment; one table per copy
# and the parent's), and the copy/shared ratio against its median. Prints
# a table; not a test (it judges nothing the machine's pace could change,
# and it needs a memory cgroup for the kernel's column).
#
#   tests/bench/peaks.sh [ROWS]          (default 4M)
#   SHMVIZ=/path/to/shmviz tests/bench/peaks.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
SHMVIZ=${SHMVIZ:-$src/build/shmviz}
ROWS=${1:-4M}
[ -x "$SHMVIZ" ] || { echo "peaks.sh: no $SHMVIZ (./quickstart test builds it)" >&2; exit 2; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/shmviz-peaks.XXXXXX")
hogs=""
trap 'for p in $hogs; do kill $p 2>/dev/null; done; rm -rf "$dir"' EXIT INT TERM

runs() { # LOAD W N
	i=0
	while [ $i -lt "$3" ]; do
		i=$((i + 1))
		"$SHMVIZ" --record "$dir/$1-w$2-$i.json" -n "$ROWS" -w "$2" --hold 0.2 -q \
			>/dev/null 2>&1 </dev/null || echo "peaks.sh: run $1 -w $2 #$i failed" >&2
	done
}
runs quiet 2 12
runs quiet 4 6
for _ in $(seq "$(nproc)"); do
	sh -c 'while :; do :; done' &
	hogs="$hogs $!"
done
runs hog 2 12
runs hog 4 6
for p in $hogs; do kill "$p" 2>/dev/null; done
hogs=""

python3 - "$dir" <<'PY'
import glob, json, os, statistics, sys
rows = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    d = json.load(open(path))
    name = os.path.basename(path)[:-5]
    w, nrows = d["config"]["workers"], d["config"]["rows"]
    table = nrows * 24 / 1024
    peaks = {}
    for r in d["runs"]:
        pk, kp = r["peak"], (r.get("kernel_peak") or {}).get("kb")
        known = table if r["name"] == "shared" else (w + 1) * table
        peaks[r["name"]] = (pk["pss_kb"], pk.get("pss_bound_kb"), kp, known)
    rows.append((name, peaks))
ratios = [p["copy"][0] / p["shared"][0] for _, p in rows
          if p["shared"][0] and p["copy"][0]]
med = statistics.median(ratios) if ratios else 0
print(f"| run | shared peak ΣPSS (bound) | kernel | known | copy peak ΣPSS (bound) | kernel | known | copy/shared | from median |")
print("|---|---|---|---|---|---|---|---|---|")
within_k = within_r = n = 0
for name, p in rows:
    cells = [name]
    for run in ("shared", "copy"):
        pss, bound, kp, known = p[run]
        cells += [f"{pss / 1024:.1f} MiB (±{(bound or 0) / 1024:.1f})" if pss else "none",
                  f"{kp / 1024:.1f} MiB" if kp else "-", f"{known / 1024:.1f} MiB"]
        if pss and kp:
            n += 1
            within_k += abs(pss - kp) <= 0.02 * kp
    r = p["copy"][0] / p["shared"][0] if p["shared"][0] and p["copy"][0] else 0
    within_r += bool(r) and abs(r - med) <= 0.05 * med
    cells += [f"{r:.3f}x", f"{100 * (r - med) / med:+.1f}%" if r and med else "-"]
    print("| " + " | ".join(cells) + " |")
print()
print(f"headline peaks within 2% of the kernel's peak: {within_k} of {n}")
print(f"copy/shared within 5% of its median ({med:.3f}x): {within_r} of {len(rows)}")
PY
