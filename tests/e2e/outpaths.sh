#!/bin/bash
# What --record and --plot -o may replace, checked before any work:
# - a FIFO, a character device (a private copy of /dev/null's node), a
#   socket are refused with exit 2 and one line, and stay what they were;
#   nothing runs, nothing is written beside them;
# - --record - remains the way to stream a recording;
# - a path ending in '/', a name too long, a file of another user in a
#   sticky directory are refused up front (exit 2), a 255-byte name works,
#   and an error line keeps its reason whatever the path's length.
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
# a symlink at -o: refused, or with --force replaced, never followed
echo precious >"$TMP/target.svg"
ln -s "$TMP/target.svg" "$D/link.svg"
expect_error 2 "refusing to write through the symlink $D/link.svg (--force replaces it)" \
	--plot "$R" -o "$D/link.svg"
[ -L "$D/link.svg" ] || fail "--plot replaced the symlink without --force"
run --plot "$R" -o "$D/link.svg" --force
[ "$rc" = 0 ] || fail "--plot --force: exit $rc: $(cat "$TMP/err")"
[ -L "$D/link.svg" ] && fail "--plot --force left the symlink"
[ "$(cat "$TMP/target.svg")" = precious ] || fail "--plot wrote through the symlink"
rm -f "$D/link.svg"
# options of a run are refused with --plot and --replay (exit 2), not ignored
for opt in "-w 2" "--mode copy" "-i 50" "--budget 3" "--hold 1"; do
	# shellcheck disable=SC2086
	expect_error 2 "is not for --plot" --plot "$R" -o "$D/o.svg" $opt
	# shellcheck disable=SC2086
	expect_error 2 "is not for --replay" --replay "$R" $opt
done
[ -e "$D/o.svg" ] && fail "a refused --plot wrote a picture"

# refused before the recording is even read
expect_error 2 "it is a FIFO" --plot /nonexistent.json -o "$D/fifo.svg"
[ "$(ls -A "$D" | sort | tr '\n' ' ')" = "$(cd "$D" && ls -A | sort | grep -v '^\.' | tr '\n' ' ')" ] ||
	fail "temporary files left in $D: $(ls -A "$D")"

# 3. what would fail only after the whole run is refused up front (exit 2,
#    nothing run), with the reason on the line whatever the path's length
expect_error 2 "cannot record to $D/newfile/: the path ends in '/'" \
	--record "$D/newfile/" -w 1 -n 10k --hold 0
[ -s "$TMP/out" ] && fail "--record newfile/ ran"
long=$(printf 'n%.0s' $(seq 255)).json
long=${long:5}   # 255 bytes: a legal name, whose temporary name must be cut
run --record "$D/$long" -w 1 -n 10k --hold 0
[ "$rc" = 0 ] || fail "a 255-byte name: exit $rc: $(cat "$TMP/err")"
[ -f "$D/$long" ] || fail "a 255-byte name: no recording"
rm -f "$D/$long"
expect_error 2 "File name too long$" --record "$D/x$long" -w 1 -n 10k --hold 0
deep="$TMP/$(printf 'd%.0s' $(seq 150))/$(printf 'e%.0s' $(seq 150))/$(printf 'f%.0s' $(seq 150))"
expect_error 2 "No such file or directory$" --record "$deep/r.json" -w 1 -n 10k --hold 0
expect_error 2 "No such file or directory$" --plot "$R" -o "$deep/r.svg"
# a file of another user in a sticky directory, recorded to as nobody
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	mkdir -m 1777 "$TMP/sticky"
	chmod 755 "$TMP"
	echo keep >"$TMP/sticky/r.json"
	setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		"$SHMVIZ" --record "$TMP/sticky/r.json" -w 1 -n 10k --hold 0 >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	[ "$rc" = 2 ] || fail "sticky directory as nobody: exit $rc, expected 2: $(cat "$TMP/err")"
	grep -q "Operation not permitted (the file belongs to another user, in a sticky directory)" "$TMP/err" ||
		fail "sticky directory as nobody: $(cat "$TMP/err")"
	[ -s "$TMP/out" ] && fail "sticky directory as nobody: it ran: $(cat "$TMP/out")"
	[ "$(cat "$TMP/sticky/r.json")" = keep ] || fail "sticky: the file changed"
	no_leftovers
else
	note "no user nobody or no setpriv: the sticky case is not run"
fi

# a directory that is not there: refused before anything runs, for the
# recording, the picture and an export of a run alike
for opt in "--record $D/none/r.json" "--record $D/r.json --export-csv $D/none/r.csv" \
	   "--record $D/r.json --export-trace $D/none/t.json"; do
	# shellcheck disable=SC2086
	expect_error 2 "$D/none/.*: No such file or directory" $opt -w 1 -n 10k --hold 0
	[ -s "$TMP/out" ] && fail "$opt: it ran: $(cat "$TMP/out")"
	[ -e "$D/r.json" ] && fail "$opt: a recording was written"
done
expect_error 2 "cannot write $D/none/p.svg: No such file or directory" --plot "$R" -o "$D/none/p.svg"

# 2. a stream stays possible: --record - into a pipe
"$SHMVIZ" --record - -w 1 -n 10k --hold 0 2>"$TMP/err" </dev/null |
	$PY -c 'import json,sys; d=json.load(sys.stdin); assert len(d["runs"]) == 2' ||
	fail "--record - into a pipe: $(cat "$TMP/err")"
no_leftovers
echo ok
