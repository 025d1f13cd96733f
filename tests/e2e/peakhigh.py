"""The peak's upper end computed from a recording's samples, for the
oracles (check_recording.py, check_screen.py): docs/recording.md, "The
peak's upper end", written here from the doc, not from src/core/upper.c."""

# the later samples that can lower an upper end (src/core/upper.h)
UPPER_WINDOW = 32


def _live(p):
    return p.get("state") != "x" and p.get("smaps") != "gone"


def _dying(p):
    """exited, not yet reaped: its counters are final"""
    return p.get("state") != "x" and not _live(p)


def _hold(p):
    """what a member that joined holds of what it may have brought (None:
    unknown)"""
    read = p["smaps"] in ("read", "exact") and p.get("pss_kb") is not None
    figs = [p.get(x) for x in ("private_clean_kb", "private_dirty_kb", "pss_file_kb", "pss_shmem_kb")]
    if read and all(x is not None for x in figs):
        return sum(figs)
    if read:
        return p["pss_kb"]
    if p.get("rss_now_kb") is not None and p["rss_now_kb"] >= 0:
        return p["rss_now_kb"]
    return p.get("rss_kb")


class _Chain:
    def __init__(self, page_kb):
        self.page = page_kb
        self.v = None          # the upper end at the sample before
        self.prev = {}         # its members: (pid, start) -> dict
        self.left = 0          # what left the tree, cumulative
        self.pend = []         # [upper end, left when made, its sample]
        self.settled = -1
        self.n = 0             # samples folded
        self.broken = False
        self.reaper = 0        # shmviz's pid: the root's parent
        self.shmviz_credit = 0
        self.reaped = None     # total.reaped_faults, last known
        self.thp = None        # total.thp_kb, last known

    def top(self):
        return max([self.settled] + [e[0] for e in self.pend])

    def cut(self):
        if self.v is not None:
            self.broken = True
        self.settled, self.pend = self.top(), []
        self.v, self.prev = None, {}

    def credit(self, nxt, ppid, faults):
        """owed to the parent that will reap it: a live member, or shmviz"""
        parent = [m for (pid, _), m in nxt.items() if pid == ppid]
        if parent:
            if not parent[0]["dead"]:
                parent[0]["credit"] += faults
        elif self.reaper and ppid == self.reaper:
            self.shmviz_credit += faults

    def moves(self, t, rows, nxt):
        """(entered, left) since the sample before, None: unknown"""
        entered = gone = 0
        for k, was in self.prev.items():
            now = nxt.get(k)
            if now is not None and not now["dead"]:
                now["credit"] += was["credit"]
            elif now is not None and not was["dead"]:
                g = (max(0, now["faults"] - was["faults"]) + max(0, now["cfaults"] - was["cfaults"])) * self.page
                entered += g
                gone += g + max(was["rss"], 0)
                self.credit(nxt, now["ppid"], now["faults"] + now["cfaults"])
            elif now is None and not was["dead"]:
                gone += max(was["rss"], 0)
                self.credit(nxt, was["ppid"], was["faults"] + was["cfaults"])
        for k, m in nxt.items():
            if m["dead"] and k not in self.prev:
                g = (m["faults"] + m["cfaults"]) * self.page
                entered += g
                gone += g
                self.credit(nxt, m["ppid"], m["faults"] + m["cfaults"])
        r = t.get("reaped_faults")
        if r is not None and self.reaped is not None and r > self.reaped:
            d = r - self.reaped
            use = min(d, self.shmviz_credit)
            self.shmviz_credit -= use
            entered += (d - use) * self.page
            gone += (d - use) * self.page
        h = t.get("thp_kb")
        if h is not None and self.thp is not None and h > self.thp:
            entered += h - self.thp
            gone += h - self.thp
        for k in sorted(nxt):
            m = nxt[k]
            if m["dead"]:
                continue
            was = self.prev.get(k)
            if was is None:
                hold = _hold(rows[k])
                if hold is None:
                    return None
                came = max(hold, m["faults"] * self.page)
                entered += came + m["cfaults"] * self.page
                gone += came - hold + m["cfaults"] * self.page
                continue
            rose = m["rss"] - was["rss"] if m["rss"] >= 0 and was["rss"] >= 0 else 0
            came = max(rose, max(0, m["faults"] - was["faults"]) * self.page, 0)
            d = max(0, m["cfaults"] - was["cfaults"])
            use = min(d, m["credit"])
            m["credit"] -= use
            entered += came + (d - use) * self.page
            gone += came - rose + (d - use) * self.page
        return entered, gone

    def fold(self, t, procs):
        live = [p for p in procs if _live(p)]
        if not live:
            return
        rows = {(p["pid"], p["start_ticks"]): p for p in procs if _live(p) or _dying(p)}
        nxt = {k: {"ppid": p["ppid"],
                   "rss": p["rss_now_kb"] if p.get("rss_now_kb") is not None else -1,
                   "faults": p["minflt"] + p["majflt"],
                   "cfaults": p.get("child_faults", 0), "credit": 0, "dead": _dying(p)}
               for k, p in rows.items()}
        saved = (self.settled, [list(e) for e in self.pend], self.shmviz_credit, self.reaped,
                 self.thp, self.broken)
        self.n += 1
        self.settled = max([self.settled] + [e[0] for e in self.pend if e[2] + UPPER_WINDOW < self.n])
        self.pend = [e for e in self.pend if e[2] + UPPER_WINDOW >= self.n]
        mv = self.moves(t, rows, nxt) if self.v is not None else None
        v_before = self.v
        if mv is None:
            self.cut()
        own = []
        if t.get("pss_bound_kb") is not None and t.get("pss_kb") is not None:
            unknown = [p.get("rss_now_kb") for p in live if p.get("pss_kb") is None]
            if all(x is not None and x >= 0 for x in unknown):
                own.append(t["pss_kb"] + t["pss_bound_kb"] + sum(unknown))
        # ΣRSS caps it where every live member's RSS counter is known
        if (t.get("rss_kb") is not None and t["rss_kb"] >= 0 and
                all(p.get("rss_now_kb") is not None and p["rss_now_kb"] >= 0 for p in live)):
            own.append(t["rss_kb"])
        v = min(own + ([v_before + mv[0]] if mv else []), default=None)
        if mv:
            self.pend.append([v_before + mv[0], self.left, self.n])
        self.left += mv[1] if mv else 0
        if v is not None:
            for e in self.pend:
                e[0] = min(e[0], v + self.left - e[1])
            self.pend.append([v, self.left, self.n])
        self.v = v
        if t.get("reaped_faults") is not None:
            self.reaped = t["reaped_faults"]
        if t.get("thp_kb") is not None:
            self.thp = t["thp_kb"]
        if not self.reaper and t.get("reaped_faults") is not None:
            self.reaper = next((p["ppid"] for p in procs if p.get("role") == "parent"), 0)
        self.prev = nxt
        if t.get("members_partial"):
            # taken back, and the chain broken there (broken by the
            # sample itself: broken still)
            broke = self.broken
            (self.settled, self.pend, self.shmviz_credit, self.reaped, self.thp,
             self.broken) = saved
            self.broken = self.broken or broke
            self.cut()


def peak_high_of(r, page_kb=4):
    """(the highest ΣPSS the tree may have held at a sample, between two,
    or after the last until a run shmviz started ended, or None; whether
    a chain of samples broke, leaving moments with no upper end)"""
    c = _Chain(page_kb)
    for s in r["samples"]:
        if s["total"]["nprocs"]:
            c.fold(s["total"], s["procs"])
    if c.broken:
        return None, True
    h = c.top()
    res = r.get("result", {})
    state = r.get("state", "done" if r.get("ok") else "failed")
    if c.v is not None and state in ("done", "failed", "stopped") and res.get("cpu_user_s") is not None:
        seen = c.shmviz_credit + max(c.reaped or 0, 0)
        seen += sum(m["faults"] + m["cfaults"] + m["credit"] for m in c.prev.values() if not m["dead"])
        tree = res["minflt"] + res.get("majflt", 0)
        h = max(h, c.v + max(0, tree - seen) * page_kb)
    return (None if h < 0 else h), False


def peak_high(r, page_kb=4):
    """the run's peak.pss_high_kb as the doc computes it: None without a
    peak or where a chain broke"""
    pk = r["peak"]
    if pk.get("pss_kb") is None or pk.get("pss_bound_kb") is None:
        return None
    h, broken = peak_high_of(r, page_kb)
    own = pk["pss_kb"] + pk["pss_bound_kb"]
    return None if broken else own if h is None or h < own else h
