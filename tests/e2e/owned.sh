#!/bin/bash
# Files shmviz does not own (it may run as root in a classroom):
# 1. a run may announce any segment name on the phase protocol; shmviz
#    unlinks at the run's end only a file made since the run began that a
#    live process of the tree holds (open or mapped) and owns, and only if
#    it is still that file (docs/protocol.md, "segment"): an unprivileged
#    program must not have it remove root's file, not even one it can
#    open, nor a program an older file of its own user; a segment the
#    program made and left is still removed;
# 2. stdin, stdout or stderr closed: the recording is opened on another
#    descriptor, so no message meant for the terminal goes into it.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
[ "$(id -u)" = 0 ] || skip "an unprivileged program under root's shmviz needs root"
command -v setpriv >/dev/null 2>&1 || skip "setpriv (util-linux) is missing"
id nobody >/dev/null 2>&1 || skip "no user nobody"

# 1a. nobody's program names root's file
echo precious > /dev/shm/victim
chmod 600 /dev/shm/victim
# (made well before the run: a file made in the run's first 50 ms counts
# as the run's)
sleep 0.2
run --record "$TMP/a.json" -q -i 50 -- setpriv --reuid=nobody --regid=nogroup --clear-groups \
	sh -c 'echo "segment /victim" >&"$SHMVIZ_PHASE_FD"; sleep 0.2'
[ "$rc" = 0 ] || fail "nobody's run: exit $rc: $(cat "$TMP/err")"
[ "$(cat /dev/shm/victim 2>/dev/null)" = precious ] || fail "root's /dev/shm/victim was removed for nobody's program"
# 1b. root's program names a file made before the run (its own user's)
run --record "$TMP/b.json" -q -i 50 -- sh -c 'echo "segment /victim" >&"$SHMVIZ_PHASE_FD"; sleep 0.2'
[ "$rc" = 0 ] || fail "older file: exit $rc: $(cat "$TMP/err")"
[ "$(cat /dev/shm/victim 2>/dev/null)" = precious ] || fail "/dev/shm/victim, made before the run, was removed"
# 1c. a file the run made and replaced by another of the same name
run --record "$TMP/c.json" -q -i 50 -- sh -c \
	'exec 7<>/dev/shm/swapped; printf "segment /swapped\ncheckpoint\n" >&"$SHMVIZ_PHASE_FD"
	dd bs=1 count=1 <&"$SHMVIZ_ACK_FD" 2>/dev/null
	rm /dev/shm/swapped; echo other > /dev/shm/swapped.new; mv /dev/shm/swapped.new /dev/shm/swapped'
[ "$rc" = 0 ] || fail "replaced: exit $rc: $(cat "$TMP/err")"
[ "$(cat /dev/shm/swapped 2>/dev/null)" = other ] || fail "/dev/shm/swapped, replaced since its announcement, was removed"
rm -f /dev/shm/swapped
# 1d. the program's own segment, held open, left behind: removed
# (a checkpoint's answer says shmviz has read the lines before it)
run --record "$TMP/d.json" -q -i 50 -- sh -c 'exec 7<>/dev/shm/left; echo "segment /left" >&"$SHMVIZ_PHASE_FD"
	echo checkpoint >&"$SHMVIZ_PHASE_FD"; dd bs=1 count=1 <&"$SHMVIZ_ACK_FD" 2>/dev/null'
[ "$rc" = 0 ] || fail "left: exit $rc: $(cat "$TMP/err")"
[ ! -e /dev/shm/left ] || fail "the run's own segment, left behind, was not removed"
# 1e. the same, mapped (its descriptor closed) by a child of the root:
# removed
cat > "$TMP/mapped.py" <<'PYEOF'
import mmap, os
f = os.open("/dev/shm/mapped", os.O_RDWR | os.O_CREAT, 0o600)
os.ftruncate(f, 4096)
m = mmap.mmap(f, 4096)
os.close(f)
os.write(int(os.environ["SHMVIZ_PHASE_FD"]), b"segment /mapped\ncheckpoint\n")
os.read(int(os.environ["SHMVIZ_ACK_FD"]), 1)
PYEOF
run --record "$TMP/e.json" -q -i 50 -- sh -c '"$1" -I "$2"; true' sh "$PY" "$TMP/mapped.py"
[ "$rc" = 0 ] || fail "mapped: exit $rc: $(cat "$TMP/err")"
[ ! -e /dev/shm/mapped ] || fail "the run's own segment, mapped by a child and left behind, was not removed"
# 1f. root's file made since the run began, outside the tree, that
# nobody's descendant of a root tree can open (0644) and names: kept. The
# root says when it has started (the file is then newer than the run),
# the test makes the file, and only then does the descendant name it.
rm -f "$TMP/ready"
"$SHMVIZ" --record "$TMP/f.json" -q -i 50 -- sh -c '
	: > "$1"
	while [ ! -e /dev/shm/victim2 ]; do sleep 0.01; done
	setpriv --reuid=nobody --regid=nogroup --clear-groups sh -c \
		"exec 7</dev/shm/victim2; printf \"segment /victim2\\ncheckpoint\\n\" >&\$SHMVIZ_PHASE_FD
		dd bs=1 count=1 <&\$SHMVIZ_ACK_FD 2>/dev/null"' \
	sh "$TMP/ready" >"$TMP/out" 2>"$TMP/err" </dev/null &
spid=$!
i=0
while [ ! -e "$TMP/ready" ] && [ $i -lt 3000 ]; do sleep 0.01; i=$((i + 1)); done
echo precious > /dev/shm/victim2.new
chmod 644 /dev/shm/victim2.new
mv /dev/shm/victim2.new /dev/shm/victim2
wait $spid
rc=$?
[ "$rc" = 0 ] || fail "nobody's descendant: exit $rc: $(cat "$TMP/err")"
[ "$(cat /dev/shm/victim2 2>/dev/null)" = precious ] ||
	fail "root's /dev/shm/victim2, made since the run began outside its tree, was removed for nobody's descendant that opened it"
rm -f /dev/shm/victim2
# 1g. a root gone before its line is read: no process of the tree holds
# the file any more, so it is not claimed (and stays)
run --record "$TMP/g.json" -q -i 50 -- sh -c ': > /dev/shm/gone; echo "segment /gone" >&"$SHMVIZ_PHASE_FD"'
[ "$rc" = 0 ] || fail "gone: exit $rc: $(cat "$TMP/err")"
[ -e /dev/shm/gone ] || fail "/dev/shm/gone, held by no process of the tree when named, was removed"
rm -f /dev/shm/gone
rm -f /dev/shm/victim
no_leftovers

# 2. closed descriptors: the recording is JSON, messages are not in it
for close in '>&-' '2>&-' '<&-' '>&- 2>&-'; do
	rm -f "$TMP/x.json"
	eval "\"\$SHMVIZ\" --record \"\$TMP/x.json\" -w 1 -n 100k --hold 0 --mode shared $close" \
		>/dev/null 2>&1 </dev/null
	xrc=$?
	[ "$xrc" = 0 ] || fail "$close: exit $xrc"
	$PY - "$TMP/x.json" <<'PYEOF' || fail "$close: the recording is not JSON: $(head -c 200 "$TMP/x.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["runs"][0]["state"] == "done", d["runs"][0]["state"]
PYEOF
done
no_leftovers
echo ok
