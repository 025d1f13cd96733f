#!/bin/bash
# The real binary over the bad-recording corpus (tests/data/bad-recordings)
# and the cases too big to commit, made here: a sparse file of 3 GiB,
# nesting a hundred thousand deep, a directory, a FIFO, a device. Each must
# give exit 3 and exactly one line on stderr, through --plot and --replay,
# and write no picture. A crash (a signal, a sanitizer report) fails.
# Members the loader does not read cost no memory; a load that would take
# too much says "out of memory".
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
printf "{" >"$TMP/huge.json" && truncate -s 3G "$TMP/huge.json"
both "$TMP/huge.json"
grep -q "too large for a recording" "$TMP/err" || fail "huge: $(cat "$TMP/err")"

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

# a file of 80 MiB of valid JSON blanks around an object: more than a
# recording holds outside its samples
$PY -c 'import sys; sys.stdout.write(" " * (80 << 20) + "{}")' >"$TMP/blanks.json"
both "$TMP/blanks.json"
grep -q "too large for a recording" "$TMP/err" || fail "80 MiB: $(cat "$TMP/err")"
rm -f "$TMP/blanks.json"

# memory: members the loader does not read cost nothing, whatever their
# size or name (a large array under an unknown key, or a known key in the
# wrong place); a large array where one is read is refused as out of
# memory at a bound, and so is a load that runs out under ulimit -v: never
# "not valid JSON", never gigabytes
$PY - "$SRCDIR/tests/data/recordings/minimal.json" "$TMP" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = json.dumps(d)
big = "[" + ",".join(["1"] * 10_000_000) + "]"          # 20 MB of text
open(sys.argv[2] + "/extra.json", "w").write(s[:-1] + ', "extra": ' + big + "}")
open(sys.argv[2] + "/misplaced.json", "w").write(s[:-1] + ', "procs": ' + big + "}")
d["runs"][0]["samples"][0]["moved"] = None
m = json.dumps(d).replace('"moved": null', '"moved": ' + big, 1)
open(sys.argv[2] + "/moved.json", "w").write(m)
PY
for f in extra misplaced; do
	$PY - "$SHMVIZ" "$TMP/$f.json" "$TMP/$f.svg" <<'PY' || fail "$f: a member the loader does not read was built"
import resource, subprocess, sys
r = subprocess.run([sys.argv[1], "--plot", sys.argv[2], "-o", sys.argv[3]], capture_output=True, text=True)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss >> 10
print(f"# {sys.argv[2]}: exit {r.returncode}, {rss} MiB at most", file=sys.stderr)
assert r.returncode == 0, r.stderr
assert rss < 250, f"{rss} MiB for a 20 MB file"
PY
	rm -f "$TMP/$f.svg"
done
check moved --plot "$TMP/moved.json" -o "$OUT"
grep -q "out of memory: loading it needs more than" "$TMP/err" || fail "moved: $(cat "$TMP/err")"
if ! ldd "$SHMVIZ" 2>/dev/null | grep -q 'libasan'; then
	(ulimit -v 400000 && exec "$SHMVIZ" --plot "$TMP/moved.json" -o "$OUT") >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	[ "$rc" = 3 ] && grep -q "out of memory" "$TMP/err" ||
		fail "ulimit -v: exit $rc, $(cat "$TMP/err")"
else
	note "a sanitizer build: the ulimit -v case is not run (ASan reserves terabytes)"
fi
rm -f "$TMP/extra.json" "$TMP/misplaced.json" "$TMP/moved.json"

# random bytes, too big for the small-file path (5 MB; its first byte
# made not '{' and not white space): "not valid JSON", never a depth or
# an encoding found further on
head -c 5000000 /dev/urandom | tr '{ \t\r\n' 'xxxxx' >"$TMP/random.bin"
both "$TMP/random.bin"
grep -q "not valid JSON" "$TMP/err" || fail "random bytes: $(cat "$TMP/err")"
rm -f "$TMP/random.bin"

# and the good recordings load (a control: the checks above are not vacuous)
for f in "$SRCDIR"/tests/data/recordings/*.json; do
	run --plot "$f" -o "$TMP/good.svg"
	[ "$rc" = 0 ] || fail "$f: exit $rc: $(cat "$TMP/err")"
	rm -f "$TMP/good.svg"
done
no_leftovers
echo "ok"
