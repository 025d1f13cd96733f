#!/bin/bash
# --replay through tmux: a recording plays in the TUI; space pauses, the
# arrows step one sample, Shift+arrow (or ]) seeks 5%, < and > change the
# speed, End and Home jump, l toggles the captions, q quits with 0 and
# SIGTERM with 143, the terminal restored each time. A run's result in the
# strip: its time and its ΣPSS peak (from the samples), with the kernel's
# peak and without one.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"

export LANG=C.UTF-8 LC_ALL=C.UTF-8

run --record "$TMP/r.json" -w 2 -n 200k -i 50 --hold 0.5
[ "$rc" = 0 ] || fail "recording: exit $rc: $(cat "$TMP/err")"
no_leftovers

lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

start p 100 30 -- --replay "$TMP/r.json" --speed 0.25
wait_for p "▶ [0-9.]+ s / [0-9.]+ s  0.25x"
grep -q "╭─ shared" "$TMP/screen" || fail "no shared pane in the replay"
grep -q "─ copy" "$TMP/screen" || fail "no copy pane in the replay"
grep -q "replay" "$TMP/screen" || fail "the title does not say replay"
# pause: the position stops (watched for half a second, in which playing
# at 0.25x would move it by 0.125 s; then the screen is shown to be live)
keys p Space
wait_for p "⏸ [0-9.]+ s"
p1=$(replay_position p)
[ -n "$p1" ] || fail "no position on the screen: $(screen_of p)"
i=0
while [ $i -lt 5 ]; do
	sleep 0.1
	[ "$(replay_position p)" = "$p1" ] || fail "paused, yet the position moved from $p1 to $(replay_position p)"
	i=$((i + 1))
done
keys_settle p
[ "$(replay_position p)" = "$p1" ] || fail "paused, yet the position moved from $p1 to $(replay_position p)"
# step forward twice, back once
keys p Right
keys p Right
keys_settle p
p2=$(replay_position p)
lt "$p1" "$p2" || fail "Right did not step forward: $p1 -> $p2"
keys p Left
keys_settle p
p3=$(replay_position p)
lt "$p3" "$p2" || fail "Left did not step back: $p2 -> $p3"
lt "$p1" "$p3" || fail "two steps forward and one back are not past the start: $p1 -> $p3"
# Shift+Right and ] seek 5% of the length
len=$(replay_length p)
keys p S-Right
keys_settle p
p4=$(replay_position p)
awk -v a="$p3" -v b="$p4" -v l="$len" 'BEGIN { d = b - a - l * 0.05; exit !(d < 0.011 && d > -0.011) }' ||
	fail "Shift+Right: $p3 -> $p4, not 5% of $len"
keys p ']'
keys_settle p
lt "$p4" "$(replay_position p)" || fail "] did not seek forward"
# speed: > doubles, < halves
keys p '>'
wait_for p "s  0.5x"
keys p '<' '<'
wait_for p "s  0.125x"
# End and Home
keys p End
wait_for p "⏸ $len s / $len s"
grep -q "faster\|slower\|as fast" "$TMP/screen" || fail "the comparison is missing at the end of the replay"
keys p Home
wait_for p "⏸ 0.000 s / $len s"
grep -q "not started yet\|spawn\|fill" "$TMP/screen" || fail "Home does not show the start"
# captions toggle
wait_for p "l captions ?"
keys p l
wait_for p "l captions off"
keys p l
wait_for p "l captions [^o]"
# play from the start to the end at high speed
keys p '>' '>' '>' '>' '>' '>' Space
wait_for p "⏸ $len s / $len s"
# space at the end plays again from the start (slowly: seen playing)
keys p '<' '<' '<' '<' '<' '<'
wait_for p "s  0.125x"
keys p Space
wait_for p "▶ 0\.[0-9]+ s / $len s"
# Right from the start steps to the first sample, Left from there (no
# sample before it) back to the start
keys p Space Home
wait_for p "⏸ 0.000 s / $len s"
keys p Right
wait_for p "⏸ 0\.[0-9]*[1-9][0-9]* s / $len s"
keys p Left
wait_for p "⏸ 0.000 s / $len s"
keys p q
wait_exit p
[ "$rc" = 0 ] || fail "q: exit $rc ($(cat "$TMP/err.p"))"
[ "$restored" = restored ] || fail "q: terminal modes not restored"
[ "$(tmx display -p -t p '#{alternate_on}')" = 0 ] || fail "q: still on the alternate screen"

# SIGTERM while playing: 143, restored
start t 100 30 -- --replay "$TMP/r.json" --speed 0.0625
wait_for t "▶ [0-9.]+ s"
pids=$(tagged_pids)
[ -n "$pids" ] || fail "no shmviz process to signal"
for pid in $pids; do
	[ "$(cat /proc/$pid/comm 2>/dev/null)" = shmviz ] && kill -TERM "$pid"
done
wait_exit t
[ "$rc" = 143 ] || fail "SIGTERM: exit $rc, expected 143"
[ "$restored" = restored ] || fail "SIGTERM: terminal modes not restored"

# one run: at the end the strip gives the run's result with the kernel's
# peak; in the hold (20% back from the end of a 1 s hold, then Left: a
# sample) that sample's totals, as the recording has them
run --record "$TMP/one.json" --mode shared -w 2 -n 200k -i 50 --hold 1
[ "$rc" = 0 ] || fail "one run: exit $rc: $(cat "$TMP/err")"
start o 100 30 -- --replay "$TMP/one.json"
keys o End
wait_for o "⏸ ([0-9.]+) s / \\1 s"
cp "$TMP/screen" "$TMP/screen.end"
keys o '[' '[' '[' '['
wait_for o "shared: .*ΣRSS"
before=$(replay_position o)
keys o Left
for i in $(seq 300); do
	[ "$(replay_position o)" != "$before" ] && break
	sleep 0.05
done
[ "$(replay_position o)" != "$before" ] || fail "Left never moved from $before"
wait_for o "shared: .*ΣRSS"
cp "$TMP/screen" "$TMP/screen.step"
keys o q
wait_exit o
$PY - "$TMP/one.json" "$TMP/screen.step" "$TMP/screen.end" "$SRCDIR/tests/e2e" <<'PYEOF' || fail "the strip's figures"
import json, re, sys
r = json.load(open(sys.argv[1]))["runs"][0]
step, end = open(sys.argv[2]).read(), open(sys.argv[3]).read()
U = "KMGTP"
def scale(kb):
    v, u = float(kb), 0
    while v >= 1024 and u + 1 < len(U):
        v, u = v / 1024, u + 1
    return v, u
def fmt_kb(kb):       # src/util/fmt.c, as docs/captions.md's figures read
    if kb is None or kb < 0:
        return "?"
    if kb == 0:
        return "0"
    v, u = scale(kb)
    return ("%.1f%s" if v < 9.95 and u > 0 else "%.0f%s") % (v, U[u])
def fmt_kb_long(kb):
    v, u = scale(kb)
    return ("%.1f %siB" if v < 9.95 and u > 0 else "%.0f %siB") % (v, U[u])
def secs(s):
    return "%.0f ms" % (s * 1e3) if s < 0.1 else "%.2f s" % s if s < 10 else "%.1f s" % s
pos = float(re.search(r"⏸ ([0-9.]+) s", step).group(1))
smp = min(r["samples"], key=lambda s: abs(s["t"] - pos))
assert abs(smp["t"] - pos) < 0.0006, (pos, smp["t"])
t = smp["total"]
m = re.search(r"shared: [^·]* · (\d+) process(?:es)? · ΣPSS (\S+), ΣRSS (\S+)", step)
assert m, step
want = (str(t["nprocs"]), fmt_kb(t["pss_kb"]), fmt_kb(t["rss_kb"]))
assert want[1] != want[2], ("ΣPSS and ΣRSS read alike: nothing told apart", want)
assert m.groups() == want, ("at %.3f s" % pos, m.group(0), want)
k = r["kernel_peak"]["kb"]
line = [l for l in end.splitlines() if l.startswith(" shared ")][0]
want = " shared %s, peak " % secs(r["result"]["wall_s"])
assert line.startswith(want), (line, want)
if k is not None:
    assert line.rstrip().endswith("(kernel %s)" % fmt_kb_long(k)), (line, k)
# the peak: ΣPSS of the sample of the highest lower bound, from the samples
sys.path.insert(0, sys.argv[4])
from check_screen import peak_of, peak_text
shown = re.sub(r" \(kernel [^)]*\)$", "", line[len(want):].rstrip())
assert shown == peak_text(peak_of(r), False), (line, peak_text(peak_of(r), False))
print("# strip:", m.group(0), "/", line.strip(), file=sys.stderr)
PYEOF

# the same run recorded where no cgroup could be made (no kernel_peak):
# the strip's result is its time and its ΣPSS peak alone, the peak from
# the samples
$PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
del d["runs"][0]["kernel_peak"]
json.dump(d, open(sys.argv[2], "w"))' "$TMP/one.json" "$TMP/nok.json"
start n 100 30 -- --replay "$TMP/nok.json"
keys n End
wait_for n "⏸ ([0-9.]+) s / \\1 s"
cp "$TMP/screen" "$TMP/screen.nok"
keys n q
wait_exit n
$PY - "$TMP/nok.json" "$TMP/screen.nok" "$SRCDIR/tests/e2e" <<'PYEOF' || fail "the strip's result without a kernel peak"
import json, sys
sys.path.insert(0, sys.argv[3])
from check_screen import peak_of, peak_text
from check_summary import fmt_seconds
r = json.load(open(sys.argv[1]))["runs"][0]
line = [l for l in open(sys.argv[2]).read().splitlines() if l.startswith(" shared ")][0]
want = " shared %s, peak %s" % (fmt_seconds(r["result"]["wall_s"]), peak_text(peak_of(r), False))
assert line.rstrip() == want, (line, want)
print("# strip without a kernel peak:", line.strip(), file=sys.stderr)
PYEOF

# the strip's "(kernel ...)" is the kernel's peak, not the sampled ΣPSS
# peak beside it: a command that writes 16 MiB to a file (page cache,
# charged to the run's cgroup, mapped by no process: in no PSS) has a
# kernel peak of at least 16 MiB and a ΣPSS peak of a few hundred KiB
run --record "$TMP/k.json" -i 50 -- sh -c 'head -c 16M /dev/zero >"$1"; rm -f "$1"' sh "$TMP/cache"
[ "$rc" = 0 ] || fail "the writing command: exit $rc: $(cat "$TMP/err")"
start k 100 30 -- --replay "$TMP/k.json"
keys k End
wait_for k "⏸ ([0-9.]+) s / \\1 s"
cp "$TMP/screen" "$TMP/screen.kernel"
keys k q
wait_exit k
$PY - "$TMP/k.json" "$TMP/screen.kernel" "$SRCDIR/tests/e2e" <<'PYEOF' || fail "the strip's kernel peak"
import json, re, sys
sys.path.insert(0, sys.argv[3])
from check_screen import peak_of, peak_text
r = json.load(open(sys.argv[1]))["runs"][0]
end = open(sys.argv[2]).read()
k = r["kernel_peak"]["kb"]
m = re.search(r"^ sh [^\n]*, peak ([^\n]*?)(?: \(kernel ([^)]*)\))?\s*$", end, re.M)
assert m, ("no result line for the run sh", end)
# the peak: ΣPSS of the sample of the highest lower bound, from the samples
assert m.group(1) == peak_text(peak_of(r), False), (m.group(0), peak_text(peak_of(r), False))
if k is None:
    # no cgroup here (kernel_peak.reason says why): no kernel figure
    assert m.group(2) is None, (m.group(0), r["kernel_peak"])
    print("# no kernel peak:", r["kernel_peak"]["reason"], file=sys.stderr)
    sys.exit(0)
assert k >= 16 * 1024, ("the kernel peak is below the 16 MiB written", k)
def fmt_kb_long(kb):   # src/util/fmt.c
    v, u = float(kb), 0
    while v >= 1024 and u < 4:
        v, u = v / 1024, u + 1
    return ("%.1f %siB" if v < 9.95 and u > 0 else "%.0f %siB") % (v, "KMGTP"[u])
assert fmt_kb_long(k) != fmt_kb_long(r["peak"]["pss_kb"]), ("kernel and ΣPSS peaks read alike", r["peak"])
assert m.group(2) == fmt_kb_long(k), (m.group(0), k)
print("# strip:", m.group(0).strip(), file=sys.stderr)
PYEOF

# two runs, the first ended long before the second: at the second's last
# sample the strip says the first is "done in" its wall time (its hold
# left out), as the recording has it
TOUCH=${TOUCH:?TOUCH must name tests/helpers/touch}
run --record "$TMP/two.json" --compare "$TOUCH 4 0.3" "$TOUCH 4 1.5" -i 50
[ "$rc" = 0 ] || fail "two runs: exit $rc: $(cat "$TMP/err")"
start d 100 30 -- --replay "$TMP/two.json"
keys d End
wait_for d "⏸ ([0-9.]+) s / \\1 s"
keys d Left
wait_for d "A done in"
cp "$TMP/screen" "$TMP/screen.two"
keys d q
wait_exit d
$PY - "$TMP/two.json" "$TMP/screen.two" <<'PYEOF' || fail "the strip's 'done in'"
import json, re, sys
a = json.load(open(sys.argv[1]))["runs"][0]
m = re.search(r"A done in ([0-9.]+ m?s)", open(sys.argv[2]).read())
s = a["result"]["wall_s"]
want = "%.0f ms" % (s * 1e3) if s < 0.1 else "%.2f s" % s if s < 10 else "%.1f s" % s
assert m and m.group(1) == want, (m and m.group(0), want, a["result"])
PYEOF

# a bad recording: exit 3 before the screen is touched
printf '{"shmviz": ' > "$TMP/bad.json"
start b 100 30 -- --replay "$TMP/bad.json"
wait_exit b
[ "$rc" = 3 ] || fail "bad recording: exit $rc, expected 3"
no_leftovers
echo "ok"
