#!/bin/bash
# --attach PID: a tree the test starts (not shmviz's child, without the
# test's tag) is watched read-only. Membership follows its forks and exits;
# shmviz ends when the root exits. SIGINT, SIGTERM and SIGKILL of shmviz
# leave the tree as it was: the same processes, no signal received (the
# tree notes every catchable one), never traced; the recording is complete
# after SIGINT/SIGTERM; nothing of shmviz remains. Run as nobody against
# the root's tree, its figures are unreadable (null), never 0.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

# The tree: tests/helpers/tree.py
TREE_PY="$SRCDIR/tests/helpers/tree.py"

TREE=
kill_tree() { [ -n "$TREE" ] && pkill -KILL -s "$TREE" 2>/dev/null; TREE=; }
trap 'kill_tree; cleanup' EXIT

# starts the tree (a session of its own, without the test's tag); waits
# for "ready"
start_tree() { # LOG GO HOLD
	rm -f "$1" "$2"
	env -u SHMVIZ_TEST_TAG setsid $PY "$TREE_PY" "$@" </dev/null >/dev/null 2>&1 &
	TREE=$!
	for _ in $(seq 300); do grep -q '^ready' "$1" 2>/dev/null && break; sleep 0.05; done
	grep -q '^ready' "$1" || fail "the tree did not start: $(cat "$1" 2>/dev/null)"
}
pid_of() { awk -v w="$2" '$1 == w { print $2 }' "$1"; }
starttime() { awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null; }
# "PID UTIME STIME MINFLT MAJFLT STARTTIME" of each member (CPU times in
# clock ticks; the test's own reads)
cputimes() { for p in "$@"; do awk -v p="$p" '{ sub(/.*\) /, ""); print p, $12, $13, $8, $10, $20 }' "/proc/$p/stat"; done; }

# 1. membership follows forks and exits; the run ends with the root
for load in idle hogs; do
	[ "$load" = hogs ] && start_hogs 120
	L="$TMP/m.log"
	# c1 lives 4 s from its fork: a sanitizer build under a hog on every
	# core takes most of a second to start sampling
	start_tree "$L" "$TMP/m.go" 4
	root=$(pid_of "$L" root)
	run --record "$TMP/m.json" -i 50 --attach "$root"
	[ "$load" = hogs ] && stop_hogs
	[ "$rc" = 0 ] || fail "$load: attach exit $rc: $(cat "$TMP/err")"
	wait "$TREE"; trc=$?; TREE=
	[ "$trc" = 0 ] || fail "$load: the tree exited $trc: $(cat "$L")"
	grep -q '^signal' "$L" && fail "$load: the tree got a signal: $(grep '^signal' "$L")"
	no_leftovers
	$PY "$SRCDIR/tests/e2e/check_recording.py" "$TMP/m.json" >&2 || fail "$load: the recording"
	# CPU time is not measured for a tree that is no child of shmviz: "-"
	grep -Eq '^CPU time +- *$' "$TMP/out" || fail "$load: the summary's CPU time is not '-': $(cat "$TMP/out")"
	# "watched 4.1 s", the shared row and the peak table, as the
	# recording's samples say
	$PY "$SRCDIR/tests/e2e/check_summary.py" "$TMP/out" "$TMP/m.json" >&2 || fail "$load: the summary"
	$PY - "$TMP/m.json" "$L" <<'PYEOF' >&2 || fail "$load: membership"
import json, sys
d = json.load(open(sys.argv[1]))
ev = {}
for line in open(sys.argv[2]):
    w = line.split()
    ev[w[0]] = (int(w[1]), float(w[2]))
assert d["config"]["workload"] == "attach", d["config"]
r = d["runs"][0]
assert r["state"] == "done" and "exited" in r["cause"], (r["state"], r["cause"])
t0 = r["start_monotonic_s"]
seen = {}
for s in r["samples"]:
    for p in s["procs"]:
        if p["smaps"] != "gone" and p["state"] != "Z":
            seen.setdefault(p["pid"], []).append(t0 + s["t"])
for who in ("root", "c1", "c2", "gc"):
    assert ev[who][0] in seen, (who, ev[who], sorted(seen))
# a sample's time is taken before its reads: a process listed alive
# there was alive at that time
c1, c1exit = ev["c1"][0], ev["c1exit"][1]
assert all(t <= c1exit for t in seen[c1]), (seen[c1], c1exit)
assert any(t > c1exit and c1 not in {p["pid"] for p in s["procs"] if p["smaps"] != "gone"}
           for s in r["samples"] for t in [t0 + s["t"]]), "no sample after c1 left"
root = [p for s in r["samples"] for p in s["procs"] if p["pid"] == ev["root"][0]]
assert root and root[0]["role"] == "parent", root[:1]
print("members", sorted(seen), "c1 last seen %.3f, exited %.3f" % (max(seen[c1]), c1exit))
PYEOF
done

# 2. SIGINT, SIGTERM, SIGKILL of shmviz: the tree is left as it was
for sig in INT TERM KILL; do
	L="$TMP/s.log"; G="$TMP/s.go"
	start_tree "$L" "$G" 60
	root=$(pid_of "$L" root)
	members="$root $(pid_of "$L" c1) $(pid_of "$L" c2) $(pid_of "$L" gc)"
	before=$(for p in $members; do echo "$p $(starttime "$p")"; done)
	cputimes $members > "$TMP/cpu.before"
	# shmviz with its stderr on a pseudo-terminal: its progress line says
	# when a sample of the tree is taken (a ΣPSS figure); the moment to
	# signal it
	rm -f "$TMP/sv.pid" "$TMP/sv.sampled"
	$PY "$SRCDIR/tests/helpers/pty_run.py" "$TMP/out" "$TMP/err" "$TMP/sv.pid" \
		'\xce\xa3PSS [0-9]' "$TMP/sv.sampled" \
		"$SHMVIZ" --record "$TMP/s.json" -i 50 --attach "$root" &
	wrapper=$!
	i=0; until [ -e "$TMP/sv.sampled" ] || ! kill -0 $wrapper 2>/dev/null || [ $i -ge 1200 ]; do sleep 0.05; i=$((i + 1)); done
	[ -e "$TMP/sv.sampled" ] || fail "$sig: shmviz never showed a sample: $(cat -v "$TMP/err")"
	sv=$(cat "$TMP/sv.pid")
	for p in $members; do
		tr=$(awk '/^TracerPid:/ { print $2 }' "/proc/$p/status")
		[ "$tr" = 0 ] || fail "$sig: $p is traced by $tr"
	done
	kill -"$sig" "$sv"
	wait "$wrapper"; rc=$?
	want=$((128 + $(kill -l "$sig")))
	[ "$rc" = "$want" ] || fail "SIG$sig: shmviz exited $rc, expected $want: $(cat "$TMP/err")"
	no_leftovers   # shmviz and its guard are gone (the tree has no tag)
	cputimes $members > "$TMP/cpu.after"
	# the moment a signal from shmviz or its guard (gone now) would have
	# been noted: each member notes one of the test's own, the highest
	# number (of signals pending together, noted last)
	mark=$(kill -l RTMAX)
	for p in $members; do kill -RTMAX "$p" || fail "SIG$sig: member $p is gone"; done
	i=0; until [ "$(awk -v m="$mark" '$1 == "signal" && $3 == m' "$L" | wc -l)" -ge 4 ] || [ $i -ge 600 ]; do
		sleep 0.05; i=$((i + 1))
	done
	[ "$(awk -v m="$mark" '$1 == "signal" && $3 == m' "$L" | wc -l)" = 4 ] || fail "SIG$sig: the tree did not note the test's signal: $(cat "$L")"
	after=$(for p in $members; do echo "$p $(starttime "$p")"; done)
	[ "$before" = "$after" ] || fail "SIG$sig: the tree changed: before [$before] after [$after]"
	got=$(awk -v m="$mark" '$1 == "signal" && $3 != m' "$L")
	[ -z "$got" ] || fail "SIG$sig: the tree got a signal: $got"
	if [ "$sig" != KILL ]; then
		$PY - "$TMP/s.json" "$(kill -l "$sig")" "$TMP/cpu.before" "$TMP/cpu.after" "$(getconf CLK_TCK)" <<'PYEOF' || fail "SIG$sig: the recording"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["interrupted"] is True and d["signal"] == int(sys.argv[2]), (d["interrupted"], d["signal"])
r = d["runs"][0]
assert r["state"] == "done", r["state"]
assert r["samples"] and all(len(s["procs"]) == 4 for s in r["samples"][2:]), [len(s["procs"]) for s in r["samples"]]
# CPU time: not measured for the whole tree (null, as docs/recording.md
# says), but every member's, between what the test read before shmviz
# started and after it ended, never going back
assert r["result"]["cpu_user_s"] is None and r["result"]["cpu_sys_s"] is None, r["result"]
# and so each member's page faults (minflt, majflt), its start time
# (start_ticks) the test's own, exactly
hz = int(sys.argv[5])
def reads(path):
    out = {}
    for line in open(path):
        p, u, s, mn, mj, st = map(int, line.split())
        out[p] = (u / hz, s / hz, mn, mj, st)
    return out
lo, hi = reads(sys.argv[3]), reads(sys.argv[4])
keys = ("utime_s", "stime_s", "minflt", "majflt")
for pid in lo:
    seen = [p for s in r["samples"] for p in s["procs"] if p["pid"] == pid]
    assert seen, ("never sampled", pid)
    for k, key in enumerate(keys):
        v = [p[key] for p in seen]
        assert v == sorted(v), (key, "goes back", pid, v)
        assert lo[pid][k] - 1e-9 <= v[0] and v[-1] <= hi[pid][k] + 1e-9, (pid, key, lo[pid][k], v, hi[pid][k])
    assert lo[pid][4] == hi[pid][4], ("the member was replaced", pid)
    assert {p["start_ticks"] for p in seen} == {lo[pid][4]}, (pid, "start_ticks", {p["start_ticks"] for p in seen}, lo[pid][4])
PYEOF
	else
		[ ! -e "$TMP/s.json" ] || fail "SIGKILL: a recording appeared"
	fi
	rm -f "$TMP/s.json"
	touch "$G"
	wait "$TREE"; trc=$?; TREE=
	[ "$trc" = 0 ] || fail "SIG$sig: the tree exited $trc after shmviz: $(cat "$L")"
done

# 3. as nobody against root's tree: unreadable, not 0
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null 2>&1; then
	chmod 755 "$TMP"
	mkdir -m 755 "$TMP/bin" && cp "$SHMVIZ" "$TMP/bin/shmviz" && chmod 755 "$TMP/bin/shmviz"
	mkdir -m 777 "$TMP/nob"
	L="$TMP/n.log"
	start_tree "$L" "$TMP/n.go" 60
	root=$(pid_of "$L" root)
	setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		"$TMP/bin/shmviz" --record "$TMP/nob/n.json" -i 50 --attach "$root" --duration 1 \
		>"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	[ "$rc" = 0 ] || fail "as nobody: exit $rc: $(cat "$TMP/err")"
	touch "$TMP/n.go"
	wait "$TREE"; trc=$?; TREE=
	[ "$trc" = 0 ] || fail "as nobody: the tree exited $trc"
	$PY - "$TMP/nob/n.json" "$TMP/out" <<'PYEOF' || fail "as nobody: an unreadable figure as a number"
import json, sys
d = json.load(open(sys.argv[1]))
r = d["runs"][0]
assert "duration" in r["cause"], r["cause"]
n = 0
for s in r["samples"]:
    assert len(s["procs"]) == 4, len(s["procs"])
    assert s["total"]["pss_kb"] is None and s["total"]["pss_partial"] is True, s["total"]
    for p in s["procs"]:
        assert p["smaps"] == "unreadable" and p["pss_kb"] is None, p
        assert p["rss_now_kb"] and p["rss_now_kb"] > 0, p  # status stays readable
        n += 1
assert n, "no sample"
assert r["peak"]["pss_kb"] is None, r["peak"]
out = open(sys.argv[2]).read()
assert "0 KiB" not in out.split("peak \u03a3PSS")[1].split("\n")[0], out
PYEOF
else
	note "not root, or no nobody or setpriv: the unreadable part is skipped"
fi
# what cannot be watched: refused with one line, nothing run or written
expect_error 2 "no process" --attach 4194304 --record "$TMP/no.json"
# a zombie: the child of a process of the test's own that does not reap
# it until told (the pids in a file once the child is dead; untagged, as
# expect_error checks that nothing tagged is left; it ends in 60 s anyway)
env -u SHMVIZ_TEST_TAG "$PY" - "$TMP/z.pids" "$TMP/z.go" <<'PYEOF' &
import os, sys, time
child = os.fork()
if child == 0:
    os._exit(0)
while open(f"/proc/{child}/stat").read().rsplit(")", 1)[1].split()[0] != "Z":
    time.sleep(0.01)
open(sys.argv[1] + ".tmp", "w").write(f"{os.getpid()} {child}\n")
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
for _ in range(6000):
    if os.path.exists(sys.argv[2]):
        break
    time.sleep(0.01)
os.waitpid(child, 0)
PYEOF
zwait=$!
for _ in $(seq 600); do [ -s "$TMP/z.pids" ] && break; sleep 0.05; done
read -r zparent zombie < "$TMP/z.pids" || fail "the test's zombie never appeared"
expect_error 2 "$zombie has exited (a zombie its parent $zparent has not reaped)" --attach "$zombie" --record "$TMP/no.json"
touch "$TMP/z.go"
wait "$zwait"
# kernel threads: found by their flags (PF_KTHREAD, 0x00200000, the 9th
# field of /proc/PID/stat), not assumed at pid 2 (in a PID namespace pid 2
# is whatever started second); kthreadd and one of its children
kthreads=$(for f in /proc/[0-9]*/stat; do
	awk '{ sub(/.*\) /, ""); if (int($7 / 2097152) % 2) print FILENAME, $2 }' "$f" 2>/dev/null
done | awk '{ sub("/proc/", "", $1); sub("/stat", "", $1); print $1, $2 }')
kt_parent=$(awk '$2 == 0 { print $1; exit }' <<< "$kthreads")
kt_child=$(awk -v p="$kt_parent" '$2 == p { print $1; exit }' <<< "$kthreads")
[ -n "$kt_parent" ] || note "no kernel thread is visible here: the kernel-thread refusal is not checked"
for kt in $kt_parent $kt_child; do
	expect_error 2 "$kt is a kernel thread" --attach "$kt" --record "$TMP/no.json"
done
# shmviz's own ancestors (the shell running this test; init): their tree
# would hold shmviz itself
expect_error 2 "is an ancestor of shmviz" --attach $$ --record "$TMP/no.json"
expect_error 2 "is an ancestor of shmviz" --attach 1 --record "$TMP/no.json"
[ ! -e "$TMP/no.json" ] || fail "a refused --attach left a recording"
# 4. --duration 0.5 at -i 10000: the deadline, not the next tick, ends it
L="$TMP/d.log"
start_tree "$L" "$TMP/d.go" 60
root=$(pid_of "$L" root)
t0=$(date +%s.%N)
run --record "$TMP/d.json" -i 10000 --attach "$root" --duration 0.5
t1=$(date +%s.%N)
touch "$TMP/d.go"
wait "$TREE"; trc=$?; TREE=
[ "$rc" = 0 ] || fail "--duration 0.5 -i 10000: exit $rc: $(cat "$TMP/err")"
[ "$trc" = 0 ] || fail "--duration 0.5 -i 10000: the tree exited $trc"
$PY - "$TMP/d.json" "$t0" "$t1" <<'PYEOF' || fail "--duration 0.5 -i 10000: see above"
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
took = float(sys.argv[3]) - float(sys.argv[2])
res = r["result"]
print(f"# --duration 0.5 -i 10000: {r['cause']}; wall_s {res['wall_s']:.3f}, total_s "
      f"{res['total_s']:.3f}, shmviz ran {took:.2f} s, {len(r['samples'])} samples", file=sys.stderr)
assert "--duration 0.5" in r["cause"], r["cause"]
# watched 0.5 s: not less, and not until the next tick (10 s away)
assert 0.5 <= res["total_s"] < 9 and 0.5 <= res["wall_s"] < 9, res
assert took < 9, f"shmviz ran {took:.2f} s"
assert r["samples"] and r["samples"][-1]["t"] >= 0.5, [s["t"] for s in r["samples"]]
PYEOF
no_leftovers

[ -n "$kt_parent" ] || skip "no kernel thread is visible (a PID namespace): every other check passed"
note "kernel threads refused: $kt_parent $kt_child"
echo ok
