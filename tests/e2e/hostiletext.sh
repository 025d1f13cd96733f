#!/bin/bash
# User-given text on the terminal and in spreadsheets:
# - a command's words holding escape sequences (an OSC title, a screen
#   clear, a C1 CSI) reach the headless summary, starting with its first
#   line (the command as the run's label), only sanitised: no control
#   character on stdout or stderr, and the first line is the recording's
#   (sanitised) label;
# - processes named "=1+2", "@SUM(1+1)*cmd|", "+cmd|calc", "-2+3" and a
#   --compare run labelled "=HYPERLINK(1)": in --export-csv every text
#   cell that begins with '=', '+', '-' or '@' begins with a "'" first
#   (CSV injection), and every cell is otherwise the recording's text
#   (tests/e2e/check_export.py, when pandas is there).
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"

# 1. the summary's first line
esc=$'\e]0;owned\a\e[2J\xc2\x9b31m'
run --record "$TMP/c.json" -i 50 -- /bin/sh -c 'exit 0' "$esc"
[ "$rc" = 0 ] || fail "-- sh -c: exit $rc: $(cat "$TMP/err")"
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]' "$TMP/out" "$TMP/err"; then
	fail "a control character reached the terminal: $(cat -v "$TMP/out" "$TMP/err")"
fi
$PY - "$TMP/c.json" "$TMP/out" <<'PYEOF' || fail "the summary's first line"
import json, sys
d = json.load(open(sys.argv[1]))
label = d["runs"][0]["label"]
assert "?]0;owned??[2J" in label, label
first = open(sys.argv[2], encoding="utf-8").readline().rstrip("\n")
want = "shmviz %s: %s, sampled every %d ms" % (d["shmviz"]["version"], label, d["config"]["interval_ms"])
assert first == want, (first, want)
PYEOF
no_leftovers

# 2. CSV injection: processes named as formulas (the name of a process is
#    the name of the file it ran), a run labelled as one
mkdir "$TMP/bin"
names=('=1+2' '@SUM(1+1)*cmd|' '+cmd|calc' '-2+3')
for n in "${names[@]}"; do ln -s "$(command -v sleep)" "$TMP/bin/$n"; done
tree='for n in "$@"; do "$0/$n" 2 & done; wait'
run --record "$TMP/x.json" --export-csv "$TMP/x.csv" -i 50 \
	--compare "sh -c '$tree' $TMP/bin ${names[*]}" "sleep 0.2" \
	--label '=HYPERLINK(1)' --label '@B'
[ "$rc" = 0 ] || fail "--compare: exit $rc: $(cat "$TMP/err")"
no_leftovers
$PY - "$TMP/x.json" "$TMP/x.csv" "${names[@]}" <<'PYEOF' || fail "CSV injection"
import csv, json, sys
d = json.load(open(sys.argv[1]))
names = sys.argv[3:]
comms = {p["comm"] for r in d["runs"] for s in r["samples"] for p in s["procs"]}
for n in names:
    assert n in comms, ("not sampled", n, sorted(comms))
rows = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
assert rows, "no rows"
seen = set()
for row in rows:
    for col in ("run", "comm", "role", "state", "smaps"):
        v = row[col]
        assert v[:1] not in ("=", "+", "-", "@", "\t", "\r"), (col, v)
    seen.add(row["comm"])
    seen.add(row["run"])
for n in names + ["=HYPERLINK(1)", "@B"]:
    assert "'" + n in seen, ("not neutralised", n, sorted(seen))
PYEOF
if $PY -c 'import pandas' 2>/dev/null; then
	$PY "$SRCDIR/tests/e2e/check_export.py" "$TMP/x.json" --csv "$TMP/x.csv" >&2 ||
		fail "check_export.py"
else
	note "no pandas: check_export.py is not run"
fi
echo ok
