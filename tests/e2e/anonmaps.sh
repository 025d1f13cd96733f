#!/bin/bash
# Large anonymous mappings and the snapshots a command's run keeps
# (docs/recording.md, "Mappings"): a program that maps 64 MiB of private
# anonymous memory, writes it and forks two children that read it all
# (tests/helpers/shmfork.c, SHMFORK_PRIVATE=1) prints the range it mapped.
# - with the phase protocol, the snapshot of the hold (taken at its
#   boundary, every child having read every page) has one group of that
#   exact range, 64 MiB, mapped by the 3 processes, each holding it all as
#   Shared_Dirty, their PSS adding up to it within a page a process; the
#   other anonymous mappings fold into "[anon]";
# - without it (a command that does not speak the protocol: snapshots
#   only once a second), the recording keeps its last non-empty snapshot
#   (not one taken after the tree had gone) and marks the one read
#   nearest the run's peak ΣPSS sample peak; --plot --mappings names the range.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"
SHMFORK=${SHMFORK:?SHMFORK must name tests/helpers/shmfork}

check() { # FILE MODE(hold|any)
	$PY - "$@" <<'PYEOF'
import json, os, re, sys
sys.path.insert(0, os.path.join(os.environ["SRCDIR"], "tests", "e2e"))
import snaps as snaps_mod
path, mode = sys.argv[1], sys.argv[2]
d = json.load(open(path))
r = d["runs"][0]
page_kb = d["host"]["page_size"] // 1024
m = re.search(r"^range ([0-9a-f]+)-([0-9a-f]+)$", open(r["log"]).read(), re.M)
assert m, "no range in the program's output"
addr = "%s-%s" % m.groups()
assert int(m.group(2), 16) - int(m.group(1), 16) == 64 << 20, addr
snaps = r.get("mappings") or []
assert snaps, "no snapshot"
# no snapshot of a tree that had gone; one peak, read nearest the peak
# ΣPSS sample (tests/e2e/snaps.py)
for s in snaps:
    assert s["groups"], ("an empty snapshot", s["t"])
tot = [snaps_mod.snap_pss(s) for s in snaps]
want = snaps_mod.peak_index(r)
assert [s["peak"] for s in snaps] == [i == want for i in range(len(snaps))], \
    ([s["peak"] for s in snaps], tot, want)
# the range is one group wherever it is, never folded into [anon]
for s in snaps:
    for g in s["groups"] + [x for p in s["procs"] for x in p["groups"]]:
        if g.get("addr") == addr:
            assert g["kind"] == "anon" and g["path"] == "[anon]" and g["mappings"] == g.get("processes", 1), g
if mode == "hold":
    hold = [s for s in snaps if s["phase"] == "hold"]
    assert hold, [s["phase"] for s in snaps]
    s = hold[0]
    mine = [g for g in s["groups"] if g.get("addr") == addr]
    assert len(mine) == 1, [g.get("addr") for g in s["groups"]]
    g = mine[0]
    assert g["processes"] == 3, g
    assert abs(g["pss_kb"] - 65536) <= 3 * page_kb, g
    assert g["shared_dirty_kb"] == 3 * 65536, g
    for p in s["procs"]:
        pg = [x for x in p["groups"] if x.get("addr") == addr]
        assert len(pg) == 1 and pg[0]["shared_dirty_kb"] == 65536, (p["pid"], pg)
    print("hold: %s mapped by %d, ΣPSS %d kB" % (addr, g["processes"], g["pss_kb"]))
else:
    print("%d snapshots, ΣPSS %s, last at %.2f s" % (len(snaps), tot, snaps[-1]["t"]))
print(addr)
PYEOF
}

SHMFORK_PRIVATE=1 run --record "$TMP/p.json" --mappings -i 50 -- "$SHMFORK" 64 2 1.5
[ "$rc" = 0 ] || fail "shmfork: exit $rc: $(cat "$TMP/err")"
no_leftovers
check "$TMP/p.json" hold >&2 || fail "the 64 MiB anonymous mapping in the hold"

# no protocol: env drops the descriptor's name, shmfork says nothing
SHMFORK_PRIVATE=1 run --record "$TMP/c.json" --mappings -i 50 -- env -u SHMVIZ_PHASE_FD "$SHMFORK" 64 2 2.5
[ "$rc" = 0 ] || fail "shmfork without the protocol: exit $rc: $(cat "$TMP/err")"
no_leftovers
addr=$(check "$TMP/c.json" any | tail -1) || fail "snapshots of a command without the protocol"
run --plot "$TMP/c.json" -o "$TMP/c.svg" --mappings
[ "$rc" = 0 ] || fail "--plot --mappings: exit $rc: $(cat "$TMP/err")"
grep -q "Top mapping groups of [^.]*anon \[anon\] $addr (" "$TMP/c.svg" ||
	fail "--plot --mappings does not name $addr: $(grep -o 'Top mapping groups of[^.]*' "$TMP/c.svg")"
