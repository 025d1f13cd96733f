#!/bin/bash
# --compare: two commands of known memory (tests/helpers/touch.c touches
# MIB MiB in itself and in each child) are recorded within 10%; their own
# phases join the "run" phase; the words are shmviz's own (no shell);
# the child gets /dev/null for stdin, the log for its output, the phase
# pipe as fd 3 and no other descriptor; bad commands are refused.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"
TOUCH=${TOUCH:?TOUCH must name tests/helpers/touch}
FDS=${FDS:?FDS must name tests/helpers/fds}

# two programs of known size: 64 MiB in one process; 3 x 40 MiB in a
# parent and its two children
run --record "$TMP/cmp.json" --compare "$TOUCH 64 0.6" "$TOUCH 40 0.6 2" --label one --label three -i 50
[ "$rc" = 0 ] || fail "compare: exit $rc: $(cat "$TMP/err")"
grep -q "three/one" "$TMP/out" || fail "compare: no summary with the labels: $(cat "$TMP/out")"
no_leftovers
$PY "$SRCDIR/tests/e2e/check_recording.py" "$TMP/cmp.json" --runs one,three >&2 ||
	fail "compare recording schema"
$PY "$SRCDIR/tests/e2e/check_workloads.py" compare "$TMP/cmp.json" --mib 64,40 --procs 1,3 \
	--labels one,three >&2 || fail "compare checks"
grep -q "^output of one: $TMP/shmviz-log-.*/A.log" "$TMP/out" || fail "no log path of one in the summary"
grep -q "64 MiB in each of 1 processes" "$(sed -n 's/^output of one: //p' "$TMP/out")" ||
	fail "the log of one lacks its output"

# a program without the protocol: one phase, "run", for its lifetime;
# quotes are shmviz's, no shell: the $ and the ; reach the program as is
run --record "$TMP/plain.json" --compare "sleep 0.3" "printf '%s|' \"a b\" '\$HOME;x' c\\ d"
[ "$rc" = 0 ] || fail "plain: exit $rc: $(cat "$TMP/err")"
no_leftovers
log=$(sed -n 's/^output of B: //p' "$TMP/out")
[ "$(cat "$log")" = 'a b|$HOME;x|c d|' ] || fail "words: B printed '$(cat "$log")'"
$PY - "$TMP/plain.json" <<'PYEOF' || fail "plain: the run phase"
import json, sys
d = json.load(open(sys.argv[1]))
a = d["runs"][0]
assert [p["name"] for p in a["phases"]] == ["run"], a["phases"]
p = a["phases"][0]
assert p["start_s"] == 0 and abs(p["end_s"] - a["result"]["total_s"]) < 1e-6, p
assert 0.3 <= p["end_s"], p
assert a["label"] == "sleep 0.3" and a["log"], a
# the views' short form of a command reads back as the same words
b = d["runs"][1]
assert b["detail"] == "printf %s| 'a b' $HOME;x 'c d'", b["detail"]
PYEOF

# what the child gets: stdin /dev/null, output to the log through one pipe
# (the log is bounded: src/run/outlog.h), the phase pipe as fd 3, the
# answers to checkpoints as fd 4 (docs/protocol.md), and nothing else of
# shmviz's
run --record "$TMP/fds.json" --compare "$FDS" "true"
[ "$rc" = 0 ] || fail "fds: exit $rc: $(cat "$TMP/err")"
log=$(sed -n 's/^output of A: //p' "$TMP/out")
grep -qx "fd 0 -> /dev/null" "$log" || fail "fds: stdin: $(cat "$log")"
out1=$(sed -n 's/^fd 1 -> //p' "$log")
case "$out1" in pipe:*) ;; *) fail "fds: stdout is not the log's pipe: $(cat "$log")" ;; esac
grep -qxF "fd 2 -> $out1" "$log" || fail "fds: stderr is not stdout's pipe: $(cat "$log")"
grep -qx "fd 3 -> pipe:.*" "$log" || fail "fds: the phase pipe: $(cat "$log")"
grep -qxF "fd 3 -> $out1" "$log" && fail "fds: the phase pipe is the log's: $(cat "$log")"
grep -qx "fd 4 -> pipe:.*" "$log" || fail "fds: the answers' pipe: $(cat "$log")"
for a in 1 3; do
	grep -qxF "fd 4 -> $(sed -n "s/^fd $a -> //p" "$log")" "$log" &&
		fail "fds: the answers' pipe is fd $a's: $(cat "$log")"
done
grep -qx "SHMVIZ_ACK_FD=4" "$log" || fail "fds: SHMVIZ_ACK_FD is not 4: $(cat "$log")"
[ "$(grep -c '^fd ' "$log")" = 5 ] || fail "fds: a descriptor leaked into the command: $(cat "$log")"
grep -qx "stdin read 0 bytes" "$log" || fail "fds: stdin is not empty"
grep -qx "SHMVIZ_PHASE_FD=3" "$log" || fail "fds: SHMVIZ_PHASE_FD"
# the same from the record-to-stdout path (another descriptor set)
run --record - --compare "$FDS" "true"
log=$(sed -n 's/^output of A: //p' "$TMP/err")
[ "$(grep -c '^fd ' "$log")" = 5 ] || fail "fds (--record -): $(cat "$log")"
no_leftovers

# bad commands: one line, the right status, nothing run or left
expect_error 127 "command A: no-such-program-shmviz: not found" --record "$TMP/x.json" \
	--compare "no-such-program-shmviz" "true"
expect_error 127 "command B: /no/such/file: no such file" --record "$TMP/x.json" \
	--compare "true" "/no/such/file"
printf '#!/bin/sh\necho hi\n' > "$TMP/noexec"
chmod 644 "$TMP/noexec"
expect_error 126 "command A: $TMP/noexec: is not executable" --record "$TMP/x.json" \
	--compare "$TMP/noexec" "true"
expect_error 126 "is a directory" --record "$TMP/x.json" --compare "$TMP" "true"
expect_error 2 "a command is empty" --record "$TMP/x.json" --compare "" "true"
expect_error 2 "command B is empty" --record "$TMP/x.json" --compare "true" "   "
expect_error 2 "command A: unbalanced single quote" --record "$TMP/x.json" --compare "echo 'a" "true"
expect_error 2 "command B: unbalanced double quote" --record "$TMP/x.json" --compare "true" 'echo "a'
expect_error 2 "backslash at the end" --record "$TMP/x.json" --compare 'echo a\' "true"
expect_error 2 "needs two commands" --record "$TMP/x.json" --compare "true"
expect_error 2 "different names" --record "$TMP/x.json" --compare true true --label x --label x
# one label names A; B keeps its name, which A may not take
expect_error 2 "'B' is the name of the other run" --record "$TMP/x.json" --compare true true --label B
expect_error 2 "printable" --record "$TMP/x.json" --compare true true --label "$(printf 'a\033b')"
expect_error 2 "not for --compare" --record "$TMP/x.json" --compare true true -n 1M
expect_error 2 "cannot be used together" --record "$TMP/x.json" --compare true true --mode copy
[ -e "$TMP/x.json" ] && fail "a refused run wrote a recording"
[ -z "$(ls -d "$TMP"/shmviz-log-* 2>/dev/null | while read -r d; do [ -z "$(ls "$d")" ] && echo "$d"; done)" ] ||
	fail "a refused run left an empty log directory"

# a script whose #! interpreter is missing passes the look-up but cannot
# be run: found out at exec, 127 all the same, and the next run still runs
printf '#!/no/such/interpreter\n' > "$TMP/badinterp"
chmod 755 "$TMP/badinterp"
run --record "$TMP/bad.json" --compare "$TMP/badinterp" "true"
[ "$rc" = 127 ] || fail "bad interpreter: exit $rc: $(cat "$TMP/err")"
grep -q "A failed: .*interpreter" "$TMP/out" || fail "bad interpreter: $(cat "$TMP/out")"
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert not d["runs"][0]["ok"] and d["runs"][1]["ok"]' \
	"$TMP/bad.json" || fail "bad interpreter: the runs' states"
# a command that fails is a failed run (1), named with its status
run --record "$TMP/f.json" --compare "sh -c 'exit 3'" "true"
[ "$rc" = 1 ] || fail "failing command: exit $rc"
grep -q "A failed: .*exited with status 3" "$TMP/out" || fail "failing command: $(cat "$TMP/out")"
no_leftovers
echo ok
