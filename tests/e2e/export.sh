#!/bin/bash
# --export-csv and --export-trace of real recordings of each workload
# (native shared/copy/cow, python, --compare with hostile names), checked
# against the recording they came from by tests/e2e/check_export.py:
# pandas.read_csv with no options reads the CSV back, figure by figure; the
# trace passes a parser of the trace-event format written there (ph/ts/pid
# on every event, numeric counters, slices that nest) and holds every
# sample. A long recording (read a sample at a time) exports whole. Bad
# paths, bad recordings, a file size limit and a signal leave no file.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
: "${HOSTILE:?HOSTILE must name tests/helpers/hostile}"
export TMPDIR="$TMP" # where --compare keeps the commands' output
[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"
# pandas reading the CSV is what the CSV is for: its absence is a machine
# not set up (./quickstart installs python3-pandas), not a reason to check
# less
/usr/bin/python3 -c 'import pandas' 2>/dev/null ||
	fail "no pandas for /usr/bin/python3: run ./quickstart (it installs python3-pandas)"
CHECK="/usr/bin/python3 $SRCDIR/tests/e2e/check_export.py"

# no temporary export file may be left in $TMP
no_temp() {
	left=$(ls -a "$TMP" | grep -E '^\..+\.(csv|json)\.' || true)
	[ -z "$left" ] || fail "temporary files left: $left"
}

# native, all three runs, with a CPU hog on every core: exported once the
# run is recorded
start_hogs 300
run --record "$TMP/n.json" --mode all -w 2 -n 200k --hold 0.3 -i 50 \
	--export-csv "$TMP/n.csv" --export-trace "$TMP/n.trace.json"
stop_hogs
[ "$rc" = 0 ] || fail "native: exit $rc: $(cat "$TMP/err")"
$CHECK "$TMP/n.json" --csv "$TMP/n.csv" --trace "$TMP/n.trace.json" || fail "native exports"
no_leftovers
no_temp

# the same recording exported from --replay and from --plot: the same bytes
run --replay "$TMP/n.json" --export-csv "$TMP/r.csv" --export-trace "$TMP/r.trace.json"
[ "$rc" = 0 ] && [ ! -s "$TMP/out" ] || fail "--replay export: exit $rc: $(cat "$TMP/err") $(head -c 200 "$TMP/out")"
cmp -s "$TMP/n.csv" "$TMP/r.csv" || fail "the CSV of --replay differs from the one of --record"
# the same events; the comparison's ratios are computed again from the
# recorded times, which may differ in the last bit
/usr/bin/python3 - "$TMP/n.trace.json" "$TMP/r.trace.json" <<'PY' || fail "the trace of --replay differs from the one of --record"
import json, math, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["traceEvents"] == b["traceEvents"], "events differ"
for x, y in zip(a["metadata"]["summary"]["comparisons"], b["metadata"]["summary"]["comparisons"]):
    for k in x:
        assert x[k] == y[k] or math.isclose(x[k], y[k], rel_tol=1e-12), (k, x[k], y[k])
PY
run --plot "$TMP/n.json" -o "$TMP/n.svg" --export-csv "$TMP/p.csv"
[ "$rc" = 0 ] && [ -s "$TMP/n.svg" ] || fail "--plot with an export: exit $rc: $(cat "$TMP/err")"
cmp -s "$TMP/n.csv" "$TMP/p.csv" || fail "the CSV of --plot differs"

# the Python workload
if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
	run --record "$TMP/py.json" --workload python -w 2 -n 200k --hold 0.3 -i 50 \
		--export-csv "$TMP/py.csv" --export-trace "$TMP/py.trace.json"
	[ "$rc" = 0 ] || fail "python: exit $rc: $(cat "$TMP/err")"
	$CHECK "$TMP/py.json" --csv "$TMP/py.csv" --trace "$TMP/py.trace.json" || fail "python exports"
	no_leftovers
else
	note "no numpy for /usr/bin/python3: the Python workload's exports are not checked"
fi

# --compare with hostile process names (quotes, backslashes, control
# characters, invalid UTF-8), exported from the recording
run --record "$TMP/h.json" --compare "$HOSTILE 1" "$HOSTILE 1" -i 50
[ "$rc" = 0 ] || fail "hostile: exit $rc: $(cat "$TMP/err")"
run --replay "$TMP/h.json" --export-csv "$TMP/h.csv" --export-trace "$TMP/h.trace.json"
[ "$rc" = 0 ] || fail "hostile export: exit $rc: $(cat "$TMP/err")"
$CHECK "$TMP/h.json" --csv "$TMP/h.csv" --trace "$TMP/h.trace.json" || fail "hostile exports"
grep -q '"q""uote\\"' "$TMP/h.csv" || fail "the name q\"uote\\ is not quoted as RFC 4180 says"
no_leftovers

# names with commas, quotes, CR and LF (a recording edited to hold them:
# the loader turns control characters into '?', so the CSV must quote the
# comma and double the quote)
/usr/bin/python3 - "$TMP/n.json" "$TMP/c.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
names = ['a,b', 'say "hi", ok', 'cr\rlf\nx', ',"', ' lead']
k = 0
for r in d["runs"]:
    for s in r["samples"]:
        for p in s["procs"]:
            p["comm"] = names[k % len(names)]
            k += 1
json.dump(d, open(sys.argv[2], "w"))
PY
run --replay "$TMP/c.json" --export-csv "$TMP/c.csv"
[ "$rc" = 0 ] || fail "commas: exit $rc: $(cat "$TMP/err")"
/usr/bin/python3 - "$TMP/c.json" <<'PY' || fail "commas: names"
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["runs"]:
    for s in r["samples"]:
        for p in s["procs"]:
            p["comm"] = p["comm"].replace("\r", "?").replace("\n", "?")
json.dump(d, open(sys.argv[1], "w"))
PY
$CHECK "$TMP/c.json" --csv "$TMP/c.csv" || fail "commas and quotes"

# a long recording (more than a whole parse takes: read a sample at a
# time): every row exported, the peaks as generated
/usr/bin/python3 "$SRCDIR/tests/helpers/longrec.py" 1500 12 2 --facts "$TMP/long.facts" >"$TMP/long.json" ||
	fail "longrec.py"
size=$(stat -c %s "$TMP/long.json")
[ "$size" -gt $((4 << 20)) ] || fail "the long recording has only $size bytes"
run --replay "$TMP/long.json" --export-csv "$TMP/long.csv" --export-trace "$TMP/long.trace.json"
[ "$rc" = 0 ] || fail "long: exit $rc: $(cat "$TMP/err")"
$CHECK "$TMP/long.json" --facts "$TMP/long.facts" --csv "$TMP/long.csv" \
	--trace "$TMP/long.trace.json" || fail "long exports"
run --plot "$TMP/long.json" -o "$TMP/long.svg"
[ "$rc" = 0 ] || fail "long --plot: exit $rc: $(cat "$TMP/err")"
rm -f "$TMP/long.csv" "$TMP/long.trace.json" "$TMP/long.svg"

# a signal stops an export: exit 128 + N, nothing written. shmviz is
# stopped as soon as it runs (before that the signal would reach the shell
# that starts it), so the export cannot end first.
"$SHMVIZ" --replay "$TMP/long.json" --export-csv "$TMP/sig.csv" >/dev/null 2>"$TMP/err" &
pid=$!
exe=$(readlink -f "$SHMVIZ")
until [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$exe" ]; do
	kill -0 "$pid" 2>/dev/null || fail "shmviz ended before it was seen"
done
kill -STOP "$pid"
kill -TERM "$pid"
kill -CONT "$pid"
wait "$pid"
rc=$?
[ "$rc" = 143 ] || fail "SIGTERM during an export: exit $rc: $(cat "$TMP/err")"
[ ! -e "$TMP/sig.csv" ] || fail "SIGTERM: a CSV was written"
no_temp

# a recording cut short: shmviz killed by SIGKILL while it wrote to a
# stream (--record - > FILE). --replay and --plot refuse it; with
# --recover they read it up to its last complete sample, and the exports
# hold exactly the samples that were complete in the file
"$SHMVIZ" --record - --mode shared -w 2 -n 200k --hold 60 -i 50 >"$TMP/cut.json" 2>/dev/null </dev/null &
pid=$!
i=0
# 41 samples begun: the first 40 are complete
until [ "$(grep -o '"t":' "$TMP/cut.json" | wc -l)" -ge 41 ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || fail "the recording to kill did not grow: $(wc -c <"$TMP/cut.json") bytes"
	sleep 0.05
done
kill -KILL "$pid"
wait "$pid" 2>/dev/null
expect_error 3 "truncated" --plot "$TMP/cut.json" -o "$TMP/cut.svg"
run --replay "$TMP/cut.json" --recover --export-csv "$TMP/cut.csv" --export-trace "$TMP/cut.trace.json"
[ "$rc" = 0 ] || fail "--recover: exit $rc: $(cat "$TMP/err")"
# the complete samples, read here one by one from the cut file
n=$(/usr/bin/python3 - "$TMP/cut.json" "$TMP/cut-whole.json" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
dec = json.JSONDecoder()
i = text.index("[", text.index('"samples"')) + 1
samples = []
while True:
    while i < len(text) and text[i] in " \t\r\n,":
        i += 1
    try:
        s, i = dec.raw_decode(text, i)
    except ValueError:
        break
    samples.append(s)
run = {"name": "cut short", "state": "failed", "phases": [], "samples": samples}
json.dump({"runs": [run], "summary": {"comparisons": []}}, open(sys.argv[2], "w"))
print(len(samples))
PY
)
[ "$n" -ge 40 ] || fail "--recover: only $n complete samples in the cut file"
grep -q "cut.json: cut short at line [0-9]*: $n complete samples recovered" "$TMP/err" ||
	fail "--recover: $(cat "$TMP/err"), expected $n samples"
$CHECK "$TMP/cut-whole.json" --csv "$TMP/cut.csv" --trace "$TMP/cut.trace.json" || fail "--recover: exports"
run --plot "$TMP/cut.json" -o "$TMP/cut.svg" --recover
[ "$rc" = 0 ] && [ -s "$TMP/cut.svg" ] || fail "--plot --recover: exit $rc: $(cat "$TMP/err")"
# a whole recording: --recover changes nothing, and says nothing
run --replay "$TMP/n.json" --recover --export-csv "$TMP/rec.csv"
[ "$rc" = 0 ] && [ ! -s "$TMP/err" ] && cmp -s "$TMP/n.csv" "$TMP/rec.csv" ||
	fail "--recover of a whole recording: exit $rc: $(cat "$TMP/err")"
expect_error 2 "only for --replay and --plot" --record "$TMP/x.json" --recover
no_leftovers

# bad command lines and paths: exit 2, one line, nothing written
expect_error 2 "needs a recording" --export-csv "$TMP/x.csv"
expect_error 2 "needs --record FILE" --record - --export-trace "$TMP/x.json"
expect_error 2 "same file" --replay "$TMP/n.json" --export-csv "$TMP/n.json"
expect_error 2 "same file" --replay "$TMP/n.json" --export-csv "$TMP/x" --export-trace "$TMP/x"
expect_error 2 "is not for an export" --replay "$TMP/n.json" --export-csv "$TMP/x.csv" --speed 2
expect_error 2 "the path is empty" --replay "$TMP/n.json" --export-csv ""
mkfifo "$TMP/in.fifo"
expect_error 2 "must be a regular file, not a FIFO" --replay "$TMP/in.fifo" --export-csv "$TMP/x.csv"
mkdir "$TMP/d.csv"
expect_error 2 "cannot export to .*directory" --replay "$TMP/n.json" --export-csv "$TMP/d.csv"
mkfifo "$TMP/f.csv"
expect_error 2 "FIFO" --replay "$TMP/n.json" --export-csv "$TMP/f.csv"
ln -s "$TMP/n.csv" "$TMP/l.csv"
expect_error 2 "symlink" --replay "$TMP/n.json" --export-csv "$TMP/l.csv"
run --replay "$TMP/n.json" --export-csv "$TMP/l.csv" --force
[ "$rc" = 0 ] && [ -f "$TMP/l.csv" ] && [ ! -L "$TMP/l.csv" ] || fail "--force did not replace the symlink"
cmp -s "$TMP/n.csv" "$TMP/l.csv" || fail "--force: a different CSV"
[ -x "$SHMVIZ" ] && [ ! -e "$TMP/x.csv" ] && [ ! -e "$TMP/x.json" ] && [ ! -e "$TMP/x" ] ||
	fail "a refused export wrote a file"

# a bad recording: exit 3, nothing written, an existing file kept
head -c 5000 "$TMP/n.json" >"$TMP/cut.json"
echo keep >"$TMP/k.csv"
expect_error 3 "truncated" --replay "$TMP/cut.json" --export-csv "$TMP/k.csv"
[ "$(cat "$TMP/k.csv")" = keep ] || fail "a bad recording replaced the export's file"

# a file size limit: exit 4, one line, nothing left (the long recording's
# trace: megabytes whatever the machine's pace, where a live run's may
# stay under 16 KiB)
(ulimit -f 16 && exec "$SHMVIZ" --replay "$TMP/long.json" --export-trace "$TMP/big.json") \
	>"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 4 ] && grep -q "cannot write $TMP/big.json: File too large" "$TMP/err" ||
	fail "ulimit -f: exit $rc: $(cat "$TMP/err")"
[ ! -e "$TMP/big.json" ] || fail "ulimit -f: a partial trace was left"
no_temp
no_leftovers
echo "ok"
