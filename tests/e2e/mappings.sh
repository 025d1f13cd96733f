#!/bin/bash
# --mappings (docs/recording.md, "Mappings"): the groups of every process's
# /proc/PID/smaps mappings at the phase boundaries and in the hold.
# - a native shared run of W workers, quiet and with a CPU hog on every
#   core: in the hold exactly one group of the segment, mapped by W+1
#   processes, each holding it all as Shared_Dirty, their PSS adding up to
#   the segment within a page a process; the copy run maps no segment;
# - the Python workload (spawn workers): every worker maps a shared library
#   with Shared_Clean pages;
# - every snapshot's run groups are the sums of its processes' groups;
# - --mappings outside --record is refused (one line, exit 2); a recording
#   with mappings still plots.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"
trap 'stop_hogs; cleanup' EXIT

ROWS=1000000
for load in quiet hog; do
	[ $load = hog ] && start_hogs 120
	for w in 2 3; do
		run --record "$TMP/n.json" --mappings -w $w -n $ROWS --hold 1.5
		[ "$rc" = 0 ] || fail "native -w $w ($load): exit $rc: $(cat "$TMP/err")"
		$PY "$SRCDIR/tests/e2e/check_mappings.py" "$TMP/n.json" segment shared $w only >&2 ||
			fail "native -w $w ($load): shared run"
		$PY "$SRCDIR/tests/e2e/check_mappings.py" "$TMP/n.json" noshm copy >&2 ||
			fail "native -w $w ($load): copy run"
		$PY "$SRCDIR/tests/e2e/check_recording.py" "$TMP/n.json" --runs shared,copy >&2 ||
			fail "native -w $w ($load): recording schema"
		[ $load = quiet ] && no_leftovers
	done
	stop_hogs
	no_leftovers
done
# without --mappings the recording has none (and costs nothing)
run --record "$TMP/plain.json" -w 2 -n $ROWS --hold 0.2
[ "$rc" = 0 ] || fail "plain: exit $rc"
[ "$($PY -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sum("mappings" in x for x in r["runs"]), "map_snaps" in r["sampler"])' "$TMP/plain.json")" = "0 False" ] ||
	fail "a recording without --mappings has mappings"

expect_error 2 "--mappings is only for --record and --plot" --replay "$TMP/n.json" --mappings
expect_error 2 "--mappings is only for --record and --plot" -w 2 --mappings
# the loader reads every group back as recorded
"$BUILDDIR/tests/test_replay" --roundtrip "$TMP/n.json" 2>"$TMP/rt" ||
	fail "round trip of a recording with mappings: $(cat "$TMP/rt")"
grep -q "[1-9][0-9]* mapping groups" "$TMP/rt" || fail "round trip compared no mapping group: $(cat "$TMP/rt")"
run --plot "$TMP/n.json" -o "$TMP/n.svg"
[ "$rc" = 0 ] && [ -s "$TMP/n.svg" ] || fail "plot of a recording with mappings: exit $rc: $(cat "$TMP/err")"
grep -q "top mapping groups" "$TMP/n.svg" && fail "a plot without --mappings has the bar chart"
# --plot --mappings: the bar chart names the segment in the shared run's
# chart and not in the copy run's (cairo's SVG writes text as glyphs: the
# PNG is checked to be written, the SVG's charts through its <desc>)
run --plot "$TMP/n.json" -o "$TMP/m.png" --mappings
[ "$rc" = 0 ] && [ -s "$TMP/m.png" ] || fail "--plot --mappings (png): exit $rc: $(cat "$TMP/err")"
run --plot "$TMP/n.json" -o "$TMP/m.svg" --mappings
[ "$rc" = 0 ] || fail "--plot --mappings (svg): exit $rc: $(cat "$TMP/err")"
# (mapped by 2 processes or more: how many, the snapshot marked peak says,
# as the check below computes it; the peak may fall while workers attach,
# ΣPSS of the segment the same with 3 of 4 mapping it: a sanitizer run)
grep -Eq "Top mapping groups of shared by ΣPSS: shm /dev/shm/shmviz-[0-9]+-[0-9]+ \(([2-9]|[1-9][0-9]+) processes" "$TMP/m.svg" ||
	fail "--plot --mappings: the shared run's chart does not begin with the segment, shared: $(grep -o 'Top mapping groups of shared[^.]*' "$TMP/m.svg")"
grep -o "Top mapping groups of copy[^.]*" "$TMP/m.svg" | grep -q "shm " &&
	fail "--plot --mappings: a segment in the copy run's chart"
# every run's chart, as its <desc> reads: the top 6 groups of the
# snapshot marked peak, the one read nearest the run's peak ΣPSS sample
# (the bounded sample of the highest lower bound; of two as near, the
# higher sum: docs/recording.md, "Mappings"), each group summed here from
# the processes' own groups: kind, path (and the range of a large
# anonymous mapping), processes, ΣPSS
$PY - "$TMP/n.json" "$TMP/m.svg" <<'PYEOF' || fail "--plot --mappings: the charts' groups"
import html, json, os, re, sys
sys.path.insert(0, os.path.join(os.environ["SRCDIR"], "tests", "e2e"))
import snaps as snaps_mod
d = json.load(open(sys.argv[1]))
desc = html.unescape(re.search(r"<desc>(.*?)</desc>", open(sys.argv[2]).read(), re.S).group(1))
for r in d["runs"]:
    snaps = r.get("mappings") or []
    tot = [sum(g["pss_kb"] or 0 for g in s["groups"]) for s in snaps]
    snap = snaps[snaps_mod.peak_index(r)]
    assert snap["peak"] and sum(s["peak"] for s in snaps) == 1, "one snapshot marked peak"
    per = {}
    for p in snap["procs"]:
        for g in p["groups"]:
            name = g["path"] + (" " + g["addr"] if "addr" in g else "")
            # a segment is one group whether a read found it unlinked
            # or not (mapgroups.c, deleted_apart())
            s = per.setdefault((g["kind"], name, g["deleted"] if g["kind"] != "shm" else None,
                                g.get("addr")), {"n": 0, "pss": 0})
            s["n"] += 1
            s["pss"] += g["pss_kb"] or 0
    top = sorted(per.items(), key=lambda kv: (-kv[1]["pss"], kv[0][1]))[:6]
    want = "Top mapping groups of %s by \u03a3PSS: %s." % (r["name"], "; ".join(
        "%s %s (%d processes, \u03a3PSS %d KiB)" % (k[0], k[1], v["n"], v["pss"]) for k, v in top))
    assert want in desc, (want, desc)
print("ok")
PYEOF

if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
	run --record "$TMP/py.json" --mappings --workload python --mode shared -n 300000 -w 2 --hold 1
	[ "$rc" = 0 ] || fail "python: exit $rc: $(cat "$TMP/err")"
	$PY "$SRCDIR/tests/e2e/check_mappings.py" "$TMP/py.json" libs shared >&2 || fail "python: libraries"
	$PY "$SRCDIR/tests/e2e/check_mappings.py" "$TMP/py.json" segment shared 2 >&2 || fail "python: segment"
	no_leftovers
else
	note "python part not run: no numpy for /usr/bin/python3 (quickstart installs python3-numpy)"
fi
