"""The run's peak mapping snapshot as docs/recording.md ("Mappings")
defines it, computed from the recording's own samples: the snapshot read
nearest the run's peak ΣPSS sample (the bounded sample of the highest
lower bound, the first of equals, not of a tree that had gone), of two as
near the one of the higher ΣPSS; before any bounded sample the highest."""


def snap_pss(s):
    return sum(g["pss_kb"] for g in s["groups"] if (g["pss_kb"] or 0) > 0)


def peak_t(run):
    best, lo = None, None
    for x in run["samples"]:
        t = x["total"]
        if t.get("pss_bound_kb") is None or t["pss_kb"] is None or not x["procs"] or \
                all(p["smaps"] == "gone" for p in x["procs"]):
            continue
        if lo is None or t["pss_kb"] - t["pss_bound_kb"] > lo:
            lo, best = t["pss_kb"] - t["pss_bound_kb"], x["t"]
    return best


def peak_index(run):
    snaps = run.get("mappings") or []
    t = peak_t(run)

    def dist(s):
        if t is None:
            return 0
        return s["t"] - t if t < s["t"] else max(0, t - s["t_end"])
    best = 0
    for i, s in enumerate(snaps):
        if (dist(s), -snap_pss(s)) < (dist(snaps[best]), -snap_pss(snaps[best])):
            best = i
    return best
