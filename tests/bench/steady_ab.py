#!/usr/bin/env python3
"""steady_ab.py BINARY... - the steady state of two or more builds at once.

Runs every binary at the same time on bench.py's steady workload (--mode
shared -w 4 -n 10M: 5 processes x 240 MB, -i 20, a hold of H s, default 24)
and prints each shmviz's own CPU (/proc/PID/schedstat) from 6 s to H s, R
rounds (default 3), and each recording's look-for-members figures
(sampler.scans, scan_cpu_s). On a shared, loaded machine the builds see
the same load, so their difference means more than either figure alone.
Not a test: a benchmark (tests/bench/RESULTS.md)."""
import json, os, subprocess, sys, tempfile, time

H = float(os.environ.get("H", "24"))
ROUNDS = int(os.environ.get("R", "3"))


def cpu_s(pid):
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0]) / 1e9


def main():
    bins = sys.argv[1:]
    if not bins:
        sys.exit(__doc__)
    res = {b: [] for b in bins}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(ROUNDS):
            ps = [subprocess.Popen([b, "--record", os.path.join(tmp, f"{i}.json"),
                                    "--mode", "shared", "-w", "4", "-n", "10M",
                                    "--hold", str(H), "-i", "20", "-q"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                  for i, b in enumerate(bins)]
            time.sleep(6)
            c0, t0 = [cpu_s(p.pid) for p in ps], time.monotonic()
            time.sleep(H - 4)
            c1, t1 = [cpu_s(p.pid) for p in ps], time.monotonic()
            for p in ps:
                p.wait()
            line = []
            for i, b in enumerate(bins):
                res[b].append(100 * (c1[i] - c0[i]) / (t1 - t0))
                with open(os.path.join(tmp, f"{i}.json")) as f:
                    s = json.load(f)["sampler"]
                line.append(f"{b}: {res[b][-1]:.2f}% (scans {s['scans']}, "
                            f"{1e3 * s['scan_cpu_s']:.0f} ms)")
            print(f"round {k}: " + "; ".join(line), flush=True)
    for b in bins:
        v = sorted(res[b])
        print(f"{b}: median {v[len(v) // 2]:.2f}% of a core")


main()
