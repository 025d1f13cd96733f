#!/bin/bash
# The installed shmviz finds its assets: `meson install --destdir` stages
# a tree whose binary must find experiment.py in its own data directory
# (not in the source tree, not through SHMVIZ_ASSETS) and run the Python
# workload; without the script, it says where it looked (exit 4). So too
# the native workloads' program, shmviz-workload, in the tree's
# libexecdir/shmviz (not beside the build's shmviz).
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"
unset SHMVIZ_ASSETS
BUILDDIR=${BUILDDIR:?BUILDDIR must name the build directory}

command -v meson >/dev/null 2>&1 || skip "meson is not in PATH"
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import numpy' 2>/dev/null ||
	skip "no numpy for /usr/bin/python3 (install python3-numpy)"

dest="$TMP/dest"
meson install -C "$BUILDDIR" --no-rebuild --quiet --destdir "$dest" >"$TMP/install.log" 2>&1 ||
	fail "meson install: $(cat "$TMP/install.log")"
# where the build's options say the binary and its data directory go
# (prefix, bindir, datadir: meson's defaults are /usr/local, bin, share)
paths=$(meson introspect --buildoptions "$BUILDDIR" | $PY -c '
import json, os, sys
o = {x["name"]: x["value"] for x in json.load(sys.stdin)}
at = lambda d: os.path.normpath(os.path.join(o["prefix"], d))
print(at(o["bindir"]), at(o["datadir"]) + "/shmviz", at(o["libexecdir"]) + "/shmviz")') ||
	fail "meson introspect --buildoptions $BUILDDIR failed"
read -r bindir datadir libexecdir <<<"$paths"
program="$dest$libexecdir/shmviz-workload"
bin="$dest$bindir/shmviz"
script="$dest$datadir/experiment.py"
[ -x "$bin" ] || fail "shmviz is not installed as $bin: $(find "$dest" -name shmviz)"
[ -f "$script" ] || fail "experiment.py is not installed as $script: $(find "$dest" -name experiment.py)"
[ -f "$dest$datadir/prefork.py" ] ||
	fail "prefork.py is not installed in $dest$datadir: $(find "$dest" -name prefork.py)"
[ -f "$dest$datadir/captions.txt" ] ||
	fail "captions.txt is not installed in $dest$datadir: $(find "$dest" -name captions.txt)"
[ -x "$program" ] || fail "shmviz-workload is not installed as $program: $(find "$dest" -name shmviz-workload)"
[ "$(find "$dest" -type f -name experiment.py | wc -l)" = 1 ] ||
	fail "experiment.py installed more than once: $(find "$dest" -name experiment.py)"

SHMVIZ="$bin"
run --record "$TMP/i.json" --workload python --mode shared -n 20k -w 1 --hold 0
[ "$rc" = 0 ] || fail "installed shmviz: exit $rc: $(cat "$TMP/err")"
$PY - "$TMP/i.json" "$script" <<'PYEOF' || fail "installed shmviz did not run its own experiment.py"
import json, sys
d = json.load(open(sys.argv[1]))
r = d["runs"][0]
assert r["ok"] and r["result"]["sum"] == 10000, r["cause"]
PYEOF
# it ran the staged script: the staged copy is the one it names when missing
mv "$script" "$script.away"
expect_error 4 "cannot find the Python workload experiment.py in $(dirname "$script")" \
	--record "$TMP/x.json" --workload python -n 1k
mv "$script.away" "$script"

# the native workload, through the staged program (1000 rows: sum 500)
run --record "$TMP/n.json" --mode shared -n 1000 -w 1 --hold 0
[ "$rc" = 0 ] || fail "installed shmviz, native: exit $rc: $(cat "$TMP/err")"
$PY -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]; assert r["ok"] and r["result"]["sum"] == 500, r' \
	"$TMP/n.json" || fail "installed shmviz, native: the run's result"
if [ -e "$libexecdir/shmviz-workload" ]; then
	note "$libexecdir/shmviz-workload is installed: the staged program's absence is not checked"
else
	mv "$program" "$program.away"
	expect_error 4 "cannot run the native workload: shmviz-workload is neither in $dest$bindir nor in $dest$libexecdir nor in $libexecdir (reinstall shmviz)" \
		--record "$TMP/x.json" -n 1k
	mv "$program.away" "$program"
fi
no_leftovers
echo ok
