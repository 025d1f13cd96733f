#!/bin/bash
# --repeat N: N rounds, the order of the runs alternating each round;
# every round's figures in the recording (.repeat), their median, min and
# max as the rounds say (the median round's peak ΣPSS its samples'), the
# same in the summary; a warning when a time
# varies more than 1.5x (and none when it does not); "round i of N" on
# stderr when it is a terminal. With a CPU hog on every core.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"
TOUCH=${TOUCH:?TOUCH must name tests/helpers/touch}

# the rounds' figures against the statistics shmviz gives
check_rounds() { # FILE ROUNDS
	$PY - "$@" "$SRCDIR/tests/e2e" <<'PYEOF'
import json, math, sys
sys.path.insert(0, sys.argv[3])
from check_screen import peak_of
d = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
assert d["config"]["repeat"] == n, d["config"]
rep = d["repeat"]
assert rep["rounds"] == n, rep["rounds"]
names = [r["name"] for r in d["runs"]]
assert [r["name"] for r in rep["runs"]] == names, rep["runs"]
def med(v):
    v = sorted(v)
    k = len(v)
    return v[k // 2] if k % 2 else (v[k // 2 - 1] + v[k // 2]) / 2
# the median round, computed here: of the rounds whole, the one whose
# summed wall time is the median (the lower middle one of an even count;
# ties by round)
whole = [k for k in range(n) if all(r["rounds"][k]["ok"] for r in rep["runs"])]
walls = sorted((sum(r["rounds"][k]["wall_s"] for r in rep["runs"]), k) for k in whole)
shown = walls[(len(walls) - 1) // 2][1] + 1
assert rep["shown_round"] == shown, (rep["shown_round"], shown, walls)
checked = []
for i, r in enumerate(rep["runs"]):
    rounds = r["rounds"]
    assert [x["round"] for x in rounds] == list(range(1, n + 1)), rounds
    # alternating: run i comes at position i in odd rounds, reversed in even
    want = [i if k % 2 == 0 else len(names) - 1 - i for k in range(n)]
    assert [x["position"] for x in rounds] == want, ([x["position"] for x in rounds], want)
    # every run's statistics, computed here from its rounds
    for key in ("wall_s", "cpu_s", "peak_pss_kb"):
        v = [x[key] for x in rounds if x["ok"] and x[key] is not None]
        st = r[key]
        if not v and key == "peak_pss_kb":
            assert st is None, (r["name"], st)
            continue
        # a round without a consistent sample has no peak ΣPSS (null)
        assert st["n"] == len(v) and (len(v) == n or key == "peak_pss_kb"), (r["name"], key, st, v)
        # (the median of an even count is a mean: equal to the last
        # printed digit, cJSON printing 15 digits when they read back close)
        assert math.isclose(st["median"], med(v), rel_tol=1e-12) and st["min"] == min(v) and \
            st["max"] == max(v), (r["name"], key, st, v)
    # runs[] hold the median round (docs/recording.md, ".repeat"): its
    # result is that round's
    k = shown - 1
    assert d["runs"][i]["result"]["wall_s"] == rounds[k]["wall_s"], (d["runs"][i]["result"], rounds[k])
    res = d["runs"][i]["result"]
    assert abs(rounds[k]["cpu_s"] - (res["cpu_user_s"] + res["cpu_sys_s"])) < 1e-9, (res, rounds[k])
    # and its peak ΣPSS, the one its samples give (the sample of the
    # highest lower bound: check_screen.peak_of)
    pk = peak_of(d["runs"][i])["peak"]["pss_kb"]
    assert rounds[k]["peak_pss_kb"] == pk, (r["name"], rounds[k], pk)
    assert d["runs"][i]["samples"], "no samples of the median round"
    # its samples are that round's: the run's time spans its wall time
    assert d["runs"][i]["samples"][-1]["t"] >= rounds[k]["wall_s"] - 0.2, (d["runs"][i]["samples"][-1]["t"], rounds[k])
    checked.append(r["name"])
assert checked == names, (checked, names)
# and that is the order they started in: by their start times
for k in range(n):
    starts = sorted(rep["runs"], key=lambda r: r["rounds"][k]["start_monotonic_s"])
    assert [r["rounds"][k]["position"] for r in starts] == list(range(len(names))), k
print("ok:", {r["name"]: r["wall_s"] for r in rep["runs"]})
PYEOF
}

start_hogs 120
run --record "$TMP/r.json" --repeat 3 --compare "$TOUCH 16 0.2" "$TOUCH 8 0.2 1" -i 50
stop_hogs
[ "$rc" = 0 ] || fail "repeat 3: exit $rc: $(cat "$TMP/err")"
no_leftovers
check_rounds "$TMP/r.json" 3 >&2 || fail "the rounds of --repeat 3"
# every cell of the summary, and its median [min, max] rows computed from
# the recorded rounds
$PY "$SRCDIR/tests/e2e/check_summary.py" "$TMP/out" "$TMP/r.json" >&2 || fail "the summary of --repeat 3"
grep -q "^3 of 3 rounds" "$TMP/out" || fail "no rounds in the summary: $(cat "$TMP/out")"
[ ! -s "$TMP/err" ] || fail "stderr is not a terminal: no progress there, but: $(cat "$TMP/err")"
# the summary's medians are the recording's
$PY - "$TMP/r.json" "$TMP/out" <<'PYEOF' || fail "summary and recording disagree"
import json, re, sys
d = json.load(open(sys.argv[1]))
out = open(sys.argv[2]).read()
for r in d["repeat"]["runs"]:
    m = re.search(r"^  peak \u03a3PSS +%s +(\d+(?:\.\d+)?) (KiB|MiB)" % re.escape(r["name"]), out, re.M)
    assert m, out
    # fmt_kb_long: MiB with one decimal below 9.95, none from there
    med = r["peak_pss_kb"]["median"]
    v = med / 1024 if m.group(2) == "MiB" else med
    shown = ("%.1f" if v < 9.95 and m.group(2) == "MiB" else "%.0f") % v
    assert m.group(1) == shown, (m.group(0), med, shown)
PYEOF
# the summary's table is the recording's round (the median one), and says so
$PY - "$TMP/r.json" "$TMP/out" <<'PYEOF' || fail "the summary's table is not the recorded round"
import json, re, sys
d = json.load(open(sys.argv[1]))
out = open(sys.argv[2]).read()
def secs(s):
    if s < 0.1: return "%.0f ms" % (s * 1e3)
    return "%.2f s" % s if s < 10 else "%.1f s" % s
m = re.search(r"^wall time +(\d\S* m?s) +(\d\S* m?s)", out, re.M)
assert m, out
got = [m.group(1), m.group(2)]
want = [secs(r["result"]["wall_s"]) for r in d["runs"]]
assert got == want, (got, want)
k = d["repeat"]["shown_round"]
assert "round %d, the median one" % k in out, out
PYEOF
cp "$TMP/out" "$TMP/r.out"
# the picture has the rounds too: read back from the recording (the
# SVG's description holds its text), the same line as the summary's figures
run --plot "$TMP/r.json" -o "$TMP/r.svg"
[ "$rc" = 0 ] || fail "plot: exit $rc: $(cat "$TMP/err")"
$PY - "$TMP/r.json" "$TMP/r.svg" <<'PYEOF' || fail "the plot lacks the rounds"
import json, re, sys
d = json.load(open(sys.argv[1]))
svg = open(sys.argv[2]).read()
desc = re.search(r"<desc>(.*?)</desc>", svg, re.S).group(1)
assert "3 of 3 rounds, median [min, max]:" in desc, desc
for r in d["repeat"]["runs"]:
    assert re.search(r"\b%s \d" % re.escape(r["name"]), desc), (r["name"], desc)
PYEOF
# a warning exactly when a time varies more than 1.5x, as the recorded
# rounds say; a command whose first round sleeps 0.8 s and the others
# 0.1 s is made to vary (4 rounds: an even count, whose median is the mean
# of the two middle rounds)
check_warnings() { # FILE SUMMARY
	$PY - "$1" > "$TMP/noisy" <<'PYEOF'
import json, sys
for r in json.load(open(sys.argv[1]))["repeat"]["runs"]:
    for key, name in (("wall_s", "wall time"), ("cpu_s", "CPU time")):
        st = r[key]
        if st and st["min"] > 0 and st["max"] / st["min"] > 1.5:
            print(f"the {name} of {r['name']}")
PYEOF
	want=$(grep -c '' "$TMP/noisy")
	got=$(grep -c '^warning: the .* varies' "$2")
	[ "$want" = "$got" ] || fail "$1: $want figures vary more than 1.5x, $got warnings: $(cat "$TMP/noisy") / $(cat "$2")"
	while read -r what; do
		grep -q "^warning: $what varies" "$2" || fail "$1: no warning for $what"
	done < "$TMP/noisy"
	note "$1: $want warnings"
}
check_warnings "$TMP/r.json" "$TMP/r.out"
run --record "$TMP/w.json" --repeat 4 -- sh -c "if [ -e '$TMP/ran' ]; then sleep 0.1; else : > '$TMP/ran'; sleep 0.8; fi"
[ "$rc" = 0 ] || fail "noisy: exit $rc: $(cat "$TMP/err")"
check_rounds "$TMP/w.json" 4 >&2 || fail "the rounds of the noisy command"
check_warnings "$TMP/w.json" "$TMP/out"
no_leftovers

# progress on a terminal: stderr a pseudo-terminal
$PY - "$SHMVIZ" "$TMP/p.json" "$TOUCH" <<'PYEOF' || fail "no progress on a terminal's stderr"
import os, subprocess, sys
shmviz, path, touch = sys.argv[1:]
master, slave = os.openpty()
p = subprocess.Popen([shmviz, "--record", path, "--repeat", "2", "--", touch, "4", "0.1"],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
data = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
assert p.wait() == 0, data
text = data.decode()
assert "round 1 of 2" in text and "round 2 of 2" in text, text
PYEOF
no_leftovers

# a failed round is recorded, not ok, and counts in no statistic
# (docs/recording.md: over the rounds that ended ok); the rounds stop
run --record "$TMP/f.json" --repeat 3 --compare "sh -c 'exit 3'" "true"
[ "$rc" = 1 ] || fail "a failing run: exit $rc: $(cat "$TMP/err")"
$PY - "$TMP/f.json" <<'PYEOF' || fail "the failed round's statistics"
import json, sys
a, b = json.load(open(sys.argv[1]))["repeat"]["runs"]
assert [x["ok"] for x in a["rounds"]] == [False], a["rounds"]
assert a["wall_s"] is None and a["cpu_s"] is None and a["peak_pss_kb"] is None, a
assert [x["ok"] for x in b["rounds"]] == [True], b["rounds"]
assert b["wall_s"]["n"] == 1 and b["wall_s"]["median"] == b["rounds"][0]["wall_s"], b
PYEOF
no_leftovers

expect_error 2 "--repeat" --record "$TMP/x.json" --repeat 0
expect_error 2 "--repeat" --record "$TMP/x.json" --repeat 101
expect_error 2 "not for --attach" --record "$TMP/x.json" --repeat 2 --attach 1
echo ok
