#!/bin/bash
# Input that never comes does not make shmviz deaf or stuck:
# 1. --plot of a recording read from a pipe whose writer says nothing:
#    SIGTERM and SIGINT end shmviz at once (143, 130), not when the writer
#    ends;
# 2. --captions naming a FIFO without a writer: refused at once (exit 2,
#    a caption file must be a regular file: it is read twice).
. "$(dirname "$0")/lib.sh"

mkfifo "$TMP/rec.fifo" "$TMP/caps.fifo"
for sig in TERM INT; do
	sleep 30 > "$TMP/rec.fifo" &
	writer=$!
	start=$(date +%s.%N)
	"$SHMVIZ" --plot "$TMP/rec.fifo" -o "$TMP/p.svg" >"$TMP/out" 2>"$TMP/err" </dev/null &
	pid=$!
	# the moment: shmviz has the pipe open (its writer, silent, holds it)
	i=0
	until ls -l /proc/$pid/fd 2>/dev/null | grep -q "rec.fifo" || ! kill -0 $pid 2>/dev/null || [ $i -ge 600 ]; do
		sleep 0.05; i=$((i + 1))
	done
	ls -l /proc/$pid/fd 2>/dev/null | grep -q "rec.fifo" ||
		fail "--plot of a silent pipe: never opened it, or ended by itself: $(cat "$TMP/err")"
	kill -$sig $pid
	i=0
	while kill -0 $pid 2>/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
	if kill -0 $pid 2>/dev/null; then
		kill -KILL $pid $writer
		fail "SIG$sig while --plot reads a silent pipe: still running 3 s later"
	fi
	wait $pid
	rc=$?
	want=$((128 + $(kill -l $sig)))
	[ "$rc" = "$want" ] || fail "SIG$sig while --plot reads a silent pipe: exit $rc, expected $want"
	[ -e "$TMP/p.svg" ] && fail "SIG$sig: a picture was written"
	kill $writer 2>/dev/null
	wait $writer 2>/dev/null
done

timeout 10 "$SHMVIZ" --plot "$SRCDIR/tests/data/recordings/minimal.json" -o "$TMP/p.svg" \
	--captions "$TMP/caps.fifo" >"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 124 ] && fail "--captions FIFO: hung in its open"
[ "$rc" = 2 ] || fail "--captions FIFO: exit $rc, expected 2: $(cat "$TMP/err")"
grep -q "not a regular file" "$TMP/err" || fail "--captions FIFO: $(cat "$TMP/err")"
[ "$(grep -c '' "$TMP/err")" = 1 ] || fail "--captions FIFO: not one line: $(cat "$TMP/err")"
no_leftovers
echo ok
