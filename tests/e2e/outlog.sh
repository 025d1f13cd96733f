#!/bin/bash
# A run's output log is bounded (src/run/outlog.h): the first and the last
# MiB of what the run wrote, with one line between them saying how many
# bytes were dropped.
# - a command writing 50000004 bytes: the log is the first 1048576 bytes
#   as written, the line (dropped = written - 2 MiB, exactly), the last
#   1048576 bytes as written (ending "end\n"); the command's exit status is
#   shmviz's;
# - `-- yes`, stopped by SIGINT once its log holds the first MiB: exit 130,
#   the log bounded and saying how much was dropped.
# - a command writing less than a MiB: its log is its output, whole.
# - -q: nothing printed, the log kept all the same where the recording
#   names it (the output is the user's), and the only log folder; a run
#   that never started (SIGINT during the first of --compare's two) names
#   no log, and none of it is there.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"
HEAD=1048576 TAIL=1048576

logof() { ls "$TMP"/shmviz-log-*/command.log 2>/dev/null | head -1; }

# 1. 50 MB through head: the exact head, count and tail. "x\n" first,
#    alone in the pipe until shmviz has read it (the pipe's count of bytes
#    held, FIONREAD): the reads after it are shifted off the 64 KiB steps,
#    so one read straddles the head's end
cat > "$TMP/first.py" <<'PYEOF'
import fcntl, os, struct, termios, time
os.write(1, b"x\n")
for _ in range(60000):
    if struct.unpack("i", fcntl.ioctl(1, termios.FIONREAD, b"\0" * 4))[0] == 0:
        break
    time.sleep(0.001)
PYEOF
rm -rf "$TMP"/shmviz-log-*
run --record "$TMP/a.json" -- sh -c "$PY $TMP/first.py; yes | head -c 49999998; echo end; exit 3"
[ "$rc" = 3 ] || fail "50 MB of output: exit $rc, expected the command's 3: $(cat "$TMP/err")"
log=$(logof)
[ -n "$log" ] || fail "no command.log"
$PY - "$log" $HEAD $TAIL 50000004 <<'PYEOF' || fail "50 MB of output: see above"
import re, sys
data = open(sys.argv[1], "rb").read(); head, tail, total = map(int, sys.argv[2:5])
ys = b"y\n" * (max(head, tail) // 2 + 1)
line = (f"\n[shmviz: {total - head - tail} bytes of output dropped here; the log keeps the first "
        f"{head} and the last {tail} bytes of the {total} written]\n").encode()
want = (b"x\n" + ys)[:head] + line + (ys + b"end\n")[-tail:]
print(f"# log of {len(data)} bytes for {total} written", file=sys.stderr)
if data != want:
    m = re.search(rb"\[shmviz:[^\]]*\]", data)
    sys.exit(f"the log ({len(data)} bytes) is not head + line + tail ({len(want)} bytes); "
             f"its line: {m.group(0) if m else None}")
PYEOF
no_leftovers

# 2. -- yes until SIGINT
rm -rf "$TMP"/shmviz-log-*
"$SHMVIZ" --record "$TMP/y.json" -- yes >"$TMP/out" 2>"$TMP/err" </dev/null &
pid=$!
deadline=$((SECONDS + 60))
until [ -n "$(logof)" ] && [ "$(stat -c %s "$(logof)")" -ge $HEAD ]; do
	[ $SECONDS -lt $deadline ] || { kill -9 $pid; fail "yes: the log never held a MiB"; }
	kill -0 $pid 2>/dev/null || fail "yes: shmviz ended: $(cat "$TMP/err")"
	sleep 0.1
done
# once yes has written more than the log keeps (its own count of bytes
# written, /proc/PID/io), the log stays bounded while it runs (the tail is
# in memory until the end)
yes=$(pgrep -P $pid -x yes)
[ -n "$yes" ] || { kill -9 $pid; fail "yes: no yes process under shmviz"; }
want=$((HEAD + TAIL + 2 * 1048576))   # the pipe holds at most 1 MiB of it
i=0; until [ "$(awk '/^wchar:/ { print $2 }' /proc/$yes/io 2>/dev/null || echo 0)" -ge $want ] || [ $i -ge 1200 ]; do
	kill -0 $pid 2>/dev/null || fail "yes: shmviz ended: $(cat "$TMP/err")"
	sleep 0.05; i=$((i + 1))
done
[ "$(awk '/^wchar:/ { print $2 }' /proc/$yes/io 2>/dev/null || echo 0)" -ge $want ] || { kill -9 $pid; fail "yes: never wrote $want bytes"; }
size=$(stat -c %s "$(logof)")
[ "$size" -le $HEAD ] || { kill -9 $pid; fail "yes: the log holds $size bytes while it runs, more than the head"; }
kill -INT $pid
wait $pid
rc=$?
[ "$rc" = 130 ] || fail "yes: exit $rc after SIGINT, expected 130: $(cat "$TMP/err")"
$PY - "$(logof)" $HEAD $TAIL <<'PYEOF' || fail "yes: see above"
import re, sys
data = open(sys.argv[1], "rb").read(); head, tail = int(sys.argv[2]), int(sys.argv[3])
m = re.search(rb"\n\[shmviz: (\d+) bytes of output dropped here; the log keeps the first "
              rb"(\d+) and the last (\d+) bytes of the (\d+) written\]\n", data)
if not m:
    sys.exit(f"no line saying what was dropped in a log of {len(data)} bytes")
dropped, total = int(m.group(1)), int(m.group(4))
print(f"# yes: {total} bytes written, {dropped} dropped, log of {len(data)}", file=sys.stderr)
assert m.start() == head and len(data) == head + len(m.group(0)) + tail, (m.start(), len(data))
assert total == head + dropped + tail and dropped > 0, (total, dropped)
assert data[:head] == b"y\n" * (head // 2) and set(data[m.end():]) == {ord("y"), ord("\n")}
PYEOF
no_leftovers

# 3. a small output is whole
rm -rf "$TMP"/shmviz-log-*
run --record "$TMP/s.json" -- sh -c 'seq 1 1000; seq 1 5 >&2'
[ "$rc" = 0 ] || fail "small output: exit $rc"
{ seq 1 1000; seq 1 5; } | cmp -s - "$(logof)" || fail "small output: the log is not the output: $(head -c 200 "$(logof)")"
no_leftovers

# 4. -q keeps the log the recording names, and nothing else
rm -rf "$TMP"/shmviz-log-*
run -q --record "$TMP/q.json" -- sh -c 'seq 1 300; echo err >&2'
[ "$rc" = 0 ] || fail "-q: exit $rc: $(cat "$TMP/err")"
[ -s "$TMP/out" ] || [ -s "$TMP/err" ] && fail "-q printed: $(cat "$TMP/out" "$TMP/err")"
log=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["runs"][0]["log"])' "$TMP/q.json")
[ "$(ls -d "$TMP"/shmviz-log-*)" = "$(dirname "$log")" ] ||
	fail "-q: the log folders $(ls -d "$TMP"/shmviz-log-*) are not the one the recording names ($log)"
{ seq 1 300; echo err; } | cmp -s - "$log" || fail "-q: the log is not the output: $(head -c 200 "$log")"
no_leftovers
# SIGINT once A's log holds its first line: B never started
rm -rf "$TMP"/shmviz-log-*
"$SHMVIZ" -q --record "$TMP/i.json" --compare "sh -c 'echo started; exec sleep 60'" "echo b" \
	>"$TMP/out" 2>"$TMP/err" </dev/null &
pid=$!
i=0; until grep -qs "^started" "$TMP"/shmviz-log-*/A.log || [ $i -ge 600 ]; do sleep 0.1; i=$((i + 1)); done
grep -qs "^started" "$TMP"/shmviz-log-*/A.log || { kill -9 $pid; fail "-q --compare: A never wrote its line"; }
kill -INT $pid
wait $pid
rc=$?
[ "$rc" = 130 ] || fail "-q --compare, SIGINT: exit $rc: $(cat "$TMP/err")"
$PY - "$TMP/i.json" "$TMP" <<'PYEOF' || fail "-q --compare, SIGINT: see above"
import glob, json, os, sys
runs = json.load(open(sys.argv[1]))["runs"]
a, b = runs
assert b["state"] == "waiting" and b["log"] is None, ("B never started, its log", b["state"], b["log"])
assert a["log"] and open(a["log"]).read() == "started\n", a["log"]
assert glob.glob(sys.argv[2] + "/shmviz-log-*/*") == [a["log"]], glob.glob(sys.argv[2] + "/shmviz-log-*/*")
PYEOF
no_leftovers
echo ok
