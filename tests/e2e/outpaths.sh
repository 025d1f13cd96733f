#!/bin/bash
# What --record and --plot -o may replace, checked before any work:
# - a FIFO, a character device (a private copy of /dev/null's node), a
#   socket are refused with exit 2 and one line, and stay what they were;
#   nothing runs, nothing is written beside them;
# - --record - remains the way to stream a recording;
# - a path ending in '/', a name too long, a file of another user in a
#   sticky directory are refused up front (exit 2), a 255-byte name works
#   (for the picture too: its temporary name is cut), and an error line
#   keeps its reason whatever the path's length;
# - an export that names the recording, the picture or the other export
#   another way (./r.json, a symlink, a hard link, ../d/out.dat) is refused
#   up front (exit 2), and the file stays as it was;
# - the picture's mode is what the umask gives (as the recording's and the
#   CSV's), no more readable than its recording;
# - a final rename that fails (a file bind-mounted at the target: EBUSY)
#   keeps the whole recording, export or picture under its temporary name
#   and the error line says where (exit 4 for a recording).
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
run --record "$D/$long" -w 1 -n 10k --hold 0.1
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
		"$SHMVIZ" --record "$TMP/sticky/r.json" -w 1 -n 10k --hold 0.1 >"$TMP/out" 2>"$TMP/err" </dev/null
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

# 4. the same file named another way: refused before anything is read,
#    run or written (exit 2), the files unchanged
cp "$R" "$D/r.json"
ln "$D/r.json" "$D/hard.json"
ln -s r.json "$D/sym.json"
sum=$(md5sum <"$D/r.json")
cd "$D" || fail "cd"
for args in "--replay r.json --export-csv ./r.json" \
	    "--replay r.json --export-csv $D/../d/r.json" \
	    "--replay r.json --export-trace hard.json" \
	    "--replay sym.json --export-csv r.json" \
	    "--replay r.json --export-csv sym.json --force" \
	    "--replay r.json --export-csv out.dat --export-trace ./out.dat" \
	    "--plot r.json -o p.svg --export-csv ./p.svg" \
	    "--plot r.json -o p.svg --export-trace $D/p.svg"; do
	# shellcheck disable=SC2086
	expect_error 2 "names the same file as\|name the same file" $args
	[ "$(md5sum <"$D/r.json")" = "$sum" ] || fail "$args: r.json changed"
	[ -e out.dat ] || [ -e p.svg ] && fail "$args: something was written"
done
expect_error 2 "names the same file as the recording" --record r2.json \
	--export-trace ./r2.json -w 1 -n 10k --hold 0
[ -e r2.json ] && fail "--record r2.json --export-trace ./r2.json: a recording was written"
[ -s "$TMP/out" ] && fail "--record r2.json --export-trace ./r2.json: it ran"
cp r.json p.svg
expect_error 2 "names the same file as the recording" --plot p.svg -o ./p.svg
rm -f p.svg hard.json sym.json
cd / || fail "cd"

# 5. the picture's mode: the umask's, as the recording's and the CSV's,
#    and never more readable than the recording it is drawn from
chmod 644 "$D/r.json"
for mask in 022 077 002; do
	rm -f "$D/u.svg"
	(umask $mask && "$SHMVIZ" --plot "$D/r.json" -o "$D/u.svg" </dev/null >/dev/null 2>"$TMP/err") ||
		fail "--plot under umask $mask: $(cat "$TMP/err")"
	want=$(printf '%o' $((0666 & ~0$mask & 0644 | 0600 & ~0$mask)))
	got=$(stat -c %a "$D/u.svg")
	[ "$got" = "$want" ] || fail "--plot under umask $mask: mode $got, want $want"
done
chmod 600 "$D/r.json"
rm -f "$D/u.svg"
(umask 022 && "$SHMVIZ" --plot "$D/r.json" -o "$D/u.svg" --export-csv "$D/u.csv" </dev/null >/dev/null 2>"$TMP/err") ||
	fail "--plot of a 0600 recording: $(cat "$TMP/err")"
[ "$(stat -c %a "$D/u.svg") $(stat -c %a "$D/u.csv")" = "600 600" ] ||
	fail "a 0600 recording made a picture and a CSV of $(stat -c %a "$D/u.svg") $(stat -c %a "$D/u.csv")"
rm -f "$D/u.svg" "$D/u.csv"

# 6. the picture's name: a legal 251-byte name works (its temporary name
#    is cut to fit NAME_MAX); one too long is refused before the recording
#    is read (a recording that does not exist: the name's error comes first)
name251=$(printf 'p%.0s' $(seq 247)).svg
run --plot "$D/r.json" -o "$D/$name251"
[ "$rc" = 0 ] || fail "--plot -o a 251-byte name: exit $rc: $(cat "$TMP/err")"
[ -s "$D/$name251" ] || fail "--plot -o a 251-byte name: no picture"
rm -f "$D/$name251"
expect_error 2 "File name too long$" --plot "$D/none.json" -o "$D/pppppp$name251"
expect_error 2 "File name too long$" --plot "$D/r.json" --export-csv "$D/pppppp$name251" -o "$D/p.svg"

# 7. a final rename that fails: the whole file is kept under its temporary
#    name, which the error line gives
for f in busy.json busy.svg busy.csv; do touch "$D/$f" "$D/$f.src" && mount --bind "$D/$f.src" "$D/$f"; done
# (a hold of 0.1 s: the workload holds it until sampled, so the kept
# recording has its peak however loaded the machine)
kept_of() { sed -n 's/.*(\(it\|the picture\|the export\) is kept as \(.*\))$/\2/p' "$TMP/err"; }
run --record "$D/busy.json" -w 1 -n 10k --hold 0.1
[ "$rc" = 4 ] || fail "rename of the recording failed: exit $rc, want 4: $(cat "$TMP/err")"
grep -q "cannot rename the recording to $D/busy.json: Device or resource busy (it is kept as $D/\.busy\.json\.[0-9a-zA-Z]*)$" "$TMP/err" ||
	fail "rename of the recording failed: $(cat "$TMP/err")"
kept=$(kept_of)
$PY "$SRCDIR/tests/e2e/check_recording.py" "$kept" --runs shared,copy >&2 ||
	fail "the recording kept as $kept is not whole"
run --plot "$kept" -o "$D/busy.svg"
[ "$rc" = 2 ] || fail "rename of the picture failed: exit $rc: $(cat "$TMP/err")"
pic=$(kept_of)
[ -n "$pic" ] && grep -q "</svg>" "$pic" || fail "the picture was not kept: $(cat "$TMP/err")"
run --replay "$kept" --export-csv "$D/busy.csv"
[ "$rc" = 4 ] || fail "rename of the export failed: exit $rc: $(cat "$TMP/err")"
csvk=$(kept_of)
[ -n "$csvk" ] && [ "$(grep -c '' "$csvk")" -gt 1 ] || fail "the export was not kept: $(cat "$TMP/err")"
for f in busy.json busy.svg busy.csv; do umount "$D/$f"; done
rm -f "$kept" "$pic" "$csvk" "$D"/busy.*

# 2. a stream stays possible: --record - into a pipe
"$SHMVIZ" --record - -w 1 -n 10k --hold 0.1 2>"$TMP/err" </dev/null |
	$PY -c 'import json,sys; d=json.load(sys.stdin); assert len(d["runs"]) == 2' ||
	fail "--record - into a pipe: $(cat "$TMP/err")"
no_leftovers
echo ok
