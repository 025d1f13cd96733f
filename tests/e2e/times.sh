#!/bin/bash
# Wall and CPU time against the processes' own account: two commands
# (--compare) that burn known amounts of CPU time, user and system, then
# hold, each writing its own os.times() as it ends. Each run's recorded
# CPU time is its own process's (not the runs' before it, user and system
# apart), its wall time its total less its hold phase; the summary, the
# strip of the plot's description and the plot's panels give the same
# figures. No timing is asserted: the commands stop on their CPU clocks.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP" LC_ALL=C.UTF-8

# burn.py TIMES USER_S SYS_S: USER_S of user CPU time, SYS_S of system
# time (system calls), then a hold phase of 0.3 s, its own times at the end
cat > "$TMP/burn.py" <<'PY'
import os, sys, time
out, want_user, want_sys = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
fd = int(os.environ.get("SHMVIZ_PHASE_FD", "-1"))
def phase(name):
    if fd >= 0:
        os.write(fd, ("phase %s\n" % name).encode())
phase("work")
t0 = os.times()
x = 0
while os.times().user - t0.user < want_user:
    x += 1
while os.times().system - t0.system < want_sys:
    for _ in range(200):
        os.stat("/")
phase("hold")
time.sleep(0.3)
t = os.times()
with open(out, "w") as f:
    f.write("%r %r\n" % (t.user, t.system))
PY

run --record "$TMP/t.json" --compare "$PY $TMP/burn.py $TMP/a.times 0.4 0.15" "$PY $TMP/burn.py $TMP/b.times 0 0" -i 50
[ "$rc" = 0 ] || fail "exit $rc: $(cat "$TMP/err")"
no_leftovers
cp "$TMP/out" "$TMP/summary"
$PY "$SRCDIR/tests/e2e/check_recording.py" "$TMP/t.json" --runs A,B >&2 || fail "the recording"
run --plot "$TMP/t.json" -o "$TMP/t.svg"
[ "$rc" = 0 ] || fail "plot: exit $rc: $(cat "$TMP/err")"
$PY - "$TMP/t.json" "$TMP/a.times" "$TMP/b.times" "$TMP/t.svg" <<'PYEOF' || fail "the times"
import json, math, re, sys
d = json.load(open(sys.argv[1]))
own = [tuple(float(x) for x in open(p).read().split()) for p in sys.argv[2:4]]
desc = re.search(r"<desc>(.*?)</desc>", open(sys.argv[4]).read(), re.S).group(1)

def secs(s):  # fmt_seconds (src/util/fmt.c), as --help's figures read
    if s < 0.001:
        return "%.0f us" % (s * 1e6)
    if s < 0.1:
        return "%.0f ms" % (s * 1e3)
    if s < 10:
        return "%.2f s" % s
    return "%.1f s" % s

for r, (user, sys_) in zip(d["runs"], own):
    res = r["result"]
    # the process's own times are whole clock ticks at its end; the
    # kernel's account after it ended adds its exit (a few ms)
    for what, got, mine in (("user", res["cpu_user_s"], user), ("system", res["cpu_sys_s"], sys_)):
        assert mine - 0.011 <= got <= mine + 0.1, \
            f"{r['name']}: {what} CPU time {got}, the process counted {mine} of its own"
    hold = [p for p in r["phases"] if p["name"] == "hold"]
    assert len(hold) == 1 and hold[0]["end_s"] is not None, r["phases"]
    hold_s = hold[0]["end_s"] - hold[0]["start_s"]
    assert hold_s >= 0.29, (r["name"], hold_s)
    assert abs(res["wall_s"] - (res["total_s"] - hold_s)) < 1e-6, (r["name"], res)
    # the picture's panel, as drawn
    cpu = res["cpu_user_s"] + res["cpu_sys_s"]
    want = "%s: wall %s \u00b7 compute - \u00b7 CPU %s." % (r["name"], secs(res["wall_s"]), secs(cpu))
    assert want in desc, (want, desc)
print("ok:", [(r["name"], r["result"]["cpu_user_s"], r["result"]["cpu_sys_s"], m) for r, m in zip(d["runs"], own)])
PYEOF
note "$(grep -E 'wall time|CPU time' "$TMP/summary")"
# the summary's rows: each run's wall and CPU time as the recording has them
$PY - "$TMP/t.json" "$TMP/summary" <<'PYEOF' || fail "the summary's times"
import json, re, sys
d = json.load(open(sys.argv[1]))
out = open(sys.argv[2]).read()
def secs(s):
    return "%.0f ms" % (s * 1e3) if s < 0.1 else "%.2f s" % s if s < 10 else "%.1f s" % s
for row, get in (("wall time", lambda r: r["wall_s"]),
                 ("CPU time", lambda r: r["cpu_user_s"] + r["cpu_sys_s"])):
    m = re.search(r"^%s +(.*)$" % row, out, re.M)
    assert m, (row, out)
    cells = re.findall(r"\d+(?:\.\d+)? (?:s|ms|us)", m.group(1))
    want = [secs(get(r["result"])) for r in d["runs"]]
    assert cells[:2] == want, (row, cells, want, m.group(0))
PYEOF
echo "ok"
