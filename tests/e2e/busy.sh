#!/bin/bash
# A busy tree gets one-moment figures (issue 23, "Busy tree"): children
# that map and unmap a 64 MiB shared file without rest (tests/helpers/churn
# ... busy, a server's backends faulting on their shared buffers) move
# their counters at every tick, yet the tree's ΣPss_Shmem is the file's
# size at every moment (the parent maps it whole). Run as shmviz's
# command and watched with --attach, most samples of the whole tree must
# carry a bound within 1% (or 256 KiB) of ΣPSS, and each of them must hold
# the file within its bound: a sum of reads taken across a map or an unmap
# never gets a bound it breaks. Counts, not times: the figures come from
# the shared object's size, which no moment of the churn changes.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"
CHURN=${CHURN:?CHURN must name tests/helpers/churn}

check() { # JSON WHAT
	"$PY" - "$1" "$2" <<'PY'
import json, sys
S = 64 * 1024
r = json.load(open(sys.argv[1]))["runs"][0]
whole = tight = 0
bad = []
for s in r["samples"]:
    alive = [p for p in s["procs"] if p["smaps"] != "gone"]
    if len(alive) != 4:
        continue
    whole += 1
    t = s["total"]
    b = t.get("pss_bound_kb")
    if b is None or t["pss_kb"] is None:
        continue
    shm = sum(p["pss_shmem_kb"] or 0 for p in alive)
    if abs(shm - S) > b + 4 * len(alive):
        bad.append(f"t={s['t']:.3f}: ΣPss_Shmem {shm} kB is not the file's {S} kB within its bound {b}")
    if b <= max(256, t["pss_kb"] / 100):
        tight += 1
print(f"# {sys.argv[2]}: {tight} of {whole} samples of the whole tree within 1%", file=sys.stderr)
if whole < 5:
    bad.append(f"only {whole} samples of the whole tree")
elif tight * 2 < whole:
    bad.append(f"only {tight} of {whole} samples of the whole busy tree are one moment")
for b in bad[:10]:
    print("check failed:", b)
sys.exit(1 if bad else 0)
PY
}

run --record "$TMP/c.json" -i 50 -- "$CHURN" 64 3 4 busy
[ "$rc" = 0 ] || fail "command: exit $rc: $(cat "$TMP/err")"
check "$TMP/c.json" command || fail "a busy tree run as the command"
no_leftovers

"$CHURN" 64 3 30 busy &
root=$!
for _ in $(seq 600); do [ "$(tagged_pids | wc -l)" -ge 4 ] && break; sleep 0.01; done
[ "$(tagged_pids | wc -l)" -ge 4 ] || fail "the busy tree never had its 3 children"
run --record "$TMP/a.json" -i 50 --attach "$root" --duration 3
kill "$root"
wait "$root" 2>/dev/null
[ "$rc" = 0 ] || fail "attach: exit $rc: $(cat "$TMP/err")"
check "$TMP/a.json" attach || fail "a busy tree watched with --attach"
no_leftovers
echo ok
