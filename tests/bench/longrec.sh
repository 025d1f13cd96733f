#!/bin/sh
# tests/bench/longrec.sh - long recordings (issue 14): the peak memory and
# the time of --plot, --export-csv and --export-trace on a generated
# recording of 8 hours of 50 processes sampled every second (one run,
# 1.44 million process rows, 687 MiB), and of a quarter of it (2 hours),
# to see the time grow with the size and the memory not.
#
#   tests/bench/longrec.sh [--short] [HOURS]
#
# The bound judged is the memory: a load holds at most some 64 MiB however
# long the recording (src/recording/replay.h); the peak RSS of each command must stay
# within 64 MiB. Times are printed, not judged. --short: 10 minutes and 2
# minutes, no bound judged. SHMVIZ names the binary (default: build/shmviz);
# the files go to a temporary directory under ${TMPDIR:-/tmp} (about 1.3 GB
# at full size), removed at the end.
#
# Exit status: 0 the bound held (or --short ran), 3 it was missed, 1 a
# command failed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
SHMVIZ=${SHMVIZ:-$src/build/shmviz}
short=no
hours=8
for a in "$@"; do
	case "$a" in
	--short) short=yes ;;
	*) hours=$a ;;
	esac
done
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
dir=$(mktemp -d "${TMPDIR:-/tmp}/shmviz-longrec.XXXXXX")
trap 'rm -rf "$dir"' EXIT

if [ "$short" = yes ]; then
	long=600
	quarter=120
else
	long=$((hours * 3600))
	quarter=$((long / 4))
fi

exec "$py" - "$SHMVIZ" "$src/tests/helpers/longrec.py" "$dir" "$long" "$quarter" "$short" <<'PY'
import os, resource, subprocess, sys, time

shmviz, gen, d, long_s, quarter_s, short = sys.argv[1:7]
BOUND_MIB = 64
procs = 50
ok = True
rows = []


def measure(args):
    """runs args in a child of its own: (seconds, peak RSS in MiB)"""
    r, w = os.pipe()
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        # a fresh process: its own ru_maxrss, passed back on the pipe
        p = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        os.write(w, f"{p.returncode} {ru.ru_maxrss}\n".encode() + p.stderr[:300])
        os._exit(0)
    os.close(w)
    out = b""
    while True:
        b = os.read(r, 4096)
        if not b:
            break
        out += b
    os.waitpid(pid, 0)
    secs = time.monotonic() - t0
    head, _, err = out.partition(b"\n")
    rc, kb = head.split()
    if rc != b"0":
        print(f"longrec: {' '.join(args)}: exit {rc.decode()}: {err.decode(errors='replace')}",
              file=sys.stderr)
        sys.exit(1)
    return secs, int(kb) / 1024


for seconds in (int(quarter_s), int(long_s)):
    rec = os.path.join(d, f"r{seconds}.json")
    t0 = time.monotonic()
    with open(rec, "w") as f:
        subprocess.run([sys.executable, gen, str(seconds), str(procs), "1"], stdout=f, check=True)
    gen_s = time.monotonic() - t0
    size = os.path.getsize(rec) / 1048576
    what = f"{seconds / 3600:g} h x {procs} procs at 1 s ({seconds * procs} rows, {size:.0f} MiB; made in {gen_s:.0f} s)"
    for name, args in (
            ("--plot -o PNG", [shmviz, "--plot", rec, "-o", os.path.join(d, "p.png")]),
            ("--replay --export-csv", [shmviz, "--replay", rec, "--export-csv", os.path.join(d, "x.csv")]),
            ("--replay --export-trace", [shmviz, "--replay", rec, "--export-trace", os.path.join(d, "x.json")])):
        secs, mib = measure(args)
        verdict = "" if short == "yes" else ("ok" if mib <= BOUND_MIB else "MISSED")
        ok = ok and (short == "yes" or mib <= BOUND_MIB)
        rows.append((what, name, f"{mib:.1f} MiB", f"{secs:.1f} s ({size / secs:.0f} MiB/s)", verdict))
        for f in ("p.png", "x.csv", "x.json"):
            try:
                os.unlink(os.path.join(d, f))
            except FileNotFoundError:
                pass
    os.unlink(rec)

print(f"| recording | command | peak RSS | time | <= {BOUND_MIB} MiB |")
print("|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
sys.exit(0 if ok else 3)
PY
