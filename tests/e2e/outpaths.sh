#!/bin/bash
# What --record and --plot -o may replace, checked before any work:
# - a FIFO, a character device (a private copy of /dev/null's node), a
#   socket are refused with exit 2 and one line, and stay what they were;
#   nothing runs, nothing is written beside them;
# - --record - remains the way to stream a recording.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

D="$TMP/d"
mkdir -p "$D"
R="$SRCDIR/tests/data/recordings/minimal.json"

# 1. device nodes, FIFOs and sockets are never replaced by a file
mkfifo "$D/fifo.json"
mknod "$D/null.json" c 1 3 2>/dev/null || note "cannot mknod: the device case is not run"
$PY -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$D/sock.json"
for f in fifo null sock; do
	[ -e "$D/$f.json" ] || continue
	kind=$(stat -c %F "$D/$f.json")
	expect_error 2 "cannot record to $D/$f.json: it is a .*, not a regular file" \
		--record "$D/$f.json" -w 1 -n 10k --hold 0
	[ "$(stat -c %F "$D/$f.json")" = "$kind" ] || fail "--record replaced the $kind $f.json"
	[ -s "$TMP/out" ] && fail "--record $f.json ran: $(cat "$TMP/out")"
done
# the picture: a FIFO and a device node named *.svg
mkfifo "$D/fifo.svg"
expect_error 2 "cannot write $D/fifo.svg: it is a FIFO, not a regular file" \
	--plot "$R" -o "$D/fifo.svg"
[ -p "$D/fifo.svg" ] || fail "--plot replaced the FIFO"
if mknod "$D/null.png" c 1 3 2>/dev/null; then
	expect_error 2 "cannot write $D/null.png: it is a character device, not a regular file" \
		--plot "$R" -o "$D/null.png"
	[ -c "$D/null.png" ] || fail "--plot replaced the device node"
fi
# refused before the recording is even read
expect_error 2 "it is a FIFO" --plot /nonexistent.json -o "$D/fifo.svg"
[ "$(ls -A "$D" | sort | tr '\n' ' ')" = "$(cd "$D" && ls -A | sort | grep -v '^\.' | tr '\n' ' ')" ] ||
	fail "temporary files left in $D: $(ls -A "$D")"

# 2. a stream stays possible: --record - into a pipe
"$SHMVIZ" --record - -w 1 -n 10k --hold 0 2>"$TMP/err" </dev/null |
	$PY -c 'import json,sys; d=json.load(sys.stdin); assert len(d["runs"]) == 2' ||
	fail "--record - into a pipe: $(cat "$TMP/err")"
no_leftovers
echo ok
