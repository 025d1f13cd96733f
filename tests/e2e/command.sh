#!/bin/bash
# shmviz -- CMD [ARG]...: one command, its words as given (no shell), its
# whole tree in one run. A program that maps a shared region and forks
# (tests/helpers/shmfork.c) shows ΣPss_Shmem = the region's size; shmviz
# exits with the command's status, 128+N when signal N killed it; the
# command's own options after -- are its own; bad commands are refused.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"
SHMFORK=${SHMFORK:?SHMFORK must name tests/helpers/shmfork}

# the region's pages split among the processes that map it: in the hold
# phase (every child has read every page) the tree's ΣPss_Shmem is the
# region, within the kB each process's figure is rounded down by
check_region() { # FILE MIB PROCS
	$PY - "$@" <<'PYEOF'
import json, sys
path, mib, procs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
d = json.load(open(path))
assert d["config"]["workload"] == "command", d["config"]
assert len(d["runs"]) == 1, len(d["runs"])
r = d["runs"][0]
hold = [p for p in r["phases"] if p["name"] == "hold"]
assert hold, r["phases"]
h0, h1 = hold[0]["start_s"], hold[0]["end_s"]
good = [s for s in r["samples"] if h0 <= s["t"] <= h1 and s["total"]["consistent"]
        and len(s["procs"]) == procs
        and all(p["state"] in ("read", "exact") or p.get("smaps") in ("read", "exact")
                for p in s["procs"] if "smaps" in p or "state" in p)]
assert good, "no consistent sample of %d processes in the hold phase" % procs
want = mib * 1024
for s in good:
    shm = sum(p["pss_shmem_kb"] for p in s["procs"])
    assert want - procs <= shm <= want, (s["t"], shm, want)
    # the region once in ΣPSS too, though once a process in ΣRSS
    rss = sum(p["rss_kb"] for p in s["procs"])
    assert rss >= procs * want, (rss, procs * want)
print("%d samples: ΣPss_Shmem = %d kB of %d" % (len(good), shm, want))
PYEOF
}

run --record "$TMP/c.json" -i 50 -- "$SHMFORK" 64 2 1.0
[ "$rc" = 0 ] || fail "shmfork: exit $rc: $(cat "$TMP/err")"
no_leftovers
check_region "$TMP/c.json" 64 3 >&2 || fail "ΣPss_Shmem of a 64 MiB region in 3 processes"
$PY "$SRCDIR/tests/e2e/check_recording.py" "$TMP/c.json" --runs shmfork >&2 ||
	fail "recording schema"
grep -q "^output of shmfork: $TMP/shmviz-log-.*/command.log" "$TMP/out" ||
	fail "no log path in the summary: $(cat "$TMP/out")"
# the shared row and the table of the processes at the peak, as the
# recording's samples say
$PY "$SRCDIR/tests/e2e/check_summary.py" "$TMP/out" "$TMP/c.json" >&2 || fail "the summary"

# the same with a CPU hog on every core
start_hogs 120
run --record "$TMP/h.json" -i 50 -- "$SHMFORK" 32 3 1.5
stop_hogs
[ "$rc" = 0 ] || fail "shmfork under load: exit $rc: $(cat "$TMP/err")"
no_leftovers
check_region "$TMP/h.json" 32 4 >&2 || fail "ΣPss_Shmem under load"

# the exit status passes through; a signal's death is 128+N
run --record "$TMP/s.json" -- "$SHMFORK" 8 1 0.2 7
[ "$rc" = 7 ] || fail "status 7: shmviz exited $rc: $(cat "$TMP/err")"
grep -q "^result  *exit 7$" "$TMP/out" || fail "the summary does not say exit 7: $(cat "$TMP/out")"
no_leftovers
run --record "$TMP/k.json" -- "$SHMFORK" 8 1 0.2 -10
[ "$rc" = 138 ] || fail "killed by SIGUSR1: shmviz exited $rc, expected 138: $(cat "$TMP/err")"
grep -q "^result  *SIGUSR1$" "$TMP/out" || fail "the summary does not say SIGUSR1: $(cat "$TMP/out")"
no_leftovers
$PY - "$TMP/k.json" <<'PYEOF' || fail "the signal in the recording"
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
assert r["result"]["exit_status"] & 0x7f == 10, r["result"]
assert r["state"] == "done", r["state"]
PYEOF

# no shell, and options after -- are the command's own
run --record "$TMP/w.json" -- printf '%s|' 'a b' '$HOME;x' -w 2
[ "$rc" = 0 ] || fail "printf: exit $rc: $(cat "$TMP/err")"
log=$(sed -n 's/^output of printf: //p' "$TMP/out")
[ "$(cat "$log")" = 'a b|$HOME;x|-w|2|' ] || fail "words: printf printed '$(cat "$log")'"
$PY - "$TMP/w.json" <<'PYEOF' || fail "the label"
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
assert r["label"] == "printf %s| 'a b' $HOME;x -w 2", r["label"]
PYEOF
no_leftovers

# refusals: one line, the documented status, nothing run
expect_error 2 "no command after it" --record "$TMP/x.json" --
expect_error 127 "not found" --record "$TMP/x.json" -- shmviz-no-such-program
expect_error 2 "cannot be used with a command" --record "$TMP/x.json" --compare true true -- true
expect_error 2 "cannot be used with a command" --record "$TMP/x.json" -w 2 -- true
expect_error 2 "not for --plot" --plot "$TMP/c.json" -o "$TMP/x.svg" -- true
[ ! -e "$TMP/x.json" ] || fail "a refused command left a recording"

# --repeat: a command that exits non-zero ends the rounds, and says so
run --record "$TMP/rep.json" --repeat 3 -- sh -c 'exit 5'
[ "$rc" = 5 ] || fail "--repeat 3 -- exit 5: shmviz exited $rc"
grep -q "the rounds stopped after round 1: a run ended with exit status 5" "$TMP/err" ||
	fail "--repeat 3 -- exit 5: no word of the rounds stopping: $(cat "$TMP/err")"
no_leftovers

# --mappings of a command that tells no phases: snapshots all along, the
# latest kept (a phase boundary never comes)
run --record "$TMP/map.json" --mappings -- "$SHMFORK" 8 1 0.8
[ "$rc" = 0 ] || fail "--mappings -- shmfork: exit $rc: $(cat "$TMP/err")"
$PY - "$TMP/map.json" <<'PYEOF' || fail "--mappings of a command without phases"
import json, sys
r = json.load(open(sys.argv[1]))
snaps = r["runs"][0].get("mappings") or []
assert snaps and r["sampler"]["map_snaps"] >= 1, (len(snaps), r["sampler"].get("map_snaps"))
groups = [g for p in snaps[-1]["procs"] for g in p["groups"]]
assert groups, "a snapshot without groups"
PYEOF
no_leftovers
echo "ok"
