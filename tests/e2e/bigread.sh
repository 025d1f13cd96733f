#!/bin/bash
# A member whose read costs more CPU than any bucket of the budget holds
# (docs/architecture.md, "The life of one sample": a process of gigabytes)
# is still read when a read is owed: at a phase boundary, a checkpoint, a
# tree at rest, paid as a debt the budget's window repays. The program
# (tests/helpers/wide.c) maps one memfd of MIB MiB TIMES times over: its
# smaps_rollup walks MIB x TIMES MiB of page tables (expected, from the
# prior cost of a read, at more than BUDGET_SLACK_S of CPU, the cap and
# the floor's debt together), while its PSS is the MIB MiB once. It says
# the phase "hold", asks for a checkpoint and holds until the test lets it
# go; the test reads its smaps_rollup itself during the hold. The
# recording's peak ΣPSS must be bounded within one moment and within 2% of
# the test's own read.
. "$(dirname "$0")/lib.sh"
WIDE=${WIDE:?WIDE must name tests/helpers/wide}
MIB=32
TIMES=384

maxmap=$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 0)
[ "$maxmap" -gt $((TIMES + 1000)) ] || skip "vm.max_map_count $maxmap: too few for $TIMES mappings"
mkfifo "$TMP/go" || fail "mkfifo"

$PY - "$SHMVIZ" "$WIDE" "$TMP" $MIB $TIMES <<'PYEOF' || fail "the wide member was not read"
import json, os, subprocess, sys, time
shmviz, wide, tmp, mib, times = sys.argv[1:3] + [sys.argv[3], int(sys.argv[4]), int(sys.argv[5])]
status, go, rec = tmp + "/status", tmp + "/go", tmp + "/w.json"
p = subprocess.Popen([shmviz, "--record", rec, "--", wide, str(mib), str(times), status, go],
                     stdout=open(tmp + "/out", "w"), stderr=open(tmp + "/err", "w"),
                     stdin=subprocess.DEVNULL)
def members(pid):
    try:
        kids = [int(k) for t in os.listdir(f"/proc/{pid}/task")
                for k in open(f"/proc/{pid}/task/{t}/children").read().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in members(k)]
deadline = time.monotonic() + 300
while not (os.path.exists(status) and "held" in open(status).read()):
    if p.poll() is not None or time.monotonic() > deadline:
        p.kill()
        sys.exit(f"the program never held: {open(tmp + '/err').read()}")
    time.sleep(0.05)
# the tree (the program) at rest: its ΣPSS, read by the test itself
mine, rss = 0, 0
for m in members(p.pid):
    for line in open(f"/proc/{m}/smaps_rollup"):
        k = line.split(":")[0]
        if k == "Pss":
            mine += int(line.split()[1])
        elif k == "Rss":
            rss += int(line.split()[1])
with open(go, "wb") as f:
    f.write(b"g")
if p.wait(timeout=300) != 0:
    sys.exit(f"shmviz exit {p.returncode}: {open(tmp + '/err').read()}")
print(f"# status {open(status).read().strip()!r}; the test's read: ΣPSS {mine} KiB, "
      f"ΣRSS {rss} KiB", file=sys.stderr)
d = json.load(open(rec))
r = d["runs"][0]
pk = r["peak"]
print(f"# peak ΣPSS {pk['pss_kb']} KiB ± {pk.get('pss_bound_kb')}; sampler {d['sampler']}",
      file=sys.stderr)
bad = []
if rss < mib * 1024 * times:
    bad.append(f"the program's ΣRSS {rss} KiB: not {times} mappings of {mib} MiB")
if pk["pss_kb"] is None or pk.get("pss_bound_kb") is None:
    bad.append("no bounded peak")
else:
    if pk["pss_bound_kb"] > max(pk["pss_kb"] // 100, 256):
        bad.append(f"the peak is not one moment: ± {pk['pss_bound_kb']} KiB")
    if abs(pk["pss_kb"] - mine) > mine * 0.02:
        bad.append(f"peak ΣPSS {pk['pss_kb']} KiB, the test read {mine} KiB")
if "held 1" not in open(status).read():
    bad.append("the checkpoint was not answered")
for b in bad:
    print("check failed:", b)
sys.exit(1 if bad else 0)
PYEOF
no_leftovers
echo ok
