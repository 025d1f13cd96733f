#!/usr/bin/env python3
"""experiment.py - the original Python experiment, run by shmviz.

A numpy record array of ROWS rows, each a datetime64 timestamp, a float64
that alternates 1.0 and NaN, and a Python string object (24 bytes a row),
is handed to the WORKERS processes of a ProcessPoolExecutor, each of which
takes numpy's nansum of the float column:

  shared  the table is copied into one multiprocessing.shared_memory
          segment; every worker attaches to it by name and sums in place
  copy    the table itself is the argument of every worker's task, so it
          is pickled into each worker, which unpickles its own copy; with
          --start-method fork the table is built before the pool, and each
          forked worker uses the parent's table, inherited copy-on-write
          (the idiom of a global read by fork's workers): nothing is
          pickled, and the pages stay shared until written

tracemalloc, as in the original write-up, measures the parent's Python heap
from the hand-out of the table on; its peak goes to shmviz as the result
tracemalloc_peak_kb, to be shown beside the tree's ΣPSS: it never sees the
workers, nor the shared segment, so it says "0.33 megabytes" of a run whose tree
holds the whole table.

Phases (the same as shmviz's native workloads): spawn, fill, attach (shared)
or transfer (copy), compute, hold, exit. They go to shmviz through the
phase protocol (docs/protocol.md) on the descriptor named by
SHMVIZ_PHASE_FD; run by hand, without it, the program just prints.

Things this program is careful about:
  - The pool uses the start method --start-method names (default "spawn":
    workers are fresh interpreters that inherit none of the parent's
    memory, so what each holds is what it was handed; "forkserver" too;
    "fork" workers share the parent's pages until one writes them).
  - Object pointers mean nothing in another process: the shared segment
    holds the string column as 8 fixed bytes (numpy "S8"), the layout of
    shmviz's native records; the copy variant pickles the objects.
  - The segment is unlinked once, by its creator, as soon as every worker
    has attached, and in any case (a dead worker, an exception, SIGTERM)
    before this program exits; a worker never registers it with the
    resource tracker, which would otherwise warn about "leaked
    shared_memory objects" or unlink it a second time.
  - Every round of tasks passes a barrier of WORKERS parties, so each
    worker takes exactly one task of each round.

Exit status: 0 ok; 1 a worker died or summed wrong; 2 bad arguments;
4 environment (no memory, /dev/shm too small); 128+N killed by signal N.
"""

import argparse
import os
import signal
import sys
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
import multiprocessing
from multiprocessing import forkserver, resource_tracker, shared_memory

import numpy as np

# The table as numpy builds it, and its layout inside the shared segment.
ROW = np.dtype([("date", "M8[ns]"), ("val", "f8"), ("label", "O")])
SHARED_ROW = np.dtype([("date", "M8[ns]"), ("val", "f8"), ("label", "S8")])


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


# ---- worker side: module-level functions, so that tasks pickle by name ----

_barrier = None
_segment = None
_table = None
_inherited = None  # copy with fork: the parent's table, inherited


def _worker_init(barrier, phase_fd):
    global _barrier
    _barrier = barrier
    if phase_fd >= 0:
        # a forked worker inherits the phase pipe: only the parent speaks
        try:
            os.close(phase_fd)
        except OSError:
            pass


def _attach_untracked(name):
    """Opens an existing segment without registering it with the resource
    tracker: the creator owns it (Python 3.13 has track=False; before it,
    every attach registers, which ends in a warning or a double unlink)."""
    try:
        return shared_memory.SharedMemory(name=name, track=False)
    except TypeError:
        pass
    register = resource_tracker.register
    resource_tracker.register = lambda *args, **kwargs: None
    try:
        return shared_memory.SharedMemory(name=name)
    finally:
        resource_tracker.register = register


def task_hello():
    index = _barrier.wait()
    return os.getpid(), index


def task_attach(name, rows):
    global _segment, _table
    _segment = _attach_untracked(name)
    _table = np.ndarray((rows,), dtype=SHARED_ROW, buffer=_segment.buf)
    _barrier.wait()
    return os.getpid()


def task_receive(table):
    global _table
    _table = table  # unpickled: this worker's own copy
    _barrier.wait()
    return os.getpid()


def task_inherit():
    global _table
    _table = _inherited  # fork: the parent's pages, shared until written
    _barrier.wait()
    return os.getpid()


def task_compute():
    cpu = time.thread_time()
    total = float(np.nansum(_table["val"]))
    cpu = time.thread_time() - cpu
    _barrier.wait()
    return os.getpid(), total, cpu


def task_release():
    global _segment, _table
    _table = None  # no view may outlive the mapping
    if _segment is not None:
        _segment.close()
        _segment = None
    _barrier.wait()
    return os.getpid()


# ---- parent side ----

def build_table(rows):
    """The table of the write-up, built the numpy way."""
    table = np.recarray((rows,), dtype=ROW)
    start = np.datetime64(time.time_ns(), "ns")
    table.date = start + np.arange(rows, dtype=np.int64).astype("m8[us]")
    table.val[0::2] = 1.0
    table.val[1::2] = np.nan
    table.label[0::2] = "string"
    table.label[1::2] = "abc"
    return table


def expected_sum(rows):
    return float((rows + 1) // 2)


class Run:
    def __init__(self, args, phases):
        self.args = args
        self.ph = phases
        self.stage = "start"
        self.pool = None
        self.workers = {}       # pid -> worker number from 1
        self.processes = {}     # pid -> multiprocessing.Process
        self.segment = None
        self.linked = False
        self.shared = None      # the parent's view of the segment

    def phase(self, name):
        self.stage = name
        self.ph.phase(name)

    def each_worker(self, fn, *args):
        """One task a worker; returns the results, or raises Fail."""
        try:
            futures = [self.pool.submit(fn, *args)
                       for _ in range(self.args.workers)]
            return [f.result() for f in futures]
        except BrokenProcessPool as e:
            raise Fail(1, self.dead_worker() or
                       f"a worker died during {self.stage} ({e})")
        except MemoryError:
            raise Fail(4, f"out of memory during {self.stage}")

    def dead_worker(self):
        """Names the worker whose death broke the pool, if it can."""
        deadline = time.monotonic() + 2
        died = []
        while not died and time.monotonic() < deadline:
            # the pool's own thread may be reaping too: an exit code can
            # read as None for a moment
            died = [(pid, proc.exitcode) for pid, proc in self.processes.items()
                    if proc.exitcode not in (None, 0)]
            if not died:
                time.sleep(0.05)
        # the pool ends the survivors with SIGTERM: name another death first
        died.sort(key=lambda d: d[1] == -signal.SIGTERM)
        for pid, code in died[:1]:
            num = self.workers.get(pid, "?")
            if code < 0:
                sig = -code
                try:
                    name = signal.Signals(sig).name
                except ValueError:
                    name = "a signal"
                how = f"was killed by signal {sig} ({name})"
            else:
                how = f"exited with status {code}"
            return f"worker {num} (pid {pid}) {how} during {self.stage}"
        return None

    def spawn(self):
        self.phase("spawn")
        method = self.args.start_method
        ctx = multiprocessing.get_context(method)
        barrier = ctx.Barrier(self.args.workers)
        self.pool = ProcessPoolExecutor(
            self.args.workers, mp_context=ctx, initializer=_worker_init,
            initargs=(barrier, self.ph.fd if method == "fork" else -1))
        for pid, index in self.each_worker(task_hello):
            self.workers[pid] = index + 1
            self.ph.send(f"role {pid} worker")
        # the pool's processes, to name a dead one (a private attribute)
        self.processes = dict(getattr(self.pool, "_processes", None) or {})
        tracker = getattr(getattr(resource_tracker, "_resource_tracker", None),
                          "_pid", None)
        if tracker:
            self.ph.send(f"role {tracker} helper")
        server = getattr(getattr(forkserver, "_forkserver", None),
                         "_forkserver_pid", None)
        if method == "forkserver" and server:
            self.ph.send(f"role {server} helper")

    def create_segment(self, nbytes):
        name = f"shmviz-{os.getpid()}-0"
        try:
            self.segment = shared_memory.SharedMemory(name=name, create=True,
                                                      size=nbytes)
        except OSError as e:
            raise Fail(4, f"cannot create shared memory {name}: {e}")
        self.linked = True
        self.ph.send(f"segment /{name}")
        # reserve every page now: a full /dev/shm must be an error here,
        # not a SIGBUS at the first write
        fd = getattr(self.segment, "_fd", -1)
        if fd >= 0 and hasattr(os, "posix_fallocate"):
            try:
                os.posix_fallocate(fd, 0, nbytes)
            except OSError as e:
                raise Fail(4, f"/dev/shm is too small: the segment needs "
                              f"{nbytes} bytes ({e.strerror})")

    def unlink(self):
        if self.linked:
            self.linked = False
            try:
                self.segment.unlink()
            except FileNotFoundError:
                pass
            self.ph.send(f"unlinked /{self.segment.name}")

    def fill(self):
        self.phase("fill")
        rows = self.args.rows
        try:
            table = build_table(rows)
            if self.args.mode == "copy":
                return table
            self.create_segment(rows * SHARED_ROW.itemsize)
            self.shared = np.ndarray((rows,), dtype=SHARED_ROW,
                                     buffer=self.segment.buf)
            self.shared["date"] = table["date"]
            self.shared["val"] = table["val"]
            self.shared["label"] = table["label"].astype("S8")
            return None  # the private table is done with
        except MemoryError:
            raise Fail(4, f"out of memory building {rows} rows")

    def run(self):
        args = self.args
        expected = expected_sum(args.rows)
        started = time.monotonic()
        inherit = args.mode == "copy" and args.start_method == "fork"
        if inherit:
            # the table first: fork's workers are born with it
            global _inherited
            _inherited = self.fill()
            self.spawn()
        else:
            self.spawn()
            table = self.fill()
        # what the original measured: the parent's Python heap from here on
        tracemalloc.start()
        if inherit:
            self.each_worker(task_inherit)
        elif args.mode == "shared":
            self.phase("attach")
            self.each_worker(task_attach, self.segment.name, args.rows)
            self.unlink()  # every worker has it mapped: the name can go
        else:
            self.phase("transfer")
            self.each_worker(task_receive, table)
        self.phase("compute")
        results = self.each_worker(task_compute)
        cpu = 0.0
        for pid, total, used in results:
            if total != expected:
                raise Fail(1, f"worker {self.workers.get(pid, '?')} (pid {pid}) "
                              f"summed {total!r}, expected {expected!r}")
            cpu = max(cpu, used)
        self.ph.send(f"result sum {results[0][1]!r}")
        self.ph.send(f"result expected {expected!r}")
        self.ph.send(f"result compute_cpu_s {cpu:.6f}")
        self.ph.send(f"result workers {args.workers}")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.ph.send(f"result tracemalloc_peak_kb {peak / 1024:.3f}")
        self.phase("hold")
        self.ph.hold(args.hold)
        self.phase("exit")
        self.each_worker(task_release)
        self.pool.shutdown(wait=True)
        self.pool = None
        self.ph.end()
        print(f"{args.mode}: {args.workers} workers each summed {args.rows} "
              f"rows to {results[0][1]!r} in {time.monotonic() - started:.2f} s",
              flush=True)

    def cleanup(self):
        """Runs whatever happened: the segment goes, the workers go."""
        self.unlink()
        if self.pool is not None:
            # a task's pickle may be stuck half-written in the pipe of a dead
            # worker: the pool must not wait for it at exit (a private
            # attribute, looked up with care)
            queue = getattr(self.pool, "_call_queue", None)
            if queue is not None and hasattr(queue, "cancel_join_thread"):
                queue.cancel_join_thread()
            self.pool.shutdown(wait=False, cancel_futures=True)
            for proc in self.processes.values():
                if proc.exitcode is None:
                    proc.kill()
            self.pool = None
        self.shared = None  # no view may outlive the mapping
        if self.segment is not None:
            try:
                self.segment.close()
            except BufferError:
                pass


def parse_args(argv):
    p = argparse.ArgumentParser(description="The shared-memory experiment "
                                "with numpy and a process pool.")
    p.add_argument("--mode", choices=("shared", "copy"), required=True)
    p.add_argument("--rows", type=int, default=10_000_000)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--start-method", choices=("fork", "spawn", "forkserver"),
                   default="spawn", help="the pool's start method")
    p.add_argument("--hold", type=float, default=1.0,
                   help="seconds the workers keep the table after computing")
    args = p.parse_args(argv)
    if args.rows < 1 or args.workers < 1 or args.hold < 0:
        p.error("--rows and --workers must be positive, --hold not negative")
    return args


def main(argv):
    args = parse_args(argv)
    phases = Phases()
    return _phases.run_main(f"experiment.py ({args.mode})", Run(args, phases), phases)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
