#!/bin/bash
# --mappings of a process with tens of thousands of mappings
# (docs/architecture.md, "Mappings"; tests/helpers/maps.c):
# - N memfds of one page each, mapped shared and written: every snapshot
#   taken after the helper was ready holds exactly N groups "/memfd:mI",
#   each of one mapping, 4 kB resident, mapped by one process, in the run's
#   groups as in the process's;
# - phase boundaries (one every 3 s) force a snapshot each; its CPU is paid
#   from the budget, not counted in what a tick costs, so the ticks are
#   not spaced out after it: of the gaps between samples that hold no
#   snapshot, 90% are within 3 intervals (from the recording's times;
#   counted, so that a stall of a loaded machine does not decide it);
# - a SIGINT while snapshots of N mappings are taken is answered: exit 130,
#   "interrupted": true, nothing left behind (a generous deadline guards
#   against a hang only).
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"
MAPS=${MAPS:?MAPS must name tests/helpers/maps}
N=40000
max=$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 0)
[ "$max" -gt $((N + 1000)) ] || skip "vm.max_map_count is $max: $N mappings do not fit"

# 1. the groups of N distinct mappings, and the spacing of the samples
run --record "$TMP/r.json" --mappings -i 100 -- "$MAPS" $N distinct 12 3
[ "$rc" = 0 ] || fail "maps $N: exit $rc: $(cat "$TMP/err")"
$PY - "$TMP/r.json" $N <<'EOF' || fail "maps $N: see above"
import json, statistics, sys
r = json.load(open(sys.argv[1])); n = int(sys.argv[2])
run = r["runs"][0]
# the helper's process, once it was ready (the first snapshot, at the
# run's start, may come before; one at its exit finds no process)
snaps = [s for s in run.get("mappings", []) if s["phase"] != "run" and s["procs"]]
if len(snaps) < 2:
    sys.exit(f"no snapshot after the helper was ready: {[s['phase'] for s in run.get('mappings', [])]}")
for s in snaps:
    for where, groups in (("run", s["groups"]), ("process", s["procs"][0]["groups"])):
        memfd = [g for g in groups if g["path"].startswith("/memfd:m")]
        names = {g["path"] for g in memfd}
        want = {f"/memfd:m{i}" for i in range(n)}
        if names != want or len(memfd) != n:
            sys.exit(f"snapshot at {s['t']:.2f} s ({s['phase']}), {where} groups: "
                     f"{len(memfd)} memfd groups, {len(names & want)} of the {n} names")
        bad = [g for g in memfd if g["mappings"] != 1 or g["rss_kb"] != 4 or
               (where == "run" and g["processes"] != 1)]
        if bad:
            sys.exit(f"snapshot at {s['t']:.2f} s, {where}: {len(bad)} groups not of one "
                     f"mapping of 4 kB in one process, e.g. {bad[0]}")
ts = [x["t"] for x in run["samples"]]
taken = [m["t"] for m in run["mappings"]]
gaps = [b - a for a, b in zip(ts, ts[1:]) if not any(a - 0.001 <= t <= b for t in taken)]
within = sum(g <= 3 * 0.100 for g in gaps)
print(f"# {len(snaps)} snapshots of {n} groups; {len(ts)} samples, median gap "
      f"{statistics.median(gaps):.3f} s at -i 100; {within} of {len(gaps)} gaps "
      f"without a snapshot within 0.3 s", file=sys.stderr)
if len(gaps) < 20 or within < 0.9 * len(gaps):
    sys.exit(f"samples spaced out after the snapshots: {within} of {len(gaps)} gaps "
             f"within 3 intervals (times {[round(t, 2) for t in ts[:40]]})")
EOF
no_leftovers

# 2. SIGINT during the snapshots: answered, and the recording says so
"$SHMVIZ" --record "$TMP/i.json" --mappings -i 100 -- "$MAPS" $N distinct 60 60 \
	>"$TMP/out" 2>"$TMP/err" </dev/null &
pid=$!
# the helper is ready once it said so in its log
deadline=$((SECONDS + 120))
until grep -qs "^ready" "$TMP"/shmviz-log-*/*.log; do
	[ $SECONDS -lt $deadline ] || { kill -9 $pid; fail "the helper never got ready"; }
	kill -0 $pid 2>/dev/null || fail "shmviz ended before the helper was ready: $(cat "$TMP/err")"
	sleep 0.1
done
# a boundary a second: snapshots are under way from now on
sleep 1.5
kill -INT $pid
deadline=$((SECONDS + 60))
while kill -0 $pid 2>/dev/null; do
	[ $SECONDS -lt $deadline ] || { kill -9 $pid; fail "SIGINT not answered within 60 s"; }
	sleep 0.1
done
wait $pid
rc=$?
[ "$rc" = 130 ] || fail "SIGINT during snapshots: exit $rc, expected 130: $(cat "$TMP/err")"
[ "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["interrupted"])' "$TMP/i.json")" = True ] ||
	fail "SIGINT during snapshots: the recording is not marked interrupted"
no_leftovers
