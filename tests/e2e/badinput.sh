#!/bin/bash
# Every bad-input rule: exit 2 (usage) or 4 (environment) with exactly one
# line on stderr, and nothing left behind: no process, no segment, no
# temporary recording file.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

J="$TMP/r.json"
expect_error 2 "unknown option" --bogus
expect_error 2 "needs a value" --record "$J" -w
expect_error 2 "not a whole number" --record "$J" -w 4x
expect_error 2 "not a whole number" --record "$J" -w 0
expect_error 2 "not a whole number" --record "$J" -w 257
expect_error 2 "not a whole number" --record "$J" -w -1
expect_error 2 "not a whole number" --record "$J" -w ""
expect_error 2 "count" --record "$J" -n 99999999999999999999
expect_error 2 "count" --record "$J" -n 4x
expect_error 2 "count" --record "$J" -n -5
expect_error 2 "count" --record "$J" -n ""
expect_error 2 "milliseconds" --record "$J" -i 5
expect_error 2 "milliseconds" --record "$J" -i 10001
expect_error 2 "milliseconds" --record "$J" -i abc
expect_error 2 "seconds" --record "$J" --hold -1
expect_error 2 "--mode" --record "$J" --mode fast
expect_error 2 "twice" --record "$J" -w 2 -w 3
expect_error 2 "unexpected argument" --record "$J" extra
expect_error 2 "path is empty" --record ""
[ -e "$J" ] && fail "a refused run wrote $J"

# unwritable record paths
expect_error 2 "cannot record" --record "$TMP/no/such/dir/r.json" -n 1k
expect_error 2 "directory" --record "$TMP" -n 1k
ln -s "$TMP/target.json" "$TMP/link.json"
expect_error 2 "symlink" --record "$TMP/link.json" -n 1k
[ -e "$TMP/target.json" ] && fail "the symlink was followed"
rm -f "$TMP/link.json"

# no terminal and no --record
expect_error 2 "not a terminal" -n 1k

# more memory than the machine has: refused up front, with both amounts
expect_error 4 "MemAvailable" --record "$J" -w 256 -n 1G
grep -q "GiB\|TiB" "$TMP/err" || fail "the memory refusal names no amount"

# a /dev/shm too small for the segment: refused up front, with sizes
unshare -m --propagation private sh -c \
	'mount -t tmpfs -o size=1m small /dev/shm && exec "$@"' sh \
	"$SHMVIZ" --record "$J" --mode shared -n 1M -w 2 >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" = 4 ] || fail "small /dev/shm: exit $rc: $(cat "$TMP/err")"
grep -q "too small.*needs.*MiB.*free" "$TMP/err" || fail "small /dev/shm message: $(cat "$TMP/err")"
[ "$(grep -c '' "$TMP/err")" = 1 ] || fail "small /dev/shm: more than one line"
[ -e "$J" ] && fail "a refused run wrote $J"
no_leftovers

# a caption file that does not parse is a bad command line
printf 'shared fill the colon is missing\n' > "$TMP/bad.captions"
expect_error 2 "line 1" --captions "$TMP/bad.captions" --record "$J" -n 1k
expect_error 2 "captions" --captions "$TMP/no-such-file" --record "$J" -n 1k

# --help and --version succeed on stdout
run --help
[ "$rc" = 0 ] && grep -q "Exit status" "$TMP/out" || fail "--help"
run --version
[ "$rc" = 0 ] && grep -q "^shmviz [0-9]" "$TMP/out" || fail "--version"
echo ok
