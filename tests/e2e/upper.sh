#!/bin/bash
# The peak's upper end (docs/recording.md, "The peak's upper end"): a
# program (tests/helpers/high.c) touches MIB MiB of private memory in one
# go and lets it go at once, while shmviz ticks every 2 s: a short peak
# between two samples, which no read may see; it then lives on for 5 s
# (two samples at least after the peak), so that the peak is bounded
# between two samples, not only by the tree's faults at its end (that
# part is checked apart). Whatever the samples saw,
# the headline must never be a plain number below what the program held:
# either a sample caught the peak (a plain figure within 2% of MIB MiB) or
# the peak is a range whose upper end holds MIB MiB. The recording's
# pss_high_kb is checked against the doc's recurrence over the samples'
# counters (check_recording.py), the summary's figure and note against
# the recording (check_summary.py).
#
# The moment is made, not hoped for: the program holds its memory until
# the test, having seen "plateau" in its status file, writes to the FIFO;
# the test does so at once, so the peak lasts milliseconds of a 2 s tick.
. "$(dirname "$0")/lib.sh"
HIGH=${HIGH:?HIGH must name tests/helpers/high}
MIB=192

avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
[ "$avail" -gt $((MIB * 4)) ] || skip "MemAvailable ${avail} MiB: too little for ${MIB} MiB held"
mkfifo "$TMP/go" || fail "mkfifo"

# release the program as soon as its memory is touched
(
	for _ in $(seq 3000); do
		grep -q plateau "$TMP/status" 2>/dev/null && break
		sleep 0.01
	done
	printf g > "$TMP/go"
) &
releaser=$!
"$SHMVIZ" --record "$TMP/u.json" -i 2000 -- "$HIGH" $MIB "$TMP/status" "$TMP/go" 5 \
	> "$TMP/out" 2> "$TMP/err" || fail "shmviz exit $?: $(cat "$TMP/err")"
wait $releaser
grep -q dropped "$TMP/status" || fail "the program did not drop its memory: $(cat "$TMP/status")"

$PY "$SRCDIR/tests/e2e/check_recording.py" "$TMP/u.json" || fail "the recording (its pss_high_kb among it)"
$PY "$SRCDIR/tests/e2e/check_summary.py" "$TMP/out" "$TMP/u.json" || fail "the summary against the recording"

$PY - "$TMP/u.json" "$TMP/out" $MIB "$SRCDIR/tests/e2e" <<'PYEOF' || fail "the headline may be below what the program held"
import json, sys
sys.path.insert(0, sys.argv[4])
from peakhigh import peak_high_of  # noqa: E402
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
want = int(sys.argv[3]) * 1024
pk = d["runs"][0]["peak"]
# the RSS counters are per-CPU approximations (docs/recording.md, "The
# peak's upper end", limits: a sample's RSS may not yet show its last
# faults), which one moment's tolerance covers: 1% (or 256 KiB)
slack = max(want // 100, 256)
tight = max(pk["pss_kb"] // 100, 256)
wide = pk["pss_bound_kb"] > tight or pk["pss_high_kb"] > pk["pss_kb"] + tight
print(f"# peak ΣPSS {pk['pss_kb']} KiB ± {pk['pss_bound_kb']}, upper end {pk['pss_high_kb']} KiB, "
      f"{want} KiB touched: {'a range' if wide else 'a plain number'}", file=sys.stderr)
bad = []
# the upper end is never below what the tree held (the program's pages)
if pk["pss_high_kb"] < want - slack:
    bad.append(f"upper end {pk['pss_high_kb']} KiB below the {want} KiB the program held "
               f"(less one moment, {slack} KiB)")
# nor far above it: the program's memory, its own small rest, the pages
# it faulted (a page each) before it touched the rest, and the huge pages
# the machine faulted meanwhile (any process's: total.thp_kb)
thp = [s["total"]["thp_kb"] for s in d["runs"][0]["samples"] if s["total"].get("thp_kb") is not None]
more = max(thp) - min(thp) if thp else 0
if pk["pss_high_kb"] > want + pk["pss_kb"] + 4096 + more:
    bad.append(f"upper end {pk['pss_high_kb']} KiB: more than {want} KiB + the rest {pk['pss_kb']} KiB")
# the samples alone (no faults of the tree at its end) bound it too: the
# peak lies between two samples of a process that lived on
alone = dict(d["runs"][0], result=dict(d["runs"][0]["result"], cpu_user_s=None))
between, _ = peak_high_of(alone, d["host"]["page_size"] // 1024)
if between is None or between < want - slack:
    bad.append(f"between the samples the upper end is {between} KiB, below the {want} KiB held")
if not wide and pk["pss_kb"] < want * 0.98:
    bad.append(f"a plain peak of {pk['pss_kb']} KiB where the program held {want} KiB")
line = [l for l in text.splitlines() if l.startswith("peak \u03a3PSS")]
if wide and not (line and "\u2265" in line[0]):
    bad.append(f"the summary's peak is not marked a lower bound: {line}")
for b in bad:
    print("check failed:", b)
sys.exit(1 if bad else 0)
PYEOF
no_leftovers
echo ok
