#!/bin/bash
# shmviz run by an ordinary user (nobody) over processes it may not read:
# - A: tests/helpers/hider.c, whose child makes itself not dumpable: its
#   smaps_rollup refuses its own user (EACCES);
# - B: a set-user-ID root copy of tests/helpers/touch.c: the whole run
#   belongs to root.
# What cannot be read is recorded as unknown (null, "smaps":"unreadable",
# ΣPSS marked partial) and never as 0, and the summary does not present a
# peak it could not measure; the counters of /proc/PID/status, which stay
# readable, are kept.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root, to run shmviz as nobody and make a setuid program"
id nobody >/dev/null 2>&1 || skip "no user nobody"
command -v setpriv >/dev/null 2>&1 || skip "setpriv (util-linux) is missing"
isolate_shm "$@"
: "${HIDER:?HIDER must name tests/helpers/hider}" "${TOUCH:?TOUCH must name tests/helpers/touch}"

# nobody runs copies of the binaries in $TMP (under /tmp, mode 755), not
# the build tree, which it may not reach (a clone under /root). shmviz
# --record --compare reads no asset (only the TUI's captions and the Python
# workload do), so the binary alone is enough; it is linked against system
# libraries only.
chmod 755 "$TMP"
mkdir -m 755 "$TMP/bin"
cp "$SHMVIZ" "$TMP/bin/shmviz"
cp "$HIDER" "$TMP/bin/hider"
cp "$TOUCH" "$TMP/bin/suid-touch"
chmod 755 "$TMP/bin/shmviz" "$TMP/bin/hider"
chown root:root "$TMP/bin/suid-touch"
chmod 4755 "$TMP/bin/suid-touch"
for d in shmviz hider suid-touch; do
	setpriv --reuid=nobody --regid=nogroup --clear-groups -- test -x "$TMP/bin/$d" ||
		fail "user nobody cannot run $TMP/bin/$d: $(ls -ld /tmp "$TMP" "$TMP/bin" "$TMP/bin/$d")"
done
mkdir -m 777 "$TMP/nob"
J="$TMP/nob/r.json"

# TMPDIR: where --compare keeps the commands' output, inside $TMP
TMPDIR="$TMP/nob" setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
	"$TMP/bin/shmviz" --record "$J" --compare "$TMP/bin/hider 16 1" "$TMP/bin/suid-touch 16 1" \
	--label hider --label suid -i 50 >"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 0 ] || fail "as nobody: exit $rc: $(cat "$TMP/err")"
no_leftovers

$PY - "$J" "$TMP/out" <<'EOF' || fail "the recording or the summary shows an unreadable value as a number"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))
runs = {r["name"]: r for r in d["runs"]}
SMAPS = ("rss_kb", "pss_kb", "pss_shmem_kb", "shared_clean_kb", "shared_dirty_kb",
         "private_clean_kb", "private_dirty_kb", "swap_kb")

def procs(run):
    for s in run["samples"]:
        for p in s["procs"]:
            yield s, p

# A: the parent readable, the child not; the totals say so
seen = {"read": 0, "unreadable": 0}
for s, p in procs(runs["hider"]):
    if p["smaps"] == "unreadable":
        seen["unreadable"] += 1
        assert all(p[k] is None for k in SMAPS), p
        assert p["rss_now_kb"] and p["rss_now_kb"] >= 16 * 1024, p  # status still read
        assert s["total"]["pss_partial"] is True, s["total"]
    elif p["smaps"] in ("read", "exact"):
        seen["read"] += 1
        assert p["pss_kb"] is not None and p["pss_kb"] > 0, p
assert seen["unreadable"] > 0 and seen["read"] > 0, seen

# B: nothing of the run could be read
n = 0
for s, p in procs(runs["suid"]):
    if p["smaps"] in ("read", "exact", "estimated", "held"):
        raise AssertionError(f"a setuid-root process read as {p}")
    if p["smaps"] == "unreadable":
        n += 1
        assert all(p[k] is None for k in SMAPS), p
        assert s["total"]["pss_partial"] is True, s["total"]
    if p["smaps"] == "gone":  # exiting: no address space, figures unknown
        assert all(p[k] is None for k in SMAPS), p
assert n > 0, "no sample of the setuid run"

# the recorded peaks: a lower bound, flagged, or null when nothing was read
assert runs["hider"]["peak"]["pss_partial"] is True and runs["hider"]["peak"]["pss_kb"] > 0
assert runs["suid"]["peak"]["pss_partial"] is True
assert runs["suid"]["peak"]["pss_kb"] is None and runs["suid"]["peak"]["uss_kb"] is None
# a sample's totals: unknown (null, partial) while a process that maps
# memory is unreadable; 0 kB and known only when no process counts: none
# left (after the run's end), or only ones exiting ("gone": no address
# space) or reaped (state "x"), which hold no memory and count in no total
for s in runs["suid"]["samples"]:
    t = s["total"]
    counted = [p for p in s["procs"] if p["state"] != "x" and p["smaps"] != "gone"]
    assert t["nprocs"] == sum(1 for p in s["procs"] if p["state"] != "x"), s
    if counted:
        assert t["pss_kb"] is None and t["uss_kb"] is None and t["pss_partial"] is True, s
    else:
        assert t["pss_kb"] == 0 and t["uss_kb"] == 0 and t["pss_partial"] is False, s

# the summary: "+" for a lower bound, "?" for no figure, never a 0
out = open(sys.argv[2]).read()
for row in ("peak ΣPSS", "peak ΣUSS"):
    line = next((l for l in out.splitlines() if l.startswith(row)), None)
    assert line is not None, out
    cells = line[len(row):].split()
    # hider: "N.N MiB+", suid: "?", ratio: "?"
    assert cells[1].endswith("+") and cells[2] == "?" and cells[3] == "?", line
assert "could not be read" in out, out
EOF
echo ok
