"""shmviz_phases.py - what shmviz's Python workloads share: the phase
protocol's writer (docs/protocol.md), the failure with its exit status, and
the main loop's signal and clean-up handling.

experiment.py and prefork.py load this file from their own directory by its
path (they run with python3 -I, so neither the current directory nor the
script's directory is on sys.path: nothing is imported from where shmviz was
started).
"""

import os
import select
import signal
import sys
import time

# the longest a hold waits for shmviz's sample of it, s
HOLD_WAIT_S = 5.0


class Fail(Exception):
    """A failure with the exit status it deserves."""

    def __init__(self, status, text):
        super().__init__(text)
        self.status = status


class Phases:
    """The phase protocol's writer: one line a message, one write each."""

    def __init__(self):
        self.fd = -1
        self.ack = -1
        self.sent = self.got = 0  # checkpoints asked, answers read
        # --lesson: the tree is stopped and shown as each phase ends, so
        # each phase is sampled as it ends, before the line that ends it
        self.lesson = os.environ.pop("SHMVIZ_LESSON", None) == "1"
        value = os.environ.pop("SHMVIZ_PHASE_FD", None)
        ack = os.environ.pop("SHMVIZ_ACK_FD", None)
        if value is None:
            return
        try:
            fd = int(value)
            os.fstat(fd)
            os.set_inheritable(fd, False)  # workers must not hold it
            self.fd = fd
        except (ValueError, OSError):
            self.fd = -1
        try:
            self.ack = int(ack) if ack is not None else -1
            if self.ack >= 0:
                os.fstat(self.ack)
                os.set_inheritable(self.ack, False)
        except (ValueError, OSError):
            self.ack = -1

    def checkpoint(self, wait_s=1.0):
        """Asks shmviz to sample the tree now and waits for its answer,
        at most wait_s (docs/protocol.md, "Checkpoints")."""
        if self.fd < 0 or self.ack < 0:
            return
        self.send("checkpoint")
        self.sent += 1
        # the answers come in order: an earlier one whose wait ran out
        # (while the tree stood still) is read first, this one waited for
        until = time.monotonic() + wait_s
        # poll(2), as the native workloads: a stop (SIGSTOP) restarts it
        # to its first deadline, where select(2) would wait its whole
        # time left again
        p = select.poll()
        p.register(self.ack, select.POLLIN)
        try:
            while self.got != self.sent:
                left = until - time.monotonic()
                if left <= 0:
                    return
                if not p.poll(int(left * 1000) + 1):
                    if self.lesson and time.monotonic() - until > 0.1:
                        # the wait ran out while the tree stood still (a
                        # lesson stop, the only stop shmviz makes): it
                        # waits its time again; without a lesson a late
                        # wake is a starved process: the wait is over (a
                        # hold lasts HOLD_WAIT_S at most)
                        until = time.monotonic() + wait_s
                        continue
                    return
                if not os.read(self.ack, 1):
                    self.ack = -1  # shmviz is gone
                    return
                self.got += 1
        except OSError:
            self.ack = -1

    def hold(self, seconds):
        """The hold: every worker holds its data; asks to be sampled and
        holds until the answer came (HOLD_WAIT_S at most), at least
        seconds (0 too: the hold then ends with the answer), so that a
        shmviz starved on a loaded machine does not miss the peak
        (docs/protocol.md, "Checkpoints")."""
        until = time.monotonic() + seconds
        self.checkpoint(max(seconds, HOLD_WAIT_S))
        if self.lesson:
            # the tree may have been stopped in that wait (the stop on
            # the phase before): the hold counts from its answer
            until = time.monotonic() + seconds
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return
            # --lesson: a stop of the tree is no part of the hold, which
            # shmviz's timeline leaves out too: slices of 50 ms, and a
            # wake more than 0.1 s late adds the lateness
            step = min(left, 0.05) if self.lesson else left
            t0 = time.monotonic()
            time.sleep(step)
            late = time.monotonic() - t0 - step
            if self.lesson and late > 0.1:
                until += late

    def send(self, line):
        if self.fd < 0:
            return
        try:
            os.write(self.fd, (line + "\n").encode("utf-8", "replace"))
        except OSError:
            self.fd = -1  # shmviz is gone; carry on without it

    def phase(self, name):
        if self.lesson:
            self.checkpoint()
        self.send(f"phase {name} {time.monotonic():.6f}")

    def end(self):
        if self.lesson:
            self.checkpoint()
        self.send(f"end {time.monotonic():.6f}")


def on_signal(signum, frame):
    raise Fail(128 + signum, f"stopped by signal {signum}")


def run_main(name, run, phases):
    """Runs run.run() with SIGTERM, SIGHUP and SIGINT turned into a Fail,
    always runs run.cleanup() (no signal may cut it short), tells shmviz
    of a failure and returns the exit status."""
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, on_signal)
    try:
        run.run()
        return 0
    except Fail as e:
        status, text = e.status, str(e)
    except Exception as e:  # a bug or a surprise: say what it was
        status, text = 1, f"{type(e).__name__} during {run.stage}: {e}"
    finally:
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        run.cleanup()
    if status < 128:
        phases.send(f"fail {text}")
    signal.alarm(10)  # the interpreter's own exit must not hang either
    print(f"{name}: {text}", file=sys.stderr, flush=True)
    return status
