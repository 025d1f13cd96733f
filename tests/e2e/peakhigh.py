"""The peak's upper end computed from a recording's samples, for the
oracles (check_recording.py, check_screen.py): docs/recording.md, "The
peak's upper end", written here from the doc, not from src/core/upper.c."""

# the later samples that can lower an upper end (src/core/upper.h)
UPPER_WINDOW = 32


def _member(p):
    return {"ppid": p["ppid"],
            "rss": p["rss_now_kb"] if p.get("rss_now_kb") is not None else -1,
            "faults": p["minflt"] + p["majflt"],
            "cfaults": p.get("child_faults", 0),
            "credit": 0}


def _joined(p):
    """what a member that joined may have brought (None: unknown)"""
    read = p["smaps"] in ("read", "exact") and p.get("pss_kb") is not None
    figs = [p.get(x) for x in ("private_clean_kb", "private_dirty_kb", "pss_file_kb", "pss_shmem_kb")]
    if read and all(x is not None for x in figs):
        return sum(figs)
    if read:
        return p["pss_kb"]
    if p.get("rss_now_kb") is not None and p["rss_now_kb"] >= 0:
        return p["rss_now_kb"]
    return p.get("rss_kb")


def peak_high(r, page_kb=4):
    """the highest ΣPSS the tree may have held at a sample, between two,
    or after the last until a run shmviz started ended; None: none"""
    v = None       # the upper end at the sample before
    prev = None    # its members: (pid, start_ticks) -> _member()
    left = 0       # what left the tree, cumulative
    pend = []      # (upper end, left when it was made, its sample)
    settled = -1
    n = 0          # samples folded in
    to_shmviz = 0  # counted faults of members that left to shmviz

    def top():
        return max([settled] + [u for u, _, _ in pend])

    for s in r["samples"]:
        t = s["total"]
        rows = [p for p in s["procs"] if p.get("state") != "x" and p.get("smaps") != "gone"]
        if not t["nprocs"] or not rows:
            continue
        if t.get("members_partial"):
            # taken back: the chain starts anew at the next sample
            settled, pend, v, prev = top(), [], None, None
            continue
        n += 1
        settled = max([settled] + [u for u, _, at in pend if at + UPPER_WINDOW < n])
        pend = [e for e in pend if e[2] + UPPER_WINDOW >= n]
        nxt = {(p["pid"], p["start_ticks"]): _member(p) for p in rows}
        linked = v is not None
        entered = gone = 0
        if linked:
            by_pid = {pid: m for (pid, _), m in nxt.items()}
            for k, was in (prev or {}).items():
                if k in nxt:
                    nxt[k]["credit"] = was["credit"]
                    continue
                gone += max(was["rss"], 0)
                done = was["faults"] + was["cfaults"] + was["credit"]
                if was["ppid"] in by_pid:
                    by_pid[was["ppid"]]["credit"] += done
                else:
                    to_shmviz += done
            for p in rows:
                k = (p["pid"], p["start_ticks"])
                m = nxt[k]
                if k not in (prev or {}):
                    j = _joined(p)
                    if j is None:
                        linked = False
                        break
                    entered += j + m["cfaults"] * page_kb
                    gone += m["cfaults"] * page_kb
                    continue
                was = prev[k]
                rose = m["rss"] - was["rss"] if m["rss"] >= 0 and was["rss"] >= 0 else 0
                faulted = max(0, m["faults"] - was["faults"]) * page_kb
                came = max(rose, faulted, 0)
                d = max(0, m["cfaults"] - was["cfaults"])
                use = min(d, m["credit"])
                m["credit"] -= use
                reaped = (d - use) * page_kb
                entered += came + reaped
                gone += came - rose + reaped
        own = []
        if t.get("pss_bound_kb") is not None and t.get("pss_kb") is not None:
            unknown = [p.get("rss_now_kb") for p in rows if p.get("pss_kb") is None]
            if all(x is not None and x >= 0 for x in unknown):
                own.append(t["pss_kb"] + t["pss_bound_kb"] + sum(unknown))
        if t.get("rss_kb") is not None and t["rss_kb"] >= 0:
            own.append(t["rss_kb"])
        now_v = min(own + ([v + entered] if linked else []), default=None)
        if linked:
            pend.append((v + entered, left, n))   # the moments between the two
        else:
            settled, pend = top(), []
        left += gone
        if now_v is not None:
            pend = [(min(u, now_v + left - was), was, at) for u, was, at in pend]
        v = now_v
        if v is not None:
            pend.append((v, left, n))
        prev = nxt
    h = top()
    res = r.get("result", {})
    if (v is not None and r.get("state", "done" if r.get("ok") else "failed") in ("done", "failed", "stopped")
            and res.get("cpu_user_s") is not None):
        seen = to_shmviz + sum(m["faults"] + m["cfaults"] + m["credit"] for m in prev.values())
        tree = res["minflt"] + res.get("majflt", 0)
        h = max(h, v + max(0, tree - seen) * page_kb)
    return None if h < 0 else h
