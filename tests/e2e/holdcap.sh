#!/bin/bash
# A workload's hold waits for shmviz's sample at most 5 s (docs/protocol.md,
# "Checkpoints"): a wait that ended late is waited again only under
# --lesson (the only stop shmviz makes); without it a late wake is a
# process starved on a loaded machine, and the hold ends. The test makes
# that moment: shmviz stopped as soon as the segment exists (no answer can
# come), the workload's root stopped as it waits for the answer until its
# wait has run out, then continued. The root must go on to its end (a
# zombie of the stopped shmviz), never wait for the answer again: seen
# asleep in that same wait after it was continued (a context switch since)
# is the wait re-armed. Native, then the Python workload.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"

state_of() { awk '{sub(/.*\) /, ""); print $1}' "/proc/$1/stat" 2>/dev/null; }

# capped_run NAME ARGS...
capped_run() {
	name=$1
	shift
	"$SHMVIZ" --record "$TMP/$name.json" -i 50 --mode shared -w 1 --hold 0.2 "$@" \
		>"$TMP/out" 2>"$TMP/err" </dev/null &
	pid=$!
	seen=0
	for _ in $(seq 6000); do
		ls /dev/shm | grep -q '^shmviz-' && { seen=1; break; }
		sleep 0.01
	done
	[ $seen = 1 ] || fail "$name: no segment ever existed"
	kill -STOP $pid
	i=0; until [ "$(state_of $pid)" = T ] || [ $i -ge 600 ]; do sleep 0.01; i=$((i + 1)); done
	[ "$(state_of $pid)" = T ] || fail "$name: shmviz was not stopped"
	"$PY" - "$pid" "$name" <<'PY'
import os, re, signal, sys, time

shmviz, name = int(sys.argv[1]), sys.argv[2]


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def state(pid):
    s = read(f"/proc/{pid}/stat")
    return s[s.rindex(")") + 2] if ")" in s else ""


def vcs(pid):
    m = re.search(r"voluntary_ctxt_switches:\s+(\d+)", read(f"/proc/{pid}/status"))
    return int(m.group(1)) if m else -1


def in_wait(pid):
    """asleep in the checkpoint's wait for the answer: poll(2) of the ack
    and the signal descriptors (native) or of the ack descriptor alone
    (Python), for seconds (the hold's other waits are of 0.2 s)"""
    if state(pid) != "S":
        return False
    f = read(f"/proc/{pid}/syscall").split()
    if len(f) < 4:
        return False
    nr, args = int(f[0]), [int(x, 16) for x in f[1:4]]
    if nr == 7:             # poll(fds, nfds, timeout ms)
        return args[1] in (1, 2) and 1000 < args[2] < 0x7fffffff
    return nr == 271 and args[1] in (1, 2) and args[2] != 0   # ppoll


def children(pid):
    return [int(c) for c in read(f"/proc/{pid}/task/{pid}/children").split()]


# the root, asleep in its hold's wait (no answer comes: shmviz is stopped)
root = None
for _ in range(60000):
    for c in children(shmviz):
        if in_wait(c):
            root = c
    if root:
        break
    time.sleep(0.01)
if not root:
    sys.exit(f"{name}: the workload was never seen waiting for the hold's answer")
t_seen = time.monotonic()
os.kill(root, signal.SIGSTOP)
while state(root) not in ("T", "t"):
    time.sleep(0.01)
# its wait (5 s from before it was seen) runs out while it is stopped
while time.monotonic() < t_seen + 5.5:
    time.sleep(0.1)
v0 = vcs(root)
os.kill(root, signal.SIGCONT)
for _ in range(600000):
    st = state(root)
    if st in ("Z", "X", ""):
        print(f"# {name}: the hold ended once its wait had run out", file=sys.stderr)
        sys.exit(0)
    if vcs(root) > v0 and in_wait(root):
        sys.exit(f"{name}: the root waits for the answer again after its 5 s ran out "
                 f"({read(f'/proc/{root}/syscall').strip()}, {read(f'/proc/{root}/cmdline')!r})")
    time.sleep(0.005)
sys.exit(f"{name}: the root neither ended nor waited")
PY
	prc=$?
	kill -CONT $pid
	wait $pid
	rc=$?
	[ $prc = 0 ] || fail "$name: see above"
	[ "$rc" = 0 ] || fail "$name: exit $rc: $(cat "$TMP/err")"
	"$PY" - "$TMP/$name.json" <<'PY' || fail "$name: recording"
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
names = [p["name"] for p in r["phases"]]
assert r["ok"] and "hold" in names and "exit" in names, (r["ok"], names)
PY
	no_leftovers
}

capped_run native -n 1M
if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
	capped_run python -n 1M --workload python
else
	fail "no numpy for /usr/bin/python3 (quickstart installs python3-numpy)"
fi
echo ok
