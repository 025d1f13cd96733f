#!/bin/bash
# The record file appears whole or not at all:
# - while recording, the file has no name in the target's directory (an
#   O_TMPFILE, mode 0600), so not even SIGKILL leaves a temporary file;
# - an existing file is replaced only when the new one is complete, with
#   the mode a new file gets under the umask;
# - a symlink at the target is refused, and with --force replaced (never
#   followed: the file it points to is untouched); a symlink to a stream
#   (/dev/stdout, here one to /dev/null) is refused even with --force,
#   which would have put a file in its place, and so are exports and -o;
# - a full file system (a 64 KiB tmpfs) stops the session with one clear
#   line and exit 4, keeps the old file and leaves no temporary file;
# - a read-only directory (a read-only mount; a 0555 directory for user
#   nobody) is refused up front with exit 2;
# - --record - into a pipe whose reader went away: EPIPE, not SIGPIPE;
# - a session that cannot start (no descriptor for the sampler) commits
#   nothing: the file at the path stays as it was.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

F="$PY $SRCDIR/tests/e2e/faults.py"
D="$TMP/d"
mkdir -p "$D" "$TMP/full" "$TMP/ro" "$TMP/rodir"
trap 'umount -q "$TMP/full" "$TMP/ro" 2>/dev/null; cleanup' EXIT

# 1. during the run: nothing named in $D, one anonymous 0600 file open
"$SHMVIZ" --record "$D/r.json" -w 2 -n 200k --hold 30 -i 20 >"$TMP/out" 2>"$TMP/err" </dev/null &
pid=$!
i=0
while [ -z "$(ls /proc/$pid/task/*/children 2>/dev/null | xargs cat 2>/dev/null)" ] &&
	[ -z "$(pgrep -P $pid)" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
tmpfd=""
for fd in /proc/$pid/fd/*; do
	case $(readlink "$fd") in "$D/#"*" (deleted)") tmpfd=$fd ;; esac
done
[ -n "$tmpfd" ] || fail "no anonymous temporary file open in $D: $(ls -l /proc/$pid/fd)"
[ "$(stat -L -c %a "$tmpfd")" = 600 ] || fail "temporary file mode $(stat -L -c %a "$tmpfd")"
[ -z "$(ls -A "$D")" ] || fail "files appear in $D while recording: $(ls -A "$D")"
kill -KILL $pid
wait $pid 2>/dev/null
[ -z "$(ls -A "$D")" ] || fail "SIGKILL left files in $D: $(ls -A "$D")"
no_leftovers

# 2. an existing file is replaced on success, with the umask's mode
echo old >"$D/r.json"
chmod 600 "$D/r.json"
(umask 022 && run --record "$D/r.json" -w 1 -n 10k --hold 0)
$PY -c 'import json,sys; json.load(open(sys.argv[1]))' "$D/r.json" || fail "not replaced by JSON"
[ "$(stat -c %a "$D/r.json")" = 644 ] || fail "mode $(stat -c %a "$D/r.json") under umask 022"
(umask 077 && run --record "$D/r.json" -w 1 -n 10k --hold 0)
[ "$(stat -c %a "$D/r.json")" = 600 ] || fail "mode $(stat -c %a "$D/r.json") under umask 077"
[ "$(ls -A "$D")" = r.json ] || fail "other files in $D: $(ls -A "$D")"

# 3. a symlink: refused, or with --force replaced, never followed
echo precious >"$TMP/target"
ln -s "$TMP/target" "$D/link.json"
expect_error 2 "refusing to record through the symlink" --record "$D/link.json" -n 10k
run --record "$D/link.json" --force -w 1 -n 10k --hold 0
[ "$rc" = 0 ] || fail "--force: exit $rc: $(cat "$TMP/err")"
[ -L "$D/link.json" ] && fail "--force left the symlink"
[ "$(cat "$TMP/target")" = precious ] || fail "the symlink's target was written"
$PY -c 'import json,sys; json.load(open(sys.argv[1]))' "$D/link.json" || fail "--force: not JSON"
ln -s /dev/null "$D/stream.json"
ln -s /dev/null "$D/stream.csv"
ln -s /dev/null "$D/stream.svg"
for force in "" --force; do
	expect_error 2 "cannot record to $D/stream.json: it is a symlink to a character device, not a regular file (--record - streams to standard output)" \
		--record "$D/stream.json" $force -w 1 -n 10k --hold 0
	expect_error 2 "cannot export to $D/stream.csv: it is a symlink to a character device, not a regular file" \
		--replay "$D/link.json" --export-csv "$D/stream.csv" $force
	expect_error 2 "cannot write $D/stream.svg: it is a symlink to a character device, not a regular file" \
		--plot "$D/link.json" -o "$D/stream.svg" $force
	for f in json csv svg; do
		[ "$(readlink "$D/stream.$f")" = /dev/null ] || fail "stream.$f${force:+ with $force}: no longer the link to /dev/null: $(ls -l "$D/stream.$f")"
	done
done
rm "$D"/stream.*

# 4. a full file system: one line, exit 4, the old file kept, no temp file
mount -t tmpfs -o size=64k shmviz-full "$TMP/full" || skip "cannot mount a tmpfs"
echo old >"$TMP/full/r.json"
expect_error 4 "cannot write $TMP/full/r.json: No space left on device" \
	--record "$TMP/full/r.json" -w 2 -n 2M --hold 2 -i 10
[ "$(cat "$TMP/full/r.json")" = old ] || fail "the old file was replaced by a failed recording"
[ "$(ls -A "$TMP/full")" = r.json ] || fail "left in the full file system: $(ls -A "$TMP/full")"
[ "$(df --output=used -k "$TMP/full" | tail -n 1 | tr -d ' ')" -le 4 ] ||
	fail "space still used: $(df -k "$TMP/full" | tail -n 1)"
umount "$TMP/full"

# 5. read-only: a read-only mount, and a 0555 directory for user nobody
mount -t tmpfs -o ro,size=64k shmviz-ro "$TMP/ro" || skip "cannot mount a tmpfs"
expect_error 2 "cannot record to $TMP/ro/r.json: Read-only file system" \
	--record "$TMP/ro/r.json" -n 10k
umount "$TMP/ro"
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	chmod 555 "$TMP/rodir"
	chmod 755 "$TMP"
	setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		"$SHMVIZ" --record "$TMP/rodir/r.json" -n 10k >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	[ "$rc" = 2 ] || fail "0555 directory as nobody: exit $rc: $(cat "$TMP/err")"
	grep -q "cannot record to $TMP/rodir/r.json: Permission denied" "$TMP/err" ||
		fail "0555 directory as nobody: $(cat "$TMP/err")"
	[ -z "$(ls -A "$TMP/rodir")" ] || fail "files in $TMP/rodir"
else
	note "no user nobody or no setpriv: the 0555 case is not run"
fi

# 6. --record - into a pipe closed early: EPIPE is an error, not a death
set -o pipefail
"$SHMVIZ" --record - -w 1 -n 200k --hold 1 -i 10 2>"$TMP/err" </dev/null | head -c 1 >/dev/null
rc=${PIPESTATUS[0]}
set +o pipefail
[ "$rc" = 4 ] || fail "closed pipe: exit $rc, expected 4 (stderr: $(cat "$TMP/err"))"
grep -q "cannot write standard output: Broken pipe" "$TMP/err" ||
	fail "closed pipe: $(cat "$TMP/err")"
no_leftovers

# 8. `ulimit -f`: the recording and the picture stop at the limit with one
#    line, EFBIG, never a silent death by SIGXFSZ; the old file is kept. The
#    limit holds for the run too: a command that writes no file (a native
#    workload's segment would meet it first or not, as the machine's pace
#    decides), sampled until the recording passes 16 KiB
echo old >"$D/big.json"
(ulimit -f 16 && exec "$SHMVIZ" --record "$D/big.json" -i 10 -- sleep 60) \
	>"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 4 ] || fail "ulimit -f 16: exit $rc, expected 4: $(cat "$TMP/err")"
[ "$(grep -c '' "$TMP/err")" = 1 ] || fail "ulimit -f 16: stderr is not one line: $(cat "$TMP/err")"
grep -q "cannot write $D/big.json: File too large" "$TMP/err" || fail "ulimit -f 16: $(cat "$TMP/err")"
[ "$(cat "$D/big.json")" = old ] || fail "ulimit -f 16: the old file was replaced"
no_leftovers
run --record "$D/small.json" -w 1 -n 10k --hold 0
(ulimit -f 4 && exec "$SHMVIZ" --plot "$D/small.json" -o "$D/p.png" --size 2000x2000) \
	>"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 2 ] || fail "ulimit -f 4, --plot: exit $rc, expected 2: $(cat "$TMP/err")"
grep -q "cannot write $D/p.png: File too large" "$TMP/err" || fail "ulimit -f 4, --plot: $(cat "$TMP/err")"
[ -e "$D/p.png" ] && fail "ulimit -f 4, --plot: a picture was written"
[ -z "$(ls -A "$D" | grep '^\.')" ] || fail "temporary files left: $(ls -A "$D")"

# 9. ulimit -n 8: the sampler starts, a run cannot (no pipe): exit 4 with
#    one line on stderr saying why, as every exit 4
(ulimit -n 8 && exec "$SHMVIZ" --record "$D/n8.json" -w 1 -n 10k --hold 0) \
	>"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 4 ] || fail "ulimit -n 8: exit $rc, expected 4: $(cat "$TMP/err")"
[ "$(grep -c '' "$TMP/err")" = 1 ] && grep -q "Too many open files" "$TMP/err" ||
	fail "ulimit -n 8: stderr is not one line saying why: '$(cat "$TMP/err")'"
no_leftovers

# 7. the session cannot start (the sampler gets no descriptor: ulimit -n 5):
#    exit 4, one line, the good recording at the path kept as it was, and
#    no summary of runs that never ran
run --record "$D/keep.json" -w 1 -n 10k --hold 0
[ "$rc" = 0 ] || fail "keep.json: exit $rc: $(cat "$TMP/err")"
cp "$D/keep.json" "$TMP/keep.orig"
(ulimit -n 5 && exec "$SHMVIZ" --record "$D/keep.json" -w 1 -n 10k --hold 0) \
	>"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 4 ] || fail "ulimit -n 5: exit $rc, expected 4: $(cat "$TMP/err")"
[ "$(grep -c '' "$TMP/err")" = 1 ] || fail "ulimit -n 5: stderr is not one line: $(cat "$TMP/err")"
cmp -s "$D/keep.json" "$TMP/keep.orig" || fail "ulimit -n 5: the good recording was replaced: $(head -c 200 "$D/keep.json")"
[ -s "$TMP/out" ] && fail "ulimit -n 5: a summary was printed: $(cat "$TMP/out")"
no_leftovers
echo ok
