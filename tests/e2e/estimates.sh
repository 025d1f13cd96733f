#!/bin/bash
# ΣPSS moves when memory moves (docs/recording.md, "Figure states"): a copy
# run at -i 20 with a small budget (most figures between reads), on a quiet
# machine and with a CPU hog on every core:
# - in the transfer phase a worker's figure between reads is estimated,
#   never held, and ΣPSS follows ΣRSS: no stretch of samples with one ΣPSS
#   while ΣRSS moves by more than 5% of it;
# - every estimate a read judged (est_error_kb) is within 5% of ΣPSS (256 KiB at least);
# - the TUI's legend (a replay, colour and ASCII) and the pictures name the
#   shaded state.
. "$(dirname "$0")/lib.sh"
# A sanitizer's runtime maps megabytes of anonymous memory in shmviz, which
# every forked worker inherits and shares: the estimator refuses such
# processes by design (held, src/sample/estimate.c), so a sanitizer build has no
# estimate to judge. Its memory safety on these paths is covered by the
# other tests (record, cow, truth, budget).
ldd "$SHMVIZ" 2>/dev/null | grep -q 'libasan' &&
	skip "sanitizer build: the workers share the runtime's anonymous memory, nothing is estimated"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"

trap 'stop_hogs; tmux_cleanup' EXIT

for load in quiet hog; do
	[ $load = hog ] && start_hogs 300
	run --record "$TMP/$load.json" --mode copy -n 4M -w 2 -i 20 --hold 0.3
	[ "$rc" = 0 ] || fail "$load: exit $rc: $(cat "$TMP/err")"
	stop_hogs
done
no_leftovers

$PY - "$TMP/quiet.json" "$TMP/hog.json" <<'PYEOF' || fail "estimate checks"
import json, sys
bad = []
for path in sys.argv[1:]:
    r = json.load(open(path))["runs"][0]
    tr = [p for p in r["phases"] if p["name"] == "transfer"][0]
    s = [x for x in r["samples"] if tr["start_s"] <= x["t"] <= tr["end_s"] and x["procs"]]
    est = sum(1 for x in s if x["total"]["pss_estimated"])
    figs = [p["smaps"] for x in s for p in x["procs"] if p["role"] == "worker"]
    # between reads a worker's figure follows its counters: estimated,
    # never held; a build whose ticks are spaced out (a sanitizer's) may
    # afford a read at every tick, and then there is nothing to estimate
    if "held" in figs:
        bad.append(f"{path}: {figs.count('held')} worker figures held in the transfer phase")
    if est < 3 and any(f != "read" for f in figs):
        bad.append(f"{path}: {est} estimated samples in the transfer phase ({len(s)} samples)")
    # stretches of one ΣPSS
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1]["total"]["pss_kb"] == s[i]["total"]["pss_kb"]:
            j += 1
        pss = s[i]["total"]["pss_kb"] or 0
        rss = [x["total"]["rss_kb"] for x in s[i:j + 1]]
        if pss and max(rss) - min(rss) > 0.05 * pss:
            bad.append(f"{path}: ΣPSS flat at {pss} kB from t={s[i]['t']:.3f} to {s[j]['t']:.3f} "
                       f"while ΣRSS moved {max(rss) - min(rss)} kB")
        i = j + 1
    n = 0
    for x in r["samples"]:
        tot = x["total"]["pss_kb"]
        for p in x["procs"]:
            e = p.get("est_error_kb")
            if e is None:
                continue
            n += 1
            # judged only by a read of the moment of the tick's counters
            # (a worker that freed its copy between the two is not)
            if p["rss_kb"] is None or p["rss_now_kb"] is None or \
                    abs(p["rss_kb"] - p["rss_now_kb"]) > 256:
                bad.append(f"{path} t={x['t']:.3f} pid {p['pid']}: an estimate judged by a read "
                           f"of Rss {p['rss_kb']} kB at counters of VmRSS {p['rss_now_kb']} kB")
            # 5% of ΣPSS, and at least one moment (256 KiB): a tree of a
            # few hundred KiB (before its table) shares its libraries with
            # every process the machine starts and ends meanwhile, which
            # no counter of the tree shows (docs/recording.md, "Bounds")
            if tot and abs(e) > max(0.05 * tot, 256):
                bad.append(f"{path} t={x['t']:.3f} pid {p['pid']}: estimate off by {e} kB, ΣPSS {tot} kB")
    # est_error_kb is the read less the estimate, with its sign: the
    # estimate computed here from the process's last read before it (its
    # figures and counters at that sample) and the counters of the sample
    # of the read (docs/recording.md, "est_error_kb"; src/sample/estimate.c)
    def scale(v, now, then):
        return (now if now > 0 else v) if then <= 0 else int(v * now / then + 0.5)
    last, m, agree, flipped = {}, 0, 0, 0
    for x in r["samples"]:
        for p in x["procs"]:
            e, rd = p.get("est_error_kb"), last.get(p["pid"])
            if e is not None and rd and p["pss_kb"] is not None and \
                    p["rss_anon_kb"] >= rd["anonymous_kb"] and \
                    rd["pss_shmem_kb"] == 0 and p["rss_shmem_kb"] == 0 == rd["rss_shmem_kb"]:
                rest = rd["pss_kb"] - rd["pss_anon_kb"] - rd["pss_file_kb"] - rd["pss_shmem_kb"]
                mine = max(0, rd["pss_anon_kb"] + p["rss_anon_kb"] - rd["anonymous_kb"] +
                           scale(rd["pss_file_kb"], p["rss_file_kb"], rd["rss_file_kb"]) + rest)
                # the estimator's counters are taken a moment apart from
                # the sample's (a growing worker moves some pages): 128 KiB
                d = p["pss_kb"] - mine
                m += 1
                agree += abs(e - d)
                flipped += abs(e + d)
                if abs(e - d) > 128:
                    bad.append(f"{path} t={x['t']:.3f} pid {p['pid']}: est_error_kb {e}, "
                               f"read {p['pss_kb']} - estimate {mine} = {d}")
            if p["smaps"] in ("read", "exact") and p["pss_kb"] is not None:
                last[p["pid"]] = p
    if n and not m:
        bad.append(f"{path}: none of {n} judged estimates could be computed again")
    # and the sign: read - estimate lies nearer than estimate - read (a
    # tie is estimates of 0 or 1 kB off, which have no sign to tell)
    if flipped and agree > flipped:
        bad.append(f"{path}: est_error_kb is off by {agree} kB in all from read - estimate, "
                   f"by {flipped} kB from estimate - read: the sign is wrong")
    print(f"# {path}: {est} estimated of {len(s)} transfer samples, {n} estimates judged by a read, "
          f"{m} computed again (off by {agree} kB in all)", file=sys.stderr)
for b in bad[:20]:
    print("check failed:", b)
sys.exit(1 if bad else 0)
PYEOF

# the TUI names the shade in its legend, in colour and in ASCII
export LANG=C.UTF-8 LC_ALL=C.UTF-8
start e 120 30 -- --replay "$TMP/quiet.json" --speed 64
wait_for e "▒ inexact"
keys e q
wait_exit e
start ea 120 30 -- --replay "$TMP/quiet.json" --speed 64 --ascii
wait_for ea "~ inexact"
grep -q "~" "$TMP/screen" || fail "ASCII: no estimated column drawn"
keys ea q
wait_exit ea
no_leftovers
echo ok
