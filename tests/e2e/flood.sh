#!/bin/bash
# A program that floods the phase protocol costs shmviz little and does not
# starve the sampling (src/run/session.c throttles the pipe):
# 1. a phase line every 0.5 ms for 3 s: shmviz stays under 15% of a core,
#    the recording stays small (--plot takes it), the extra phases are
#    dropped and counted (runs[].protocol_dropped), samples keep their pace;
# 2. plain lines as fast as `yes` writes them for 3 s: the same bounds;
# 3. a tree of 257 processes (-w 256) at rest: the counters, model and
#    recording of every tick would pass the 5% budget at the 100 ms
#    interval; ticks are spaced out and the session stays within it.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"

hz=$(getconf CLK_TCK)
# runs shmviz with "$@", sampling its CPU time until it ends; sets $rc and
# $cpu_pct (of one core, over its life)
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

# the recording's checks: size, pace of samples, dropped count, --plot
check() {
	what=$1 want_dropped=$2
	[ "$rc" = 0 ] || fail "$what: exit $rc: $(cat "$TMP/err")"
	size=$(stat -c %s "$TMP/f.json")
	[ "$size" -lt $((4 * 1024 * 1024)) ] || fail "$what: the recording is $size bytes"
	$PY - "$TMP/f.json" "$want_dropped" <<'PY' || fail "$what: the recording's checks failed"
import json, sys
d = json.load(open(sys.argv[1]))
a = d["runs"][0]
ts = [s["t"] for s in a["samples"]]
gaps = [b - a_ for a_, b in zip(ts, ts[1:])]
assert len(ts) >= 15, f"only {len(ts)} samples in 3 s"
assert max(gaps) < 0.6, f"sampling starved: a gap of {max(gaps):.2f} s"
# sampling at the interval plus at most 20 kept phase changes a second
assert len(ts) <= 3.5 * (10 + 20) + 10, f"{len(ts)} samples in about 3 s"
if sys.argv[2] == "yes":
    assert a["protocol_dropped"] > 100, a["protocol_dropped"]
PY
	run --plot "$TMP/f.json" -o "$TMP/f.svg"
	[ "$rc" = 0 ] || fail "$what: --plot refuses the recording: $(cat "$TMP/err")"
	note "$what: shmviz used $cpu_pct% of a core, recording $size bytes"
	[ "$cpu_pct" -lt 15 ] || fail "$what: shmviz used $cpu_pct% of a core"
}

# 1. phases every 0.5 ms
cat > "$TMP/phases.py" <<'PY'
import os, time
fd = int(os.environ["SHMVIZ_PHASE_FD"])
end = time.monotonic() + 3
i = 0
while time.monotonic() < end:
    os.write(fd, b"phase p%d\n" % (i % 50))
    i += 1
    time.sleep(0.0005)
os.write(fd, b"end\n")
PY
measure --record "$TMP/f.json" --compare "$PY $TMP/phases.py" true
check "phase flood" yes
no_leftovers

# 2. plain lines as fast as they can be written
measure --record "$TMP/f.json" --compare 'sh -c "timeout 3 yes hello >&$SHMVIZ_PHASE_FD; exit 0"' true
check "line flood" no
no_leftovers

# 3. -w 256, held 10 s: within the budget over the run (the start-up reads of 257 new
#    processes included)
run --record "$TMP/w.json" -w 256 -n 1k --hold 10 --mode shared
[ "$rc" = 0 ] || fail "-w 256: exit $rc: $(cat "$TMP/err")"
pct=$($PY -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["sampler"]["cpu_pct"] * 10))' "$TMP/w.json")
note "-w 256: shmviz used $((pct / 10)).$((pct % 10))% of a core (budget 5%)"
# within the budget + 1 point (the convention of summary.sh); the
# start-up reads of 257 processes (each read at once, even in debt)
# cost several times more under ASan: a looser bound there
bound=60
ldd "$SHMVIZ" 2>/dev/null | grep -q libasan && bound=120
[ "$pct" -le $bound ] || fail "-w 256: shmviz used $((pct / 10)).$((pct % 10))% of a core against a budget of 5%"
no_leftovers
echo ok
