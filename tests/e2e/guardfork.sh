#!/bin/bash
# The guard knows of a run's root before the root runs anything: a SIGKILL
# of shmviz at the earliest moment after it forked the root leaves nothing
# of the run alive (docs/architecture.md, src/run/guard.h). The test stops
# shmviz as soon as it has a child (the root, found by polling /proc), lets
# the root go as far as it can without shmviz (its program, which clears
# its environment so that only its session names it, starts a background
# process; or, with shmviz stopped before the guard was told, the root
# waits for shmviz's word and runs nothing), kills shmviz with SIGKILL, and
# when the guard is done looks at /proc itself: no process of the root's
# session may be left.
. "$(dirname "$0")/lib.sh"
export TMPDIR="$TMP"

tagged_comm() {
	for p in $(tagged_pids); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$1" ] && { echo "$p"; return; }
	done
}

# A memory cgroup of the run would hold its processes whatever the guard
# knows (the guard empties it): as root, shmviz runs as nobody, who can
# make none, so that the session is all that names the tree
as=()
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null 2>&1 || skip "setpriv (util-linux) is missing"
	as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	chmod 777 "$TMP"
fi
"$PY" - "$TMP" "$SHMVIZ" "${as[@]}" <<'PY' >"$TMP/root" || fail "see above"
import os, signal, subprocess, sys, time

tmp, shmviz_bin, as_ = sys.argv[1], sys.argv[2], sys.argv[3:]


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def stat(pid):
    """(comm, state, session) of pid, None when gone"""
    s = read(f"/proc/{pid}/stat")
    if ")" not in s:
        return None
    rest = s[s.rindex(")") + 2:].split()
    return s[s.index("(") + 1:s.rindex(")")], rest[0], int(rest[3])


def session(sid):
    """the processes of session sid, zombies left out: the test's own
    view of the run's tree (env -i: no tag names them)"""
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = stat(int(d))
            if st and st[2] == sid and st[1] not in ("Z", "X"):
                out.append((int(d), st[0]))
    return out


def stopped(pid):
    while stat(pid) and stat(pid)[1] not in ("T", "t"):
        time.sleep(0.001)


# The moment: the root stopped before its exec (its comm still shmviz's),
# then shmviz stopped: shmviz cannot have gone on past what it does before
# the root's exec. A root caught after its exec misses the moment: that
# shmviz is ended and another started.
for attempt in range(20):
    p = subprocess.Popen(as_ + [shmviz_bin, "--record", f"{tmp}/r.json", "-i", "50", "--compare",
                                "env -i /bin/sh -c 'sleep 600 & exec sleep 601'", "true"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=open(f"{tmp}/err", "w"))
    shmviz, root = p.pid, None
    deadline = time.monotonic() + 120
    # the root: shmviz's child in a session of its own (the double fork
    # that starts the guard makes none)
    while root is None and time.monotonic() < deadline and p.poll() is None:
        for k in read(f"/proc/{shmviz}/task/{shmviz}/children").split():
            if (stat(int(k)) or ("", "", 0))[2] == int(k):
                root = int(k)
                os.kill(root, signal.SIGSTOP)
                break
    if root is None:
        sys.exit("FAIL: shmviz never forked a root")
    stopped(root)
    if (stat(root) or ("",))[0] == "shmviz":
        break
    os.kill(root, signal.SIGCONT)
    p.terminate()
    p.wait()
else:
    sys.exit("FAIL: the root was never caught before its exec in 20 runs")
os.kill(shmviz, signal.SIGSTOP)
stopped(shmviz)
os.kill(root, signal.SIGCONT)
# how far the root goes without shmviz: its program's two processes, or
# asleep before its exec, waiting for shmviz's word (its comm is still
# shmviz's)
how = None
for _ in range(60000):
    st = stat(root)
    sleeps = [q for q, c in session(root) if c == "sleep"]
    if len(sleeps) == 2:
        how = "the program ran: 2 processes in its session"
        break
    if st and st[0] == "shmviz" and st[1] == "S" and read(f"/proc/{root}/syscall").split()[:1] == ["0"]:
        how = "the root waits for shmviz's word, before its exec"
        break
    time.sleep(0.005)
if how is None:
    sys.exit(f"FAIL: the root {root} neither ran nor waited ({stat(root)})")
tag = f"SHMVIZ_TEST_TAG={os.environ['SHMVIZ_TEST_TAG']}\0"
guard = [int(d) for d in os.listdir("/proc") if d.isdigit() and
         (stat(int(d)) or ("",))[0] == "shmviz-guard" and tag in read(f"/proc/{d}/environ")]
known = any(f"Pid:\t{root}\n" in read(f"/proc/{g}/fdinfo/{fd}")
            for g in guard for fd in (os.listdir(f"/proc/{g}/fdinfo") if os.path.isdir(f"/proc/{g}/fdinfo") else []))
print(f"# run {attempt + 1}: the root stopped before its exec, then shmviz; {how}; the guard "
      f"{'holds' if known else 'holds no'} pidfd of the root; SIGKILL of shmviz", file=sys.stderr)
os.kill(shmviz, signal.SIGKILL)
p.wait()
print(root)
PY
root=$(cat "$TMP/root")
# the guard's sweep: it ends once nothing of the runs is left
for _ in $(seq 6000); do
	[ -z "$(tagged_comm shmviz-guard)" ] && break
	sleep 0.01
done
[ -z "$(tagged_comm shmviz-guard)" ] && note "the guard is done"
left=$("$PY" - "$root" <<'PY'
import os, sys
sid = int(sys.argv[1])
for d in os.listdir("/proc"):
    if not d.isdigit():
        continue
    try:
        s = open(f"/proc/{d}/stat").read()
    except OSError:
        continue
    rest = s[s.rindex(")") + 2:].split()
    if int(rest[3]) == sid and rest[0] not in ("Z", "X"):
        print(d, s[s.index("(") + 1:s.rindex(")")])
PY
)
if [ -n "$left" ]; then
	for p in $(echo "$left" | awk '{print $1}'); do kill -9 "$p" 2>/dev/null; done
	fail "left alive after shmviz's SIGKILL (session $root): $left"
fi
no_leftovers
echo ok
