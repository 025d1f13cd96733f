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

# every option's limits: overflow, sign, base, blanks, fractions, suffixes
expect_error 2 "whole number from 1 to 256" --record "$J" -w 99999999999999999999
expect_error 2 "whole number from 1 to 256" --record "$J" -w +4
expect_error 2 "whole number from 1 to 256" --record "$J" -w 0x4
expect_error 2 "whole number from 1 to 256" --record "$J" -w " 4"
expect_error 2 "whole number from 1 to 256" --record "$J" --workers=
expect_error 2 "count from 1 to 1G" --record "$J" -n 0
expect_error 2 "count from 1 to 1G" --record "$J" -n 2G
expect_error 2 "count from 1 to 1G" --record "$J" -n 1.5
expect_error 2 "count from 1 to 1G" --record "$J" -n 1e6
expect_error 2 "count from 1 to 1G" --record "$J" -n k
expect_error 2 "count from 1 to 1G" --record "$J" -n 1.0000000001M
expect_error 2 "count from 1 to 1G" --record "$J" -n 18446744073709551616
expect_error 2 "milliseconds from 10 to 10000" --record "$J" -i 10.5
expect_error 2 "milliseconds from 10 to 10000" --record "$J" -i -10
expect_error 2 "milliseconds from 10 to 10000" --record "$J" -i 99999999999999999999
expect_error 2 "milliseconds from 10 to 10000" --record "$J" -i ""
expect_error 2 "seconds from 0 to 3600" --record "$J" --hold 3601
expect_error 2 "seconds from 0 to 3600" --record "$J" --hold nan
expect_error 2 "seconds from 0 to 3600" --record "$J" --hold inf
expect_error 2 "seconds from 0 to 3600" --record "$J" --hold 1e3
expect_error 2 "seconds from 0 to 3600" --record "$J" --hold 1.2.3
expect_error 2 "seconds from 0 to 3600" --record "$J" --hold ""
expect_error 2 "seconds from 0 to 3600" --record "$J" --hold 1e999
expect_error 2 "percentage from 0.1 to 100" --record "$J" --budget 0
expect_error 2 "percentage from 0.1 to 100" --record "$J" --budget 101
expect_error 2 "percentage from 0.1 to 100" --record "$J" --budget ""
expect_error 2 "not one of native, python" --record "$J" --workload bogus
expect_error 2 "not one of native, python" --record "$J" --workload ""
expect_error 2 "not one of shared, copy" --record "$J" --mode ""
expect_error 2 "whole percentage from 0 to 100" --record "$J" --mode cow --cow-write 101
expect_error 2 "whole percentage from 0 to 100" --record "$J" --mode cow --cow-write -1
expect_error 2 "needs --mode cow" --record "$J" --cow-write 50
expect_error 2 "no cow mode" --record "$J" --workload python --mode cow
expect_error 2 "needs two commands" --record "$J" --compare a
expect_error 2 "a command is empty" --record "$J" --compare "" b
expect_error 2 "cannot be used together" --record "$J" --compare a b --workload native
expect_error 2 "cannot be used together" --record "$J" --workload native --compare a b
expect_error 2 "cannot be used together" --record "$J" --compare a b --mode shared
expect_error 2 "only for --compare" --record "$J" --label x
expect_error 2 "1 to 23 bytes" --record "$J" --compare a b --label aaaaaaaaaaaaaaaaaaaaaaaa
expect_error 2 "1 to 23 bytes" --record "$J" --compare a b --label ""
expect_error 2 "more than twice" --record "$J" --compare a b --label a --label b --label c
expect_error 2 "path is empty" --record "$J" --python ""
expect_error 2 "only for --workload python" --record "$J" --python /usr/bin/python3
expect_error 2 "path is empty" --record "$J" --captions ""
expect_error 2 "only for --plot" --record "$J" -o x.svg
expect_error 2 "only for --plot" --record "$J" --size 800x600
expect_error 2 "only for --replay" --record "$J" --speed 2
expect_error 2 "cannot be used together" --replay x --plot y
expect_error 2 "cannot be used with --replay" --replay x --record "$J"
expect_error 2 "needs an output" --plot x
expect_error 2 "must end in .svg or .png" --plot x -o x.jpg
expect_error 2 "WIDTHxHEIGHT" --plot x -o x.svg --size 100x100
expect_error 2 "WIDTHxHEIGHT" --plot x -o x.svg --size 10000x100
expect_error 2 "WIDTHxHEIGHT" --plot x -o x.svg --size 800
expect_error 2 "factor from 0.0625 to 64" --replay x --speed 100
expect_error 2 "factor from 0.0625 to 64" --replay x --speed 0.01
# repeated options, and a value missing at the end
for opt in "-w 2" "-n 1k" "-i 50" "--hold 1" "--mode shared" "--budget 5" \
	"--workload native" "--record $J" "--force" "--ascii"; do
	# shellcheck disable=SC2086
	expect_error 2 "given twice" --record "$J" $opt $opt
done
for opt in -w -n -i --hold --mode --budget --workload --cow-write --label \
	--python --captions --size --speed --replay --plot -o; do
	expect_error 2 "needs a value" "$opt"
done
expect_error 2 "unknown option '-z'" -z
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

# user strings with an escape sequence or a newline: every error line is
# one line of plain text (no ESC, no newline of theirs), whatever names them
esc=$(printf '\033')
hostile_error() { # STATUS ARGS...: one line, no ESC
	want=$1
	shift
	run "$@"
	[ "$rc" = "$want" ] || fail "$*: exit $rc, expected $want: $(cat -v "$TMP/err")"
	[ "$(grep -c '' "$TMP/err")" = 1 ] || fail "$*: not one line: $(cat -v "$TMP/err")"
	grep -q "$esc" "$TMP/err" && fail "$*: an escape sequence on stderr: $(cat -v "$TMP/err")"
	return 0
}
hostile_error 2 -w "$(printf '1\n2')"
hostile_error 2 --record "$(printf '/no\033[31m/r\n.json')" -n 1k
hostile_error 127 --record "$J" --compare "$(printf 'no\033]2;x\007prog')" true
hostile_error 127 --record "$J" --compare "$(printf '/etc/pass\033[1mwd')" true
touch "$TMP/$(printf 'nox\033[1m')"
hostile_error 126 --record "$J" --compare "$(printf "$TMP/nox\033[1m")" true
hostile_error 4 --record "$J" --workload python --python "$(printf '/x\ny\033[1m')"
SHMVIZ_PYTHON=$(printf '/x\033[1m') hostile_error 4 --record "$J" --workload python
hostile_error 2 --captions "$(printf '/x\ny\033')" --record "$J" -n 1k
hostile_error 3 --plot "$(printf '/x\ny\033.json')" -o "$TMP/a.svg"
[ -e "$J" ] && fail "a refused run wrote $J"

# --help and --version succeed on stdout
# --lesson needs the TUI: a run whose output is no terminal is refused,
# as is an export (which shows nothing)
expect_error 2 "--lesson is for the TUI: standard output is not a terminal" \
	--lesson --record "$TMP/l.json" -w 1 -n 10k --hold 0
[ -e "$TMP/l.json" ] && fail "--lesson without a terminal wrote a recording"
expect_error 2 "--lesson is not for an export" --replay "$SRCDIR/tests/data/recordings/minimal.json" \
	--lesson --export-csv "$TMP/l.csv"
run --help
[ "$rc" = 0 ] && grep -q "Exit status" "$TMP/out" || fail "--help"
run --version
[ "$rc" = 0 ] && grep -q "^shmviz [0-9]" "$TMP/out" || fail "--version"
echo ok
