#!/bin/bash
# --show-output: a headless run's own output (stdout and stderr) comes on
# shmviz's stderr too, as written, and is still in the run's log; without
# it the terminal gets none of it; without --record it is refused.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"

cmd=(sh -c 'echo out-line-1; echo err-line-2 >&2; echo out-line-3')
run --record "$TMP/s.json" --headless --show-output -- "${cmd[@]}"
[ "$rc" = 0 ] || fail "--show-output: exit $rc: $(cat "$TMP/err")"
no_leftovers
for w in out-line-1 err-line-2 out-line-3; do
	grep -qx "$w" "$TMP/err" || fail "--show-output: $w not on stderr: $(cat "$TMP/err")"
	grep -qx "$w" "$TMP/out" && fail "--show-output: $w among the summary"
done
log=$(sed -n 's/^output of sh: //p' "$TMP/out")
[ -f "$log" ] || fail "no log named in the summary: $(cat "$TMP/out")"
[ "$(grep -c 'line-' "$log")" = 3 ] || fail "the log lost lines: $(cat "$log")"
# the program's own lines in the order it wrote them
[ "$(grep 'line-' "$TMP/err" | tr '\n' ' ')" = "out-line-1 err-line-2 out-line-3 " ] ||
	fail "--show-output: out of order: $(cat "$TMP/err")"

run --record "$TMP/q.json" --headless -- "${cmd[@]}"
[ "$rc" = 0 ] || fail "without --show-output: exit $rc: $(cat "$TMP/err")"
# (the summary's first line names the command's words: whole lines only)
grep -Eqx '(out|err)-line-[0-9]' "$TMP/err" "$TMP/out" &&
	fail "without --show-output the output reached the terminal"

expect_error 2 "--show-output is only for --record" --show-output -- true
