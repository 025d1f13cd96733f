#!/bin/bash
# A program that floods the phase protocol does not starve the sampling,
# and the protocol's throttle (src/run/session.c) keeps its counts; every
# check a count, none a wall time or a CPU share (shmviz's share of a core
# is printed, a benchmark figure):
# 1. 3000 phase lines, one every 0.5 ms: the dropped ones are counted (at
#    least those beyond 20 phase changes a second, with a burst of 20, over
#    the run's recorded time; never more than were written), samples
#    beyond the interval's are at most the 20 a second the phase changes
#    allow, shmviz keeps sampling during the flood (samples whose time lies
#    between the program's first and last line), the recording stays
#    small (--plot takes it);
# 2. plain lines as fast as they can be written, 768 KiB in six bursts,
#    each followed by a checkpoint the program waits for: every one is
#    answered (a sample taken in the middle of the flood), nothing dropped;
# 3. a tree of 257 processes (-w 256) at rest: the counters and ΣPSS of
#    every tick would pass the 5% budget at the 100 ms interval; the
#    budget spaces the ΣPSS reads out.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"

hz=$(getconf CLK_TCK)
# runs shmviz with "$@", noting its CPU time until it ends; sets $rc and
# $cpu_pct (of one core, over its life: printed, never judged)
measure() {
	t0=$(date +%s.%N)
	"$SHMVIZ" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null &
	pid=$!
	ticks=0
	while kill -0 $pid 2>/dev/null; do
		t=$(awk '{sub(/.*\) /, ""); print $12 + $13}' /proc/$pid/stat 2>/dev/null)
		[ -n "$t" ] && ticks=$t
		t1=$(date +%s.%N)
		sleep 0.1
	done
	wait $pid
	rc=$?
	cpu_pct=$(awk -v t="$ticks" -v hz="$hz" -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", 100 * t / hz / (b - a) }')
}

# the recording's checks: its size, and --plot takes it
check() {
	what=$1
	[ "$rc" = 0 ] || fail "$what: exit $rc: $(cat "$TMP/err")"
	size=$(stat -c %s "$TMP/f.json")
	[ "$size" -lt $((4 * 1024 * 1024)) ] || fail "$what: the recording is $size bytes"
	run --plot "$TMP/f.json" -o "$TMP/f.svg"
	[ "$rc" = 0 ] || fail "$what: --plot refuses the recording: $(cat "$TMP/err")"
	note "$what: shmviz used $cpu_pct% of a core (not judged), recording $size bytes"
}

# 1. 3000 phase lines, every 0.5 ms; the program notes the monotonic time
#    of its first and last line
N=3000
cat > "$TMP/phases.py" <<'PY'
import os, sys, time
fd = int(os.environ["SHMVIZ_PHASE_FD"])
n = int(sys.argv[2])
first = time.monotonic()
for i in range(n):
    os.write(fd, b"phase p%d\n" % (i % 50))
    time.sleep(0.0005)
last = time.monotonic()
os.write(fd, b"end\n")
open(sys.argv[1], "w").write("%.6f %.6f\n" % (first, last))
PY
measure --record "$TMP/f.json" --compare "$PY $TMP/phases.py $TMP/flood.t $N" true
check "phase flood"
$PY - "$TMP/f.json" "$TMP/flood.t" "$N" <<'PY' || fail "phase flood: the recording's counts"
import json, sys
d = json.load(open(sys.argv[1]))
a = d["runs"][0]
first, last = map(float, open(sys.argv[2]).read().split())
written = int(sys.argv[3]) + 1                 # the phases and the end
total = a["result"]["total_s"]                 # the run's life, its own clock
interval = d["config"]["interval_ms"] / 1000
ts = [s["t"] for s in a["samples"]]
# the throttle: a burst of 20, then 20 a second, until the last read (the
# pipe is read to its end after the exit: a second more at most)
kept_max = 20 + 20 * (max([total] + ts) + 1)
dropped = a["protocol_dropped"]
during = [t for t in ts if first <= a["start_monotonic_s"] + t <= last]
print(f"# {written} lines, {dropped} dropped (at least {written - kept_max:.0f}), "
      f"{len(ts)} samples in {total:.2f} s, {len(during)} during the flood", file=sys.stderr)
assert written - kept_max <= dropped <= written, (dropped, written, kept_max)
# the interval's samples, one at the start and the end, and at most one a
# kept phase change
assert len(ts) <= total / interval + 2 + kept_max, (len(ts), total)
assert len(during) >= 2, f"{len(during)} samples while the program flooded"
assert len(a["phases"]) <= 24, len(a["phases"])
PY
no_leftovers

# 2. plain lines as fast as they can be written, in bursts of 128 KiB, each
#    followed by a checkpoint: the program waits for each answer (a minute
#    at most: a guard against a hang) and notes how many came
cat > "$TMP/lines.py" <<'PY'
import os, select, sys
fd, ack = int(os.environ["SHMVIZ_PHASE_FD"]), int(os.environ["SHMVIZ_ACK_FD"])
burst = b"hello\n" * (128 * 1024 // 6)
answered = 0
for _ in range(6):
    os.write(fd, burst)
    os.write(fd, b"checkpoint\n")
    if select.select([ack], [], [], 60)[0] and os.read(ack, 1):
        answered += 1
open(sys.argv[1], "w").write("%d\n" % answered)
PY
measure --record "$TMP/f.json" --compare "$PY $TMP/lines.py $TMP/acks" true
check "line flood"
[ "$(cat "$TMP/acks")" = 6 ] || fail "line flood: $(cat "$TMP/acks") of 6 checkpoints answered during the flood"
$PY - "$TMP/f.json" <<'PY' || fail "line flood: the recording's counts"
import json, sys
a = json.load(open(sys.argv[1]))["runs"][0]
assert a["protocol_dropped"] == 0, a["protocol_dropped"]   # plain lines are no phase changes
PY
no_leftovers

# 3. -w 256, held 10 s: the budget spaces the ΣPSS reads out (fewer than
#    one a process a tick); its CPU share is printed, not judged
run --record "$TMP/w.json" -w 256 -n 1k --hold 10 --mode shared
[ "$rc" = 0 ] || fail "-w 256: exit $rc: $(cat "$TMP/err")"
$PY - "$TMP/w.json" <<'PY' || fail "-w 256: the budget did not space the reads out"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["sampler"]
procs = max(x["total"]["nprocs"] for r in d["runs"] for x in r["samples"])
print(f"# -w 256: {s['pss_reads']} smaps reads in {s['ticks']} ticks of up to {procs} "
      f"processes; ΣPSS every {s['pss_interval_ms']:.0f} ms; {s['cpu_pct']:.1f}% of a core "
      f"(budget {s['budget_pct']}%, not judged)", file=sys.stderr)
assert procs == 257, procs
assert s["pss_reads"] < s["ticks"] * procs / 2, (s["pss_reads"], s["ticks"])
assert s["pss_interval_ms"] > 2 * s["interval_ms"], s["pss_interval_ms"]
PY
no_leftovers
echo ok
