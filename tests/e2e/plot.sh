#!/bin/bash
# A fresh recording round-trips through the replay loader (test_replay
# --roundtrip compares the loaded model with the JSON), and --plot makes a
# valid SVG that names every run, gives each run's wall, compute (its
# phase's span) and CPU time, and a PNG of the requested size. An
# unwritable output is one line and exit 2, and leaves no file, whole or
# partial; --replay wants a terminal and says so after checking the file.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

BUILDDIR=${BUILDDIR:?BUILDDIR must name the build directory}
R="$TMP/r.json"

run --record "$R" -w 2 -n 300k --hold 0.2 -i 20
[ "$rc" = 0 ] || fail "record: exit $rc: $(cat "$TMP/err")"
no_leftovers

"$BUILDDIR/tests/test_replay" --roundtrip "$R" 2>"$TMP/rt" ||
	fail "round trip: $(cat "$TMP/rt")"

# SVG: valid XML, an <svg> of the default size, naming every run
run --plot "$R" -o "$TMP/p.svg"
[ "$rc" = 0 ] || fail "--plot svg: exit $rc: $(cat "$TMP/err")"
[ -s "$TMP/err" ] && fail "--plot svg wrote to stderr: $(cat "$TMP/err")"
$PY - "$TMP/p.svg" "$R" "$SRCDIR/tests/e2e" <<'EOF' || fail "the SVG check failed"
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = '{http://www.w3.org/2000/svg}'
assert root.tag == ns + 'svg', root.tag
assert root.get('width') == '1600px' and root.get('height') == '900px', root.attrib
title = root.find(ns + 'title').text
desc = root.find(ns + 'desc').text
names = [r['name'] for r in json.load(open(sys.argv[2]))['runs']]
assert names == ['shared', 'copy'], names
for n in names:
    assert n in title and n in desc, (n, title, desc)
# the comparison, in the words the recording's speedup reads as (copy's
# wall time over shared's: "1.9× faster", "as fast" where it reads 1.0)
r = json.load(open(sys.argv[2]))['summary']['speedup']
x = r if r >= 1 else 1 / r
f = ('%.2g' if x < 0.095 else '%.1f' if x < 10 else '%.0f') % x
want = 'shared as fast' if f == '1.0' else \
    'shared %s\u00d7 %s' % (f, 'faster' if r > 1 else 'slower')
assert want in desc, (want, desc)
# the title: the runs, the workers and the table as this test asked for
# them (-w 2 -n 300k: 300,000 records of 24 bytes, 7,200,000 bytes)
want = "shmviz: shared vs copy: 2 workers, 300,000 rows (%.1f MiB)" % (7200000 // 1024 / 1024)
assert title == want, (title, want)
assert len(root.findall('.//' + ns + 'path')) > 20    # something drawn
# the figures under each panel: wall time, the compute phase's span (from
# the recorded phases), CPU time user and system
sys.path.insert(0, sys.argv[3])
from check_summary import fmt_seconds
for r in json.load(open(sys.argv[2]))['runs']:
    res = r['result']
    ph = [p for p in r['phases'] if p['name'] == 'compute']
    assert len(ph) == 1 and abs(res['compute_s'] - (ph[0]['end_s'] - ph[0]['start_s'])) < 1e-6, (ph, res)
    want = ' %s: wall %s \u00b7 compute %s \u00b7 CPU %s.' % (
        r['name'], fmt_seconds(res['wall_s']), fmt_seconds(res['compute_s']),
        fmt_seconds(res['cpu_user_s'] + res['cpu_sys_s']))
    assert want in desc, (want, desc)
EOF

# the legend of the estimated stretches: in the picture of a recording that
# has them (the sample in assets/), and only there
for rec in "$R" "$SRCDIR/assets/sample-recording.json"; do
	run --plot "$rec" -o "$TMP/e.svg"
	[ "$rc" = 0 ] || fail "--plot $rec: exit $rc: $(cat "$TMP/err")"
	$PY - "$TMP/e.svg" "$rec" <<'EOF' || fail "the legend of estimates ($rec)"
import json, sys, xml.etree.ElementTree as ET
desc = ET.parse(sys.argv[1]).getroot().find('{http://www.w3.org/2000/svg}desc').text
d = json.load(open(sys.argv[2]))
approx = any(not x["total"].get("consistent", True)
             for r in d["runs"] for x in r["samples"])
assert ("Lighter stretches" in desc) == approx, (approx, desc)
print(f"# {sys.argv[2]}: stretches not one moment {approx}", file=sys.stderr)
EOF
done

# PNG of the requested size
run --plot "$R" -o "$TMP/p.png" --size 800x600
[ "$rc" = 0 ] || fail "--plot png: exit $rc: $(cat "$TMP/err")"
$PY - "$TMP/p.png" <<'EOF' || fail "the PNG check failed"
import struct, sys
head = open(sys.argv[1], 'rb').read(24)
assert head[:8] == b'\x89PNG\r\n\x1a\n', head[:8]
assert head[12:16] == b'IHDR'
w, h = struct.unpack('>II', head[16:24])
assert (w, h) == (800, 600), (w, h)
EOF

# an existing picture is replaced whole
echo old >"$TMP/p.png"
run --plot "$R" -o "$TMP/p.png"
[ "$rc" = 0 ] || fail "--plot over a file: exit $rc"
[ "$(head -c 4 "$TMP/p.png" | tail -c 3)" = PNG ] || fail "the old picture was not replaced"

# unwritable outputs: exit 2, one line, no file and no temporary left
expect_error 2 "cannot write" --plot "$R" -o "$TMP/no/such/dir/p.svg"
mkdir "$TMP/d.svg"
expect_error 2 "directory" --plot "$R" -o "$TMP/d.svg"
mkdir "$TMP/full"
mount -t tmpfs -o size=4k shmviz-full "$TMP/full" || fail "cannot mount a small tmpfs"
expect_error 2 "cannot write.*No space left" --plot "$R" -o "$TMP/full/p.png"
[ -z "$(ls -A "$TMP/full")" ] || fail "a full disk left a file: $(ls -A "$TMP/full")"
umount "$TMP/full"
expect_error 2 "must end in .svg or .png" --plot "$R" -o "$TMP/p.jpg"
ls -A "$TMP" | grep -q '^\.p\.' && fail "a temporary picture was left: $(ls -A "$TMP")"

# a bad recording is named before anything is written
expect_error 3 "shmviz: .*no-such.json: cannot open" --plot "$TMP/no-such.json" -o "$TMP/x.svg"
[ -e "$TMP/x.svg" ] && fail "a refused recording wrote a picture"

# --replay checks the file, then wants a terminal
expect_error 3 "cannot open" --replay "$TMP/no-such.json"
expect_error 2 "not a terminal" --replay "$R"
echo "ok"
