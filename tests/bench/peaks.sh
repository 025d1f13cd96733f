#!/bin/sh
# tests/bench/peaks.sh - short peaks (issue 23, "Short runs"; docs/recording.md,
# "Bounds"): runs of `--record -n ROWS --hold 0.2` (-w 2 twelve times and
# -w 4 six times, on a quiet machine and again with a CPU hog on every
# core), and for each of a run's two runs the headline peak ΣPSS (its
# range when wider than one moment) against what the run really held: the
# workload's known sizes (shared: the segment, one table; copy: one table
# per copy, the parent's and each worker's) and the tree's own pages (the
# peak ΣPSS of the same run with a table of a thousand rows), the kernel's own peak of the run's cgroup beside it, and
# the copy/shared ratio against its median. Prints the table and a pass or
# fail line per criterion; a benchmark, not a test (it runs minutes, and
# the kernel's column needs a memory cgroup).
#
#   tests/bench/peaks.sh [ROWS]          (default 4M)
#   SHMVIZ=/path/to/shmviz PEAKS_W2=12 PEAKS_W4=6 tests/bench/peaks.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
SHMVIZ=${SHMVIZ:-$src/build/shmviz}
ROWS=${1:-4M}
[ -x "$SHMVIZ" ] || { echo "peaks.sh: no $SHMVIZ (./quickstart test builds it)" >&2; exit 2; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/shmviz-peaks.XXXXXX")
hogs=""
trap 'for p in $hogs; do kill $p 2>/dev/null; done; rm -rf "$dir"' EXIT INT TERM

runs() { # LOAD W N [ROWS]
	i=0
	while [ $i -lt "$3" ]; do
		i=$((i + 1))
		"$SHMVIZ" --record "$dir/$1-w$2-$i.json" -n "${4:-$ROWS}" -w "$2" --hold 0.2 -q \
			>/dev/null 2>"$dir/err" </dev/null ||
			echo "peaks.sh: run $1 -w $2 #$i failed: $(tail -1 "$dir/err")" >&2
	done
}
# the tree's own pages (program, libraries, stacks): the same runs with a
# table of a thousand rows
runs own 2 1 1k
runs own 4 1 1k
W2=${PEAKS_W2:-12}
W4=${PEAKS_W4:-6}
runs quiet 2 "$W2"
runs quiet 4 "$W4"
for _ in $(seq "$(nproc)"); do
	sh -c 'while :; do :; done' &
	hogs="$hogs $!"
done
runs hog 2 "$W2"
runs hog 4 "$W4"
for p in $hogs; do kill "$p" 2>/dev/null; done
hogs=""

python3 - "$dir" <<'PY'
import glob, json, os, statistics, sys
KIB = 1024
rows, own = [], {}
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    d = json.load(open(path))
    name = os.path.basename(path)[:-5]
    w, nrows = d["config"]["workers"], d["config"]["rows"]
    table = nrows * 24 / KIB
    peaks = {}
    for r in d["runs"]:
        pk = r["peak"]
        kp = (r.get("kernel_peak") or {}).get("kb")
        known = table if r["name"] == "shared" else (w + 1) * table
        if name.startswith("own-"):
            own[(r["name"], w)] = (pk["pss_kb"] or 0) - known
            continue
        peaks[r["name"]] = dict(pss=pk["pss_kb"], bound=pk.get("pss_bound_kb"),
                                high=pk.get("pss_high_kb"), kernel=kp, known=known, w=w)
    if peaks:
        rows.append((name, peaks))
for name, p in rows:
    for run, q in p.items():
        q["base"] = own.get((run, q["w"]), 0)
        q["held"] = q["known"] + q["base"]

def lo_hi(p):
    """The headline as the summary shows it (docs/recording.md, "Bounds" and
    "The peak's upper end"): a plain figure only when its bound and its
    upper end are within one moment (1% or 256 KiB); hi None: '≤ ?'"""
    if p["pss"] is None:
        return None, None
    b = p["bound"] if p["bound"] is not None else p["pss"]
    tight = max(p["pss"] // 100, 256)
    hi = p["high"]
    if hi is not None and hi < p["pss"] + b:
        hi = p["pss"] + b
    if b <= tight and hi is not None and hi <= p["pss"] + tight:
        return p["pss"], p["pss"]
    return max(p["pss"] - b, 0), hi

def mib(kb):
    return f"{kb / KIB:.1f}" if kb is not None else "-"

# the ratio against the median of the runs with as many workers
ratios, med = {}, {}
for name, p in rows:
    s, c = p.get("shared"), p.get("copy")
    if s and c and s["pss"] and c["pss"]:
        ratios[name] = (c["pss"] / s["pss"], c["w"])
for w in {w for _, w in ratios.values()}:
    med[w] = statistics.median([r for r, rw in ratios.values() if rw == w])
print("| run | run | headline peak ΣPSS, MiB | held, MiB (own) | from held | kernel's peak, MiB | kernel - ΣPSS | copy/shared | from median |")
print("|---|---|---|---|---|---|---|---|---|")
n = within = kernel = 0
for name, p in rows:
    for run in ("shared", "copy"):
        if run not in p:
            continue
        q = p[run]
        lo, hi = lo_hi(q)
        n += 1
        ok = lo is not None and hi is not None and lo >= 0.98 * q["held"] and hi <= 1.02 * q["held"]
        within += ok
        kernel += q["kernel"] is not None
        head = "none" if lo is None else (mib(lo) if lo == hi else f"≥ {mib(lo)} (≤ {mib(hi) if hi is not None else '?'})")
        off = f"{100 * ((lo + hi) / 2 - q['held']) / q['held']:+.2f}%" if hi is not None else "-"
        kd = mib(q["kernel"] - q["pss"]) if q["kernel"] is not None and q["pss"] is not None else "-"
        r, rw = ratios.get(name, (None, None))
        rc = [f"{r:.3f}x", f"{100 * (r - med[rw]) / med[rw]:+.1f}%"] if run == "copy" and r else ["", ""]
        print(f"| {name} | {run} | {head}{'' if ok else ' **'} | {mib(q['held'])} ({mib(q['base'])}) | {off} | "
              f"{mib(q['kernel'])} | {kd} | " + " | ".join(rc) + " |")
within_r = sum(abs(r - med[w]) <= 0.05 * med[w] for r, w in ratios.values())
print()
print("The kernel's peak is what the run's memory cgroup was charged at its highest: the")
print("pages each process touched first (a shared segment once, to its creator), page")
print("tables and kernel memory; ΣPSS divides each shared page among its mappers and")
print("counts no page table: the kernel's column is higher by the tree's page tables and")
print("kernel memory (a few MiB), never by a second copy of the segment.")
print()
def verdict(ok, text):
    print(f"{'PASS' if ok else 'FAIL'}: {text}")
verdict(n and within == n, f"headline peaks within 2% of what the run held: {within} of {n}")
verdict(n and kernel == n, f"the kernel's peak recorded beside the headline: {kernel} of {n}")
verdict(ratios and within_r == len(ratios),
        f"copy/shared within 5% of its median (" +
        ", ".join(f"-w {w}: {m:.3f}x" for w, m in sorted(med.items())) +
        f"): {within_r} of {len(ratios)}")
sys.exit(0 if n and within == n and kernel == n and ratios and within_r == len(ratios) else 1)
PY
