#!/bin/bash
# The Python workload imports nothing shmviz did not choose: not from the
# current directory (python -c puts it first on sys.path), not from
# PYTHONPATH or the user's site directory. The interpreter's check, the
# experiment and its spawn workers (python -c "from multiprocessing.spawn
# import spawn_main ...") all run isolated (-I). Here the current
# directory and a directory on PYTHONPATH hold modules of the names they
# import (numpy.py, runpy.py: spawn.py imports runpy in the worker before
# anything else; shmviz_phases.py, which the workloads load by their own
# path only); each writes a marker file when imported and then hands
# over the real module, so a run that imported one would still succeed:
# the markers say whether it happened.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"

[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3 (quickstart installs python3-numpy)"
/usr/bin/python3 -c 'import numpy' 2>/dev/null || skip "no numpy for /usr/bin/python3 (install python3-numpy)"

hostile_module() { # DIR NAME
	cat >"$1/$2.py" <<'PYEOF'
import importlib, os, sys
_here = os.path.dirname(os.path.abspath(__file__))
open(os.path.join(_here, "ran-%s-%d" % (__name__, os.getpid())), "w").close()
del sys.modules[__name__]
_saved = sys.path[:]
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]
importlib.import_module(__name__)
sys.path[:] = _saved
PYEOF
}
mkdir "$TMP/cwd" "$TMP/pp"
for m in numpy runpy shmviz_phases; do
	hostile_module "$TMP/cwd" $m
	hostile_module "$TMP/pp" $m
done
# the modules work as meant: a plain python -c in cwd imports them
(cd "$TMP/cwd" && /usr/bin/python3 -c 'import numpy; numpy.ones(1)') ||
	fail "the hostile module does not hand over numpy"
ls "$TMP/cwd" | grep -q '^ran-numpy-' || fail "python -c did not import ./numpy.py: the test proves nothing"
rm -f "$TMP"/cwd/ran-*

for method in spawn forkserver; do
	cd "$TMP/cwd" || fail "cd"
	PYTHONPATH="$TMP/pp" run --record "$TMP/r.json" --workload python \
		--mode copy --start-method $method -n 20k -w 1 --hold 0 -i 50
	cd / || fail "cd"
	[ "$rc" = 0 ] || fail "$method: exit $rc: $(cat "$TMP/err")"
	ran=$(cd "$TMP" && ls cwd pp | grep '^ran-' | tr '\n' ' ')
	[ -z "$ran" ] || fail "$method: modules of the current directory or PYTHONPATH were imported: $ran"
	# the workers really were spawned (one process of the copy run is
	# a worker started by python -I -c ... spawn_main / forkserver)
	$PY - "$TMP/r.json" <<'PYEOF' || fail "$method: no pool worker in the recording"
import json, sys
d = json.load(open(sys.argv[1]))
roles = {p["role"] for r in d["runs"] for s in r["samples"] for p in s["procs"]}
assert "worker" in roles, roles
PYEOF
	no_leftovers
done
echo ok
