#!/bin/bash
# The bound of a tree that members join (docs/recording.md, "Bounds"): a
# parent holding 16 MiB of shared memory (tests/helpers/joiners.c) forks
# 24 children one by one, each with 1 MiB of private anonymous memory of
# its own (written by the parent before the fork, unmapped by it after)
# and only a few pages it shares with the others. A member that joins
# takes from the others' shares only its part of the pages it shares: its
# private pages took nothing from anyone. So once the joins are over and
# the tree holds still, every sample is one moment: its bound within 1%
# of its ΣPSS (a bound that counted each joiner's whole anonymous PSS,
# 24 x 1 MiB, stayed at 60% of ΣPSS until every member was read again),
# and its ΣPSS ± bound holds the ΣPSS this test reads itself from
# /proc/PID/smaps_rollup of the tree while it holds.
#
# The hold is made, not hoped for: the program holds until this test
# writes to a named pipe, which it does after its own reads and after
# shmviz's progress line (a pseudo-terminal, redrawn once a tick) was
# drawn five times since.
# Needs CAP_SYS_ADMIN (/proc/PID/map_files: the shared memory object).
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

JOINERS=${JOINERS:?JOINERS must name tests/helpers/joiners}
[ -r /proc/self/map_files ] && ls /proc/self/map_files >/dev/null 2>&1 ||
	skip "/proc/PID/map_files cannot be read here (it needs CAP_SYS_ADMIN)"
mkfifo "$TMP/go" || fail "mkfifo"

$PY - "$SHMVIZ" "$JOINERS" "$TMP" <<'PYEOF' || fail "the bound of a tree that members joined"
import json, os, pty, select, signal, sys, time
shmviz, joiners, tmp = sys.argv[1:4]
MIB, N, OWN, PEAK = 8, 12, 2048, 40
status, go, rec = tmp + "/status", tmp + "/go", tmp + "/j.json"
master, slave = pty.openpty()
pid = os.fork()
if pid == 0:
    os.close(master)
    os.dup2(os.open(tmp + "/out", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 1)
    os.dup2(slave, 2)
    os.dup2(os.open("/dev/null", os.O_RDONLY), 0)
    os.execv(shmviz, [shmviz, "--record", rec, "-i", "100", "--budget", "0.1", "--",
                      joiners, str(MIB), str(N), str(OWN), str(PEAK), status, go])
os.close(slave)
MARK = b"\r\x1b[Kshmviz:"
data = b""
deadline = time.monotonic() + 300


def pump(done):
    """reads shmviz's progress line until done() or its end"""
    global data
    while not done():
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            sys.exit("shmviz took over 300 s")
        r, _, _ = select.select([master], [], [], 0.01)
        if r:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                return False
            data += chunk
    return True


def redraws():
    return data.count(MARK)


def said(what):
    return os.path.exists(status) and what in open(status).read().splitlines()


def children(ppid):
    found = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                st = open(f"/proc/{d}/stat", errors="replace").read()
            except OSError:
                continue
            if int(st[st.rindex(")") + 2:].split()[1]) == ppid:
                found.append(int(d))
    return found


def pss_of(p):
    """Pss less Pss_File: file pages (libraries) are shared with processes
    outside the tree, whose comings and goings move their shares at any
    time (docs/recording.md, "Bounds": what they are in any read)"""
    f = {l.split(":")[0]: int(l.split()[1])
         for l in open(f"/proc/{p}/smaps_rollup").read().splitlines()[1:]}
    return f["Pss"] - f["Pss_File"]


if not pump(lambda: redraws() >= 2):
    sys.exit("shmviz ended before the program forked")
gofd = os.open(go, os.O_WRONLY)  # the program waits for it
# a high first, held for four ticks (a plateau: swept, one moment), then
# dropped: the joins below stay under it, so no sweep is owed to a high
if not pump(lambda: said("peak")):
    sys.exit("shmviz ended before the program's high")
base = redraws()
pump(lambda: redraws() >= base + 4)
os.write(gofd, b"p")
if not pump(lambda: said("dropped")):
    sys.exit("shmviz ended before the program's high was dropped")
base = redraws()
pump(lambda: redraws() >= base + 3)
periods = []
for k in range(1, N + 1):
    # the member joins while shmviz stands still: it is new to the tree,
    # its own memory written, at the tick that sees it
    os.kill(pid, signal.SIGSTOP)
    os.write(gofd, b"n")
    if not pump(lambda: said(f"joined {k}")):
        sys.exit(f"shmviz ended before member {k} joined")
    root = children(pid)
    if len(root) != 1:
        sys.exit(f"shmviz has {len(root)} children")
    tree = [root[0]] + children(root[0])
    if len(tree) != k + 1:
        sys.exit(f"the tree has {len(tree)} processes, {k + 1} expected")
    # the tree holds still from here until the next byte
    truth = sum(pss_of(p) for p in tree)
    t_from = time.monotonic()
    os.kill(pid, signal.SIGCONT)
    base = redraws()
    if not pump(lambda: redraws() >= base + (4 if k < N else 6)):
        sys.exit(f"shmviz ended after member {k} joined")
    periods.append((t_from, time.monotonic(), truth, set(tree)))
os.write(gofd, b"g")
os.close(gofd)
pump(lambda: False)
_, st = os.waitpid(pid, 0)
if os.waitstatus_to_exitcode(st) != 0:
    sys.exit(f"shmviz exit {os.waitstatus_to_exitcode(st)}: {data.decode(errors='replace')[-2000:]}")
d = json.load(open(rec))
r = d["runs"][0]
t0 = r["start_monotonic_s"]
ss = r["samples"]
bad, checked = [], 0
for k, (lo, hi, truth, pids) in enumerate(periods, 1):
    mine = 0
    for i in range(1, len(ss) - 1):
        s, prev, nxt = ss[i], ss[i - 1], ss[i + 1]
        have = {p["pid"] for p in s["procs"]}
        # a tick begun after the join, its reads done before the next
        # (the next tick began before it), the tree as at the tick
        # before (a member that joins moves the shares of everything:
        # its tick's sum is one of reads, nothing divided)
        if not (s["t"] >= lo - t0 and nxt["t"] <= hi - t0 and have == pids and
                {p["pid"] for p in prev["procs"]} == pids):
            continue
        mine += 1
        t, n = s["total"], len(s["procs"])
        b = t.get("pss_bound_kb")
        mine_pss = sum(p["pss_kb"] - p["pss_file_kb"] for p in s["procs"])
        print(f"#   {k} members: t {s['t']:.3f} ΣPSS {t['pss_kb']} ± {b}; less Pss_File "
              f"{mine_pss}, read here {truth}", file=sys.stderr)
        if b is None or t["pss_kb"] is None:
            bad.append(f"t={s['t']:.3f}: no bound")
            continue
        # each figure rounded to the kB: a kB a process either way
        if abs(mine_pss - truth) > b + n:
            bad.append(f"t={s['t']:.3f}: ΣPSS less Pss_File {mine_pss} ± {b} KiB "
                       f"excludes {truth} KiB")
        # one moment (docs/recording.md, "Bounds"): 1% of ΣPSS, or the
        # floor of the counters' per-CPU slack; each join's 2 MiB of its
        # own is far above both
        if b > max(t["pss_kb"] / 100, 256):
            bad.append(f"t={s['t']:.3f}, {k} members: bound {b} KiB, over 1% of "
                       f"ΣPSS {t['pss_kb']} KiB")
    if not mine:
        bad.append(f"no sample while {k} members held still")
    checked += mine
print(f"# {checked} samples checked over {N} joins", file=sys.stderr)
for b in bad[:20]:
    print("check failed:", b)
sys.exit(1 if bad else 0)
PYEOF
no_leftovers
echo ok
