"""The stress driver of tests/stress/stress.sh (which runs it in a private
/dev/shm with a test tag; see there).

  stress.py SIGNAL_RUNS WORKER_RUNS DIR [--kill-runs N] [--seed S] [--timeout S]

SIGNAL_RUNS headless runs of shmviz, each with random options, are hit at a
random moment (a fifth of them within the first 20 ms: start-up) by SIGINT,
SIGTERM or SIGKILL, the three in turn from a random one. WORKER_RUNS runs
have a random worker killed with SIGKILL at a random moment. A run that
ended before its signal came, or before a worker could be killed (or whose
worker was already done), hit nothing: it is counted and another run is
started in its place, up to 2 x N + 5 runs in all, so that SIGNAL_RUNS
runs are really interrupted and WORKER_RUNS workers really die. After each
run it counts:

  leaked segments       /dev/shm/shmviz-* left once the run's processes are
                        gone (after SIGKILL of shmviz too: the workload
                        cleans up on its parent's death)
  leaked semaphores     /dev/shm/sem.* left (a Python pool's)
  orphan processes      processes of the run alive 5 s after shmviz ended
  bad record files      a recording missing, partial, invalid JSON, or not
                        saying how the run ended ("interrupted", "signal");
                        a file where shmviz was killed
  temporary files       anything but the recordings left in DIR
  hangs                 a shmviz that did not end within the timeout
  wrong outcomes        an exit status that does not fit what was done, or
                        a worker's death not reported as the failure of its
                        run (naming its pid and signal 9) while every other
                        run succeeded

  runs that hit nothing  beyond the cap: fewer than SIGNAL_RUNS runs
                        interrupted or killed, or fewer than WORKER_RUNS
                        worker deaths reported, or (with 3 signal runs or
                        more) no run ended by its handler with exit 128+N
                        and an interrupted recording

KILL_RUNS (--kill-runs) more runs are killed with SIGKILL once their tree
is up: in turn a --compare run of sh -c "sleep 31 & sleep 31" and, when
/usr/bin/python3 has numpy, a Python run (its pool, its resource tracker,
its semaphores). Nothing of them may remain (shmviz's guard process).

Every count must be 0; the exit status is 0 then, 1 otherwise.
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import faults  # noqa: E402

SHMVIZ = os.environ["SHMVIZ"]
ROWS = [("200k", 200e3), ("1M", 1e6), ("3M", 3e6)]
MODES = {"shared": 1, "copy": 1, "both": 2, "all": 3}


def options(rng, mode=None):
    """Random options, and a rough guess of the run's length in seconds."""
    rows, nrows = rng.choice(ROWS)
    mode = mode or rng.choice(list(MODES))
    workers = rng.randint(1, 3)
    hold = rng.choice([0, 0.2, 0.5])
    interval = rng.choice([10, 20, 50])
    # 24 B a row: fill, transfer to each worker, sum; plus the hold. Scaled
    # by what the runs that went to their end took against their guess.
    guess = MODES[mode] * (hold + 0.03 + nrows * 24 * (workers + 1) / 1.2e9)
    return (["--mode", mode, "-n", rows, "-w", str(workers), "--hold", str(hold),
             "-i", str(interval)], guess * SCALE["factor"])


SCALE = {"factor": 1.0}


def learn(guess, took):
    """A run that went to its end took `took` s where `guess` was said."""
    ratio = min(max(took / (guess / SCALE["factor"]), 0.2), 5.0)
    SCALE["factor"] = 0.8 * SCALE["factor"] + 0.2 * ratio


def settle(counts, what, log):
    """After a run: count leftovers; clean up so that the next run starts
    from nothing."""
    left = faults.leftovers(5.0)
    if left:
        counts["orphan processes"] += len(left)
        log(f"{what}: processes left: {left}")
        faults.kill_all_tagged()
        faults.leftovers(5.0)
    sems = sorted(n for n in os.listdir("/dev/shm") if n.startswith("sem."))
    if sems:
        counts["leaked semaphores"] += len(sems)
        log(f"{what}: semaphores left: {sems}")
        for s in sems:
            try:
                os.unlink("/dev/shm/" + s)
            except OSError:
                pass
    segs = faults.segments()
    if segs:
        counts["leaked segments"] += len(segs)
        log(f"{what}: segments left: {segs}")
        for s in segs:
            try:
                os.unlink("/dev/shm/" + s)
            except OSError:
                pass


def check_dir(counts, d, what, log):
    extra = [n for n in os.listdir(d) if not (n.startswith("r-") and n.endswith(".json"))]
    if extra:
        counts["temporary files"] += len(extra)
        log(f"{what}: left in {d}: {extra}")
        for n in extra:
            os.unlink(os.path.join(d, n))


def run_once(cmd, timeout):
    """Starts cmd, its stderr piped; returns (popen, stdout file)."""
    out = open(os.devnull, "wb")
    return faults.start(cmd, out, subprocess.PIPE), out


def finish(p, timeout, counts, what, log):
    try:
        _, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        counts["hangs"] += 1
        log(f"{what}: hung")
        faults.kill_all_tagged()
        p.communicate()
        return None, b""
    return faults.ended(p.returncode), err


SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL]


def signal_run(i, rng, d, timeout, counts, stats, log, first):
    sig = SIGNALS[(first + i) % len(SIGNALS)]
    opts, guess = options(rng)
    path = os.path.join(d, f"r-s{i}.json")
    what = f"signal run {i} ({sig.name} {' '.join(opts)})"
    delay = rng.uniform(0, 0.02) if rng.random() < 0.2 else rng.uniform(0, guess)
    t0 = time.monotonic()
    p, out = run_once([SHMVIZ, "--record", path] + opts, timeout)
    try:
        p.wait(delay)
    except subprocess.TimeoutExpired:
        os.kill(p.pid, sig)
    status, err = finish(p, timeout, counts, what, log)
    if status == "exit 0":
        learn(guess, time.monotonic() - t0)
    out.close()
    stats[sig.name] += 1
    if status is not None:
        num = int(sig)
        if status == f"exit {128 + num}":
            stats["interrupted"] += 1
            stats["signal hits"] += 1
        elif status == "exit 0":
            stats["finished before the signal"] += 1
        elif status == f"signal {num}":
            # SIGKILL; or, for another signal, its default action before
            # main() blocked it: right only if nothing at all was made
            # (check_recording: no file)
            if sig != signal.SIGKILL:
                stats["killed before handlers"] += 1
            else:
                stats["killed"] += 1
            stats["signal hits"] += 1
        else:
            counts["wrong outcomes"] += 1
            log(f"{what}: {status}: {err.decode(errors='replace')}")
        problems = faults.check_recording(path, status)
        if problems:
            counts["bad record files"] += 1
            log(f"{what}: {problems}")
    settle(counts, what, log)
    check_dir(counts, d, what, log)
    if os.path.exists(path):
        os.unlink(path)


def worker_run(i, rng, d, timeout, counts, stats, log):
    opts, guess = options(rng, rng.choice(["both", "all"]))
    path = os.path.join(d, f"r-w{i}.json")
    what = f"worker run {i} ({' '.join(opts)})"
    t0 = time.monotonic()
    p, out = run_once([SHMVIZ, "--record", path] + opts, timeout)
    victim = None
    end = time.monotonic() + rng.uniform(0, guess)
    # a random moment, then the first moment some worker exists after it
    while p.poll() is None and victim is None:
        if time.monotonic() >= end:
            ws = faults.procs_named("shmviz-w")
            if ws:
                victim = rng.choice(ws)
                try:
                    os.kill(victim, signal.SIGKILL)
                except OSError:
                    victim = None
        time.sleep(0.001)
    status, err = finish(p, timeout, counts, what, log)
    out.close()
    if status is not None:
        problems = faults.check_recording(path, status)
        if problems:
            counts["bad record files"] += 1
            log(f"{what}: {problems}")
        elif victim is None:
            stats["no worker to kill"] += 1
            learn(guess, time.monotonic() - t0)
        else:
            judge_worker_run(path, status, victim, counts, stats, what, log)
    settle(counts, what, log)
    check_dir(counts, d, what, log)
    if os.path.exists(path):
        os.unlink(path)


def have_numpy():
    return subprocess.call(["/usr/bin/python3", "-c", "import numpy"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0 \
        if os.path.exists("/usr/bin/python3") else False


def kill_run(i, rng, d, timeout, counts, stats, log, python):
    """SIGKILL of shmviz once a --compare or Python tree is up."""
    path = os.path.join(d, f"r-k{i}.json")
    if python and i % 2:
        opts = ["--workload", "python", "-n", "100k", "-w", str(rng.randint(1, 2)),
                "--hold", "30"]
        # the parent, its workers and the resource tracker
        want, name = 2 + int(opts[5]), "python3"
    else:
        opts = ["--compare", 'sh -c "sleep 31 & sleep 31"', "true"]
        want, name = 2, "sleep"
    what = f"kill run {i} ({' '.join(opts)})"
    p, out = run_once([SHMVIZ, "--record", path] + opts, timeout)
    end = time.monotonic() + 60
    while p.poll() is None and time.monotonic() < end and \
            len(faults.procs_named(name)) < want:
        time.sleep(0.01)
    time.sleep(rng.uniform(0, 0.3))
    if p.poll() is None:
        os.kill(p.pid, signal.SIGKILL)
    status, err = finish(p, timeout, counts, what, log)
    out.close()
    if status == "signal 9":
        stats["kill hits"] += 1
    elif status is not None:
        counts["wrong outcomes"] += 1
        log(f"{what}: {status}: {err.decode(errors='replace')}")
    settle(counts, what, log)
    check_dir(counts, d, what, log)
    if os.path.exists(path):
        os.unlink(path)


def judge_worker_run(path, status, victim, counts, stats, what, log):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    runs = d["runs"]
    named = [r for r in runs if f"(pid {victim})" in (r["cause"] or "")]
    others_ok = all(r["ok"] for r in runs if r not in named)
    if status == "exit 1" and len(named) == 1 and others_ok and \
            "killed by signal 9" in named[0]["cause"]:
        stats["failed naming the worker"] += 1
        stats["worker deaths"] += 1
    elif status == "exit 0" and all(r["ok"] for r in runs):
        # the worker had finished its work and was exiting (or a zombie)
        stats["worker already done"] += 1
    else:
        counts["wrong outcomes"] += 1
        log(f"{what}: {status}, victim {victim}: " +
            "; ".join(f"{r['name']} ok={r['ok']} cause={r['cause']!r}" for r in runs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("signal_runs", type=int)
    ap.add_argument("worker_runs", type=int)
    ap.add_argument("dir")
    ap.add_argument("--kill-runs", type=int, default=0)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=120)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int.from_bytes(os.urandom(4), "little")
    rng = random.Random(seed)
    counts = dict.fromkeys(["leaked segments", "leaked semaphores", "orphan processes",
                            "bad record files",
                            "temporary files", "hangs", "wrong outcomes",
                            "runs that hit nothing"], 0)
    stats = dict.fromkeys(["SIGINT", "SIGTERM", "SIGKILL", "interrupted", "killed",
                           "finished before the signal", "killed before handlers",
                           "failed naming the worker", "worker already done",
                           "no worker to kill", "signal hits", "worker deaths",
                           "kill hits"], 0)

    def log(msg):
        print(f"  {msg}", flush=True)

    print(f"stress: seed {seed}, {a.signal_runs} signal runs, {a.worker_runs} worker runs",
          flush=True)
    t0 = time.monotonic()
    # a run that hit nothing is replaced by another, up to a cap
    first = rng.randrange(len(SIGNALS))
    started = 0
    while stats["signal hits"] < a.signal_runs and started < 2 * a.signal_runs + 5:
        signal_run(started, rng, a.dir, a.timeout, counts, stats, log, first)
        started += 1
    wstarted = 0
    while stats["worker deaths"] < a.worker_runs and wstarted < 2 * a.worker_runs + 5:
        worker_run(wstarted, rng, a.dir, a.timeout, counts, stats, log)
        wstarted += 1
    python = have_numpy()
    kstarted = 0
    while stats["kill hits"] < a.kill_runs and kstarted < 2 * a.kill_runs + 5:
        kill_run(kstarted, rng, a.dir, a.timeout, counts, stats, log, python)
        kstarted += 1
    print(f"signal runs: {started} started for {a.signal_runs} (SIGINT {stats['SIGINT']}, "
          f"SIGTERM {stats['SIGTERM']}, SIGKILL {stats['SIGKILL']}): exited 128+N with the "
          f"recording interrupted {stats['interrupted']}, killed by SIGKILL "
          f"{stats['killed']}, killed before its handlers existed "
          f"{stats['killed before handlers']}; finished before the signal "
          f"{stats['finished before the signal']} (started again)")
    print(f"worker runs: {wstarted} started for {a.worker_runs}: failed naming the worker "
          f"{stats['failed naming the worker']}; worker already done "
          f"{stats['worker already done']}, no worker to kill {stats['no worker to kill']} "
          f"(started again)")
    if stats["signal hits"] < a.signal_runs:
        counts["runs that hit nothing"] += a.signal_runs - stats["signal hits"]
        log(f"only {stats['signal hits']} of {a.signal_runs} signal runs were interrupted "
            f"or killed in {started} runs")
    if a.signal_runs >= 3 and stats["interrupted"] == 0:
        counts["runs that hit nothing"] += 1
        log("no signal run ended through shmviz's handler (exit 128+N, recording "
            "interrupted)")
    if a.kill_runs:
        print(f"kill runs: {kstarted} started for {a.kill_runs} (--compare"
              f"{' and Python' if python else ''}): killed {stats['kill hits']}")
    if stats["kill hits"] < a.kill_runs:
        counts["runs that hit nothing"] += a.kill_runs - stats["kill hits"]
        log(f"only {stats['kill hits']} of {a.kill_runs} kill runs were killed")
    if stats["worker deaths"] < a.worker_runs:
        counts["runs that hit nothing"] += a.worker_runs - stats["worker deaths"]
        log(f"only {stats['worker deaths']} of {a.worker_runs} worker runs had a worker "
            f"killed and reported in {wstarted} runs")
    for k, v in counts.items():
        print(f"{k}: {v}")
    print(f"time: {time.monotonic() - t0:.0f} s")
    return 1 if any(counts.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
