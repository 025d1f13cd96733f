#!/bin/bash
# The real binary over the bad-recording corpus (tests/data/bad-recordings)
# and the cases too big to commit, made here: a sparse file of 3 GiB,
# nesting a hundred thousand deep, a directory, a FIFO, a device. Each must
# give exit 3 and exactly one line on stderr, through --plot and --replay,
# and write no picture. A crash (a signal, a sanitizer report) fails.
. "$(dirname "$0")/lib.sh"

CORPUS="$SRCDIR/tests/data/bad-recordings"
OUT="$TMP/x.svg"

# one bad file through one action: exit 3, one line naming the file
check() { # check FILE ACTION...
	f=$1
	shift
	"$SHMVIZ" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	[ "$rc" = 3 ] || fail "$f ($*): exit $rc, expected 3: $(head -c 2000 "$TMP/err")"
	lines=$(grep -c '' "$TMP/err")
	[ "$lines" = 1 ] || fail "$f ($*): $lines lines on stderr: $(head -c 2000 "$TMP/err")"
	grep -q "^shmviz: " "$TMP/err" || fail "$f: $(cat "$TMP/err")"
	[ -e "$OUT" ] && fail "$f: a picture was written"
	return 0
}

both() { # both FILE
	check "$1" --plot "$1" -o "$OUT"
	check "$1" --replay "$1"
}

n=0
for f in "$CORPUS"/*.json; do
	both "$f"
	n=$((n + 1))
done
[ "$n" -ge 100 ] || fail "only $n files in the corpus"
note "$n corpus files refused"

# made at test time
truncate -s 3G "$TMP/huge.json"
both "$TMP/huge.json"
grep -q "larger than the 64 MiB" "$TMP/err" || fail "huge: $(cat "$TMP/err")"

$PY -c 'import sys; sys.stdout.write("[" * 100000 + "]" * 100000)' >"$TMP/deep.json"
both "$TMP/deep.json"
grep -q "nested more than" "$TMP/err" || fail "deep: $(cat "$TMP/err")"

$PY -c 'import sys; sys.stdout.write("{\"a\":" * 100000)' >"$TMP/deep-open.json"
both "$TMP/deep-open.json"

mkdir "$TMP/dir.json"
both "$TMP/dir.json"
grep -q "directory" "$TMP/err" || fail "directory: $(cat "$TMP/err")"

both "$TMP/no-such-file.json"
both /dev/zero
grep -q "not a regular file" "$TMP/err" || fail "/dev/zero: $(cat "$TMP/err")"

mkfifo "$TMP/fifo.json"
both "$TMP/fifo.json"   # no writer: empty at once, never a hang

# a file of 80 MiB of valid JSON blanks around an object: over the cap
$PY -c 'import sys; sys.stdout.write(" " * (80 << 20) + "{}")' >"$TMP/blanks.json"
both "$TMP/blanks.json"
grep -q "larger than" "$TMP/err" || fail "80 MiB: $(cat "$TMP/err")"
rm -f "$TMP/blanks.json"

# and the good recordings load (a control: the checks above are not vacuous)
for f in "$SRCDIR"/tests/data/recordings/*.json; do
	run --plot "$f" -o "$TMP/good.svg"
	[ "$rc" = 0 ] || fail "$f: exit $rc: $(cat "$TMP/err")"
	rm -f "$TMP/good.svg"
done
no_leftovers
echo "ok"
