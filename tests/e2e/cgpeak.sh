#!/bin/bash
# The kernel's own peak (docs/architecture.md, "The kernel's peak"): each
# run lives in a memory cgroup beneath shmviz's own, whose high-water mark
# is recorded beside the sampled peak ΣPSS.
# - a copy run of -w W over -n N rows holds the parent's table and one copy
#   a worker at once (docs/workloads.md: 24-byte records): its kernel peak
#   is at least (W + 1) tables, its shared run's at least the segment; the
#   sampled peak ΣPSS is at most the kernel peak plus what the processes
#   map without it being charged to the run (the program's own file pages,
#   first read by another cgroup: measured here by a baseline run of 1000
#   rows, whose ΣPSS is nearly all of that) and 2 MiB a process;
# - per phase: the run's peak is the highest of its phases';
# - the run's cgroup is gone when shmviz has ended;
# - where no cgroup can be made (a read-only cgroup file system) the run goes
#   on, stderr says why in one line, the recording holds the reason;
# - a descendant that left the run's session and cleared its environment
#   (env -i setsid) is ended by the guard after a SIGKILL of shmviz: it is
#   in the run's cgroup whatever it does; the cgroup is removed.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

W=2 ROWS=4000000
run --record "$TMP/c.json" --mode both -w $W -n $ROWS --hold 0.2
[ "$rc" = 0 ] || fail "exit $rc: $(cat "$TMP/err")"
if [ -s "$TMP/err" ]; then
	grep -q "no kernel peak" "$TMP/err" && skip "no cgroup here: $(cat "$TMP/err")"
	fail "stderr: $(cat "$TMP/err")"
fi
grep -q '^kernel peak (cgroup)' "$TMP/out" || fail "no kernel peak row in the summary: $(cat "$TMP/out")"
# its cells (and the ratio) are the recorded kernel peaks, checked below
$PY "$SRCDIR/tests/e2e/check_summary.py" "$TMP/out" "$TMP/c.json" >&2 || fail "the summary's kernel peak"
run --record "$TMP/base.json" --mode shared -w $W -n 1000 --hold 0.2
[ "$rc" = 0 ] || fail "baseline: exit $rc: $(cat "$TMP/err")"
no_leftovers
# the hierarchy, as the test sees /sys/fs/cgroup: v2 where it is cgroup2
[ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] && cgv=2 || cgv=1
$PY - "$TMP/c.json" "$TMP/base.json" $W $ROWS $cgv <<'PYEOF' || exit 1
import json, os, sys
rec, base = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
w, rows, cgv = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
table = rows * 24 / 1024                       # KiB
bad = []
base_pss = base["runs"][0]["peak"]["pss_kb"]
for r in rec["runs"]:
    k = r["kernel_peak"]
    kb, pss, nprocs = k["kb"], r["peak"]["pss_kb"], r["peak"]["nprocs"]
    if kb is None:
        bad.append(f"{r['name']}: no kernel peak ({k['reason']})")
        continue
    if k["cgroup_version"] != cgv:
        bad.append(f"{r['name']}: cgroup_version {k['cgroup_version']}, /sys/fs/cgroup is v{cgv}")
    if os.path.exists(k["cgroup"]):
        bad.append(f"{r['name']}: its cgroup {k['cgroup']} is still there")
    want = (w + 1) * table if r["name"] == "copy" else table
    what = f"{w + 1} tables" if r["name"] == "copy" else "the segment"
    print(f"# {r['name']}: kernel peak {kb} KiB, {what} {want:.0f} KiB, peak ΣPSS {pss} KiB; "
          f"kernel minus ΣPSS {kb - pss} KiB (page cache, page tables, kernel memory charged to the run)",
          file=sys.stderr)
    if kb < want:
        bad.append(f"{r['name']}: kernel peak {kb} KiB below {what} ({want:.0f} KiB)")
    limit = kb + base_pss + 2048 * nprocs
    if pss is None or pss > limit:
        bad.append(f"{r['name']}: peak ΣPSS {pss} KiB above the kernel peak {kb} KiB + baseline {base_pss} KiB + 2 MiB a process ({limit} KiB)")
    if k["per_phase"]:
        ph = [p["kernel_peak_kb"] for p in r["phases"] if p["kernel_peak_kb"] is not None]
        if not ph or max(ph) != kb:
            bad.append(f"{r['name']}: the run's kernel peak {kb} is not the highest of its phases' {ph}")
if bad:
    print("FAIL: " + "\n".join(bad), file=sys.stderr)
    sys.exit(1)
PYEOF

# each phase's own peak (the mark is reset at each boundary, where the
# kernel can): a phase that touched 64 MiB in a child that ended, then a
# phase that only sleeps; the second's peak is far below the first's
TOUCH=${TOUCH:?TOUCH must name tests/helpers/touch}
run --record "$TMP/ph.json" -i 50 -- sh -c "echo 'phase big' >&3; env -u SHMVIZ_PHASE_FD $TOUCH 64 0 3>&-; echo 'phase small' >&3; sleep 0.3"
[ "$rc" = 0 ] || fail "phases: exit $rc: $(cat "$TMP/err")"
no_leftovers
$PY - "$TMP/ph.json" <<'PYEOF' || fail "the phases' kernel peaks"
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
k = r["kernel_peak"]
ph = {p["name"]: p["kernel_peak_kb"] for p in r["phases"]}
print("# phases' kernel peaks:", ph, "run", k["kb"], file=sys.stderr)
if not k["per_phase"]:
    print("# the kernel cannot reset the mark: no peak a phase", file=sys.stderr)
    sys.exit(0)
assert ph["big"] >= 64 * 1024 and ph["big"] == k["kb"], (ph, k)
assert ph["small"] < ph["big"] - 32 * 1024, ("the small phase has the big one's peak", ph)
PYEOF

# --attach: the kernel's peak is the tree's cgroup's only when that cgroup
# holds the tree alone. A cgroup made here beside the test's own: its
# root alone in it while its child is outside (refused, with the reason),
# then root and child both in it (its peak, attached)
own=$(sed -n 's/^[0-9]*:memory://p' /proc/self/cgroup)
if [ -n "$own" ]; then base=/sys/fs/cgroup/memory$own; else base=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup); fi
cg=$base/shmviz-test-$$
mkdir "$cg" || fail "cannot make the cgroup $cg"
attach_tree() { # IN: "root" (the root alone in the cgroup) or "both"
	if [ "$1" = root ]; then
		sh -c "sleep 41 & echo \$\$ > '$cg/cgroup.procs'; wait" &
	else
		sh -c "echo \$\$ > '$cg/cgroup.procs'; sleep 41 & wait" &
	fi
	root=$!
	for i in $(seq 300); do
		[ -n "$(pgrep -P $root)" ] && grep -qx "$root" "$cg/cgroup.procs" && break
		sleep 0.05
	done
	[ -n "$(pgrep -P $root)" ] || fail "attach ($1): the tree never had its child"
	run --record "$TMP/a-$1.json" --attach $root --duration 0.3
	kill $(pgrep -P $root) $root 2>/dev/null
	wait $root 2>/dev/null
	[ "$rc" = 0 ] || fail "attach ($1): exit $rc: $(cat "$TMP/err")"
}
attach_tree root
$PY - "$TMP/a-root.json" "$cg" <<'PYEOF' || fail "attach to a tree not alone in its cgroup"
import json, sys
k = json.load(open(sys.argv[1]))["runs"][0]["kernel_peak"]
assert k["kb"] is None and k["reason"] and sys.argv[2] in k["reason"] and "not the tree alone" in k["reason"], k
PYEOF
attach_tree both
$PY - "$TMP/a-both.json" "$cg" <<'PYEOF' || fail "attach to a tree alone in its cgroup"
import json, sys
k = json.load(open(sys.argv[1]))["runs"][0]["kernel_peak"]
assert k["kb"] is not None and k["kb"] > 0 and k["attached"] and k["cgroup"] == sys.argv[2], k
PYEOF
rmdir "$cg"
no_leftovers

# a read-only cgroup file system: no cgroup, said once, the run goes on
cg=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["runs"][0]["kernel_peak"]["cgroup"])' "$TMP/c.json")
mnt=$(findmnt -n -o TARGET -T "$(dirname "$cg")") || fail "no mount holds $cg"
unshare -m --propagation private sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"' \
	sh "$mnt" "$SHMVIZ" --record "$TMP/ro.json" --mode shared -w 1 -n 1000 --hold 0 \
	>"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 0 ] || fail "read-only cgroup fs: exit $rc: $(cat "$TMP/err")"
[ "$(grep -c '' "$TMP/err")" = 1 ] || fail "read-only cgroup fs: not one line on stderr: $(cat "$TMP/err")"
grep -q "no kernel peak: .*read-only" "$TMP/err" || fail "read-only cgroup fs: stderr does not say why: $(cat "$TMP/err")"
$PY - "$TMP/ro.json" <<'PYEOF' || exit 1
import json, sys
k = json.load(open(sys.argv[1]))["runs"][0]["kernel_peak"]
if k["kb"] is not None or not k["reason"] or "read-only" not in k["reason"]:
    print(f"FAIL: read-only cgroup fs: kernel_peak {k}", file=sys.stderr)
    sys.exit(1)
PYEOF
no_leftovers

# a descendant that leaves the session and clears its environment
"$SHMVIZ" --record "$TMP/e.json" -- sh -c "env -i setsid sh -c 'echo \$\$ > $TMP/escapee; exec sleep 61' & wait" \
	>"$TMP/out" 2>"$TMP/err" </dev/null &
spid=$!
i=0
while [ ! -s "$TMP/escapee" ] && [ $i -lt 300 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$TMP/escapee" ] || fail "the escapee never started: $(cat "$TMP/err")"
epid=$(cat "$TMP/escapee")
# it is in the run's cgroup (once its exec is done its comm is sleep)
i=0
while [ "$(cat /proc/$epid/comm 2>/dev/null)" != sleep ] && [ $i -lt 300 ]; do sleep 0.05; i=$((i + 1)); done
ecg=$(sed -n 's/^[0-9]*:\(.*,\)\{0,1\}memory\(,.*\)\{0,1\}://p; s/^0:://p' /proc/$epid/cgroup | head -1)
case "$ecg" in */shmviz-$spid-*) ;; *) fail "the escapee is not in a cgroup of the run: $ecg" ;; esac
edir=$(dirname "$cg")/$(basename "$ecg")
[ -d "$edir" ] || fail "no cgroup directory $edir"
estart=$(awk '{sub(/.*\) /, ""); print $20}' /proc/$epid/stat)
kill -9 $spid
wait $spid 2>/dev/null
# the guard ends it (a deadline against a hang only)
i=0
while [ $i -lt 400 ]; do
	st=$(awk '{sub(/.*\) /, ""); print $1, $20}' /proc/$epid/stat 2>/dev/null)
	[ -z "$st" ] || [ "${st#* }" != "$estart" ] || [ "${st% *}" = Z ] && break
	sleep 0.05
	i=$((i + 1))
done
st=$(awk '{sub(/.*\) /, ""); print $1, $20}' /proc/$epid/stat 2>/dev/null)
if [ -n "$st" ] && [ "${st#* }" = "$estart" ] && [ "${st% *}" != Z ]; then
	kill -9 $epid
	fail "the escapee $epid (env -i setsid) survived the SIGKILL of shmviz"
fi
i=0
while [ -d "$edir" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
[ -d "$edir" ] && fail "the run's cgroup $edir is left after the guard's sweep"
no_leftovers
echo ok
