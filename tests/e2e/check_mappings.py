#!/usr/bin/env python3
"""Checks the mappings groups of a recording made with --mappings
(docs/recording.md, "Mappings").

  check_mappings.py FILE segment RUN W [only]   the shared run RUN of W
      workers: in every snapshot of its hold, exactly one group of the
      segment /dev/shm/shmviz-* (with only: and no other shm group), mapped by W+1 processes, each with Shared_Dirty = the
      segment (whole pages), and their PSS adding up to the segment within
      a page a process
  check_mappings.py FILE noshm RUN       no process of RUN maps a segment
  check_mappings.py FILE libs RUN        every worker of RUN, in every
      snapshot of its hold, maps a shared library (a .so) whose pages are
      partly Shared_Clean

Every mode also checks each snapshot's run groups against its processes'
groups: the same sums, and processes = the processes that map the group.
"""
import json
import math
import sys


def fail(msg):
    print("check_mappings: " + msg, file=sys.stderr)
    sys.exit(1)


FIGS = ["rss_kb", "pss_kb", "shared_clean_kb", "shared_dirty_kb",
        "private_clean_kb", "private_dirty_kb", "swap_kb"]


def key(g):
    # a large anonymous mapping is a group of its own, by its range; a
    # POSIX segment is one object whether a read found it unlinked or not
    # (its program unlinks it while the processes are read)
    return (g["kind"], g["path"], g["deleted"] if g["kind"] != "shm" else None, g.get("addr"))


def check_sums(run, snap):
    per = {}
    for p in snap["procs"]:
        seen = set()
        for g in p["groups"]:
            k = key(g)
            if k in seen:
                fail(f"{run}: pid {p['pid']} has group {k} twice")
            seen.add(k)
            s = per.setdefault(k, {"processes": 0, "mappings": 0})
            s["processes"] += 1
            s["mappings"] += g["mappings"]
            s["deleted"] = s.get("deleted", False) or g["deleted"]
            for f in FIGS:
                if g[f] is not None:
                    s[f] = s.get(f, 0) + g[f]
    got = {key(g): g for g in snap["groups"]}
    if set(got) != set(per):
        fail(f"{run} at {snap['t']:.3f}: run groups {len(got)} != groups of the processes {len(per)}")
    for k, s in per.items():
        for f in ["processes", "mappings", "deleted"] + FIGS:
            if got[k][f] != s.get(f):
                fail(f"{run} at {snap['t']:.3f}: {k} {f} {got[k][f]} != sum {s.get(f)}")
    pss = [g["pss_kb"] for g in snap["groups"] if g["pss_kb"] is not None]
    if pss != sorted(pss, reverse=True):
        fail(f"{run}: run groups not sorted by PSS")


def main():
    path, mode, name = sys.argv[1], sys.argv[2], sys.argv[3]
    rec = json.load(open(path))
    page_kb = rec["host"]["page_size"] // 1024
    runs = [r for r in rec["runs"] if r["name"] == name]
    if len(runs) != 1:
        fail(f"no run {name}")
    run = runs[0]
    snaps = run.get("mappings")
    if not snaps:
        fail(f"{name}: no mappings snapshot")
    for s in snaps:
        check_sums(name, s)
    print(f"# {name}: {len(snaps)} snapshots, phases {[s['phase'] for s in snaps]}")
    # the snapshots whose reads all fell inside the hold (its times are the
    # workload's own stamps): one taken as the hold ended mixes moments
    ph = [p for p in run["phases"] if p["name"] == "hold"]
    if not ph:
        fail(f"{name}: no hold phase")
    h0, h1 = ph[0]["start_s"], ph[0]["end_s"]
    for s in snaps:
        if s["t_end"] < s["t"]:
            fail(f"{name}: a snapshot ends ({s['t_end']}) before it starts ({s['t']})")
    hold = [s for s in snaps if s["phase"] == "hold" and s["t"] >= h0 and
            (h1 is None or s["t_end"] <= h1)]
    if not hold:
        fail(f"{name}: no snapshot within the hold ({h0}..{h1}): {[(s['t'], s['t_end'], s['phase']) for s in snaps]}")
    if mode == "segment":
        w = int(sys.argv[4])
        only = len(sys.argv) > 5 and sys.argv[5] == "only"

        size = rec["config"]["bytes"]
        seg_kb = math.ceil(size / rec["host"]["page_size"]) * page_kb
        for s in hold:
            shm = [g for g in s["groups"] if g["kind"] == "shm"]
            segs = [g for g in shm if g["path"].startswith("/dev/shm/shmviz-")]
            if len(segs) != 1:
                fail(f"{name} at {s['t']:.3f}: {len(segs)} segment groups, expected 1: {[g['path'] for g in shm]}")
            if only and len(shm) != 1:
                fail(f"{name} at {s['t']:.3f}: other shm groups than the segment: {[g['path'] for g in shm]}")
            g = segs[0]
            if g["processes"] != w + 1:
                fail(f"{name} at {s['t']:.3f}: segment mapped by {g['processes']} processes, expected {w + 1}")
            # the parent and the workers (not a helper: Python's resource
            # tracker maps no segment)
            for p in [p for p in s["procs"] if p["role"] in ("parent", "worker")]:
                mine = [x for x in p["groups"] if key(x) == key(g)]
                if len(mine) != 1 or mine[0]["shared_dirty_kb"] != seg_kb:
                    fail(f"{name}: pid {p['pid']} segment Shared_Dirty {[x['shared_dirty_kb'] for x in mine]}, expected {seg_kb}")
            if abs(g["pss_kb"] - size / 1024) > (w + 1) * page_kb:
                fail(f"{name} at {s['t']:.3f}: ΣPSS of the segment {g['pss_kb']} kB, expected {size / 1024:.1f} within {(w + 1) * page_kb}")
            print(f"# {name} t={s['t']:.2f}: segment {g['path']} mapped by {g['processes']}, "
                  f"ΣPSS {g['pss_kb']} kB (segment {size / 1024:.1f} kB), Shared_Dirty {seg_kb} kB each")
    elif mode == "noshm":
        for s in snaps:
            segs = [g for g in s["groups"] if g["kind"] == "shm"]
            if segs:
                fail(f"{name}: segment groups {[g['path'] for g in segs]}")
    elif mode == "libs":
        for s in hold:
            workers = [p for p in s["procs"] if p["role"] == "worker"]
            if not workers:
                fail(f"{name} at {s['t']:.3f}: no worker in the snapshot")
            for p in workers:
                libs = [g for g in p["groups"] if g["kind"] == "file" and ".so" in g["path"]
                        and (g["shared_clean_kb"] or 0) > 0]
                if not libs:
                    fail(f"{name}: worker {p['pid']} has no shared library with Shared_Clean > 0")
            best = max((g for g in s["groups"] if g["kind"] == "file" and ".so" in g["path"]),
                       key=lambda g: g["shared_clean_kb"] or 0)
            print(f"# {name} t={s['t']:.2f}: {len(workers)} workers; top library {best['path']} "
                  f"mapped by {best['processes']}, Shared_Clean {best['shared_clean_kb']} kB")
    else:
        fail("unknown mode " + mode)


main()
