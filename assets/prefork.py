#!/usr/bin/env python3
"""prefork.py - the pre-fork lesson, run by shmviz (--workload prefork).

A parent loads data once and forks its workers, counting on copy-on-write
to share it (gunicorn's --preload, multiprocessing's fork start method):
each worker only reads the data, again and again, for --read seconds.

  fork    OBJECTS small str objects in a list; reading one changes its
          reference count, written in place in the object's header: the
          kernel copies every page a worker reads
  frozen  the same after gc.freeze() before the fork: the collector no
          longer visits those objects, but every read still writes a
          reference count, so the pages are copied all the same
  numpy   the same strings as one numpy array (fixed-width bytes): one
          object, one reference count; the bytes are only read and stay
          shared
  shm     the same array in a multiprocessing.shared_memory segment
          (/dev/shm/shmviz-PID-0), which fork hands to each worker mapped;
          unlinked as soon as the workers are forked

Phases (docs/protocol.md): build, fork, read, hold. The parent reports
result data_kb (the memory the build added to it, KiB: what a worker
would copy), result sum (the length of every string, read by each worker
in each pass) and result expected (the same, computed without reading).

Exit status: 0 ok; 1 a worker died or read wrong; 2 bad arguments;
4 environment (no numpy, no memory, /dev/shm too small); 128+N killed by
signal N.
"""

import argparse
import gc
import os
import signal
import sys
import time

PREFIX = "prefork string "  # with 10 digits: 25 characters, 80-byte objects
DIGITS = 10
CHUNK = 1 << 16             # strings a numpy worker reads at once


def _load_phases():
    """shmviz_phases.py, the phase protocol's writer shared with the other
    workload, loaded by its path from this file's own directory (-I keeps
    every other directory, the current one included, out of sys.path)."""
    import importlib.util
    path = os.path.join(os.path.dirname(os.path.realpath(__file__)),
                        "shmviz_phases.py")
    try:
        spec = importlib.util.spec_from_file_location("shmviz_phases", path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules["shmviz_phases"] = mod  # so that a Fail unpickles
        spec.loader.exec_module(mod)
    except (OSError, ImportError, SyntaxError) as e:
        print(f"{os.path.basename(__file__)}: cannot load {path}: {e}",
              file=sys.stderr)
        sys.exit(4)
    return mod


_phases = _load_phases()
Fail, Phases = _phases.Fail, _phases.Phases


def resident_kb():
    """This process's resident memory, KiB (/proc/self/statm)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def build_objects(n):
    return [f"{PREFIX}{i:0{DIGITS}d}" for i in range(n)]


def build_array(np, n, out=None, at_peak=None):
    """The same strings as one array of fixed-width bytes; at_peak() is
    called where the build holds the most (the table beside its digits, or
    beside its copy in out), so that shmviz samples that moment instead of
    only bounding it (docs/protocol.md, "Checkpoints")."""
    digits = np.char.zfill(np.arange(n).astype(f"S{DIGITS}"), DIGITS)
    width = len(PREFIX) + DIGITS
    table = np.char.add(PREFIX.encode(), digits).astype(f"S{width}")
    if out is None:
        if at_peak:
            at_peak()
        return table
    del digits
    out[:] = table
    if at_peak:
        at_peak()
    return out


def read_objects(data):
    total = 0
    for s in data:
        total += len(s)
    return total


def read_array(np, data):
    total = 0
    for at in range(0, len(data), CHUNK):
        total += int(np.char.str_len(data[at:at + CHUNK]).sum())
    return total


class Run:
    def __init__(self, args, phases):
        self.args = args
        self.ph = phases
        self.stage = "start"
        self.np = None
        self.segment = None
        self.linked = False
        self.data = None
        self.workers = []    # pids
        self.go = None       # pipe: its end of file starts the reading
        self.ready = None    # pipe: its end of file, every worker waits
        self.release = None  # pipe: its end of file ends the hold
        self.results = None  # pipe: one line a worker

    def phase(self, name):
        self.stage = name
        self.ph.phase(name)

    def create_segment(self, nbytes):
        from multiprocessing import shared_memory
        name = f"shmviz-{os.getpid()}-0"
        try:
            self.segment = shared_memory.SharedMemory(name=name, create=True,
                                                      size=nbytes)
        except OSError as e:
            raise Fail(4, f"cannot create shared memory {name}: {e}")
        self.linked = True
        self.ph.send(f"segment /{name}")
        fd = getattr(self.segment, "_fd", -1)
        if fd >= 0 and hasattr(os, "posix_fallocate"):
            try:
                os.posix_fallocate(fd, 0, nbytes)
            except OSError as e:
                raise Fail(4, f"/dev/shm is too small: the segment needs "
                              f"{nbytes} bytes ({e.strerror})")
        tracker = getattr(self.tracker_module(), "_resource_tracker", None)
        if getattr(tracker, "_pid", None):
            self.ph.send(f"role {tracker._pid} helper")

    @staticmethod
    def tracker_module():
        from multiprocessing import resource_tracker
        return resource_tracker

    def unlink(self):
        if self.linked:
            self.linked = False
            try:
                self.segment.unlink()
            except FileNotFoundError:
                pass
            self.ph.send(f"unlinked /{self.segment.name}")

    def build(self):
        self.phase("build")
        n, variant = self.args.objects, self.args.variant
        before = resident_kb()
        try:
            if variant in ("fork", "frozen"):
                self.data = build_objects(n)
            elif variant == "numpy":
                self.data = build_array(self.np, n, at_peak=self.ph.checkpoint)
            else:
                width = len(PREFIX) + DIGITS
                self.create_segment(n * width)
                view = self.np.ndarray((n,), dtype=f"S{width}",
                                       buffer=self.segment.buf)
                self.data = build_array(self.np, n, view, self.ph.checkpoint)
        except MemoryError:
            raise Fail(4, f"out of memory building {n} strings")
        self.ph.send(f"result data_kb {max(resident_kb() - before, 0)}")
        if variant == "frozen":
            # every object so far into the permanent generation: the
            # collector never visits them again (the fix gunicorn users
            # are told to try)
            gc.freeze()

    def worker(self):
        """A forked worker: wait for the start, read, report, hold."""
        self.ph.fd = -1  # only the parent speaks
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, signal.SIG_DFL)
        os.close(self.go[1])
        os.close(self.release[1])
        os.close(self.results[0])
        os.close(self.ready[0])
        os.close(self.ready[1])  # its end of file: every worker waits
        os.read(self.go[0], 1)  # end of file: every worker is forked
        deadline = time.monotonic() + self.args.read
        passes, wrong = 0, None
        while passes == 0 or time.monotonic() < deadline:
            if self.np is not None and self.args.variant in ("numpy", "shm"):
                total = read_array(self.np, self.data)
            else:
                total = read_objects(self.data)
            if wrong is None and total != expected_total(self.args.objects):
                wrong = total
            passes += 1
        got = total if wrong is None else wrong
        os.write(self.results[1], f"{os.getpid()} {passes} {got}\n".encode())
        os.close(self.results[1])  # the parent reads to the end of file
        os.read(self.release[0], 1)  # the hold: until the parent lets go
        os._exit(0)

    def fork(self):
        self.phase("fork")
        self.go, self.release, self.results = os.pipe(), os.pipe(), os.pipe()
        self.ready = os.pipe()
        for _ in range(self.args.workers):
            pid = os.fork()
            if pid == 0:
                try:
                    self.worker()
                finally:
                    os._exit(1)
            self.workers.append(pid)
            self.ph.send(f"role {pid} worker")
        os.close(self.results[1])
        os.close(self.ready[1])
        os.close(self.go[0])
        os.close(self.release[0])
        self.unlink()  # every worker has the segment mapped: the name can go

    def read(self):
        self.phase("read")
        # the tree at rest, every worker forked and waiting (the end of
        # file of ready: each closed its end before it waits for go):
        # sampled as one moment before any reads, the sharing the decay
        # starts from
        os.read(self.ready[0], 1)
        os.close(self.ready[0])
        self.ph.checkpoint()
        os.close(self.go[1])  # the workers start now
        text = b""
        while True:
            chunk = os.read(self.results[0], 4096)
            if not chunk:
                break
            text += chunk
        lines = text.decode().split("\n")[:-1]
        if len(lines) != len(self.workers):
            raise Fail(1, f"{len(self.workers) - len(lines)} of "
                          f"{len(self.workers)} workers died during read")
        expected = expected_total(self.args.objects)
        for line in lines:
            pid, passes, total = (int(x) for x in line.split())
            if total != expected:
                raise Fail(1, f"worker {pid} read {total} characters, "
                              f"expected {expected}")
        self.ph.send(f"result sum {expected}")
        self.ph.send(f"result expected {expected}")
        self.ph.send(f"result workers {len(self.workers)}")
        print(f"{self.args.variant}: {len(self.workers)} workers read "
              f"{self.args.objects} strings, "
              f"{min(int(x.split()[1]) for x in lines)}+ passes each",
              flush=True)

    def hold(self):
        self.phase("hold")
        self.ph.hold(self.args.hold)
        os.close(self.release[1])
        self.release = None
        for pid in self.workers:
            os.waitpid(pid, 0)
        self.workers = []
        self.ph.send(f"end {time.monotonic():.6f}")

    def run(self):
        if self.args.variant in ("numpy", "shm"):
            try:
                import numpy
            except ImportError:
                raise Fail(4, "the numpy and shm variants need numpy "
                              "(install python3-numpy)")
            self.np = numpy
        self.build()
        self.fork()
        self.read()
        self.hold()

    def cleanup(self):
        """Runs whatever happened: the workers go, the segment goes."""
        for pid in self.workers:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
        self.unlink()
        if self.segment is not None:
            self.data = None  # no view may outlive the mapping
        if self.segment is not None:
            try:
                self.segment.close()
            except BufferError:
                pass


def expected_total(n):
    return n * (len(PREFIX) + DIGITS)


def parse_args(argv):
    p = argparse.ArgumentParser(description="Data loaded once, read by "
                                "fork workers: what stays shared.")
    p.add_argument("--variant", choices=("fork", "frozen", "numpy", "shm"),
                   required=True)
    p.add_argument("--objects", type=int, default=2_000_000)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--read", type=float, default=4.0,
                   help="seconds each worker reads the data")
    p.add_argument("--hold", type=float, default=1.0,
                   help="seconds the workers keep what they hold after")
    args = p.parse_args(argv)
    if (args.objects < 1 or args.objects >= 10 ** DIGITS or
            args.workers < 1 or args.read < 0 or args.hold < 0):
        p.error("--objects and --workers must be positive (objects below "
                "10^10), --read and --hold not negative")
    return args


def main(argv):
    args = parse_args(argv)
    phases = Phases()
    run = Run(args, phases)
    status = _phases.run_main(f"prefork.py ({args.variant})", run, phases)
    sys.stdout.flush()
    sys.stderr.flush()
    # the objects are not freed one by one (run is still referenced here):
    # with the workers gone, each free would write a page the parent
    # shared with them, a fault the counters cannot tell from a copy
    # (docs/recording.md, "The peak's upper end"); the process's end
    # frees them at once
    os._exit(status)


if __name__ == "__main__":
    main(sys.argv[1:])
