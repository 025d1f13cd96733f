#!/bin/bash
# Sharing that decays in a real server: a gunicorn with --preload whose app
# holds a large dict, loaded in the master and shared with its two sync
# workers by fork. shmviz attaches to the master; the test loads the
# server (HTTP requests from threads, each request reading every value of
# the dict, so that every object's reference count is written and its page
# copied) until each worker's own smaps_rollup says it shares less than
# half of what it shared before; shmviz is stopped with SIGINT. Checked:
# - the recorded decay (tree and members) is what tests/helpers/
#   decaycheck.py folds again from the recording's own samples;
# - decay seen: each worker's recorded shared part fell to half (its
#   half-life is known) and what it lost is what the test's own reads of
#   the worker before and after the load give;
# - the server untouched: the same master and workers (pid and start
#   time), no signal pending, and it still answers.
. "$(dirname "$0")/lib.sh"
command -v gunicorn >/dev/null 2>&1 || skip "gunicorn is not installed (Debian package gunicorn)"
WORKERS=2

GPID=
stop_server() { [ -n "$GPID" ] && pkill -KILL -s "$GPID" 2>/dev/null; GPID=; }
trap 'stop_server; cleanup' EXIT

mkdir "$TMP/app"
cat >"$TMP/app/app.py" <<'EOF'
# 400000 str objects of about 100 bytes, built before the fork (--preload)
DATA = {i: ("value-%d-" % i) * 8 for i in range(400000)}


def app(environ, start_response):
    # reading is writing: every key's and value's reference count changes
    body = str(sum(k + len(v) for k, v in DATA.items())).encode()
    start_response("200 OK", [("Content-Type", "text/plain"),
                              ("Content-Length", str(len(body)))])
    return [body]
EOF
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
env -u SHMVIZ_TEST_TAG setsid gunicorn --preload -w $WORKERS -b "127.0.0.1:$PORT" \
	--chdir "$TMP/app" app:app </dev/null >"$TMP/gunicorn.log" 2>&1 &
GPID=$!

# one HTTP GET (a Python client): its answer
get() { "$PY" -c 'import sys, urllib.request; print(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/", timeout=30).read().decode())' "$PORT"; }
# a worker's shared part: Shared_Clean + Shared_Dirty, the test's own read
shared_of() { awk '/^Shared_(Clean|Dirty):/ { s += $2 } END { print s }' "/proc/$1/smaps_rollup" 2>/dev/null; }
starttime() { awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null; }
# ready, before any request (a request would copy its worker's pages):
# every worker booted (its log line) and at rest, two reads of its
# smaps_rollup a moment apart the same
for _ in $(seq 600); do
	[ "$(grep -c 'Booting worker with pid' "$TMP/gunicorn.log")" = $WORKERS ] && break
	sleep 0.05
done
workers=$(pgrep -P "$GPID" | sort -n | tr '\n' ' ')
[ "$(echo $workers | wc -w)" = $WORKERS ] || fail "gunicorn has workers [$workers], expected $WORKERS: $(cat "$TMP/gunicorn.log")"
for _ in $(seq 600); do
	a=$(for p in $workers; do shared_of "$p"; done)
	sleep 0.05
	b=$(for p in $workers; do shared_of "$p"; done)
	[ "$a" = "$b" ] && break
done
before=$(for p in $GPID $workers; do echo "$p $(starttime "$p")"; done)
base=$(for p in $workers; do echo "$p $(shared_of "$p")"; done)

"$SHMVIZ" --record "$TMP/g.json" -i 50 --attach "$GPID" >"$TMP/out" 2>"$TMP/err" </dev/null &
sv=$!
# shmviz reads a member's counters through a descriptor it keeps: once it
# holds every worker's, it has sampled them (a new member's smaps_rollup
# is read at once)
for _ in $(seq 600); do
	n=0
	for p in $workers; do
		ls -l "/proc/$sv/fd" 2>/dev/null | grep -q "/proc/$p/stat\$" && n=$((n + 1))
	done
	[ "$n" = $WORKERS ] && break
	sleep 0.05
done
[ "$n" = $WORKERS ] || fail "shmviz never read the workers: $(cat "$TMP/err")"
t_load=$("$PY" -c 'import time; print(time.monotonic())')

# the load: requests from four threads until every worker shares less
# than half of what it shared (its own smaps_rollup), at most 400
"$PY" - "$PORT" "$base" <<'PYEOF' || fail "the load did not make the workers' sharing decay"
import sys, threading, urllib.request
port = sys.argv[1]
base = {int(p): int(s) for p, s in (l.split() for l in sys.argv[2].splitlines())}
url = f"http://127.0.0.1:{port}/"
done = threading.Event()
sent = [0]
lock = threading.Lock()

def shared(pid):
    s = 0
    for line in open(f"/proc/{pid}/smaps_rollup"):
        if line.startswith(("Shared_Clean:", "Shared_Dirty:")):
            s += int(line.split()[1])
    return s

def halved():
    return all(2 * shared(p) < base[p] for p in base)

def client():
    while not done.is_set():
        with lock:
            if sent[0] >= 400:
                done.set()
                return
            sent[0] += 1
        urllib.request.urlopen(url, timeout=30).read()
        if halved():
            done.set()

ts = [threading.Thread(target=client) for _ in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(f"# {sent[0]} requests; shared before {base}, after "
      f"{ {p: shared(p) for p in base} } KiB", file=sys.stderr)
sys.exit(0 if halved() else 1)
PYEOF
after=$(for p in $workers; do echo "$p $(shared_of "$p")"; done)
# shmviz has sampled the server at rest: its reads (of /proc) after the
# load's end, counted by its own read(2) calls (/proc/PID/io syscr)
syscr() { awk '/^syscr:/ { print $2 }' "/proc/$sv/io"; }
r0=$(syscr)
for _ in $(seq 600); do [ $(($(syscr) - r0)) -gt 400 ] && break; sleep 0.05; done
kill -INT "$sv"
wait "$sv"; rc=$?
[ "$rc" = 130 ] || fail "shmviz --attach: exit $rc after SIGINT, expected 130: $(cat "$TMP/err")"

# the server untouched: the same processes, nothing pending, still serving
now=$(for p in $GPID $workers; do echo "$p $(starttime "$p")"; done)
[ "$before" = "$now" ] || fail "the server changed: before [$before] after [$now]"
for p in $GPID $workers; do
	pend=$(awk '/^(SigPnd|ShdPnd):/ { print $2 }' "/proc/$p/status" | sort -u)
	[ "$pend" = 0000000000000000 ] || fail "process $p has a signal pending: $pend"
done
get once >/dev/null || fail "the server no longer answers"
grep -Ei 'signal|exiting|timeout' "$TMP/gunicorn.log" &&
	fail "gunicorn logged a signal or a worker's exit: $(cat "$TMP/gunicorn.log")"

"$PY" "$SRCDIR/tests/helpers/decaycheck.py" "$TMP/g.json" >"$TMP/fold" ||
	fail "the recorded decay is not the samples' (above)"
note "recomputed: $(cat "$TMP/fold")"
$PY - "$TMP/g.json" "$base" "$after" "$t_load" <<'PYEOF' || fail "the decay was not seen"
import json, sys
d = json.load(open(sys.argv[1]))
base = {int(p): int(s) for p, s in (l.split() for l in sys.argv[2].splitlines())}
after = {int(p): int(s) for p, s in (l.split() for l in sys.argv[3].splitlines())}
r = d["runs"][0]
t_load = float(sys.argv[4]) - r["start_monotonic_s"]
dec = r["decay"]
bad = []
if dec["tree"] is None or dec["tree"]["start_s"] > t_load:
    bad.append(f"the window does not start before the load (at {t_load:.3f} s): {dec['tree']}")
mem = {m["pid"]: m for m in dec["members"]}
for pid in base:
    m = mem.get(pid)
    if m is None:
        bad.append(f"worker {pid} has no decay")
        continue
    lost_own = base[pid] - after[pid]
    # the worker at rest before and after the load: its figures are the
    # test's own reads, within a page or two of its heartbeat
    tol = max(512, lost_own // 100)
    print(f"# worker {pid}: shared {m['shared_start_kb']} -> {m['shared_min_kb']} KiB, "
          f"lost {m['lost_kb']} KiB at {m['rate_kb_s'] / 1024:.1f} MiB/s, half-life "
          f"{m['half_life_s']}; the test's reads: {base[pid]} -> {after[pid]}", file=sys.stderr)
    if abs(m["shared_start_kb"] - base[pid]) > tol or abs(m["shared_min_kb"] - after[pid]) > tol:
        bad.append(f"worker {pid}: recorded {m['shared_start_kb']} -> {m['shared_min_kb']}, "
                   f"read {base[pid]} -> {after[pid]}")
    if m["half_life_s"] is None:
        bad.append(f"worker {pid}: no half-life, yet its shared part fell below half")
for b in bad:
    print("check failed:", b)
sys.exit(1 if bad else 0)
PYEOF
grep -q "^sharing decay of " "$TMP/out" || fail "no decay line in the summary: $(cat "$TMP/out")"
stop_server
no_leftovers
echo "ok"
