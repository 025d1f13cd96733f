#!/bin/sh
# Makes the recorded sequences of tests/unit/test_estimate.c: real
# recordings, cut to what the estimator sees (per process: the smaps
# figures of its reads and the status counters of every tick).
#   tests/data/estimate/make.sh BUILD/shmviz
# copy.json: a copy run at -i 20 (workers fill their copies: anonymous
# memory grows between reads); shared.json: workers attach a segment;
# cow.json: fork copy-on-write with writes (anonymous memory shared after
# fork: estimates must be refused).
set -eu
shmviz=${1:?usage: make.sh SHMVIZ}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$shmviz" --record "$tmp/copy.json" --mode copy -n 4M -w 2 -i 20 --hold 0.3 --budget 2 >/dev/null
"$shmviz" --record "$tmp/shared.json" --mode shared -n 4M -w 4 -i 20 --hold 0.3 >/dev/null
"$shmviz" --record "$tmp/cow.json" --mode cow -n 2M -w 2 -i 20 --hold 0.3 --cow-write 30 >/dev/null
for n in copy shared cow; do
	python3 - "$tmp/$n.json" "$here/$n.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
keep = ("pid", "smaps", "pss_kb", "rss_kb", "pss_anon_kb", "pss_file_kb",
        "pss_shmem_kb", "anonymous_kb", "shared_clean_kb", "shared_dirty_kb",
        "private_clean_kb", "private_dirty_kb", "swap_kb", "rss_now_kb",
        "rss_anon_kb", "rss_file_kb", "rss_shmem_kb")
r = d["runs"][0]
out = {"command": d.get("config", {}), "run": r["name"], "phases": r["phases"],
       "samples": [{"t": round(s["t"], 4), "consistent": s["total"]["consistent"],
                    "pss_kb": s["total"]["pss_kb"],
                    "procs": [{k: p.get(k) for k in keep} for p in s["procs"]]}
                   for s in r["samples"]]}
json.dump(out, open(sys.argv[2], "w"), separators=(",", ":"))
PY
done
