#!/bin/bash
# A headless recording of both native runs, checked against the kernel's
# own accounting: in the shared run the segment is counted once in ΣPSS
# (ΣPss_Shmem = S within a page a process) and W+1 times in ΣRSS; in the
# copy run every worker holds the whole table as Private_Dirty; the file
# has every documented field; the summary prints the recording's figures;
# nothing is left behind.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

W=4
ROWS=2000000
run --record "$TMP/r.json" -w $W -n $ROWS --hold 1.5 -i 50
[ "$rc" = 0 ] || fail "exit $rc: $(cat "$TMP/err")"
grep -q "copy/shared" "$TMP/out" || fail "no summary table on stdout: $(cat "$TMP/out")"
grep -q "peak ΣPSS" "$TMP/out" || fail "summary lacks peak ΣPSS"
no_leftovers

$PY "$SRCDIR/tests/e2e/check_recording.py" "$TMP/r.json" --workers $W --rows $ROWS \
	--runs shared,copy || fail "recording check"
# every cell of the summary is what the recording's figures print as
$PY "$SRCDIR/tests/e2e/check_summary.py" "$TMP/out" "$TMP/r.json" || fail "summary check"

# $COLUMNS=80 (an outside test's run, --mode all): the table in blocks,
# each note wrapped at spaces in 80 columns (never a word or a figure such
# as "2.4× less" split, its lines after the first indented), and read
# whole again every cell and figure is the recording's
COLUMNS=80 run --record "$TMP/w.json" -w 2 -n 1M --hold 0.3 --mode all
[ "$rc" = 0 ] || fail "COLUMNS=80: exit $rc: $(cat "$TMP/err")"
grep -q "^  " "$TMP/out" || fail "COLUMNS=80: no note wrapped: $(cat "$TMP/out")"
$PY "$SRCDIR/tests/e2e/check_summary.py" "$TMP/out" "$TMP/w.json" --cols 80 ||
	fail "COLUMNS=80: summary check: $(cat "$TMP/out")"
no_leftovers

# --record - : JSON on stdout, the summary on stderr
run --record - -w 2 -n 200k --hold 0 --mode shared
[ "$rc" = 0 ] || fail "--record -: exit $rc: $(cat "$TMP/err")"
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["runs"][0]["name"]=="shared"' "$TMP/out" \
	|| fail "--record - did not write JSON to stdout"
grep -q "peak ΣPSS" "$TMP/err" || fail "--record -: the summary is not on stderr"
$PY "$SRCDIR/tests/e2e/check_summary.py" "$TMP/err" "$TMP/out" || fail "--record -: summary check"
no_leftovers

# a locale whose decimal point is a comma (de_DE, made here: the locales
# package holds its definition): the recording is JSON all the same
command -v localedef >/dev/null 2>&1 && [ -r /usr/share/i18n/locales/de_DE ] ||
	fail "no localedef or no de_DE definition (./quickstart installs the locales package)"
mkdir -p "$TMP/loc"
localedef -i de_DE -f UTF-8 "$TMP/loc/de_DE.UTF-8" 2>/dev/null ||
	fail "localedef could not make de_DE.UTF-8"
LOCPATH="$TMP/loc" LC_ALL=de_DE.UTF-8 "$SHMVIZ" --record "$TMP/de.json" -w 2 -n 200k --hold 0.5 \
	--mode shared -i 20 >"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 0 ] || fail "de_DE: exit $rc: $(cat "$TMP/err")"
LOCPATH="$TMP/loc" LC_ALL=de_DE.UTF-8 $PY -c 'import locale; locale.setlocale(locale.LC_ALL, ""); assert locale.localeconv()["decimal_point"] == ","' ||
	fail "de_DE.UTF-8 made, but its decimal point is not a comma"
# JSON whose fractions have a point: samples at fractional times, the
# hold's length as given (how many samples a loaded machine affords is
# not the question)
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); s=d["runs"][0]["samples"]; assert len(s) >= 2 and any(x["t"] != int(x["t"]) for x in s) and d["config"]["hold_s"] == 0.5' "$TMP/de.json" ||
	fail "de_DE: the recording is not JSON: $(head -c 300 "$TMP/de.json")"
"$SHMVIZ" --plot "$TMP/de.json" -o "$TMP/de.svg" 2>"$TMP/err" || fail "de_DE: the recording does not load: $(cat "$TMP/err")"
no_leftovers

# a locale not UTF-8 (C), or --ascii: the summary in ASCII only, its
# table still aligned under its header, its figures the recording's (an
# outside test: Σ, × and ≥ printed under LC_ALL=C --ascii)
for how in C ascii; do
	if [ $how = C ]; then
		LC_ALL=C "$SHMVIZ" --record "$TMP/a.json" -w 2 -n 200k --hold 0.3 --mode both \
			>"$TMP/out" 2>"$TMP/err" </dev/null
	else
		COLUMNS=60 "$SHMVIZ" --record "$TMP/a.json" -w 2 -n 200k --hold 0.3 --mode both --ascii \
			>"$TMP/out" 2>"$TMP/err" </dev/null
	fi
	rc=$?
	[ "$rc" = 0 ] || fail "$how: exit $rc: $(cat "$TMP/err")"
	$PY - "$TMP/out" "$TMP/a.json" "$SRCDIR/tests/e2e" "$how" <<'PYEOF' || fail "$how: the ASCII summary: $(cat "$TMP/out")"
import json, re, sys
sys.path.insert(0, sys.argv[3])
from check_summary import cells, fmt_kb_long, factor
raw = open(sys.argv[1], "rb").read()
bad = sorted({b for b in raw if b > 0x7e or (b < 0x20 and b != 0x0a)})
assert not bad, ("not ASCII", bad)
text = raw.decode().splitlines()
d = json.load(open(sys.argv[2]))
h = next(i for i, l in enumerate(text) if l.startswith("result ")) - 1
want = {}
def wide(pk):
    # its own bound, or its upper end (null: a chain broke), beyond one
    # moment (docs/recording.md, "The peak's upper end")
    tight = max(256, pk["pss_kb"] // 100)
    high = pk.get("pss_high_kb", pk["pss_kb"] + pk["pss_bound_kb"])
    return pk["pss_bound_kb"] > tight or high is None or high > pk["pss_kb"] + tight
for label, key in (("peak PSS", "pss_kb"), ("peak RSS", "rss_sum_kb")):
    line = next(l for l in text if l.startswith(label + " "))
    got = cells(line, text[h])
    assert got is not None, ("not aligned", text[h], line)
    pks = [r["peak"] for r in d["runs"]]
    if key == "pss_kb" and any(wide(pk) for pk in pks):
        # a peak of a wide bound reads ">=" its lower end (and the ratio
        # a range): each run's cell checked, the ratio's words only
        exp = [(">=" if wide(pk) else "") + fmt_kb_long(pk["pss_kb"] - (pk["pss_bound_kb"] if wide(pk) else 0))
               for pk in pks]
        # (a range across 1, "0.9-3.4x", has no word)
        assert got[:2] == exp and len(got) == 3 and (got[2].endswith(("more", "less", "as much")) or
                                                    re.fullmatch(r"[0-9.]+-[0-9.]+x", got[2])), (label, got, exp)
        continue
    vals = [pk[key] for pk in pks]
    exp = [fmt_kb_long(v) for v in vals] + [factor(vals[1] / vals[0]).replace("\u00d7", "x")]
    assert got == exp, (label, got, exp)
assert not any("\u03a3" in l for l in text)
# --ascii at COLUMNS=60: the notes wrapped there, as ASCII is wide (">="
# two columns), the sampler's line whole once its lines are joined
if sys.argv[4] == "ascii":
    assert all(len(l) <= 60 or " " not in l.strip() for l in text), [l for l in text if len(l) > 60]
    at = next(i for i, l in enumerate(text) if l.startswith("sampler: "))
    line = text[at]
    for l in text[at + 1:]:
        if not l.startswith("  "):
            break
        line += " " + l[2:]
    s = d["sampler"]
    want = "sampler: %.2f s CPU (%.1f%% of a core, budget %.1f%%), %d PSS reads, %d counter reads" % (
        s["cpu_s"], 100 * s["cpu_s"] / s["wall_s"] if s["wall_s"] > 0 else 0, s["budget_pct"],
        s["pss_reads"], s["counter_reads"])
    if s["pss_reads"] > 1:
        want += ", PSS every %.0f ms on average" % s["pss_interval_ms"]
    assert line == want and at + 1 < len(text) and text[at + 1].startswith("  "), (text[at:], want)
print("# ascii: " + " | ".join(l for l in text if l.startswith("peak PSS")), file=sys.stderr)
PYEOF
done
no_leftovers
echo "ok"
