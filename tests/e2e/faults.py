"""Shared helpers of the fault tests (tests/e2e/faults.sh) and the stress
script (tests/stress/stress.py): start shmviz, wait for a moment of its
run seen from outside (/proc and /dev/shm), deliver a signal to shmviz or
to one of its workers, and report exactly how it ended: "exit N" is told
apart from "killed by signal N", which a shell's $? cannot do.

Only processes carrying this test's tag (SHMVIZ_TEST_TAG in their
environment, set by tests/e2e/lib.sh and inherited by every descendant) are
ever looked at or signalled, so other shmviz instances on the machine are
left alone.

Command line (used by faults.sh):
  faults.py run [--pending SIG] [--at WHEN] [--signal SIG] [--target WHO]
                [--timeout S] [--out FILE] [--err FILE] -- CMD...
    --pending SIG  start CMD with SIG blocked and pending (a signal that
                   arrives during start-up, before any handler exists)
    --at WHEN      delay:S  segment  rss:COMM:KB  proc:COMM  phase:RUN:PHASE,
                   each maybe followed by +S (see wait_for); phase: runs
                   shmviz with stderr on a pseudo-terminal and waits for
                   its progress line to name RUN in PHASE (shmviz has then
                   read the workload's "phase PHASE" line)
    --target WHO   shmviz (default), workload (the run's root), worker
                   (a random process named shmviz-w*), all (shmviz and the
                   workload at once; with SIGKILL both are stopped first),
                   all+guard (the same and shmviz's guard)
  prints "target PID" and "at T" lines, then one line: "exit N", "signal N"
  or "hang"; exit status 0 unless the command hung or WHEN (other than a
  plain delay) never came.
"""

import json
import os
import pty
import random
import signal
import subprocess
import sys
import threading
import time

TAG = os.environ.get("SHMVIZ_TEST_TAG", "")


def tagged(pid):
    """Whether pid carries this test's tag."""
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            env = f.read().split(b"\0")
    except OSError:
        return False
    return ("SHMVIZ_TEST_TAG=" + TAG).encode() in env


def stat_of(pid):
    """(comm, state, ppid) of pid from /proc/PID/stat, or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            s = f.read()
    except OSError:
        return None
    open_, close = s.find(b"("), s.rfind(b")")
    if open_ < 0 or close < 0:
        return None
    rest = s[close + 2:].split()
    return s[open_ + 1:close].decode("utf-8", "replace"), rest[0].decode(), int(rest[1])


def status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status", errors="replace") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def live_tagged():
    """pids of this test's processes that are alive (not zombies)."""
    out = []
    for e in os.listdir("/proc"):
        if not e.isdigit() or int(e) == os.getpid():
            continue
        pid = int(e)
        st = stat_of(pid)
        if st and st[1] not in ("Z", "X") and tagged(pid):
            out.append(pid)
    return out


def procs_named(prefix):
    """Tagged live processes whose name starts with prefix. The native
    workload's program is named shmviz-workload from its exec until it
    names itself (shmviz-shared, ...): no worker, though "shmviz-w" (the
    workers, shmviz-w1, shmviz-w2, ...) begins its name."""
    out = []
    for pid in live_tagged():
        st = stat_of(pid)
        if st and st[0].startswith(prefix) and \
                (st[0] != "shmviz-workload" or prefix.startswith("shmviz-wo")):
            out.append(pid)
    return out


def segments(shm="/dev/shm"):
    try:
        return sorted(n for n in os.listdir(shm) if n.startswith("shmviz-"))
    except OSError:
        return []


# what shmviz wrote on its pseudo-terminal stderr so far (phase: moments)
PROGRESS = {"text": ""}


def reached(when):
    """Whether the moment `when` has come (see the module's text)."""
    kind, _, arg = when.partition(":")
    if kind == "phase":
        run, _, phase = arg.partition(":")
        return f"{run} \u00b7 {phase} \u00b7" in PROGRESS["text"]
    if kind == "segment":
        return bool(segments())
    if kind == "proc":
        return bool(procs_named(arg))
    if kind == "rss":
        comm, _, kb = arg.rpartition(":")
        return any(status_kb(p, "VmRSS") >= int(kb) for p in procs_named(comm))
    raise ValueError(f"unknown moment {when}")


def wait_for(p, when, timeout):
    """Waits until `when` (delay:S, segment, proc:COMM, rss:COMM:KB, any
    of them followed by +S: that many seconds later) or the end of p.
    Returns True when the moment came while p runs."""
    if "+" in when:
        when, _, later = when.rpartition("+")
        return wait_for(p, when, timeout) and wait_for(p, "delay:" + later, timeout)
    if when.startswith("delay:"):
        try:
            p.wait(float(when[6:]))
            return False
        except subprocess.TimeoutExpired:
            return True
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if p.poll() is not None:
            return False
        if reached(when):
            return True
        time.sleep(0.002)
    return False


def workload_root(shmviz_pid):
    # the kernel's list of shmviz's children: one read, where a scan of
    # every process's environ takes long enough on a busy machine for the
    # workload to move on
    try:
        with open(f"/proc/{shmviz_pid}/task/{shmviz_pid}/children") as f:
            kids = [int(k) for k in f.read().split()]
        live = [k for k in kids if (stat_of(k) or ("", "X"))[1] not in ("Z", "X")]
        if len(live) == 1 and tagged(live[0]):
            return live[0]
    except (OSError, ValueError):
        pass
    for pid in live_tagged():
        st = stat_of(pid)
        if st and st[2] == shmviz_pid:
            return pid
    return None


def pick_target(who, shmviz_pid):
    if who == "shmviz":
        return [shmviz_pid]
    if who == "workload":
        w = workload_root(shmviz_pid)
        return [w] if w else []
    if who == "all":
        w = workload_root(shmviz_pid)
        return [shmviz_pid] + ([w] if w else [])
    if who == "all+guard":
        # and the guard, which would otherwise end the tree and unlink
        # the run's segments once shmviz is gone
        w = workload_root(shmviz_pid)
        return [shmviz_pid] + ([w] if w else []) + procs_named("shmviz-guard")
    if who == "worker":
        ws = procs_named("shmviz-w")
        return [random.choice(ws)] if ws else []
    raise ValueError(f"unknown target {who}")


def ended(status):
    """'exit N', 'signal N'."""
    return f"signal {-status}" if status < 0 else f"exit {status}"


def start(cmd, out, err, pending=None):
    def pre():
        # whatever this test was started under (nohup ignores SIGHUP, and
        # shmviz keeps an ignored SIGHUP ignored), shmviz gets the
        # default dispositions a terminal session gives it
        for sig in (signal.SIGHUP, signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        if pending:
            signal.pthread_sigmask(signal.SIG_BLOCK, {pending})
            os.kill(os.getpid(), pending)
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                            stderr=err, preexec_fn=pre)


def start_pty(cmd, out, err, pending=None):
    """start() with stderr on a pseudo-terminal, whose bytes go to err and
    into PROGRESS as they come: shmviz then draws its progress line."""
    master, slave = pty.openpty()
    p = start(cmd, out, slave, pending)
    os.close(slave)

    def drain():
        while True:
            try:
                b = os.read(master, 4096)
            except OSError:
                break
            if not b:
                break
            err.write(b)
            err.flush()
            PROGRESS["text"] += b.decode("utf-8", "replace")
        os.close(master)
    t = threading.Thread(target=drain, daemon=True)
    t.start()
    p.drain = t
    return p


def kill_all_tagged():
    for pid in live_tagged():
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def leftovers(settle=5.0):
    """Tagged processes still alive after up to settle seconds."""
    end = time.monotonic() + settle
    left = live_tagged()
    while left and time.monotonic() < end:
        time.sleep(0.05)
        left = live_tagged()
    return left


def check_recording(path, status):
    """Problems with a recording after a run that ended with status
    ('exit N' / 'signal N'): missing, partial, invalid, or not saying
    what happened. Returns a list of strings, empty when all is well."""
    kind, n = status.split()
    n = int(n)
    problems = []
    if kind == "signal":
        # killed outright: no file is the only right outcome
        if os.path.exists(path):
            problems.append(f"{path} exists after shmviz was killed")
        return problems
    if n == 2 or not os.path.exists(path):
        if n in (0, 1, 129, 130, 143):
            problems.append(f"{path} missing after {status}")
        return problems
    try:
        with open(path, encoding="utf-8", errors="strict") as f:
            d = json.load(f)
    except (ValueError, UnicodeDecodeError) as e:
        return [f"{path} is not valid JSON: {e}"]
    for key in ("shmviz", "host", "config", "runs", "summary", "interrupted"):
        if key not in d:
            problems.append(f"{path} lacks {key}")
    if n >= 128:
        if d.get("interrupted") is not True or d.get("signal") != n - 128:
            problems.append(f"{path}: interrupted={d.get('interrupted')} "
                            f"signal={d.get('signal')} after {status}")
    elif n == 4 and d.get("interrupted") is True and d.get("signal") is None:
        pass  # an error of shmviz's own cut the session short
    elif d.get("interrupted") is not False:
        problems.append(f"{path}: interrupted={d.get('interrupted')} after {status}")
    return problems


def main(argv):
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["run"])
    ap.add_argument("--pending")
    ap.add_argument("--at")
    ap.add_argument("--signal", default="TERM")
    ap.add_argument("--target", default="shmviz")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--out", default=os.devnull)
    ap.add_argument("--err", default=os.devnull)
    ap.add_argument("cmd", nargs="+")
    a = ap.parse_args(argv)
    sig = getattr(signal, "SIG" + a.signal)
    pending = getattr(signal, "SIG" + a.pending) if a.pending else None
    with open(a.out, "wb") as out, open(a.err, "wb") as err:
        t0 = time.monotonic()
        if a.at and "phase:" in a.at:
            p = start_pty(a.cmd, out, err, pending)
        else:
            p = start(a.cmd, out, err, pending)
        came = True
        if a.at:
            came = wait_for(p, a.at, a.timeout)
            if came:
                targets = pick_target(a.target, p.pid)
                if len(targets) > 1 and sig == signal.SIGKILL:
                    # at once: each stopped first, so that none sees
                    # another die (a parent-death signal, a child's exit)
                    # and acts on it before its own SIGKILL
                    for t in targets:
                        os.kill(t, signal.SIGSTOP)
                for t in targets:
                    os.kill(t, sig)
                for t in targets:
                    print(f"target {t}")
                print(f"at {time.monotonic() - t0:.3f}")
        try:
            p.wait(a.timeout)
        except subprocess.TimeoutExpired:
            print("hang")
            kill_all_tagged()
            p.wait()
            return 1
    if hasattr(p, "drain"):
        p.drain.join(5)
    print(ended(p.returncode))
    # a moment of the run that never came is an error; a delay that
    # outlasted the run is not (the run was just quick)
    return 0 if came or (a.at or "").startswith("delay:") else 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
