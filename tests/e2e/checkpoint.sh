#!/bin/bash
# Checkpoints (docs/protocol.md): a program that holds its peak for a few
# milliseconds, far shorter than the interval, says "checkpoint" and waits
# for shmviz's answer; the recording's peak ΣPSS then holds the memory it
# touched (its known size), as one moment. A program that floods
# checkpoints and never reads the answers never stops shmviz.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
PEAK=${PEAK:?PEAK must name tests/helpers/peak}
MIB=64

# a 2 s interval: the peak (64 MiB touched, then unmapped at once) lasts a
# few milliseconds; no phase is said, so only the checkpoint can catch it
run --record "$TMP/c.json" -i 2000 -- "$PEAK" $MIB 0.3 --checkpoint
[ "$rc" = 0 ] || fail "checkpoint: exit $rc: $(cat "$TMP/err")"
no_leftovers
log=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["runs"][0]["log"])' "$TMP/c.json")
grep -qx answered "$log" || fail "the checkpoint was not answered: $(cat "$log")"
$PY - "$TMP/c.json" $MIB <<'PYEOF' || fail "the peak was not caught"
import json, sys
d = json.load(open(sys.argv[1]))
mib = int(sys.argv[2])
r = d["runs"][0]
pk = r["peak"]
want = mib * 1024
ss = [s for s in r["samples"] if s["total"]["pss_kb"] is not None]
print(f"# {len(ss)} samples, peak ΣPSS {pk['pss_kb']} KiB ± {pk['pss_bound_kb']}, "
      f"{mib} MiB touched", file=sys.stderr)
bad = []
if pk["pss_kb"] is None or pk["pss_bound_kb"] is None:
    bad.append("no peak")
else:
    lo = pk["pss_kb"] - pk["pss_bound_kb"]
    # the touched memory, and less than it plus the program's own few
    # hundred KiB (its libc): the peak is that moment, not two
    if lo < want or pk["pss_kb"] > want + 4096:
        bad.append(f"peak ΣPSS {pk['pss_kb']} ± {pk['pss_bound_kb']} KiB, the program held "
                   f"{want} KiB and its own pages")
    if pk["pss_bound_kb"] > max(pk["pss_kb"] // 100, 256):
        bad.append(f"the peak is not one moment: bound {pk['pss_bound_kb']} KiB")
# a periodic tick of 2 s: the run (0.6 s) has its first and last samples,
# and the checkpoint's
if len(ss) > 6:
    bad.append(f"{len(ss)} samples: more than the ticks and the checkpoint")
for b in bad:
    print("check failed:", b)
sys.exit(1 if bad else 0)
PYEOF

# a checkpoint while three children move (tests/helpers/peak.c
# --checkpoint-busy): a sample read while two members move is not one
# moment, and the answer waits for one (docs/protocol.md, "Checkpoints"),
# so the peak is seen at one moment, whatever the children do. Three runs:
# answered after any sample, one run in three had no such sample
for k in 1 2 3; do
	run --record "$TMP/b$k.json" -i 100 -- "$PEAK" $MIB 0.3 --checkpoint-busy
	[ "$rc" = 0 ] || fail "busy checkpoint: exit $rc: $(cat "$TMP/err")"
	no_leftovers
	$PY - "$TMP/b$k.json" $MIB <<'PYEOF' || fail "busy checkpoint $k: no sample of one moment holds the peak"
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
want = int(sys.argv[2]) * 1024
held = [s for s in r["samples"] if s["total"]["consistent"] and s["total"]["pss_kb"] is not None
        and want <= s["total"]["pss_kb"] <= want + 3 * 16 * 1024 + 4096]
print(f"# busy: {len(held)} samples of one moment with the {want} KiB touched", file=sys.stderr)
sys.exit(0 if held else 1)
PYEOF
done

# a flood of checkpoints whose answers are never read: shmviz keeps to its
# protocol budget (20 phase changes a second), drops the rest, and is not
# blocked by the answers' pipe
run --record "$TMP/f.json" -i 50 -- sh -c 'i=0; while [ $i -lt 20000 ]; do echo checkpoint; i=$((i + 1)); done >&$SHMVIZ_PHASE_FD'
[ "$rc" = 0 ] || fail "flood: exit $rc: $(cat "$TMP/err")"
no_leftovers
dropped=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["runs"][0]["protocol_dropped"])' "$TMP/f.json")
[ "$dropped" -gt 0 ] || fail "a flood of 20000 checkpoints, none dropped"
note "flood: $dropped of 20000 checkpoints dropped"
echo ok
