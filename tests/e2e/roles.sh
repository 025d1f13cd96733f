#!/bin/bash
# Roles of processes a command does not announce (src/sample/roles.h):
# a Python program's two fork-pool workers and its spawned process are
# workers, its resource tracker a helper; the checkpoint after they are
# all up is sampled (docs/protocol.md), and the recording's sample of it
# is held to the pids the program printed.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"
[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"

run --record "$TMP/r.json" -- /usr/bin/python3 -I "$SRCDIR/tests/helpers/pool.py"
[ "$rc" = 0 ] || fail "pool: exit $rc: $(cat "$TMP/err")"
no_leftovers
$PY - "$TMP/r.json" <<'PYEOF' >&2 || fail "roles of the pool"
import json, re, sys
d = json.load(open(sys.argv[1]))
r = d["runs"][0]
out = open(r["log"]).read()
fork = [int(p) for p in re.findall(r"^fork (\d+)$", out, re.M)]
spawn = [int(p) for p in re.findall(r"^spawn (\d+)$", out, re.M)]
assert len(fork) == 2 and len(spawn) == 1, out
workers = set(fork + spawn)
# the samples where every worker is a member: the checkpoint's and after
full = [s for s in r["samples"] if workers <= {p["pid"] for p in s["procs"]}]
assert full, "no sample with every worker"
for s in full:
    roles = {p["pid"]: p["role"] for p in s["procs"] if p["state"] != "x"}
    for pid in workers:
        assert roles.get(pid, "worker") == "worker", (s["t"], pid, roles)
    others = {pid: role for pid, role in roles.items() if pid not in workers}
    # the root and the resource tracker (a python3 child not printed); a
    # tracker just forked, not yet exec'd, has its parent's command line
    # and is taken for a sibling worker until its own is read (a loaded
    # machine samples that moment): at the last sample it is the helper
    if s is full[-1]:
        assert sorted(others.values()) == ["helper", "parent"], (s["t"], others)
    else:
        assert sorted(others.values()) in (["helper", "parent"], ["parent", "worker"]), \
            (s["t"], others)
print("%d samples: %d workers, the tracker a helper" % (len(full), len(workers)))
PYEOF
