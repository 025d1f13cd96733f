"""tree.py - a process tree for the --attach tests, not shmviz's child.

  tree.py LOG GO HOLD

The root forks c1 (which lives until the file GO appears, or HOLD s), then
c2, which forks gc (the same). Every fork, exit and caught signal goes to
LOG as "WHAT PID CLOCK_MONOTONIC"; "ready" once all four are up. Every
catchable signal is noted, not obeyed: a test sees any signal the tree got.
Exit status 0 when both children ended with 0.
"""
import os, signal, sys, time
log_path, go, hold = sys.argv[1], sys.argv[2], float(sys.argv[3])
def log(*a):
    with open(log_path, "a") as f:
        f.write(" ".join(str(x) for x in a) + " %.6f\n" % time.monotonic())
def noted(signum, frame):
    log("signal", os.getpid(), signum)
for s in set(signal.Signals) - {signal.SIGKILL, signal.SIGSTOP, signal.SIGCHLD}:
    try:
        signal.signal(s, noted)
    except (OSError, ValueError):
        pass
def wait_go():
    end = time.monotonic() + hold
    while time.monotonic() < end and not os.path.exists(go):
        time.sleep(0.02)
log("root", os.getpid())
c1 = os.fork()
if c1 == 0:
    wait_go(); os._exit(0)
log("c1", c1)
time.sleep(0.3)
c2 = os.fork()
if c2 == 0:
    gc = os.fork()
    if gc == 0:
        wait_go(); os._exit(0)
    log("gc", gc)
    os.waitpid(gc, 0)
    os._exit(0)
log("c2", c2)
time.sleep(0.3)
log("ready", 0)
_, st = os.waitpid(c1, 0)
log("c1exit", c1)
_, st2 = os.waitpid(c2, 0)
time.sleep(0.3)
sys.exit(0 if st == 0 and st2 == 0 else 1)
